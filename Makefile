# Cache Lab: `make run` serves the site, `make test` runs the whole suite.
# Both set up what they need first: Debian packages, a virtualenv, the database.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FIXTURES := $(sort $(wildcard fixtures/*.json))
ADDRPORT ?= 127.0.0.1:8000

.PHONY: run test setup db lint format bench clean serve cluster load

run: setup db
	$(BIN)/python manage.py devserver $(ADDRPORT)

# The whole suite on SQLite, then the database-touching tests again on PostgreSQL (a
# cluster the suite starts itself with pytest-postgresql, from Debian's postgresql; the
# cluster and browser tests run once, on SQLite).
test: setup
	scripts/system-packages chromium wrk postgresql nginx openssl
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --database=postgresql

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

# Production mode on one host: DEBUG off, collected static files, gunicorn (deploy/).
serve: setup db
	$(BIN)/python manage.py serve $(ADDRPORT)

# nginx on 127.0.0.1:8080 in front of two gunicorn app hosts, PostgreSQL, Redis and two
# memcached, until Ctrl-C (data in var/cluster).
CLUSTER_ADDRPORT ?= 127.0.0.1:8080
cluster: setup
	scripts/system-packages postgresql nginx
	$(BIN)/python manage.py cluster $(CLUSTER_ADDRPORT)

# Locust against a cluster of its own: the most learners served with p95 < 200 ms and no
# errors (about 10 minutes); writes bench-results/load.json and the README's figure.
load: setup
	scripts/system-packages postgresql nginx
	$(BIN)/python -m loadtest.run --readme README.md

clean:
	rm -rf $(VENV) var staticfiles
