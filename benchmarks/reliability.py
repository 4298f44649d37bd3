"""`seamline reliability` (`make reliability`): the fault suite against the project's own sandboxes.

Every case runs the real connectors, Dagster, dbt, the checks and the publish on a generated world,
with the sandboxes' fault knobs (sandbox/servers/faults.py) switched on, and compares with a clean run
of the same world. The figures go to RELIABILITY.md (written by this command, like BENCHMARKS.md):

- storms: 429s, 5xx bursts and slow answers on every vendor -> raw and marts equal the clean run;
- malformed: records broken by the sandbox -> quarantine precision and recall against the sandbox's own
  list (sandbox/servers/malformed.py), each quarantine row naming source, record and field, none in raw;
- drift: a new field and a field changing type -> the per-field policy (ingestion/common/README.md);
- kill -9 during extract, load, dbt, checks and publish, one after the other, then a rerun -> equals the
  clean run, 0 duplicate keys, the published snapshot byte-identical until a publish completes, and a
  concurrent snapshot reader sees 0 errors;
- failed gate: a blocking check fails -> snapshot byte-identical; rollback restores the previous one;
- one source down: a wrong Bluesky app password -> the rest publishes, Bluesky marked stale;
- secrets: no token, app password or session JWT in any file under the data dirs (DuckDB text included);
- PII: no raw email or phone of the world in any analyst-readable table of the published snapshots.

The fast cases also run in `make test` on the tiny world (tests/reliability/).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

SOURCES = ("shopify", "square", "google_reviews", "bluesky", "web_events")
API_SOURCES = ("shopify", "square", "google_reviews", "bluesky")
STORMS = {"rate_limit_every": 4, "server_error_every": 5, "server_error_burst": 2, "slow_every": 7,
          "slow_seconds": 0.2}
MALFORMED_RATE = 0.02
KILL_STAGES = ("extract", "load", "dbt", "checks", "publish")
WRONG_APP_PASSWORD = "wrong-app-password-reliability"
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
REPO_ROOT = Path(__file__).resolve().parents[1]
CHILD_RUN = "from orchestration.runner import run_job, summary; print(summary(run_job()), flush=True)"


# ---------------------------------------------------------------------------------------------- tables


def _tables(con: duckdb.DuckDBPyConnection, schemas: Iterable[str]) -> list[tuple[str, str]]:
    wanted = list(schemas)
    return [(s, t) for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE' "
        "order by all").fetchall() if s in wanted and not t.startswith("_dlt") and t != "_quarantine"]


def table_rows(database: Path, schemas: Iterable[str]) -> dict[str, Counter[str]]:
    """Every table of ``schemas`` as a multiset of row texts, without dlt's load bookkeeping columns."""
    rows: dict[str, Counter[str]] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        for schema, table in _tables(con, schemas):
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "and column_name not like '\\_dlt%' escape '\\' order by column_name", [schema, table]).fetchall()]
            select = ", ".join(f'"{c}"' for c in columns)
            rows[f"{schema}.{table}"] = Counter(repr(row) for row in con.execute(
                f'select {select} from "{schema}"."{table}"').fetchall())
    return rows


@dataclass(frozen=True)
class Difference:
    """Rows of the clean run missing from a run (lost) and rows the run has in excess (duplicated/extra)."""

    lost: int
    extra: int
    tables: list[str]

    @property
    def equal(self) -> bool:
        return self.lost == 0 and self.extra == 0 and not self.tables


def compare(clean: Mapping[str, Counter[str]], run: Mapping[str, Counter[str]]) -> Difference:
    lost = extra = 0
    differing = []
    for table in sorted(set(clean) | set(run)):
        missing, excess = clean.get(table, Counter()) - run.get(table, Counter()), \
            run.get(table, Counter()) - clean.get(table, Counter())
        if missing or excess or table not in clean or table not in run:
            differing.append(table)
        lost, extra = lost + sum(missing.values()), extra + sum(excess.values())
    return Difference(lost, extra, differing)


def duplicate_keys(database: Path) -> int:
    """Rows sharing a primary key in the raw tables of the world's records (dlt merges on them)."""
    keys = {"google_reviews.reviews": "review_id", "google_reviews.locations": "name", "bluesky.posts": "uri",
            "web_events.events": "message_id"}
    total = 0
    with duckdb.connect(str(database), read_only=True) as con:
        for schema, table in _tables(con, SOURCES):
            if "__" in table:
                continue  # a child table: keyed by its parent
            key = keys.get(f"{schema}.{table}", "id")
            if con.execute("select count(*) from information_schema.columns where table_schema = ? and "
                           "table_name = ? and column_name = ?", [schema, table, key]).fetchone()[0]:
                total += con.execute(f'select count(*) - count(distinct "{key}") from "{schema}"."{table}"').fetchone()[0]
    return total


