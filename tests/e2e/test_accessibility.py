"""Issue 14's accessibility and layout checks in a real browser.

Every key page of the manager, the CIO and the admin passes axe-core (bundled by
axe-playwright-python, no CDN) with no serious or critical violation; the ranking, the
dashboard and the contract pages fit 1,366 px and a 768 px tablet without sideways
scrolling (screenshots of both widths go to test-artifacts/layout/); the AHP pairs scroll
with the page; and a wizard form and an event form work with the keyboard alone.
"""

import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from assessments.demo import DEMO_ASSESSMENT
from assessments.models import Assessment, Projection
from contracts.models import Contract
from tests.realparts import ROOT, log_in
from vendors.models import EventStatus, SourcingEvent

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts" / "layout"
PASSWORD = "sourcewise-demo"
WIDTHS = {1366: 768, 768: 1024}  # viewport width: height (a laptop; a tablet upright)
BLOCKING = ("serious", "critical")
AXE = Axe()

CHARTS_DRAWN = """() => [...document.querySelectorAll('.plotly-chart, .projection-chart')]
    .every(chart => chart.data && chart.layout)"""

# Plotly redraws a chart a moment after the window is resized: wait until each fits its box.
CHARTS_FIT = """() => [...document.querySelectorAll('.js-plotly-plot')].every(chart =>
    chart._fullLayout && Math.abs(chart._fullLayout.width - chart.clientWidth) <= 1)"""

# Scroll boxes inside <main> that a person would have to scroll sideways, as they show
# now (a table in a closed <details> is not shown, so it does not count).
SIDEWAYS_BOXES = """() => [...document.querySelectorAll('main *')].filter(element => {
    const style = getComputedStyle(element);
    return ['auto', 'scroll'].includes(style.overflowX) && element.checkVisibility()
        && element.scrollWidth > element.clientWidth + 1;
}).map(element => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`
    + ` ${element.scrollWidth} px in ${element.clientWidth} px`)"""

# The innermost elements that reach past the window's right edge, to name in a failure.
WIDER_THAN_THE_WINDOW = """() => [...document.querySelectorAll('body *')].filter(element =>
    element.checkVisibility() && element.getBoundingClientRect().right > window.innerWidth + 1
    && ![...element.children].some(child => child.getBoundingClientRect().right
        > window.innerWidth + 1)).slice(0, 5).map(element => `${element.tagName.toLowerCase()}`
    + `#${element.id}.${element.className}`
    + ` to ${Math.round(element.getBoundingClientRect().right)} px`)"""

# A chart's text alternative is the table with its figures: the chart is described by a
# visible "Table view" link, and the link's target is on the page.
CHARTS_WITHOUT_TABLE = """() => [...document.querySelectorAll('.plotly-chart, .projection-chart')]
    .filter(chart => {
        const note = document.getElementById(chart.getAttribute('aria-describedby') || '');
        const link = note && note.querySelector('a[href^="#"]');
        return !(link && link.textContent.includes('Table view')
            && document.getElementById(link.getAttribute('href').slice(1)));
    }).map(chart => chart.id)"""

FOCUS_RING = """(element) => {
    const shown = document.querySelector(`label[for="${element.id}"].btn`) || element;
    const style = getComputedStyle(shown);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== 'none';
}"""


@dataclass(frozen=True)
class Demo:
    """Where the demo's key pages are, found by name, not by a hard-coded id."""

    assessment: int
    process: int
    projection: int
    event: int
    criteria: int
    contract: int
    sla: int
    vendor: int

    @property
    def pages(self) -> dict[str, str]:
        a, e, c = self.assessment, self.event, self.contract
        return {
            "home": "/",
            "assessment list": "/assessments/",
            "results": f"/assessments/{a}/results/",
            "process": f"/assessments/{a}/processes/{self.process}/",
            "roadmap": f"/assessments/{a}/roadmap/",
            "projection": f"/assessments/{a}/projections/{self.projection}/",
            "vendor registry": "/vendors/",
            "vendor": f"/vendors/{self.vendor}/",
            "event list": "/vendors/events/",
            "new event": "/vendors/events/new/",
            "event": f"/vendors/events/{e}/",
            "ranking": f"/vendors/events/{e}/ranking/",
            "AHP weights": f"/vendors/criteria/{self.criteria}/",
            "contract list": "/contracts/",
            "contract": f"/contracts/{c}/",
            "SLA": f"/contracts/{c}/slas/{self.sla}/",
            "vendor record": f"/contracts/vendors/{self.vendor}/",
            "renewals": "/contracts/renewals/",
            "notifications": "/contracts/notifications/",
            "dashboard": "/dashboard/",
            "members": "/accounts/members/",
            "API tokens": "/accounts/tokens/",
            "audit trail": "/accounts/audit/",
        }


