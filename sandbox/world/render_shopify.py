"""Shopify Admin REST 2024-04 objects: customers, orders (refunds, fulfilments), fulfillment orders,
checkouts, products.

Shapes follow shared/design/SOURCE_CONTRACTS.md: integer ids, `admin_graphql_api_id`, shop-local
timestamps with offset, money as two-decimal strings (numbers inside refunds), every key present.
Shopify enforces one customer per e-mail, so account orders of everyone using the same address share
one customer; every guest checkout creates a new customer, as Shopify does.

Fulfillment orders are Shopify's record of where an order WILL be fulfilled and how it is handed over
(`delivery_method.method_type` `pick_up` or `shipping`, `assigned_location_id`): Shopify creates them
with the order, so they say "pickup at store X" before any fulfilment exists, when the order itself
only has a free-text shipping line.
"""

from dataclasses import dataclass
from datetime import timedelta

from sandbox.world.catalog import SHOPIFY_WAREHOUSE_ID, Location, Product
from sandbox.world.ids import digest, sequential_ids
from sandbox.world.ledger import Ledger, Touchpoint
from sandbox.world.model import AbandonedCheckout, Activity, WebOrder
from sandbox.world.output import money, shop_time
from sandbox.world.people import Person
from sandbox.world.render_places import shopify_locations, shopify_name
from sandbox.world.settings import CURRENCY, SHOPIFY_SHOP_ID, epoch
from sandbox.world.simulate import World, shop_day

_ORDER_NUMBER_BASE = 1001


def gid(kind: str, value: int) -> str:
    return f"gid://shopify/{kind}/{value}"


@dataclass
class _Customer:
    key: tuple
    person: int  # the person who created it (truth owner)
    email: str
    first_name: str
    last_name: str
    phone: str | None
    is_account: bool
    orders: list[WebOrder]


@dataclass
class ShopifyIds:
    """Integer ids for every simulated Shopify record, in creation order (stable under later as_of)."""

    customers: dict[tuple, int]
    orders: dict[tuple, int]
    checkouts: dict[tuple, int]
    refunds: dict[tuple, int]
    line_items: dict[tuple, int]
    fulfillments: dict[tuple, int]
    fulfillment_orders: dict[tuple, int]  # order key -> its (one) fulfillment order, created with the order
    customer_of_order: dict[tuple, tuple]
    customer_of_checkout: dict[tuple, tuple]
    account_customer: dict[str, tuple]  # normalised e-mail -> customer key
    customer_records: list[_Customer]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def assign_ids(world: World, activity: Activity, people: dict[int, Person]) -> ShopifyIds:
    """Group orders into customers (accounts by e-mail, a fresh one per guest order) and number all."""
    customers: dict[tuple, _Customer] = {}
    account_customer: dict[str, tuple] = {}
    of_order: dict[tuple, tuple] = {}
    of_checkout: dict[tuple, tuple] = {}
    events: list[tuple[int, object]] = [(o.created, o) for o in activity.web_orders]
    events += [(c.created, c) for c in activity.checkouts]
    for _, record in sorted(events, key=lambda item: (item[0], item[1].key)):
        if record.account_email:
            email = normalise_email(record.account_email)
            if email not in account_customer:
                person = people[record.person]
                key = (record.created, record.person, record.key[2], "account")
                phone = person.phone if digest(world.seed, "acct-phone", email, 1)[0] < 128 else None
                # An order carries the names as typed; a checkout-created account takes the person's.
                first, last = ((record.first_name, record.last_name) if isinstance(record, WebOrder)
                               else (person.first_name, person.last_name))
                customers[key] = _Customer(key, record.person, email, first, last, phone, True, [])
                account_customer[email] = key
            customer_key = account_customer[email]
        elif isinstance(record, WebOrder):
            customer_key = (record.created, record.person, record.key[2], "guest")
            customers[customer_key] = _Customer(customer_key, record.person, normalise_email(record.email),
                                                record.first_name, record.last_name.strip(), None, False, [])
        else:
            continue
        if isinstance(record, WebOrder):
            customers[customer_key].orders.append(record)
            of_order[record.key] = customer_key
        else:
            of_checkout[record.key] = customer_key
    orders, refunds = activity.web_orders, [o for o in activity.web_orders if o.refund]
    return ShopifyIds(
        customers=sequential_ids(list(customers), 7_460_110_000_000, world.seed, "shopify-customer"),
        orders=sequential_ids([o.key for o in orders], 5_870_400_000_000, world.seed, "shopify-order"),
        checkouts=sequential_ids([c.key for c in activity.checkouts], 34_510_200_000_000, world.seed,
                                 "shopify-checkout"),
        refunds=sequential_ids([(o.refund.created, o.key) for o in refunds], 1_020_300_000_000, world.seed,
                               "shopify-refund"),
        line_items=sequential_ids([(o.key, i) for o in orders for i in range(len(o.lines))], 14_800_000_000_000,
                                  world.seed, "shopify-line"),
        fulfillments=sequential_ids([(o.fulfilled_at, o.key) for o in orders if o.fulfilled_at],
                                    5_300_100_000_000, world.seed, "shopify-fulfillment"),
        fulfillment_orders=sequential_ids([o.key for o in orders], 6_250_700_000_000, world.seed,
                                          "shopify-fulfillment-order"),
        customer_of_order=of_order, customer_of_checkout=of_checkout, account_customer=account_customer,
        customer_records=list(customers.values()),
    )


