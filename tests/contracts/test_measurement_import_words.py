"""Import messages end in one full stop, even when they quote a sentence of their own."""

from contracts.engine.measurement_files import RawRow, check_rows


def test_a_bad_line_reads_as_one_sentence_with_one_full_stop():
    rows = [
        RawRow(2, {"sla": "Availability", "period": "2026-13", "actual": "abc"}),
        RawRow(3, {"sla": "Availability", "period": "next month", "actual": "99.5"}),
    ]
    _, problems = check_rows(rows, ["Availability"], lambda period: None)
    assert len(problems) == 2
    for problem in problems:
        assert problem.endswith(".") and not problem.endswith("..")
        assert ".;" not in problem


def test_a_period_problem_ending_in_a_stop_is_not_doubled():
    rows = [RawRow(2, {"sla": "Availability", "period": "2099-01", "actual": "99.5"})]
    _, problems = check_rows(
        rows, ["Availability"], lambda period: f"{period:%b %Y} has not happened yet."
    )
    assert problems == ["Line 2: unknown period: Jan 2099 has not happened yet."]
