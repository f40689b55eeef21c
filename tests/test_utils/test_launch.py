"""Work-dir locks: held until the process ends, or until it lets go."""
import fcntl

import pytest

from srm_mmrazor.utils import lock_work_dir, release_work_dirs


def can_lock(path):
    with open(path, 'a') as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


@pytest.mark.parametrize('runs', [1, 2])
def test_a_process_lets_go_of_the_work_dirs_it_trained_in(tmp_path, runs):
    work_dirs = [tmp_path / f'run{i}' for i in range(runs)]
    for work_dir in work_dirs:
        lock_work_dir(str(work_dir))
    assert not any(can_lock(d / '.lock') for d in work_dirs)
    release_work_dirs()
    assert all(can_lock(d / '.lock') for d in work_dirs)
    lock_work_dir(str(work_dirs[0]))  # and may hold one again
    assert not can_lock(work_dirs[0] / '.lock')
    release_work_dirs()
