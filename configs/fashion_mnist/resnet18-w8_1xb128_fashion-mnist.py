# The Fashion-MNIST student, trained alone (the "student alone" baseline).
_base_ = [
    '../_base_/models/fashion_mnist_pair.py',
    '../_base_/datasets/fashion_mnist_bs128.py',
    '../_base_/schedules/fashion_mnist_bs128.py',
    '../_base_/default_runtime.py',
]

model = _base_.student_model
