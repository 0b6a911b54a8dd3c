# Framing Lab: `make run` to try it, `make test` before every commit.
VENV   = .venv
PYTHON = python3
FLASK  = $(VENV)/bin/flask --app wsgi

.PHONY: install install-dev run test test-pg lint

# The stamp files make installs happen once, and again only when a requirements file changes.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Migrate, load the source documents and lessons, print demo logins, then serve.
run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seeds load
	$(FLASK) lessons sync
	$(FLASK) users demo
	$(FLASK) run --host 127.0.0.1 --port $${PORT:-5000}

test: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -q

# The same suite against PostgreSQL; its `public` schema is dropped and recreated.
test-pg: $(VENV)/.installed-dev
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1/test} $(VENV)/bin/pytest -q

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
