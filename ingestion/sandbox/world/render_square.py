"""Square API v2 objects: locations, customers, orders (sales and returns), payments, refunds, loyalty.

Square money is integer minor units in {"amount", "currency"}, quantities are strings, timestamps
RFC 3339 UTC with milliseconds, and absent optional fields are omitted. A store return is a new
order whose `returns[]` point at the sale (`source_order_id`), a PaymentRefund on the sale's
payment, and the sale's payment gains `refund_ids`/`refunded_money` (its `updated_at` moves).
Loyalty accounts are keyed by phone (Square allows one per number), so family members sharing a
phone earn points on one account.
"""

from ingestion.sandbox.world import ids
from ingestion.sandbox.world.ledger import Ledger, Touchpoint
from ingestion.sandbox.world.model import Activity, SquareProfile, StoreOrder
from ingestion.sandbox.world.output import utc_millis
from ingestion.sandbox.world.people import Person
from ingestion.sandbox.world.settings import (
    CURRENCY,
    SHOP_TIMEZONE_NAME,
    SQUARE_LOYALTY_PROGRAM_ID,
    SQUARE_MERCHANT_ID,
)
from ingestion.sandbox.world.simulate import World

_CARD_BRANDS = ("VISA", "VISA", "MASTERCARD", "AMERICAN_EXPRESS", "DISCOVER")
_SOURCE = {"name": "Square Point of Sale"}


def money(cents: int) -> dict:
    return {"amount": cents, "currency": CURRENCY}


