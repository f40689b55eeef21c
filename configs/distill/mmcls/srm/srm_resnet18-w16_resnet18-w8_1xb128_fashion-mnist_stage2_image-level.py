# SRM stage 2 on Fashion-MNIST, ablation: the image-level labels alone (which
# atoms each image uses), no pixel-level loss.
_base_ = ['./srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage2.py']

model = dict(distiller=dict(objective='global'))
