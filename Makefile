# Cache Lab: `make run` serves the site, `make test` runs the whole suite.
# Both set up what they need first: Debian packages, a virtualenv, the database.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FIXTURES := $(sort $(wildcard fixtures/*.json))
ADDRPORT ?= 127.0.0.1:8000

.PHONY: run test setup db lint format bench clean

run: setup db
	$(BIN)/python manage.py devserver $(ADDRPORT)

test: setup
	scripts/system-packages chromium wrk
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

setup: $(INSTALLED)
	scripts/system-packages redis-server memcached

$(INSTALLED): pyproject.toml requirements.lock
	scripts/system-packages python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test,load]'
	touch $@

db: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loadcontent $(FIXTURES)
	$(BIN)/python manage.py seed_lab

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Cache operations and pages under load (about 90 s); prints a table, writes
# bench-results/latest.json and the README's performance table.
bench: setup
	scripts/system-packages wrk
	$(BIN)/python manage.py bench --readme README.md

clean:
	rm -rf $(VENV) var staticfiles
