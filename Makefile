# Sourcewise: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
# The app never guesses its mode. These targets serve a developer's machine and choose
# development mode (debug, a per-checkout secret in .secret-key) on their command lines.
# worker and beat follow the environment, as they also run in production.
DEV := DJANGO_DEBUG=true

.PHONY: install run test test-fast worker beat lint migrate seed browser benchmarks clean

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

run: seed
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

browser:
	@scripts/ensure_chromium.sh

test: install browser
	$(DEV) SOURCEWISE_TESTING=true $(PY) -m pytest $(PYTEST_ARGS)

test-fast: install
	$(DEV) SOURCEWISE_TESTING=true $(PY) -m pytest -m "not e2e and not worker" $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A outsourcing worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A outsourcing beat --loglevel=INFO

lint: install
	$(VENV)/bin/ruff check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

benchmarks: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(DEV) $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles test-artifacts
