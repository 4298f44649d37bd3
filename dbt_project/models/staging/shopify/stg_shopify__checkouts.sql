{%- set src = source('shopify', 'checkouts') -%}
{%- set cols = source_columns('shopify', 'checkouts') -%}

with source as (
    select * from {{ src }}
),

renamed as (
    select
        cast(id as string)                                                   as shopify_checkout_id,
        _dlt_id                                                               as dlt_id,
        {{ col_or_null(cols, 'token', 'varchar') }}                           as checkout_token,
        {{ col_or_null(cols, 'cart_token', 'varchar') }}                      as cart_token,
        cast({{ col_or_null(cols, 'customer__id', 'bigint') }} as string)    as shopify_customer_id,
        {{ col_or_null(cols, 'email', 'varchar') }}                           as email_raw,
        {{ normalise_email(col_or_null(cols, 'email', 'varchar')) }}          as email,
        {{ col_or_null(cols, 'phone', 'varchar') }}                           as phone_raw,
        {{ normalise_phone(col_or_null(cols, 'phone', 'varchar')) }}          as phone,
        {{ col_or_null(cols, 'customer__first_name', 'varchar') }}            as first_name,
        {{ col_or_null(cols, 'customer__last_name', 'varchar') }}             as last_name,
        {{ normalise_name(col_or_null(cols, 'customer__first_name', 'varchar')) }} as first_name_normalised,
        {{ normalise_name(col_or_null(cols, 'customer__last_name', 'varchar')) }}  as last_name_normalised,
        cast({{ col_or_null(cols, 'total_price', 'varchar') }} as decimal(18, 2)) as total_price,
        {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}          as created_at,
        {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}          as updated_at,
        {{ to_utc(col_or_null(cols, 'completed_at', 'timestamptz')) }}        as completed_at,
        {{ to_utc(col_or_null(cols, 'closed_at', 'timestamptz')) }}           as closed_at
    from source
)

select * from renamed
