"""Planted identity records for the dbt tests: the traps the guardrails must not fall into.

A family sharing an email and a phone, placeholder values typed by many people, a store kiosk email,
two namesakes behind one address, a mailbox whose local part names another member of the household,
an email typed next to a staff placeholder phone, and a household email with a nameless record
carrying another phone. They belong to nobody in the truth, so they do not move the scores.
(A module of its own, not conftest.py: two test folders have a conftest, and importing "conftest" by
name picks whichever pytest loaded last.)
"""

PLANTED_TIME = "2026-08-01T10:00:00-07:00"


def shopify_customer(customer_id: int, first: str, last: str, email: str | None, phone: str | None) -> dict:
    return {"id": customer_id, "email": email, "phone": phone, "first_name": first, "last_name": last,
            "created_at": PLANTED_TIME, "updated_at": PLANTED_TIME, "state": "enabled"}


def square_customer(customer_id: str, first: str | None, last: str | None, email: str | None,
                    phone: str | None) -> dict:
    return {"id": customer_id, "given_name": first, "family_name": last, "email_address": email,
            "phone_number": phone, "created_at": "2026-08-01T17:00:00Z", "updated_at": "2026-08-01T17:00:00Z"}


def checkout_session_records() -> dict[tuple[str, str], list[dict]]:
    """Zora's guest checkout carries only a placeholder email; the storefront session that started it
    (same merchandise total, five minutes earlier) identified itself with her email. A second guest
    checkout has two sessions of the same total in its window: which one is unknown, so no link."""
    def checkout(checkout_id: int, email: str, price: str, created: str) -> dict:
        return {"id": checkout_id, "token": f"planted-token-{checkout_id}", "email": email, "phone": None,
                "customer": None, "created_at": created, "updated_at": created, "total_price": price,
                "line_items": [{"sku": "PLANTED-SKU", "quantity": 1, "price": price, "variant_id": 1,
                                "title": "Planted"}]}

    def event(message_id: str, anonymous_id: str, kind: str, timestamp: str, **fields) -> dict:
        return {"messageId": message_id, "type": kind, "anonymousId": anonymous_id, "userId": None,
                "timestamp": timestamp, "context": {"page": {"url": "https://shop.example/", "referrer": None}},
                **fields}

    started = {"event": "Checkout Started", "properties": {"revenue": 123.45, "currency": "USD",
                                                           "products": [{"sku": "PLANTED-SKU", "quantity": 1}]}}
    return {
        ("shopify", "customers"): [
            shopify_customer(9_900_000_601, "Zora", "Penhallow", "zora.penhallow@proton.me", None),
        ],
        ("shopify", "checkouts"): [
            checkout(9_900_000_701, "test@example.com", "123.45", "2026-08-01T10:05:00-07:00"),
            checkout(9_900_000_702, "test@example.com", "123.45", "2026-08-02T10:05:00-07:00"),
        ],
        ("web_events", "events"): [
            event("planted-zora-identify", "planted-anon-zora", "identify", "2026-08-01T16:58:00.000Z",
                  traits={"email": "zora.penhallow@proton.me"}),
            event("planted-zora-started", "planted-anon-zora", "track", "2026-08-01T17:00:00.000Z", **started),
            event("planted-twin-started-a", "planted-anon-twin-a", "track", "2026-08-02T17:00:00.000Z", **started),
            event("planted-twin-started-b", "planted-anon-twin-b", "track", "2026-08-02T17:01:00.000Z", **started),
        ],
    }


def guardrail_records() -> dict[tuple[str, str], list[dict]]:
    """Records that would chain unrelated people together without the guardrails."""
    generic = [("Olivia", "Quill"), ("Marcus", "Vane"), ("Priya", "Sol"), ("Tomas", "Reyk"), ("Ines", "Valo"),
               ("Kenji", "Maro")]
    kiosk = [("Ada", "Brisk"), ("Ben", "Corral"), ("Cleo", "Dunmore"), ("Dov", "Ember"), ("Eva", "Fjord")]
    # a till default no list names as such: the same email and phone typed for five different people
    till = [("Gus", "Harrow"), ("Hana", "Iles"), ("Ivo", "Jarl"), ("Juno", "Kest"), ("Kai", "Lorne")]
    sessions = checkout_session_records()
    return {
        ("shopify", "checkouts"): sessions[("shopify", "checkouts")],
        ("web_events", "events"): sessions[("web_events", "events")],
        ("shopify", "customers"): [
            *sessions[("shopify", "customers")],
            *(shopify_customer(9_900_000_001 + i, first, last, " Test@Example.com", "000-000-0000")
              for i, (first, last) in enumerate(generic)),
            shopify_customer(9_900_000_101, "John", "Famil", "TheFamily@gmail.com", None),
            shopify_customer(9_900_000_102, "Jane", "Famil", "jane.famil@gmail.com", "503-201-7788"),
            shopify_customer(9_900_000_501, "Hannah", "Quorra", "jane.quorra@gmail.com", None),
            shopify_customer(9_900_000_502, "Wilhelmina", "Sprocket", "wsprocket@gmail.com", "503-201-5151"),
            shopify_customer(9_900_000_503, "Ollie", "Brandt", "obrandt@gmail.com", "503-201-6161"),
        ],
        ("square", "customers"): [
            *(square_customer(f"PLANTEDKIOSK{i:014d}", first, last, "frontdesk@larkspur-kiosk.com", None)
              for i, (first, last) in enumerate(kiosk)),
            *(square_customer(f"PLANTEDTILL{i:015d}", first, last, "noemail@store.invalid", "5555555555")
              for i, (first, last) in enumerate(till)),
            square_customer("PLANTEDFAMILYJOHN000000000", "Johnny", "Famil", "thefamily@gmail.com", "5032017788"),
            square_customer("PLANTEDFAMILYJANE000000000", "Jane", "Famil", "the.family@gmail.com", "(503) 201-7788"),
            # two namesakes behind one address, told apart by their phones
            square_customer("PLANTEDNAMESAKEA000000000", "Arjun", "Pricewell", "arjunpricewell@gmail.com", "503-201-4401"),
            square_customer("PLANTEDNAMESAKEB000000000", "Arjun", "Pricewell", "ArjunPricewell@gmail.com", "503-201-4402"),
            # Hannah's records carry "jane.quorra@": the address names Jane, so a nameless e-receipt
            # profile on it may be either of them and bridges nobody
            square_customer("PLANTEDMAILBOXHANNAH00000", "Hannah", "Quorra", "jane.quorra@gmail.com", "503-201-9901"),
            square_customer("PLANTEDMAILBOXNAMELESS000", None, None, "jane.quorra@gmail.com", None),
            # staff typed a placeholder phone on one of Wilhelmina's profiles: her email stays hers
            square_customer("PLANTEDSPROCKETSTORE00000", "Wilhelmina", "Sprocket", "wsprocket@gmail.com", "1234567890"),
            # Ollie's email, typed by Greta too and on a nameless profile with another phone
            square_customer("PLANTEDBRANDTOLLIE000000", "Ollie", "Brandt", "obrandt@gmail.com", None),
            square_customer("PLANTEDBRANDTGRETA000000", "Greta", "Brandt", "obrandt@gmail.com", None),
            square_customer("PLANTEDBRANDTNAMELESS000", None, None, "obrandt@gmail.com", "503-201-6262"),
        ],
    }
