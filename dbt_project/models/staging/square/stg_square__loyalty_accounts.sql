{%- set src = optional_source('square', 'loyalty_accounts') -%}
{%- set cols = relation_columns(src) -%}

{% if src is not none %}
select
    cast(id as string)                                                       as square_loyalty_account_id,
    {{ col_or_null(cols, 'customer_id', 'varchar') }}                         as square_customer_id,
    {{ col_or_null(cols, 'mapping__phone_number', 'varchar') }}               as phone_raw,
    {{ normalise_phone(col_or_null(cols, 'mapping__phone_number', 'varchar')) }} as phone,
    {{ col_or_null(cols, 'balance', 'integer') }}                             as points_balance,
    {{ col_or_null(cols, 'lifetime_points', 'integer') }}                     as lifetime_points,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at
from {{ src }}
{% else %}
select
    cast(null as string) as square_loyalty_account_id,
    cast(null as string) as square_customer_id,
    cast(null as string) as phone_raw,
    cast(null as string) as phone,
    cast(null as integer) as points_balance,
    cast(null as integer) as lifetime_points,
    cast(null as timestamp) as created_at
where false
{% endif %}
