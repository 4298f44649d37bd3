# Seamline: the two README commands are `make demo` and `make test`. Both create the venv if missing.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)

# Telemetry and version checks off everywhere: nothing may reach the internet.
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export RUNTIME__DLTHUB_TELEMETRY := false
export GX_ANALYTICS_ENABLED := false
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false
export DAGSTER_DISABLE_TELEMETRY := true
export SEAMLINE_DATA_DIR ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

.PHONY: install demo test test-fast ui docs lint lock bench bench-quick reliability clean browser screenshots spark-install test-spark

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@# bytecode once now: without it every process compiles dagster, dbt and GX again (seconds of CPU each start)
	@$(BIN)/python -m compileall -q -j 0 $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Regenerate the lock after changing a pin in pyproject.toml.
lock:
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q uv==0.13.8; }
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra spark --python-version 3.11 -q -c requirements.lock -o requirements-spark.lock

# The real browser for the dashboard tests (Debian's chromium; Playwright never downloads one).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

demo: install
	$(BIN)/seamline demo

# ruff first (seconds), then the whole suite, slow end-to-end tests included (about 17 minutes on 2 cores); CI runs exactly this.
test: install browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# The fast subset for the edit-test loop (about 4 minutes).
test-fast: install browser
	$(BIN)/python -m pytest -m "not slow" -q

ui: install
	$(BIN)/seamline ui

# The dbt docs site (offline, catalog from the built warehouse) on 127.0.0.1; docs/analysts.md.
docs: install
	$(BIN)/seamline docs $(ARGS)

lint: install
	$(BIN)/ruff check .

# `make bench` (small world, plus medium and the scaling curve) and `make bench-quick` (small world only).
# Extra options go through ARGS, e.g. `make bench ARGS="--scale medium"` (make itself owns `--flags`).
bench: install
	$(BIN)/seamline bench $(ARGS)

bench-quick: install
	$(BIN)/seamline bench --quick $(ARGS)

# The fault suite on the small world (every fault kind, about 30-60 min on 2 cores): writes RELIABILITY.md.
reliability: install
	$(BIN)/seamline reliability $(ARGS)

# Optional: the Spark engine (pyspark, dbt-spark; Java 17 on PATH). docs/SPARK.md. `make demo`/`make test` never need it.
spark-install: install
	@command -v java >/dev/null || { echo "Spark needs Java 17 (apt-get install -y openjdk-17-jre-headless)"; exit 1; }
	$(BIN)/uv pip install -q --python $(BIN)/python -r requirements-spark.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .

# The tiny world built on DuckDB and on Spark, every mart compared row for row (tests/spark).
test-spark: spark-install
	$(BIN)/python -m pytest -q -m spark tests/spark

clean:
	rm -rf data dbt_project/target dbt_project/logs

# A screenshot of every dashboard page (and Customer 360 with a customer found) in screenshots/, taken by
# the real-browser test on its test snapshot, so a reviewer can look at every page without running the UI.
screenshots: install browser
	$(BIN)/python -m pytest -q tests/dashboards/test_dashboard_browser.py
