# The small Fashion-MNIST teacher/student pair, both mmpretrain classifiers.
# Layer names follow the ImageNet pair (ResNet teacher: backbone.layer1..4;
# MobileNetV2 student: backbone.layer1..7), so recorder sources read alike.
#
# Feature maps on 28x28 inputs:
#   teacher layer1 16x28x28, layer2 32x14x14, layer3 64x7x7, layer4 128x4x4
#   student layer1 8x14x14, layer2 16x7x7, layer3 16x4x4, ..., layer7 160x1x1
teacher_model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    # A CIFAR-style ResNet-18 (3x3 stem, no max-pool) at a quarter width.
    backbone=dict(
        type='ResNet_CIFAR',
        depth=18,
        stem_channels=16,
        base_channels=16,
        out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=128,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

student_model = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='MobileNetV2', widen_factor=0.5),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=1280,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
