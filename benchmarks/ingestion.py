"""Placeholder."""
from benchmarks.context import NotMeasured

KEY = "ingestion"
TITLE = "ingestion"


def measure(ctx):
    raise NotMeasured("not written yet")