def seed() -> Demo:
    call_command("seed_demo", verbosity=0)  # its projection runs in-process, to the end
    assessment = Assessment.objects.get(name=DEMO_ASSESSMENT, organisation__name="Acme Holdings")
    event = SourcingEvent.objects.filter(organisation=assessment.organisation).order_by("pk")[0]
    contract = (
        Contract.objects.filter(organisation=assessment.organisation, slas__isnull=False)
        .order_by("pk")
        .distinct()[0]
    )
    return Demo(
        assessment=assessment.pk,
        process=assessment.processes.order_by("pk")[0].pk,
        projection=Projection.objects.filter(assessment=assessment, status="done")
        .latest("created_at")
        .pk,
        event=event.pk,
        criteria=event.criteria_set_id,
        contract=contract.pk,
        sla=contract.slas.order_by("pk")[0].pk,
        vendor=contract.vendor_id,
    )


def axe_problems(page, name: str) -> list[str]:
    """The serious and critical axe-core violations of the page as it shows now."""
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN)
    problems = [
        f"{name}: chart #{chart} links no table view"
        for chart in page.evaluate(CHARTS_WITHOUT_TABLE)
    ]
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            problems.append(
                f"{name}: {violation['id']} ({violation['impact']}) {violation['help']}"
                f" [{len(violation['nodes'])}: {targets}]"
            )
    return problems


def tab_to(page, locator, limit: int = 150) -> None:
    """Press Tab until the element has the focus, as a keyboard user would; it must show
    that it has it."""
    target = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(element) => element === document.activeElement", target):
            assert page.evaluate(FOCUS_RING, target), f"no visible focus on {target}"
            return
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


MANAGER_PAGES = (
    "home",
    "assessment list",
    "results",
    "process",
    "roadmap",
    "projection",
    "vendor registry",
    "vendor",
    "event list",
    "new event",
    "event",
    "ranking",
    "AHP weights",
    "contract list",
    "contract",
    "SLA",
    "vendor record",
    "notifications",
    "dashboard",
)
CIO_PAGES = ("home", "dashboard", "results", "renewals")
ADMIN_PAGES = ("home", "members", "API tokens", "audit trail")
# No sideways scrolling at all, not even inside a table's own box.
MUST_FIT = ("ranking", "dashboard", "contract", "SLA", "contract list")
SCREENSHOTS = ("home", "results", "ranking", "contract", "dashboard")


