from typing import Sequence

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS


@DATASETS.register_module()
class SyntheticImages(BaseDataset):
    """Random ImageNet-shaped images for timing training, nothing decoded.

    Sample ``i`` is the same on every read and in every process: a uint8
    ``(image_size, image_size, 3)`` image drawn from ``(seed, i)`` when it is
    read (nothing is held in memory) and a label drawn from ``seed``. The
    images are already the network's size, so the default pipeline only packs
    them (``PackInputs``) and the data loader costs next to nothing.

    Args:
        num_samples (int): How many samples. Defaults to 1000.
        image_size (int): Height and width of the images. Defaults to 224.
        num_classes (int): Labels are drawn from ``range(num_classes)``.
            Defaults to 1000.
        seed (int): Seed of the images and labels. Defaults to 0.
        pipeline (Sequence): Transforms of each sample. Defaults to
            ``[dict(type='PackInputs')]``.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`.
    """

    def __init__(self,
                 num_samples: int = 1000,
                 image_size: int = 224,
                 num_classes: int = 1000,
                 seed: int = 0,
                 pipeline: Sequence = (dict(type='PackInputs'), ),
                 **kwargs):
        for name, value in [('num_samples', num_samples),
                            ('image_size', image_size),
                            ('num_classes', num_classes)]:
            if value < 1:
                raise ValueError(f'SyntheticImages: {name} must be at least '
                                 f'1, got {value}')
        self.num_samples = num_samples
        self.image_size = image_size
        self.num_classes = num_classes
        self.seed = seed
        super().__init__(ann_file='', pipeline=pipeline, **kwargs)

    def load_data_list(self):
        labels = np.random.default_rng(self.seed).integers(
            self.num_classes, size=self.num_samples)
        return [{'gt_label': int(label)} for label in labels]

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        rng = np.random.default_rng((self.seed, info['sample_idx']))
        # drawn channels first and handed on as an (H, W, 3) view, which
        # PackInputs packs without a copy (an (H, W, 3) array it permutes,
        # 20x the cost of drawing it)
        chw = rng.integers(
            256, size=(3, self.image_size, self.image_size), dtype=np.uint8)
        info['img'] = chw.transpose(1, 2, 0)
        return info
