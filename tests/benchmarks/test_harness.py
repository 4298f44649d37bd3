"""The harness's plumbing: results written with the expected keys, honest statuses, sane values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import harness
from benchmarks.context import NotMeasured, Section, Table
from benchmarks.measure import percentile, run_child


class _Missing:
    KEY, TITLE = "missing", "A layer that does not exist yet"

    @staticmethod
    def measure(ctx):
        raise NotMeasured("`nowhere.layer` does not exist yet")


class _Broken:
    KEY, TITLE = "broken", "A layer that crashes"

    @staticmethod
    def measure(ctx):
        raise ValueError("boom in the layer")


class _Fine:
    KEY, TITLE = "fine", "A layer that measures"

    @staticmethod
    def measure(ctx):
        section = Section("fine", "A layer that measures", figures={"headline": "42 rows/s", "rows_per_s": 42.0})
        section.tables.append(Table("", ["scale", "rows/s"], [[ctx.scales[0], 42.0]]))
        return section


def _run(monkeypatch, tmp_path: Path, modules, *extra: str) -> tuple[int, dict, str]:
    monkeypatch.setattr(harness, "MEASUREMENTS", modules)
    out = tmp_path / "BENCH.md"
    code = harness.main(["--quick", "--out", str(out), "--workdir", str(tmp_path / "work"), *extra])
    return code, json.loads(out.with_suffix(".json").read_text()), out.read_text()


def test_statuses_are_reported_honestly(monkeypatch, tmp_path):
    code, results, markdown = _run(monkeypatch, tmp_path, (_Fine, _Missing, _Broken))
    assert code == 1  # a failed measurement makes the run fail
    sections = results["sections"]
    assert sections["fine"]["status"] == "measured"
    assert sections["fine"]["figures"]["rows_per_s"] == 42.0
    assert sections["missing"] == {**sections["missing"], "status": "not measured",
                                   "reason": "`nowhere.layer` does not exist yet"}
    assert sections["broken"]["status"] == "failed"
    assert sections["broken"]["reason"] == "ValueError: boom in the layer"
    assert "ValueError" in sections["broken"]["figures"]["traceback"]
    assert "| A layer that crashes | failed | ValueError: boom in the layer |" in markdown
    assert "| small | 42.00 |" in markdown


def test_conditions_are_recorded(monkeypatch, tmp_path):
    code, results, markdown = _run(monkeypatch, tmp_path, (_Fine,), "--repeats", "2")
    assert code == 0
    run = results["run"]
    assert run["quick"] is True and run["scales"] == ["small"] and run["scaling_scales"] == []
    assert run["repeats"] == 2
    assert run["machine"]["cpus"] >= 1 and run["machine"]["memory_gib"] > 0
    assert run["versions"]["duckdb"] == "2.0.1"
    assert run["command"].startswith("python -m benchmarks --quick")
    assert run["date_utc"][:2] == "20"
    assert "## Conditions" in markdown and run["command"] in markdown


def test_full_run_measures_three_scales_for_the_curve(tmp_path):
    args = harness.parse_args(["--scale", "medium", "--workdir", str(tmp_path)])
    ctx = harness.build_context(args)
    assert ctx.scales == ["small", "medium"]
    assert ctx.scaling_scales == ["tiny", "small", "medium"]
    assert ctx.repeats == ctx.pipeline_repeats == 3


def test_quick_run_measures_the_small_world_with_fewer_pipeline_runs(tmp_path):
    ctx = harness.build_context(harness.parse_args(["--quick", "--workdir", str(tmp_path)]))
    assert ctx.scales == ["small"] and ctx.scaling_scales == []
    assert (ctx.repeats, ctx.pipeline_repeats) == (3, 2)


def test_unknown_measurement_is_refused(capsys):
    with pytest.raises(SystemExit):
        harness.parse_args(["--only", "nonsense"])
    assert "unknown measurement" in capsys.readouterr().err


def test_percentile_interpolates_like_numpy():
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == pytest.approx(3.85)
    assert percentile([7.0], 95) == 7.0


def test_child_reports_result_time_and_memory():
    run = run_child("benchmarks.measure:percentile", {"values": [3.0, 1.0, 2.0], "q": 50})
    assert run.result == 2.0
    assert 0 <= run.seconds < run.wall_seconds
    assert 10 * 2**20 < run.peak_rss_bytes < 2 * 2**30


def test_sentiment_measurement_on_the_labelled_sentences(tmp_path):
    """The real sentiment measurement end to end through the harness (about 5 s)."""
    out = tmp_path / "B.md"
    code = harness.main(["--quick", "--only", "sentiment", "--repeats", "1", "--out", str(out),
                         "--workdir", str(tmp_path / "work")])
    section = json.loads(out.with_suffix(".json").read_text())["sections"]["sentiment"]
    assert code == 0, section
    assert section["status"] == "measured"
    accuracy = section["figures"]["accuracy"]
    assert accuracy["amazon"]["sentences"] == 1000 and accuracy["yelp"]["sentences"] == 1000
    assert 0.6 < accuracy["overall"]["accuracy"] < 1.0
    assert section["figures"]["time"]["runs"] == 1


def test_scaling_exponent_recovers_known_powers():
    from benchmarks.scaling import loglog_exponent

    sizes = [1_000.0, 10_000.0, 100_000.0]
    assert loglog_exponent(sizes, [0.002 * s for s in sizes]) == pytest.approx(1.0)
    assert loglog_exponent(sizes, [5.0 + 0 * s for s in sizes]) == pytest.approx(0.0)
    assert loglog_exponent(sizes, [1e-6 * s**1.5 for s in sizes]) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="same size"):
        loglog_exponent([10.0, 10.0], [1.0, 2.0])


def test_child_peak_memory_is_not_the_parents():
    """Linux folds the parent's high-water mark into a vforked child's ru_maxrss; the harness must not."""
    ballast = bytearray(400 * 2**20)
    ballast[:: 4096] = b"\x01" * len(ballast[:: 4096])  # touch every page so it is resident
    run = run_child("benchmarks.measure:percentile", {"values": [1.0], "q": 50})
    assert run.peak_rss_bytes < 200 * 2**20
    del ballast
