"""Run one import in a child process and measure it: its outcome, seconds, and how much
memory it added at its peak (resident set, read from /proc, so C buffers count too).

The child is forked, so it starts with everything already imported and configured and
only the import itself is measured. Linux only, like the servers the app runs on.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Measured:
    outcome: str  # the refusal's message, or what was read
    seconds: float
    peak_growth: int  # bytes


def measured(call: Callable[[], str], *, timeout: float = 120) -> Measured:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(call, sender))
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise TimeoutError(f"the import ran for more than {timeout} s")
        result = receiver.recv()
    finally:
        child.kill()
        child.join()
    if isinstance(result, BaseException):
        raise result
    return result


def _run(call: Callable[[], str], sender) -> None:
    try:
        _reset_peak()
        before = _status("VmRSS")
        start = time.perf_counter()
        outcome = call()
        seconds = time.perf_counter() - start
        sender.send(Measured(outcome, seconds, max(0, _status("VmHWM") - before)))
    except BaseException as error:  # the parent re-raises it with the test's context
        sender.send(error)


def _reset_peak() -> None:
    """Start the peak from the current size. Linux already does so for a forked child;
    this makes sure of it."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass  # the peak can then only be higher than the import's: the test errs on the safe side


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} is not in /proc/self/status")
