# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: system-deps test-deps lock run test setup messages migrate demo lint makemessages clean worker recover

# Installs come from lock files with a hash for every package
# (requirements*.lock, made from requirements*.txt by `make lock`).
$(VENV)/.run-installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock $(VENV)/.run-installed
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	touch $@

# Regenerate the lock files after changing requirements*.txt.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q pip-tools==7.6.2
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock requirements.txt
	$(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements-dev.lock requirements-dev.txt

# What running the site needs (gettext, fonts, Pango); the tests add Chromium
# and poppler.
system-deps:
	bash scripts/system-deps.sh

test-deps:
	bash scripts/system-deps.sh test

messages: $(VENV)/.run-installed
	$(MANAGE) compilemessages --ignore=.venv -v 0

migrate: $(VENV)/.run-installed
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) createcachetable
	$(MANAGE) update_translation_fields -v 0

demo: migrate
	$(MANAGE) load_demo

setup: system-deps $(VENV)/.run-installed messages migrate demo

run: setup
	@echo "Serving http://$(HOST):$(PORT)/ (demo users: see README)"
	$(MANAGE) runserver $(HOST):$(PORT)

# The task worker (TASKS_BACKEND=database): recovers lost work at start,
# survives database errors, and is restarted if it ever exits.
worker: $(VENV)/.run-installed
	while true; do $(MANAGE) run_worker || echo "worker exited ($$?); restarting in 5 s" >&2; sleep 5; done

recover: $(VENV)/.run-installed
	$(MANAGE) recover_lost_work

test: test-deps $(VENV)/.dev-installed messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject-bandit.yaml -r lms courses quizzes certificates training tracking --severity-level high

makemessages: $(VENV)/.run-installed
	$(MANAGE) makemessages -l es --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete

clean:
	rm -rf $(VENV) staticfiles .test-media .test-db-cache db.sqlite3
