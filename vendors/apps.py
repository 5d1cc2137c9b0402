from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "vendors"

    def ready(self) -> None:
        from accounts.audit.registry import track
        from vendors import models

        # The audit trail (accounts/audit/). The shared registry belongs to no organisation:
        # its entries are for platform staff (organisation None).
        for shared in (
            models.Vendor,
            models.VendorServiceLine,
            models.VendorLanguage,
            models.Certification,
            models.DeliveryCentre,
        ):
            track(shared, organisation=None)
        # Each organisation's private view of a vendor, and its proposed registry changes
        # (a curator's decision on a proposal shows in the proposing organisation's trail).
        track(models.VendorNote, organisation="organisation")
        track(models.VendorRating, organisation="organisation")
        track(models.VendorTag, organisation="organisation")
        track(models.VendorChangeProposal, organisation="organisation")
        track(models.CriteriaSet, organisation="organisation", exclude=["inconsistent_pair"])
        track(models.Criterion, organisation="criteria_set.organisation")
        track(models.PairwiseJudgement, organisation="criteria_set.organisation")
        track(models.SourcingEvent, organisation="organisation")
        track(models.EventProcess, organisation="event.organisation")
        track(models.Candidate, organisation="event.organisation")
        track(models.CandidateChange, organisation="candidate.event.organisation")
        track(models.Proposal, organisation="event.organisation")
        track(models.Evaluation, organisation="proposal.event.organisation")
        # The snapshot is the ranking at the time of the award, computed, and large.
        track(models.Award, organisation="event.organisation", exclude=["snapshot"])
        # The RFP and what the buyer writes of it. A vendor's response, its versions and
        # documents are not followed: they are sealed until opened, and the trail would
        # show their content. The RFP's own record (RfpLogEntry) says when each was sent,
        # and follows the invitations (sent, opened, refused, revoked) with time and address.
        track(models.Rfp, organisation="event.organisation")
        track(models.RfpProcess, organisation="rfp.event.organisation")
        track(models.RfpQuestion, organisation="rfp.event.organisation")
        track(models.RfpAmendment, organisation="rfp.event.organisation")
        track(models.Clarification, organisation="rfp.event.organisation")
