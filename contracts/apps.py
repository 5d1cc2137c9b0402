from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"

    def ready(self) -> None:
        from accounts.audit.registry import track
        from contracts import models

        # The audit trail (accounts/audit/). A credit's computed result and inputs follow
        # from the measurements, which are recorded.
        track(models.Contract, organisation="organisation", m2m=["processes"])
        track(models.ContractDocument, organisation="contract.organisation")
        track(models.Sla, organisation="contract.organisation")
        track(models.Measurement, organisation="sla.contract.organisation")
        track(models.CreditComputation, organisation="contract.organisation",
              exclude=["inputs"])
        track(models.ServiceCredit, organisation="contract.organisation", exclude=["result"])
        track(models.GovernanceReview, organisation="contract.organisation")
        track(models.Issue, organisation="contract.organisation")
        track(models.ImprovementAction, organisation="contract.organisation")
        track(models.RealisedSaving, organisation="contract.organisation")
