# Quick start: `make demo` (set up, then the main job) and `make test`.
PYTHON := $(if $(VIRTUAL_ENV),$(VIRTUAL_ENV),.venv)/bin/python
DEMO := configs/distill/mmcls/srm/srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py

.PHONY: setup demo test

setup:
	bash tools/setup_env.sh

# The main job: SRM on Fashion-MNIST against the student alone and KD
# (teacher, student alone, KD, SRM stages 1-3), ending with a table of what
# SRM gained; a rerun skips finished stages and resumes an interrupted one.
demo: setup
	$(PYTHON) tools/train.py $(DEMO) --work-dir work_dirs/demo --resume

# Two test processes, each training on one thread: on 2 cores the suite runs
# in 17 minutes instead of 27 (most tests are tools started in fresh
# processes, whose imports use one core)
test: setup
	OMP_NUM_THREADS=1 $(PYTHON) -m pytest -n 2 --dist worksteal tests
