"""Table equality across engines: every row of a DuckDB table against the same table on Spark.

Both sides become pandas frames with the same column order, values normalised so that equal data
compares equal whatever each engine calls its types (timestamps as naive UTC, decimals and floats as
floats, lists as tuples), sorted on every column. Money is compared to the cent, shares to 1e-9
(floats to 1e-9 relative), everything else exactly.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math

import pandas as pd

FLOAT_TOLERANCE = 1e-9


def _plain(value):
    """One cell in a form both engines agree on."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):  # a DATE reaches pandas as a date or as a midnight timestamp
        return dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _plain(item)) for key, item in value.items()))
    if hasattr(value, "item"):
        return value.item()
    return value


def normalise(frame: pd.DataFrame) -> list[tuple]:
    """The rows as tuples of plain values, in a canonical order (columns by name, rows sorted)."""
    frame = frame[sorted(frame.columns)]
    rows = [tuple(_plain(value) for value in row) for row in frame.itertuples(index=False, name=None)]
    return sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))


def _equal(left, right, money: bool) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        if money:
            return round(float(left), 2) == round(float(right), 2) or abs(float(left) - float(right)) < 0.005
        return math.isclose(float(left), float(right), rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(left, tuple) and isinstance(right, tuple):
        return len(left) == len(right) and all(_equal(a, b, money) for a, b in zip(left, right, strict=True))
    return left == right


def differences(duckdb_frame: pd.DataFrame, spark_frame: pd.DataFrame, money_columns: set[str] = frozenset(),
                limit: int = 5) -> list[str]:
    """What differs between the two frames (empty when equal): columns, row counts, the first unequal rows."""
    if sorted(duckdb_frame.columns) != sorted(spark_frame.columns):
        return [f"columns differ: {sorted(set(duckdb_frame.columns) ^ set(spark_frame.columns))}"]
    if len(duckdb_frame) != len(spark_frame):
        return [f"row counts differ: duckdb {len(duckdb_frame)}, spark {len(spark_frame)}"]
    columns = sorted(duckdb_frame.columns)
    money = [column in money_columns for column in columns]
    found = []
    for left, right in zip(normalise(duckdb_frame), normalise(spark_frame), strict=True):
        unequal = [name for name, a, b, is_money in zip(columns, left, right, money, strict=True) if not _equal(a, b, is_money)]
        if unequal:
            found.append(f"{unequal}: duckdb {dict(zip(columns, left, strict=True))} / spark {dict(zip(columns, right, strict=True))}")
            if len(found) >= limit:
                break
    return found
