"""tools/analysis_tools/srm_dictionary.py on a stage-2 checkpoint: the
statistics of srm_mmrazor.analysis, as a user gets them."""
import importlib.util
import json
import os.path as osp

import pytest

STAGE2 = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage2.py'
TOOL = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
                'tools', 'analysis_tools', 'srm_dictionary.py')


def test_statistics_of_a_stage2_checkpoint(tmp_path, run_tool, tiny_train,
                                           config_path):
    config = config_path(STAGE2)
    run_tool('train.py', config, '--work-dir', tmp_path / 'stage2',
             '--cfg-options', *tiny_train, 'model.teacher_ckpt=None',
             'model.dictionary_ckpt=None')
    result = run_tool('analysis_tools/srm_dictionary.py', config,
                      tmp_path / 'stage2' / 'epoch_1.pth', '--images', 48,
                      '--out', tmp_path / 'out')
    report = json.loads((tmp_path / 'out' / 'srm_statistics.json').read_text())
    # stage 2 has no test split: the statistics say they come from training
    # images
    assert report['split'] == 'train' and report['images'] == 48
    points = report['points']
    assert list(points) == ['layer2', 'layer3', 'layer4', 'pooled']
    for point, s in points.items():
        k = max(1, int(0.02 * s['num_codewords']))
        # every pixel's code keeps exactly k atoms (no ties among sigmoids)
        assert sum(s['usage']) == pytest.approx(k), point
        assert 1 <= s['atoms_used'] <= s['num_codewords']
        assert s['atoms_used'] == sum(u > 0 for u in s['usage'])
        assert s['reconstruction_mse'] > 0
        for entropy in ('image_label_entropy', 'pixel_label_entropy'):
            assert 0 <= s[entropy] <= s['max_entropy'] + 1e-9, point
        assert 0 <= s['agreement'] <= 1
        assert f'{point}: {s["atoms_used"]}/{s["num_codewords"]}' in \
            result.stdout
    assert (tmp_path / 'out' / 'srm_atom_usage.png').stat().st_size > 5000
    # the training images without their random augmentation: measured again,
    # the same statistics
    run_tool('analysis_tools/srm_dictionary.py', config,
             tmp_path / 'stage2' / 'epoch_1.pth', '--images', 48, '--out',
             tmp_path / 'again')
    again = json.loads(
        (tmp_path / 'again' / 'srm_statistics.json').read_text())
    assert again['points'] == points


def test_training_images_without_a_test_pipeline_are_refused():
    from mmengine.config import Config

    from srm_mmrazor.errors import SRMError
    spec = importlib.util.spec_from_file_location('srm_dictionary', TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    train_only = dict(train_dataloader=dict(dataset=dict(
        type='FashionMNIST', pipeline=[dict(type='RandomFlip', prob=0.5)])))
    with pytest.raises(SRMError, match='defines no test_pipeline'):
        tool.dataset_of(Config(train_only))
    dataset, split = tool.dataset_of(
        Config(dict(train_only, test_pipeline=[dict(type='PackInputs')])))
    assert split == 'train'
    assert dataset['pipeline'] == [dict(type='PackInputs')]
