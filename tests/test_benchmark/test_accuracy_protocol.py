"""The accuracy benchmark's protocol: the paper's accounting, a validation
split apart from every training and test image, paired statistics."""
import importlib.util
import os.path as osp

import pytest

BENCHMARK = osp.join(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))), 'tools', 'benchmark')


@pytest.fixture(scope='module')
def accuracy():
    spec = importlib.util.spec_from_file_location(
        'accuracy', osp.join(BENCHMARK, 'accuracy.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stage_epochs(stage):
    return stage['cfg_options']['train_cfg']['max_epochs']


def test_a_smaller_grid_varies_the_first_listed_parameter(accuracy):
    for method, grid in accuracy.grids(size=2).items():
        first, second = (list(params.items()) for params in grid)
        assert first[0] != second[0] and first[1:] == second[1:], method


def test_final_stages_train_alike_and_pretraining_is_counted(accuracy):
    final_epochs = 100
    kd = dict(alpha=0.5, tau=4.0)
    for method, grid in accuracy.grids().items():
        assert len(grid) == 4, method  # the same effort for every method
        for params in grid:
            stages, pretrain_epochs = accuracy.method_stages(
                method, params, final_epochs, 'init.pth', 'teacher.pth',
                'dictionary.pth', kd)
            assert list(stages)[-1] == 'final'
            assert stage_epochs(stages['final']) == final_epochs
            before = [stage_epochs(s) for n, s in stages.items()
                      if n != 'final']
            assert pretrain_epochs == sum(before)
            first = stages[list(stages)[0]]['cfg_options']
            init = first.get('model.architecture.init_cfg',
                             first.get('model.init_cfg'))
            assert init['checkpoint'] == 'init.pth'  # the seed's weights
    srm, srm_pretrain = accuracy.method_stages(
        'SRM', dict(pretraining=0.5, pixel_mode='faithful'), final_epochs,
        'init.pth', 'teacher.pth', 'dictionary.pth', kd)
    assert srm_pretrain == 50  # stage 2 comes on top of the final stage


@pytest.mark.parametrize('dataset', ['Fashion-MNIST', 'digits'])
def test_validation_split_is_apart_from_training_and_test(accuracy, dataset):
    protocol = (accuracy.PROTOCOLS['full'] if dataset == 'Fashion-MNIST'
                else accuracy.DIGITS)
    teacher, regimes = accuracy.data_splits(protocol)
    validation = set(teacher['val_dataloader.dataset.indices'])
    assert len(validation) == protocol['validation_images']
    assert teacher['val_dataloader.dataset.split'] == 'train'
    for data in (teacher, *regimes.values()):
        first = data['train_dataloader.dataset.indices']
        assert validation.isdisjoint(range(first))  # the first N images
        # the test set is another split, scored only at the end
        assert 'test_dataloader.dataset.split' not in data
    assert [r['train_dataloader.dataset.indices'] for r in regimes.values()
            ] == [r['images'] for r in protocol['regimes'].values()]


def test_paired_differences_match_seeds(accuracy):
    result = accuracy.paired([81.0, 82.0, 80.0], [80.0, 80.0, 81.0])
    assert result['differences'] == [1.0, 2.0, -1.0]
    assert result['mean'] == pytest.approx(2 / 3)
    # t(0.975, 2 dof) x stdev / sqrt(3)
    assert result['interval'] == pytest.approx(4.303 * 1.5275 / 3**0.5,
                                               rel=1e-3)
    with pytest.raises(ValueError):  # a seed missing on one side
        accuracy.paired([81.0, 82.0], [80.0])
    assert accuracy.paired([81.0], [80.0])['interval'] is None


def test_convergence_pairs_each_seed_with_its_longer_run(accuracy):
    protocol = dict(regimes={'10%': dict(final_epochs=40),
                             '2%': dict(final_epochs=100)})
    finals = [dict(regime=regime, seed=seed)
              for regime in ('2%', '10%') for seed in (0, 1)]
    results = [dict(validation=v) for v in (84.0, 85.0, 90.0, 90.5)]
    longer = [dict(validation=v) for v in (85.0, 84.5, 91.0, 90.0)]
    check = accuracy.convergence_check(finals, results, longer, protocol)
    assert list(check) == ['2%', '10%']
    assert check['2%']['epochs'] == 100
    assert check['2%']['twice'] == [85.0, 84.5]
    assert check['2%']['twice - length']['differences'] == [1.0, -0.5]
    assert check['10%']['twice - length']['differences'] == [1.0, -0.5]
    with pytest.raises(ValueError):  # a longer run missing
        accuracy.convergence_check(finals, results, longer[:3], protocol)


def test_every_run_has_a_folder_of_its_own(accuracy):
    kd = dict(alpha=0.5, tau=4.0)
    names = [accuracy.run_name(method, params, kd)
             for method, grid in accuracy.grids().items()
             for params in grid]
    assert len(set(names)) == len(names) == 20
    # a KD stage trained with other KD weights is another run
    point = dict(pretraining=0.5, pixel_mode='faithful')
    assert (accuracy.run_name('SRM', point, kd)
            != accuracy.run_name('SRM', point, dict(alpha=0.9, tau=4.0)))


def test_ablations_run_in_the_tuning_regime_on_every_seed(accuracy):
    chosen = {'student alone': {}, 'KD': {}, 'AT + KD': {}, 'SRM': {},
              'SRM, image level only': {}}
    tuning = ('2%', 0)
    every = {}
    for seed in (0, 1):
        assert accuracy.final_methods(chosen, every, ('2%', seed),
                                      tuning) == list(chosen)
    assert accuracy.final_methods(chosen, every, ('10%', 0), tuning) == [
        'student alone', 'KD', 'AT + KD', 'SRM']
    some = dict(methods=('student alone', 'KD', 'SRM'))
    assert accuracy.final_methods(chosen, some, ('10%', 1), tuning) == [
        'student alone', 'KD', 'SRM']


@pytest.mark.parametrize('method', ['student alone', 'KD', 'SRM'])
def test_untuned_pairs_train_their_own_student(accuracy, method):
    from mmengine.config import Config
    name, pair = next(iter(accuracy.UNTUNED_PAIRS.items()))
    params = dict(lr=0.1, weight_decay=5e-4, alpha=0.5, tau=4.0,
                  pixel_mode='faithful', pretraining=0.25)
    stages, _ = accuracy.method_stages(
        method, params, 8, 'init.pth', 'teacher.pth',
        'dictionary.pth', dict(alpha=0.5, tau=4.0), pair)
    for stage_name, stage in stages.items():
        cfg = Config.fromfile(stage['config'])
        cfg.merge_from_dict(stage['cfg_options'])
        student = cfg.model.get('architecture', cfg.model)
        assert student.backbone == pair['backbone'], stage_name
        assert student.head.in_channels == pair['points']['pooled'][1]
        init = student.init_cfg.checkpoint
        assert init == ('init.pth' if stage_name == list(stages)[0] else None)
        if stage_name == 'intermediate':
            distiller = cfg.model.distiller
            for point, (source, channels) in pair['points'].items():
                assert distiller.student_recorders[point].source == source
                assert distiller.heads[point].in_channels == channels
            # stage 2 trains with stage 3's optimizer
            assert cfg.optim_wrapper.optimizer.type == 'SGD'


def test_digits_runs_train_and_test_on_the_digits(accuracy):
    from mmengine.config import Config
    teacher, _ = accuracy.data_splits(accuracy.DIGITS)
    cfg = Config.fromfile(accuracy.TEACHER)
    cfg.merge_from_dict(teacher)
    datasets = [cfg[f'{split}_dataloader'].dataset
                for split in ('train', 'val', 'test')]
    assert [d.type for d in datasets] == ['Digits'] * 3
    assert [d.split for d in datasets] == ['train', 'train', 'test']
    assert datasets[0].indices == 1000
    assert list(datasets[1].indices) == list(range(1000, 1197))
    assert cfg.data_preprocessor.mean == [77.28] * 3


def test_digits_student_stages_clip_their_gradients(accuracy):
    from mmengine.config import Config
    teacher, regimes = accuracy.data_splits(accuracy.DIGITS)
    cfg = Config.fromfile(accuracy.KD)
    cfg.merge_from_dict(regimes['digits'])
    assert cfg.optim_wrapper.clip_grad == dict(max_norm=5.0)
    assert cfg.optim_wrapper.optimizer.type == 'SGD'  # merged, not replaced
    assert 'optim_wrapper.clip_grad' not in teacher
    _, main_regimes = accuracy.data_splits(accuracy.PROTOCOLS['full'])
    assert not any('optim_wrapper.clip_grad' in options
                   for options in main_regimes.values())


def test_a_variant_of_srm_reuses_srm_runs_of_its_parameters(accuracy):
    kd = dict(tau=4.0, alpha=0.9)
    srm = dict(pixel_mode='logits', pretraining=0.5)
    ablations = accuracy.ablations(srm)
    faithful = ablations['SRM, faithful pixel mode']
    assert accuracy.run_name('SRM, faithful pixel mode', faithful, kd) == (
        accuracy.run_name('SRM', dict(srm, pixel_mode='faithful'), kd))
    names = {accuracy.run_name(name, params, kd)
             for name, params in dict(ablations, SRM=srm).items()}
    assert len(names) == len(ablations) + 1  # distinct trainings apart


def test_training_hours_by_the_clock_count_overlaps_once(accuracy):
    def stage(start, end):
        return dict(seconds=3600 * (end - start), finished=3600 * end)

    # two runs side by side (--jobs 2), then a run of two stages alone
    runs = [[stage(0, 2)], [stage(1, 2.5)], [stage(3, 4), stage(4, 4.5)]]
    assert accuracy.training_hours(runs) == dict(hours=5.0, wall_hours=4.0)


def test_a_run_counts_for_the_part_it_first_trained_for(accuracy, tmp_path):
    summaries = [dict(seconds=1800.0, finished=3600.0, checkpoint='final.pth',
                      metrics={'accuracy/top1': 80.0})]
    runs = accuracy.Runs(accuracy.PROTOCOLS['quick'], str(tmp_path))
    job = dict(work_dir='chosen', stages={}, shared={}, init='init.pth',
               final_iters=8, pretrain_iters=0, extra=False, part='grids')
    runs._finish(job, summaries)
    runs._finish(dict(job, part='final stages'), summaries)  # reused
    runs._finish(dict(job, work_dir='ablation', extra=True,
                      part='final stages'), summaries)
    assert runs.parts == dict(chosen='grids', ablation='extras')
    half_an_hour = dict(runs=1, hours=0.5, wall_hours=0.5)
    assert accuracy.hours_by_part(runs) == dict(grids=half_an_hour,
                                                extras=half_an_hour)


class InlinePool:
    """A pool that runs each job when it is submitted, in this process."""

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, fn, *args):
        from concurrent.futures import Future
        future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, **kwargs):
        pass


