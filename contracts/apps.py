from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save

        from accounts.audit.registry import track
        from assessments.signals import projection_finished
        from contracts import models
        from contracts.forecasts import receivers

        # Celery finds each app's tasks.py only: this registers the forecast tasks.
        from contracts.forecasts import tasks as forecast_tasks  # noqa: F401

        # Forecasts are computed on the worker when what they depend on changes.
        projection_finished.connect(
            receivers.projection_finished, dispatch_uid="contracts.forecasts.projection_finished"
        )
        post_save.connect(
            receivers.contract_saved,
            sender=models.Contract,
            dispatch_uid="contracts.forecasts.contract_saved",
        )
        m2m_changed.connect(
            receivers.contract_processes_changed,
            sender=models.Contract.processes.through,
            dispatch_uid="contracts.forecasts.processes_changed",
        )

        # The audit trail (accounts/audit/). A credit's computed result and inputs follow
        # from the measurements, which are recorded.
        track(models.Contract, organisation="organisation", m2m=["processes"])
        track(models.ContractDocument, organisation="contract.organisation")
        track(models.Sla, organisation="contract.organisation")
        track(models.Measurement, organisation="sla.contract.organisation")
        track(models.CreditComputation, organisation="contract.organisation", exclude=["inputs"])
        track(models.ServiceCredit, organisation="contract.organisation", exclude=["result"])
        track(models.GovernanceReview, organisation="contract.organisation")
        track(models.Issue, organisation="contract.organisation")
        track(models.ImprovementAction, organisation="contract.organisation")
        track(models.RealisedSaving, organisation="contract.organisation")
        track(models.ExitPlan, organisation="contract.organisation")
        track(models.ExitPlanItem, organisation="plan.contract.organisation")
