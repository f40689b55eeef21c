# The Fashion-MNIST teacher, trained alone.
_base_ = [
    '../_base_/models/fashion_mnist_pair.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/schedules/fashion_mnist_bs128.py',
    '../_base_/default_runtime.py',
]

model = _base_.teacher_model
