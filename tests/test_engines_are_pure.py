"""Every app's pure code lives in ``<app>/engine/``: no Django, Celery or DRF there.

One test for all of them, found by globbing, so a new engine module is checked the day it
is written. A module passes when importing it (in a fresh interpreter, with no Django
settings) loads none of those frameworks, and when every project module it imports is
itself in an ``engine`` package: pure code may only lean on pure code.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("accounts", "assessments", "vendors", "contracts", "outsourcing")
FRAMEWORKS = ("django", "celery", "kombu", "rest_framework")


def engine_modules() -> list[str]:
    found = []
    for path in sorted(ROOT.glob("*/engine/**/*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


def test_the_glob_finds_every_apps_engine():
    modules = engine_modules()
    for expected in (
        "accounts.engine.text_cells",
        "assessments.engine.pipeline",
        "vendors.engine.ranking",
        "contracts.engine.credits",
    ):
        assert expected in modules


def test_no_engine_module_imports_django_celery_or_drf():
    modules = engine_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r})\n"
        "assert not loaded, loaded\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_engine_modules_import_only_engine_modules_of_the_project():
    strays = []
    for path in sorted(ROOT.glob("*/engine/**/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] in APPS and (len(parts) < 2 or parts[1] != "engine"):
                    strays.append(f"{path.relative_to(ROOT)} imports {name}")
                if parts[0] in FRAMEWORKS:
                    strays.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not strays, strays
