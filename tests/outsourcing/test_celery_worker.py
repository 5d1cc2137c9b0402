"""A task queued by the web side is executed by a real worker over the real Redis."""

import pytest

from outsourcing.celery import ping


@pytest.mark.worker
def test_a_real_worker_executes_a_task_queued_by_the_web_side(start_worker):
    start_worker()
    result = ping.delay("hello")
    assert result.get(timeout=60) == "pong:hello"
