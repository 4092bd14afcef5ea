# The two promises of the README: `make run` and `make test`, from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address `make run` serves, for the links in the e-mails it sends (settings' default is :8000; an explicit
# SITE_URL, in the environment or on the command line, wins).
SITE_URL ?= http://$(HOST):$(PORT)

# Django 6 needs Python 3.12+. Prefer an explicit 3.13/3.12, then python3 if it is new enough.
PYTHON := $(shell for c in python3.13 python3.12 python3; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$c; break; fi; done)

.PHONY: help run test bench setup messages lint format check clean

help:
	@echo "make run     set up (venv, migrations, translations, demo data), serve http://$(HOST):$(PORT)/ and run the schedule"
	@echo "make test    run the whole test suite"
	@echo "make lint    ruff lint and format check"
	@echo "make bench   the page benchmark (PostgreSQL, Redis, gunicorn, wrk; see benchmarks/pages.py)"

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (Django 6); install python3.12 and retry." >&2; exit 1; fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(BIN)/.installed messages

# Compiled catalogues are build output, not source. msgfmt comes from GNU gettext.
messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then apt-get install -y -qq gettext >/dev/null; \
		else echo "msgfmt not found: install GNU gettext (apt-get install gettext / brew install gettext)." >&2; exit 1; fi; }
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

# The scheduler (config/celery.py's beat schedule, in process: reminders, the outbox sweep) runs next to runserver and
# stops with it; a process of its own, so runserver's autoreloader never starts a second one.
run: export SITE_URL := $(SITE_URL)
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_data
	$(PY) manage.py send_outbox
	$(PY) manage.py run_scheduler & trap "kill $$! 2>/dev/null" EXIT; $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

# Every page against a trivial view, served by gunicorn with the production settings (BENCH_ARGS: e.g. --only home).
bench: setup
	$(PY) benchmarks/pages.py $(BENCH_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var
