{%- set src = source('square', 'payments') -%}
{%- set cols = source_columns('square', 'payments') -%}

select
    cast(id as string)                                                       as square_payment_id,
    {{ col_or_null(cols, 'order_id', 'varchar') }}                            as square_order_id,
    {{ col_or_null(cols, 'location_id', 'varchar') }}                         as square_location_id,
    {{ col_or_null(cols, 'customer_id', 'varchar') }}                         as square_customer_id,
    {{ col_or_null(cols, 'status', 'varchar') }}                              as status,
    {{ col_or_null(cols, 'source_type', 'varchar') }}                         as source_type,
    {{ col_or_null(cols, 'card_details__card__fingerprint', 'varchar') }}     as card_fingerprint,
    {{ col_or_null(cols, 'card_details__card__last_4', 'varchar') }}          as card_last_4,
    cast({{ col_or_null(cols, 'amount_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as amount,
    upper({{ col_or_null(cols, 'amount_money__currency', 'varchar') }})       as currency,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from {{ src }}
