# The commands of the README: `make run`, `make test` (everything) and `make test-fast`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --disable-pip-version-check -q
# One stamp per requirements file: editing either file re-installs on the next make.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP     := $(VENV)/.installed-dev

.PHONY: run install install-dev lint typecheck test test-fast bench cluster clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(PIP) -r requirements.txt -r requirements-dev.txt
	touch $@

install: $(RUNTIME_STAMP)

install-dev: $(DEV_STAMP)

run: $(RUNTIME_STAMP)
	$(BIN)/gunicorn -c gunicorn.conf.py main:app

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Lint, types, then every test (tests/unit and tests/system), in a random order whose seed
# the last line names.
test: lint typecheck
	$(BIN)/python -m pytest -q

# The unit tier alone: no gunicorn, no browser, no PostgreSQL, Redis or SeaweedFS.
test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m "not system"

bench: $(RUNTIME_STAMP)
	$(BIN)/python -m bench.render_bench

# PostgreSQL, Redis, SeaweedFS, two app hosts and nginx on 127.0.0.1; prints the URL (docs/deployment.md).
cluster: $(DEV_STAMP)
	$(BIN)/python -m devstack.cluster

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
