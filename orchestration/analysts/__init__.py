"""Analyst access (issue 21): the dbt docs site, governed metrics and the read-only snapshot.

    seamline docs [--port P] [--no-serve]      dbt docs generated offline from the built warehouse, served on 127.0.0.1
    seamline metrics list                      the governed metrics (MetricFlow) and their dimensions
    seamline metrics query --metrics M[,M] ... a governed metric, answered from the published snapshot (read-only)
    seamline snapshot                          the path of the published snapshot and how to open it

Kept out of orchestration/cli.py (which only dispatches here) so the two can change independently.
Analysts read only the public snapshot (hashed or masked PII); nothing here opens the restricted file.
"""
