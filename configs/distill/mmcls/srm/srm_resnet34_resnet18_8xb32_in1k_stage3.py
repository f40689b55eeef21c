# SRM stage 3 on ImageNet, ResNet-34 -> ResNet-18: the paper's KD baseline
# (../kd/kd_logits_resnet34_resnet18_8xb32_in1k_srm-paper.py) with the student
# initialised from stage 2 (its SRM heads dropped): the two differ only in
# this initialisation.
_base_ = ['../kd/kd_logits_resnet34_resnet18_8xb32_in1k_srm-paper.py']

model = dict(
    architecture=dict(
        init_cfg=dict(
            type='Pretrained',
            checkpoint='work_dirs/srm_resnet34_resnet18_8xb32_in1k_stage2/'
            'epoch_80.pth',
            prefix='architecture.')))
