"""What a trained SRM stage learnt, measured on images: per matched point,
how often the teacher's sparse codes use each atom, how well the dictionary
reconstructs the teacher's maps, how spread the labels it makes are, and
(for a stage-2 checkpoint) how often the student's pixel predictions agree
with the teacher's pixel labels.

    model = build_stage(cfg, checkpoint)         # stage 1 or 2, no training
    statistics = srm_statistics(model, batches)  # point -> numbers
"""
import math
from typing import Dict, Iterable, List, Optional

import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from mmpretrain.registry import DATASETS
from mmrazor.registry import MODELS
from torch import Tensor

from .models.architectures import align_spatial
from .utils import load_weights


def build_stage(cfg: Config, checkpoint: str) -> torch.nn.Module:
    """The algorithm of an SRM stage-1 or stage-2 config with the weights of
    ``checkpoint`` (loaded strictly), in eval mode. The checkpoint holds the
    teacher, the coders and (stage 2) the student, so nothing else loads."""
    model_cfg = cfg.model.copy()
    model_cfg.teacher_ckpt = None
    model_cfg.pop('dictionary_ckpt', None)
    model_cfg.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
    with DefaultScope.overwrite_default_scope('mmrazor'):
        model = MODELS.build(model_cfg)
    load_weights(model, checkpoint, what=f'model of {cfg.filename}')
    return model.eval()


def image_batches(dataset_cfg: dict, images: Optional[int] = None,
                  batch_size: int = 256) -> Iterable[dict]:
    """The first ``images`` images of a dataset config (None: those its
    ``indices`` select), collated in batches (for :func:`srm_statistics`)."""
    if images is not None:
        dataset_cfg = dict(dataset_cfg, indices=images)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        dataset = DATASETS.build(dataset_cfg)
    for start in range(0, len(dataset), batch_size):
        yield pseudo_collate([
            dataset[i]
            for i in range(start, min(start + batch_size, len(dataset)))
        ])


def srm_statistics(model: torch.nn.Module,
                   batches: Iterable[dict]) -> Dict[str, dict]:
    """Per matched point, over every pixel of the images of ``batches``:

    - ``usage`` (K floats): the fraction of pixels whose sparse code keeps
      each atom; ``atoms_used``: how many atoms any pixel keeps;
    - ``reconstruction_mse``: stage 1's loss, mean over the images;
    - ``image_label_entropy``: the entropy (bits) of each image's
      image-level label normalised to sum to 1, mean over images; at most
      ``max_entropy`` = log2 K (every atom used alike);
    - ``pixel_label_entropy``: the entropy (bits) of how the pixel labels
      (each pixel's strongest atom) spread over the K atoms;
    - ``agreement`` (stage 2 only): the fraction of pixels where the
      student head's strongest atom is the teacher's pixel label.
    """
    distiller = model.distiller
    with_student = bool(distiller.heads)
    totals: Dict[str, dict] = {}
    for batch in batches:
        inputs = model.data_preprocessor(batch, False)['inputs']
        with torch.no_grad(), distiller.teacher_recorders:
            model.teacher(inputs, mode='tensor')
            if with_student:
                with distiller.student_recorders:
                    model.student(inputs, mode='tensor')
                    students = {point: distiller.feature(point, True)
                                for point in distiller.coders}
            for point, coder in distiller.coders.items():
                teacher = distiller.feature(point, False)
                codes = coder.encode(teacher)  # [N, K, H, W]
                image_label, pixel_label = coder.labels(teacher)
                total = totals.setdefault(point, _empty(coder.num_codewords))
                total['images'] += len(teacher)
                total['pixels'] += pixel_label.numel()
                total['kept'] += (codes > 0).sum(dim=(0, 2, 3)).double()
                total['squared_error'] += float(
                    (coder(teacher) - teacher).pow(2).mean(dim=(1, 2, 3))
                    .sum())
                total['image_entropy'] += float(_entropy_bits(
                    image_label / image_label.sum(1, keepdim=True)).sum())
                total['pixel_labels'] += torch.bincount(
                    pixel_label.flatten(),
                    minlength=coder.num_codewords).double()
                if with_student:  # on the maps that stage 2 compares
                    teacher, student = align_spatial(
                        teacher, students[point], distiller.alignment)
                    _, label = coder.labels(teacher)
                    _, scores = distiller.heads[point](student)
                    total['agreeing'] += int(
                        (scores.argmax(dim=1) == label).sum())
                    total['compared'] += label.numel()
    return {point: _summary(total, with_student)
            for point, total in totals.items()}


def _empty(num_codewords: int) -> dict:
    return dict(images=0, pixels=0, squared_error=0.0, image_entropy=0.0,
                agreeing=0, compared=0, kept=torch.zeros(num_codewords, dtype=torch.double),
                pixel_labels=torch.zeros(num_codewords, dtype=torch.double))


def _entropy_bits(p: Tensor) -> Tensor:
    """Entropy in bits of each row of ``p`` (rows sum to 1; 0 log 0 = 0)."""
    return -(p * torch.log2(p.clamp_min(1e-12))).sum(dim=-1)


def _summary(total: dict, with_student: bool) -> dict:
    usage: List[float] = (total['kept'] / total['pixels']).tolist()
    summary = dict(
        num_codewords=len(usage),
        atoms_used=sum(u > 0 for u in usage),
        usage=usage,
        reconstruction_mse=total['squared_error'] / total['images'],
        image_label_entropy=total['image_entropy'] / total['images'],
        pixel_label_entropy=float(_entropy_bits(
            total['pixel_labels'] / total['pixels'])),
        max_entropy=math.log2(len(usage)))
    if with_student:
        summary['agreement'] = total['agreeing'] / total['compared']
    return summary
