import numpy as np
import pytest
import torch
from mmpretrain.registry import DATASETS


def test_synthetic_images_are_deterministic_and_packed():
    config = dict(type='SyntheticImages', num_samples=5, image_size=40,
                  num_classes=7, seed=3)
    first, again = DATASETS.build(config), DATASETS.build(config)
    assert len(first) == 5
    for i in range(5):
        sample = first[i]
        assert sample['inputs'].shape == (3, 40, 40)
        assert sample['inputs'].dtype == torch.uint8
        assert torch.equal(sample['inputs'], again[i]['inputs'])
        assert 0 <= sample['data_samples'].gt_label.item() < 7
    assert not torch.equal(first[0]['inputs'], first[1]['inputs'])
    image = first.get_data_info(0)['img']
    assert image.shape == (40, 40, 3) and image.dtype == np.uint8


def test_synthetic_images_refuse_an_empty_size():
    with pytest.raises(ValueError, match='image_size must be at least 1'):
        DATASETS.build(dict(type='SyntheticImages', image_size=0))
