# SRM on ImageNet, ResNet-50 (mmpretrain, top-1 76.55) -> MobileNetV2 1.0x,
# the three stages in order (configs/srm_r50_mbv2.py is this config):
#   python tools/train.py configs/srm_r50_mbv2.py
#   bash tools/dist_train.sh configs/srm_r50_mbv2.py 8
# runs them in work_dirs/srm_r50_mbv2/{dictionary,intermediate,kd} and hands
# each stage's final checkpoint to the next. Each stage is a normal config
# (the *_stage{1,2,3}.py files beside this one), also usable alone.
_base_ = ['../../../_base_/srm/three_stages.py']

stages = dict(
    dictionary=dict(config='srm_resnet50_mobilenet-v2_8xb32_in1k_stage1.py'),
    intermediate=dict(
        config='srm_resnet50_mobilenet-v2_8xb32_in1k_stage2.py'),
    kd=dict(config='srm_resnet50_mobilenet-v2_8xb32_in1k_stage3.py'))
