import gzip

import numpy as np
import pytest
from mmengine.config import Config
from mmpretrain.registry import DATASETS

from srm_mmrazor.errors import DatasetError, DatasetNotFoundError

CONFIG = 'configs/_base_/datasets/digits_bs128.py'


def write_digits(root, rows):
    with gzip.open(root / 'digits.csv.gz', 'wt') as f:
        np.savetxt(f, rows, delimiter=',', fmt='%d')


def made_rows(n=1200):
    """``n`` images of one value each (the index mod 17), labels 0..9."""
    rows = np.zeros((n, 65))
    rows[:, :64] = (np.arange(n) % 17)[:, None]
    rows[:, 64] = np.arange(n) % 10
    return rows


@pytest.mark.parametrize('split, size', [('train', 1197), ('test', 600)])
def test_reads_the_digits_scikit_learn_ships(split, size):
    dataset = DATASETS.build(dict(type='Digits', split=split))
    assert len(dataset) == size
    labels = [dataset.get_data_info(i)['gt_label'] for i in range(size)]
    assert np.bincount(labels, minlength=10).min() >= size // 10 - 10
    image = dataset.get_data_info(0)['img']
    assert image.shape == (8, 8) and image.dtype == np.uint8


def test_made_images_split_and_scale(tmp_path):
    write_digits(tmp_path, made_rows())
    train, test = (DATASETS.build(dict(type='Digits', data_root=str(tmp_path),
                                       split=split))
                   for split in ('train', 'test'))
    assert (len(train), len(test)) == (1197, 3)
    first_test = test.get_data_info(0)  # image 1197: value 1197 % 17 = 7
    assert first_test['gt_label'] == 7
    assert (first_test['img'] == round(7 * 255 / 16)).all()
    assert train.get_data_info(16)['img'].max() == 255


def test_the_config_enlarges_the_images_to_32_pixels(tmp_path):
    write_digits(tmp_path, made_rows())
    cfg = Config.fromfile(CONFIG)
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset,
                                  data_root=str(tmp_path)))
    assert dataset[0]['inputs'].shape == (1, 32, 32)


def test_missing_file_says_how_to_install(tmp_path):
    with pytest.raises(DatasetNotFoundError, match='pip install scikit-learn'):
        DATASETS.build(dict(type='Digits', data_root=str(tmp_path)))
    assert list(tmp_path.iterdir()) == []  # never downloads


@pytest.mark.parametrize('change, message', [
    (lambda rows: rows[:, :60], 'has 60 columns'),
    (lambda rows: np.where(np.arange(65) == 64, 12, rows), 'labels outside'),
])
def test_files_that_are_not_the_digits_are_named(tmp_path, change, message):
    write_digits(tmp_path, change(made_rows()))
    with pytest.raises(DatasetError, match=message):
        DATASETS.build(dict(type='Digits', data_root=str(tmp_path)))
