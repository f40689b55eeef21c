# SRM stage 3 on ImageNet, ResNet-34 -> ResNet-18: the paper's KD baseline
# (../kd/kd_logits_resnet34_resnet18_8xb32_in1k_srm-paper.py) with the student
# initialised from stage 2 (its SRM heads dropped) and its learning rate warmed
# up over the first 5 epochs: the two differ only there.
_base_ = [
    '../kd/kd_logits_resnet34_resnet18_8xb32_in1k_srm-paper.py',
    '../../../_base_/srm/stage3_warmup.py',
]

model = dict(
    architecture=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/srm_resnet34_resnet18_8xb32_in1k_stage2/'
            'epoch_80.pth',
            prefix='architecture.')))
# 5 epochs: mmpretrain's usual warm-up
param_scheduler = [dict(_base_.stage3_warmup, end=5), _base_.param_scheduler]
