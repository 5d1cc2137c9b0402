"""The one exception vendor-selection services raise for a step that cannot be taken."""


class SelectionError(Exception):
    """A step of vendor selection that cannot be taken; the message says why, in words."""
