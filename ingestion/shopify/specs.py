"""What a good Shopify Admin REST 2024-04 record looks like (SOURCE_CONTRACTS.md, Shopify section)."""

from ingestion.common.validation import RecordSpec

CUSTOMERS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at",),
    types={"id": "integer", "email": "string", "orders_count": "integer", "total_spent": "decimal_string",
           "default_address": "object"},
    non_negative=("orders_count",),
)

ORDERS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at", "processed_at", "cancelled_at", "refunds[].created_at", "fulfillments[].created_at"),
    types={
        "id": "integer", "location_id": "integer", "email": "string", "source_name": "string",
        "total_price": "decimal_string", "subtotal_price": "decimal_string",
        "total_discounts": "decimal_string", "total_tax": "decimal_string",
        "customer": "object", "customer.id": "integer",
        "line_items": "array", "line_items[].id": "integer", "line_items[].quantity": "integer",
        "line_items[].price": "decimal_string", "line_items[].sku": "string",
        "refunds": "array", "refunds[].refund_line_items": "array",
        "refunds[].refund_line_items[].quantity": "integer", "refunds[].refund_line_items[].subtotal": "number",
        "fulfillments": "array", "fulfillments[].location_id": "integer", "shipping_lines": "array",
    },
    non_negative=("line_items[].quantity", "refunds[].refund_line_items[].quantity", "total_price"),
)

CHECKOUTS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at", "completed_at", "closed_at"),
    types={"id": "integer", "token": "string", "email": "string", "total_price": "decimal_string",
           "line_items": "array", "line_items[].quantity": "integer", "line_items[].price": "decimal_string",
           "customer": "object", "customer.id": "integer"},
    non_negative=("line_items[].quantity", "total_price"),
)

PRODUCTS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at", "variants[].updated_at"),
    types={"id": "integer", "title": "string", "variants": "array", "variants[].id": "integer",
           "variants[].sku": "string", "variants[].price": "decimal_string",
           "variants[].compare_at_price": "decimal_string"},
    non_negative=("variants[].price",),
)
