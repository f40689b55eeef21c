"""Export the student of a distillation checkpoint (any SRM stage, KD, ...)
as a plain model checkpoint: the ``architecture.`` weights without the
prefix, which a plain mmpretrain config loads and ``tools/test.py``
evaluates.

    python tools/model_converters/convert_kd_ckpt_to_student.py \
        work_dirs/srm_r50_mbv2/kd/epoch_300.pth mobilenet-v2_srm.pth
"""
import argparse
import os
import sys

import srm_mmrazor  # noqa: F401  (safe checkpoint loading)
from srm_mmrazor.errors import SRMError
from srm_mmrazor.utils import read_weights, save_checkpoint, trust_checkpoints

PREFIX = 'architecture.'


def parse_args():
    parser = argparse.ArgumentParser(
        description='Export the student of a distillation checkpoint')
    parser.add_argument('checkpoint', help='the algorithm checkpoint')
    parser.add_argument('out', help='where to write the student checkpoint')
    parser.add_argument(
        '--trust-checkpoint', action='append', default=[],
        metavar='PATH_OR_URL',
        help='fully unpickle this checkpoint (only for a file you trust); '
        'checkpoints are otherwise loaded weights-only')
    return parser.parse_args()


def main():
    args = parse_args()
    trust_checkpoints(args.trust_checkpoint)
    try:
        student = read_weights(args.checkpoint, PREFIX)
        if not student:
            sys.exit(f'error: {args.checkpoint} holds no {PREFIX}* weights: '
                     'it is not the checkpoint of a distillation algorithm')
        if os.path.exists(args.out):
            sys.exit(f'error: {args.out} exists; choose another name')
        save_checkpoint(
            {'state_dict': student,
             'meta': {'student_of': os.path.abspath(args.checkpoint)}},
            args.out, then='export again')
    except SRMError as error:
        sys.exit(f'error: {error}')
    print(f'wrote the student ({len(student)} tensors) to {args.out}')


if __name__ == '__main__':
    main()
