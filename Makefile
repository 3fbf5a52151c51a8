# The two commands of the README: `make edition` and `make test`.
# Both work on a fresh machine with only Python 3.11+, pip and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: edition test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

edition: $(STAMP)
	$(BIN)/bitext update
	$(BIN)/bitext status

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check pipeline tests benchmarks

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/mypy pipeline

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf output $(VENV)
