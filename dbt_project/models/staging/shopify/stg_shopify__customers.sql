{%- set src = source('shopify', 'customers') -%}
{%- set cols = source_columns('shopify', 'customers') -%}

with source as (
    select * from {{ src }}
),

renamed as (
    select
        cast(id as string)                                                   as shopify_customer_id,
        {{ col_or_null(cols, 'email', 'varchar') }}                           as email_raw,
        {{ normalise_email(col_or_null(cols, 'email', 'varchar')) }}          as email,
        {{ col_or_null(cols, 'phone', 'varchar') }}                           as phone_raw,
        {{ normalise_phone(col_or_null(cols, 'phone', 'varchar')) }}          as phone,
        {{ col_or_null(cols, 'first_name', 'varchar') }}                      as first_name,
        {{ col_or_null(cols, 'last_name', 'varchar') }}                       as last_name,
        {{ normalise_name(col_or_null(cols, 'first_name', 'varchar')) }}      as first_name_normalised,
        {{ normalise_name(col_or_null(cols, 'last_name', 'varchar')) }}       as last_name_normalised,
        {{ col_or_null(cols, 'default_address__city', 'varchar') }}           as city,
        {{ normalise_postcode(col_or_null(cols, 'default_address__zip', 'varchar')) }} as postal_code,
        {{ col_or_null(cols, 'default_address__country_code', 'varchar') }}   as country_code,
        {{ col_or_null(cols, 'state', 'varchar') }}                           as account_state,
        {{ col_or_null(cols, 'tags', 'varchar') }}                            as tags,
        {{ col_or_null(cols, 'orders_count', 'integer') }}                    as orders_count,
        cast({{ col_or_null(cols, 'total_spent', 'varchar') }} as decimal(18, 2)) as total_spent,
        {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}          as created_at,
        {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}          as updated_at
    from source
)

select * from renamed
