"""The modules' imports, read from the source: the layers stay layered and the cycles once untangled stay gone.

Every import counts, also one inside a function or under `if TYPE_CHECKING:` — an import moved into a function to
dodge a cycle is still the cycle. The two services modules of onboarding and documents do not import each other,
even through a third module; the steps that need both are in onboarding.workflow, which imports them.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APPS = ["accounts", "onboarding", "documents", "billing", "outbox", "config"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_modules() -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(settings.BASE_DIR).parts):
                continue
            modules[_module_name(path)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules this one imports, wherever in the file the import statement stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from onboarding import services` imports the module onboarding.services.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _project_modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """An import path from start to goal, or None."""
    seen = {start}
    paths = [[start]]
    while paths:
        path = paths.pop()
        for following in sorted(graph.get(path[-1], ())):
            if following == goal:
                return [*path, following]
            if following not in seen:
                seen.add(following)
                paths.append([*path, following])
    return None


def test_the_reader_sees_the_imports_inside_functions_too(graph):
    # A check of the check: this one is imported inside a function only.
    assert "accounts.models" in graph["onboarding.services"]


@pytest.mark.parametrize(
    ("importer", "imported"),
    [("onboarding.services", "documents.services"), ("documents.services", "onboarding.services")],
)
def test_the_onboarding_and_documents_services_never_import_each_other(graph, importer, imported):
    assert _reaches(graph, importer, imported) is None


def test_the_review_workflow_is_above_both_services_and_nothing_below_imports_it(graph):
    assert {"onboarding.services", "documents.services"} <= graph["onboarding.workflow"]
    importers = {name for name, imported in graph.items() if "onboarding.workflow" in imported}
    # The interfaces, and the demo data, which is built the way staff and applicants build it.
    assert importers <= {
        "onboarding.views",
        "onboarding.admin_review",
        "documents.views",
        "documents.admin",
        "onboarding.demo",
    }


def test_the_admin_toolkit_imports_no_app_of_the_project(graph):
    # Every app's admin imports it; an import of an app from here would run back into that app's admin.
    assert graph["config.admin_toolkit"] == set()


@pytest.mark.parametrize(
    "module",
    [
        "onboarding.services",
        "documents.services",
        "onboarding.workflow",
        "accounts.forms",
        "accounts.services",
        "accounts.lockout",
        "outbox.services",
        "outbox.tasks",
        "outbox.delivery",
    ],
)
def test_no_import_cycle_runs_through(graph, module):
    assert _reaches(graph, module, module) is None


def test_no_module_of_the_project_is_part_of_an_import_cycle(graph):
    cycles = [" → ".join(path) for name in sorted(graph) if (path := _reaches(graph, name, name))]
    assert cycles == []


def test_the_outbox_queues_through_its_task_and_the_task_sends_through_delivery(graph):
    # The e-mail module and its task once imported each other; now each layer imports only the one below it.
    assert "outbox.tasks" in graph["outbox.services"]
    assert graph["outbox.tasks"] == {"outbox.delivery"}
    assert "outbox.services" not in graph["outbox.delivery"] | graph["outbox.tasks"]