def resize(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.wait_for_function(f"() => window.innerWidth === {width}")
    page.wait_for_function(CHARTS_FIT)


def layout_problems(page, name: str) -> list[str]:
    """Measure the page at each width (and save its screenshots); back at 1,366 px after."""
    problems = []
    for width in WIDTHS:
        resize(page, width)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > width:
            wider = page.evaluate(WIDER_THAN_THE_WINDOW)
            problems.append(f"{name} at {width} px: the page is {scroll_width} px wide: {wider}")
        if name in MUST_FIT:
            problems += [f"{name} at {width} px: {box}" for box in page.evaluate(SIDEWAYS_BOXES)]
        if name in SCREENSHOTS:
            slug = name.replace(" ", "-")
            page.screenshot(path=str(ARTIFACTS / f"{slug}-{width}.png"), full_page=True)
    resize(page, 1366)
    return problems


def tour(page, demo: Demo, names: tuple[str, ...], measure: bool = False) -> list[str]:
    problems = []
    for name in names:
        response = page.goto(demo.pages[name])
        assert response is not None and response.ok, (
            f"{name} answered {response and response.status}"
        )
        problems += axe_problems(page, name)
        if measure and (name in MUST_FIT or name in SCREENSHOTS):
            problems += layout_problems(page, name)
    return problems


def ahp_pairs_problem(page, demo: Demo) -> str | None:
    """The 36 AHP pairs of nine criteria run down the page: no box of their own scrolls them."""
    page.goto(demo.pages["AHP weights"])
    pairs = page.locator("select.ahp-pair")
    if pairs.count() != 36:
        return f"AHP weights: {pairs.count()} pairs, not 36"
    boxed = pairs.last.evaluate("""(select) => {
        for (let box = select.parentElement; box !== document.documentElement;
             box = box.parentElement) {
            const style = getComputedStyle(box);
            if (['auto', 'scroll'].includes(style.overflowY) && box.scrollHeight > box.clientHeight)
                return `${box.tagName.toLowerCase()}.${box.className}`;
        }
        return null;
    }""")
    return f"AHP weights: the pairs scroll inside {boxed}" if boxed else None


def test_each_roles_key_pages_pass_axe_and_fit_a_laptop_and_a_tablet(page, transactional_db):
    demo = seed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": WIDTHS[1366]})
    page.goto("/accounts/login/")
    problems = axe_problems(page, "login")

    log_in(page, "manager", PASSWORD)
    problems += tour(page, demo, MANAGER_PAGES, measure=True)
    boxed_pairs = ahp_pairs_problem(page, demo)
    problems += [boxed_pairs] if boxed_pairs else []

    for username, pages in (("cio", CIO_PAGES), ("admin", ADMIN_PAGES)):
        page.context.clear_cookies()
        log_in(page, username, PASSWORD)
        problems += [f"{username}'s {problem}" for problem in tour(page, demo, pages)]

    assert problems == [], "\n".join(problems)
    assert page.console_errors == []


def test_a_manager_fills_a_wizard_form_and_an_event_form_with_the_keyboard_alone(
    page, transactional_db
):
    seed()
    log_in(page, "manager", PASSWORD)

    # The wizard's first step: type the name, tick an objective with Space, press the button.
    page.goto("/assessments/new/")
    problems = axe_problems(page, "wizard: context")
    tab_to(page, page.get_by_label("Name"))
    page.keyboard.type("Keyboard review")
    tab_to(page, page.get_by_label("Cost reduction"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/inventory/")
    problems += axe_problems(page, "wizard: inventory")

    # Add a process: Enter in a field sends its form.
    tab_to(page, page.get_by_label("Name"))
    page.keyboard.type("Visitor reception")
    tab_to(page, page.get_by_label("Annual in-house cost"))
    page.keyboard.type("180000")
    page.keyboard.press("Enter")
    page.get_by_role("cell", name="Visitor reception", exact=True).wait_for()
    tab_to(page, page.get_by_role("link", name="Continue to the questionnaire"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/questionnaire/.*"))
    problems += axe_problems(page, "wizard: questionnaire")

    # Each question's scale is a radio group: Tab reaches it, the arrow keys choose.
    groups = page.get_by_role("radiogroup")
    assert groups.count() >= 5
    for group in groups.all():
        tab_to(page, group.locator("input[type=radio]").first)
        for _ in range(3):
            page.keyboard.press("ArrowRight")
    chosen = page.evaluate(
        "() => [...document.querySelectorAll('[role=radiogroup]')]"
        ".map(group => group.querySelector('input:checked')?.value)"
    )
    assert chosen == ["4"] * groups.count()
    tab_to(page, page.get_by_role("button", name=re.compile("Save and (review|next)")))
    page.keyboard.press("Enter")
    page.wait_for_url("**/review/")
    problems += axe_problems(page, "wizard: review")
    tab_to(page, page.get_by_role("button", name="Submit assessment"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/results/")

    # An event from a roadmap wave: Space picks the wave, Enter in the name field sends it.
    page.goto("/vendors/events/new/")
    tab_to(page, page.get_by_label(re.compile(r"wave 1 \(ITO\)")).first)
    page.keyboard.press("Space")
    tab_to(page, page.locator("#id_wave-name"))
    page.keyboard.type("Keyboard RFP")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/vendors/events/\d+/$"))
    assert "Event created" in page.locator("[role=alert]").first.inner_text()
    tab_to(page, page.get_by_role("button", name="Accept the shortlist and open the event"))
    page.keyboard.press("Enter")
    page.get_by_role("alert").filter(has_text="Shortlist accepted").wait_for()
    assert SourcingEvent.objects.get(name="Keyboard RFP").status == EventStatus.OPEN
    assert problems == [], "\n".join(problems)
    assert page.console_errors == []
