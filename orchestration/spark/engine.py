"""Build the warehouse on Spark: raw Parquet as sources, dbt-spark for SQL, a bridge for Python models.

One Python process holds one SparkSession: dbt-spark's `session` method finds it with
``SparkSession.builder.getOrCreate()`` (the same settings as the `spark` profile), so dbt runs in
process (``dbtRunner``) stage by stage and the Python models run between stages on the same session.

dbt-spark cannot run Python models with the session method. Each Python model runs here instead, as
the same ``model(dbt, session)`` function: its inputs are read from Spark as Arrow tables into an
in-process DuckDB (the relation API the models are written against), its pandas result is written
back as a Spark table. The logic is the project's own (identical to the DuckDB build); only its inputs
and output cross the bridge, so a Python model runs on the driver: fine for what they take as input
(aggregated paths, identity nodes and edges, review texts), see docs/SPARK.md for the limits.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from seamline_core import paths

RAW_DATASETS = ("shopify", "square", "google_reviews", "bluesky", "web_events")


def spark_dir(data_dir: Path) -> Path:
    """Spark's warehouse, metastore and raw Parquet live under the data dir (docs/SPARK.md)."""
    return Path(data_dir) / "spark"


def raw_parquet_dir(data_dir: Path) -> Path:
    """Where the raw layer is landed as Parquet: ``$SEAMLINE_RAW_PARQUET`` (a path or object-store URL)."""
    return Path(os.environ.get("SEAMLINE_RAW_PARQUET") or spark_dir(data_dir) / "raw")


