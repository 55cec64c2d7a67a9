# Developer commands. `make run` and `make test` work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test fuzz lint format clean

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

# pytest exits with 5 when it collects no tests; that is not a failure of the code.
test: install
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

# schemathesis against the OpenAPI schema on a live server (production settings, throwaway db).
fuzz: install
	bash scripts/fuzz_api.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
