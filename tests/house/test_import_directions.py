"""Imports run one way, as docs/architecture.md says, checked on every module's source.

- Between apps: accounts → assessments → vendors → contracts → outsourcing. An app may
  import the apps before it, never one after it, at any level (inside functions too).
- Within an app: tasks import services, never the reverse. Services, selectors and
  engines hand work to the queue by the task's name (``accounts.queueing.task``), so none
  of them imports a tasks module.

Read with ``ast`` from the files, so a lazy import inside a function counts as much as
one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "assessments", "vendors", "contracts", "outsourcing")
# The Django project's own wiring (settings, URLs, Celery app) may name every app.
PROJECT_WIRING = {"outsourcing.settings", "outsourcing.urls", "outsourcing.celery"}


def modules() -> list[tuple[str, Path]]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts.pop()
            found.append((".".join(parts), path))
    return found


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in the file, at any depth."""
    names: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
            # ``from app.package import tasks`` imports a module named in the alias.
            names.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
    return names


MODULES = modules()


def test_the_walk_finds_the_modules_of_every_app():
    names = {name for name, _ in MODULES}
    for expected in (
        "accounts.queueing",
        "assessments.projections.services",
        "vendors.selectors.scoreboard",
        "contracts.forecasts.tasks",
        "outsourcing.dashboard.boardpacks.tasks",
    ):
        assert expected in names


@pytest.mark.parametrize("app", APPS)
def test_an_app_never_imports_a_later_app(app):
    later = APPS[APPS.index(app) + 1 :]
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for name, path in MODULES
        if name.split(".")[0] == app and name not in PROJECT_WIRING
        for line, module in imported(path)
        if module.split(".")[0] in later
    ]
    assert wrong == []


def _is_tasks_module(module: str) -> bool:
    return module.split(".")[0] in APPS and module.split(".")[-1] == "tasks"


def _kind(name: str) -> str | None:
    parts = name.split(".")
    for kind in ("services", "selectors", "engine"):
        if kind in parts:
            return kind
    return None


def test_services_selectors_and_engines_never_import_tasks():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for name, path in MODULES
        if _kind(name) is not None
        for line, module in imported(path)
        if _is_tasks_module(module)
    ]
    assert wrong == []


def test_the_check_sees_a_lazy_import_of_tasks(tmp_path):
    """A services module that imports its tasks inside a function is caught."""
    source = tmp_path / "services.py"
    source.write_text("def send():\n    from assessments.projections import tasks\n")
    assert any(_is_tasks_module(module) for _, module in imported(source))