def export_raw_parquet(raw_database: Path, target: Path) -> dict[str, list[str]]:
    """Every raw table of the connectors' datasets as ``<target>/<dataset>/<table>.parquet``.

    The dlt tables keep their names, columns and types (timestamps as UTC instants); dlt's own
    bookkeeping tables (`_dlt_*`) stay behind. Returns the tables written per dataset.
    """
    written: dict[str, list[str]] = {}
    with duckdb.connect(str(raw_database), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_name not like '\\_dlt\\_%' escape '\\' order by 1, 2").fetchall()
        for dataset, table in tables:
            if dataset not in RAW_DATASETS:
                continue
            (target / dataset).mkdir(parents=True, exist_ok=True)
            file = target / dataset / f"{table}.parquet"
            connection.execute(f"copy (select * from \"{dataset}\".\"{table}\") to '{file}' (format parquet)")
            written.setdefault(dataset, []).append(table)
    return written


def session_settings(data_dir: Path) -> dict[str, str]:
    """The SparkSession's settings, the same as the `spark` profile's server_side_parameters."""
    home = spark_dir(data_dir)
    return {
        "spark.master": os.environ.get("SEAMLINE_SPARK_MASTER", "local[2]"),
        "spark.app.name": "seamline",
        "spark.sql.warehouse.dir": str(home / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={home}",
        "spark.sql.session.timeZone": "UTC",
        # SQL as DuckDB reads it: backslashes in string literals are literal (regular expressions),
        # and a bad cast or a division by zero gives null rather than failing the query
        "spark.sql.parser.escapedStringLiterals": "true",
        "spark.sql.ansi.enabled": "false",
        "spark.sql.shuffle.partitions": os.environ.get("SEAMLINE_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.ui.enabled": "false",
        "spark.driver.memory": os.environ.get("SEAMLINE_SPARK_DRIVER_MEMORY", "2g"),
    }


def spark_session(data_dir: Path):
    """The process's SparkSession (Hive catalog on a local Derby metastore under the data dir)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in session_settings(data_dir).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def register_raw_sources(session, parquet_dir: Path | str, tables: Mapping[str, Iterable[str]]) -> None:
    """Each raw Parquet file as an external table ``<dataset>.<table>`` (the dbt sources' names)."""
    for dataset, names in tables.items():
        session.sql(f"create database if not exists `{dataset}`")
        for table in names:
            session.sql(f"drop table if exists `{dataset}`.`{table}`")
            session.sql(f"create table `{dataset}`.`{table}` using parquet "
                        f"location '{parquet_dir}/{dataset}/{table}.parquet'")


class _Config(dict):
    """``dbt.config``: ``dbt.config(materialized=...)`` is a no-op here, ``dbt.config.get`` reads the node."""

    def __call__(self, **_: Any) -> None:
        return None


class BridgeDbt:
    """The ``dbt`` object a Python model receives, reading its refs from Spark into DuckDB relations."""

    is_incremental = False  # on Spark every build is a full refresh (docs/SPARK.md)

    def __init__(self, spark, connection: duckdb.DuckDBPyConnection, node: Mapping[str, Any],
                 schema_of: Mapping[str, str]) -> None:
        self._spark, self._connection, self._schema_of = spark, connection, schema_of
        self.config = _Config(node["config"])
        self.this = f"{node['schema']}.{node['alias']}"

    def ref(self, name: str) -> duckdb.DuckDBPyRelation:
        view = f"__spark_{name}"
        self._connection.register(view, self._spark.table(f"{self._schema_of[name]}.{name}").toArrow())
        return self._connection.table(view)


def run_python_model(spark, node: Mapping[str, Any], schema_of: Mapping[str, str]) -> int:
    """Run one dbt Python model's ``model(dbt, session)`` and write its result as a Spark table."""
    path = paths.DBT_PROJECT_DIR / node["original_file_path"]
    spec = importlib.util.spec_from_file_location(f"seamline_spark_model_{node['name']}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with duckdb.connect(":memory:") as connection:
        connection.execute("set TimeZone = 'UTC'")
        result = module.model(BridgeDbt(spark, connection, node, schema_of), connection)
        table = connection.from_df(result).to_arrow_table() if not isinstance(result, duckdb.DuckDBPyRelation) \
            else result.to_arrow_table()
    table = _without_null_types(table)
    spark.sql(f"create database if not exists `{node['schema']}`")
    spark.createDataFrame(table).write.mode("overwrite").format("parquet").saveAsTable(
        f"`{node['schema']}`.`{node['alias']}`")
    return table.num_rows


def _without_null_types(table):
    """Arrow's null type (a column that is None on every row) as a string column: Parquet needs a type."""
    import pyarrow as pa

    for index, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(index, pa.field(field.name, pa.string()), table.column(index).cast(pa.string()))
    return table


def build_stages(manifest: Mapping[str, Any]) -> list[tuple[list[str], list[str]]]:
    """The build in stages: (SQL models dbt runs, then Python models the bridge runs), in dependency order.

    A stage's SQL models are every model not built yet whose ancestors include no unbuilt Python model;
    its Python models are those whose parents are then all built.
    """
    models = {uid: node for uid, node in manifest["nodes"].items()
              if node["resource_type"] in ("model", "seed") and node["config"].get("enabled", True)}
    parents = {uid: [p for p in manifest["parent_map"].get(uid, []) if p in models] for uid in models}
    python = {uid for uid, node in models.items() if node.get("language") == "python"}
    built: set[str] = set()
    stages = []

    def blocked(uid: str, seen: dict[str, bool]) -> bool:
        if uid not in seen:
            seen[uid] = (uid in python and uid not in built) or any(blocked(p, seen) for p in parents[uid])
        return seen[uid]

    while len(built) < len(models):
        seen: dict[str, bool] = {}
        sql = sorted(uid for uid in models if uid not in built and uid not in python and not blocked(uid, seen))
        built.update(sql)
        ready = sorted(uid for uid in python - built if all(p in built for p in parents[uid]))
        built.update(ready)
        if not sql and not ready:
            raise RuntimeError(f"no progress building on Spark: {sorted(set(models) - built)}")
        stages.append(([models[uid]["name"] for uid in sql], [uid for uid in ready]))
    return stages


def dbt_args(*args: str, data_dir: Path) -> list[str]:
    return [*args, "--project-dir", str(paths.DBT_PROJECT_DIR), "--profiles-dir", str(paths.DBT_PROJECT_DIR),
            "--target", "spark", "--target-path", str(spark_dir(data_dir) / "dbt_target"),
            "--log-path", str(spark_dir(data_dir) / "dbt_logs")]


def run_dbt(*args: str, data_dir: Path) -> None:
    """dbt in this process (it finds this process's SparkSession); raises with the failed nodes."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(dbt_args(*args, data_dir=data_dir))
    if not result.success:
        failed = [f"{r.node.name}: {r.message}" for r in (result.result or [])
                  if getattr(r, "status", None) in ("error", "fail")]
        raise RuntimeError(f"dbt {args[0]} on Spark failed: {result.exception or ''}\n" + "\n".join(failed))


def build_on_spark(data_dir: Path, raw_database: Path | None = None) -> None:
    """The whole dbt project on Spark: raw Parquet as sources, then seeds, SQL and Python models in stages."""
    data_dir = Path(data_dir).absolute()
    os.environ["SEAMLINE_DATA_DIR"] = str(data_dir)
    spark = spark_session(data_dir)
    parquet = raw_parquet_dir(data_dir)
    register_raw_sources(spark, parquet, export_raw_parquet(raw_database or data_dir / "raw.duckdb", parquet))
    build_models(spark, data_dir)


def build_models(spark, data_dir: Path) -> None:
    """dbt's models and seeds stage by stage (`build_stages`), every build a full refresh."""
    run_dbt("parse", data_dir=data_dir)
    manifest = json.loads((spark_dir(data_dir) / "dbt_target" / "manifest.json").read_text())
    schema_of = {node["name"]: node["schema"] for node in manifest["nodes"].values()
                 if node["resource_type"] in ("model", "seed")}
    for sql, python in build_stages(manifest):
        if sql:  # models and seeds; the data tests run after the whole build
            run_dbt("build", "--full-refresh", "--resource-type", "model", "--resource-type", "seed",
                    "--select", *sql, data_dir=data_dir)
        for uid in python:
            run_python_model(spark, manifest["nodes"][uid], schema_of)
