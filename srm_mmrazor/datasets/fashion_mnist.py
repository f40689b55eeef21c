import functools
import gzip
import os.path as osp

import numpy as np
from mmpretrain.datasets import FashionMNIST
from mmpretrain.registry import DATASETS

from ..errors import DatasetError, DatasetNotFoundError

DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist'


def read_idx_gz(path: str) -> np.ndarray:
    """Read a gzipped IDX file of unsigned bytes (magic 0x0000 08 NDIM)."""
    return _decompressed_idx(path).copy()


@functools.lru_cache(maxsize=8)
def _decompressed_idx(path: str) -> np.ndarray:
    # decompressing the training images takes a second: once per process
    try:
        with gzip.open(path, 'rb') as f:
            data = f.read()
    except (OSError, EOFError) as error:
        raise DatasetError(f'{path} is corrupt or truncated ({error}): '
                           'reinstall or download it again') from None
    if len(data) < 4 or data[:3] != b'\x00\x00\x08':
        raise DatasetError(f'{path} is not an IDX file of unsigned bytes '
                           '(it does not start with 00 00 08)')
    ndim = data[3]
    shape = np.frombuffer(data, dtype='>u4', count=ndim, offset=4)
    values = len(data) - 4 - 4 * ndim
    if values != int(np.prod(shape)):
        raise DatasetError(f'{path} holds {values} values where its header '
                           f'announces {" x ".join(map(str, shape))}: it is '
                           'truncated or corrupt')
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
        (image_file, _), (label_file, _) = files
        images, labels = (
            read_idx_gz(osp.join(root, name)) for name, _ in files)
        if len(images) != len(labels):
            raise DatasetError(
                f'{osp.join(root, label_file)} holds {len(labels)} labels for '
                f'the {len(images)} images of {image_file}: the two files '
                'must come from one release of the data')
        classes = len(self.metainfo['classes'])
        if labels.size and labels.max() >= classes:
            raise DatasetError(
                f'{osp.join(root, label_file)} holds label {labels.max()} '
                f'(at index {int(labels.argmax())}); Fashion-MNIST has '
                f'{classes} classes, 0 to {classes - 1}')
        return [{'img': image, 'gt_label': int(label)}
                for image, label in zip(images, labels)]
