"""The demo world (simulator + ground truth), the local vendor API sandboxes that serve it, and
`direct_load`, which lands the world in raw.duckdb without HTTP."""
