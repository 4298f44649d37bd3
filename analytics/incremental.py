"""What the incremental dbt Python models share: whether the table they build on can be updated in place.

Each incremental Python model keeps a fingerprint column beside its rows (the md5 of a scored text, a
hash of an order's touches) and recomputes only rows whose fingerprint changed. A table built before
that column existed cannot say what changed, so it is recomputed in full once, and a full build is.
"""

from __future__ import annotations

from typing import Any


def built_with(dbt: Any, session: Any, column: str) -> bool:
    """True on an incremental run over an existing table that already has `column`."""
    if not dbt.is_incremental:
        return False
    return column in session.sql(f"select * from {dbt.this} limit 0").columns
