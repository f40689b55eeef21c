# SRM stage 3 on Fashion-MNIST, ResNet-18 w16 -> w8: the KD baseline's config
# (../kd/kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py) with the
# student initialised from stage 2 (its SRM heads dropped) and its learning
# rate warmed up over the first tenth of the stage: the two differ only there.
_base_ = [
    '../kd/kd_logits_resnet18-w16_resnet18-w8_1xb128_fashion-mnist.py',
    '../../../_base_/srm/stage3_warmup.py',
]

model = dict(
    architecture=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/srm_resnet18-w16_resnet18-w8_'
            '1xb128_fashion-mnist_stage2/epoch_1.pth',
            prefix='architecture.')))
train_cfg = dict(max_epochs=1)
# (to change the length, set train_cfg.max_epochs, param_scheduler.1.end to it
# and param_scheduler.0.end to a tenth of it)
param_scheduler = [
    dict(_base_.stage3_warmup, end=0.1),
    dict(_base_.param_scheduler, end=1)
]
