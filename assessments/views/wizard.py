"""The assessment wizard: context, inventory, questionnaire, review. Saved at every step."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import MemberRequest, can_edit, editors_only, organisation_of, scoped
from accounts.engine.formatting import count_of
from assessments.access import get_assessment_for, get_process_for
from assessments.engine.inventory import template_csv
from assessments.engine.questions import QUESTIONS_BY_KEY
from assessments.forms.wizard import AnswersForm, ContextForm, InventoryUploadForm, ProcessForm
from assessments.models import Assessment, Process, WizardStep
from assessments.services import assessments as services

STEPS = [(step.value, step.label) for step in WizardStep]


def _wizard(
    request: HttpRequest,
    template: str,
    assessment: Assessment | None,
    step: str,
    context: dict,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {"assessment": assessment, "steps": STEPS, "current_step": step, **context},
        status=status,
    )


class AssessmentSubmitted(PermissionDenied):
    """A wizard page of a submitted assessment: answered by a page offering to reopen it."""

    def __init__(self, assessment: Assessment) -> None:
        super().__init__("This assessment was submitted. Reopen it to change it.")
        self.assessment = assessment


def _editable(request: HttpRequest, pk: int) -> Assessment:
    """The draft assessment to change (a person whose role cannot change it gets 403)."""
    assessment = get_assessment_for(request, pk, write=True)
    if not assessment.is_draft:
        raise AssessmentSubmitted(assessment)
    return assessment


def offers_reopen(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A submitted assessment's wizard pages answer 403 with a Reopen button.

    Only people who may change the assessment get this far (``_editable`` checks the role
    first), and they are the ones who may reopen it.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except AssessmentSubmitted as submitted:
            return _wizard(
                request,
                "assessments/submitted.html",
                submitted.assessment,
                WizardStep.REVIEW,
                {},
                status=403,
            )

    return wrapped


@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    assessments = scoped(request, Assessment.objects.with_counts()).select_related("owner")
    return render(request, "assessments/list.html", {"assessments": assessments})


@require_GET
def assessment_resume(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk)
    if assessment.is_draft and can_edit(request):
        return redirect(f"assessments:{assessment.wizard_step}", pk=assessment.pk)
    return redirect("assessments:results", pk=assessment.pk)


@editors_only
@require_http_methods(["GET", "POST"])
def assessment_create(request: MemberRequest) -> HttpResponse:
    organisation = organisation_of(request)
    form = ContextForm(
        request.POST or None,
        initial={
            "home_country": organisation.home_country,
            "currency": organisation.currency,
        },
    )
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_create(
            organisation=organisation, owner=request.user, data=form.cleaned_data
        )
        messages.success(request, "Saved. Now list the processes to assess.")
        return redirect("assessments:inventory", pk=assessment.pk)
    return _wizard(
        request, "assessments/wizard_context.html", None, WizardStep.CONTEXT, {"form": form}
    )


@offers_reopen
@require_http_methods(["GET", "POST"])
def assessment_context(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _editable(request, pk)
    form = ContextForm(request.POST or None, initial=ContextForm.initial_from(assessment))
    if request.method == "POST" and form.is_valid():
        services.assessment_update_context(assessment=assessment, data=form.cleaned_data)
        messages.success(request, "Context saved.")
        return redirect("assessments:inventory", pk=assessment.pk)
    return _wizard(
        request, "assessments/wizard_context.html", assessment, WizardStep.CONTEXT, {"form": form}
    )


@offers_reopen
@require_http_methods(["GET", "POST"])
def assessment_inventory(request: HttpRequest, pk: int) -> HttpResponse:
    """List, add and import processes. POST adds one process typed in the browser."""
    assessment = _editable(request, pk)
    form = ProcessForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        process = services.process_create(assessment=assessment, data=form.cleaned_data)
        messages.success(request, f"Added \u201c{process.name}\u201d.")
        return redirect("assessments:inventory", pk=assessment.pk)
    return _inventory_page(request, assessment, form=form, upload=InventoryUploadForm())


def _inventory_page(
    request: HttpRequest,
    assessment: Assessment,
    *,
    form: ProcessForm,
    upload: InventoryUploadForm,
    report: services.ImportReport | None = None,
    status: int = 200,
) -> HttpResponse:
    processes = assessment.processes.only(
        "pk", "name", "business_function", "annual_cost", "fte", "assessment_id"
    )
    response = _wizard(
        request,
        "assessments/wizard_inventory.html",
        assessment,
        WizardStep.INVENTORY,
        {"form": form, "upload": upload, "processes": processes, "report": report},
    )
    response.status_code = status
    return response


@offers_reopen
@require_POST
def inventory_import(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _editable(request, pk)
    upload = InventoryUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _inventory_page(
            request, assessment, form=ProcessForm(assessment=assessment), upload=upload, status=400
        )
    file = upload.cleaned_data["file"]
    report = services.inventory_import(
        assessment=assessment,
        data=file.read(),
        filename=file.name,
        replace=upload.cleaned_data["replace"],
    )
    if not report.ok:
        messages.error(
            request,
            f"Nothing was imported: {count_of(len(report.errors), 'problem')} found in the "
            f"file. Fix {'it' if len(report.errors) == 1 else 'them'} and upload the file again.",
        )
        return _inventory_page(
            request,
            assessment,
            form=ProcessForm(assessment=assessment),
            upload=upload,
            report=report,
            status=400,
        )
    imported = count_of(report.imported, "process", "processes")
    messages.success(request, f"Imported {imported} from {file.name}.")
    return redirect("assessments:inventory", pk=assessment.pk)


@require_GET
def inventory_template(request: HttpRequest) -> HttpResponse:
    # A BOM so that Excel opens the file as UTF-8.
    response = HttpResponse(
        template_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="sourcewise-inventory-template.csv"'
    return response


@offers_reopen
@require_http_methods(["GET", "POST"])
def process_edit(request: HttpRequest, pk: int, process_pk: int) -> HttpResponse:
    assessment = _editable(request, pk)
    process = get_process_for(request, assessment, process_pk, write=True)
    initial = {name: getattr(process, name) for name in services.PROCESS_FIELDS}
    form = ProcessForm(
        request.POST or None, initial=initial, assessment=assessment, process=process
    )
    if request.method == "POST" and form.is_valid():
        services.process_update(process=process, data=form.cleaned_data)
        messages.success(request, f"Saved \u201c{process.name}\u201d.")
        return redirect("assessments:inventory", pk=assessment.pk)
    return _wizard(
        request,
        "assessments/process_form.html",
        assessment,
        WizardStep.INVENTORY,
        {"form": form, "process": process},
    )


@offers_reopen
@require_http_methods(["GET", "POST"])
def process_delete(request: HttpRequest, pk: int, process_pk: int) -> HttpResponse:
    """GET asks for confirmation (a page, so it works without JavaScript); POST removes."""
    assessment = _editable(request, pk)
    process = get_process_for(request, assessment, process_pk, write=True)
    if request.method == "GET":
        return _wizard(
            request,
            "assessments/process_delete.html",
            assessment,
            WizardStep.INVENTORY,
            {"process": process, "question_count": len(process.stored_answers)},
        )
    services.process_delete(process=process)
    messages.success(request, f"Removed \u201c{process.name}\u201d.")
    return redirect("assessments:inventory", pk=assessment.pk)


@offers_reopen
@require_http_methods(["GET", "POST"])
def assessment_questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    """One card per process with previous/next; a side list shows what is answered."""
    assessment = _editable(request, pk)
    processes = list(assessment.processes.all())
    if not processes:
        messages.info(request, "Add processes before answering the questionnaire.")
        return redirect("assessments:inventory", pk=assessment.pk)
    index = _process_index(processes, request.GET.get("process"))
    process = processes[index]
    form = AnswersForm(request.POST or None, initial=AnswersForm.initial_from(process), prefix="q")
    if request.method == "POST":
        if form.is_valid():
            destination, step = _after_answers(request, assessment, processes, index)
            # The step the answers lead to is where the wizard resumes (the service keeps it).
            # Whatever was answered is kept, even when some questions are still open.
            services.process_answers_save(process=process, answers=form.given_answers(), step=step)
            _say_what_is_missing(request, process, moved=request.POST.get("move") != "stay")
            return redirect(destination)
        messages.error(request, "Some answers are not valid; they are marked below.")
    return _wizard(
        request,
        "assessments/wizard_questionnaire.html",
        assessment,
        WizardStep.QUESTIONNAIRE,
        {
            "form": form,
            "process": process,
            "processes": processes,
            "index": index,
            "previous": processes[index - 1] if index else None,
            "next": processes[index + 1] if index + 1 < len(processes) else None,
            "answered": sum(p.is_complete for p in processes),
            "missing": _missing_labels(process) if process.answered_count else [],
        },
        status=400 if form.errors else 200,
    )


def _missing_labels(process: Process) -> list[str]:
    return [QUESTIONS_BY_KEY[key].label for key in process.unanswered]


def _say_what_is_missing(request: HttpRequest, process: Process, *, moved: bool) -> None:
    """After a save: all answered, or which questions of this process are still open."""
    missing = _missing_labels(process)
    if not missing:
        messages.success(request, f"Answers for \u201c{process.name}\u201d saved.")
        return
    total = process.answered_count + len(missing)
    messages.warning(
        request,
        f"Saved {process.answered_count} of {total} answers for \u201c{process.name}\u201d "
        f"as a draft. Still to answer: {', '.join(missing)}."
        + (" You can come back to them before submitting." if moved else ""),
    )


def _process_index(processes: list[Process], wanted: str | None) -> int:
    if wanted:
        for i, process in enumerate(processes):
            if str(process.pk) == wanted:
                return i
    return next((i for i, p in enumerate(processes) if not p.is_complete), 0)


def _after_answers(
    request: HttpRequest, assessment: Assessment, processes: list[Process], index: int
) -> tuple[str, str]:
    """Where saved answers lead (the POST's ``move``), and the wizard step that is."""
    url = reverse("assessments:questionnaire", kwargs={"pk": assessment.pk})
    move = request.POST.get("move", "next")
    if move == "previous" and index > 0:
        return f"{url}?process={processes[index - 1].pk}", WizardStep.QUESTIONNAIRE
    if move == "next" and index + 1 < len(processes):
        return f"{url}?process={processes[index + 1].pk}", WizardStep.QUESTIONNAIRE
    if move == "stay":
        return f"{url}?process={processes[index].pk}", WizardStep.QUESTIONNAIRE
    return reverse("assessments:review", kwargs={"pk": assessment.pk}), WizardStep.REVIEW


@offers_reopen
@require_GET
def assessment_review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _editable(request, pk)
    processes = list(assessment.processes.all())
    return _wizard(
        request,
        "assessments/wizard_review.html",
        assessment,
        WizardStep.REVIEW,
        {
            "processes": processes,
            "problems": services.submit_problems(assessment),
            "total_cost": sum(p.annual_cost for p in processes),
            "incomplete": [p for p in processes if not p.is_complete],
        },
    )


@offers_reopen
@require_POST
def assessment_submit(request: MemberRequest, pk: int) -> HttpResponse:
    assessment = _editable(request, pk)
    try:
        services.assessment_submit(assessment=assessment, user=request.user)
    except services.SubmitError as error:
        messages.error(request, str(error))
        return redirect("assessments:review", pk=assessment.pk)
    messages.success(
        request,
        "Submitted. Here are the recommendations; the savings projection is being computed.",
    )
    return redirect("assessments:results", pk=assessment.pk)


@require_POST
def assessment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request, pk, write=True)
    services.assessment_reopen(assessment=assessment)
    messages.info(request, "Reopened as a draft. Submit again to refresh the recommendations.")
    return redirect("assessments:inventory", pk=assessment.pk)
