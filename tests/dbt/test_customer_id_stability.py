"""Stable customer ids across runs, with merges and splits recorded in the id history (slow: two builds).

Run 1 builds the tiny world plus a person seen twice without a shared key (Quinn: a web account with
an email, a store profile with a phone) and a person whose two records share an email (Rhea). Run 2
adds unrelated new customers, a web identify that carries Quinn's email and phone (a merge), and
changes the email on Rhea's store profile (a split).
"""

import duckdb
import pytest
from planted_identity_records import guardrail_records, shopify_customer, square_customer

from sandbox.direct_load import load_world, run_dbt

QUINN_WEB, QUINN_STORE = "shopify:customers:9900000201", "square:customers:PLANTEDQUINN0000000000000"
RHEA_WEB, RHEA_STORE = "shopify:customers:9900000301", "square:customers:PLANTEDRHEA00000000000000"


def planted(rhea_store_email: str, run: int) -> dict[tuple[str, str], list[dict]]:
    records = guardrail_records()
    records[("shopify", "customers")] += [
        shopify_customer(9_900_000_201, "Quinn", "Zephyrine", "quinn.zephyrine@proton.me", None),
        shopify_customer(9_900_000_301, "Rhea", "Larksong", "rhea.larksong@proton.me", None),
    ]
    records[("square", "customers")] += [
        square_customer("PLANTEDQUINN0000000000000", "Quinn", "Zephyrine", None, "503-201-3001"),
        square_customer("PLANTEDRHEA00000000000000", "Rhea", "Larksong", rhea_store_email, None),
    ]
    if run == 2:
        records[("shopify", "customers")] += [
            shopify_customer(9_900_000_401 + i, first, "Newcombe", f"{first.lower()}.newcombe@proton.me", None)
            for i, first in enumerate(("Yusra", "Bartholomew", "Odalys"))
        ]
        records[("web_events", "events")] += [{
            "messageId": "planted-identify-quinn", "type": "identify", "anonymousId": "planted-anon-quinn",
            "userId": None, "timestamp": "2026-09-01T12:00:00.000Z",
            "traits": {"email": "Quinn.Zephyrine@proton.me", "phone": "(503) 201-3001"},
            "context": {"page": {"url": "https://shop.example/account", "referrer": None}},
        }]
    return records


def resolution(data_dir) -> dict[str, str]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return dict(con.execute("select node_id, customer_id from intermediate.int_identity_resolved_nodes").fetchall())


def history(data_dir) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(
            "select change_type, old_customer_id, new_customer_id, records_moved from marts.customer_id_history"
        ).fetchall()


@pytest.fixture(scope="module")
def two_runs(dbt_env, tiny_world, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("stability")
    load_world(tiny_world, data_dir, extra=planted("rhea.larksong@proton.me", run=1))
    run_dbt(data_dir, "build", "--exclude", "test_type:unit")
    first = resolution(data_dir)
    first_history = history(data_dir)
    load_world(tiny_world, data_dir, extra=planted("rhea.at.work@proton.me", run=2))
    run_dbt(data_dir, "build", "--exclude", "test_type:unit")
    return first, first_history, resolution(data_dir), history(data_dir)


@pytest.mark.slow
def test_unchanged_people_keep_their_ids(two_runs):
    first, _, second, _ = two_runs
    planted_nodes = {QUINN_WEB, QUINN_STORE, RHEA_WEB, RHEA_STORE}
    unchanged = {node: cid for node, cid in first.items() if node not in planted_nodes}
    moved = {node: (cid, second.get(node)) for node, cid in unchanged.items() if second.get(node) != cid}
    assert len(unchanged) > 900
    assert moved == {}
    assert len(second) == len(first) + 4  # three new customers and one new web session


@pytest.mark.slow
def test_merge_and_split_are_recorded(two_runs):
    first, first_history, second, second_history = two_runs
    assert first_history == []  # a first build only creates ids
    assert first[QUINN_WEB] != first[QUINN_STORE] and first[RHEA_WEB] == first[RHEA_STORE]
    assert second[QUINN_WEB] == second[QUINN_STORE] == second["web_events:anonymous_ids:planted-anon-quinn"]
    assert second[RHEA_WEB] != second[RHEA_STORE]
    assert second[RHEA_WEB] == first[RHEA_WEB]  # the part holding the oldest record keeps the id
    merged_away = ({first[QUINN_WEB], first[QUINN_STORE]} - {second[QUINN_WEB]}).pop()
    assert ("merge", merged_away, second[QUINN_WEB], 1) in second_history
    assert ("split", first[RHEA_WEB], second[RHEA_STORE], 1) in second_history