def snapshot_tables(snapshot: Path) -> dict[str, Counter[str]]:
    return table_rows(snapshot, ["marts"])


def file_digest(path: Path | None) -> str | None:
    if path is None or not path.exists():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -------------------------------------------------------------------------------------- secrets and PII


def find_secrets(root: Path, secrets: Iterable[str]) -> list[str]:
    """Where any of ``secrets`` occurs under ``root``: file bytes, and every text column of DuckDB files
    (which may store strings compressed, so their bytes alone prove nothing)."""
    needles = [s for s in secrets if s]
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # a transient file (a SQLite -shm) removed since the listing
            continue
        found += [f"{path}: bytes" for needle in needles if needle.encode() in data]
        if data[8:12] == b"DUCK":
            try:
                found += [f"{path}: {where}" for where in _duckdb_occurrences(path, needles)]
            except duckdb.IOException as error:  # held by a running pipeline: say so, never pass silently
                found.append(f"{path}: could not be scanned ({str(error)[:120]})")
    return found


def _duckdb_occurrences(database: Path, needles: list[str]) -> list[str]:
    found = []
    with duckdb.connect(str(database), read_only=True) as con:
        columns = _text_columns(con)
        for schema, table, column in columns:
            for needle in needles:
                hits = con.execute(f'select count(*) from "{schema}"."{table}" where contains("{column}", ?)',
                                   [needle]).fetchone()[0]
                if hits:
                    found.append(f"{schema}.{table}.{column} ({hits} rows)")
    return found


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Text columns of the database's own tables (views may read a catalog that is not attached here)."""
    return con.execute(
        "select c.table_schema, c.table_name, c.column_name from information_schema.columns c "
        "join information_schema.tables t using (table_catalog, table_schema, table_name) "
        "where c.data_type = 'VARCHAR' and t.table_type = 'BASE TABLE' and c.table_catalog = current_database() "
        "order by all").fetchall()


def world_pii(world: Path) -> tuple[set[str], set[str]]:
    """Every email address and phone number in the world's vendor files (what raw PII looks like)."""
    emails: set[str] = set()
    phones: set[str] = set()
    for path in world.rglob("*.jsonl"):
        text = path.read_text(errors="replace")
        emails |= {match.lower() for match in re.findall(EMAIL, text)}
        phones |= set(re.findall(r'"(\+\d{8,15})"', text))
    return emails, phones


def pii_in_snapshot(snapshot: Path, emails: set[str], phones: set[str]) -> list[str]:
    """Analyst-readable columns of ``snapshot`` (every schema: restricted PII lives in another file)
    holding a raw email (also inside longer text) or a raw phone number."""
    found = []
    with duckdb.connect(str(snapshot), read_only=True) as con:
        con.execute("create temp table pii_emails as select unnest(?::varchar[]) as value", [sorted(emails)])
        con.execute("create temp table pii_phones as select unnest(?::varchar[]) as value", [sorted(phones)])
        for schema, table, column in _text_columns(con):
            (hits,) = con.execute(
                f'with candidates as (select lower(unnest(regexp_extract_all("{column}", \'{EMAIL}\'))) as value '
                f'from "{schema}"."{table}" union all select "{column}" from "{schema}"."{table}") '
                f"select count(*) from candidates where value in (select value from pii_emails) "
                f"or value in (select value from pii_phones)").fetchone()
            if hits:
                found.append(f"{schema}.{table}.{column} ({hits} values)")
    return found


# ------------------------------------------------------------------------------------------ quarantine


@dataclass(frozen=True)
class QuarantineScore:
    malformed: int
    quarantined: int
    true_positives: int
    named: int  # quarantine rows naming source, record (unless its id is what broke) and the broken field
    broken_in_raw: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.quarantined if self.quarantined else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.malformed if self.malformed else 1.0


def _field(path: str) -> str:
    """The sandbox's `line_items.0.quantity` as the connectors name it: `line_items[0].quantity`."""
    return re.sub(r"\.(\d+)", r"[\1]", path)


