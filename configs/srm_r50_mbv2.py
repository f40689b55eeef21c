# SRM on ImageNet, ResNet-50 (mmpretrain, top-1 76.55) -> MobileNetV2 1.0x:
#   python tools/train.py configs/srm_r50_mbv2.py
#   bash tools/dist_train.sh configs/srm_r50_mbv2.py 8
# runs the three stages in work_dirs/srm_r50_mbv2/{dictionary,intermediate,kd}
# and hands each stage's final checkpoint to the next. The pipeline, its
# stage configs and its KD baseline are kept by method under
# configs/distill/mmcls/ (srm/srm_resnet50_mobilenet-v2_8xb32_in1k*.py,
# kd/kd_logits_resnet50_mobilenet-v2_8xb32_in1k.py).
_base_ = ['./distill/mmcls/srm/srm_resnet50_mobilenet-v2_8xb32_in1k.py']