class SquareRenderer:
    """Renders Square records as of `cut` and notes their truth."""

    def __init__(self, world: World, activity: Activity, people: dict[int, Person], cut: int, ledger: Ledger):
        self.world, self.activity, self.people, self.cut, self.ledger = world, activity, people, cut, ledger
        self.seed = world.seed
        self.products = {p.sku: p for p in world.products}
        self._cards: dict[int, dict] = {}

    def ts(self, t: int, key: object) -> str:
        return utc_millis(t, ids.digest(self.seed, "millis", key, 2)[0] * 4)

    def customer_id(self, person: int) -> str:
        return ids.square_id(self.seed, "square-customer", person, 26)

    def order_id(self, order: StoreOrder) -> str:
        return ids.square_id(self.seed, "square-order", order.key, 27)

    def return_order_id(self, order: StoreOrder) -> str:
        return ids.square_id(self.seed, "square-return-order", order.key, 27)

    def payment_id(self, order: StoreOrder) -> str:
        return ids.square_id(self.seed, "square-payment", order.key, 26)

    def refund_id(self, order: StoreOrder) -> str:
        return f"{self.payment_id(order)}_{ids.square_id(self.seed, 'square-refund', order.key, 26)}"

    def person_id(self, index: int) -> str:
        return self.people[index].person_id

    # --- locations --------------------------------------------------------------------------------
    def locations(self) -> list[dict]:
        opened = utc_millis(self.world.start_ts - 900 * 86_400)
        return [{
            "id": loc.square_location_id, "name": f"Larkspur {loc.name}",
            "address": {"address_line_1": loc.address, "locality": loc.city,
                        "administrative_district_level_1": "OR" if loc.postal_code.startswith("97") else "WA",
                        "postal_code": loc.postal_code, "country": "US"},
            "timezone": SHOP_TIMEZONE_NAME, "capabilities": ["CREDIT_CARD_PROCESSING"], "status": "ACTIVE",
            "created_at": opened, "merchant_id": SQUARE_MERCHANT_ID, "country": "US", "language_code": "en-US",
            "currency": CURRENCY, "business_name": "Larkspur Supply Co.", "type": "PHYSICAL",
            "business_email": "stores@larkspur.example", "mcc": "5699",
        } for loc in self.world.locations]

    # --- customers --------------------------------------------------------------------------------
    def customers(self) -> list[dict]:
        records = []
        for profile in sorted(self.activity.square_profiles.values(), key=lambda p: (p.created, p.person)):
            if profile.created < self.cut:
                records.append(self.customer(profile))
        return records

    def customer(self, profile: SquareProfile) -> dict:
        customer_id = self.customer_id(profile.person)
        email_now = profile.email_added_at is not None and profile.email_added_at < self.cut
        email = profile.email
        if email_now:
            email = self.people[profile.person].email
        created = self.ts(profile.created, ("c", profile.person))
        record = {"id": customer_id, "created_at": created,
                  "updated_at": self.ts(profile.email_added_at, ("cu", profile.person)) if email_now else created,
                  "given_name": profile.given_name, "family_name": profile.family_name}
        if email:
            record["email_address"] = email
        if profile.phone:
            record["phone_number"] = profile.phone
        record["preferences"] = {"email_unsubscribed": False}
        record["creation_source"] = "DIRECTORY"
        record["version"] = 1 if email_now else 0
        self.ledger.own("square", "customers", customer_id, self.person_id(profile.person))
        return record

    # --- orders, payments, refunds ----------------------------------------------------------------
    def sales(self) -> list[StoreOrder]:
        return [o for o in sorted(self.activity.store_orders, key=lambda o: o.key) if o.created < self.cut]

    def returned(self, order: StoreOrder) -> bool:
        return order.refund is not None and order.refund.created < self.cut

    def card(self, order: StoreOrder) -> dict:
        """The person's card (one per person), shared by their sales' tenders and payments."""
        if order.person not in self._cards:
            self._cards[order.person] = self._card_of(order.person)
        return self._cards[order.person]

    def _card_of(self, person: int) -> dict:
        brand = _CARD_BRANDS[ids.digest(self.seed, "card-brand", person, 1)[0] % len(_CARD_BRANDS)]
        return {"card_brand": brand, "last_4": ids.numeric_id(self.seed, "card-last4", person, 4),
                "exp_month": 1 + ids.digest(self.seed, "card-exp", person, 1)[0] % 12, "exp_year": 2029,
                "fingerprint": "sq-1-" + ids.square_id(self.seed, "card-fingerprint", person, 32).lower(),
                "card_type": "CREDIT", "prepaid_type": "NOT_PREPAID",
                "bin": ids.numeric_id(self.seed, "card-bin", person, 6)}

    def line_items(self, order: StoreOrder) -> list[dict]:
        items = []
        for i, line in enumerate(order.lines):
            product = self.products[line.sku]
            items.append({
                "uid": ids.square_id(self.seed, "line-uid", (order.key, i), 22), "name": product.title,
                "quantity": str(line.quantity), "catalog_object_id": product.square_variation_id,
                "catalog_version": 1, "variation_name": line.sku, "item_type": "ITEM",
                "base_price_money": money(line.unit_cents), "variation_total_price_money": money(line.cents),
                "gross_sales_money": money(line.cents), "total_tax_money": money(0),
                "total_discount_money": money(0), "total_money": money(line.cents),
            })
        return items

    def orders(self) -> list[dict]:
        records = []
        for order in self.sales():
            records.append(self.sale_order(order))
            if self.returned(order):
                records.append(self.return_order(order))
        records.sort(key=lambda r: (r["created_at"], r["id"]))
        return records

    def sale_order(self, order: StoreOrder) -> dict:
        order_id, payment_id = self.order_id(order), self.payment_id(order)
        total = sum(line.cents for line in order.lines)
        location = self.world.locations[order.location]
        created = self.ts(order.created, ("o", order.key))
        tender = {"id": payment_id, "location_id": location.square_location_id, "transaction_id": order_id,
                  "created_at": created, "amount_money": money(total), "type": order.tender}
        if order.with_profile:
            tender["customer_id"] = self.customer_id(order.person)
        if order.tender == "CARD":
            tender["card_details"] = {"status": "CAPTURED", "card": self.card(order), "entry_method": "EMV"}
        else:
            tender["cash_details"] = {"buyer_tendered_money": money(-(-total // 2000) * 2000),
                                      "change_back_money": money(-(-total // 2000) * 2000 - total)}
        tender["payment_id"] = payment_id
        record = {"id": order_id, "location_id": location.square_location_id, "source": _SOURCE}
        if order.with_profile:
            record["customer_id"] = self.customer_id(order.person)
        record.update({
            "line_items": self.line_items(order),
            "net_amounts": self.amounts(total),
            "tenders": [tender],
            "created_at": created, "updated_at": created, "closed_at": created,
            "state": "COMPLETED", "version": 4,
            "total_money": money(total), "total_tax_money": money(0), "total_discount_money": money(0),
            "total_tip_money": money(0), "total_service_charge_money": money(0),
            "net_amount_due_money": money(0),
        })
        person_id = self.person_id(order.person)
        self.ledger.own("square", "orders", order_id, person_id)
        self.ledger.touch(Touchpoint(person_id, "store", "purchase", order.created, "square", order_id, total / 100,
                                     location.square_location_id, order_id, order.lines[0].sku, "in_store"))
        return record

    def amounts(self, total: int) -> dict:
        return {"total_money": money(total), "tax_money": money(0), "discount_money": money(0),
                "tip_money": money(0), "service_charge_money": money(0)}

    def refund_cents(self, order: StoreOrder) -> int:
        return sum(order.lines[i].cents for i in order.refund.line_indexes)

    def return_order(self, order: StoreOrder) -> dict:
        refund = order.refund
        return_id, source_id = self.return_order_id(order), self.order_id(order)
        location = self.world.locations[refund.location]
        created = self.ts(refund.created, ("r", order.key))
        amount = self.refund_cents(order)
        sale_items = self.line_items(order)
        return_items = []
        for i in refund.line_indexes:
            sold = sale_items[i]
            return_items.append({
                "uid": ids.square_id(self.seed, "return-line-uid", (order.key, i), 22),
                "source_line_item_uid": sold["uid"], "name": sold["name"], "quantity": sold["quantity"],
                "catalog_object_id": sold["catalog_object_id"], "catalog_version": 1,
                "variation_name": sold["variation_name"], "item_type": "ITEM",
                "base_price_money": sold["base_price_money"],
                "variation_total_price_money": sold["variation_total_price_money"],
                "gross_return_money": sold["total_money"], "total_tax_money": money(0),
                "total_discount_money": money(0), "total_money": sold["total_money"],
            })
        record = {"id": return_id, "location_id": location.square_location_id, "source": _SOURCE}
        if order.with_profile:
            record["customer_id"] = self.customer_id(order.person)
        record.update({
            "returns": [{"uid": ids.square_id(self.seed, "return-uid", order.key, 22), "source_order_id": source_id,
                         "return_line_items": return_items, "return_amounts": self.amounts(amount)}],
            "return_amounts": self.amounts(amount),
            "net_amounts": {**self.amounts(0), "total_money": money(-amount)},
            "refunds": [{"id": self.refund_id(order), "location_id": location.square_location_id,
                         "transaction_id": source_id, "tender_id": self.payment_id(order), "created_at": created,
                         "reason": "Returned goods", "amount_money": money(amount), "status": "APPROVED"}],
            "created_at": created, "updated_at": created, "closed_at": created, "state": "COMPLETED", "version": 3,
            "total_money": money(0), "total_tax_money": money(0), "total_discount_money": money(0),
            "total_tip_money": money(0), "total_service_charge_money": money(0),
            "net_amount_due_money": money(0),
        })
        person_id = self.person_id(order.person)
        self.ledger.own("square", "orders", return_id, person_id)
        self.ledger.touch(Touchpoint(person_id, "store", "return", refund.created, "square", return_id,
                                     -amount / 100, location.square_location_id, source_id,
                                     order.lines[refund.line_indexes[0]].sku, "in_store"))
        return record

    def payments(self) -> list[dict]:
        records = []
        for order in self.sales():
            payment_id = self.payment_id(order)
            total = sum(line.cents for line in order.lines)
            created = self.ts(order.created, ("o", order.key))
            returned = self.returned(order)
            record = {"id": payment_id, "created_at": created,
                      "updated_at": self.ts(order.refund.created, ("r", order.key)) if returned else created,
                      "amount_money": money(total), "total_money": money(total), "approved_money": money(total),
                      "status": "COMPLETED", "source_type": order.tender}
            if order.tender == "CARD":
                record["card_details"] = {"status": "CAPTURED", "card": self.card(order), "entry_method": "EMV",
                                          "cvv_status": "CVV_NOT_CHECKED", "avs_status": "AVS_NOT_CHECKED",
                                          "statement_description": "SQ *LARKSPUR SUPPLY"}
            else:
                record["cash_details"] = {"buyer_supplied_money": money(-(-total // 2000) * 2000),
                                          "change_back_money": money(-(-total // 2000) * 2000 - total)}
            record["location_id"] = self.world.locations[order.location].square_location_id
            record["order_id"] = self.order_id(order)
            if order.with_profile:
                record["customer_id"] = self.customer_id(order.person)
            if returned:
                record["refund_ids"] = [self.refund_id(order)]
                record["refunded_money"] = money(self.refund_cents(order))
            record["receipt_number"] = payment_id[:4]
            record["receipt_url"] = f"https://squareup.com/receipt/preview/{payment_id}"
            record["version_token"] = ids.square_id(self.seed, "payment-version", (order.key, returned), 40)
            records.append(record)
            self.ledger.own("square", "payments", payment_id, self.person_id(order.person))
        return records

    def refunds(self) -> list[dict]:
        records = []
        for order in self.sales():
            if not self.returned(order):
                continue
            created = self.ts(order.refund.created, ("r", order.key))
            refund_id = self.refund_id(order)
            records.append({
                "id": refund_id, "status": "COMPLETED",
                "location_id": self.world.locations[order.refund.location].square_location_id,
                "destination_type": order.tender, "amount_money": money(self.refund_cents(order)),
                "payment_id": self.payment_id(order), "order_id": self.return_order_id(order),
                "reason": "Returned goods", "created_at": created, "updated_at": created,
            })
            self.ledger.own("square", "refunds", refund_id, self.person_id(order.person))
        records.sort(key=lambda r: (r["created_at"], r["id"]))
        return records

    # --- loyalty ----------------------------------------------------------------------------------
    def loyalty_accounts(self) -> list[dict]:
        """One account per phone number; owner = whoever enrolled first; points from every linked sale."""
        accounts: dict[str, dict] = {}
        for order in self.sales():
            if not order.with_loyalty:
                continue
            phone = self.people[order.person].phone
            account = accounts.setdefault(phone, {"owner": order, "points": 0, "last": order})
            account["points"] += sum(line.cents for line in order.lines) // 100
            account["last"] = order
        records = []
        for phone, account in sorted(accounts.items(), key=lambda item: item[1]["owner"].key):
            first = account["owner"]
            account_id = ids.uuid_id(self.seed, "loyalty-account", phone)
            enrolled = self.ts(first.created, ("o", first.key))
            records.append({
                "id": account_id, "program_id": SQUARE_LOYALTY_PROGRAM_ID,
                "balance": account["points"] % 200, "lifetime_points": account["points"],
                "customer_id": self.customer_id(first.person), "enrolled_at": enrolled, "created_at": enrolled,
                "updated_at": self.ts(account["last"].created, ("o", account["last"].key)),
                "mapping": {"id": ids.uuid_id(self.seed, "loyalty-mapping", phone), "created_at": enrolled,
                            "phone_number": phone},
            })
            self.ledger.own("square", "loyalty_accounts", account_id, self.person_id(first.person))
        return records
