# Hội thi Số: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both create .venv and install the pinned requirements on first use (Python 3.11), with
# every transitive dependency held to constraints.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest workers: "auto" uses every core; CI and small machines may set 2.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=

.PHONY: run test battery lint format install messages makemessages bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compiled catalogs are committed; recompile only where gettext's msgfmt is installed.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt not found: using the committed .mo catalogs"; fi

# Each app keeps its own catalog (<app>/locale/en); source strings are Vietnamese.
APPS := core frontend schools quizbank contest live leaderboard
makemessages: install
	@for app in $(APPS); do if [ -d $$app ]; then mkdir -p $$app/locale/en/LC_MESSAGES; \
	  (cd $$app && DEBUG=1 ../$(PY) ../manage.py makemessages -l en --no-obsolete -v 0 --ignore=static/vendor && \
	   DEBUG=1 ../$(PY) ../manage.py makemessages -d djangojs -l en --no-obsolete -v 0 --ignore=static/vendor); fi; done

run: install messages
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	# The contest clock (closes attempts at their deadline) runs beside the server and stops with it.
	DEBUG=1 $(PY) manage.py run_clock & CLOCK=$$!; trap 'kill $$CLOCK 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(VENV)/bin/daphne -e tcp:port=$(PORT):interface=$(HOST):backlog=2048 config.asgi:application

test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The fault battery: workers killed, PostgreSQL and Redis stopped, the clock dead, with real
# processes on a PostgreSQL and a Redis of its own (battery/run.py). Slower than `make test`.
BATTERY_ARGS ?=
battery: install
	$(PY) -m battery.run $(BATTERY_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles .pytest_cache .ruff_cache
