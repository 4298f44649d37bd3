"""What a good Square API v2 record looks like (SOURCE_CONTRACTS.md, Square section).

Money is `{"amount": <integer minor units>, "currency"}`; order line item quantities are decimal
strings.
"""

from ingestion.common.validation import RecordSpec, latest_copy_hints, nullable_columns

LOCATIONS = RecordSpec(
    primary_key="id",
    timestamps=("created_at",),
    types={"id": "string", "name": "string", "address": "object", "timezone": "string"},
)

CUSTOMERS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    newest_by=("updated_at", "version"),
    timestamps=("created_at",),
    types={"id": "string", "given_name": "string", "family_name": "string", "email_address": "string",
           "phone_number": "string", "reference_id": "string", "version": "integer"},
    # `version` counts the profile's updates from 0 (identity resolution keys on the latest one)
    non_negative=("version",),
)

ORDERS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    newest_by=("updated_at", "version"),
    timestamps=("created_at", "closed_at"),
    types={
        "id": "string", "location_id": "string", "customer_id": "string", "state": "string", "version": "integer",
        "line_items": "array", "line_items[].quantity": "decimal_string",
        "line_items[].base_price_money.amount": "integer", "line_items[].total_money.amount": "integer",
        "total_money": "object", "total_money.amount": "integer", "total_tax_money.amount": "integer",
        "total_discount_money.amount": "integer", "total_tip_money.amount": "integer",
        "total_service_charge_money.amount": "integer", "returns": "array", "tenders": "array",
    },
    # the order's own totals are never negative (a return is a separate order with its own lines;
    # only `net_amounts` and `return_amounts` may carry negative money, and they are not checked)
    non_negative=(
        "version", "line_items[].quantity", "line_items[].base_price_money.amount", "line_items[].total_money.amount",
        "total_money.amount", "total_tax_money.amount", "total_discount_money.amount", "total_tip_money.amount",
        "total_service_charge_money.amount", "returns[].return_line_items[].quantity",
    ),
)

PAYMENTS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at",),
    types={"id": "string", "location_id": "string", "order_id": "string", "customer_id": "string",
           "status": "string", "amount_money": "object", "amount_money.amount": "integer",
           "total_money.amount": "integer"},
    non_negative=("amount_money.amount", "total_money.amount"),
)

REFUNDS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    timestamps=("created_at",),
    types={"id": "string", "location_id": "string", "payment_id": "string", "order_id": "string",
           "status": "string", "amount_money": "object", "amount_money.amount": "integer"},
    non_negative=("amount_money.amount",),
)

CATALOG_OBJECTS = RecordSpec(
    primary_key="id",
    cursor="updated_at",
    newest_by=("updated_at", "version"),
    types={
        "id": "string", "type": "string", "version": "integer", "is_deleted": "boolean",
        "item_data": "object", "item_data.name": "string", "item_data.variations": "array",
        "item_data.variations[].id": "string", "item_data.variations[].item_variation_data.item_id": "string",
        "item_data.variations[].item_variation_data.sku": "string",
        "item_data.variations[].item_variation_data.price_money.amount": "integer",
    },
    non_negative=("version", "item_data.variations[].item_variation_data.price_money.amount"),
)

LOYALTY_ACCOUNTS = RecordSpec(
    primary_key="id",
    newest_by=("updated_at",),
    timestamps=("created_at", "updated_at", "enrolled_at"),
    types={"id": "string", "customer_id": "string", "mapping": "object", "mapping.phone_number": "string",
           "balance": "integer", "lifetime_points": "integer"},
    # `balance` may be negative: Square's LoyaltyAccount reference says apps must handle a negative
    # point balance (a seller's manual adjustment, a refund or an exchange). `lifetime_points` never is.
    non_negative=("lifetime_points",),
)

def _money(*names: str) -> dict[str, str]:
    """`<name>__amount` (bigint minor units) and `<name>__currency` for each Money field."""
    return {column: kind for name in names
            for column, kind in ((f"{name}__amount", "bigint"), (f"{name}__currency", "text"))}


SPECS = {"locations": LOCATIONS, "customers": CUSTOMERS, "orders": ORDERS, "payments": PAYMENTS,
         "refunds": REFUNDS, "catalog_objects": CATALOG_OBJECTS, "loyalty_accounts": LOYALTY_ACCOUNTS}

# resource -> columns dbt staging relies on that may be null throughout a load
_NULLABLE = {
    "locations": nullable_columns(
        name="text", timezone="text", status="text", currency="text", country="text",
        address__address_line_1="text", address__address_line_2="text", address__locality="text",
        address__administrative_district_level_1="text", address__postal_code="text", address__country="text",
    ),
    "customers": nullable_columns(given_name="text", family_name="text", email_address="text",
                                  phone_number="text", reference_id="text"),
    "orders": nullable_columns(
        customer_id="text", closed_at="timestamp", state="text",
        **_money("total_tax_money", "total_discount_money", "total_tip_money", "total_service_charge_money"),
    ),
    "payments": nullable_columns(customer_id="text", order_id="text", location_id="text"),
    "refunds": nullable_columns(order_id="text", payment_id="text", location_id="text", reason="text"),
    "catalog_objects": nullable_columns(
        type="text", is_deleted="bool", present_at_all_locations="bool", item_data__name="text",
        item_data__description="text", item_data__category_id="text",
    ),
    "loyalty_accounts": nullable_columns(customer_id="text", mapping__phone_number="text", balance="bigint",
                                         lifetime_points="bigint"),
}
# resource -> column hints: the nullable contract columns plus which copy of a record is the latest
COLUMNS = {name: latest_copy_hints(SPECS[name], columns) for name, columns in _NULLABLE.items()}
