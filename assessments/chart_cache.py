"""A page's chart, built once per change of what it draws: the figure's JSON, cached.

Building a Plotly figure costs more CPU than the rest of most pages (its objects check
every property they are given), while what a chart draws changes only when its data
does. ``cached_figure(build, *args, **kwargs)`` keys the finished figure on a digest of
everything the builder receives (frames as their columns and rows, every other argument
as it is) and of the source of the chart modules, so a changed number, a changed label or
a new version of the chart code draws it anew, and nothing else does. No clock and no
counter enter the key: the same data gives the same key, in every process.

The builders stay pure functions of their arguments (``assessments.charts``,
``contracts.charts``...), so the key says everything the figure depends on. A cache that
is down answers as empty (``outsourcing.cache``): the figure is built, the page answers.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import sys
from collections.abc import Callable, Mapping
from functools import cache as memoised
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.cache import cache

from assessments.engine import chart_style

CACHE_SECONDS = 60 * 60 * 24
PREFIX = "chart"


PROJECT_APPS = ("accounts", "assessments", "vendors", "contracts", "outsourcing")


@memoised
def code_version(module_name: str) -> str:
    """A digest of the source of the builder's module and of every project module it
    imports (the chart style, the vocabulary, the number formats...): new chart code
    never meets a figure cached by the old."""
    digest = hashlib.sha256()
    for name in sorted({module_name, chart_style.__name__, *_project_imports(module_name)}):
        source = _source(name)
        digest.update(name.encode() + b"\0" + (source.encode() if source else b""))
    return digest.hexdigest()[:16]


def _source(module_name: str) -> str | None:
    module = sys.modules.get(module_name)
    filename = inspect.getsourcefile(module) if module is not None else None
    return Path(filename).read_text() if filename else None


def _project_imports(module_name: str) -> set[str]:
    """The project modules ``module_name`` imports from (read from its source)."""
    source = _source(module_name)
    found: set[str] = set()
    for node in ast.walk(ast.parse(source or "")):
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        found.update(n for n in names if n.split(".")[0] in PROJECT_APPS and n in sys.modules)
    return found


def _plain(value: Any) -> Any:
    """What an argument contributes to the key: a frame as its columns and rows, a
    mapping as its sorted items, anything else as it is (its ``repr`` is exact)."""
    if isinstance(value, pd.DataFrame):
        return ("frame", list(value.columns), value.to_dict("split")["data"])
    if isinstance(value, pd.Series):
        return ("series", value.name, list(value.index), value.tolist())
    if isinstance(value, Mapping):
        return ("mapping", sorted((repr(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_plain(v) for v in value])
    return value


def figure_key(build: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    drawn = repr(
        (
            build.__module__,
            build.__qualname__,
            code_version(build.__module__),
            [_plain(a) for a in args],
            sorted((name, _plain(v)) for name, v in kwargs.items()),
        )
    )
    return f"{PREFIX}:{build.__module__}.{build.__qualname__}:" + (
        hashlib.sha256(drawn.encode()).hexdigest()
    )


def cached_figure_json(build: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """``build(*args, **kwargs).to_json()``, from the cache when the same chart was drawn
    from the same data before."""
    key = figure_key(build, *args, **kwargs)
    text = cache.get(key)
    if text is None:
        text = build(*args, **kwargs).to_json()
        cache.set(key, text, CACHE_SECONDS)
    return text


def cached_figure(build: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The figure as JSON-ready data (for ``json_script``), as ``chart_style.figure_data``
    gives it, built at most once per change of its data."""
    return json.loads(cached_figure_json(build, *args, **kwargs))
