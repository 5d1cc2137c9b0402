"""A worker process keeps the memory it frees (outsourcing.allocator)."""

import platform
import subprocess
import sys
import textwrap

import pytest

from outsourcing.allocator import keep_freed_memory

glibc = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="the thresholds are glibc's",
)

# Allocates and frees 1 MB arrays as the Monte Carlo tiles do, and prints the page faults
# that cost; with the thresholds raised, the freed memory is used again without faults.
FAULTS = textwrap.dedent(
    """
    import resource, sys
    import numpy as np
    from outsourcing.allocator import keep_freed_memory
    if sys.argv[1] == "kept":
        keep_freed_memory()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(200):
        arrays = [np.ones(131_072) for _ in range(4)]
        del arrays
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    """
)


@glibc
def test_the_thresholds_are_accepted_on_glibc():
    assert keep_freed_memory() is True


@glibc
def test_kept_memory_spares_the_page_faults_of_freed_arrays():
    def faults(mode: str) -> int:
        run = subprocess.run(
            [sys.executable, "-c", FAULTS, mode], capture_output=True, text=True, check=True
        )
        return int(run.stdout.strip())

    default, kept = faults("default"), faults("kept")
    assert kept * 10 < default, (default, kept)
