# The two commands of the set-up contract: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
EWTP_PORT ?= 8000
export EWTP_PORT

.PHONY: run test lint typecheck pytest install install-dev bench clean vendor i18n

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when the project metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install --quiet -e '.[dev]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/ewtp db upgrade
	$(BIN)/ewtp seed
	$(BIN)/ewtp serve

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install-dev
	$(BIN)/mypy src

pytest: install-dev
	$(BIN)/pytest

test: lint typecheck pytest

bench: install-dev
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Re-vendor the pinned front-end assets (needs npm; the output is committed).
vendor: $(BIN)/python
	$(BIN)/python scripts/vendor.py

# Extract the pages' messages and update the .po catalogs (compiled at server start-up).
i18n: install-dev
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
