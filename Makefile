# Quick start: `make demo` (set up, then the main job) and `make test`.
PYTHON := $(if $(VIRTUAL_ENV),$(VIRTUAL_ENV),.venv)/bin/python

.PHONY: setup demo test

setup:
	bash tools/setup_env.sh

demo: setup
	PYTHON=$(PYTHON) bash tools/demo.sh

test: setup
	$(PYTHON) -m pytest tests
