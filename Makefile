# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: system-deps run test setup messages migrate demo lint makemessages clean worker

$(VENV)/.run-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/.run-installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

system-deps:
	bash scripts/system-deps.sh

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

worker: $(VENV)/.run-installed
	$(MANAGE) db_worker

test: system-deps $(VENV)/.dev-installed messages
	DJANGO_SETTINGS_MODULE=lms.settings.test $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

makemessages: $(VENV)/.run-installed
	$(MANAGE) makemessages -l es --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete

clean:
	rm -rf $(VENV) staticfiles .test-media db.sqlite3
