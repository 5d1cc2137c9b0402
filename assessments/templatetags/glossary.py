"""``{% load glossary %}`` and ``{% term "npv" %}``: an info button beside a term.

It is a ``<details>`` element, so it opens with a click, the keyboard (Tab, then Enter or
Space) or a screen reader, without JavaScript; the text comes from
``assessments.engine.glossary`` and links to the whole glossary page.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from assessments.engine.glossary import TERMS_BY_KEY

register = template.Library()


@register.simple_tag
def term(key: str, text: str = "") -> str:
    """The info popover for the glossary entry ``key`` (an unknown key is a bug: KeyError)."""
    entry = TERMS_BY_KEY[key]
    url = reverse("assessments:glossary") + f"#{entry.key}"
    return format_html(
        '<details class="glossary-term d-inline-block position-relative align-baseline">'
        '<summary class="d-inline text-primary" style="cursor: help; list-style: none">'
        '{}<span aria-hidden="true" class="glossary-mark ms-1 d-inline-flex '
        'align-items-center justify-content-center rounded-circle border border-primary" '
        'style="width: 1.1em; height: 1.1em; font-size: 0.75em; font-style: italic; '
        'font-weight: 600; vertical-align: 0.1em">i</span>'
        '<span class="visually-hidden">What is {}?</span></summary>'
        '<span class="glossary-popover d-block position-absolute start-0 mt-1 p-2 small '
        'bg-body text-body border rounded shadow-sm fw-normal text-start" '
        'style="z-index: 1050; width: 20rem; max-width: 80vw; white-space: normal">'
        '<strong>{}</strong>: {} <a href="{}">The glossary</a></span></details>',
        text,
        entry.term,
        entry.term,
        entry.meaning,
        url,
    )
