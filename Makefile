# Quick start:  make        (install into .venv and build the sample leaflets into dist/)
#               make test   (run the test suite)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: all install compile build test lint bench clean

all: build

$(BIN)/leaflet-gen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# An editable install is not byte-compiled, and PYTHONDONTWRITEBYTECODE may forbid caching:
# compile once, so every command starts without compiling the package (stale files are ignored).
compile: $(BIN)/leaflet-gen
	$(BIN)/python -m compileall -q src

install: $(BIN)/leaflet-gen compile

build: install
	$(BIN)/leaflet-gen build --out dist --draft

# pytest exits 5 when it collected no test: that is a failure here, never a pass.
test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$status

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf dist build .pytest_cache
