# The two commands of the quick start: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall when the dependency list changes.
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
SERVICES := . var/services.env &&
PORT ?= 8000
DEMO_FLAGS ?=

.PHONY: run test lint bench services venv check-deploy clean-demo

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=...)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

services:
	@bash deploy/dev/services.sh

# Set up everything that is missing (venv, PostgreSQL, Redis, database, demo province) and serve on :$(PORT).
# Running it again reuses what exists. DEMO_FLAGS=--full provisions all 205 sites of the province.
run: venv services
	@$(SERVICES) db=$${PGDATABASE:-govsites}; \
		psql -h $$PGHOST -p $$PGPORT -U $$PGUSER -d postgres -Atqc "select 1 from pg_database where datname='$$db'" | grep -q 1 \
		|| createdb -h $$PGHOST -p $$PGPORT -U $$PGUSER $$db
	$(SERVICES) DJANGO_SETTINGS_MODULE=config.settings.dev PLATFORM_SITE_PORT=$(PORT) $(PY) manage.py migrate_schemas --noinput -v 0
	$(SERVICES) DJANGO_SETTINGS_MODULE=config.settings.dev PLATFORM_SITE_PORT=$(PORT) $(PY) manage.py setup_demo $(DEMO_FLAGS)
	$(SERVICES) DJANGO_SETTINGS_MODULE=config.settings.dev PLATFORM_SITE_PORT=$(PORT) $(PY) manage.py refill_spare_schemas
	$(SERVICES) DJANGO_SETTINGS_MODULE=config.settings.dev PLATFORM_SITE_PORT=$(PORT) $(PY) manage.py compute_indicators
	@# The syndication and job workers beside the web server, stopped with it (Ctrl-C ends all three).
	$(SERVICES) export DJANGO_SETTINGS_MODULE=config.settings.dev PLATFORM_SITE_PORT=$(PORT); \
		$(PY) manage.py syndication_worker & worker=$$!; \
		( $(PY) manage.py finish_restores && exec $(PY) manage.py db_worker --backend jobs --queue-name site-jobs --no-reload ) & jobs=$$!; \
		trap "kill $$worker $$jobs 2>/dev/null" EXIT; \
		GUNICORN_BIND="127.0.0.1:$(PORT) [::1]:$(PORT)" GUNICORN_WORKERS=$${GUNICORN_WORKERS:-3} \
		$(VENV)/bin/gunicorn -c deploy/gunicorn/gunicorn.conf.py config.wsgi:application

# The whole test suite against real PostgreSQL, Redis and Chromium. CI runs exactly this.
test: venv services
	@bash deploy/dev/browser.sh
	@bash deploy/dev/edge.sh
	$(SERVICES) $(PY) -m pytest --create-db $(PYTEST_ARGS)

lint: venv services
	$(VENV)/bin/ruff check .
	PYTHONPATH=platform:. $(VENV)/bin/lint-imports
	$(SERVICES) DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

# On a production host, with its environment (secrets, hosts) loaded: Django's deployment checks.
check-deploy: venv
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py check --deploy --fail-level WARNING

# Start the demo from nothing: drops the development database and its files (media, backups,
# demo passwords). The next `make run` builds it all again.
clean-demo: services
	@$(SERVICES) dropdb -h $$PGHOST -p $$PGPORT -U $$PGUSER --if-exists --force $${PGDATABASE:-govsites}
	rm -rf var/media var/private-media var/backups var/demo-credentials.csv

bench: venv services
	@bash deploy/dev/bench-tools.sh
	@bash deploy/dev/edge.sh
	$(SERVICES) $(PY) bench/run.py $(BENCH_ARGS)
