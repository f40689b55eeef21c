import torch
from mmpretrain.models import ClsDataPreprocessor
from mmrazor.registry import MODELS


@MODELS.register_module()
class ChannelsLastClsDataPreprocessor(ClsDataPreprocessor):
    """mmpretrain's ``ClsDataPreprocessor`` whose (N, C, H, W) batches are
    laid out channels last (NHWC) in memory: the same values, in the layout
    that oneDNN's CPU convolutions run fastest in, and that each
    convolution then hands on to the next.

    Measured on one CPU thread, batch 128 of 28x28 images: the
    Fashion-MNIST student's training step 0.136 -> 0.102 s, the teacher's
    forward 0.092 -> 0.074 s. Takes ``ClsDataPreprocessor``'s arguments.
    """

    def forward(self, data: dict, training: bool = False) -> dict:
        data = super().forward(data, training)
        data['inputs'] = data['inputs'].contiguous(
            memory_format=torch.channels_last)
        return data
