"""Build the journey/attribution/KPI marts on the tiny world's TRUE touchpoints.

The marts are built in a throw-away dbt project made of the real dbt_project.yml and macros, this
area's model folders, and stand-ins (stub_models/) for the upstream models, which read the world's
truth and files. With identity taken out of the picture, every journey and hand-off must equal the
simulator's ground truth exactly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
MART_FOLDERS = ("intermediate/journeys", "intermediate/sentiment", "marts/journeys", "marts/attribution",
                "marts/kpis")
STUB_MODELS = Path(__file__).parent / "stub_models"
PROFILE = """seamline:
  target: test
  outputs:
    test:
      type: duckdb
      path: "{path}"
      threads: 1
      extensions: []
      settings:
        TimeZone: UTC
"""


def make_project(root: Path, warehouse: Path) -> Path:
    """A dbt project with this area's models and the stand-ins for everything upstream."""
    shutil.copy(DBT_PROJECT / "dbt_project.yml", root / "dbt_project.yml")
    shutil.copytree(DBT_PROJECT / "macros", root / "macros")
    # the project's generic tests (in_range, unique_combination, ...) the marts' YAML uses; not the
    # singular tests, which read models this project stubs out
    shutil.copytree(DBT_PROJECT / "tests" / "generic", root / "tests" / "generic")
    for folder in MART_FOLDERS:
        shutil.copytree(DBT_PROJECT / "models" / folder, root / "models" / folder)
    shutil.copytree(STUB_MODELS, root / "models" / "stubs")
    shutil.copy(DBT_PROJECT / "models" / "docs.md", root / "models" / "docs.md")  # doc blocks the YAML uses
    (root / "profiles.yml").write_text(PROFILE.format(path=warehouse))
    return root


def run_dbt(project: Path, world_dir: Path, *args: str) -> None:
    """dbt in a child process (so no DuckDB connection of dbt stays open in the test process)."""
    dbt = Path(sys.executable).parent / "dbt"
    env = {**os.environ, "STUB_WORLD_DIR": str(world_dir), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run([str(dbt), *args, "--project-dir", str(project), "--profiles-dir", str(project)],
                            check=False, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")


@pytest.fixture(scope="session")
def truth_marts(tmp_path_factory: pytest.TempPathFactory, tiny_world: Path) -> Path:
    """The warehouse file with the marts built on the tiny world's truth (read it read-only)."""
    root = tmp_path_factory.mktemp("truth_marts")
    warehouse = root / "warehouse.duckdb"
    (root / "project").mkdir()
    run_dbt(make_project(root / "project", warehouse), tiny_world, "build")
    return warehouse


@pytest.fixture
def marts_db(truth_marts: Path):
    """A read-only connection to the truth-built warehouse."""
    connection = duckdb.connect(str(truth_marts), read_only=True)
    yield connection
    connection.close()
