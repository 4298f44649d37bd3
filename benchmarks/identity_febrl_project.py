"""External identity check of the project's own identity models: FEBRL records run through dbt.

FEBRL's person records (see `benchmarks.identity_febrl` for where they come from) are mapped to the
raw records the project reads: febrl3's 5,000 records as Shopify customers (a dedupe), febrl4a as
Shopify customers and febrl4b as Square customers (a link). Given and family name, street, suburb,
postcode and state go where those vendors put them (Square also has a `birthday`); FEBRL's social
security id has no place in either. FEBRL has no email or phone, which is what the project's models
link customer profiles on, so this measures how they do on records without them; the models are run
as they are, not tuned to FEBRL.

The records are added (as the dbt tests add planted records) to a tiny demo world loaded raw with dlt
(`sandbox.direct_load.load_world`), so every raw table the staging models read exists; then
`dbt build --select +int_identity_resolved_nodes` (no tests) builds the identity models, and only the
FEBRL records are scored: a predicted pair is two FEBRL records given one customer_id (across the two
files when linking), scored pairwise against the labels in the record ids.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

BACKGROUND_WORLD = ("tiny", 7)
DBT_ARGS = ["build", "--select", "+int_identity_resolved_nodes",
            "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
CREATED_AT = "2025-01-01T09:00:00Z"
SHOPIFY_ID_BASE = 9_800_000_000_000  # far from the demo world's Shopify ids


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _street(row: Any) -> str | None:
    parts = [p for p in (_text(row.street_number), _text(row.address_1)) if p]
    return " ".join(parts) or None


def _birthday(value: Any) -> str | None:
    value = _text(value)
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if value and len(value) == 8 and value.isdigit() else None


def as_shopify_customer(row: Any, shopify_id: int) -> dict[str, Any]:
    """One FEBRL record as a Shopify Customer (2024-04) with its default address; no email, no phone."""
    address = {"id": shopify_id + 1, "customer_id": shopify_id, "first_name": _text(row.given_name),
               "last_name": _text(row.surname), "company": None, "address1": _street(row),
               "address2": _text(row.address_2), "city": _text(row.suburb), "province": None,
               "province_code": (_text(row.state) or "").upper() or None, "country": "Australia",
               "country_code": "AU", "zip": _text(row.postcode), "phone": None, "default": True}
    return {"id": shopify_id, "email": None, "phone": None, "first_name": _text(row.given_name),
            "last_name": _text(row.surname), "created_at": CREATED_AT, "updated_at": CREATED_AT,
            "orders_count": 0, "state": "disabled", "total_spent": "0.00", "verified_email": False,
            "tax_exempt": False, "tags": "", "currency": "AUD", "addresses": [address],
            "default_address": address}


def as_square_customer(row: Any, square_id: str) -> dict[str, Any]:
    """One FEBRL record as a Square Customer (given/family name, address, birthday); no email, no phone."""
    record = {"id": square_id, "created_at": CREATED_AT, "updated_at": CREATED_AT,
              "given_name": _text(row.given_name), "family_name": _text(row.surname),
              "address": {"address_line_1": _street(row), "address_line_2": _text(row.address_2),
                          "locality": _text(row.suburb), "postal_code": _text(row.postcode),
                          "administrative_district_level_1": (_text(row.state) or "").upper() or None,
                          "country": "AU"},
              "preferences": {"email_unsubscribed": False}, "creation_source": "DIRECTORY", "version": 0}
    birthday = _birthday(row.date_of_birth)
    if birthday:
        record["birthday"] = birthday
    return record


def planted_records(frames: list[Any]) -> tuple[dict[tuple[str, str], list[dict]], dict[str, str], list[set[str]]]:
    """Raw records per (dataset, table), FEBRL rec_id per identity node id, and each file's node ids."""
    extra: dict[tuple[str, str], list[dict]] = {("shopify", "customers"): [], ("square", "customers"): []}
    rec_id_of: dict[str, str] = {}
    sides: list[set[str]] = []
    for file_index, frame in enumerate(frames):
        side: set[str] = set()
        for row_index, row in enumerate(frame.itertuples(index=False)):
            if file_index == 0:
                shopify_id = SHOPIFY_ID_BASE + 2 * row_index  # even: the address takes id + 1
                extra[("shopify", "customers")].append(as_shopify_customer(row, shopify_id))
                node_id = f"shopify:customers:{shopify_id}"
            else:
                square_id = f"FEBRL{row_index:021d}"
                extra[("square", "customers")].append(as_square_customer(row, square_id))
                node_id = f"square:customers:{square_id}"
            rec_id_of[node_id] = row.rec_id
            side.add(node_id)
        sides.append(side)
    return extra, rec_id_of, sides


def predicted_pairs(resolved: dict[str, str | None], rec_id_of: dict[str, str],
                    sides: list[set[str]]) -> set[tuple[str, str]]:
    """Pairs of FEBRL records sharing a customer_id (one from each file when there are two)."""
    clusters: dict[str, list[str]] = {}
    for node_id, customer_id in resolved.items():
        if customer_id is not None and node_id in rec_id_of:
            clusters.setdefault(customer_id, []).append(node_id)
    pairs: set[tuple[str, str]] = set()
    for members in clusters.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if len(sides) == 2 and (a in sides[0]) == (b in sides[0]):
                    continue
                pairs.add(tuple(sorted((rec_id_of[a], rec_id_of[b]))))
    return pairs


def run_project_models(wheel: str, files: list[str], workdir: str) -> dict[str, Any]:
    """Child-process body: load FEBRL as raw customers beside a tiny world, build the identity models, score."""
    import time

    import duckdb

    from benchmarks.identity_febrl import _true_pairs, read_febrl
    from sandbox.direct_load import load_world, run_dbt
    from sandbox.world.generate import generate_world

    os.environ.update({"RUNTIME__DLTHUB_TELEMETRY": "false", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    base = Path(workdir)
    world_dir, data_dir = base / "world", base / "data"
    if not (world_dir / "manifest.json").exists():
        generate_world(*BACKGROUND_WORLD, world_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("raw.duckdb", "warehouse.duckdb"):
        (data_dir / stale).unlink(missing_ok=True)

    frames = [read_febrl(Path(wheel), name) for name in files]
    extra, rec_id_of, sides = planted_records(frames)
    started = time.perf_counter()
    load_world(world_dir, data_dir, extra=extra)
    loaded = time.perf_counter()
    run_dbt(data_dir, *DBT_ARGS)
    built = time.perf_counter()
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as con:
        resolved = dict(con.execute(
            "select node_id, customer_id from intermediate.int_identity_resolved_nodes").fetchall())
    missing = sum(node_id not in resolved for node_id in rec_id_of)
    predicted = predicted_pairs(resolved, rec_id_of, sides)
    truth = _true_pairs(frames, link_only=len(frames) == 2)
    true_positives = len(predicted & truth)
    precision = true_positives / len(predicted) if predicted else None
    recall = true_positives / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {
        "records": sum(len(f) for f in frames),
        "records_missing_from_resolution": missing,
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "true_positives": true_positives,
        "precision": round(precision, 4) if precision is not None else None,
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "load_s": round(loaded - started, 3),
        "dbt_s": round(built - loaded, 3),
    }
