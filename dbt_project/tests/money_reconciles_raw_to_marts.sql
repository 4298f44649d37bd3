{{ config(severity='error', meta={'why': 'BLOCKING: revenue in the marts must be the raw orders\' money on the documented basis; a difference is a join that dropped or fanned out orders, or a unit/sign bug, and every revenue figure on the dashboard would be wrong.'}) }}
{#- Net merchandise sales per source and currency, three ways that must agree to the cent:
    1. recomputed from the raw tables as landed (Shopify subtotal_price less tax when
       taxes_included; Square total_money less tax, tip and service charge money, return-only
       orders left out), 2. fct_orders.net_merchandise_amount, 3. for non-cancelled orders, the
       purchase touchpoints and kpi_channel_daily revenue. Any row returned fails the test. -#}
{%- set shopify_cols = source_columns('shopify', 'orders') -%}
{%- set square_cols = source_columns('square', 'orders') -%}
{%- set square_returns = optional_source('square', 'orders__returns') -%}

with raw_shopify as (
    select
        'shopify'                                                             as source,
        upper({{ col_or_null(shopify_cols, 'currency', 'varchar') }})        as currency,
        sum(cast({{ col_or_null(shopify_cols, 'subtotal_price', 'varchar') }} as decimal(18, 2))
            - case when coalesce({{ col_or_null(shopify_cols, 'taxes_included', 'boolean') }}, false)
                   then coalesce(cast({{ col_or_null(shopify_cols, 'total_tax', 'varchar') }} as decimal(18, 2)), 0)
                   else 0 end)                                                as raw_amount,
        sum(case when {{ col_or_null(shopify_cols, 'cancelled_at', 'varchar') }} is null then
            cast({{ col_or_null(shopify_cols, 'subtotal_price', 'varchar') }} as decimal(18, 2))
            - case when coalesce({{ col_or_null(shopify_cols, 'taxes_included', 'boolean') }}, false)
                   then coalesce(cast({{ col_or_null(shopify_cols, 'total_tax', 'varchar') }} as decimal(18, 2)), 0)
                   else 0 end end)                                            as raw_kept_amount
    from {{ source('shopify', 'orders') }}
    group by all
),

raw_square as (
    select
        'square'                                                              as source,
        upper({{ col_or_null(square_cols, 'total_money__currency', 'varchar') }}) as currency,
        {%- set net -%}
            ({{ col_or_null(square_cols, 'total_money__amount', 'bigint') }}
             - coalesce({{ col_or_null(square_cols, 'total_tax_money__amount', 'bigint') }}, 0)
             - coalesce({{ col_or_null(square_cols, 'total_tip_money__amount', 'bigint') }}, 0)
             - coalesce({{ col_or_null(square_cols, 'total_service_charge_money__amount', 'bigint') }}, 0)) / 100.0
        {%- endset %}
        cast(sum({{ net }}) as decimal(18, 2))                                as raw_amount,
        cast(sum(case when coalesce({{ col_or_null(square_cols, 'state', 'varchar') }}, '') <> 'CANCELED'
                      then {{ net }} end) as decimal(18, 2))                  as raw_kept_amount
    from {{ source('square', 'orders') }} as orders
    {%- if square_returns is not none %}
    where not exists (select 1 from {{ square_returns }} as returns where returns._dlt_parent_id = orders._dlt_id)
    {%- endif %}
    group by all
),

raw as (
    select * from raw_shopify union all select * from raw_square
),

marts as (
    select source, currency,
           sum(net_merchandise_amount)                                        as mart_amount,
           sum(net_merchandise_amount) filter (where not is_cancelled)        as mart_kept_amount
    from {{ ref('fct_orders') }}
    group by all
),

touchpoints as (
    select source, currency, sum(value_amount) as touchpoint_amount
    from {{ ref('fct_touchpoints') }}
    where touchpoint_type = 'purchase'
    group by all
),

kpi as (
    select currency, sum(revenue) as kpi_amount from {{ ref('kpi_channel_daily') }} group by all
),

by_source as (
    select
        coalesce(raw.source, marts.source, touchpoints.source)                as source,
        coalesce(raw.currency, marts.currency, touchpoints.currency)          as currency,
        coalesce(raw.raw_amount, 0)                                           as raw_amount,
        coalesce(marts.mart_amount, 0)                                        as mart_amount,
        coalesce(raw.raw_kept_amount, 0)                                      as raw_kept_amount,
        coalesce(marts.mart_kept_amount, 0)                                   as mart_kept_amount,
        coalesce(touchpoints.touchpoint_amount, 0)                            as touchpoint_amount
    from raw
    full join marts on raw.source = marts.source and raw.currency is not distinct from marts.currency
    full join touchpoints
        on coalesce(raw.source, marts.source) = touchpoints.source
        and coalesce(raw.currency, marts.currency) is not distinct from touchpoints.currency
),

by_currency as (
    select by_source.currency, sum(by_source.touchpoint_amount) as touchpoint_amount,
           coalesce(min(kpi.kpi_amount), 0) as kpi_amount
    from by_source
    full join kpi on by_source.currency is not distinct from kpi.currency
    group by 1
)

select 'fct_orders vs raw' as comparison, source, currency, raw_amount as expected, mart_amount as found
from by_source where raw_amount <> mart_amount
union all
select 'purchase touchpoints vs raw (not cancelled)', source, currency, raw_kept_amount, touchpoint_amount
from by_source where raw_kept_amount <> touchpoint_amount or raw_kept_amount <> mart_kept_amount
union all
select 'kpi_channel_daily vs purchase touchpoints', null, currency, touchpoint_amount, kpi_amount
from by_currency where touchpoint_amount <> kpi_amount
