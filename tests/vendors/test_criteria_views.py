"""Criteria sets: weights typed directly or derived by AHP, with live preview and CR flags."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from vendors import services
from vendors.models import CriteriaSet, PairwiseJudgement, WeightMethod

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria_set(cast) -> CriteriaSet:
    return services.criteria_set_default(organisation=cast.org)


def percents(criteria_set, **changes) -> dict[str, str]:
    values = {c.code: str(c.percent) for c in criteria_set.criteria.all()}
    values.update({code: str(value) for code, value in changes.items()})
    return values


def pairs(criteria_set, **overrides) -> dict[str, str]:
    n = criteria_set.criteria.count()
    data = {f"pair_{i}_{j}": "1" for i in range(n) for j in range(i + 1, n)}
    data.update(overrides)
    return data


def test_the_criteria_page_shows_the_defaults_before_the_first_set_and_saves_nothing(cast):
    response = cast.client_for("cio").get(reverse("vendors:criteria-list"))
    assert response.status_code == 200
    assert "Cost 25 %" in response.content.decode()
    assert not CriteriaSet.objects.filter(organisation=cast.org).exists()
    page = cast.client_for("manager").get(reverse("vendors:criteria-list")).content.decode()
    assert "Create the default criteria set" in page
    response = cast.client_for("manager").post(
        reverse("vendors:criteria-create"), {"name": "Default criteria"}
    )
    criteria_set = CriteriaSet.objects.get(organisation=cast.org)
    assert response.url == reverse("vendors:criteria-detail", kwargs={"pk": criteria_set.pk})
    assert criteria_set.criteria.count() == 9


def test_a_manager_creates_another_criteria_set_and_names_must_differ(cast, criteria_set):
    client = cast.client_for("manager")
    response = client.post(reverse("vendors:criteria-create"), {"name": "KPO criteria"})
    created = CriteriaSet.objects.get(name="KPO criteria")
    assert response.url == reverse("vendors:criteria-detail", kwargs={"pk": created.pk})
    again = client.post(reverse("vendors:criteria-create"), {"name": "kpo CRITERIA"})
    assert again.status_code == 400
    assert "already a criteria set" in again.content.decode()
    assert CriteriaSet.objects.filter(organisation=cast.org).count() == 2


def test_weights_typed_directly_are_saved(cast, criteria_set):
    url = reverse("vendors:criteria-weights", kwargs={"pk": criteria_set.pk})
    response = cast.client_for("manager").post(url, percents(criteria_set, cost=30, capability=15))
    assert response.status_code == 302
    weights = dict(criteria_set.criteria.values_list("code", "percent"))
    assert weights["cost"] == Decimal("30") and weights["capability"] == Decimal("15")


def test_weights_that_do_not_add_up_to_100_are_refused_with_the_gap_and_kept(cast, criteria_set):
    url = reverse("vendors:criteria-weights", kwargs={"pk": criteria_set.pk})
    response = cast.client_for("manager").post(url, percents(criteria_set, cost=20))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Weights must add up to 100 %; these add up to 95 % (5 points short)." in page
    assert 'value="20"' in page
    assert criteria_set.criteria.get(code="cost").percent == Decimal("25")


def test_a_negative_weight_is_refused_in_words(cast, criteria_set):
    url = reverse("vendors:criteria-weights", kwargs={"pk": criteria_set.pk})
    response = cast.client_for("manager").post(url, percents(criteria_set, cost=-5, capability=50))
    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()


def test_a_stakeholders_consistent_judgements_set_the_weights_by_ahp(cast, criteria_set):
    url = reverse("vendors:criteria-judgement", kwargs={"pk": criteria_set.pk})
    # Cost (0) moderately more important than everything else.
    overrides = {f"pair_0_{j}": "3" for j in range(1, 9)}
    response = cast.client_for("manager").post(url, pairs(criteria_set, **overrides))
    assert response.status_code == 302
    criteria_set.refresh_from_db()
    assert criteria_set.method == WeightMethod.AHP
    assert criteria_set.consistency_ratio == pytest.approx(0, abs=1e-9)
    weights = dict(criteria_set.criteria.values_list("code", "percent"))
    assert sum(weights.values()) == Decimal("100")
    assert float(weights["cost"]) == pytest.approx(300 / 11, abs=0.001)


def test_two_stakeholders_judgements_are_combined_by_geometric_mean(cast, criteria_set):
    url = reverse("vendors:criteria-judgement", kwargs={"pk": criteria_set.pk})
    cast.client_for("manager").post(url, pairs(criteria_set, pair_0_1="9"))
    cast.client_for("admin").post(url, pairs(criteria_set, pair_0_1="1/9"))
    assert PairwiseJudgement.objects.filter(criteria_set=criteria_set).count() == 2
    weights = dict(criteria_set.criteria.values_list("code", "percent"))
    # 9 and 1/9 cancel out: cost and capability weigh the same again.
    assert weights["cost"] == pytest.approx(weights["capability"], abs=Decimal("0.01"))
    cast.client_for("admin").post(url, {"delete": "1"})
    criteria_set.refresh_from_db()
    assert PairwiseJudgement.objects.filter(criteria_set=criteria_set).count() == 1
    weights = dict(criteria_set.criteria.values_list("code", "percent"))
    assert weights["cost"] > weights["capability"]


def test_inconsistent_judgements_are_flagged_with_the_pair_to_revisit(cast, criteria_set):
    url = reverse("vendors:criteria-judgement", kwargs={"pk": criteria_set.pk})
    client = cast.client_for("manager")
    response = client.post(
        url, pairs(criteria_set, pair_0_1="9", pair_1_2="9", pair_0_2="1/9"), follow=True
    )
    page = response.content.decode()
    assert "The consistency ratio is" in page
    assert "cannot be used for an award until fixed" in page
    criteria_set.refresh_from_db()
    assert criteria_set.consistency_ratio > 0.10
    assert len(criteria_set.inconsistent_pair) == 2


def test_a_judgement_off_saatys_scale_is_refused_and_kept(cast, criteria_set):
    url = reverse("vendors:criteria-judgement", kwargs={"pk": criteria_set.pk})
    response = cast.client_for("manager").post(url, pairs(criteria_set, pair_0_1="0", pair_2_3="5"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Pick a value on Saaty" in page
    assert 'value="5" selected' in page
    assert not PairwiseJudgement.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m[0].__setitem__(1, 0), "must be a positive number"),
        (lambda m: m[0].__setitem__(1, -3), "must be a positive number"),
        (lambda m: m[0].__setitem__(1, 3), "must be the reciprocal"),
        (lambda m: m.pop(), "must have 9 rows"),
    ],
)
def test_the_preview_refuses_zeros_negatives_and_broken_reciprocals(
    cast, criteria_set, change, message
):
    matrix = [[1.0] * 9 for _ in range(9)]
    change(matrix)
    response = cast.client_for("manager").post(
        reverse("vendors:ahp-preview", kwargs={"pk": criteria_set.pk}),
        json.dumps({"matrix": matrix}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    criteria_set.refresh_from_db()
    assert criteria_set.method == WeightMethod.DIRECT


def test_the_preview_names_the_most_inconsistent_pair(cast, criteria_set):
    matrix = [[1.0] * 9 for _ in range(9)]
    for i, j, value in ((0, 1, 9), (1, 2, 9), (0, 2, 1 / 9)):
        matrix[i][j], matrix[j][i] = value, 1 / value
    response = cast.client_for("admin").post(
        reverse("vendors:ahp-preview", kwargs={"pk": criteria_set.pk}),
        json.dumps({"matrix": matrix}),
        content_type="application/json",
    )
    body = response.json()
    assert body["consistent"] is False and body["cr"] > 0.1
    assert len(body["inconsistent_pair"]) == 2


def test_the_preview_refuses_what_is_not_json(cast, criteria_set):
    response = cast.client_for("manager").post(
        reverse("vendors:ahp-preview", kwargs={"pk": criteria_set.pk}),
        "matrix=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "Send JSON" in response.json()["error"]
