import importlib.util
import os.path as osp

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from ..errors import DatasetError, DatasetNotFoundError


def scikit_learn_data() -> str:
    """The folder of the datasets scikit-learn ships (found without
    importing scikit-learn), or '' where it is not installed."""
    spec = importlib.util.find_spec('sklearn')
    if spec is None:
        return ''
    return osp.join(spec.submodule_search_locations[0], 'datasets', 'data')


@DATASETS.register_module()
class Digits(BaseDataset):
    """The 1797 handwritten digits that scikit-learn ships (8x8 images of 17
    gray levels, 10 classes; UCI's optdigits test set), read from its
    ``digits.csv.gz``: one row per image, 64 pixel values in 0..16, then
    the label. Pixels are scaled to 0..255. Never downloads.

    Args:
        data_root (str): Folder holding ``digits.csv.gz``. Defaults to
            scikit-learn's data folder.
        split (str): ``'train'`` (the first 1197 images) or ``'test'`` (the
            last 600). Defaults to ``'train'``.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`
            (``pipeline``, ``indices``, ...).
    """
    METAINFO = {'classes': tuple(str(digit) for digit in range(10))}
    TRAIN_IMAGES = 1197

    def __init__(self, data_root: str = '', split: str = 'train', **kwargs):
        if split not in ('train', 'test'):
            raise DatasetError(f"Digits: split={split!r}; use 'train' or "
                               "'test'")
        self.split = split
        super().__init__(
            ann_file='', data_root=data_root or scikit_learn_data(),
            **kwargs)

    def load_data_list(self):
        path = osp.join(self.data_root, 'digits.csv.gz')
        if not osp.isfile(path):
            raise DatasetNotFoundError(
                f'the digits are not at {path}: install scikit-learn '
                '(`pip install scikit-learn`, it ships them), or point '
                'data_root at a folder with its digits.csv.gz')
        try:
            rows = np.loadtxt(path, delimiter=',', ndmin=2)
        except (OSError, EOFError, ValueError) as error:
            raise DatasetError(f'{path} is corrupt or truncated ({error}): '
                               'reinstall scikit-learn') from None
        if rows.shape[1] != 65:
            raise DatasetError(f'{path} has {rows.shape[1]} columns; the '
                               'digits have 65 (64 pixels, then the label)')
        pixels, labels = rows[:, :64], rows[:, 64].astype(np.int64)
        if not (0 <= pixels.min() and pixels.max() <= 16
                and 0 <= labels.min() and labels.max() <= 9):
            raise DatasetError(f'{path} holds pixels outside 0..16 or labels '
                               'outside 0..9: it is not the digits file')
        images = (pixels * 255 / 16).round().astype(np.uint8).reshape(
            -1, 8, 8)
        part = (slice(None, self.TRAIN_IMAGES) if self.split == 'train' else
                slice(self.TRAIN_IMAGES, None))
        return [{'img': image, 'gt_label': int(label)}
                for image, label in zip(images[part], labels[part])]
