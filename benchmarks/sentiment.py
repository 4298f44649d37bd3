"""Sentiment accuracy: the project's scorer (`analytics.sentiment`) on labelled review sentences.

The labelled files (shared/benchmarks/sentiment: 1,000 Amazon and 1,000 Yelp sentences, half positive)
are a measuring stick only; nothing in the project is tuned on them. The scorer is run as the project
ships it, in a child process, so the time includes loading the lexicon.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.context import BenchContext, NotMeasured, Section, Table, require
from benchmarks.measure import Timing, run_child

KEY = "sentiment"
TITLE = "Sentiment accuracy (labelled review sentences)"
# Reference points measured on these machines (shared/benchmarks/README.md), not re-run here.
REFERENCE = {"amazon": 0.77, "yelp": 0.73}


def benchmark_dir(repo_root: Path) -> Path:
    """shared/benchmarks/sentiment beside the repository (../shared from the work tree)."""
    for candidate in (repo_root.parent / "shared" / "benchmarks" / "sentiment",
                      repo_root / "shared" / "benchmarks" / "sentiment"):
        if candidate.is_dir():
            return candidate
    raise NotMeasured(f"labelled sentences not found beside the repository ({repo_root.parent / 'shared'})")


def score(directory: str) -> dict[str, Any]:
    """Child-process body: the project's accuracy function on the labelled files."""
    from analytics.sentiment import benchmark_accuracy

    return benchmark_accuracy(Path(directory))


def measure(ctx: BenchContext) -> Section:
    require("analytics.sentiment", "benchmark_accuracy")
    directory = benchmark_dir(ctx.repo_root)
    runs = [run_child("benchmarks.sentiment:score", {"directory": str(directory)}, cwd=ctx.repo_root)
            for _ in range(ctx.repeats)]
    accuracies = runs[-1].result
    if any(run.result != accuracies for run in runs):
        raise RuntimeError("sentiment accuracies differ between runs: the scorer is not deterministic")
    timing = Timing([run.seconds for run in runs])
    sentences = accuracies["overall"]["sentences"]
    rows = [[name, values["sentences"], values["accuracy"], REFERENCE.get(name)]
            for name, values in accuracies.items()]
    section = Section(KEY, TITLE)
    section.figures = {
        "accuracy": accuracies,
        "reference_vader_accuracy": REFERENCE,
        "time": timing.to_dict(),
        "sentences_per_s": round(sentences / timing.median, 1),
        "peak_rss_mib": round(max(r.peak_rss_bytes for r in runs) / 2**20, 1),
        "headline": f"accuracy {accuracies['overall']['accuracy']:.3f} overall "
                    f"(amazon {accuracies['amazon']['accuracy']:.3f}, yelp {accuracies['yelp']['accuracy']:.3f})",
    }
    section.tables.append(Table("", ["dataset", "sentences", "accuracy", "reference (VADER, README)"], rows))
    section.notes += [
        (f"Scorer: `analytics.sentiment.benchmark_accuracy` (binary: compound >= 0 counts as positive); "
        f"{sentences} sentences scored in {timing.median:.2f} s median of {len(runs)} runs "
        f"(including lexicon load), {section.figures['sentences_per_s']:,.0f} sentences/s."),
        ("The reference column is the figure stated in shared/benchmarks/README.md for plain VADER, "
        "not a result of this run."),
    ]
    return section
