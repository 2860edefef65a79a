# Every target mirrors CI: `.ci/run` calls `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-12)
WEB_SRC := $(shell find web/src web/index.html web/package.json web/package-lock.json web/vite.config.ts -type f 2>/dev/null)

.PHONY: install demo serve test lint unit bench web clean openapi

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

web: web/dist/index.html

web/dist/index.html: $(WEB_SRC)
	cd web && npm ci --no-audit --no-fund && npm run build

openapi: install
	$(PY) -m qualitas.cli openapi > web/openapi.json

demo: install web
	$(PY) -m qualitas.cli demo
	QUALITAS_SECURITY__COOKIE_SECURE=false $(PY) -m qualitas.cli serve --host 127.0.0.1 --port 8000 --simulate

serve: install web
	$(PY) -m qualitas.cli serve

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

test: lint web
	$(VENV)/bin/pytest -q

unit: install
	$(VENV)/bin/pytest -q tests/unit tests/reference

bench: install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) bench/run.py

clean:
	rm -rf var/ web/dist .pytest_cache .mypy_cache .ruff_cache
