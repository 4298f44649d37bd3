"""Each dashboard page is a dbt exposure depending on exactly the marts that page reads.

What a page reads is derived from the code: the `queries.<function>(` calls in its view
(dashboards/views/<page>.py), plus the sidebar's (dashboards/layout.py, on every page), following each
function to the SQL constants and helper functions it uses, and collecting every `marts.<table>`.
"""

import inspect
import re
from pathlib import Path

import yaml

from dashboards import queries

REPO = Path(__file__).resolve().parents[2]
MART = re.compile(r"\bmarts\.(\w+)")


def _exposures() -> dict[str, set[str]]:
    document = yaml.safe_load((REPO / "dbt_project" / "models" / "exposures.yml").read_text())
    return {exposure["meta"]["view"]: {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1)
                                       for ref in exposure["depends_on"]}
            for exposure in document["exposures"] if exposure["type"] == "dashboard"}


def _marts_of(function: str, seen: set[str]) -> set[str]:
    if function in seen:
        return set()
    seen.add(function)
    source = inspect.getsource(getattr(queries, function))
    found = set(MART.findall(source))
    for name in re.findall(r"\b([A-Z][A-Z0-9_]+)\b", source):
        if isinstance(value := getattr(queries, name, None), str):
            found |= set(MART.findall(value))
    for called in re.findall(r"\b([a-z_]\w*)\(", source):
        candidate = getattr(queries, called, None)
        if inspect.isfunction(candidate) and candidate.__module__ == queries.__name__:
            found |= _marts_of(called, seen)
    return found


def _read_by(path: Path) -> set[str]:
    calls = set(re.findall(r"\bqueries\.(\w+)\(", path.read_text()))
    return set().union(*(_marts_of(call, set()) for call in calls)) if calls else set()


def test_every_page_is_an_exposure_of_exactly_the_marts_it_reads():
    sidebar = _read_by(REPO / "dashboards" / "layout.py")
    assert sidebar, "the sidebar reads no marts? (dashboards/layout.py not found)"
    pages = {f"dashboards/views/{path.name}": _read_by(path) | sidebar
             for path in sorted((REPO / "dashboards" / "views").glob("*.py"))}
    assert len(pages) >= 8
    assert _exposures() == pages


def test_every_exposed_mart_exists_as_a_model():
    models = {path.stem for path in (REPO / "dbt_project" / "models" / "marts").rglob("*.sql")}
    assert set().union(*_exposures().values()) <= models
