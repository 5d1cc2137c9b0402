"""The words of the domain have one home: codes stored, labels shown, the same everywhere."""

from __future__ import annotations

from assessments.engine import vocabulary as vocab
from assessments.engine.rules import MODEL_CODES
from assessments.models.recommendation import Location, Model
from contracts.models import DeliveryLocation, SourcingModel
from vendors.models import LocationClass
from vendors.models.events import SourcedModel


def test_the_models_follow_the_roadmaps_order():
    assert vocab.OUTSOURCED_MODELS == ("ITO", "BPO", "KPO")
    assert vocab.MODELS == ("retain", "ITO", "BPO", "KPO")
    assert vocab.DECISIONS == ("retain", "ITO", "BPO", "KPO", "insufficient_evidence")
    assert MODEL_CODES == vocab.DECISIONS  # the engine numbers models in this order
    assert [vocab.WAVE_MODELS[w] for w in (1, 2, 3)] == list(vocab.OUTSOURCED_MODELS)
    assert vocab.WAVE_OF_MODEL == {"ITO": 1, "BPO": 2, "KPO": 3}
    assert vocab.WAVE_LABELS[2] == "Wave 2: BPO"


def test_only_ito_bpo_and_kpo_are_outsourced():
    assert all(vocab.is_outsourced(m) for m in ("ITO", "BPO", "KPO"))
    assert not any(
        vocab.is_outsourced(m) for m in ("retain", "insufficient_evidence", "", None, "ito")
    )


def test_every_code_has_a_label_and_a_short_label():
    assert set(vocab.MODEL_LABELS) == set(vocab.MODEL_SHORT) == set(vocab.DECISIONS)
    assert set(vocab.LOCATION_LABELS) == set(vocab.LOCATIONS)
    assert vocab.LOCATIONS == ("in_house", "onshore", "nearshore", "offshore")
    assert vocab.choices(vocab.OUTSOURCED_MODELS) == (
        ("ITO", "ITO"),
        ("BPO", "BPO"),
        ("KPO", "KPO"),
    )


def test_the_database_choices_store_the_vocabularys_codes_and_show_its_labels():
    assert dict(Model.choices) == vocab.MODEL_LABELS
    assert dict(Location.choices) == vocab.LOCATION_LABELS
    outsourced = {m: vocab.MODEL_LABELS[m] for m in vocab.OUTSOURCED_MODELS}
    assert dict(SourcingModel.choices) == dict(SourcedModel.choices) == outsourced
    delivery = {loc: vocab.LOCATION_LABELS[loc] for loc in vocab.DELIVERY_LOCATIONS}
    assert dict(DeliveryLocation.choices) == dict(LocationClass.choices) == delivery
