# Stapportaal: `make run` serves the portal with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# PostgreSQL leg of the test suite; `make test` runs it when this server answers
# (and CI=true makes it required).
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/stapportaal_test

.PHONY: run serve test install install-test lint migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(FLASK) portal init
	@echo "Stapportaal draait op http://$(HOST):$(PORT)  (stoppen: Ctrl+C)"
	@# The job queue worker (sends the outbox, daily clean-ups) runs beside the web server.
	@$(BIN)/huey_consumer wsgi.huey --workers 1 --logfile instance/jobs.log & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production: migrations and the built-in letter templates (idempotent; --no-demo: never demo
# data, whatever PORTAL_ENV says), then gunicorn with gunicorn.conf.py in place of make's shell.
# PORTAL_ENV defaults to production here, so the portal refuses to start on weak or missing
# secrets. Graceful restart: kill -HUP <master pid> (written to $PORTAL_PIDFILE when set).
serve: export PORTAL_ENV ?= production
serve: install
	$(FLASK) portal init --no-demo
	exec $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# The two legs share nothing (their own database, their own Redis database number), so they
# run side by side on two cores: the PostgreSQL leg in the background into a log that is shown
# when both are done. The browser journeys and the database-independent converters run in the
# SQLite leg only.
test: install-test
	$(BIN)/ruff check .
	@pg_log=$$(mktemp); pg_pid=; trap '[ -z "$$pg_pid" ] || kill $$pg_pid 2>/dev/null' INT TERM; \
	if $(BIN)/python -m tests.postgres_available "$(TEST_POSTGRES_URL)"; then \
		PORTAL_TEST_DATABASE_URL="$(TEST_POSTGRES_URL)" PORTAL_TEST_REDIS_URL=redis://127.0.0.1:6379/14 \
			$(BIN)/python -m pytest -q -m "not e2e and not converters" --no-cov -p no:cacheprovider \
			> "$$pg_log" 2>&1 & pg_pid=$$!; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is niet bereikbaar op $(TEST_POSTGRES_URL); in CI is die ronde verplicht." >&2; \
		exit 1; \
	fi; \
	echo "== SQLite-ronde =="; \
	$(BIN)/python -m pytest -q --cov --cov-report=term; sqlite_rc=$$?; pg_rc=0; \
	if [ -n "$$pg_pid" ]; then \
		wait $$pg_pid; pg_rc=$$?; echo "== PostgreSQL-ronde =="; cat "$$pg_log"; \
	else \
		echo "PostgreSQL-ronde overgeslagen: geen server op $(TEST_POSTGRES_URL)."; \
	fi; \
	rm -f "$$pg_log"; \
	[ $$sqlite_rc -eq 0 ] && [ $$pg_rc -eq 0 ]

lint: install-test
	$(BIN)/ruff check .

migrate: install
	$(FLASK) db upgrade

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
