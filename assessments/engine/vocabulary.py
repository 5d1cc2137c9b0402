"""The words of the domain: sourcing models, locations and their labels, in one place.

Pure: no Django. Model choices, engines, charts, exports and templates all read these, so
a label changes once. Codes are what is stored; labels are what a person reads. Changing
a code changes stored data (and needs a migration); changing a label does not change
what is stored, though Django records choices' labels in migrations too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Sourcing models, in the order the roadmap follows them (METHODOLOGY section 5).
RETAIN = "retain"
ITO = "ITO"
BPO = "BPO"
KPO = "KPO"
OUTSOURCED_MODELS: tuple[str, ...] = (ITO, BPO, KPO)
MODELS: tuple[str, ...] = (RETAIN, *OUTSOURCED_MODELS)
# The engine's answer when too few questions are answered to recommend anything.
INSUFFICIENT_EVIDENCE = "insufficient_evidence"
DECISIONS: tuple[str, ...] = (*MODELS, INSUFFICIENT_EVIDENCE)

# What a form, a table heading or a model's choices show.
MODEL_LABELS: dict[str, str] = {
    RETAIN: "Retain in-house",
    ITO: "ITO (IT outsourcing)",
    BPO: "BPO (business process outsourcing)",
    KPO: "KPO (knowledge process outsourcing)",
    INSUFFICIENT_EVIDENCE: "Insufficient evidence",
}
# What a chart axis, a table cell or a filter shows where space is short.
MODEL_SHORT: dict[str, str] = {
    RETAIN: "Retain",
    ITO: "ITO",
    BPO: "BPO",
    KPO: "KPO",
    INSUFFICIENT_EVIDENCE: "Insufficient evidence",
}

# The roadmap's waves: ITO first, then BPO, then KPO (METHODOLOGY section 4).
WAVE_MODELS: dict[int, str] = {1: ITO, 2: BPO, 3: KPO}
WAVE_OF_MODEL: dict[str, int] = {model: wave for wave, model in WAVE_MODELS.items()}
WAVE_LABELS: dict[int, str] = {wave: f"Wave {wave}: {model}" for wave, model in WAVE_MODELS.items()}
# Never scheduled into a wave.
UNSCHEDULED_MODELS: tuple[str, ...] = (RETAIN, INSUFFICIENT_EVIDENCE)

# Where the work is done: onshore is the organisation's home country, nearshore another
# country on its continent, offshore another continent (METHODOLOGY 3.4).
IN_HOUSE = "in_house"
ONSHORE = "onshore"
NEARSHORE = "nearshore"
OFFSHORE = "offshore"
DELIVERY_LOCATIONS: tuple[str, ...] = (ONSHORE, NEARSHORE, OFFSHORE)
LOCATIONS: tuple[str, ...] = (IN_HOUSE, *DELIVERY_LOCATIONS)
LOCATION_LABELS: dict[str, str] = {
    IN_HOUSE: "In-house",
    ONSHORE: "Onshore",
    NEARSHORE: "Nearshore",
    OFFSHORE: "Offshore",
}


def is_outsourced(model: str | None) -> bool:
    """Is ``model`` one of ITO, BPO and KPO (not retain, nor insufficient evidence)?"""
    return model in OUTSOURCED_MODELS


def choices(
    codes: Iterable[str], labels: Mapping[str, str] = MODEL_SHORT
) -> tuple[tuple[str, str], ...]:
    """``(code, label)`` pairs for a form, a filter or a model's choices, in ``codes``' order."""
    return tuple((code, labels[code]) for code in codes)


def wave_choices() -> tuple[tuple[int, str], ...]:
    """``(1, "Wave 1: ITO")``, ... for a filter on the roadmap's waves."""
    return tuple(WAVE_LABELS.items())


def humanise(code: str) -> str:
    """A stored code as words, for a code no table below knows: ``"in_house"`` → "In house"."""
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def label_of(code: str | None, labels: Mapping[str, str] = MODEL_SHORT) -> str:
    """What a person reads for ``code``: its label, or the code in words; "" for no code.

    Every page and export shows this, never the stored code (``in_house`` → "In-house").
    """
    if not code:
        return ""
    return labels.get(code) or humanise(code)


def model_label(code: str | None) -> str:
    """A sourcing model's short label (``insufficient_evidence`` → "Insufficient evidence")."""
    return label_of(code, MODEL_SHORT)


def location_label(code: str | None) -> str:
    """A delivery location's label (``offshore`` → "Offshore", ``in_house`` → "In-house")."""
    return label_of(code, LOCATION_LABELS)
