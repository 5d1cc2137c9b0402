from django.urls import path

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
]
