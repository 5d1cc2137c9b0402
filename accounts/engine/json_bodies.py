"""Reading a JSON request body that may be hostile.

Pure: no Django. Python's json module recurses once per nesting level, so a body of a
few thousand "[" raises RecursionError (a server error) instead of ValueError; NaN and
Infinity are accepted by default although they are not JSON. `load_json` turns each of
these into a ValueError whose message a person can act on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 32


class JsonBodyError(ValueError):
    """The body is not acceptable JSON; the message says why, in plain words."""


def _reject_constant(name: str) -> Any:
    raise JsonBodyError(f"{name} is not a number JSON allows; send a finite number.")


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def load_json(body: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed body, or JsonBodyError: not UTF-8, not JSON, NaN/Infinity, or nested
    deeper than ``max_depth`` objects and arrays."""
    try:
        value = json.loads(body or b"", parse_constant=_reject_constant)
    except RecursionError:
        raise JsonBodyError(
            f"The JSON is nested too deeply; at most {max_depth} levels are accepted."
        ) from None
    except JsonBodyError:
        raise
    except (ValueError, UnicodeDecodeError) as error:
        raise JsonBodyError(f"The request body is not valid JSON ({error}).") from None
    if _depth(value) > max_depth:
        raise JsonBodyError(
            f"The JSON is nested too deeply; at most {max_depth} levels are accepted."
        )
    return value
