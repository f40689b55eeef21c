# SRM on ImageNet, ResNet-34 (mmpretrain, top-1 73.62) -> ResNet-18, the
# paper's pair, the three stages in order:
#   python tools/train.py \
#       configs/distill/mmcls/srm/srm_resnet34_resnet18_8xb32_in1k.py
#   bash tools/dist_train.sh \
#       configs/distill/mmcls/srm/srm_resnet34_resnet18_8xb32_in1k.py 8
# Each stage is a normal config (the *_stage{1,2,3}.py files beside this one),
# also usable alone.
_base_ = ['../../../_base_/srm/three_stages.py']

stages = dict(
    dictionary=dict(config='srm_resnet34_resnet18_8xb32_in1k_stage1.py'),
    intermediate=dict(config='srm_resnet34_resnet18_8xb32_in1k_stage2.py'),
    kd=dict(config='srm_resnet34_resnet18_8xb32_in1k_stage3.py'))
