# SRM on ImageNet, ResNet-34 -> ResNet-18 (the paper's pair): the two models
# and, as in the paper, the matched points on 224x224 images: the stem's
# max-pool output, layer2, layer3, layer4 and the pooled features, the same
# layer on both sides (the reference learns point 1's dictionary on layer1
# but makes its labels on the max-pool output).
#   point    teacher and student
#   maxpool  backbone.maxpool   64x56x56
#   layer2   backbone.layer2   128x28x28
#   layer3   backbone.layer3   256x14x14
#   layer4   backbone.layer4   512x7x7
#   pooled   neck.gap          512x1x1
points = dict(
    maxpool='backbone.maxpool',
    layer2='backbone.layer2',
    layer3='backbone.layer3',
    layer4='backbone.layer4',
    pooled='neck.gap')
channels = dict(maxpool=64, layer2=128, layer3=256, layer4=512, pooled=512)

teacher_recorders = {
    point: dict(type='ModuleOutputs', source=source)
    for point, source in points.items()
}
student_recorders = teacher_recorders
coders = {
    point: dict(type='SparseCoder', in_channels=c, codeword_multiplier=4.0,
                sparsity_multiplier=0.02)
    for point, c in channels.items()
}
heads = {
    point: dict(type='SRMHead', in_channels=c, pixel_mode='faithful')
    for point, c in channels.items()
}

# What each stage's distiller takes: stage 1 the teacher side, stage 2 both.
stage1_distiller = dict(teacher_recorders=teacher_recorders, coders=coders)
stage2_distiller = dict(
    stage1_distiller, student_recorders=student_recorders, heads=heads)

# The models of mmpretrain's configs, by reference: ResNet-34 with its
# published weights (top-1 73.62) and ResNet-18
teacher_model = dict(
    cfg_path='mmpretrain::resnet/resnet34_8xb32_in1k.py', pretrained=False)
teacher_ckpt = ('https://download.openmmlab.com/mmclassification/v0/resnet/'
                'resnet34_8xb32_in1k_20210831-f257d4e6.pth')
student_model = dict(
    cfg_path='mmpretrain::resnet/resnet18_8xb32_in1k.py', pretrained=False)
