"""VADER scoring: labels, blank text, and the accuracy on the shared labelled review sentences."""


import pandas as pd
import pytest

from analytics.sentiment import benchmark_accuracy, read_labelled_sentences, score_frame, sentiment_label
from seamline_core.paths import shared_dir

BENCHMARK_DIR = shared_dir() / "benchmarks" / "sentiment"


def test_score_frame_labels_and_blank_text():
    reviews = pd.DataFrame({"review_id": ["r1", "r2", "r3", "r4"],
                            "comment": ["Great staff, I love this store!", "Terrible service, rude staff, awful experience.",
                                        "The store is on Main Street.", None]})
    scored = score_frame(reviews, "review_id", "comment").set_index("review_id")
    assert scored.loc["r1", "sentiment_compound"] > 0.5
    assert scored.loc["r2", "sentiment_compound"] < -0.5
    assert list(scored["sentiment_label"].astype(object).fillna("none")) == [
        "positive", "negative", "neutral", "none"]
    assert pd.isna(scored.loc["r4", "sentiment_compound"])


def test_label_thresholds():
    assert [sentiment_label(v) for v in (0.05, 0.049, -0.049, -0.05, None)] == [
        "positive", "neutral", "neutral", "negative", None]


def test_missing_column_is_named():
    with pytest.raises(ValueError, match="column 'comment' missing"):
        score_frame(pd.DataFrame({"review_id": ["r1"]}), "review_id", "comment")


def test_malformed_benchmark_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Fine.\t1\nno label here\n")
    with pytest.raises(ValueError, match="bad.txt:2"):
        read_labelled_sentences(path)


def test_benchmark_accuracy_reaches_the_vader_baseline():  # ../shared is beside every checkout and CI
    results = benchmark_accuracy(BENCHMARK_DIR)
    assert results["amazon"]["sentences"] == 1000 and results["yelp"]["sentences"] == 1000
    assert results["amazon"]["accuracy"] >= 0.75
    assert results["yelp"]["accuracy"] >= 0.71
    assert results["overall"]["sentences"] == 2000
