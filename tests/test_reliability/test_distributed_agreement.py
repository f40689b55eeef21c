"""Stage 2 in two CPU processes (gloo) and in one process, same global batch
and seed, ends with the same parameters.

The student's BatchNorm layers are kept in eval mode (``norm_eval``) for the
comparison: in training mode each process normalises with the statistics of
its own half batch, which legitimately differ from those of the whole batch
(exact agreement would need SyncBatchNorm, which PyTorch implements for GPUs
only). Everything SRM adds (labels, heads, losses, gradient averaging) is
compared as it is.
"""
import torch

STAGE2 = 'srm_resnet18-w16_resnet18-w8_1xb128_fashion-mnist_stage2.py'


def test_two_processes_match_one(tmp_path, run_tool, tiny_train,
                                 config_path, free_port):
    config = config_path(STAGE2)
    options = [
        *tiny_train, 'model.teacher_ckpt=None', 'model.dictionary_ckpt=None',
        'train_dataloader.dataset.indices=128',
        'train_dataloader.sampler.shuffle=False',
        'model.architecture.backbone.norm_eval=True'
    ]
    run_tool('train.py', config, '--work-dir', tmp_path / 'one',
             '--cfg-options', *options, 'train_dataloader.batch_size=32')
    run_tool('dist_train.sh', config, 2, '--work-dir', tmp_path / 'two',
             '--cfg-options', *options, 'train_dataloader.batch_size=16',
             env=dict(PORT=str(free_port)))

    one = torch.load(tmp_path / 'one' / 'epoch_1.pth', weights_only=False)
    two = torch.load(tmp_path / 'two' / 'epoch_1.pth', weights_only=False)
    assert one['meta']['iter'] == two['meta']['iter'] == 4
    trained = [
        name for name in one['state_dict']
        if name.startswith(('architecture.backbone', 'distiller.heads'))
    ]
    assert trained
    for name in trained:
        torch.testing.assert_close(
            two['state_dict'][name], one['state_dict'][name], rtol=1e-4,
            atol=1e-5, msg=name)
