{%- set src = source('shopify', 'orders') -%}
{%- set cols = source_columns('shopify', 'orders') -%}

with source as (
    select * from {{ src }}
),

renamed as (
    select
        cast(id as string)                                                   as shopify_order_id,
        _dlt_id                                                               as dlt_id,
        {{ col_or_null(cols, 'name', 'varchar') }}                            as order_name,
        cast({{ col_or_null(cols, 'customer__id', 'bigint') }} as string)    as shopify_customer_id,
        {{ col_or_null(cols, 'email', 'varchar') }}                           as email_raw,
        {{ normalise_email(col_or_null(cols, 'email', 'varchar')) }}          as email,
        {{ col_or_null(cols, 'phone', 'varchar') }}                           as phone_raw,
        {{ normalise_phone(col_or_null(cols, 'phone', 'varchar')) }}          as phone,
        {# the buyer is who the order ships to; the nested customer is the account, which a family
            member may share, so the account's name only stands in when nothing ships #}
        coalesce({{ col_or_null(cols, 'shipping_address__first_name', 'varchar') }},
                 {{ col_or_null(cols, 'customer__first_name', 'varchar') }})  as first_name,
        coalesce({{ col_or_null(cols, 'shipping_address__last_name', 'varchar') }},
                 {{ col_or_null(cols, 'customer__last_name', 'varchar') }})   as last_name,
        {{ normalise_name("coalesce(" ~ col_or_null(cols, 'shipping_address__first_name', 'varchar') ~ ", "
                          ~ col_or_null(cols, 'customer__first_name', 'varchar') ~ ")") }} as first_name_normalised,
        {{ normalise_name("coalesce(" ~ col_or_null(cols, 'shipping_address__last_name', 'varchar') ~ ", "
                          ~ col_or_null(cols, 'customer__last_name', 'varchar') ~ ")") }}  as last_name_normalised,
        lower({{ col_or_null(cols, 'source_name', 'varchar') }})              as source_name,
        cast({{ col_or_null(cols, 'location_id', 'bigint') }} as string)     as shopify_location_id,
        {{ col_or_null(cols, 'cart_token', 'varchar') }}                      as cart_token,
        {{ col_or_null(cols, 'checkout_token', 'varchar') }}                  as checkout_token,
        {{ col_or_null(cols, 'landing_site', 'varchar') }}                    as landing_site,
        {{ col_or_null(cols, 'referring_site', 'varchar') }}                  as referring_site,
        {{ col_or_null(cols, 'financial_status', 'varchar') }}                as financial_status,
        {{ col_or_null(cols, 'fulfillment_status', 'varchar') }}              as fulfillment_status,
        upper({{ col_or_null(cols, 'currency', 'varchar') }})                 as currency,
        cast({{ col_or_null(cols, 'total_price', 'varchar') }} as decimal(18, 2))     as total_price,
        cast({{ col_or_null(cols, 'subtotal_price', 'varchar') }} as decimal(18, 2))  as subtotal_price,
        cast({{ col_or_null(cols, 'total_discounts', 'varchar') }} as decimal(18, 2)) as total_discounts,
        cast({{ col_or_null(cols, 'total_tax', 'varchar') }} as decimal(18, 2))       as total_tax,
        coalesce({{ col_or_null(cols, 'taxes_included', 'boolean') }}, false) as taxes_included,
        cast({{ col_or_null(cols, 'total_tip_received', 'varchar') }} as decimal(18, 2)) as total_tip_received,
        {# a local-pickup order has no shipping address (REST sends null; dlt then has no
           shipping_address__* value for it) #}
        coalesce({{ col_or_null(cols, 'shipping_address__address1', 'varchar') }},
                 {{ col_or_null(cols, 'shipping_address__address2', 'varchar') }},
                 {{ col_or_null(cols, 'shipping_address__city', 'varchar') }},
                 {{ col_or_null(cols, 'shipping_address__zip', 'varchar') }},
                 {{ col_or_null(cols, 'shipping_address__country_code', 'varchar') }}) is not null
                                                                              as has_shipping_address,
        {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}          as created_at,
        {{ to_utc(col_or_null(cols, 'processed_at', 'timestamptz')) }}        as processed_at,
        {{ to_utc(col_or_null(cols, 'cancelled_at', 'timestamptz')) }}        as cancelled_at,
        {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}          as updated_at
    from source
)

select * from renamed
