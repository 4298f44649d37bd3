"""Identity resolution scored against the tiny world's truth, and the over-merge guardrails."""

import duckdb
import pytest

from evaluation.identity import score_identity


@pytest.fixture(scope="module")
def scores(tiny_warehouse, tiny_world):
    return score_identity(tiny_warehouse / "warehouse.duckdb", tiny_world / "truth")


@pytest.fixture(scope="module")
def warehouse(tiny_warehouse):
    with duckdb.connect(str(tiny_warehouse / "warehouse.duckdb"), read_only=True) as con:
        yield con


def customer_ids(warehouse, *node_ids: str) -> list[str]:
    rows = warehouse.execute(
        "select node_id, customer_id from intermediate.int_identity_resolved_nodes where list_contains(?, node_id)",
        [list(node_ids)],
    ).fetchall()
    found = dict(rows)
    assert set(found) == set(node_ids), f"nodes missing from the resolution: {set(node_ids) - set(found)}"
    return [found[node_id] for node_id in node_ids]


def test_keyed_records_resolve_with_high_precision_and_recall(scores):
    keyed = scores["keyed"]
    assert keyed["records"] > 400
    assert keyed["precision"] >= 0.99, keyed
    assert keyed["recall"] >= 0.97, keyed


def test_reviewers_and_authors_link_with_precision(scores):
    reviews, social = scores["reviews"], scores["social"]
    linked = reviews["linked"] + social["linked"]
    correct = reviews["correct"] + social["correct"]
    assert linked >= 8, (reviews, social)
    assert correct / linked >= 0.90, (reviews, social)


def test_placeholder_values_do_not_merge_strangers(warehouse):
    ids = customer_ids(warehouse, *(f"shopify:customers:{9_900_000_001 + i}" for i in range(6)))
    assert len(set(ids)) == 6
    classes = dict(warehouse.execute(
        "select identifier_value, value_class from intermediate.int_identity_identifier_values "
        "where identifier_value in ('test@example.com', '+10000000000')"
    ).fetchall())
    assert classes == {"test@example.com": "placeholder", "+10000000000": "placeholder"}


def test_kiosk_email_typed_by_many_people_is_junk(warehouse):
    ids = customer_ids(warehouse, *(f"square:customers:PLANTEDKIOSK{i:014d}" for i in range(5)))
    assert len(set(ids)) == 5
    value_class = warehouse.execute(
        "select value_class from intermediate.int_identity_identifier_values "
        "where identifier_value = 'frontdesk@larkspur-kiosk.com'"
    ).fetchone()[0]
    assert value_class == "junk"


def test_family_email_and_phone_keep_two_people_apart(warehouse):
    john_web, john_store, jane_web, jane_store = customer_ids(
        warehouse, "shopify:customers:9900000101", "square:customers:PLANTEDFAMILYJOHN000000000",
        "shopify:customers:9900000102", "square:customers:PLANTEDFAMILYJANE000000000",
    )
    assert john_web == john_store  # shared email + "Johnny" is a nickname of John
    assert jane_web == jane_store  # shared phone + same first name
    assert john_web != jane_web
    classes = dict(warehouse.execute(
        "select identifier_value, value_class from intermediate.int_identity_identifier_values "
        "where identifier_value in ('thefamily@gmail.com', '+15032017788')"
    ).fetchall())
    assert classes == {"thefamily@gmail.com": "shared", "+15032017788": "shared"}


def test_namesakes_sharing_an_address_but_not_a_phone_stay_apart(warehouse):
    first, second = customer_ids(warehouse, "square:customers:PLANTEDNAMESAKEA000000000",
                                 "square:customers:PLANTEDNAMESAKEB000000000")
    assert first != second
    value_class = warehouse.execute(
        "select value_class from intermediate.int_identity_identifier_values "
        "where identifier_value = 'arjunpricewell@gmail.com'"
    ).fetchone()[0]
    assert value_class == "ambiguous"


def test_no_resolved_person_is_a_giant_cluster(warehouse):
    largest = warehouse.execute(
        "select max(n) from (select count(*) filter (where entity = 'customers') as n "
        "from intermediate.int_identity_resolved_nodes group by customer_id)"
    ).fetchone()[0]
    assert largest <= 4


def test_probabilistic_edges_keep_their_evidence(warehouse):
    rows = warehouse.execute(
        "select record_kind, match_probability, evidence from intermediate.int_identity_edges_probabilistic "
        "where is_accepted"
    ).fetchall()
    assert {kind for kind, _, _ in rows} == {"review", "author"}
    for _, probability, evidence in rows:
        assert probability >= 0.8
        assert '"gamma_first_name"' in evidence and '"mw_last_name"' in evidence
