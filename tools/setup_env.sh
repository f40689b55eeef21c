#!/usr/bin/env bash
# Set up everything this project needs, on a fresh machine or an old one;
# safe to rerun (does only what is missing):
#   - Fashion-MNIST from Debian's dataset-fashion-mnist package;
#   - a virtual environment at .venv/ (unless one is active) with the tested
#     CPU stack of requirements/cpu.txt (torch pinned and installed first);
#   - this package, editable.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
    echo "Installing Fashion-MNIST (dataset-fashion-mnist)..."
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q dataset-fashion-mnist
fi

if [ -n "${VIRTUAL_ENV:-}" ]; then
    VENV=$VIRTUAL_ENV
else
    VENV=.venv
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
fi
PY=$VENV/bin/python

STAMP=$VENV/.srm_mmrazor-requirements
WANTED=$(cat requirements/cpu.txt setup.py | sha256sum)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANTED" ]; then
    echo "Installing the Python stack into $VENV..."
    torch_pin=$(grep '^torch==' requirements/cpu.txt)
    "$PY" -m pip install -q "$torch_pin"
    "$PY" -m pip install -q -r requirements/cpu.txt
    "$PY" -m pip install -q --no-deps --no-build-isolation -e .
    echo "$WANTED" > "$STAMP"
fi
