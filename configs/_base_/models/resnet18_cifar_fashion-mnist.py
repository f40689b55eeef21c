# The small Fashion-MNIST teacher/student pair, both mmpretrain classifiers:
# CIFAR-style ResNet-18s (3x3 stem, no max-pool), whose feature maps suit
# 28x28 inputs, the teacher at a quarter of the width, the student at an
# eighth (0.70M and 0.18M parameters). mmpretrain's
# `_base_/models/resnet18_cifar.py` at these widths: written out here because
# that file's one key, `model`, would clash with the `model` of every stage
# template a config also inherits (mmengine refuses a key that two bases
# define), and a config cannot inherit it under another name.
#
# Feature maps on 28x28 inputs:
#   teacher layer1 16x28x28, layer2 32x14x14, layer3 64x7x7, layer4 128x4x4
#   student layer1  8x28x28, layer2 16x14x14, layer3 32x7x7, layer4  64x4x4


def cifar_resnet18(width):
    return dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=dict(
            type='ResNet_CIFAR',
            depth=18,
            stem_channels=width,
            base_channels=width,
            out_indices=(3, )),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=8 * width,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))


teacher_model = cifar_resnet18(16)
student_model = cifar_resnet18(8)
# where resnet18-w16_1xb128_fashion-mnist.py leaves the trained teacher; point
# at another with --cfg-options model.teacher_ckpt=PATH
teacher_ckpt = 'work_dirs/resnet18-w16_1xb128_fashion-mnist/epoch_10.pth'
