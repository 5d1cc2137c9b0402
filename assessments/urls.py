from django.urls import path

from assessments.views import glossary, portfolio, projections, results, scenarios, wizard

app_name = "assessments"

urlpatterns = [
    path("", wizard.assessment_list, name="list"),
    path("new/", wizard.assessment_create, name="create"),
    path("inventory-template.csv", wizard.inventory_template, name="inventory-template"),
    path("glossary/", glossary.glossary, name="glossary"),
    path("<int:pk>/", wizard.assessment_resume, name="resume"),
    # The wizard
    path("<int:pk>/context/", wizard.assessment_context, name="context"),
    path("<int:pk>/inventory/", wizard.assessment_inventory, name="inventory"),
    path("<int:pk>/inventory/import/", wizard.inventory_import, name="inventory-import"),
    path("<int:pk>/processes/<int:process_pk>/edit/", wizard.process_edit, name="process-edit"),
    path(
        "<int:pk>/processes/<int:process_pk>/delete/", wizard.process_delete, name="process-delete"
    ),
    path("<int:pk>/questionnaire/", wizard.assessment_questionnaire, name="questionnaire"),
    path("<int:pk>/review/", wizard.assessment_review, name="review"),
    path("<int:pk>/submit/", wizard.assessment_submit, name="submit"),
    path("<int:pk>/reopen/", wizard.assessment_reopen, name="reopen"),
    path(
        "<int:pk>/current-portfolio/",
        portfolio.mark_current_portfolio,
        name="mark-current-portfolio",
    ),
    # Results
    path("<int:pk>/results/", results.assessment_results, name="results"),
    path("<int:pk>/processes/<int:process_pk>/", results.process_detail, name="process-detail"),
    path(
        "<int:pk>/processes/<int:process_pk>/what-if.json", results.process_what_if, name="what-if"
    ),
    path(
        "<int:pk>/processes/<int:process_pk>/override/", results.process_override, name="override"
    ),
    path("<int:pk>/roadmap/", results.assessment_roadmap, name="roadmap"),
    path("<int:pk>/export.<str:fmt>", results.recommendations_export, name="export"),
    # Projections
    path("<int:pk>/projections/", projections.projection_start, name="projection-start"),
    path(
        "<int:pk>/projections/<int:projection_pk>/",
        projections.projection_detail,
        name="projection-detail",
    ),
    path(
        "<int:pk>/projections/<int:projection_pk>/status.json",
        projections.projection_status,
        name="projection-status",
    ),
    path(
        "<int:pk>/projections/<int:projection_pk>/export.<str:fmt>",
        projections.projection_export,
        name="projection-export",
    ),
    # Scenarios
    path("<int:pk>/scenarios/", scenarios.scenario_list, name="scenarios"),
    path("<int:pk>/scenarios/new/", scenarios.scenario_new, name="scenario-new"),
    path(
        "<int:pk>/scenarios/project/", scenarios.scenario_project_all, name="scenario-project-all"
    ),
    path("<int:pk>/scenarios/compare/", scenarios.scenario_compare, name="scenario-compare"),
    path(
        "<int:pk>/scenarios/compare/export.<str:fmt>",
        scenarios.scenario_compare_export,
        name="scenario-compare-export",
    ),
    path(
        "<int:pk>/scenarios/<int:scenario_pk>/edit/",
        scenarios.scenario_edit,
        name="scenario-edit",
    ),
    path(
        "<int:pk>/scenarios/<int:scenario_pk>/delete/",
        scenarios.scenario_delete,
        name="scenario-delete",
    ),
    path(
        "<int:pk>/scenarios/<int:scenario_pk>/project/",
        scenarios.scenario_project,
        name="scenario-project",
    ),
]
