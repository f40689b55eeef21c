# SRM stage 2 on Fashion-MNIST, ablation: the pixel-level labels alone (each
# pixel's strongest atom), no image-level loss.
_base_ = ['./srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage2.py']

model = dict(distiller=dict(objective='local'))
