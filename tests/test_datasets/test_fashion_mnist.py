import numpy as np
import pytest
from mmpretrain.registry import DATASETS

from srm_mmrazor.errors import DatasetNotFoundError


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
