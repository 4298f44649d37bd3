"""Square API v2 objects: catalog, customers, orders (sales and returns), payments, refunds, loyalty.

Square money is integer minor units in {"amount", "currency"} (the currency of the store's location),
quantities are strings, timestamps RFC 3339 UTC with milliseconds, and absent optional fields are
omitted. Order lines point at the catalog: `catalog_object_id` is an ITEM_VARIATION id and
`variation_name` a display label ("Regular"); the SKU lives only in the catalog. The dialect decides
the money on a sale: tax added on top or included in the shelf price (`taxes[].type`), a loyalty or
staff discount, a tip or a service charge. `total_money` = lines after discounts + additive tax +
service charges + tip. A store return is a new order whose `returns[]` point at the sale
(`source_order_id`), a PaymentRefund on the sale's payment, and the sale's payment gains
`refund_ids`/`refunded_money` (its `updated_at` moves). Loyalty accounts are keyed by phone (Square
allows one per number), so family members sharing a phone earn points on one account. The directory
also holds profiles that never buy (sign-ups, staff-typed, junk), as real Square directories do.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from sandbox.world import ids
from sandbox.world.catalog import variation_label
from sandbox.world.ledger import Ledger, Touchpoint
from sandbox.world.model import Activity, DirectoryProfile, SquareProfile, StoreOrder
from sandbox.world.output import utc_millis
from sandbox.world.people import Person
from sandbox.world.settings import CURRENCY, SQUARE_LOYALTY_PROGRAM_ID
from sandbox.world.simulate import World

_CARD_BRANDS = ("VISA", "VISA", "MASTERCARD", "AMERICAN_EXPRESS", "DISCOVER")
_SOURCE = {"name": "Square Point of Sale"}
_DISCOUNTS = (("Loyalty reward", 10), ("Staff discount", 20))
_SERVICE_CHARGE = ("Gift wrapping", 500)
_TIP_PERCENTS = (10, 15, 18, 20)
CATALOG_VERSION = 1_761_950_000_000  # Square catalog versions are large millisecond-like integers


def money(cents: int, currency: str = CURRENCY) -> dict:
    return {"amount": cents, "currency": currency}


@dataclass(frozen=True)
class LineMoney:
    gross: int  # quantity x shelf price
    discount: int
    tax: int  # added on top (additive) or contained in the price (inclusive)
    total: int  # what the line costs the shopper

    @property
    def net(self) -> int:
        """Net merchandise: after discounts, before tax."""
        return self.total - self.tax


@dataclass(frozen=True)
class SaleMoney:
    """A store sale's amounts, decided once from the dialect and the sale's key."""

    currency: str
    lines: tuple[LineMoney, ...]
    discount: tuple[str, int] | None  # (name, percent)
    tax_type: str | None  # ADDITIVE | INCLUSIVE | None
    service_charge: int
    tip: int

    @property
    def tax(self) -> int:
        return sum(line.tax for line in self.lines)

    @property
    def discount_total(self) -> int:
        return sum(line.discount for line in self.lines)

    @property
    def net(self) -> int:
        """Revenue on the documented basis: after discounts, before tax, tips and service charges."""
        return sum(line.net for line in self.lines)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines) + self.service_charge + self.tip


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


class SquareRenderer:
    """Renders Square records as of `cut` and notes their truth."""

    def __init__(self, world: World, activity: Activity, people: dict[int, Person], cut: int, ledger: Ledger):
        self.world, self.activity, self.people, self.cut, self.ledger = world, activity, people, cut, ledger
        self.seed = world.seed
        self.products = {p.sku: p for p in world.products}
        self._cards: dict[int, dict] = {}
        self._money: dict[tuple, SaleMoney] = {}

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

    def currency(self, order: StoreOrder) -> str:
        return self.world.locations[order.location].currency

    # --- catalog ----------------------------------------------------------------------------------
    def item_id(self, product) -> str:
        return ids.square_id(self.seed, "catalog-item", product.index, 24)

    def catalog(self) -> list[dict]:
        """CatalogObject ITEMs, each with its one ITEM_VARIATION nested (the SKU is only here)."""
        updated = utc_millis(self.world.start_ts - 200 * 86_400)
        foreign = [loc for loc in self.world.locations if loc.currency != CURRENCY]
        day = self.world.start
        records = []
        for product in self.world.products:
            item_id = self.item_id(product)
            variation_data = {"item_id": item_id, "name": variation_label(product), "sku": product.sku, "ordinal": 0,
                              "pricing_type": "FIXED_PRICING", "price_money": money(product.list_cents)}
            if foreign:  # a store abroad sells at its own price in its own currency
                variation_data["location_overrides"] = [
                    {"location_id": loc.square_location_id, "pricing_type": "FIXED_PRICING",
                     "price_money": money(self.world.prices.store_price(product.sku, day, loc.currency), loc.currency)}
                    for loc in foreign]
            variation = {"type": "ITEM_VARIATION", "id": product.square_variation_id, "updated_at": updated,
                         "version": CATALOG_VERSION + product.index, "is_deleted": False,
                         "present_at_all_locations": True, "item_variation_data": variation_data}
            records.append({
                "type": "ITEM", "id": item_id, "updated_at": updated, "version": CATALOG_VERSION + product.index,
                "is_deleted": False, "present_at_all_locations": True,
                "item_data": {"name": product.title, "description": f"{product.title} by {self.world.brand.name}",
                              "is_taxable": self.world.dialect.store_tax != "none", "product_type": "REGULAR",
                              "variations": [variation]},
            })
        return records

    # --- customers --------------------------------------------------------------------------------
    def customers(self) -> list[dict]:
        """Profiles cashiers attached to sales, and directory profiles that never buy, in creation order."""
        entries = [((p.created, p.person, 0), p) for p in self.activity.square_profiles.values()]
        entries += [((p.created, -1 if p.person is None else p.person, 1, p.key), p)
                    for p in self.activity.directory_profiles]
        records = []
        for _, profile in sorted(entries, key=lambda entry: entry[0]):
            if profile.created < self.cut:
                records.append(self.customer(profile) if isinstance(profile, SquareProfile)
                               else self.directory_customer(profile))
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

    def directory_customer(self, profile: DirectoryProfile) -> dict:
        customer_id = ids.square_id(self.seed, "square-directory-customer", profile.key, 26)
        created = self.ts(profile.created, ("d", profile.key))
        record = {"id": customer_id, "created_at": created, "updated_at": created}
        for key, value in (("given_name", profile.given_name), ("family_name", profile.family_name),
                           ("email_address", profile.email), ("phone_number", profile.phone)):
            if value:
                record[key] = value
        record["preferences"] = {"email_unsubscribed": profile.source == "EMAIL_COLLECTION"}
        record["creation_source"] = profile.source
        record["version"] = 0
        owner = None if profile.person is None else self.person_id(profile.person)
        self.ledger.own("square", "customers", customer_id, owner)
        return record

    # --- money ------------------------------------------------------------------------------------
    def sale_money(self, order: StoreOrder) -> SaleMoney:
        """Discount, tax, tip or service charge of a sale: drawn from its key, so stable under later as_of."""
        if order.key not in self._money:
            self._money[order.key] = self._sale_money(order)
        return self._money[order.key]

    def _sale_money(self, order: StoreOrder) -> SaleMoney:
        dialect = self.world.dialect
        draw = ids.digest(self.seed, "sale-money", order.key, 4)
        discount = None
        if draw[0] / 256 < dialect.store_discount_share:
            discount = _DISCOUNTS[draw[1] % len(_DISCOUNTS)]
        lines = []
        for line in order.lines:
            off = _round(Decimal(line.cents) * discount[1] / 100) if discount else 0
            price = line.cents - off
            tax = dialect.tax_on(price)
            lines.append(LineMoney(line.cents, off, tax, price + tax if dialect.tax_added else price))
        tip = service = 0
        if draw[2] / 256 < dialect.store_tip_share:
            if order.tender == "CARD" and draw[3] % 2 == 0:
                tip = _round(Decimal(sum(x.total for x in lines)) * _TIP_PERCENTS[draw[3] // 2 % 4] / 100)
            else:
                service = _SERVICE_CHARGE[1]
        tax_type = {"additive": "ADDITIVE", "inclusive": "INCLUSIVE"}.get(dialect.store_tax)
        return SaleMoney(self.currency(order), tuple(lines), discount, tax_type, service, tip)

    def amounts(self, total: int, currency: str, tax: int = 0, discount: int = 0, tip: int = 0,
                service: int = 0) -> dict:
        return {"total_money": money(total, currency), "tax_money": money(tax, currency),
                "discount_money": money(discount, currency), "tip_money": money(tip, currency),
                "service_charge_money": money(service, currency)}

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

    def uids(self, order: StoreOrder) -> tuple[str, str]:
        """(tax uid, discount uid) of a sale's order-level tax and discount."""
        return (ids.square_id(self.seed, "tax-uid", order.key, 22), ids.square_id(self.seed, "discount-uid", order.key, 22))

    def line_items(self, order: StoreOrder) -> list[dict]:
        sale = self.sale_money(order)
        c = sale.currency
        tax_uid, discount_uid = self.uids(order)
        items = []
        for i, (line, amounts) in enumerate(zip(order.lines, sale.lines, strict=True)):
            product = self.products[line.sku]
            item = {
                "uid": ids.square_id(self.seed, "line-uid", (order.key, i), 22), "name": product.title,
                "quantity": str(line.quantity), "catalog_object_id": product.square_variation_id,
                "catalog_version": CATALOG_VERSION + product.index, "variation_name": variation_label(product),
                "item_type": "ITEM",
            }
            if sale.tax_type:
                item["applied_taxes"] = [{"uid": ids.square_id(self.seed, "applied-tax", (order.key, i), 22),
                                          "tax_uid": tax_uid, "applied_money": money(amounts.tax, c)}]
            if sale.discount:
                item["applied_discounts"] = [{"uid": ids.square_id(self.seed, "applied-discount", (order.key, i), 22),
                                              "discount_uid": discount_uid, "applied_money": money(amounts.discount, c)}]
            item.update({
                "base_price_money": money(line.unit_cents, c), "variation_total_price_money": money(line.cents, c),
                "gross_sales_money": money(line.cents, c), "total_tax_money": money(amounts.tax, c),
                "total_discount_money": money(amounts.discount, c), "total_money": money(amounts.total, c),
            })
            items.append(item)
        return items

    def orders(self) -> list[dict]:
        records = []
        for order in self.sales():
            records.append(self.sale_order(order))
            if self.returned(order):
                records.append(self.return_order(order))
        records.sort(key=lambda r: (r["created_at"], r["id"]))
        return records

    def order_adjustments(self, order: StoreOrder) -> dict:
        """The order-level taxes[], discounts[] and service_charges[] a sale carries (omitted when none)."""
        sale = self.sale_money(order)
        c = sale.currency
        tax_uid, discount_uid = self.uids(order)
        found = {}
        if sale.tax_type:
            found["taxes"] = [{"uid": tax_uid, "name": "VAT" if sale.tax_type == "INCLUSIVE" else "Sales Tax",
                               "percentage": self.world.dialect.tax_percent, "type": sale.tax_type,
                               "applied_money": money(sale.tax, c), "scope": "ORDER"}]
        if sale.discount:
            found["discounts"] = [{"uid": discount_uid, "name": sale.discount[0], "type": "FIXED_PERCENTAGE",
                                   "percentage": str(sale.discount[1]), "applied_money": money(sale.discount_total, c),
                                   "scope": "ORDER"}]
        if sale.service_charge:
            charge = money(sale.service_charge, c)
            found["service_charges"] = [{"uid": ids.square_id(self.seed, "service-charge", order.key, 22),
                                         "name": _SERVICE_CHARGE[0], "amount_money": charge, "applied_money": charge,
                                         "calculation_phase": "SUBTOTAL_PHASE", "taxable": False,
                                         "total_money": charge, "total_tax_money": money(0, c), "type": "CUSTOM"}]
        return found

    def sale_order(self, order: StoreOrder) -> dict:
        order_id, payment_id = self.order_id(order), self.payment_id(order)
        sale = self.sale_money(order)
        c, total = sale.currency, sale.total
        location = self.world.locations[order.location]
        created = self.ts(order.created, ("o", order.key))
        tender = {"id": payment_id, "location_id": location.square_location_id, "transaction_id": order_id,
                  "created_at": created, "amount_money": money(total, c)}
        if sale.tip:
            tender["tip_money"] = money(sale.tip, c)
        tender["type"] = order.tender
        if order.with_profile:
            tender["customer_id"] = self.customer_id(order.person)
        if order.tender == "CARD":
            tender["card_details"] = {"status": "CAPTURED", "card": self.card(order), "entry_method": "EMV"}
        else:
            tender["cash_details"] = {"buyer_tendered_money": money(-(-total // 2000) * 2000, c),
                                      "change_back_money": money(-(-total // 2000) * 2000 - total, c)}
        tender["payment_id"] = payment_id
        record = {"id": order_id, "location_id": location.square_location_id, "source": _SOURCE}
        if order.with_profile:
            record["customer_id"] = self.customer_id(order.person)
        record["line_items"] = self.line_items(order)
        record.update(self.order_adjustments(order))
        record.update({
            "net_amounts": self.amounts(total, c, sale.tax, sale.discount_total, sale.tip, sale.service_charge),
            "tenders": [tender],
            "created_at": created, "updated_at": created, "closed_at": created,
            "state": "COMPLETED", "version": 4,
            "total_money": money(total, c), "total_tax_money": money(sale.tax, c),
            "total_discount_money": money(sale.discount_total, c), "total_tip_money": money(sale.tip, c),
            "total_service_charge_money": money(sale.service_charge, c),
            "net_amount_due_money": money(0, c),
        })
        person_id = self.person_id(order.person)
        self.ledger.own("square", "orders", order_id, person_id)
        self.ledger.touch(Touchpoint(person_id, "store", "purchase", order.created, "square", order_id,
                                     sale.net / 100, location.square_location_id, order_id, order.lines[0].sku,
                                     "in_store", currency=c))
        return record

    def returned_lines(self, order: StoreOrder) -> list[LineMoney]:
        sale = self.sale_money(order)
        return [sale.lines[i] for i in order.refund.line_indexes]

    def refund_cents(self, order: StoreOrder) -> int:
        """Money back: the returned lines as paid (after discount, with their tax); tips stay with the staff."""
        return sum(line.total for line in self.returned_lines(order))

    def return_order(self, order: StoreOrder) -> dict:
        refund = order.refund
        sale = self.sale_money(order)
        c = sale.currency
        return_id, source_id = self.return_order_id(order), self.order_id(order)
        location = self.world.locations[refund.location]
        created = self.ts(refund.created, ("r", order.key))
        lines = self.returned_lines(order)
        amount, tax, discount = (sum(x.total for x in lines), sum(x.tax for x in lines),
                                 sum(x.discount for x in lines))
        sale_items = self.line_items(order)
        return_items = []
        for i in refund.line_indexes:
            sold = sale_items[i]
            return_items.append({
                "uid": ids.square_id(self.seed, "return-line-uid", (order.key, i), 22),
                "source_line_item_uid": sold["uid"], "name": sold["name"], "quantity": sold["quantity"],
                "catalog_object_id": sold["catalog_object_id"], "catalog_version": sold["catalog_version"],
                "variation_name": sold["variation_name"], "item_type": "ITEM",
                "base_price_money": sold["base_price_money"],
                "variation_total_price_money": sold["variation_total_price_money"],
                "gross_return_money": sold["gross_sales_money"], "total_tax_money": sold["total_tax_money"],
                "total_discount_money": sold["total_discount_money"], "total_money": sold["total_money"],
            })
        record = {"id": return_id, "location_id": location.square_location_id, "source": _SOURCE}
        if order.with_profile:
            record["customer_id"] = self.customer_id(order.person)
        returned = self.amounts(amount, c, tax, discount)
        record.update({
            "returns": [{"uid": ids.square_id(self.seed, "return-uid", order.key, 22), "source_order_id": source_id,
                         "return_line_items": return_items, "return_amounts": returned}],
            "return_amounts": returned,
            "net_amounts": {**self.amounts(0, c, -tax, -discount), "total_money": money(-amount, c)},
            "refunds": [{"id": self.refund_id(order), "location_id": location.square_location_id,
                         "transaction_id": source_id, "tender_id": self.payment_id(order), "created_at": created,
                         "reason": "Returned goods", "amount_money": money(amount, c), "status": "APPROVED"}],
            "created_at": created, "updated_at": created, "closed_at": created, "state": "COMPLETED", "version": 3,
            "total_money": money(0, c), "total_tax_money": money(0, c), "total_discount_money": money(0, c),
            "total_tip_money": money(0, c), "total_service_charge_money": money(0, c),
            "net_amount_due_money": money(0, c),
        })
        person_id = self.person_id(order.person)
        self.ledger.own("square", "orders", return_id, person_id)
        self.ledger.touch(Touchpoint(person_id, "store", "return", refund.created, "square", return_id,
                                     -sum(x.net for x in lines) / 100, location.square_location_id, source_id,
                                     order.lines[refund.line_indexes[0]].sku, "in_store", currency=c))
        return record

    def payments(self) -> list[dict]:
        records = []
        for order in self.sales():
            payment_id = self.payment_id(order)
            sale = self.sale_money(order)
            c, total = sale.currency, sale.total
            created = self.ts(order.created, ("o", order.key))
            returned = self.returned(order)
            record = {"id": payment_id, "created_at": created,
                      "updated_at": self.ts(order.refund.created, ("r", order.key)) if returned else created,
                      "amount_money": money(total - sale.tip, c)}
            if sale.tip:
                record["tip_money"] = money(sale.tip, c)
            record.update({"total_money": money(total, c), "approved_money": money(total - sale.tip, c),
                           "status": "COMPLETED", "source_type": order.tender})
            if order.tender == "CARD":
                record["card_details"] = {"status": "CAPTURED", "card": self.card(order), "entry_method": "EMV",
                                          "cvv_status": "CVV_NOT_CHECKED", "avs_status": "AVS_NOT_CHECKED",
                                          "statement_description": f"SQ *{self.world.brand.name.upper()[:17]}"}
            else:
                record["cash_details"] = {"buyer_supplied_money": money(-(-total // 2000) * 2000, c),
                                          "change_back_money": money(-(-total // 2000) * 2000 - total, c)}
            record["location_id"] = self.world.locations[order.location].square_location_id
            record["order_id"] = self.order_id(order)
            if order.with_profile:
                record["customer_id"] = self.customer_id(order.person)
            if returned:
                record["refund_ids"] = [self.refund_id(order)]
                record["refunded_money"] = money(self.refund_cents(order), c)
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
                "destination_type": order.tender,
                "amount_money": money(self.refund_cents(order), self.currency(order)),
                "payment_id": self.payment_id(order), "order_id": self.return_order_id(order),
                "reason": "Returned goods", "created_at": created, "updated_at": created,
            })
            self.ledger.own("square", "refunds", refund_id, self.person_id(order.person))
        records.sort(key=lambda r: (r["created_at"], r["id"]))
        return records

    # --- loyalty ----------------------------------------------------------------------------------
    def loyalty_accounts(self) -> list[dict]:
        """One account per phone number; owner = whoever enrolled first; a point per whole unit of net sales."""
        accounts: dict[str, dict] = {}
        for order in self.sales():
            if not order.with_loyalty:
                continue
            phone = self.people[order.person].phone
            account = accounts.setdefault(phone, {"owner": order, "points": 0, "last": order})
            account["points"] += self.sale_money(order).net // 100
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
