"""How a failed source load is described (orchestration/source_loads.py): the actionable error, no secret."""

from __future__ import annotations

from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.common.errors import SourceAuthError
from orchestration.runner import PipelineOutcome, summary
from orchestration.source_loads import describe_failure, mask_secrets, stale_sources


class _Pipeline:
    """The two attributes PipelineStepFailed reads from its pipeline."""

    pipeline_name = "seamline_test"
    has_pending_data = False


def _wrapped(error: BaseException) -> BaseException:
    """``error`` as dlt raises it from ``pipeline.run``: inside PipelineStepFailed."""
    try:
        try:
            raise error
        except BaseException as inner:
            raise PipelineStepFailed(_Pipeline(), "extract", "load-1", inner) from inner
    except PipelineStepFailed as outer:
        return outer


def test_the_connectors_own_error_wins_over_dlts_wrapper() -> None:
    auth = SourceAuthError("bluesky", "/xrpc/com.atproto.server.createSession",
                           "HTTP 401. Set SOURCES__BLUESKY__APP_PASSWORD to an app password")
    failure = describe_failure("bluesky", _wrapped(auth))
    assert failure.error_class == "SourceAuthError"
    assert failure.text.startswith("SourceAuthError: bluesky: /xrpc/com.atproto.server.createSession: HTTP 401")
    assert "SOURCES__BLUESKY__APP_PASSWORD" in failure.text


def test_a_connector_bug_shows_its_real_exception() -> None:
    failure = describe_failure("square", _wrapped(KeyError("total_money")))
    assert failure.error_class == "KeyError" and "total_money" in failure.message


def test_secret_values_are_masked_in_messages() -> None:
    environ = {"SOURCES__SHOPIFY__ACCESS_TOKEN": "shpat_abc123", "SOURCES__SHOPIFY__BASE_URL": "http://x"}
    assert mask_secrets("refused token shpat_abc123 at http://x", environ) == "refused token *** at http://x"


def test_the_summary_names_the_failed_source_and_its_error() -> None:
    rows = [{"source": "bluesky", "status": "failed", "error": "SourceAuthError: bluesky: login: HTTP 401",
             "last_successful_load_at": None, "run_id": "r1"},
            {"source": "shopify", "status": "loaded", "error": None, "last_successful_load_at": None, "run_id": "r1"}]
    outcome = PipelineOutcome(run_id="r1", success=False, published=False, status=None,
                              source_failures=stale_sources(rows))
    text = summary(outcome)
    assert "SOURCE FAILED bluesky: SourceAuthError: bluesky: login: HTTP 401" in text
    assert "it has never loaded" in text and "shopify" not in text


def test_a_source_the_run_did_not_load_keeps_its_previous_row(tmp_path) -> None:
    """E.g. seamline_transform_job after a degraded run: the source is still stale, from that run."""
    import dagster as dg

    from orchestration.source_loads import source_load_rows

    previous = [{"source": "bluesky", "status": "failed", "error": "SourceAuthError: x", "run_id": "r1",
                 "last_successful_load_at": None}]
    with dg.DagsterInstance.ephemeral() as instance:  # run r2 loaded nothing
        rows = source_load_rows(instance, "r2", ["bluesky", "shopify"], tmp_path / "raw.duckdb", previous)
    assert rows == [
        {"source": "bluesky", "status": "failed", "error": "SourceAuthError: x", "run_id": "r1",
         "last_successful_load_at": None},
        {"source": "shopify", "status": "not run", "error": None, "run_id": None, "last_successful_load_at": None},
    ]
    (stale,) = stale_sources(rows)
    outcome = PipelineOutcome(run_id="r2", success=True, published=True, status=None, source_failures=[stale])
    assert "the failed load was run r1, this run did not load it" in summary(outcome)