def test_chains_share_the_processes_first_chain_first(accuracy, tmp_path,
                                                      monkeypatch):
    trained = []

    def train(work_dir, stages, shared):
        trained.append(work_dir)
        return [dict(work_dir=work_dir)]

    monkeypatch.setattr(accuracy, 'ProcessPoolExecutor', InlinePool)
    monkeypatch.setattr(accuracy, 'run_and_release', train)
    monkeypatch.setattr(accuracy, 'finished', lambda stage_dir: False)

    def job(name, cost=0):
        return dict(work_dir=name, stages=dict(final={}), shared={},
                    cost=cost)

    def first():
        got = yield [job('a1', cost=1), job('a2', cost=5)]
        got += yield [job('a3')]
        return got

    def second():
        # the same run twice in one list: trained once, sent to both
        return (yield [job('b1'), job('b2', cost=9), job('b1')])

    runs = accuracy.Runs(accuracy.PROTOCOLS['quick'], str(tmp_path), jobs=2)
    from_first, from_second = runs.drive(first(), second())
    # two at a time: the first chain's costliest first; the second chain's
    # jobs only where the first has none ready
    assert trained == ['a2', 'a1', 'a3', 'b2', 'b1']
    assert [s[0]['work_dir'] for s in from_first] == ['a1', 'a2', 'a3']
    assert [s[0]['work_dir'] for s in from_second] == ['b1', 'b2', 'b1']
