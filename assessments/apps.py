from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from accounts.audit.registry import track
        from assessments.models import Assessment, Process, Projection, Recommendation, Scenario

        # The audit trail (accounts/audit/). Computed fields are left out: they follow from
        # the answers and settings, which are recorded.
        track(Assessment, organisation="organisation", exclude=["roadmap_warnings"])
        track(Process, organisation="assessment.organisation")
        track(
            Recommendation,
            organisation="process.assessment.organisation",
            exclude=["scores", "reasons", "flags", "settle_questions", "inputs"],
        )
        # Who asked for which run, and its fate; not the worker's progress or results.
        track(
            Projection,
            organisation="assessment.organisation",
            include=["status", "trials", "seed", "horizon_months", "discount_rate", "requested_by"],
        )
        track(Scenario, organisation="assessment.organisation")
        # Which savings ranges new projections start from is a decision (the calibration).
        from assessments.models import CalibratedAssumptions

        track(
            CalibratedAssumptions,
            organisation="organisation",
            include=["use_for_projections", "saving", "contracts", "chosen_by"],
        )
        # Which submitted assessment is the organisation's current portfolio is a decision.
        from assessments.models import CurrentPortfolio

        track(CurrentPortfolio, organisation="organisation")
        # The projection tasks, registered in every process (services send them by name).
        from assessments.projections import tasks  # noqa: F401

        # Finished projections are announced to the organisation's webhooks.
        from assessments.signals import projection_finished
        from assessments.webhooks import announce_projection_finished

        projection_finished.connect(
            announce_projection_finished, dispatch_uid="assessments.webhooks.projection_finished"
        )
