{#- The share of Square order line items without a SKU. The SKU lives in the Square catalog
    (ITEM_VARIATION item_variation_data.sku) and is joined through the line's catalog_object_id;
    `variation_name` is a display label and never stands in for it. A line without one is a custom
    amount, a variation deleted from the catalog, or a variation nobody gave a SKU: legitimate data
    that still counts in revenue, but it is missing from SKU-level marts (price consistency). -#}
{{ config(
    severity='warn',
    store_failures=true,
    store_failures_as='table',
    schema='marts',
    alias='dq_square_line_items_without_sku',
    meta={'why': 'WARN, not blocking: custom amounts and unnamed variations are legitimate; their revenue '
                 'still counts, but SKU-level figures (price consistency) cannot see them. The row says how '
                 'many lines and what share lack a catalog SKU.'}
) }}

select
    count(*)                                                                  as line_items,
    count(*) filter (where sku is null)                                       as line_items_without_sku,
    round(count(*) filter (where sku is null) / count(*), 4)                  as share_without_sku,
    count(*) filter (where sku is null and catalog_object_id is not null)     as catalog_ids_without_sku
from {{ ref('stg_square__order_line_items') }}
having count(*) filter (where sku is null) > 0
