"""Template filters for the results pages: thin wrappers around ``assessments.formatting``."""

from django import template

from assessments.formatting import money, percent

register = template.Library()

register.filter("money", money)
register.filter("percent", percent)
