"""What a good Shopify Admin REST 2024-04 record looks like (SOURCE_CONTRACTS.md, Shopify section)."""

from ingestion.common.validation import RecordSpec, latest_copy_hints, nullable_columns

CUSTOMERS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at",),
    types={"id": "integer", "email": "string", "orders_count": "integer", "total_spent": "decimal_string",
           "default_address": "object"},
    non_negative=("orders_count", "total_spent"),
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
    # money is never negative on an order: refunds are positive amounts in `refunds[]`
    non_negative=("line_items[].quantity", "line_items[].price", "refunds[].refund_line_items[].quantity",
                  "refunds[].refund_line_items[].subtotal", "total_price", "subtotal_price", "total_discounts",
                  "total_tax"),
)

CHECKOUTS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at", "completed_at", "closed_at"),
    types={"id": "integer", "token": "string", "email": "string", "total_price": "decimal_string",
           "line_items": "array", "line_items[].quantity": "integer", "line_items[].price": "decimal_string",
           "customer": "object", "customer.id": "integer"},
    non_negative=("line_items[].quantity", "line_items[].price", "total_price"),
)

PRODUCTS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at", "variants[].updated_at"),
    types={"id": "integer", "title": "string", "variants": "array", "variants[].id": "integer",
           "variants[].sku": "string", "variants[].price": "decimal_string",
           "variants[].compare_at_price": "decimal_string"},
    non_negative=("variants[].price", "variants[].compare_at_price"),
)

LOCATIONS = RecordSpec(
    primary_key="id",
    newest_by=("updated_at",),
    timestamps=("created_at", "updated_at"),
    types={"id": "integer", "name": "string", "address1": "string", "zip": "string", "country_code": "string",
           "active": "boolean"},
)

FULFILLMENT_ORDERS = RecordSpec(
    primary_key="id",
    newest_by=("updated_at",),
    timestamps=("created_at", "updated_at", "fulfill_at"),
    types={"id": "integer", "order_id": "integer", "assigned_location_id": "integer", "status": "string",
           "delivery_method": "object", "delivery_method.method_type": "string", "line_items": "array",
           "line_items[].quantity": "integer"},
    non_negative=("line_items[].quantity",),
)

_CUSTOMER_REF = {f"customer__{name}": "text" for name in ("email", "phone", "first_name", "last_name")}

SPECS = {"customers": CUSTOMERS, "orders": ORDERS, "checkouts": CHECKOUTS, "products": PRODUCTS,
         "locations": LOCATIONS, "fulfillment_orders": FULFILLMENT_ORDERS}

# resource -> columns dbt staging relies on that may be null throughout a load
_NULLABLE = {
    "customers": nullable_columns(
        email="text", phone="text", first_name="text", last_name="text", state="text", tags="text",
        default_address__city="text", default_address__province="text", default_address__zip="text",
        default_address__country_code="text",
    ),
    "orders": nullable_columns(
        email="text", phone="text", processed_at="timestamp", cancelled_at="timestamp", closed_at="timestamp",
        cancel_reason="text", financial_status="text", fulfillment_status="text", source_name="text",
        location_id="bigint", cart_token="text", checkout_token="text", landing_site="text",
        referring_site="text", customer__id="bigint", **_CUSTOMER_REF,
    ),
    "checkouts": nullable_columns(
        token="text", cart_token="text", email="text", phone="text", completed_at="timestamp",
        closed_at="timestamp", total_price="text", referring_site="text", landing_site="text",
        location_id="bigint", customer__id="bigint", **_CUSTOMER_REF,
    ),
    "products": nullable_columns(product_type="text", title="text"),
    # the table is created before any record arrives (an empty first load), so the key has a type too
    "fulfillment_orders": {"id": {"data_type": "bigint", "nullable": False}} | nullable_columns(
        order_id="bigint", assigned_location_id="bigint", status="text", request_status="text",
        delivery_method__method_type="text", assigned_location__name="text", fulfill_at="timestamp",
        created_at="timestamp", updated_at="timestamp",
    ),
    "locations": nullable_columns(
        name="text", address1="text", address2="text", city="text", zip="text", province="text",
        province_code="text", country="text", country_code="text", country_name="text", phone="text",
        active="bool", legacy="bool",
    ),
}
# resource -> column hints: the nullable contract columns plus which copy of a record is the latest
COLUMNS = {name: latest_copy_hints(SPECS[name], columns) for name, columns in _NULLABLE.items()}
