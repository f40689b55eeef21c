# The Fashion-MNIST student, trained alone (the "student alone" baseline): a
# CIFAR-style ResNet-18 at an eighth of the width.
_base_ = [
    '../../../_base_/models/resnet18_cifar_fashion-mnist.py',
    '../../../_base_/datasets/fashion_mnist_bs128.py',
    '../../../_base_/schedules/fashion_mnist_bs128.py',
    '../../../_base_/default_runtime.py',
]

model = _base_.student_model
