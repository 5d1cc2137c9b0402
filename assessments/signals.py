"""Signals other apps listen to. Imports flow one way (assessments before vendors,
contracts and outsourcing), so assessments announces, and the later apps react.

``projection_finished`` is sent once per projection, after the transaction that stored
its result commits, with ``projection_id``. A receiver must be quick: anything heavy goes
to a Celery task.
"""

from django.dispatch import Signal

projection_finished = Signal()
