"""The identity scorer on hand-made worlds: exact figures, and scopes the pipeline cannot move.

The world: person A has a web customer (email), a store customer (phone) and a review; person B has
a web customer, a web session that identified itself with a login, and a cash sale (no key); a
staff placeholder profile (email `noemail@...`) belongs to nobody. The warehouse's resolution below
links A's records, merges the placeholder into A, never made B's web session a node and left the
cash sale unresolved.
"""

import ast
import inspect
import json
import re

import pandas as pd
import pytest

from evaluation import identity
from evaluation.identity import (
    carries_a_key,
    link_scores,
    pairwise_scores,
    raw_keyed_records,
    scopes,
    score_resolution,
    source_pair_scores,
)

OWNERS = pd.DataFrame(
    [
        ("shopify", "customers", "1", "A"),
        ("square", "customers", "S1", "A"),
        ("google_reviews", "reviews", "R1", "A"),
        ("shopify", "customers", "2", "B"),
        ("web_events", "anonymous_ids", "W2", "B"),
        ("square", "orders", "O2", "B"),
        ("square", "customers", "S9", None),
        ("square", "payments", "P2", "B"),  # not a record kind that is scored
        ("bluesky", "posts", "at://stranger/1", None),  # a stranger's post: left to the brand-mention scores
    ],
    columns=["source", "entity", "record_id", "person_id"],
)

RESOLUTION = pd.DataFrame(
    [
        ("shopify", "customers", "1", "c1"),
        ("square", "customers", "S1", "c1"),
        ("google_reviews", "reviews", "R1", "c1"),
        ("shopify", "customers", "2", "c2"),
        ("square", "orders", "O2", None),
        ("square", "customers", "S9", "c1"),
    ],
    columns=["source", "entity", "record_id", "customer_id"],
)


def write_jsonl(path, records):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(record) + "\n" for record in records))


@pytest.fixture
def world(tmp_path):
    write_jsonl(tmp_path / "shopify/customers.jsonl", [
        {"id": 1, "email": " ann@example.org ", "phone": None, "addresses": []},
        {"id": 2, "email": "", "phone": None, "addresses": [{"phone": "+1 503 555 0101"}]},
    ])
    write_jsonl(tmp_path / "square/customers.jsonl", [
        {"id": "S1", "given_name": "Ann", "phone_number": "(503) 555-0100"},
        {"id": "S9", "given_name": "John", "family_name": "Doe", "email_address": "noemail@shop.example"},
        {"id": "S7", "given_name": "Walk", "family_name": "In", "email_address": "   "},
    ])
    write_jsonl(tmp_path / "square/orders.jsonl", [{"id": "O2", "customer_id": "S7"}])
    write_jsonl(tmp_path / "web_events/events-20260701-00.jsonl", [
        {"type": "page", "anonymousId": "W2", "userId": None, "traits": {}},
        {"type": "track", "anonymousId": "W2", "userId": "user-22"},
        {"type": "page", "anonymousId": "W3", "userId": None},
    ])
    return tmp_path


def test_raw_keys_are_read_before_any_cleaning(world):
    keyed = set(raw_keyed_records(world).itertuples(index=False, name=None))
    assert keyed == {("shopify", "customers", "1"), ("shopify", "customers", "2"), ("square", "customers", "S1"),
                     ("square", "customers", "S9"), ("web_events", "anonymous_ids", "W2")}
    assert carries_a_key({"addresses": [{"phone": None}, {"phone": "555"}]}, ["addresses.phone"])
    assert not carries_a_key({"email": "  ", "customer": None}, ["email", "customer.email"])


def test_keyed_scope_counts_the_dropped_session_and_the_merged_placeholder(world):
    keyed = pairwise_scores(RESOLUTION, scopes(OWNERS, raw_keyed_records(world))["keyed"])
    assert keyed.as_dict() == {
        "records": 5, "predicted_pairs": 3, "true_pairs": 2, "correct_pairs": 1,
        "bcubed_precision": round(11 / 15, 4), "bcubed_recall": 0.8, "splits": 1, "merges": 1,
        "precision": round(1 / 3, 4), "recall": 0.5,
    }


