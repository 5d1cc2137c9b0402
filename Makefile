# Sourcewise: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
# The app never guesses its mode. These targets serve a developer's machine and choose
# development mode (debug, a per-checkout secret in .secret-key) on their command lines.
# worker and beat follow the environment, as they also run in production.
DEV := DJANGO_DEBUG=true

.PHONY: install run serve test test-fast worker beat lint migrate seed browser benchmarks clean

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) .env

# A developer's checkout: running make here chooses development mode for manage.py too.
# Production sets DJANGO_DEBUG=false in its environment, which always wins over .env.
.env:
	@printf '%s\n' '# Written by make: this checkout runs in development mode. Production sets' \
	  '# DJANGO_DEBUG=false (and the rest, see .env.example) in its environment.' \
	  'DJANGO_DEBUG=true' > .env

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV) $(PY) manage.py seed_demo

# The whole system, as in production: the web server on http://127.0.0.1:8000, a Celery
# worker and beat (Procfile.dev), started and stopped together (Ctrl-C) by honcho. Without
# REDIS_URL the task queue is a folder, var/broker/. honcho reads no .env of its own
# (--env /dev/null): settings read it, and the environment wins over it.
HONCHO := PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PYTHONUNBUFFERED=1 $(VENV)/bin/honcho
RUN_PORT ?= 8000

run: seed
	$(DEV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(DEV) $(HONCHO) start --env /dev/null -f Procfile.dev -p $(RUN_PORT)

# Production (README, "Production"): gunicorn, a worker and beat from the Procfile, against
# PostgreSQL and Redis, which it refuses to start without. Migrations are a release step of
# their own (README); the static files are this machine's, so they are collected here.
SERVE_PORT ?= 8000
serve: install
	@missing=""; \
	[ "$$DJANGO_DEBUG" = false ] || missing="$$missing DJANGO_DEBUG=false"; \
	[ -n "$$DATABASE_URL" ] || missing="$$missing DATABASE_URL"; \
	[ -n "$$REDIS_URL" ] || missing="$$missing REDIS_URL"; \
	if [ -n "$$missing" ]; then \
	  echo "make serve is the production profile; set in the environment:$$missing." >&2; \
	  echo "DATABASE_URL is a PostgreSQL database, REDIS_URL a Redis server; see README.md," \
	    "Production (make run is the development profile and needs neither)." >&2; \
	  exit 1; \
	fi
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(HONCHO) start --env /dev/null -f Procfile -p $(SERVE_PORT)

browser:
	@scripts/ensure_chromium.sh

# The suite runs on TEST_PROCESSES xdist processes (one per core here), grouped as
# pyproject.toml and tests/conftest.py say; PYTEST_ARGS="-n 0" runs it in this process.
TEST_PROCESSES ?= 2

test: install browser
	$(DEV) SOURCEWISE_TESTING=true $(PY) -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

test-fast: install
	$(DEV) SOURCEWISE_TESTING=true $(PY) -m pytest -n $(TEST_PROCESSES) -m "not e2e and not worker" $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A outsourcing worker --loglevel=INFO --without-gossip --without-mingle

beat: install
	$(VENV)/bin/celery -A outsourcing beat --loglevel=INFO

# Lint, format, types (mypy with django-stubs: the plugin reads the settings) and migrations.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(VENV)/bin/mypy
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

benchmarks: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(DEV) $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles test-artifacts var .mypy_cache
