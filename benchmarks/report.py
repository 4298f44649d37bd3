"""Writes the results: BENCHMARKS.md for people and a JSON file with the same figures for machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.context import Section


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown_table(columns: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def render_markdown(run: dict[str, Any], sections: list[Section]) -> str:
    """The human report: conditions first, then one part per measurement, failures stated as such."""
    machine, versions = run["machine"], run["versions"]
    lines = [
        "# Seamline benchmarks",
        "",
        "Written by the benchmark harness (`benchmarks/`); do not edit by hand. Re-run with",
        (f"`{run['command']}` (or `make bench ARGS=\"...\"`). Machine-readable figures: "
        f"`{run['results_file']}`."),
        "",
        "Every timing is the median of the runs stated next to it; every ratio is measured in the same",
        "run against its baseline. Peak memory is the largest resident set of a single process of the",
        "measured step (the step process's VmHWM, or the largest process it waited for).",
        "",
        "## Conditions",
        "",
        (f"- Date: {run['date_utc']}; harness wall time {run['harness_seconds']:.0f} s; "
        f"mode: {'quick' if run['quick'] else 'full'}; worlds: {', '.join(run['scales'])}; "
        f"seed {run['seed']}; runs per timing: {run['repeats']} (whole-pipeline and dbt-level timings: "
        f"{run['pipeline_repeats']})"),
        f"- Command: `{run['command']}` (git commit {run['git_commit']})",
        (f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB RAM, "
        f"{machine['os']}; load average (1, 5, 15 min) at start {machine['load_average_at_start']}, at end "
        f"{run.get('load_average_at_end')} (other work on the machine inflates wall times)"),
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()),
        "",
        "## Summary",
        "",
    ]
    summary_rows = [[s.title, s.status, s.reason or "; ".join(_headline(s))] for s in sections]
    lines += _markdown_table(["measurement", "status", "headline / reason"], summary_rows)
    for section in sections:
        lines += ["", f"## {section.title}", ""]
        if section.status != "measured":
            lines += [f"**{section.status}**" + (f": {section.reason}" if section.reason else ""), ""]
        for table in section.tables:
            if table.title:
                lines += [f"{table.title}", ""]
            lines += _markdown_table(table.columns, table.rows) + [""]
        lines += [f"- {note}" for note in section.notes]
    return "\n".join(lines).rstrip() + "\n"


def _headline(section: Section) -> list[str]:
    headline = section.figures.get("headline")
    if isinstance(headline, list):
        return [str(item) for item in headline]
    return [str(headline)] if headline else []


def write_results(out_markdown: Path, run: dict[str, Any], sections: list[Section]) -> Path:
    """Write BENCHMARKS.md and its JSON twin (same stem, .json); returns the JSON path."""
    results_path = out_markdown.with_suffix(".json")
    run = {**run, "results_file": results_path.name}
    payload = {"run": run, "sections": {s.key: s.to_dict() for s in sections}}
    results_path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    out_markdown.write_text(render_markdown(run, sections))
    return results_path
