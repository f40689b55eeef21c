# mmpretrain's ImageNet data (batch 32 per GPU) for an MMRazor algorithm,
# which needs the preprocessor's type spelled out.
_base_ = 'mmpretrain::_base_/datasets/imagenet_bs32.py'
data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')
