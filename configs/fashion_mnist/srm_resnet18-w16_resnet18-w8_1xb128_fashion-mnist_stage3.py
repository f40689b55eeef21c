# SRM stage 3 on Fashion-MNIST: Hinton KD of the student initialised from
# stage 2 (its SRM heads dropped), from the original teacher checkpoint. The
# KD config's SGD schedule, like every Fashion-MNIST student here (the
# reference used Adam on CIFAR-100).
_base_ = ['./kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py']

model = dict(
    architecture=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/srm_resnet18-w16_resnet18-w8_'
            '1xb128_fashion-mnist_stage2/epoch_1.pth',
            prefix='architecture.')))
train_cfg = dict(max_epochs=1)
param_scheduler = dict(end=1)
