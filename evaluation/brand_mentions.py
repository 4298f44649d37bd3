"""Precision and recall of the brand-mention classifier against the demo world's labels.

The world labels every post it serves (`truth/brand_mentions.parquet`: uri, about_brand, kind in
person_post, brand_post, off_topic). A brand mention is a post by someone other than the brand that is
about the brand, so the brand's own posts (found by the author feed, always counted as its own posts)
are left out: the scored posts are the people's posts and the off-topic ones. A labelled post the
warehouse never classified counts as not found (a miss when it was about the brand).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

CLASSIFIED_TABLE = "intermediate.int_social_posts_classified"
TRUTH_FILE = "brand_mentions.parquet"


def read_truth(truth_dir: Path | str) -> pd.DataFrame:
    """post_uri, about_brand, kind for every labelled post other than the brand's own."""
    path = Path(truth_dir) / TRUTH_FILE
    if not path.is_file():
        raise FileNotFoundError(f"brand mention evaluation: truth file not found: {path}")
    truth = pd.read_parquet(path, columns=["uri", "about_brand", "kind"]).rename(columns={"uri": "post_uri"})
    return truth[truth["kind"] != "brand_post"].reset_index(drop=True)


def score_classified(classified: pd.DataFrame, truth: pd.DataFrame) -> dict[str, Any]:
    """Precision, recall and counts of `classified` (post_uri, about_brand[, method]) against `truth`.

    Also per method (which rule or the model said "about"): how many posts it claimed and how many of
    those were right, so a rule that misfires shows up by name.
    """
    columns = ["post_uri", "about_brand"] + (["method"] if "method" in classified.columns else [])
    joined = truth.merge(classified[columns].rename(columns={"about_brand": "predicted"}), on="post_uri",
                         how="left")
    predicted = joined["predicted"].fillna(False).astype(bool)
    actual = joined["about_brand"].astype(bool)
    tp = int((predicted & actual).sum())
    fp = int((predicted & ~actual).sum())
    fn = int((~predicted & actual).sum())
    tn = int((~predicted & ~actual).sum())
    result: dict[str, Any] = {
        "posts": len(joined),
        "about_brand": int(actual.sum()),
        "off_topic": int((~actual).sum()),
        "unclassified": int(joined["predicted"].isna().sum()),
        "true_positives": tp, "false_positives": fp, "false_negatives": fn, "true_negatives": tn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
    }
    if "method" in joined.columns:
        claimed = joined[predicted]
        result["by_method"] = {
            str(method): {"claimed": len(group), "correct": int(group["about_brand"].astype(bool).sum())}
            for method, group in sorted(claimed.groupby(claimed["method"].fillna("none")), key=lambda kv: kv[0])
        }
    return result


def score_brand_mentions(warehouse: Path | str, truth_dir: Path | str) -> dict[str, Any]:
    """Score a built warehouse's int_social_posts_classified against the world's truth (read-only)."""
    truth = read_truth(truth_dir)
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        classified = connection.sql(f"select post_uri, about_brand, method from {CLASSIFIED_TABLE}").df()
    return score_classified(classified, truth)
