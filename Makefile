# Two commands do all set-up on a fresh machine:
#   make kb     build the KB from ../shared/corpus into kb/ and print a summary
#   make test   run the test suite
#   make lint   ruff over the sources, tests and benchmarks (CI runs it)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: kb test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,server]'
	touch $(STAMP)

install: $(STAMP)

kb: $(STAMP)
	$(VENV)/bin/newskb build ../shared/corpus --out kb
	$(VENV)/bin/newskb reason --kb kb

test: $(STAMP)
	$(VENV)/bin/pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache tests/output
