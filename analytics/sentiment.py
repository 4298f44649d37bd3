"""Sentiment of review and social text with VADER, and its accuracy on labelled review sentences.

VADER (vaderSentiment) is a maintained lexicon-and-rules scorer that ships its lexicon in the wheel,
so it runs offline and deterministically. Labels use VADER's documented thresholds: compound >= 0.05
positive, <= -0.05 negative, otherwise neutral. Nothing here is tuned on the benchmark sentences:
the benchmark only measures (binary accuracy with compound >= 0 counted as positive, the convention
the published reference figures use, since the benchmark has no neutral class).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
BENCHMARK_FILES = {"amazon": "amazon_cells_labelled.txt", "yelp": "yelp_labelled.txt"}


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    """One analyser per process: loading the lexicon takes a noticeable fraction of a second."""
    return SentimentIntensityAnalyzer()


def sentiment_label(compound: float | None) -> str | None:
    """positive / neutral / negative from a VADER compound score (None for no text)."""
    if compound is None or pd.isna(compound):
        return None
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def compound_score(text: str | None) -> float | None:
    """VADER compound score in [-1, 1]; None for missing or blank text (a star-only review)."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
        return None
    return float(_analyzer().polarity_scores(str(text))["compound"])


def score_frame(frame: pd.DataFrame, id_column: str, text_column: str) -> pd.DataFrame:
    """Score a frame of texts: returns `<id_column>, sentiment_compound, sentiment_label`."""
    for column in (id_column, text_column):
        if column not in frame.columns:
            raise ValueError(f"sentiment scoring: column {column!r} missing; got {list(frame.columns)}")
    compounds = [compound_score(text) for text in frame[text_column]]
    return pd.DataFrame({
        id_column: frame[id_column].to_numpy(),
        "sentiment_compound": pd.array(compounds, dtype="Float64"),
        "sentiment_label": pd.array([sentiment_label(c) for c in compounds], dtype="string"),
    })


def read_labelled_sentences(path: Path) -> list[tuple[str, int]]:
    """Read `sentence<TAB>label` lines (UCI Sentiment Labelled Sentences format)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        sentence, _, label = line.rpartition("\t")
        if label.strip() not in ("0", "1") or not sentence:
            raise ValueError(f"{path}:{number}: expected 'sentence<TAB>0|1', got {line[:80]!r}")
        rows.append((sentence, int(label)))
    return rows


def binary_accuracy(rows: Iterable[tuple[str, int]]) -> tuple[float, int]:
    """Share of sentences whose sign (compound >= 0 -> positive) matches the label, and their count."""
    rows = list(rows)
    correct = sum(int((compound_score(text) or 0.0) >= 0) == label for text, label in rows)
    return correct / len(rows), len(rows)


def benchmark_accuracy(benchmark_dir: Path | str) -> dict[str, dict[str, float | int]]:
    """Accuracy of VADER on each labelled file in `benchmark_dir` (shared/benchmarks/sentiment).

    Returns {"amazon": {"accuracy", "sentences"}, "yelp": {...}, "overall": {...}}; used by the
    benchmark harness. Missing files raise FileNotFoundError naming the path.
    """
    directory = Path(benchmark_dir)
    results: dict[str, dict[str, float | int]] = {}
    correct_total = count_total = 0
    for name, file_name in BENCHMARK_FILES.items():
        path = directory / file_name
        if not path.is_file():
            raise FileNotFoundError(f"sentiment benchmark file not found: {path}")
        accuracy, count = binary_accuracy(read_labelled_sentences(path))
        results[name] = {"accuracy": round(accuracy, 4), "sentences": count}
        correct_total += round(accuracy * count)
        count_total += count
    results["overall"] = {"accuracy": round(correct_total / count_total, 4), "sentences": count_total}
    return results
