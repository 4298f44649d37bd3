"""The dashboard's dbt exposure names every mart the dashboard's queries read."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def _exposure_refs() -> set[str]:
    document = yaml.safe_load((REPO / "dbt_project" / "models" / "exposures.yml").read_text())
    (dashboard,) = [e for e in document["exposures"] if e["type"] == "dashboard"]
    return {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in dashboard["depends_on"]}


def test_exposure_lists_exactly_the_marts_the_dashboard_reads():
    sources = "\n".join(path.read_text() for path in (REPO / "dashboards").rglob("*.py"))
    read = set(re.findall(r"\bmarts\.(\w+)", sources))
    assert read, "the dashboard reads no marts? (dashboards/ not found)"
    assert _exposure_refs() == read


def test_every_exposed_mart_exists_as_a_model():
    models = {path.stem for path in (REPO / "dbt_project" / "models" / "marts").rglob("*.sql")}
    assert _exposure_refs() <= models
