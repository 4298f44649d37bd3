"""The tiny world's warehouse built on DuckDB and on Spark: every mart equal row for row.

One world per seed, loaded raw once (sandbox.direct_load), built by dbt on DuckDB and by
orchestration.spark.engine on a local Spark (raw Parquet, dbt-spark, the Python models through the
bridge). Money to the cent, shares and scores to 1e-9, everything else exactly (tests/spark/compare.py).
Each seed starts its own Spark (a separate process: one SparkSession per process).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.spark.compare import differences

pytestmark = [pytest.mark.slow, pytest.mark.spark]

SEEDS = (7, 11)
MART_SCHEMAS = ("marts", "restricted")


def _build_on_spark(data_dir: Path) -> None:
    """orchestration.spark.engine.build_on_spark in a child process (its JVM ends with it)."""
    code = "import sys; from orchestration.spark.engine import build_on_spark; build_on_spark(sys.argv[1])"
    env = os.environ | {"SEAMLINE_PII_SALT": "test-salt", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    finished = subprocess.run([sys.executable, "-c", code, str(data_dir)], env=env, capture_output=True,
                              text=True, timeout=1800, check=False)
    assert finished.returncode == 0, f"Spark build failed:\n{finished.stdout[-4000:]}\n{finished.stderr[-4000:]}"


def _spark_tables(data_dir: Path) -> dict[str, object]:
    """Every mart table written by Spark, read straight from its Parquet files (no JVM needed)."""
    warehouse = data_dir / "spark" / "warehouse"
    tables = {}
    with duckdb.connect() as connection:
        for schema in MART_SCHEMAS:
            for folder in sorted((warehouse / f"{schema}.db").glob("*")):
                tables[f"{schema}.{folder.name}"] = connection.execute(
                    f"select * from read_parquet('{folder}/*.parquet')").df()
    return tables


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def both_engines(request, tmp_path_factory) -> tuple[Path, dict[str, object]]:
    from sandbox.direct_load import load_world, run_dbt
    from sandbox.world.generate import generate_world

    root = tmp_path_factory.mktemp(f"spark_seed{request.param}")
    world = generate_world("tiny", request.param, root / "world")
    duck_dir, spark_dir = root / "duckdb", root / "spark_data"
    duck_dir.mkdir()
    os.environ.setdefault("SEAMLINE_PII_SALT", "test-salt")
    load_world(world, duck_dir)
    spark_dir.mkdir()
    shutil.copy(duck_dir / "raw.duckdb", spark_dir / "raw.duckdb")
    run_dbt(duck_dir, "build")
    _build_on_spark(spark_dir)
    return duck_dir, _spark_tables(spark_dir)


def _mart_models(duck_dir: Path) -> list[str]:
    """`schema.table` of every mart model (not the tests' failure tables that share the schema)."""
    manifest = json.loads((duck_dir / "dbt_target" / "manifest.json").read_text())
    return sorted(f"{node['schema']}.{node['alias']}" for node in manifest["nodes"].values()
                  if node["resource_type"] == "model" and node["schema"] in MART_SCHEMAS)


def test_every_mart_is_equal_on_duckdb_and_spark(both_engines):
    duck_dir, spark_tables = both_engines
    mart_names = _mart_models(duck_dir)
    assert len(mart_names) > 20, mart_names
    assert sorted(spark_tables) == mart_names
    problems = {}
    with duckdb.connect(str(duck_dir / "warehouse.duckdb"), read_only=True) as connection:
        for name in mart_names:
            duck = connection.execute(f"select * from {name}").df()
            schema, table = name.split(".")
            money = {column for (column,) in connection.execute(  # money is decimal(_, 2): to the cent
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "and data_type like 'DECIMAL(%,2)'", [schema, table]).fetchall()}
            found = differences(duck, spark_tables[name], money_columns=money)
            if found:
                problems[name] = found
    assert not problems, "\n".join(f"{name}: {found[0]}" for name, found in problems.items())
