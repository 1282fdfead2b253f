# STP Portal: `make run` serves the demo, `make test` runs every test, `make lint` checks style and migrations,
# `make upgrade` moves the locked Python packages to their newest versions.
# Each target installs what it needs first (Python packages in .venv, front-end packages in node_modules).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
DEMO_PASSWORD ?= partnership-demo
# loadgroup: tests marked xdist_group(name) share one worker (and their module's fixtures); the rest spread out.
PYTEST_ARGS ?= -n auto --dist loadgroup

export DEMO_PASSWORD

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/stp_bench
SCALE ?= 0.1
BENCH_ARGS ?=

.PHONY: install lock upgrade run test lint format bench bench-instructions clean

install: $(VENV)/.installed node_modules/.installed static/dist/portal.css

# .venv holds exactly requirements/development.txt (tests/test_lock.py checks it): made afresh whenever the lock
# changes, so nothing dropped from it lingers, and installed with pip checking every hash; the venv's own pip is
# replaced by the locked one, and the setuptools Python 3.11 adds is removed (the lock brings it back if it needs it).
# The project itself is not installed: manage.py, pytest, gunicorn and celery all run from the repository's root
# (docs/adr/0023-locked-dependencies-with-hashes.md).
$(VENV)/.installed: requirements/development.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip uninstall --quiet --yes setuptools
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/development.txt
	touch $@

# The lock files, compiled by uv from pyproject.toml's ranges: production.txt is what the image installs,
# development.txt adds the dev extra at the same versions. `make lock` after changing pyproject.toml's dependencies
# (other pins stay as they are); `make upgrade` moves every pin to the newest version its range allows.
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make upgrade" $(UV_ARGS)

lock: $(VENV)/.installed
	$(UV_COMPILE) -o requirements/production.txt
	$(UV_COMPILE) --extra dev --constraint requirements/production.txt -o requirements/development.txt
	$(MAKE) --no-print-directory install

upgrade: UV_ARGS = --upgrade
upgrade: lock

node_modules/.installed: package.json package-lock.json $(VENV)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/portal.css: node_modules/.installed static/build.mjs $(wildcard static/scss/*.scss)
	PATH="$(CURDIR)/$(BIN):$$PATH" npm run --silent build

run: export DEBUG ?= true
# Links in emails follow the port served, unless SITE_URL is set (honcho gives each process its own PORT, so the
# worker, which sends the emails, could not work it out from PORT).
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo ""
	@echo "STP Portal is starting on http://127.0.0.1:$(PORT)/ with a Celery worker and beat beside it."
	@echo "Sign in as lead, board, ned, member, viewer, outsider or orgsec (board secretary); the password is: $(DEMO_PASSWORD)"
	@echo "lead, board, ned, outsider and orgsec set up an authenticator app when they first sign in (README: Demo sign-ins)."
	@echo "Press Ctrl-C to stop everything."
	@echo ""
	PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho --procfile Procfile.dev start

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# National-scale benchmark against PostgreSQL (rebuilds BENCH_DATABASE_URL with seed_scale --scale SCALE).
# Results go to var/bench/; BENCH_ARGS=--record writes them to the tracked bench/results/ instead.
bench: install
	command -v wrk >/dev/null || apt-get install -y -qq wrk
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --scale $(SCALE) $(BENCH_ARGS)

# Instructions per request under callgrind, compared with bench/instructions-baseline-scale-$(SCALE).json.
# Reuses the database `make bench SCALE=...` built.
bench-instructions: install
	command -v valgrind >/dev/null || apt-get install -y -qq valgrind
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --scale $(SCALE) --reuse --instructions $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/dist var .pytest_cache .ruff_cache