def score_quarantine(raw: Path, malformed: list[Any]) -> QuarantineScore:
    """The quarantine of ``raw`` against the sandbox's list of what it broke (``malformed_records``).

    A record whose id was removed is matched by resource and count (it has no id to match by)."""
    from sandbox.servers.malformed import MALFORMABLE

    resource_as_loaded = {"catalog": "catalog_objects"}  # the sandbox's name -> the connector's (vendor = dataset)
    expected = {(m.vendor, resource_as_loaded.get(m.resource, m.resource), m.record_id): m
                for m in malformed if m.kind != "missing_id"}
    missing_ids = Counter((m.vendor, resource_as_loaded.get(m.resource, m.resource))
                          for m in malformed if m.kind == "missing_id")
    rows = []
    with duckdb.connect(str(raw), read_only=True) as con:
        for source in API_SOURCES:
            if (source, "_quarantine") in {(s, t) for s, t in con.execute(
                    "select table_schema, table_name from information_schema.tables").fetchall()}:
                rows += con.execute(f"select source, resource, record_id, field, reason from {source}._quarantine "
                                    f"where source = '{source}'").fetchall()
        present = {f"{s}.{t}" for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        in_raw = 0
        for world_file, (vendor, resource, _shape) in MALFORMABLE.items():
            table = f"{vendor}.{resource_as_loaded.get(resource, resource)}"
            ids = [m.record_id for m in malformed if m.world_file == world_file and m.kind != "missing_id"]
            key = {"google_reviews.reviews": "review_id", "bluesky.posts": "uri"}.get(table, "id")
            if ids and table in present:
                in_raw += con.execute(f'select count(*) from {table} where cast("{key}" as varchar) in '
                                      f"(select unnest(?::varchar[]))", [ids]).fetchone()[0]
    true_positives = named = 0
    unmatched_missing = Counter(missing_ids)
    for source, resource, record_id, field_name, reason in rows:
        truth = expected.get((source, resource, record_id))
        if truth is not None:
            true_positives += 1
            named += bool(reason) and field_name == _field(truth.field)
        elif record_id is None and unmatched_missing[(source, resource)] > 0:
            unmatched_missing[(source, resource)] -= 1
            true_positives += 1
            named += bool(reason) and bool(field_name)
    return QuarantineScore(len(malformed), len(rows), true_positives, named, in_raw)


# ------------------------------------------------------------------------------------------- the runs


@dataclass
class Context:
    world: Path
    workdir: Path
    sandbox_env: dict[str, str] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)  # every start's token (each start makes a new one)
    log: Callable[[str], None] = print

    def env(self, data_dir: Path, **overrides: str) -> dict[str, str]:
        return {**os.environ, **self.sandbox_env, "SEAMLINE_DATA_DIR": str(data_dir),
                "DAGSTER_HOME": str(data_dir / "dagster_home"), "PYTHONUNBUFFERED": "1", **overrides}


@contextmanager
def sandboxes_for(ctx: Context, faults: Any = None):
    """Sandboxes serving the world (with ``faults``); sets ``ctx.sandbox_env`` to point at them."""
    from orchestration.runner import sandbox_env
    from sandbox.servers import start_sandboxes

    with start_sandboxes(ctx.world, faults=faults) as sandboxes:
        ctx.sandbox_env = sandbox_env(sandboxes.base_urls, sandboxes.token, ctx.world)
        ctx.tokens.append(sandboxes.token)
        yield sandboxes


def pipeline_run(ctx: Context, data_dir: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    """One whole `seamline_job` in a child process (what `seamline run` does); its summary on stdout."""
    return subprocess.run([sys.executable, "-c", CHILD_RUN], env=ctx.env(data_dir, **overrides), cwd=REPO_ROOT,
                          capture_output=True, text=True, check=False)


def connectors_run(ctx: Context, data_dir: Path, sources: Iterable[str] = API_SOURCES) -> None:
    """Only the connectors (no dbt, no publish) into ``data_dir``'s raw.duckdb, in a child process."""
    code = ("import sys; from ingestion.pipelines import run_source\n"
            "for name in sys.argv[1:]:\n    run_source(name)\n")
    subprocess.run([sys.executable, "-c", code, *sources], env=ctx.env(data_dir), cwd=REPO_ROOT,
                   capture_output=True, text=True, check=True)


class SnapshotReader(threading.Thread):
    """Opens the current snapshot read-only and queries it, again and again, until stopped."""

    def __init__(self, serving: Path) -> None:
        super().__init__(daemon=True)
        self.serving, self.queries, self.errors = serving, 0, []
        self._stop_event = threading.Event()

    def run(self) -> None:
        from seamline_core import snapshots

        while not self._stop_event.is_set():
            try:
                snapshot = snapshots.current_snapshot(self.serving)
                if snapshot is None:
                    time.sleep(0.05)
                    continue
                with duckdb.connect(str(snapshot), read_only=True) as con:
                    con.execute("select count(*), sum(length(channel)) from marts.fct_touchpoints").fetchall()
                self.queries += 1
            except Exception as error:  # noqa: BLE001 (every failure of a reader is the figure)
                self.errors.append(f"{type(error).__name__}: {error}"[:300])

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=30)


