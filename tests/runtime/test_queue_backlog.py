"""How much work waits in the queue: counted on the real Redis, and nothing when tasks run
in this process (then the broker's leftovers are nobody's backlog)."""

import pytest

from accounts.queueing import queue_backlog
from outsourcing.celery import app, ping


@pytest.mark.worker
def test_messages_no_worker_has_taken_are_counted_as_waiting(celery_broker):
    assert queue_backlog() == 0
    ping.delay("first")
    ping.delay("second")
    assert queue_backlog() == 2


@pytest.mark.worker
def test_when_tasks_run_in_this_process_nothing_waits_whatever_the_broker_holds(celery_broker):
    ping.delay("left behind")
    assert queue_backlog() == 1
    app.conf.task_always_eager = True
    try:
        assert queue_backlog() == 0
    finally:
        app.conf.task_always_eager = False
