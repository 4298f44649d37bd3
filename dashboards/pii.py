"""Customer search without raw PII: the searched text goes through the same SQL as dbt's marts.

The public marts hold `email_hash` (salted SHA-256 of the normalised email), `phone_masked` and
`name_masked`. To find a customer by email, phone or name, the dashboard normalises and hashes or
masks the user's input with the very same dbt macros (rendered from `dbt_project/macros/`), so the
two sides cannot drift apart. The input is always the bound parameter `$search`; the salt is `$salt`,
whose default is dbt's (``configured_salt``).

The `service` role also searches the restricted PII file by raw values, normalised by the same macros.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import jinja2
import yaml

MACROS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "macros"
MAX_SEARCH_LENGTH = 254  # the longest valid email address
SEARCH_PARAMETER = "$search"
FIRST_WORD_SQL = "split_part(trim($search), ' ', 1)"
LAST_WORD_SQL = "nullif(regexp_extract(trim($search), '\\s(\\S+)$', 1), '')"


class _DuckDBDispatch:
    """dbt's ``adapter.dispatch`` as the DuckDB target resolves the project's cross-database macros
    (``macros/cross_database.sql``): the ``default__`` implementation, which is DuckDB's SQL."""

    cross_database: object = None

    def dispatch(self, name: str, macro_namespace: str | None = None) -> object:
        return getattr(self.cross_database, f"default__{name}")


@cache
def _environment() -> jinja2.Environment:
    """A Jinja environment where the identifier macros find the cross-database macros dbt would give them."""
    environment = jinja2.Environment(autoescape=False, extensions=["jinja2.ext.do"])  # dbt enables `do`
    dispatch = environment.globals["adapter"] = _DuckDBDispatch()
    source = (MACROS_DIR / "cross_database.sql").read_text(encoding="utf-8")
    dispatch.cross_database = environment.from_string(source).module
    environment.globals.update({name: getattr(dispatch.cross_database, name)
                                for name in dir(dispatch.cross_database) if not name.startswith("_")})
    return environment


@cache
def _macros(file_name: str) -> object:
    """The macros of one dbt macro file as Python callables that return SQL text."""
    source = (MACROS_DIR / file_name).read_text(encoding="utf-8")
    return _environment().from_string(source).module


def normalised_email_sql() -> str:
    """SQL for the searched email normalised as the golden record (and `restricted` schema) holds it."""
    return str(_macros("normalise_identifiers.sql").normalise_email(SEARCH_PARAMETER))


def normalised_phone_sql() -> str:
    """SQL for the searched phone number in E.164, as the golden record holds it."""
    return str(_macros("normalise_identifiers.sql").normalise_phone(SEARCH_PARAMETER))


def email_hash_sql() -> str:
    """SQL for the `email_hash` the marts would hold for the searched email (dbt's `hash_pii`, salt `$salt`)."""
    return str(_macros("pii.sql").hash_pii(f"({normalised_email_sql()})", "$salt"))


def configured_salt() -> str:
    """The salt dbt hashes with: its project var `pii_salt` (env `SEAMLINE_PII_SALT`, else the project's default).

    Rendered from dbt_project.yml, so the default is typed once, in dbt.
    """
    project = yaml.safe_load((MACROS_DIR.parent / "dbt_project.yml").read_text(encoding="utf-8"))
    template = jinja2.Environment(autoescape=False).from_string(project["vars"]["pii_salt"])
    return template.render(env_var=lambda name, default="": os.environ.get(name, default))


def phone_masked_sql() -> str:
    """SQL for the `phone_masked` the marts would hold for the searched phone number."""
    return str(_macros("pii.sql").mask_phone(f"({normalised_phone_sql()})"))


def name_masked_sql() -> str:
    """SQL for the `name_masked` the marts would hold for a searched "first last" name."""
    return str(_macros("pii.sql").mask_name(FIRST_WORD_SQL, LAST_WORD_SQL))


def search_kind(text: str) -> str:
    """Which identifier the user typed: `email`, `phone`, else `name` (a customer id always matches)."""
    if "@" in text:
        return "email"
    if re.fullmatch(r"[+0-9 ()./-]{7,}", text):
        return "phone"
    return "name"


def clean_search(text: str) -> str:
    """Trimmed input without control characters; raises ValueError with a message fit to show."""
    cleaned = "".join(ch for ch in text if ch.isprintable()).strip()
    if len(cleaned) > MAX_SEARCH_LENGTH:
        raise ValueError(f"The search text is {len(cleaned)} characters long; at most {MAX_SEARCH_LENGTH} "
                         "are allowed (an email, a phone number, a name or a customer id).")
    return cleaned
