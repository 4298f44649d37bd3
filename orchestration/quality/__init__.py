"""Quality gates: Great Expectations suites (defined in code) run as Dagster asset checks."""
