"""Projection requests, chunks, combining and the sweeper (Celery in-process)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from assessments.engine.assumptions import RULES_VERSION
from assessments.engine.projection_mc import monte_carlo
from assessments.models import Projection, ProjectionChunk, ProjectionStatus
from assessments.projections import services as projections
from assessments.projections.services import projection_request, projection_sweep
from tests.assessments.projection_fixtures import PORTFOLIO, make_assessment, projected
from tests.realparts import point_celery_at


@pytest.fixture
def assessment(cast):
    """A submitted assessment of organisation A with five outsourced processes."""
    return make_assessment(cast.org, cast.manager.user)


@pytest.fixture
def unreachable_broker():
    """The web side publishes to a Redis port where nothing listens."""
    from outsourcing.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    point_celery_at("redis://127.0.0.1:1/0")
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def test_a_request_inside_a_transaction_is_sent_only_when_it_commits(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        projection = projection_request(assessment=assessment, user=cast.manager.user)
    stored = Projection.objects.get(pk=projection.pk)
    assert stored.status == ProjectionStatus.QUEUED
    assert stored.attempts == 0 and stored.enqueued_at is None
    assert len(callbacks) == 1
    callbacks[0]()
    stored.refresh_from_db()
    assert stored.status == ProjectionStatus.DONE
    assert stored.attempts == 1 and stored.enqueued_at is not None


def test_a_rolled_back_request_leaves_no_projection_and_sends_nothing(
    assessment, cast, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        projection_request(assessment=assessment, user=cast.manager.user)
        raise RuntimeError("the outer work failed")
    assert callbacks == []
    assert not Projection.objects.exists()


def test_the_inputs_and_engine_version_are_stored_with_the_request(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(
            assessment=assessment, user=cast.cio.user, trials=1000, seed=3
        )
    assert projection.engine_version == RULES_VERSION
    assert projection.requested_by == cast.cio.user
    assert (projection.horizon_months, projection.discount_rate) == (60, 0.08)
    assert projection.inputs["currency"] == "GBP"
    assert projection.inputs["processes"] == [
        {
            "name": p.name,
            "model": p.model,
            "location": p.location,
            "annual_cost": p.annual_cost,
            "start_month": p.start_month,
            "wave": p.wave,
        }
        for p in projected()
    ]


def test_the_result_equals_the_engine_run_in_one_piece_for_the_same_seed(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(
            assessment=assessment, user=cast.manager.user, trials=3000, seed=11
        )
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
    assert projection.progress == 100 and projection.chunk_count == 4
    expected = monte_carlo(projected(), trials=3000, seed=11, horizon=60, discount_rate=0.08)
    assert projection.result["monte_carlo"] == expected.to_dict()
    assert not ProjectionChunk.objects.filter(projection=projection).exists()


def test_a_changed_roadmap_does_not_change_a_stored_projection(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    first.refresh_from_db()
    before = first.result
    assessment.processes.filter(name="Service desk").update(annual_cost=9_000_000)
    first.refresh_from_db()
    assert first.result == before
    assert first.inputs["processes"][0]["annual_cost"] == 1_500_000.0


def test_horizon_and_discount_rate_may_differ_from_the_assessment(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(
            assessment=assessment,
            user=cast.manager.user,
            trials=500,
            horizon_months=120,
            discount_rate=0.1,
        )
    projection.refresh_from_db()
    assert len(projection.result["monte_carlo"]["cumulative_p50"]) == 120
    assert projection.result["deterministic"]["discount_rate"] == 0.1


def test_an_assessment_with_nothing_outsourced_finishes_with_nothing_to_project(
    cast, django_capture_on_commit_callbacks
):
    retained = make_assessment(cast.org, cast.manager.user, processes=[PORTFOLIO[-1]])
    with django_capture_on_commit_callbacks() as callbacks:
        projection = projection_request(assessment=retained, user=cast.manager.user)
    assert callbacks == []
    assert projection.status == ProjectionStatus.DONE and projection.progress == 100
    assert projection.result["nothing_to_project"] is True
    assert "Nothing to project" in projection.message


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("trials", 99, "between 100 and 200,000"),
        ("trials", 200_001, "between 100 and 200,000"),
        ("seed", -1, "seed"),
        ("horizon_months", 0, "1 to 240 months"),
        ("horizon_months", 241, "1 to 240 months"),
        ("discount_rate", 0.51, "0 and 50 %"),
        ("discount_rate", -0.01, "0 and 50 %"),
    ],
)
def test_a_request_out_of_range_is_refused_in_words(assessment, cast, field, value, words):
    with pytest.raises(projections.ProjectionError, match=words):
        projection_request(assessment=assessment, user=cast.manager.user, **{field: value})
    assert not Projection.objects.exists()


def test_with_the_task_queue_down_the_request_is_kept_queued_with_a_message(
    assessment, cast, unreachable_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        projection = projection_request(assessment=assessment, user=cast.manager.user)
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.QUEUED
    assert projection.send_failures == 1 and projection.enqueued_at is None
    assert "will start by itself when the task queue is back" in projection.message


def test_the_sweeper_sends_a_request_the_queue_missed_once_it_is_back(
    assessment, cast, unreachable_broker, django_capture_on_commit_callbacks
):
    from outsourcing.celery import app

    with django_capture_on_commit_callbacks(execute=True):
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=500)
    assert projection_sweep().not_sent == [projection.pk]  # still down: still kept
    app.conf.task_always_eager = True  # the queue is back (in-process here)
    report = projection_sweep()
    assert report.resent == [projection.pk]
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
    assert (projection.attempts, projection.send_failures) == (3, 2)


def test_the_sweeper_leaves_fresh_work_alone(assessment, cast):
    queued = Projection.objects.create(
        assessment=assessment, horizon_months=60, discount_rate=0.08, inputs={"processes": []}
    )
    running = Projection.objects.create(
        assessment=assessment,
        horizon_months=60,
        discount_rate=0.08,
        status=ProjectionStatus.RUNNING,
        enqueued_at=timezone.now(),
        attempts=1,
    )
    report = projection_sweep()
    assert report.resent == [] and report.failed == []
    assert {p.status for p in Projection.objects.filter(pk__in=[queued.pk, running.pk])} == {
        ProjectionStatus.QUEUED,
        ProjectionStatus.RUNNING,
    }


def test_the_sweeper_resends_a_projection_running_silently_past_its_limit(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():  # the hand-off is lost: never executed
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=1000)
    projections.projection_begin(projection_id=projection.pk)
    projections.projection_run_chunk(projection_id=projection.pk, index=1)
    later = timezone.now() + projections.LOST_AFTER + timedelta(seconds=1)
    assert projection_sweep(now=later).resent == [projection.pk]
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
    expected = monte_carlo(projected(), trials=1000, seed=0, horizon=60, discount_rate=0.08)
    assert projection.result["monte_carlo"] == expected.to_dict()


def test_the_sweeper_gives_up_in_words_after_too_many_attempts(assessment):
    stuck = Projection.objects.create(
        assessment=assessment,
        horizon_months=60,
        discount_rate=0.08,
        status=ProjectionStatus.RUNNING,
        attempts=projections.MAX_ATTEMPTS,
        updated_at=timezone.now() - projections.LOST_AFTER - timedelta(minutes=1),
    )
    assert projection_sweep().failed == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == ProjectionStatus.FAILED
    assert "did not finish after 5 hand-offs" in stuck.message


def test_a_chunk_delivered_twice_is_stored_and_counted_once(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=2000)
    projections.projection_begin(projection_id=projection.pk)
    assert projections.projection_run_chunk(projection_id=projection.pk, index=0) is False
    assert projections.projection_run_chunk(projection_id=projection.pk, index=0) is False
    assert ProjectionChunk.objects.filter(projection=projection).count() == 1
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.RUNNING
    assert projection.progress == 5 + 90 // 4
    assert projection.message == "Running: 1 of 4 parts computed."


def test_chunks_in_any_order_combine_once_into_the_one_piece_answer(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(
            assessment=assessment, user=cast.manager.user, trials=2000, seed=5
        )
    assert projections.projection_begin(projection_id=projection.pk) == [0, 1, 2, 3]
    complete = [
        projections.projection_run_chunk(projection_id=projection.pk, index=i) for i in (3, 1, 0, 2)
    ]
    assert complete == [False, False, False, True]
    assert projections.projection_finish(projection_id=projection.pk) is True
    assert projections.projection_finish(projection_id=projection.pk) is False
    projection.refresh_from_db()
    expected = monte_carlo(projected(), trials=2000, seed=5, horizon=60, discount_rate=0.08)
    assert projection.result["monte_carlo"] == expected.to_dict()
    assert projections.projection_run_chunk(projection_id=projection.pk, index=0) is False
    assert not ProjectionChunk.objects.filter(projection=projection).exists()


def test_combining_before_every_chunk_is_in_changes_nothing(
    assessment, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        projection = projection_request(assessment=assessment, user=cast.manager.user, trials=2000)
    projections.projection_begin(projection_id=projection.pk)
    projections.projection_run_chunk(projection_id=projection.pk, index=0)
    assert projections.projection_finish(projection_id=projection.pk) is False
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.RUNNING and projection.result is None


def test_a_superseded_hand_off_is_ignored(assessment, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        projection = projection_request(assessment=assessment, user=cast.manager.user)
    Projection.objects.filter(pk=projection.pk).update(attempts=2)
    assert projections.projection_begin(projection_id=projection.pk, attempt=1) is None
    assert projections.projection_begin(projection_id=projection.pk, attempt=2) == [0, 1, 2, 3]


def test_unreadable_inputs_fail_the_projection_in_words(assessment):
    broken = Projection.objects.create(
        assessment=assessment,
        horizon_months=60,
        discount_rate=0.08,
        inputs={"processes": [{"x": 1}]},
    )
    assert projections.projection_begin(projection_id=broken.pk) is None
    broken.refresh_from_db()
    assert broken.status == ProjectionStatus.FAILED
    assert broken.message.startswith("The projection failed: ")


def test_chunk_counts_grow_with_the_work_within_bounds():
    assert projections.chunk_count_for(100, 5) == 1  # one block of trials
    assert projections.chunk_count_for(10_000, 30) == 4
    assert projections.chunk_count_for(10_000, 2_000) == 10
    assert projections.chunk_count_for(200_000, 10_000) == 64
    # Few processes over a long horizon: chunks small enough to combine one at a time.
    assert projections.chunk_count_for(200_000, 1, horizon=240) == 48


def test_submitting_an_assessment_starts_its_projection(cast, django_capture_on_commit_callbacks):
    from assessments.engine.questions import QUESTION_KEYS
    from assessments.models import Assessment, Process
    from assessments.services.assessments import assessment_submit

    draft = Assessment.objects.create(
        organisation=cast.org, owner=cast.manager.user, name="Draft", home_country="United Kingdom"
    )
    Process.objects.create(
        assessment=draft,
        name="Payroll",
        annual_cost=1_000_000,
        **dict(zip(QUESTION_KEYS, (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2), strict=True)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=draft, user=cast.manager.user)
    projection = Projection.objects.get(assessment=draft)
    assert projection.status == ProjectionStatus.DONE
    assert projection.trials == 10_000 and projection.seed == 0


@pytest.mark.django_db
def test_chunk_data_skips_postgresqls_compression_attempt():
    """Chunks are random floats: PostgreSQL keeps them out of line as they are."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL storage setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'assessments_projectionchunk'::regclass AND attname = 'data'"
        )
        assert cursor.fetchone()[0] == "e"  # EXTERNAL: out of line, not compressed


