"""The home page's guide: where the organisation stands and each role's next steps."""

from outsourcing.engine.lifecycle import Lifecycle, guide


def labels(life: Lifecycle, role: str) -> list[str]:
    return [step.label for step in guide(life, role).next_steps]


def test_a_new_organisation_asks_an_editor_to_start_an_assessment():
    assert labels(Lifecycle(), "manager")[0] == "Start an assessment"
    stages = {stage.key: stage for stage in guide(Lifecycle(), "manager").stages}
    assert stages["assessment"].state == "Not started" and not stages["assessment"].done


def test_a_cio_is_never_sent_to_a_form_they_may_not_submit():
    steps = guide(Lifecycle(), "cio").next_steps
    assert steps[0].url_name == "assessments:list"
    assert all(step.url_name not in ("assessments:create", "assessments:resume") for step in steps)


def test_a_draft_is_the_next_step_until_something_is_submitted():
    life = Lifecycle(drafts=1, draft_id=7, draft_name="2027 review")
    first = guide(life, "manager").next_steps[0]
    assert first.label == "Continue “2027 review”"
    assert (first.url_name, first.args) == ("assessments:resume", (7,))


def test_a_submitted_assessment_without_a_projection_asks_for_one():
    life = Lifecycle(submitted=1, portfolio_id=3, portfolio_name="Portfolio")
    first = guide(life, "manager").next_steps[0]
    assert first.label == "Run the savings projection for “Portfolio”"
    assert (first.url_name, first.args) == ("assessments:results", (3,))


def test_with_a_projection_the_roadmap_leads_to_vendor_selection():
    life = Lifecycle(submitted=1, portfolio_id=3, portfolio_name="P", projection_done=True)
    assert labels(life, "manager")[0] == "Start vendor selection from the roadmap"


def test_an_open_event_is_followed_by_its_award():
    life = Lifecycle(
        submitted=1,
        portfolio_id=3,
        portfolio_name="P",
        projection_done=True,
        events_open=1,
        event_id=9,
        event_name="ITO wave 1",
    )
    assert labels(life, "manager")[0] == "Score and award “ITO wave 1”"
    assert labels(life, "cio")[0] == "Follow “ITO wave 1”"


def test_renewal_notices_come_first_for_everyone():
    life = Lifecycle(submitted=1, portfolio_id=3, projection_done=True, notices_due=2)
    for role in ("manager", "cio", "admin"):
        assert labels(life, role)[0] == "Decide on 2 renewals due within 90 days"
    notices = {stage.key: stage for stage in guide(life, "cio").stages}["notices"]
    assert notices.state == "2 notice deadlines in the next 90 days" and not notices.done


def test_the_cio_is_sent_to_the_dashboard_and_to_choose_a_portfolio():
    life = Lifecycle(submitted=2, portfolio_id=3, portfolio_name="P", projection_done=True)
    steps = labels(life, "cio")
    assert "Open the portfolio dashboard" in steps and "Choose the current portfolio" in steps
    marked = Lifecycle(submitted=2, portfolio_id=3, projection_done=True, portfolio_marked=True)
    assert "Choose the current portfolio" not in labels(marked, "cio")


def test_only_the_admin_is_sent_to_invite_people():
    life = Lifecycle(submitted=1, portfolio_id=3, projection_done=True, contracts_live=2)
    assert "Invite people and set roles" in labels(life, "admin")
    assert "Invite people and set roles" not in labels(life, "manager")
    assert "Record this month's SLA measurements" in labels(life, "manager")
    assert "Record this month's SLA measurements" not in labels(life, "cio")


def test_the_stages_read_in_words_with_plurals():
    life = Lifecycle(
        drafts=1,
        submitted=2,
        portfolio_id=3,
        portfolio_name="P",
        projection_done=True,
        events_open=1,
        events_awarded=2,
        contracts_live=1,
    )
    states = [stage.state for stage in guide(life, "manager").stages]
    assert states == [
        "2 assessments submitted, 1 draft in progress",
        "Done for “P”",
        "1 event open or in evaluation, 2 events awarded",
        "1 contract live",
        "No notice deadline in the next 90 days",
    ]


def test_a_stage_begun_but_not_done_is_under_way():
    life = Lifecycle(drafts=1, draft_id=2, events_open=1)
    stages = {stage.key: stage for stage in guide(life, "manager").stages}
    assert stages["assessment"].under_way and not stages["assessment"].done
    assert stages["events"].under_way and not stages["events"].done
    assert not stages["contracts"].under_way