def test_all_records_scope_counts_the_unresolved_sale_as_a_miss(world):
    scores = score_resolution(RESOLUTION, OWNERS, raw_keyed_records(world))
    everything = scores["all_records"]
    # 1, S1, R1 (A); 2, W2, O2 (B); S9 (nobody): no payment, no stranger's post
    assert (everything["records"], everything["true_pairs"], everything["correct_pairs"]) == (7, 6, 3)
    assert (everything["predicted_pairs"], everything["splits"], everything["merges"]) == (6, 1, 1)
    assert scores["keyed_reviews_social"]["records"] == 6  # keyed + A's review


def test_source_pair_counts_only_pairs_across_its_sides():
    review_x_customer = source_pair_scores(RESOLUTION, OWNERS, identity.SOURCE_PAIRS["review author x customer (web or store)"])
    # c1 holds R1 with customers 1, S1 and S9: three predicted cross pairs, two of them A's own
    assert (review_x_customer.records, review_x_customer.predicted_pairs, review_x_customer.true_pairs,
            review_x_customer.correct_pairs) == (5, 3, 2, 2)
    assert (review_x_customer.precision, review_x_customer.recall) == (2 / 3, 1.0)


def test_review_links_take_the_majority_person_of_the_cluster():
    assert link_scores(RESOLUTION, OWNERS, "reviews").as_dict() == {
        "candidates": 1, "linkable": 1, "linked": 1, "correct": 1, "precision": 1.0, "recall": 1.0}


def test_dropping_or_unkeying_a_record_lowers_recall_and_keeps_the_denominator(world):
    """The figure a pipeline gets for failing to key a record must go down, never up."""
    keyed_scope = scopes(OWNERS, raw_keyed_records(world))["keyed"]
    session_linked = pd.concat([RESOLUTION, pd.DataFrame(
        [("web_events", "anonymous_ids", "W2", "c2")], columns=RESOLUTION.columns)])
    better = pairwise_scores(session_linked, keyed_scope)
    dropped = pairwise_scores(RESOLUTION, keyed_scope)  # W2 never became a node
    unkeyed = pairwise_scores(session_linked.assign(
        customer_id=session_linked["customer_id"].where(session_linked["record_id"] != "W2")), keyed_scope)
    assert better.recall == 1.0
    assert dropped.recall == unkeyed.recall == 0.5
    assert better.records == dropped.records == unkeyed.records == 5


def test_warehouse_columns_other_than_the_key_and_customer_id_change_nothing(world):
    keyed = raw_keyed_records(world)
    plain = score_resolution(RESOLUTION, OWNERS, keyed)
    flagged = RESOLUTION.assign(is_keyed=False, person_node_count=99, in_flagged_component=True)
    assert score_resolution(flagged, OWNERS, keyed) == plain


def test_scope_code_reads_no_pipeline_column():
    """Static check: the warehouse is read once, for the node key and customer_id only, and the
    functions that choose scopes never see the resolution."""
    select = re.fullmatch(r"\s*select (.*?)\s+from (\S+)\s*", identity.RESOLUTION_SQL, re.DOTALL)
    assert select, identity.RESOLUTION_SQL
    assert [c.strip() for c in select.group(1).split(",")] == ["source", "entity", "record_id", "customer_id"]
    assert select.group(2) == "intermediate.int_identity_resolved_nodes"

    tree = ast.parse(inspect.getsource(identity))
    sql_strings = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                   and isinstance(node.value, str) and re.search(r"\bselect\b", node.value, re.IGNORECASE)
                   and re.search(r"\bfrom\b", node.value, re.IGNORECASE)]
    assert sql_strings == [identity.RESOLUTION_SQL]
    for scope_function in (identity.scopes, identity.raw_keyed_records, identity.scored_records,
                           identity.carries_a_key):
        source = inspect.getsource(scope_function)
        assert "resolution" not in inspect.signature(scope_function).parameters
        assert "customer_id" not in source and "duckdb" not in source and "warehouse" not in source
    # with_truth takes from the resolution only the node key and customer_id
    assert "resolution[KEY + [\"customer_id\"]]" in inspect.getsource(identity.with_truth)
