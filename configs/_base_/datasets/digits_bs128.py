# scikit-learn's handwritten digits (1197 train / 600 test, 8x8 gray, 10
# classes; `pip install scikit-learn`), enlarged to 32x32 so that the
# CIFAR-style models keep feature maps of 16, 8 and 4 pixels. Read by
# srm_mmrazor's Digits dataset; nothing is downloaded.
dataset_type = 'Digits'

data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=10,
    # the 32x32 training images' mean and standard deviation, broadcast to
    # the three channels that mmpretrain's backbone stems expect
    mean=[77.28] * 3,
    std=[82.78] * 3,
    to_rgb=False)

enlarge = dict(type='Resize', scale=32, interpolation='bilinear')
train_pipeline = [
    enlarge,
    dict(type='RandomCrop', crop_size=32, padding=2),
    dict(type='PackInputs'),
]
test_pipeline = [enlarge, dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=128,
    num_workers=0,
    dataset=dict(
        _scope_='mmpretrain',
        type=dataset_type,
        split='train',
        serialize_data=False,
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=512,
    num_workers=0,
    dataset=dict(
        _scope_='mmpretrain',
        type=dataset_type,
        split='test',
        serialize_data=False,
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='mmpretrain.Accuracy', topk=(1, ))

test_dataloader = val_dataloader
test_evaluator = val_evaluator
