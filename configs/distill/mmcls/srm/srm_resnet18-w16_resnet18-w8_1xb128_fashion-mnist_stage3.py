# SRM stage 3 on Fashion-MNIST, ResNet-18 w16 -> w8: the KD baseline's config
# (../kd/kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py) with the
# student initialised from stage 2 (its SRM heads dropped): the two differ
# only in this initialisation.
_base_ = ['../kd/kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py']

model = dict(
    architecture=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/srm_resnet18-w16_resnet18-w8_'
            '1xb128_fashion-mnist_stage2/epoch_1.pth',
            prefix='architecture.')))
train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
