"""The same dbt project on Spark (issue 19 parts 2-3; docs/SPARK.md). Optional: needs `make spark-install`."""
