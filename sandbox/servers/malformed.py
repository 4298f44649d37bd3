"""The sandbox's own list of what its record-level faults break, to score a connector's quarantine.

`Faults.malformed_rate` breaks records by hashing the seed with each record's id (faults.py), so the
same records are broken on every read. This lists them from the world's files, with the kind of
damage and the field it hit: a quarantine is right when it holds exactly these, each naming its field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sandbox.servers.bluesky import POST_SHAPE
from sandbox.servers.faults import Faults, RecordShape, _get, malformed_kind_of
from sandbox.servers.google_reviews import REVIEW_SHAPE
from sandbox.servers.shopify import RESOURCES as SHOPIFY_RESOURCES
from sandbox.servers.square import SHAPES as SQUARE_SHAPES

# world file (without .jsonl) -> (vendor, the resource name faults hash, its record shape)
MALFORMABLE: dict[str, tuple[str, str, RecordShape]] = {
    **{f"shopify/{name}": ("shopify", name, r.shape) for name, r in SHOPIFY_RESOURCES.items()},
    **{f"square/{name}": ("square", name, shape) for name, shape in SQUARE_SHAPES.items()},
    "google/reviews": ("google_reviews", "reviews", REVIEW_SHAPE),
    "bluesky/posts": ("bluesky", "posts", POST_SHAPE),
}
# the shape field each kind of damage hits
_FIELD_OF_KIND = {"missing_id": "id", "bad_timestamp": "timestamp", "wrong_type": "timestamp",
                  "negative_quantity": "amount", "oversized_text": "text", "invalid_utf8": "text"}


@dataclass(frozen=True)
class MalformedRecord:
    """One record the sandbox serves broken: where, which (its id before the damage), how and where in it."""

    vendor: str
    resource: str
    world_file: str
    record_id: str
    kind: str
    field: str


def malformed_records(world_dir: Path, faults: Faults) -> list[MalformedRecord]:
    """Every record `faults` breaks when the sandboxes serve `world_dir` (files the world lacks: none)."""
    broken = []
    for world_file, (vendor, resource, shape) in MALFORMABLE.items():
        path = Path(world_dir) / f"{world_file}.jsonl"
        if not faults.applies_to(vendor) or not path.exists():
            continue
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            kind = malformed_kind_of(faults, vendor, resource, shape, record)
            if kind is not None:
                broken.append(MalformedRecord(vendor, resource, world_file, str(_get(record, shape.id)), kind,
                                              str(getattr(shape, _FIELD_OF_KIND[kind]))))
    return broken