def test_the_inputs_follow_overrides_of_model_and_location(assessment, cast):
    """An override outsources, moves or retains a process; the projection takes the
    decision in force, in roadmap order."""
    from assessments.models import Recommendation
    from assessments.projections.selectors import projection_inputs

    rows = Recommendation.objects.filter(process__assessment=assessment)
    rows.filter(process__name="Service desk").update(
        override_model="retain", override_justification="Kept close to the users."
    )
    rows.filter(process__name="Payroll processing").update(
        override_model="BPO", override_location="onshore", override_justification="Union deal."
    )
    processes = projection_inputs(assessment=assessment)["processes"]
    assert [(p["name"], p["model"], p["location"]) for p in processes] == [
        ("Network infrastructure", "ITO", "nearshore"),
        ("Payroll processing", "BPO", "onshore"),
        ("Accounts payable", "BPO", "offshore"),
        ("Market research", "KPO", "offshore"),
    ]


def test_a_worker_reads_a_projections_inputs_once_for_all_its_chunks(
    assessment, cast, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_capture_on_commit_callbacks():
        projection = projection_request(
            assessment=assessment, user=cast.manager.user, trials=2000, seed=3
        )
    projections.projection_begin(projection_id=projection.pk)
    reads = []
    for index in range(4):
        with CaptureQueriesContext(connection) as queries:
            projections.projection_run_chunk(projection_id=projection.pk, index=index)
        reads.append(sum('"inputs"' in query["sql"] for query in queries.captured_queries))
    assert reads == [1, 0, 0, 0]
    assert projections.projection_finish(projection_id=projection.pk) is True
    projection.refresh_from_db()
    expected = monte_carlo(projected(), trials=2000, seed=3, horizon=60, discount_rate=0.08)
    assert projection.result["monte_carlo"] == expected.to_dict()
