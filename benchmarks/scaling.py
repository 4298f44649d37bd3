"""Placeholder."""
from benchmarks.context import NotMeasured

KEY = "scaling"
TITLE = "scaling"


def measure(ctx):
    raise NotMeasured("not written yet")
