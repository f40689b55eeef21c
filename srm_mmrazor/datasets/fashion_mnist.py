import functools
import gzip
import os.path as osp

import numpy as np
from mmpretrain.datasets import FashionMNIST
from mmpretrain.registry import DATASETS

from ..errors import DatasetNotFoundError

DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist'


def read_idx_gz(path: str) -> np.ndarray:
    """Read a gzipped IDX file of unsigned bytes (magic 0x0000 08 NDIM)."""
    return _decompressed_idx(path).copy()


@functools.lru_cache(maxsize=8)
def _decompressed_idx(path: str) -> np.ndarray:
    # decompressing the training images takes a second: once per process
    with gzip.open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    shape = np.frombuffer(data, dtype='>u4', count=ndim, offset=4)
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


@DATASETS.register_module()
class FashionMNISTGz(FashionMNIST):
    """Fashion-MNIST read straight from its four gzipped IDX files.

    mmpretrain's :class:`FashionMNIST` wants the files decompressed and,
    missing them, downloads into ``data_root``. This reads the ``.gz`` files
    where Debian's ``dataset-fashion-mnist`` package puts them, converts
    nothing, writes nothing and never downloads.

    Args:
        data_root (str): Folder holding ``train-images-idx3-ubyte.gz`` and the
            other three files. Defaults to Debian's install folder.
        split (str): ``'train'`` (60000 images) or ``'test'`` (10000).
            Defaults to ``'train'``.
        **kwargs: Other arguments of :class:`mmpretrain.datasets.BaseDataset`
            (``pipeline``, ``indices``, ...).
    """

    def __init__(self,
                 data_root: str = DEBIAN_FASHION_MNIST,
                 split: str = 'train',
                 **kwargs):
        super().__init__(
            data_root=data_root, split=split, download=False, **kwargs)

    def load_data_list(self):
        root = self.data_prefix['root']
        missing = [name for name, _ in self.train_list + self.test_list
                   if not osp.isfile(osp.join(root, name))]
        if missing:
            raise DatasetNotFoundError(
                f'Fashion-MNIST is not in {root} (missing '
                f'{", ".join(missing)}). '
                'Install it with `apt-get install dataset-fashion-mnist`, or '
                'point data_root at a folder with the four .gz files; with a '
                "network, mmpretrain's FashionMNIST(download=True) fetches "
                'them.')
        files = self.train_list if self.split == 'train' else self.test_list
        images, labels = (
            read_idx_gz(osp.join(root, name)) for name, _ in files)
        return [{'img': image, 'gt_label': int(label)}
                for image, label in zip(images, labels)]
