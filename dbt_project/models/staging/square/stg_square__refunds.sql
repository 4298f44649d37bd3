{%- set src = source('square', 'refunds') -%}
{%- set cols = source_columns('square', 'refunds') -%}

select
    cast(id as string)                                                       as square_refund_id,
    {{ col_or_null(cols, 'payment_id', 'varchar') }}                          as square_payment_id,
    {{ col_or_null(cols, 'order_id', 'varchar') }}                            as square_order_id,
    {{ col_or_null(cols, 'location_id', 'varchar') }}                         as square_location_id,
    {{ col_or_null(cols, 'status', 'varchar') }}                              as status,
    {{ col_or_null(cols, 'reason', 'varchar') }}                              as reason,
    cast({{ col_or_null(cols, 'amount_money__amount', 'bigint') }} / 100.0 as decimal(18, 2)) as refund_amount,
    upper({{ col_or_null(cols, 'amount_money__currency', 'varchar') }})       as currency,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from {{ src }}
