"""All SQL lives in dashboards/queries.py: pages and helpers neither hold SQL nor open DuckDB."""

from __future__ import annotations

import re
from pathlib import Path

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
SQL = re.compile(r"\b(select|insert|update|delete|drop|attach)\s.+\b(from|into|table|set|as)\b", re.IGNORECASE)


def test_only_the_data_access_module_holds_sql_or_opens_duckdb():
    offenders = []
    for path in sorted(DASHBOARDS.rglob("*.py")):
        if path.name == "queries.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "import duckdb" in text or ".execute(" in text:
            offenders.append(f"{path.relative_to(DASHBOARDS)}: opens DuckDB")
        offenders += [f"{path.relative_to(DASHBOARDS)}:{number}: {line.strip()}"
                      for number, line in enumerate(text.splitlines(), 1) if SQL.search(line)]

    assert offenders == []


def test_every_page_is_registered_in_the_app():
    app = (DASHBOARDS / "app.py").read_text(encoding="utf-8")
    pages = sorted(path.name for path in (DASHBOARDS / "views").glob("*.py"))

    assert pages and all(f'"views/{page}"' in app for page in pages)
    assert not (DASHBOARDS / "pages").exists()  # would switch Streamlit into its legacy page mode
