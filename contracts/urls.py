from django.urls import path

from contracts.api import legacy as api
from contracts.calibration import views as calibration
from contracts.views import contracts, documents, exit_plans, relationship, renewals, slas

app_name = "contracts"

urlpatterns = [
    path("", contracts.contract_list, name="list"),
    path("new/", contracts.contract_create, name="create"),
    path("from-award/<int:award_pk>/", contracts.contract_from_award, name="new-from-award"),
    path("vendors/<int:vendor_pk>/", contracts.vendor_contracts, name="vendor-record"),
    # Renewals and notifications
    path("renewals/", renewals.renewals, name="renewals"),
    path("notifications/", renewals.notifications, name="notifications"),
    path("notifications/read/", renewals.notifications_read, name="notifications-read"),
    # Calibration of forecasts against realised savings
    path("calibration/", calibration.calibration_report, name="calibration"),
    path(
        "calibration/assumptions/",
        calibration.calibration_assumptions,
        name="calibration-assumptions",
    ),
    # One contract
    path("<int:pk>/", contracts.contract_detail, name="detail"),
    path("<int:pk>/edit/", contracts.contract_edit, name="edit"),
    path("<int:pk>/documents/", documents.document_upload, name="document-upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        documents.document_download,
        name="document-download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        documents.document_delete,
        name="document-delete",
    ),
    # SLAs, measurements and credits
    path("<int:pk>/slas/new/", slas.sla_create, name="sla-create"),
    path("<int:pk>/slas/<int:sla_pk>/", slas.sla_detail, name="sla-detail"),
    path("<int:pk>/slas/<int:sla_pk>/edit/", slas.sla_edit, name="sla-edit"),
    path("<int:pk>/slas/<int:sla_pk>/delete/", slas.sla_delete, name="sla-delete"),
    path("<int:pk>/measurements/", slas.measurements_record, name="record-measurements"),
    path("<int:pk>/measurements/import/", slas.measurements_import, name="import-measurements"),
    path(
        "<int:pk>/measurements/template.csv",
        slas.measurements_template,
        name="measurement-template",
    ),
    path("<int:pk>/credits/<int:year>-<int:month>/", slas.credit_detail, name="credit-detail"),
    # Relationship
    path("<int:pk>/reviews/new/", relationship.review_create, name="review-create"),
    path("<int:pk>/reviews/<int:review_pk>/edit/", relationship.review_edit, name="review-edit"),
    path("<int:pk>/issues/new/", relationship.issue_create, name="issue-create"),
    path("<int:pk>/issues/<int:issue_pk>/edit/", relationship.issue_edit, name="issue-edit"),
    path("<int:pk>/actions/new/", relationship.action_create, name="action-create"),
    path("<int:pk>/actions/<int:action_pk>/edit/", relationship.action_edit, name="action-edit"),
    path("<int:pk>/savings/", relationship.saving_record, name="record-saving"),
    # Exit plan
    path("<int:pk>/exit/", exit_plans.exit_plan, name="exit-plan"),
    path("<int:pk>/exit/edit/", exit_plans.exit_plan_edit, name="exit-plan-edit"),
    # API
    path("api/measurements/", api.measurements_api, name="api-measurements"),
]
