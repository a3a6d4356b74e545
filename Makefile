# Stride: two commands on a fresh machine.
#   make demo   install, prepare the embedded SQLite database with demo data, start the platform
#   make test   install what is missing and run the whole suite (SQLite and PostgreSQL)
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3
PO_FILES := $(wildcard src/stride/web/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
NPM_STAMP := node_modules/.installed-stamp

.PHONY: help install test-tools demo test lint typecheck importlint pytest-sqlite pytest-postgres benchmarks messages clean

help:
	@echo "make demo   start Stride with synthetic demo data at http://127.0.0.1:8000"
	@echo "make test   run the whole suite (ruff, mypy, lint-imports, pytest on SQLite and PostgreSQL)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compiled catalogues are build products (not in git): rebuilt when their .po changes.
$(MO_FILES): %.mo: %.po $(STAMP)
	$(BIN)/python scripts/compile-messages.py $<

# axe-core for the accessibility browser tests (npm; never served): reinstalled only when
# package-lock.json changes.
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $(NPM_STAMP)

# What the platform needs to run (make demo): Python packages and compiled catalogues.
install: $(STAMP) $(MO_FILES)

# What the test suite needs on top: Node tools for the browser tests.
test-tools: install $(NPM_STAMP)

# Extract new strings into every catalogue (needs GNU gettext); then translate them in the .po.
messages: $(STAMP)
	cd src/stride/web && for lang in zh_Hans ar ru bg; do \
	  STRIDE_ENV=test ../../../$(BIN)/python ../../../manage.py makemessages -l $$lang --no-location --no-obsolete; done

demo: install
	STRIDE_ENV=demo $(BIN)/python manage.py migrate --noinput --verbosity 0
	STRIDE_ENV=demo $(BIN)/python manage.py load_demo
	@echo "Stride is starting at http://127.0.0.1:8000 (Ctrl-C stops it)"
	STRIDE_ENV=demo $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts manage.py

typecheck: $(STAMP)
	$(BIN)/mypy

importlint: $(STAMP)
	$(BIN)/lint-imports

pytest-sqlite: test-tools
	@echo "== pytest on SQLite"
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest -p no:cacheprovider

# tests/core never touches a database, so the PostgreSQL run leaves it out. The browser
# tests (tests/e2e) drive pages whose storage is the same code on either database; they
# run once, in the SQLite run above (the demo's database), and so does the scan of every
# demo page for program values (what a page shows, not how it is stored). Every test of storage,
# concurrency and access (tests/web, tests/commands) runs on both.
pytest-postgres: test-tools
	@echo "== pytest on PostgreSQL"
	scripts/with-postgres.sh $(BIN)/pytest -p no:cacheprovider --ignore=tests/core \
	  --ignore=tests/e2e --ignore=tests/web/test_no_program_values.py

# System packages first (PostgreSQL, Chromium, npm, fonts, ...), then the project's own.
test:
	scripts/install-system-deps.sh
	$(MAKE) --no-print-directory test-tools
	$(MAKE) --no-print-directory lint typecheck importlint
	@# The two databases' runs share nothing (their own database, temporary folders per
	@# test), so they run side by side: the suite's wall time is the longer of the two.
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgres

# The registry benchmark measures PostgreSQL, on a throwaway cluster of its own.
benchmarks: install
	for b in benchmarks/*.py; do [ "$$b" = benchmarks/registry.py ] || \
	  STRIDE_ENV=test $(BIN)/python "$$b" || exit 1; done
	STRIDE_ENV=test scripts/with-postgres.sh $(BIN)/python benchmarks/registry.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache node_modules
