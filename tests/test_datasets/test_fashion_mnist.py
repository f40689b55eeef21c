import gzip
import re

import numpy as np
import pytest
from mmpretrain.registry import DATASETS

from srm_mmrazor.errors import DatasetError, DatasetNotFoundError


@pytest.mark.parametrize('split, size', [('train', 60000), ('test', 10000)])
def test_reads_the_real_fashion_mnist(split, size):
    dataset = DATASETS.build(dict(type='FashionMNISTGz', split=split))
    assert len(dataset) == size
    assert len(dataset.metainfo['classes']) == 10
    labels = [dataset.get_data_info(i)['gt_label'] for i in range(size)]
    assert np.bincount(labels).tolist() == [size // 10] * 10
    image = dataset.get_data_info(0)['img']
    assert image.shape == (28, 28) and image.dtype == np.uint8


def test_missing_files_say_how_to_install(tmp_path):
    with pytest.raises(DatasetNotFoundError,
                       match='apt-get install dataset-fashion-mnist'):
        DATASETS.build(dict(type='FashionMNISTGz', data_root=str(tmp_path)))
    assert list(tmp_path.iterdir()) == []  # never downloads


def write_idx_gz(path, array, header=None):
    """A gzipped IDX file of unsigned bytes (or with another header)."""
    header = header or (bytes([0, 0, 8, array.ndim]) + np.array(
        array.shape, dtype='>u4').tobytes())
    with gzip.open(path, 'wb') as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def fashion_files(tmp_path):
    """Five 28x28 test images and their labels, in Fashion-MNIST's names;
    returns a function that rewrites one of them."""
    def write(images=5, labels=(0, 1, 2, 3, 9), header=None):
        write_idx_gz(tmp_path / 't10k-images-idx3-ubyte.gz',
                     np.zeros((images, 28, 28)), header)
        write_idx_gz(tmp_path / 't10k-labels-idx1-ubyte.gz',
                     np.array(labels))
        for name in ('train-images-idx3-ubyte.gz',
                     'train-labels-idx1-ubyte.gz'):
            (tmp_path / name).write_bytes(b'')  # not read for the test split
    return write


def build_test_split(root):
    return DATASETS.build(dict(type='FashionMNISTGz', data_root=str(root),
                               split='test'))


@pytest.mark.parametrize('files, message', [
    (dict(labels=(0, 1, 2, 3)), 'holds 4 labels for the 5 images'),
    (dict(labels=(0, 1, 12, 3, 4)), 'holds label 12 (at index 2)'),
    (dict(header=bytes([0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28])),
     'announces 9 x 28 x 28: it is truncated or corrupt'),
    (dict(header=b'\x12\x34\x56\x78'), 'is not an IDX file'),
])
def test_inconsistent_files_are_named(fashion_files, tmp_path, files,
                                      message):
    fashion_files(**files)
    with pytest.raises(DatasetError, match=re.escape(message)):
        build_test_split(tmp_path)


def test_truncated_file_is_named(fashion_files, tmp_path):
    fashion_files()
    images = tmp_path / 't10k-images-idx3-ubyte.gz'
    images.write_bytes(images.read_bytes()[:-20])
    with pytest.raises(DatasetError,
                       match=f'{images} is corrupt or truncated'):
        build_test_split(tmp_path)
    fashion_files()
    assert len(build_test_split(tmp_path)) == 5
