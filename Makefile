# Developer commands. `make run` and `make test` work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test fuzz check-install lint format clean oidc-provider adr-lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_twente
	$(PY) manage.py demo_accounts
	$(PY) manage.py run_scheduled
	@# After the accounts: its last lines are the login URL and the picture of the latest reports.
	$(PY) manage.py load_demo --base-url http://127.0.0.1:8000
	$(PY) manage.py runserver 127.0.0.1:8000

# The real OpenID provider the login tests start (tests/oidc, node-oidc-provider from npm).
# Without node those tests are skipped.
OIDC_PROVIDER := tests/oidc/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
oidc-provider:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(OIDC_PROVIDER); \
	else echo "npm not found: the OpenID Connect provider tests will be skipped"; fi

# The NL GOV API Design Rules lint (tests/adr: @stoplight/spectral-cli from npm) that
# tests/api/test_adr_lint.py runs on the published OpenAPI document. Without node it is skipped.
ADR_LINT := tests/adr/node_modules/.package-lock.json
$(ADR_LINT): tests/adr/package.json tests/adr/package-lock.json
	npm ci --prefix tests/adr --no-audit --no-fund --loglevel=error
adr-lint:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(ADR_LINT); \
	else echo "npm not found: the API Design Rules lint will be skipped"; fi

# pytest exits with 5 when it collects no tests; that is not a failure of the code.
test: install oidc-provider adr-lint
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

# schemathesis against the OpenAPI schema on a live server (production settings, throwaway db).
fuzz: install
	bash scripts/fuzz_api.sh

# `pip install .` into a fresh venv, then check --deploy, migrate, collectstatic, load_twente and
# requests to gunicorn from a directory outside the checkout (what a deployment does).
check-install:
	bash scripts/check_install.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
