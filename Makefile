# The commands of the README: `make run`, `make test` (everything) and `make test-fast`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --disable-pip-version-check -q
# One stamp per requirements file: editing either file re-installs on the next make.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP     := $(VENV)/.installed-dev

.PHONY: run install install-dev lint typecheck test test-fast bench cluster swagger-ui clean

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

# Swagger UI for GET /api/docs, vendored into backend/static/swagger-ui/ (committed; nothing is
# fetched at run time or by make test). Re-run after changing the pin: npm fetches the package,
# its tarball must match the pinned integrity, and only the served files and licences are kept.
SWAGGER_UI_VERSION   := 5.35.0
SWAGGER_UI_INTEGRITY := sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==
SWAGGER_UI_FILES     := swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE

swagger-ui:
	rm -rf .swagger-ui && mkdir .swagger-ui
	cd .swagger-ui && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) >/dev/null
	test "sha512-$$(openssl dgst -sha512 -binary .swagger-ui/swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz | base64 -w0)" = "$(SWAGGER_UI_INTEGRITY)"
	tar -xzf .swagger-ui/swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz -C .swagger-ui
	rm -rf backend/static/swagger-ui && mkdir -p backend/static/swagger-ui
	cd .swagger-ui/package && cp $(SWAGGER_UI_FILES) ../../backend/static/swagger-ui/
	rm -rf .swagger-ui

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
