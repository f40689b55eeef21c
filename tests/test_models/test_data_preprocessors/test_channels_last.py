"""ChannelsLastClsDataPreprocessor: mmpretrain's batches, laid out NHWC."""
import torch
from mmengine.config import Config
from mmpretrain.models import ClsDataPreprocessor

from srm_mmrazor.models import ChannelsLastClsDataPreprocessor

FASHION_MNIST = 'configs/_base_/datasets/fashion_mnist_bs128.py'


def gray_batch(n=4):
    return dict(inputs=[torch.randint(0, 256, (1, 28, 28), dtype=torch.uint8)
                        for _ in range(n)])


def fashion_mnist_options():
    """The Fashion-MNIST configs' preprocessor arguments (their mean and std
    broadcast the gray channel to three)."""
    options = Config.fromfile(FASHION_MNIST).data_preprocessor.to_dict()
    assert options.pop('type') == 'mmrazor.ChannelsLastClsDataPreprocessor'
    return options


def test_same_batch_laid_out_channels_last():
    options = fashion_mnist_options()
    batch = gray_batch()
    plain = ClsDataPreprocessor(**options)(batch, True)['inputs']
    inputs = ChannelsLastClsDataPreprocessor(**options)(batch, True)['inputs']
    assert inputs.shape == plain.shape == (4, 3, 28, 28)
    assert not plain.is_contiguous(memory_format=torch.channels_last)
    assert inputs.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(inputs, plain)


def test_convolutions_hand_the_layout_on():
    conv = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(),
                               torch.nn.Conv2d(8, 8, 3))
    inputs = ChannelsLastClsDataPreprocessor(**fashion_mnist_options())(
        gray_batch(), False)['inputs']
    features = conv(inputs)
    assert features.is_contiguous(memory_format=torch.channels_last)
    torch.testing.assert_close(features, conv(inputs.contiguous()))
