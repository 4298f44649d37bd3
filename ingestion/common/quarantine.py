"""Route bad records to `<dataset>._quarantine` while the good records of the same page load.

Quarantine rows are merged on a hash of (resource, record id, field, reason, payload), so
re-reading the same bad record (a retry, a re-run after a crash) never duplicates it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import dlt

from ingestion.common.validation import (
    FieldTypeMemory,
    Problem,
    RecordSpec,
    iter_records_with_ids,
    record_id_of,
    split_valid,
    version_of,
)

logger = logging.getLogger("seamline.ingestion")

QUARANTINE_TABLE = "_quarantine"
QUARANTINE_HINTS = dlt.mark.make_hints(
    table_name=QUARANTINE_TABLE,
    write_disposition="merge",
    primary_key="quarantine_id",
    columns=[
        {"name": "quarantine_id", "data_type": "text", "nullable": False},
        {"name": "source", "data_type": "text"},
        {"name": "resource", "data_type": "text"},
        {"name": "record_id", "data_type": "text"},
        {"name": "field", "data_type": "text"},
        {"name": "reason", "data_type": "text"},
        {"name": "raw_payload", "data_type": "text"},
        {"name": "quarantined_at", "data_type": "timestamp"},
    ],
)


def quarantine_row(source: str, resource: str, record_id: Any, record: Any, field: str, reason: str) -> dict:
    """One quarantine row; the payload is JSON text with invalid characters escaped, never altered."""
    payload = json.dumps(record, ensure_ascii=True, sort_keys=True, default=str)
    key = "\x1f".join([resource, str(record_id), field, reason, payload])
    return {
        "quarantine_id": hashlib.sha256(key.encode("ascii", "backslashreplace")).hexdigest()[:32],
        "source": source,
        "resource": resource,
        "record_id": None if record_id is None else str(record_id),
        "field": field,
        "reason": reason,
        "raw_payload": payload,
        "quarantined_at": datetime.now(UTC),
    }


def mark_quarantine(rows: Any) -> Any:
    """Send `rows` (or a schema-materialisation marker) to the quarantine table, under its own hints."""
    return dlt.mark.with_hints(rows, QUARANTINE_HINTS, create_table_variant=True)


class EdgeValidator:
    """Validates each page of one resource, yields the good records and quarantines the rest.

    Also the progress report: one log line per page with running totals.
    """

    def __init__(self, source: str, resource: str, spec: RecordSpec) -> None:
        self.source = source
        self.resource = resource
        self.spec = spec
        self.memory = FieldTypeMemory(dlt.current.resource_state())
        self.yielded_versions: dict[Any, tuple[Any, ...]] = {}
        self.pages = 0
        self.loaded = 0
        self.quarantined = 0

    def _newest_copies(self, records: list[Any]) -> list[Any]:
        """Drop copies older than (or the same version as) one already yielded in this run.

        A record updated while we paginate shows up twice, the older copy first. The newer copy is
        yielded too and the merge load keeps it (`latest_copy_hints`); an older or same-version copy
        is dropped here, with a log line saying so.
        """
        kept = []
        for record in records:
            record_id = record_id_of(record, self.spec)
            version = version_of(record, self.spec)
            if record_id is not None and record_id in self.yielded_versions:
                if not version > self.yielded_versions[record_id]:
                    logger.info("%s.%s: record %s served again in this run, not newer: copy dropped",
                                self.source, self.resource, record_id)
                    continue
                logger.info("%s.%s: record %s served again in this run with a newer version: it replaces the "
                            "earlier copy", self.source, self.resource, record_id)
            self.yielded_versions[record_id] = version
            kept.append(record)
        return kept

    def __call__(
        self, records: Iterable[Any], note: str = "", rejected: Iterable[tuple[Any, Problem]] = ()
    ) -> Iterator[Any]:
        """Yield the page's good records, then its bad ones (plus `rejected`, found earlier) as quarantine."""
        good, bad = split_valid(records, self.spec, self.memory)
        bad = [*rejected, *bad]
        good = self._newest_copies(good)
        if self.pages == 0:  # every dataset has a quarantine table, empty or not
            yield mark_quarantine(dlt.mark.materialize_table_schema())
        self.pages += 1
        self.loaded += len(good)
        self.quarantined += len(bad)
        logger.info(
            "%s.%s page %d%s: %d records, %d quarantined (totals %d / %d)",
            self.source, self.resource, self.pages, f" ({note})" if note else "",
            len(good), len(bad), self.loaded, self.quarantined,
        )
        if good:
            yield good
        if bad:
            rows = []
            for record_id, record, problem in iter_records_with_ids(bad, self.spec):
                logger.warning(
                    "%s.%s: quarantined record %s: %s: %s",
                    self.source, self.resource, record_id, problem.field, problem.reason,
                )
                rows.append(quarantine_row(self.source, self.resource, record_id, record, problem.field,
                                           problem.reason))
            yield mark_quarantine(rows)
