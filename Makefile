# Quick start: `make demo` audits the bundled demo site; `make test` runs the test suite.
# Both create .venv and install cxprobe into it first.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint browser clean

$(BIN)/cxprobe: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/cxprobe

install: $(BIN)/cxprobe

browser: install
	@bash .ci/ensure-browser

demo: install
	-@bash .ci/ensure-browser >/dev/null 2>&1
	$(BIN)/cxprobe demo

# pytest's exit 5 (no tests collected) is a broken setup, never a pass.
test: install lint
	@bash .ci/ensure-browser
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: the setup is broken" >&2; exit 1; fi; exit $$rc

lint: install
	$(BIN)/ruff check cxprobe plugins tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
