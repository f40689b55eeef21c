# scikit-learn's handwritten digits (1197 train / 600 test, 8x8 gray, 10
# classes; `pip install scikit-learn`), enlarged to 32x32 so that the
# CIFAR-style models keep feature maps of 16, 8 and 4 pixels. Read by
# srm_mmrazor's Digits dataset; nothing is downloaded. The loaders are
# Fashion-MNIST's with this dataset and pipeline.
_base_ = ['./fashion_mnist_bs128.py']

data_preprocessor = dict(
    # the 32x32 training images' mean and standard deviation, broadcast to
    # the three channels that mmpretrain's backbone stems expect
    mean=[77.28] * 3,
    std=[82.78] * 3)

enlarge = dict(type='Resize', scale=32, interpolation='bilinear')
train_pipeline = [
    enlarge,
    dict(type='RandomCrop', crop_size=32, padding=2),
    dict(type='PackInputs'),
]
test_pipeline = [enlarge, dict(type='PackInputs')]

digits = dict(type='Digits', data_root='')  # '': scikit-learn's data folder
train_dataloader = dict(dataset=dict(digits, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(digits, pipeline=test_pipeline))
test_dataloader = val_dataloader
