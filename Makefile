# The two commands of the README: `make edition` and `make test`.
# Both work on a fresh machine with only Python 3.11+, pip and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: edition test test-tools lint bench bench-peers bench-table clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[all,test]'
	touch $(STAMP)

edition: $(STAMP)
	$(BIN)/bitext update
	$(BIN)/bitext build

test: $(STAMP) test-tools
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check pipeline tests benchmarks

# Debian tools some tests use: epubcheck (which brings Java; Java also runs the Nu HTML
# checker), gettext (msgfmt -c, msgmerge, msgcat on the PO files bitext writes) and
# chromium (the `bitext serve` browser tests drive it through Playwright, which needs no
# browser download then). Installed when missing and we are root with apt-get;
# otherwise those tests skip.
TEST_TOOLS := epubcheck:epubcheck msgfmt:gettext chromium:chromium
test-tools:
	@missing=""; for pair in $(TEST_TOOLS); do tool=$${pair%%:*}; package=$${pair#*:}; \
	  command -v $$tool >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make test: installing$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null) \
	      || echo "make test: could not install$$missing; the tests that need it will be skipped"; \
	  else \
	    echo "make test: not root or no apt-get, so not installing$$missing; the tests that need it will be skipped"; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/mypy pipeline

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do \
	  case $$script in *bench_table.py) continue;; esac; $(BIN)/python $$script || exit 1; done

# The peers issue 16's table compares bitext with, for the benchmarks only (never a
# dependency of bitext, never installed by `make test`): po4a from Debian (root and
# apt-get), mdpo in a venv of its own (its md2po and po2md would shadow
# translate-toolkit's scripts of the same names in .venv), translate-toolkit's Markdown
# extra (mistletoe) in .venv. See benchmarks/README.md.
bench-peers: $(STAMP)
	command -v po4a-updatepo >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq po4a >/dev/null)
	test -x .venv-mdpo/bin/python || $(PYTHON) -m venv .venv-mdpo
	.venv-mdpo/bin/python -m pip install -q mdpo
	$(BIN)/python -m pip install -q 'translate-toolkit[markdown]'

# Issue 16's whole table in one run (half an hour or more: see benchmarks/README.md)
bench-table: $(STAMP)
	$(BIN)/python benchmarks/bench_table.py

clean:
	rm -rf output $(VENV) .venv-mdpo
