# Winback: `make run` serves the app with demo data, `make test` runs lint and every test.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test lint format install install-dev clean screenshots bench load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo ""
	@echo "Winback is starting at http://127.0.0.1:5000  (Ctrl+C stops it)"
	@echo ""
	@# The demo sends its emails from a background thread; without MAIL_SERVER they land in instance/mail/.
	MAIL_BACKGROUND_SENDER=true $(BIN)/flask run --host 127.0.0.1 --port 5000

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	@# One worker per core (pytest-xdist); each worker has its own database.
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# The README's tour: fresh demo data, photographed by Chromium into bench/tour/.
screenshots: install-dev
	$(BIN)/python -m bench.tour

# Server time and SQL queries of the main pages against the floor, on the configured database
# (DATABASE_URL, or the SQLite file in WINBACK_INSTANCE_PATH); results in bench/results/.
# Seed a large data set into an empty, upgraded database first:
#   flask db upgrade && python -m bench.seed --accounts 100000
bench: install
	$(BIN)/python bench/benchmark.py $(BENCH_ARGS)

# The load test: gunicorn as in README's Production, 50 simulated people for 60 s, on a copy
# of each database given (the original is only read); figures in bench/results/load-*.json.
# LOAD_SQLITE is an instance folder, LOAD_POSTGRESQL a postgresql:// URL; leave one empty to
# skip it. Seed each with `python -m bench.seed` first.
LOAD_SQLITE ?= $(or $(WINBACK_INSTANCE_PATH),instance)
LOAD_POSTGRESQL ?=
$(VENV)/.load: bench/requirements.txt requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@ $(VENV)/.dev $(VENV)/.runtime

load: $(VENV)/.load
	$(BIN)/python -m bench.load.run $(if $(LOAD_SQLITE),--sqlite $(LOAD_SQLITE)) \
		$(if $(LOAD_POSTGRESQL),--postgresql $(LOAD_POSTGRESQL)) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
