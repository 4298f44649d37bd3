"""The asset graph as one sorted text file: every asset key, check, job, schedule (with its cron), sensor.

tests/orchestration/test_definitions.py compares the loaded definitions with the committed
``asset_graph.txt``, so any graph change (an added model, a renamed or removed check) fails until the
file is regenerated and the diff reviewed. Regenerate with:

    .venv/bin/python -m tests.orchestration.asset_graph_snapshot
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import dagster as dg

SNAPSHOT_FILE = Path(__file__).with_name("asset_graph.txt")


def describe(repository: dg.RepositoryDefinition) -> str:
    """One line per graph element, sorted, so a change is a one-line diff."""
    graph = repository.asset_graph
    lines = [f"asset {key.to_user_string()}" for key in graph.get_all_asset_keys()]
    lines += [f"check {key.asset_key.to_user_string()}:{key.name}" for key in graph.asset_check_keys]
    lines += [f"job {job.name}" for job in repository.get_all_jobs() if not job.name.startswith("__")]
    lines += [f"schedule {schedule.name} {schedule.cron_schedule}" for schedule in repository.schedule_defs]
    lines += [f"sensor {sensor.name}" for sensor in repository.sensor_defs]
    return "\n".join(sorted(lines)) + "\n"


def main() -> int:
    """Write ``asset_graph.txt`` from the definitions as loaded on a fresh data dir (the default cron)."""
    from orchestration.definitions import build_definitions

    if "SEAMLINE_SCHEDULE_CRON" in os.environ:
        print("unset SEAMLINE_SCHEDULE_CRON first: the snapshot records the default schedule", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["SEAMLINE_DATA_DIR"] = data_dir  # a fresh manifest from the models on disk
        SNAPSHOT_FILE.write_text(describe(build_definitions().get_repository_def()))
    print(f"wrote {SNAPSHOT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