def _stage_reached(stage: str, data_dir: Path, output: str) -> bool:
    """Whether the child run is inside ``stage`` now (judged from its progress lines and files)."""
    if stage == "extract":
        return "dlt_square: running" in output
    if stage == "load":
        return any((data_dir / "dlt_pipelines").glob("*/load/normalized/*"))
    if stage == "dbt":
        log = data_dir / "logs" / "pipeline.log"
        return log.exists() and log.read_text(errors="replace").count(" OK created ") >= 15
    if stage == "checks":
        return "gx_marts_checks: running" in output  # after dbt, before the publish
    return "serving__snapshot: running" in output


def killed_run(ctx: Context, data_dir: Path, stage: str, timeout: float = 1800) -> str:
    """Start `seamline_job`, SIGKILL it and its children as soon as it is inside ``stage``; what it printed.

    The whole process group, as a container stop or the OOM killer would: killing only the run's process
    leaves its dbt child running on, holding warehouse.duckdb's write lock (seen in the first runs).
    """
    child = subprocess.Popen([sys.executable, "-c", CHILD_RUN], env=ctx.env(data_dir), cwd=REPO_ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    assert child.stdout is not None
    os.set_blocking(child.stdout.fileno(), False)
    output, started = "", time.monotonic()
    while child.poll() is None and time.monotonic() - started < timeout:
        with contextlib.suppress(BlockingIOError, TypeError):  # nothing to read yet
            output += child.stdout.read() or ""
        if _stage_reached(stage, data_dir, output):
            os.killpg(child.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    child.wait(timeout=60)
    return output if child.returncode == -signal.SIGKILL else f"NOT KILLED (exit {child.returncode}): {output[-500:]}"


# ------------------------------------------------------------------------------------------- the cases


@dataclass
class Case:
    name: str
    faults: str
    injected: int = 0
    lost: int = 0
    duplicated: int = 0
    passed: bool = False
    notes: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class Clean:
    data_dir: Path
    raw: dict[str, Counter[str]]
    marts: dict[str, Counter[str]]
    snapshot: Path


def run_clean(ctx: Context) -> Clean:
    data_dir = ctx.workdir / "clean"
    result = pipeline_run(ctx, data_dir)
    from seamline_core import snapshots

    snapshot = snapshots.current_snapshot(data_dir / "serving")
    if snapshot is None:
        raise RuntimeError(f"the clean run published nothing:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return Clean(data_dir, table_rows(data_dir / "raw.duckdb", SOURCES), snapshot_tables(snapshot), snapshot)


def load_clean(data_dir: Path) -> Clean:
    """The clean run of an earlier invocation (``--resume``)."""
    from seamline_core import snapshots

    snapshot = snapshots.current_snapshot(data_dir / "serving")
    return Clean(data_dir, table_rows(data_dir / "raw.duckdb", SOURCES), snapshot_tables(snapshot), snapshot)


def _against_clean(case: Case, clean: Clean, data_dir: Path) -> None:
    from seamline_core import snapshots

    snapshot = snapshots.current_snapshot(data_dir / "serving")
    raw = compare(clean.raw, table_rows(data_dir / "raw.duckdb", SOURCES))
    marts = compare(clean.marts, snapshot_tables(snapshot)) if snapshot else Difference(-1, -1, ["(nothing published)"])
    dupes = duplicate_keys(data_dir / "raw.duckdb")
    case.lost, case.duplicated = raw.lost + marts.lost, raw.extra + marts.extra + dupes
    case.figures |= {"raw tables differing": raw.tables, "mart tables differing": marts.tables,
                     "duplicate raw keys": dupes}
    case.passed = raw.equal and marts.equal and dupes == 0


def case_storms(ctx: Context, clean: Clean) -> Case:
    from sandbox.servers import Faults

    case = Case("429/5xx storms and slow responses", ", ".join(f"{k}={v}" for k, v in STORMS.items()))
    data_dir = ctx.workdir / "storms"
    faults = Faults(**STORMS)
    with sandboxes_for(ctx, faults) as sandboxes:
        result = pipeline_run(ctx, data_dir)
        requests = sandboxes.requests_received
    case.injected = sum(faults.rate_limited(n) or faults.server_error(n) or faults.delay_seconds(n) > 0
                        for vendor_requests in requests.values() for n in range(1, vendor_requests + 1))
    case.figures["requests per vendor"] = requests
    _against_clean(case, clean, data_dir)
    if not _published(result):
        case.notes.append(f"not published: {result.stdout[-800:]} {result.stderr[-800:]}")
        case.passed = False
    return case


def _published(result: subprocess.CompletedProcess[str]) -> bool:
    """Whether a child run's summary says it published (its line `run <id>: published in ...`)."""
    return re.search(r"^run \S+: published in ", result.stdout or "", re.MULTILINE) is not None


def case_malformed(ctx: Context, clean: Clean) -> Case:
    from sandbox.servers import MALFORMED_KINDS, Faults
    from sandbox.servers.malformed import malformed_records

    faults = Faults(seed=3, malformed_rate=MALFORMED_RATE)
    case = Case("malformed records", f"malformed_rate={MALFORMED_RATE}, kinds {', '.join(MALFORMED_KINDS)}")
    data_dir = ctx.workdir / "malformed"
    with sandboxes_for(ctx, faults):
        connectors_run(ctx, data_dir)
    malformed = malformed_records(ctx.world, faults)
    score = score_quarantine(data_dir / "raw.duckdb", malformed)
    case.injected = score.malformed
    clean_ids = _ids(clean.data_dir / "raw.duckdb")
    run_ids = _ids(data_dir / "raw.duckdb")
    broken = {(m.vendor, m.record_id) for m in malformed}  # vendor = dataset
    case.lost = sum(1 for key in clean_ids - run_ids if (key[0].split(".")[0], key[1]) not in broken)
    case.duplicated = duplicate_keys(data_dir / "raw.duckdb")
    case.figures |= {"quarantined": score.quarantined, "precision": round(score.precision, 4),
                     "recall": round(score.recall, 4), "rows naming source, record and field": score.named,
                     "malformed records in raw": score.broken_in_raw,
                     "kinds": dict(Counter(m.kind for m in malformed))}
    case.passed = (score.precision == score.recall == 1.0 and score.named == score.quarantined
                   and score.broken_in_raw == 0 and case.lost == 0 and case.duplicated == 0)
    return case


def _ids(raw: Path) -> set[tuple[str, str]]:
    keys = {"google_reviews.reviews": "review_id", "bluesky.posts": "uri"}
    found: set[tuple[str, str]] = set()
    with duckdb.connect(str(raw), read_only=True) as con:
        for schema, table in _tables(con, API_SOURCES):
            key = keys.get(f"{schema}.{table}", "id")
            if "__" in table or table == "locations":
                continue
            found |= {(f"{schema}.{table}", str(v)) for (v,) in con.execute(
                f'select "{key}" from "{schema}"."{table}"').fetchall()}
    return found


def case_drift(ctx: Context, clean: Clean) -> Case:
    """A new field from the first request, a field changing JSON type from the second (every vendor)."""
    from orchestration.quality.quarantine_watch import volume_collapses
    from sandbox.servers import Faults

    faults = Faults(new_field_from_request=1, type_change_from_request=2)
    case = Case("schema drift", "new_field_from_request=1, type_change_from_request=2")
    data_dir = ctx.workdir / "drift"
    with sandboxes_for(ctx, faults):
        connectors_run(ctx, data_dir)
    raw = data_dir / "raw.duckdb"
    with duckdb.connect(str(raw), read_only=True) as con:
        added = con.execute("select table_schema || '.' || table_name from information_schema.columns "
                            f"where column_name = '{faults.new_field_name}' order by 1").fetchall()
        held = {}
        collapses = []
        for source in API_SOURCES:
            rows = con.execute(f"select resource, field, count(*) from {source}._quarantine "
                               "where reason like 'wrong type%' or reason like 'type changed%' group by all "
                               "order by all").fetchall() if _has(con, source, "_quarantine") else []
            held |= {f"{source}.{resource}.{name}": n for resource, name, n in rows}
            load_ids = [i for (i,) in con.execute(f"select load_id from {source}._dlt_loads").fetchall()] \
                if _has(con, source, "_dlt_loads") else []
            loaded = {t: con.execute(f'select count(*) from {source}."{t}"').fetchone()[0]
                      for _, t in _tables(con, [source]) if "__" not in t}
            collapses += [f"{c.source}.{c.resource}" for c in volume_collapses(con, source, load_ids, loaded, {})]
    case.injected = sum(held.values()) + len(added)
    case.figures |= {"tables with the new field as a column": [t for (t,) in added],
                     "records held for a changed type (resource.field: records)": held,
                     "loaded-volume collapses that block the publish": collapses}
    case.passed = bool(added) and bool(held)
    case.notes.append("policy: ingestion/common/README.md, 'Schema drift'")
    return case


def _has(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and "
                            "table_name = ?", [schema, table]).fetchone()[0])


def case_kills(ctx: Context, clean: Clean) -> Case:
    """SIGKILL in each stage in turn on one data dir that starts with the clean run's published snapshot
    (and nothing else), then one run to the end, with a snapshot reader throughout."""
    from seamline_core import snapshots

    case = Case("kill -9 during extract, load, dbt, checks, publish", "SIGKILL once in each stage, then a rerun")
    data_dir = ctx.workdir / "killed"
    shutil.copytree(clean.data_dir / "serving", data_dir / "serving")
    serving = data_dir / "serving"
    published = snapshots.current_snapshot(serving)
    digest = file_digest(published)
    reader = SnapshotReader(serving)
    reader.start()
    untouched = {}
    with sandboxes_for(ctx):
        for stage in KILL_STAGES:
            output = killed_run(ctx, data_dir, stage)
            case.injected += not output.startswith("NOT KILLED")
            now = snapshots.current_snapshot(serving)
            if now == published:
                untouched[stage] = file_digest(now) == digest
            else:  # the kill came after the pointer moved: the new snapshot must be whole
                untouched[stage] = f"published {now.name}" if _readable(now) else "BROKEN"
                published, digest = now, file_digest(now)
            if output.startswith("NOT KILLED"):
                case.notes.append(f"{stage}: {output[:300]}")
        result = pipeline_run(ctx, data_dir)
    reader.stop()
    _against_clean(case, clean, data_dir)
    case.figures |= {"snapshot after each kill (True: byte-identical)": untouched,
                     "reader queries": reader.queries, "reader errors": len(reader.errors)}
    case.notes += reader.errors[:3]
    case.passed = case.passed and not reader.errors and all(v is True or str(v).startswith("published")
                                                            for v in untouched.values())
    if not _published(result):
        case.notes.append(f"final rerun: {result.stdout[:600]}")
        case.passed = False
    ctx.log(f"  kills: {untouched}; reader {reader.queries} queries, {len(reader.errors)} errors")
    return case


def _readable(snapshot: Path) -> bool:
    try:
        with duckdb.connect(str(snapshot), read_only=True) as con:
            con.execute("select count(*) from marts.fct_touchpoints").fetchone()
        return True
    except duckdb.Error:
        return False


def case_failed_gate(ctx: Context, clean: Clean) -> Case:
    """A duplicate order id in raw fails a blocking check: nothing published, the snapshot byte-identical;
    then `rollback` restores the snapshot published before the current one, byte for byte."""
    from orchestration import serving
    from seamline_core import snapshots

    case = Case("failed gate, then rollback", "a duplicated shopify.orders id in raw (blocking unique check)")
    data_dir = ctx.workdir / "killed"  # after case_kills: two snapshots, the clean one and the rerun's
    serving_dir = data_dir / "serving"
    before = snapshots.current_snapshot(serving_dir)
    digest, pointer = file_digest(before), (serving_dir / "current").read_bytes()
    history = [name for name in snapshots.snapshot_history(serving_dir) if (serving_dir / name).exists()]
    previous = serving_dir / history[history.index(before.name) - 1] if before.name in history and \
        history.index(before.name) > 0 else None
    previous_digest = file_digest(previous)
    with duckdb.connect(str(data_dir / "raw.duckdb")) as con:
        con.execute("insert into shopify.orders select * from shopify.orders limit 1")
    case.injected = 1
    code = ("from orchestration.runner import run_job, summary; "
            "print(summary(run_job('seamline_transform_job')), flush=True)")
    result = subprocess.run([sys.executable, "-c", code], env=ctx.env(data_dir), cwd=REPO_ROOT,
                            capture_output=True, text=True, check=False)
    identical = file_digest(snapshots.current_snapshot(serving_dir)) == digest and \
        (serving_dir / "current").read_bytes() == pointer
    status = snapshots.read_run_status(serving_dir)
    from orchestration.runner import environment

    with environment({"SEAMLINE_DATA_DIR": str(data_dir)}):
        restored = serving.rollback(serving_dir) if previous is not None else None
    case.figures |= {"published": _published(result),
                     "last_run.json status": status.status if status else None,
                     "snapshot byte-identical": identical,
                     "rollback restored the previous snapshot byte for byte":
                         restored is not None and file_digest(restored) == previous_digest
                         and snapshots.current_snapshot(serving_dir) == restored}
    case.passed = identical and status is not None and status.status == "blocked" and \
        case.figures["rollback restored the previous snapshot byte for byte"]
    if not case.passed:
        case.notes.append(result.stdout[:800])
    return case


def case_source_down(ctx: Context, clean: Clean) -> Case:
    from seamline_core import snapshots

    case = Case("one source down", "a wrong Bluesky app password")
    data_dir = ctx.workdir / "source_down"
    shutil.copytree(clean.data_dir, data_dir, ignore=shutil.ignore_patterns("*.wal"))
    with sandboxes_for(ctx):
        result = pipeline_run(ctx, data_dir, SOURCES__BLUESKY__APP_PASSWORD=WRONG_APP_PASSWORD)
    case.injected = 1
    snapshot = snapshots.current_snapshot(data_dir / "serving")
    status = snapshots.read_run_status(data_dir / "serving")
    loads = {row["source"]: row["status"] for row in snapshots.read_ops_table(snapshot, "source_loads")}
    case.figures |= {"published": status.status if status else None, "source loads": loads,
                     "stale in last_run.json": [row["source"] for row in status.stale_sources] if status else None}
    marts = compare(clean.marts, snapshot_tables(snapshot))
    case.lost, case.duplicated = marts.lost, marts.extra
    case.passed = (status is not None and status.status == "published" and loads.get("bluesky") == "failed"
                   and [row["source"] for row in status.stale_sources] == ["bluesky"] and marts.equal)
    if not case.passed:
        case.notes.append(result.stdout[:800])
    return case


def case_secrets_and_pii(ctx: Context, clean: Clean) -> Case:
    case = Case("secrets at rest and PII in marts", "every data dir of this suite; every published snapshot")
    secrets = [*ctx.tokens, WRONG_APP_PASSWORD, *_jwt_prefixes()]
    found = find_secrets(ctx.workdir, secrets)
    emails, phones = world_pii(ctx.world)
    published = [p for p in ctx.workdir.rglob("warehouse-*.duckdb") if "restricted" not in p.parts]
    pii = [hit for snapshot in published for hit in pii_in_snapshot(snapshot, emails, phones)]
    case.injected = len(secrets)
    case.figures |= {"secrets looked for": f"{len(ctx.tokens)} sandbox tokens (one per sandbox start of this "
                                            f"invocation; the app password is the token), the wrong app password, "
                                            f"{len(_jwt_prefixes())} session JWT headers",
                     "secrets found": len(found), "snapshots scanned for PII": len(published),
                     "raw emails / phones known": f"{len(emails)} / {len(phones)}", "PII values found": len(pii)}
    case.notes += found[:5] + pii[:5]
    case.passed = not found and not pii and bool(published)
    return case


def _jwt_prefixes() -> list[str]:
    import base64

    return [base64.urlsafe_b64encode(json.dumps({"typ": typ, "alg": "HS256"}).encode()).decode().rstrip("=")
            for typ in ("at+jwt", "refresh+jwt")]


# the data dirs each case creates (removed before it runs again with --resume)
CASE_DIRS = {"storms": ("storms",), "malformed": ("malformed",), "drift": ("drift",), "kills": ("killed",),
             "source_down": ("source_down",)}
CASES = {"storms": case_storms, "malformed": case_malformed, "drift": case_drift, "kills": case_kills,
         "failed_gate": case_failed_gate, "source_down": case_source_down, "secrets_pii": case_secrets_and_pii}


# ----------------------------------------------------------------------------------------------- report


def render(cases: list[Case], conditions: dict[str, Any]) -> str:
    total = {"faults injected": sum(c.injected for c in cases), "rows lost": sum(c.lost for c in cases),
             "rows duplicated": sum(c.duplicated for c in cases)}
    by_name = {c.name: c for c in cases}
    malformed = by_name.get("malformed records")
    kills = by_name.get("kill -9 during extract, load, dbt, checks, publish")
    secrets = by_name.get("secrets at rest and PII in marts")
    headline = {
        **total,
        "quarantine precision": malformed.figures.get("precision") if malformed else "not run",
        "quarantine recall": malformed.figures.get("recall") if malformed else "not run",
        "reader errors": kills.figures.get("reader errors") if kills else "not run",
        "secrets found": secrets.figures.get("secrets found") if secrets else "not run",
        "raw PII values in analyst-readable marts": secrets.figures.get("PII values found") if secrets else "not run",
    }
    lines = ["# Seamline reliability", "",
             "Written by `seamline reliability` (benchmarks/reliability.py); do not edit by hand. The fault suite",
             "runs the real connectors, Dagster, dbt, the checks and the publish against the project's sandboxes",
             "with their fault knobs on, and compares with a clean run of the same world.", "",
             "## Conditions", ""]
    lines += [f"- {key}: {value}" for key, value in conditions.items()]
    lines += ["", "## Headline", "", "| figure | value |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in headline.items()]
    lines += ["", "## Cases", "", "| case | faults | injected | lost | duplicated | verdict |", "|---|---|---|---|---|---|"]
    lines += [f"| {c.name} | {c.faults} | {c.injected} | {c.lost} | {c.duplicated} | "
              f"{'PASS' if c.passed else 'FAIL'} |" for c in cases]
    for c in cases:
        lines += ["", f"### {c.name}", ""]
        lines += [f"- {key}: {json.dumps(value, default=str) if not isinstance(value, str) else value}"
                  for key, value in c.figures.items()]
        lines += [f"- note: {note}" for note in c.notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None, prog: str = "seamline reliability") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", help="world scale (default small)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/seamline-reliability"))
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "RELIABILITY.md")
    parser.add_argument("--only", default=",".join(CASES), help=f"comma-separated cases: {', '.join(CASES)}")
    parser.add_argument("--resume", action="store_true",
                        help="keep the workdir's world, clean run and case results; run only --only again")
    parser.add_argument("--report-only", action="store_true",
                        help="write the report from the case results already in the workdir; run nothing")
    args = parser.parse_args(argv)
    if args.report_only:
        write_report(args, argv, prog, started=time.time(), load_before=os.getloadavg())
        return 0
    from benchmarks.machine import describe
    from orchestration.offline import switch_off_telemetry
    from sandbox.world import generate_world

    switch_off_telemetry()
    started, load_before = time.time(), os.getloadavg()
    resumed = args.resume and (args.workdir / "clean" / "serving").is_dir()
    if not resumed:
        shutil.rmtree(args.workdir, ignore_errors=True)
        args.workdir.mkdir(parents=True)
        generate_world(args.scale, args.seed, args.workdir / "world")
    ctx = Context(world=args.workdir / "world", workdir=args.workdir)
    print(f"world: {args.scale}, seed {args.seed}{' (resumed)' if resumed else ''}", flush=True)
    if resumed:
        clean = load_clean(args.workdir / "clean")
    else:
        with sandboxes_for(ctx):
            clean = run_clean(ctx)
    print(f"clean run: {clean.snapshot.name} ({time.time() - started:.0f} s)", flush=True)
    results = args.workdir / "cases"
    results.mkdir(exist_ok=True)
    commit = describe([], REPO_ROOT)["git_commit"]
    for name in [n for n in args.only.split(",") if n]:
        began = time.time()
        for leftover in (args.workdir / d for d in CASE_DIRS.get(name, ())):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            case = CASES[name](ctx, clean)
        except Exception as error:  # noqa: BLE001 (a case that breaks is a FAIL with its error, the rest still run)
            case = Case(name, "(the case itself broke)", notes=[f"{type(error).__name__}: {error}"[:1000]])
        case.figures |= {"seconds": round(time.time() - began), "commit": commit,
                         "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
        print(f"{case.name}: {'PASS' if case.passed else 'FAIL'} ({case.figures['seconds']} s)", flush=True)
        (results / f"{name}.json").write_text(json.dumps(case.__dict__, default=str, indent=1))
    return 0 if write_report(args, argv, prog, started, load_before) else 1


def write_report(args: argparse.Namespace, argv: list[str] | None, prog: str, started: float,
                 load_before: tuple[float, float, float]) -> bool:
    """RELIABILITY.md from every case result stored in the workdir; whether all of them passed."""
    from benchmarks.machine import describe

    results = args.workdir / "cases"
    cases = [Case(**json.loads((results / f"{name}.json").read_text())) for name in CASES
             if (results / f"{name}.json").exists()]
    machine = describe([], REPO_ROOT)
    hardware = machine["machine"]
    conditions = {
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "Command": f"`{' '.join([prog, *(argv if argv is not None else sys.argv[1:])])}`" + (
            f" (the cases were run by `{prog} --scale {args.scale} --seed {args.seed} --workdir {args.workdir}` and "
            "`... --resume --only <cases>`; each case's commit and finish time are listed with it)"
            if args.report_only else ""),
        "Commit": machine["git_commit"],
        "World": f"{args.scale}, seed {args.seed}",
        "Machine": f"{hardware['cpus']} CPUs ({hardware['cpu_model']}), {hardware['memory_gib']} GiB RAM, "
                   f"{hardware['os']}; "
                   f"load average at start {[round(x, 1) for x in load_before]}, at end "
                   f"{[round(x, 1) for x in os.getloadavg()]}",
    }
    if not args.report_only:
        conditions["Wall time"] = f"{time.time() - started:.0f} s"
    not_run = [name for name in CASES if not (results / f"{name}.json").exists()]
    if not_run:
        conditions["Cases not run"] = ", ".join(not_run)
    args.out.write_text(render(cases, conditions))
    print(f"written {args.out}", flush=True)
    return all(c.passed for c in cases) and not not_run


if __name__ == "__main__":
    raise SystemExit(main())
