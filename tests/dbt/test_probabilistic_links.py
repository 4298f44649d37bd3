"""The reviewer/author matching rules of int_identity_edges_probabilistic on hand-made records (fast).

The dbt Python model is loaded as a module and its linker run on a DuckDB relation in the shape of
int_identity_link_records, so each rule is checked in isolation: store visit timing, namesakes,
handle vs email local part.
"""

import importlib.util
import json
import re
from pathlib import Path

import duckdb
import pytest

MODEL = (Path(__file__).resolve().parents[2] / "dbt_project/models/intermediate/identity/"
         "int_identity_edges_probabilistic.py")
SETTINGS = {"min_probability": 0.8, "min_margin": 0.2, "expected_match_share": 0.9}
FILLER_NAMES = ["olivia", "liam", "noah", "emma", "ava", "elijah", "sophia", "lucas", "mia", "mason",
                "amelia", "ethan", "harper", "logan", "evelyn", "jacob", "abigail", "levi", "ella", "owen"]


@pytest.fixture(scope="module")
def linking():
    spec = importlib.util.spec_from_file_location("int_identity_edges_probabilistic", MODEL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def person(uid, first, last, visits=(), emails=(), purchases=(), bought=()):
    """`visits` are (store, day); `bought` are (store, day, sku) of those visits."""
    return {"unique_id": uid, "record_kind": "person", "first_name_key": first, "last_name_key": last,
            "last_initial": last[0], "email_local_keys": sorted({re.sub("[^a-z]", "", e) for e in emails}),
            "email_locals": list(emails), "handle_key": None, "handle_local": None, "location_id": None,
            "event_at": None, "visit_locations": sorted({loc for loc, _ in visits}),
            "visit_days": [f"{loc}|{day}" for loc, day in visits],
            "visit_day_skus": [f"{loc}|{day}|{sku}" for loc, day, sku in bought], "purchase_days": list(purchases)}


def review(uid, first, initial, location, day, window_days, names_skus=()):
    """`names_skus`: the SKUs of the products the review's text names."""
    return {"unique_id": uid, "record_kind": "review", "first_name_key": first, "last_name_key": None,
            "last_initial": initial, "email_local_keys": [], "email_locals": [], "handle_key": None,
            "handle_local": None, "location_id": location,
            "event_at": f"{day} 12:00:00", "visit_locations": [location],
            "visit_days": [f"{location}|{d}" for d in window_days],
            "visit_day_skus": [f"{location}|{d}|{sku}" for d in window_days for sku in names_skus], "purchase_days": []}


def author(uid, first, last, handle, post_days):
    return {"unique_id": uid, "record_kind": "author", "first_name_key": first, "last_name_key": last,
            "last_initial": last[0] if last else None, "email_local_keys": [], "email_locals": [],
            "handle_key": re.sub("[^a-z]", "", handle), "handle_local": handle,
            "location_id": None, "event_at": f"{post_days[-1]} 12:00:00", "visit_locations": [], "visit_days": [],
            "visit_day_skus": [], "purchase_days": list(post_days)}


def relation(records):
    connection = duckdb.connect()
    connection.execute("""
        create table records (unique_id varchar, record_kind varchar, first_name_key varchar, last_name_key varchar,
            last_initial varchar, email_local_keys varchar[], email_locals varchar[], handle_key varchar,
            handle_local varchar, location_id varchar,
            event_at timestamp, visit_locations varchar[], visit_days varchar[], visit_day_skus varchar[],
            purchase_days varchar[])""")
    connection.executemany("insert into records values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [list(record.values()) for record in records])
    return connection.table("records")


def crowd():
    """Unrelated customers, so that the prior (one person among many) is realistic."""
    return [person(f"filler-{i}", name, f"surname{i}", visits=[("S2", "2026-08-01")])
            for i, name in enumerate(FILLER_NAMES * 5)]


WINDOW = ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04", "2026-09-05"]


def test_a_reviewer_who_visited_the_store_just_before_is_linked_with_its_evidence(linking):
    records = [*crowd(), person("maria-garcia", "maria", "garcia", visits=[("S1", "2026-09-02")]),
               review("review-1", "maria", "g", "S1", "2026-09-05", WINDOW)]
    comparisons = [*linking._name_comparisons(), linking._visit_comparison()]
    links = linking._link(relation(records), "review", comparisons, [linking.block_on("first_name_key")], SETTINGS)
    (link,) = links.to_dict("records")
    assert link["person_cluster_id"] == "maria-garcia" and link["is_accepted"]
    assert link["match_probability"] > 0.95
    assert json.loads(link["evidence"])["gamma_store_visit"] == 2  # visited the store shortly before


def test_namesakes_with_the_same_evidence_stay_unlinked(linking):
    records = [*crowd(),
               person("maria-garcia", "maria", "garcia", visits=[("S1", "2026-09-02")]),
               person("maria-gomez", "maria", "gomez", visits=[("S1", "2026-09-03")]),
               review("review-1", "maria", "g", "S1", "2026-09-05", WINDOW)]
    comparisons = [*linking._name_comparisons(), linking._visit_comparison()]
    links = linking._link(relation(records), "review", comparisons, [linking.block_on("first_name_key")], SETTINGS)
    (link,) = links.to_dict("records")
    assert link["candidate_pairs"] == 2
    assert not link["is_accepted"]


def test_a_review_naming_what_one_namesake_bought_there_links_that_namesake(linking):
    """Both Marias visited the store in the window; only one bought the daypack the review names."""
    records = [*crowd(),
               person("maria-garcia", "maria", "garcia", visits=[("S1", "2026-09-02")],
                      bought=[("S1", "2026-09-02", "DAYPACK")]),
               person("maria-gomez", "maria", "gomez", visits=[("S1", "2026-09-03")],
                      bought=[("S1", "2026-09-03", "MUG")]),
               review("review-1", "maria", "g", "S1", "2026-09-05", WINDOW, names_skus=["DAYPACK"])]
    comparisons = [*linking._name_comparisons(), linking._visit_comparison()]
    links = linking._link(relation(records), "review", comparisons, [linking.block_on("first_name_key")], SETTINGS)
    (link,) = links.to_dict("records")
    assert link["candidate_pairs"] == 2
    assert link["person_cluster_id"] == "maria-garcia" and link["is_accepted"], link
    assert json.loads(link["evidence"])["gamma_store_visit"] == 4  # bought the product the review names


def test_a_name_alone_is_not_enough(linking):
    records = [*crowd(), person("maria-garcia", "maria", "garcia"),
               review("review-1", "maria", "g", "S1", "2026-09-05", WINDOW)]
    comparisons = [*linking._name_comparisons(), linking._visit_comparison()]
    links = linking._link(relation(records), "review", comparisons, [linking.block_on("first_name_key")], SETTINGS)
    assert not links["is_accepted"].any()


def test_an_author_whose_handle_spells_an_email_and_who_just_bought_is_linked(linking):
    records = [*crowd(),
               person("dana-wu", "dana", "wu", emails=["danawu"], purchases=["2026-09-03"]),
               person("dana-wells", "dana", "wells", emails=["dwells"]),
               author("author-1", "dana", None, "danawu", ["2026-09-03", "2026-09-04"])]
    comparisons = [*linking._name_comparisons(), linking._handle_comparison(), linking._purchase_comparison()]
    links = linking._link(relation(records), "author", comparisons, [linking.block_on("first_name_key")], SETTINGS)
    (link,) = links.to_dict("records")
    assert link["person_cluster_id"] == "dana-wu" and link["is_accepted"]
    assert json.loads(link["evidence"])["gamma_handle"] == 3  # the handle is an email local part


def test_digits_in_a_handle_tell_namesakes_apart(linking):
    records = [*crowd(),
               person("mike-garcia-84", "michael", "garcia", emails=["mgarcia84"]),
               person("mike-garcia-61", "michael", "garcia", emails=["mgarcia61"]),
               author("author-1", "michael", None, "mgarcia84", ["2026-09-04"])]
    comparisons = [*linking._name_comparisons(), linking._handle_comparison(), linking._purchase_comparison()]
    links = linking._link(relation(records), "author", comparisons, [linking.block_on("first_name_key")], SETTINGS)
    (link,) = links.to_dict("records")
    assert link["candidate_pairs"] == 2
    assert link["person_cluster_id"] == "mike-garcia-84" and link["is_accepted"], link
