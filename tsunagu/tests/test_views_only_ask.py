"""Views only ask (docs/ARCHITECTURE.md): a module whose name ends in ``views`` reaches no rows
and opens no transaction itself. Reads go through the app's ``access.py``, state changes through
its ``services.py``. This test reads the syntax tree of every views module and names each place
that breaks the rule, by file and line."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Django's shortcuts that take a model (or a queryset built from one) and query it.
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def views_modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        in_views_package = any(part.endswith("views") for part in path.relative_to(ROOT).parts[:-1])
        if path.stem.endswith("views") or in_views_package:
            found.append(path)
    return sorted(found)


def violations_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            found.append((node.lineno, f"uses .{node.attr}"))
        elif isinstance(node, ast.Attribute) and node.attr == "transaction":
            found.append((node.lineno, "uses transaction"))
        elif isinstance(node, ast.Name) and node.id in SHORTCUTS | {"transaction"}:
            found.append((node.lineno, f"uses {node.id}"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if alias.name in SHORTCUTS | {"transaction"}:
                    found.append((node.lineno, f"imports {alias.name}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.endswith(".transaction"):
                    found.append((node.lineno, f"imports {alias.name}"))
    return sorted(set(found))


def test_it_finds_the_views_modules():
    names = {str(p.relative_to(ROOT)) for p in views_modules()}
    assert "cases/views.py" in names
    assert "cases/screening_views.py" in names


def test_it_recognises_each_forbidden_use():
    source = (
        "from django.db import transaction\n"
        "from django.shortcuts import get_object_or_404\n"
        "def view(request, pk):\n"
        "    Case.objects.filter(pk=pk)\n"
        "    get_object_or_404(Case, pk=pk)\n"
        "    with transaction.atomic():\n"
        "        pass\n"
    )
    lines = {line for line, _ in violations_in(source)}
    assert lines == {1, 2, 4, 5, 6}


def test_it_lets_a_view_ask_access_and_services():
    source = (
        "from tsunagu.cases.access import case_for_user\n"
        "from tsunagu.cases import services\n"
        "def view(request, pk):\n"
        "    case = case_for_user(request.user, pk)\n"
        "    services.close_case(case=case, by=request.user)\n"
    )
    assert violations_in(source) == []


def test_no_views_module_touches_the_orm_or_a_transaction():
    problems = []
    for path in views_modules():
        for line, what in violations_in(path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(ROOT)}:{line} {what}")
    assert problems == []
