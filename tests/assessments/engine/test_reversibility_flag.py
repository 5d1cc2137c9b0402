"""The reversibility risk flag (METHODOLOGY 9.4): knowledge intensity 4 or more with data
sensitivity or interdependence 4 or more, beside an outsourcing recommendation only."""

from __future__ import annotations

import numpy as np
import pytest

from assessments.engine.flags import FLAG_CHOICES, describe_flags
from assessments.engine.scoring import score_portfolio, score_process
from tests.assessments.engine.test_scoring import answers

MARKET_RESEARCH = "3 2 2 5 2 2 1 1 5 4 2"
WITH_REGULATED_DATA = "3 2 2 5 2 4 1 1 5 4 2"
TIGHTLY_WOVEN = "3 2 2 5 2 2 1 1 5 4 4"
BOTH = "3 2 2 4 2 5 1 1 5 4 5"
CORE_RESEARCH = "5 1 2 5 3 5 5 5 1 2 5"


@pytest.mark.parametrize(
    ("case", "flags"),
    [
        (WITH_REGULATED_DATA, ["data", "reversibility"]),
        (TIGHTLY_WOVEN, ["reversibility"]),
        (BOTH, ["data", "reversibility"]),
        (MARKET_RESEARCH, []),
    ],
)
def test_specialist_work_with_regulated_data_or_tight_coupling_is_hard_to_reverse(
    case: str, flags: list[str]
) -> None:
    rec = score_process(answers(case))
    assert rec.model == "KPO"
    assert rec.flags == flags


def test_a_retained_process_carries_no_reversibility_flag() -> None:
    rec = score_process(answers(CORE_RESEARCH))
    assert rec.model == "retain"
    assert "reversibility" not in rec.flags


def test_the_flag_comes_with_a_reason_that_names_the_answers() -> None:
    rec = score_process(answers(TIGHTLY_WOVEN))
    reason = rec.reasons[-1]
    assert reason.startswith("Reversibility risk: knowledge intensity 5/5")
    assert "interdependence 4/5" in reason and "data sensitivity" not in reason
    code = rec.reason_codes[-1]
    assert (code.kind, code.question_key) == ("reversibility", "interdependence")


def test_without_the_flag_there_is_no_reversibility_reason() -> None:
    rec = score_process(answers(MARKET_RESEARCH))
    assert not any(r.startswith("Reversibility") for r in rec.reasons)
    assert all(code.kind != "reversibility" for code in rec.reason_codes)


def test_a_dont_know_answer_never_raises_the_flag() -> None:
    assert "reversibility" not in score_process(answers("3 2 2 ? 2 4 1 1 5 4 4")).flags


def test_the_vectorised_path_raises_the_same_flag_with_the_same_reason() -> None:
    cases = [WITH_REGULATED_DATA, TIGHTLY_WOVEN, BOTH, MARKET_RESEARCH, CORE_RESEARCH]
    rows = [[v or 0 for v in answers(case).values()] for case in cases]
    portfolio = score_portfolio(np.array(rows, dtype=np.int8))
    for i, case in enumerate(cases):
        assert portfolio.recommendation(i) == score_process(answers(case))


def test_the_flag_has_a_label_and_a_meaning_wherever_flags_are_shown() -> None:
    (flag,) = describe_flags(["reversibility"])
    assert flag.label == "Reversibility"
    assert "exit plan" in flag.meaning
    assert ("reversibility", "Reversibility") in FLAG_CHOICES
