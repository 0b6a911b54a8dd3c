# Framing Lab: `make run` to try it, `make test` before every commit.
VENV   = .venv
PYTHON = python3
FLASK  = $(VENV)/bin/flask --app wsgi

.PHONY: install install-dev run serve classroom test test-pg lint bench-load bench-gradebook e2e

# The stamp files make installs happen once, and again only when a requirements file changes.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(VENV)/.installed-bench: requirements-bench.txt requirements.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

$(VENV)/.installed-e2e: requirements-e2e.txt requirements-dev.txt requirements.txt $(VENV)/.installed-dev
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-e2e.txt
	touch $@

# The GIFT parser the tests read exported GIFT files with: gift-pegjs from the npm registry,
# test-only, pinned by tests/gift/package-lock.json. It needs Node.js and npm; without them
# the GIFT parsing tests are skipped (CI, which has them, fails those tests instead).
GIFT_PARSER = tests/gift/node_modules/.installed
$(GIFT_PARSER): tests/gift/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/gift --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the GIFT parsing tests will be skipped (install Node.js to run them)"; fi

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev $(GIFT_PARSER)

# Migrate, load the source documents and lessons, print demo logins, then serve.
run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seeds load
	$(FLASK) lessons sync
	$(FLASK) users demo
	$(FLASK) run --host 127.0.0.1 --port $${PORT:-5000}

# Production: gunicorn with several workers against DATABASE_URL (see docs/deploy.md).
# FRAMINGLAB_ENV=production makes the app refuse a missing or short SECRET_KEY.
serve: $(VENV)/.installed
	FRAMINGLAB_ENV=production $(FLASK) db upgrade
	FRAMINGLAB_ENV=production $(VENV)/bin/gunicorn --config gunicorn.conf.py wsgi:app

# A classroom on the school network, the shortest safe path (README, "For admins"):
# production settings (SECRET_KEY required), gunicorn on every interface, port 8000 by
# default, the library's documents and lessons loaded. No demo accounts.
classroom: $(VENV)/.installed
	FRAMINGLAB_ENV=production $(FLASK) db upgrade
	FRAMINGLAB_ENV=production $(FLASK) seeds load
	FRAMINGLAB_ENV=production $(FLASK) lessons sync
	@echo "Students open http://$$(hostname -I 2>/dev/null | cut -d' ' -f1):$${PORT:-8000}/ (Ctrl+C stops the server)"
	FRAMINGLAB_ENV=production BIND=$${BIND:-0.0.0.0:$${PORT:-8000}} $(VENV)/bin/gunicorn --config gunicorn.conf.py wsgi:app

test: $(VENV)/.installed-dev $(GIFT_PARSER)
	$(VENV)/bin/pytest -q

# The same suite against PostgreSQL; its `public` schema is dropped and recreated.
test-pg: $(VENV)/.installed-dev $(GIFT_PARSER)
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1/test} $(VENV)/bin/pytest -q

# Benchmarks (benchmarks/README.md): PostgreSQL database BENCH_DATABASE_URL (default
# postgresql://postgres@127.0.0.1/bench), whose `public` schema is dropped. Not part of `test`.
bench-load: $(VENV)/.installed-bench
	$(VENV)/bin/python benchmarks/load/run.py $(BENCH_ARGS)

bench-gradebook: $(VENV)/.installed-bench
	$(VENV)/bin/python benchmarks/gradebook.py $(BENCH_ARGS)

# Browser tests in Debian's Chromium (apt-get install chromium); no browser is ever downloaded.
# Screenshots land in tests/e2e/artifacts/.
e2e: $(VENV)/.installed-e2e
	@test -x $${E2E_CHROMIUM:-/usr/bin/chromium} || { echo "Chromium not found at $${E2E_CHROMIUM:-/usr/bin/chromium}: apt-get install chromium"; exit 1; }
	FRAMINGLAB_E2E=1 $(VENV)/bin/pytest -q -rs tests/e2e

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -r app -ll
