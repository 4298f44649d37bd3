"""Score only the texts a sentiment table has not scored yet, for the incremental dbt Python models.

VADER scores one text at a time and dominates the sentiment models' run time, while a day adds only a
handful of reviews and posts. A text is re-scored when its id is new or its text changed since it was
scored (an edited review): each scored row keeps the md5 of the text it was scored from. Rows whose id
left the source are removed by the model's post-hook, so an incremental table equals a full rebuild.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analytics.incremental import built_with
from analytics.sentiment import score_frame

TEXT_FINGERPRINT = "scored_text_md5"


def score_unscored_texts(dbt: Any, session: Any, texts: Any, id_column: str, text_column: str) -> pd.DataFrame:
    """Sentiment of the rows of `texts` (a DuckDB relation) that are new or changed since last scored.

    Returns `<id_column>, sentiment_compound, sentiment_label, scored_text_md5`; on a full build, or
    when the existing table predates the fingerprint, every row.
    """
    candidates = texts.project(f"{id_column}, {text_column}, md5({text_column}) as {TEXT_FINGERPRINT}")
    if built_with(dbt, session, TEXT_FINGERPRINT):
        candidates = candidates.query("candidates", f"""
            select candidates.*
            from candidates
            left join {dbt.this} as scored using ({id_column})
            where scored.{id_column} is null
                or scored.{TEXT_FINGERPRINT} is distinct from candidates.{TEXT_FINGERPRINT}""")
    frame = candidates.df()
    scored = score_frame(frame, id_column, text_column)
    # typed even when nothing is new: an empty object column would reach DuckDB as type NULL
    scored[TEXT_FINGERPRINT] = frame[TEXT_FINGERPRINT].to_numpy()
    return scored.astype({id_column: "string", TEXT_FINGERPRINT: "string"})