class ShopifyRenderer:
    """Renders Shopify records as of `cut` (epoch seconds, exclusive) and notes their truth."""

    def __init__(self, world: World, activity: Activity, shopify_ids: ShopifyIds, people: dict[int, Person],
                 cut: int, ledger: Ledger):
        self.world, self.activity, self.ids, self.people, self.cut = world, activity, shopify_ids, people, cut
        self.ledger = ledger
        self.products = {p.sku: p for p in world.products}
        self.order_rank = {key: rank for rank, key in enumerate(sorted(shopify_ids.orders))}
        self.customers_by_key = {c.key: c for c in shopify_ids.customer_records}
        self.shopify_locations = {record["id"]: record for record in shopify_locations(world)}

    def person_id(self, index: int) -> str:
        return self.people[index].person_id

    # --- customers --------------------------------------------------------------------------------
    def customers(self) -> list[dict]:
        records = []
        for customer in sorted(self.ids.customer_records, key=lambda c: c.key):
            if customer.key[0] >= self.cut:
                continue
            customer_id = self.ids.customers[customer.key]
            placed = [o for o in customer.orders if o.created < self.cut]
            counted = [o for o in placed if not self.is_cancelled(o)]
            updated = max([customer.key[0]] + [o.created for o in placed])
            last = placed[-1] if placed else None
            records.append({
                "id": customer_id,
                "email": customer.email,
                "created_at": shop_time(customer.key[0]),
                "updated_at": shop_time(updated),
                "first_name": customer.first_name,
                "last_name": customer.last_name,
                "orders_count": len(counted),
                "state": "enabled" if customer.is_account else "disabled",
                "total_spent": money(sum(self.order_total(o) for o in counted)),
                "last_order_id": self.ids.orders[last.key] if last else None,
                "note": None,
                "verified_email": customer.is_account,
                "multipass_identifier": None,
                "tax_exempt": False,
                "tags": "",
                "last_order_name": self.order_name(last) if last else None,
                "currency": CURRENCY,
                "phone": customer.phone,
                "addresses": [self.address(customer, customer_id)],
                "tax_exemptions": [],
                "email_marketing_consent": None,
                "sms_marketing_consent": None,
                "admin_graphql_api_id": gid("Customer", customer_id),
                "default_address": self.address(customer, customer_id),
            })
            self.ledger.own("shopify", "customers", customer_id, self.person_id(customer.person))
        return records

    def address(self, customer: _Customer, customer_id: int) -> dict:
        location = self.world.locations[self.people[customer.person].home_location]
        return {
            "id": customer_id + 1_000_000_000_000, "customer_id": customer_id, "first_name": customer.first_name,
            "last_name": customer.last_name, "company": None, "address1": None, "address2": None,
            "city": location.city, "province": location.state_name,
            "country": location.country_name, "zip": location.postal_code, "phone": None,
            "name": f"{customer.first_name} {customer.last_name}",
            "province_code": location.state, "country_code": location.country,
            "country_name": location.country_name, "default": True,
        }

    def nested_customer(self, customer_key: tuple) -> dict:
        customer = self.customers_by_key[customer_key]
        customer_id = self.ids.customers[customer_key]
        return {
            "id": customer_id, "email": customer.email, "created_at": shop_time(customer.key[0]),
            "updated_at": shop_time(customer.key[0]), "first_name": customer.first_name,
            "last_name": customer.last_name, "state": "enabled" if customer.is_account else "disabled",
            "note": None, "verified_email": customer.is_account, "multipass_identifier": None,
            "tax_exempt": False, "phone": customer.phone, "currency": CURRENCY, "tags": "",
            "admin_graphql_api_id": gid("Customer", customer_id),
            "default_address": self.address(customer, customer_id),
        }

    # --- orders -----------------------------------------------------------------------------------
    def is_cancelled(self, order: WebOrder) -> bool:
        return order.cancelled_at is not None and order.cancelled_at < self.cut

    def order_total(self, order: WebOrder) -> int:
        tax = sum(self.line_taxes(order)) if self.world.dialect.tax_added else 0
        return order.subtotal_cents + order.shipping_cents + tax

    def line_nets(self, order: WebOrder) -> list[int]:
        """Each line's share of the discounted subtotal (the order's discount spread by value)."""
        merchandise = sum(line.cents for line in order.lines)
        shares = [round(order.discount_cents * line.cents / merchandise) for line in order.lines[:-1]]
        shares.append(order.discount_cents - sum(shares))
        return [line.cents - share for line, share in zip(order.lines, shares, strict=True)]

    def line_taxes(self, order: WebOrder) -> list[int]:
        """Tax per line, charged the way the merchant's stores charge it (added on top or included)."""
        return [self.world.dialect.tax_on(cents) for cents in self.line_nets(order)]

    def tax_lines(self, cents: int) -> list[dict]:
        dialect = self.world.dialect
        if dialect.store_tax == "none":
            return []
        return [{"price": money(cents), "rate": float(dialect.tax_percent) / 100,
                 "title": "VAT" if dialect.store_tax == "inclusive" else "Sales Tax"}]

    def net_cents(self, nets: list[int], taxes: list[int]) -> int:
        """Net merchandise of some lines: their discounted value without tax (inclusive tax taken out)."""
        return sum(nets) - (sum(taxes) if self.world.dialect.store_tax == "inclusive" else 0)

    def order_name(self, order: WebOrder) -> str:
        return f"#{_ORDER_NUMBER_BASE + self.order_rank[order.key]}"

    def orders(self) -> list[dict]:
        return [self.order(o) for o in sorted(self.activity.web_orders, key=lambda o: o.key) if o.created < self.cut]

    def order(self, order: WebOrder) -> dict:
        cut = self.cut
        order_id = self.ids.orders[order.key]
        customer_key = self.ids.customer_of_order[order.key]
        cancelled = self.is_cancelled(order)
        fulfilled = order.fulfilled_at is not None and order.fulfilled_at < cut
        refund = order.refund if order.refund and order.refund.created < cut else None
        updates = [order.created] + [t for t in (order.cancelled_at, order.fulfilled_at) if t is not None and t < cut]
        if refund:
            updates.append(refund.created)
        location = self.world.locations[order.location] if order.location is not None else None
        merchandise = sum(line.cents for line in order.lines)
        taxes = self.line_taxes(order)
        line_items = [self.line_item(order, i, taxes[i]) for i in range(len(order.lines))]
        refunded_cents = self.refund_cents(order) if refund else 0
        person_id = self.person_id(order.person)
        record = {
            "id": order_id,
            "admin_graphql_api_id": gid("Order", order_id),
            "app_id": 580111,
            "browser_ip": None,
            "buyer_accepts_marketing": False,
            "cancel_reason": "customer" if cancelled else None,
            "cancelled_at": shop_time(order.cancelled_at) if cancelled else None,
            "cart_token": self.token("cart", order.key),
            "checkout_id": self.ids.checkouts.get(order.recovered_checkout) if order.recovered_checkout else None,
            "checkout_token": self.token("checkout", order.recovered_checkout or order.key),
            "closed_at": shop_time(order.fulfilled_at) if fulfilled else None,
            "confirmed": True,
            "contact_email": order.email,
            "created_at": shop_time(order.created),
            "currency": CURRENCY,
            "customer_locale": "en-US",
            "email": order.email,
            "financial_status": ("voided" if cancelled else "refunded" if refund and refunded_cents >= order.subtotal_cents
                                 else "partially_refunded" if refund else "paid"),
            "fulfillment_status": "fulfilled" if fulfilled else None,
            "landing_site": order.landing_site,
            "location_id": None,
            "name": self.order_name(order),
            "note": None,
            "number": self.order_rank[order.key] + 1,
            "order_number": _ORDER_NUMBER_BASE + self.order_rank[order.key],
            "payment_gateway_names": ["shopify_payments"],
            "phone": order.phone,
            "presentment_currency": CURRENCY,
            "processed_at": shop_time(order.created),
            "referring_site": order.referring_site,
            "source_name": "web",
            "subtotal_price": money(order.subtotal_cents),
            "tags": "",
            "tax_lines": self.tax_lines(sum(taxes)),
            "taxes_included": self.world.dialect.store_tax == "inclusive",
            "test": False,
            "token": self.token("order", order.key),
            "total_discounts": money(order.discount_cents),
            "total_line_items_price": money(merchandise),
            "total_price": money(self.order_total(order)),
            "total_tax": money(sum(taxes)),
            "total_weight": 0,
            "updated_at": shop_time(max(updates)),
            "customer": self.nested_customer(customer_key),
            "discount_codes": ([{"code": order.discount_code, "amount": money(order.discount_cents),
                                 "type": "percentage"}] if order.discount_code else []),
            "line_items": line_items,
            "shipping_lines": [self.shipping_line(order, location)],
            "fulfillments": [self.fulfillment(order, order_id, line_items)] if fulfilled else [],
            "refunds": [self.refund(order, order_id, line_items)] if refund else [],
            "shipping_address": None if order.fulfilment == "pickup_in_store" else self.shipping_address(order),
        }
        self.ledger.own("shopify", "orders", order_id, person_id)
        if not cancelled:
            self.ledger.touch(Touchpoint(
                person_id, "web", "purchase", order.created, "shopify", str(order_id),
                self.net_cents(self.line_nets(order), taxes) / 100,
                location.square_location_id if location else None, str(order_id), order.lines[0].sku,
                order.fulfilment, order.campaign, CURRENCY,
            ))
        return record

    def token(self, kind: str, key: tuple) -> str:
        return digest(self.world.seed, f"shopify-{kind}-token", key, 16).hex()

    def line_item(self, order: WebOrder, i: int, tax: int) -> dict:
        line = order.lines[i]
        product = self.products[line.sku]
        line_id = self.ids.line_items[(order.key, i)]
        fulfilled = order.fulfilled_at is not None and order.fulfilled_at < self.cut
        return {
            "id": line_id, "admin_graphql_api_id": gid("LineItem", line_id),
            "fulfillable_quantity": 0 if fulfilled else line.quantity,
            "fulfillment_service": "manual", "fulfillment_status": "fulfilled" if fulfilled else None, "gift_card": False, "grams": 450,
            "name": product.title, "price": money(line.unit_cents), "product_exists": True,
            "product_id": product.shopify_product_id, "quantity": line.quantity, "requires_shipping": True,
            "sku": line.sku, "tax_lines": self.tax_lines(tax), "taxable": True, "title": product.title,
            "total_discount": "0.00",
            "variant_id": product.shopify_variant_id, "variant_title": None, "vendor": self.world.brand.name,
        }

    def shipping_line(self, order: WebOrder, location: Location | None) -> dict:
        shipping_id = self.ids.orders[order.key] + 3_000_000_000_000
        if order.fulfilment == "pickup_in_store" and location:
            code = title = self.pickup_title(order, location)
            source = "shopify"
        else:
            code, title, source = "Standard", "Standard Shipping", "shopify"
        return {"id": shipping_id, "carrier_identifier": None, "code": code, "discounted_price": money(order.shipping_cents),
                "price": money(order.shipping_cents), "source": source, "title": title,
                "requested_fulfillment_service_id": None}

    def pickup_title(self, order: WebOrder, location: Location) -> str:
        """The merchant's pickup-line title (free text: the location name by default, apps rename it)."""
        titles = self.world.dialect.pickup_titles
        template = titles[digest(self.world.seed, "pickup-title", order.key, 1)[0] % len(titles)]
        return template.format(name=shopify_name(self.world, location))

    def shipping_address(self, order: WebOrder) -> dict:
        location = self.world.locations[self.people[order.person].home_location]
        return {"first_name": order.first_name, "last_name": order.last_name, "address1": None,
                "city": location.city, "zip": location.postal_code, "country_code": location.country,
                "province_code": location.state,
                "phone": order.phone, "name": f"{order.first_name} {order.last_name}"}

    def fulfillment_location(self, order: WebOrder) -> int:
        if order.location is None:
            return SHOPIFY_WAREHOUSE_ID
        return self.world.locations[order.location].shopify_location_id

    def fulfillment(self, order: WebOrder, order_id: int, line_items: list[dict]) -> dict:
        fulfillment_id = self.ids.fulfillments[(order.fulfilled_at, order.key)]
        pickup = order.fulfilment == "pickup_in_store"
        return {
            "id": fulfillment_id, "admin_graphql_api_id": gid("Fulfillment", fulfillment_id), "order_id": order_id,
            "status": "success", "created_at": shop_time(order.fulfilled_at), "updated_at": shop_time(order.fulfilled_at),
            "location_id": self.fulfillment_location(order), "name": f"{self.order_name(order)}.1",
            "service": "manual", "shipment_status": "picked_up" if pickup else "delivered",
            "tracking_company": None if pickup else "USPS",
            "tracking_number": None if pickup else f"9400{digest(self.world.seed, 'track', order.key, 8).hex()[:18]}",
            "line_items": [{"id": li["id"], "sku": li["sku"], "quantity": li["quantity"]} for li in line_items],
        }

    # --- fulfillment orders -----------------------------------------------------------------------
    def fulfillment_orders(self) -> list[dict]:
        """One fulfillment order per order placed before the cut (GET orders/{id}/fulfillment_orders.json)."""
        placed = sorted((o for o in self.activity.web_orders if o.created < self.cut), key=lambda o: o.key)
        return [self.fulfillment_order(order) for order in placed]

    def fulfillment_order(self, order: WebOrder) -> dict:
        """The order's fulfillment order as of the cut: open until fulfilled, then closed; cancelled with
        the order. Pickup: `pick_up` at the store, no destination; ship from store: `shipping` assigned
        to the store; ship to home: `shipping` assigned to the fulfilment centre."""
        fo_id = self.ids.fulfillment_orders[order.key]
        cancelled = self.is_cancelled(order)
        fulfilled = order.fulfilled_at is not None and order.fulfilled_at < self.cut
        status = "cancelled" if cancelled else "closed" if fulfilled else "open"
        updated = order.cancelled_at if cancelled else order.fulfilled_at if fulfilled else order.created
        location_id = self.fulfillment_location(order)
        pickup = order.fulfilment == "pickup_in_store"
        location = self.shopify_locations[location_id]
        line_items = []
        for i, line in enumerate(order.lines):
            product = self.products[line.sku]
            line_items.append({
                "id": fo_id * 10 + i, "shop_id": SHOPIFY_SHOP_ID, "fulfillment_order_id": fo_id,
                "quantity": line.quantity, "line_item_id": self.ids.line_items[(order.key, i)],
                "inventory_item_id": product.shopify_variant_id + 11,
                "fulfillable_quantity": line.quantity if status == "open" else 0,
                "variant_id": product.shopify_variant_id,
            })
        return {
            "id": fo_id,
            "shop_id": SHOPIFY_SHOP_ID,
            "order_id": self.ids.orders[order.key],
            "assigned_location_id": location_id,
            "request_status": "unsubmitted",  # the only request status at a merchant-managed location
            "status": status,
            "supported_actions": ["create_fulfillment", "hold", "move"] if status == "open" else [],
            "destination": None if pickup else self.fulfillment_destination(order, fo_id),
            "line_items": line_items,
            "international_duties": None,
            "fulfill_at": shop_time(order.created - order.created % 3600),
            "fulfill_by": None,
            "fulfillment_holds": [],
            "created_at": shop_time(order.created),
            "updated_at": shop_time(updated),
            "delivery_method": {"id": fo_id + 2_000_000_000_000, "method_type": "pick_up" if pickup else "shipping",
                                "min_delivery_date_time": None, "max_delivery_date_time": None},
            "assigned_location": {
                "address1": location["address1"], "address2": location["address2"], "city": location["city"],
                "country_code": location["country_code"], "location_id": location_id, "name": location["name"],
                "phone": location["phone"], "province": location["province"], "zip": location["zip"],
            },
            "merchant_requests": [],
        }

    def fulfillment_destination(self, order: WebOrder, fo_id: int) -> dict:
        """Where the goods go: the order's shipping address in the FulfillmentOrderDestination shape."""
        home = self.world.locations[self.people[order.person].home_location]
        return {"id": fo_id + 1_000_000_000_000, "address1": None, "address2": None, "city": home.city,
                "company": None, "country": home.country_name, "email": order.email,
                "first_name": order.first_name, "last_name": order.last_name, "phone": order.phone,
                "province": home.state_name, "zip": home.postal_code}

    def refund_cents(self, order: WebOrder) -> int:
        """Money back for the returned lines: their share of the discounted subtotal, plus tax added on top."""
        nets, taxes = self.line_nets(order), self.line_taxes(order)
        back = sum(nets[i] for i in order.refund.line_indexes)
        return back + (sum(taxes[i] for i in order.refund.line_indexes) if self.world.dialect.tax_added else 0)

    def refund(self, order: WebOrder, order_id: int, line_items: list[dict]) -> dict:
        refund = order.refund
        refund_id = self.ids.refunds[(refund.created, order.key)]
        in_store = refund.channel == "store"
        location = self.world.locations[refund.location] if in_store else None
        restock_location = location.shopify_location_id if location else SHOPIFY_WAREHOUSE_ID
        total = self.refund_cents(order)
        nets, taxes = self.line_nets(order), self.line_taxes(order)
        refund_lines = []
        for i in refund.line_indexes:
            refund_lines.append({
                "id": refund_id * 10 + i, "line_item_id": line_items[i]["id"], "location_id": restock_location,
                "quantity": order.lines[i].quantity, "restock_type": "return", "subtotal": nets[i] / 100,
                "total_tax": taxes[i] / 100, "line_item": line_items[i],
            })
        returned_net = self.net_cents([nets[i] for i in refund.line_indexes], [taxes[i] for i in refund.line_indexes])
        self.ledger.own("shopify", "refunds", refund_id, self.person_id(order.person))
        self.ledger.touch(Touchpoint(
            self.person_id(order.person), "store" if in_store else "web", "return", refund.created, "shopify",
            str(refund_id), -returned_net / 100, location.square_location_id if location else None, str(order_id),
            order.lines[refund.line_indexes[0]].sku, order.fulfilment, currency=CURRENCY,
        ))
        return {
            "id": refund_id, "admin_graphql_api_id": gid("Refund", refund_id), "order_id": order_id,
            "created_at": shop_time(refund.created), "processed_at": shop_time(refund.created),
            "note": "Returned in store" if in_store else "Returned by mail", "restock": True, "user_id": None,
            "refund_line_items": refund_lines,
            "transactions": [{"id": refund_id + 7, "amount": money(total), "kind": "refund", "status": "success",
                              "gateway": "shopify_payments", "created_at": shop_time(refund.created),
                              "currency": CURRENCY}],
            "order_adjustments": [],
        }

    # --- abandoned checkouts ----------------------------------------------------------------------
    def checkouts(self) -> list[dict]:
        ordered = sorted(self.activity.checkouts, key=lambda c: c.key)
        return [self.checkout(checkout) for checkout in ordered if checkout.created < self.cut]

    def checkout(self, checkout: AbandonedCheckout) -> dict:
        checkout_id = self.ids.checkouts[checkout.key]
        completed = checkout.completed_at is not None and checkout.completed_at < self.cut
        customer_key = self.ids.customer_of_checkout.get(checkout.key)
        customer = (self.nested_customer(customer_key)
                    if customer_key and customer_key[0] < self.cut else None)
        merchandise = sum(line.cents for line in checkout.lines)
        tax = sum(self.world.dialect.tax_on(line.cents) for line in checkout.lines)
        token = self.token("checkout", checkout.key)
        person_id = self.person_id(checkout.person)
        self.ledger.own("shopify", "checkouts", checkout_id, person_id)
        self.ledger.touch(Touchpoint(person_id, "web", "cart_abandoned", checkout.created, "shopify",
                                     str(checkout_id), merchandise / 100, sku=checkout.lines[0].sku))
        return {
            "id": checkout_id,
            "token": token,
            "cart_token": self.token("cart", checkout.key),
            "email": checkout.email,
            "gateway": None,
            "buyer_accepts_marketing": False,
            "created_at": shop_time(checkout.created),
            "updated_at": shop_time(checkout.completed_at if completed else checkout.updated),
            "landing_site": checkout.landing_site,
            "note": None,
            "note_attributes": [],
            "referring_site": None,
            "shipping_lines": [{"id": f"shopify-Standard-{merchandise // 100}.00", "code": "Standard",
                                "title": "Standard Shipping", "price": "0.00" if merchandise >= 7500 else "7.95",
                                "source": "shopify"}],
            "taxes_included": self.world.dialect.store_tax == "inclusive",
            "total_weight": 450 * len(checkout.lines),
            "currency": CURRENCY,
            "completed_at": shop_time(checkout.completed_at) if completed else None,
            "closed_at": None,
            "user_id": None,
            "location_id": None,
            "source_identifier": None,
            "source_url": None,
            "device_id": None,
            "phone": checkout.phone,
            "customer_locale": "en-US",
            "line_items": [self.checkout_line(checkout, i) for i in range(len(checkout.lines))],
            "name": f"#{checkout_id}",
            "source": None,
            "abandoned_checkout_url": f"https://{self.world.shop_domain}/checkouts/{token}/recover?key={token[:12]}",
            "discount_codes": [],
            "tax_lines": self.tax_lines(tax),
            "source_name": "web",
            "presentment_currency": CURRENCY,
            "buyer_accepts_sms": False,
            "sms_marketing_phone": None,
            "total_discounts": "0.00",
            "total_line_items_price": money(merchandise),
            "total_price": money(merchandise + (tax if self.world.dialect.tax_added else 0)),
            "total_tax": money(tax),
            "subtotal_price": money(merchandise),
            "total_duties": None,
            "customer": customer,
        }

    def checkout_line(self, checkout: AbandonedCheckout, index: int) -> dict:
        line = checkout.lines[index]
        product: Product = self.products[line.sku]
        return {"key": f"{product.shopify_variant_id}:{digest(self.world.seed, 'cart-line', (checkout.key, index)).hex()}",
                "fulfillment_service": "manual", "gift_card": False, "grams": 450, "presentment_title": product.title,
                "presentment_variant_title": None, "product_id": product.shopify_product_id,
                "quantity": line.quantity, "requires_shipping": True, "sku": line.sku, "taxable": True,
                "title": product.title, "variant_id": product.shopify_variant_id, "variant_title": None,
                "variant_price": money(line.unit_cents), "vendor": self.world.brand.name,
                "price": money(line.unit_cents), "applied_discounts": [], "line_price": money(line.cents)}

    # --- products ---------------------------------------------------------------------------------
    def products_as_of(self) -> list[dict]:
        day = shop_day(self.cut - 1)
        created = self.world.start_ts - 200 * 86_400
        price_changes = [d for p in self.world.promotions for d in (p.start, p.end + timedelta(days=1)) if d <= day]
        changed = min(max([created] + [epoch(d) + 8 * 3600 for d in price_changes]), self.cut - 1)
        records = []
        for product in self.world.products:
            price = self.world.prices.web_price(product.sku, day)
            records.append({
                "id": product.shopify_product_id, "title": product.title, "body_html": f"<p>{product.title}</p>",
                "vendor": self.world.brand.name, "product_type": product.product_type,
                "created_at": shop_time(created), "handle": product.title.lower().replace(" ", "-"),
                "updated_at": shop_time(changed), "published_at": shop_time(created), "template_suffix": None,
                "published_scope": "web", "tags": product.product_type.lower(), "status": "active",
                "admin_graphql_api_id": gid("Product", product.shopify_product_id),
                "variants": [{
                    "id": product.shopify_variant_id, "product_id": product.shopify_product_id,
                    "title": "Default Title", "price": money(price), "sku": product.sku, "position": 1,
                    "inventory_policy": "deny",
                    "compare_at_price": money(product.list_cents) if price != product.list_cents else None,
                    "fulfillment_service": "manual", "inventory_management": "shopify", "option1": "Default Title",
                    "option2": None, "option3": None, "created_at": shop_time(created),
                    "updated_at": shop_time(changed), "taxable": True, "barcode": None, "grams": 450,
                    "weight": 0.45, "weight_unit": "kg", "inventory_item_id": product.shopify_variant_id + 11,
                    "inventory_quantity": 25, "old_inventory_quantity": 25, "requires_shipping": True,
                    "admin_graphql_api_id": gid("ProductVariant", product.shopify_variant_id),
                }],
                "options": [{"id": product.shopify_product_id + 5, "product_id": product.shopify_product_id,
                             "name": "Title", "position": 1, "values": ["Default Title"]}],
                "images": [],
                "image": None,
            })
        return records

