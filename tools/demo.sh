#!/usr/bin/env bash
# The main job on the embedded default (Fashion-MNIST, CPU): train the teacher
# briefly, then the student alone and a KD student on the same budget, and
# print their test accuracies. Finished runs are reused on a rerun.
#   [PYTHON=python] [WORK_DIR=work_dirs/demo] bash tools/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
WORK=${WORK_DIR:-work_dirs/demo}
TEACHER_EPOCHS=${TEACHER_EPOCHS:-2}
STUDENT_EPOCHS=${STUDENT_EPOCHS:-1}
CFG=configs/fashion_mnist
TEACHER_CKPT=$WORK/teacher/epoch_$TEACHER_EPOCHS.pth

run() {  # run NAME CONFIG EPOCHS [--cfg-options ...]
    local name=$1 config=$2 epochs=$3
    shift 3
    local ckpt=$WORK/$name/epoch_$epochs.pth
    if [ ! -f "$ckpt" ]; then
        "$PY" tools/train.py "$config" --work-dir "$WORK/$name" \
            --cfg-options train_cfg.max_epochs="$epochs" \
            param_scheduler.end="$epochs" "$@"
    fi
    "$PY" tools/test.py "$config" "$ckpt" --work-dir "$WORK/$name" \
        --out "$WORK/$name/test.json" "$@"
}

run teacher $CFG/resnet18-w16_1xb128_fashion-mnist.py "$TEACHER_EPOCHS"
run student $CFG/mobilenet-v2-w0.5_1xb128_fashion-mnist.py "$STUDENT_EPOCHS"
run kd $CFG/kd_logits_resnet18-w16_mobilenet-v2-w0.5_1xb128_fashion-mnist.py \
    "$STUDENT_EPOCHS" --cfg-options model.teacher_ckpt="$TEACHER_CKPT"

"$PY" - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
print('\nFashion-MNIST test top-1 (%)')
for name, title in [('teacher', 'teacher (ResNet-18 w16)'),
                    ('student', 'student alone (MobileNetV2 w0.5)'),
                    ('kd', 'KD student')]:
    with open(f'{work}/{name}/test.json') as f:
        print(f'  {title:34s} {json.load(f)["accuracy/top1"]:6.2f}')
PY
