from django.urls import path

from vendors.portal import buyer as rfp
from vendors.views import criteria, curation, directory, events, proposals

app_name = "vendors"

urlpatterns = [
    # The shared registry
    path("", directory.vendor_directory, name="directory"),
    path("new/", directory.vendor_create, name="vendor-create"),
    path("<int:pk>/", directory.vendor_detail, name="vendor-detail"),
    path("<int:pk>/edit/", directory.vendor_edit, name="vendor-edit"),
    path("<int:pk>/notes/", directory.note_add, name="note-add"),
    path("<int:pk>/private/", directory.private_save, name="private-save"),
    # Change proposals (an organisation's) and curation (registry curators')
    path("changes/", curation.change_list, name="change-list"),
    path("changes/<int:pk>/", curation.change_detail, name="change-detail"),
    path("curation/", curation.curation_queue, name="curation-queue"),
    path("curation/<int:pk>/", curation.curation_review, name="curation-review"),
    path("<int:pk>/curate/", curation.vendor_curate, name="vendor-curate"),
    path("<int:pk>/deactivate/", curation.vendor_deactivate, name="vendor-deactivate"),
    path("<int:pk>/merge/", curation.vendor_merge, name="vendor-merge"),
    path("<int:pk>/delete/", curation.vendor_delete, name="vendor-delete"),
    # Criteria and weights
    path("criteria/", criteria.criteria_list, name="criteria-list"),
    path("criteria/new/", criteria.criteria_create, name="criteria-create"),
    path("criteria/<int:pk>/", criteria.criteria_detail, name="criteria-detail"),
    path("criteria/<int:pk>/weights/", criteria.criteria_weights, name="criteria-weights"),
    path("criteria/<int:pk>/judgements/", criteria.criteria_judgement, name="criteria-judgement"),
    path("criteria/<int:pk>/ahp.json", criteria.ahp_preview, name="ahp-preview"),
    # Sourcing events
    path("events/", events.event_list, name="event-list"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/<int:pk>/", events.event_detail, name="event-detail"),
    path("events/<int:pk>/scope/", events.event_scope, name="event-scope"),
    path("events/<int:pk>/shortlist/accept/", events.shortlist_accept, name="shortlist-accept"),
    path(
        "events/<int:pk>/candidates/<int:candidate_pk>/decide/",
        events.candidate_decide,
        name="candidate-decide",
    ),
    path("events/<int:pk>/cancel/", events.event_cancel, name="event-cancel"),
    # Proposals, scores, ranking, award
    path(
        "events/<int:pk>/candidates/<int:candidate_pk>/proposal/",
        proposals.proposal_edit,
        name="proposal-edit",
    ),
    path(
        "events/<int:pk>/proposals/<int:proposal_pk>/",
        proposals.proposal_detail,
        name="proposal-detail",
    ),
    path(
        "events/<int:pk>/proposals/<int:proposal_pk>/score/",
        proposals.proposal_score,
        name="proposal-score",
    ),
    path("events/<int:pk>/ranking/", proposals.event_ranking, name="event-ranking"),
    path("events/<int:pk>/award/", proposals.event_award, name="event-award"),
    path("awards/<int:pk>/", proposals.award_detail, name="award-detail"),
    # The event's RFP and the vendors' responses through the portal (vendors/portal/)
    path("events/<int:pk>/rfp/", rfp.rfp_page, name="rfp"),
    path("events/<int:pk>/rfp/new/", rfp.rfp_create, name="rfp-create"),
    path("events/<int:pk>/rfp/edit/", rfp.rfp_update, name="rfp-update"),
    path("events/<int:pk>/rfp/questions/", rfp.question_add, name="rfp-question-add"),
    path(
        "events/<int:pk>/rfp/questions/<int:question_pk>/remove/",
        rfp.question_remove,
        name="rfp-question-remove",
    ),
    path("events/<int:pk>/rfp/publish/", rfp.rfp_publish, name="rfp-publish"),
    path("events/<int:pk>/rfp/amendments/", rfp.amendment_add, name="rfp-amendment-add"),
    path(
        "events/<int:pk>/rfp/candidates/<int:candidate_pk>/invite/",
        rfp.invitation_send,
        name="rfp-invite",
    ),
    path(
        "events/<int:pk>/rfp/invitations/<int:invitation_pk>/revoke/",
        rfp.invitation_revoke,
        name="rfp-revoke",
    ),
    path(
        "events/<int:pk>/rfp/clarifications/<int:clarification_pk>/answer/",
        rfp.clarification_answer,
        name="rfp-answer",
    ),
    path("events/<int:pk>/rfp/open/", rfp.responses_open, name="rfp-open"),
    path("events/<int:pk>/rfp/record.<str:fmt>", rfp.rfp_audit, name="rfp-record"),
    path(
        "events/<int:pk>/rfp/documents/<int:document_pk>/",
        rfp.response_document,
        name="rfp-document",
    ),
]
