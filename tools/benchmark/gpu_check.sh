#!/usr/bin/env bash
# Throughput and peak memory of each SRM stage and of the KD baseline on this
# machine's GPU, fp32 and AMP (see tools/benchmark/gpu_check.py):
#   bash tools/benchmark/gpu_check.sh [--iters 40] [--batch 32] [--size 224]
#       [--gpus 1] [--precisions fp32 amp] [--work-dir DIR]
PYTHON=${PYTHON:-python}
exec "$PYTHON" "$(dirname "$0")/gpu_check.py" "$@"
