"""Imports flow one way (docs/ARCHITECTURE.md): a lower layer never imports a higher one, and
its models never point at a higher one's (a ForeignKey, OneToOne or ManyToMany field is a
dependency too, written as a string)."""

import ast
import re
from pathlib import Path

from django.apps import apps

LAYERS = [
    "lib",
    "audit",
    "organizations",
    "accounts",
    "confidentiality",
    "meetings",
    "cases",
    "centerwork",
    "issues",
    "resources",
    "reports",
    "prefecture",
    "notifications",
    "ops",
    "demo",
]
ROOT = Path(__file__).resolve().parents[1]


def imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "tsunagu" and len(parts) > 1 and parts[1] in LAYERS:
                apps.add(parts[1])
    return apps


def test_no_layer_imports_a_layer_above_it():
    violations = []
    for index, layer in enumerate(LAYERS):
        allowed = set(LAYERS[: index + 1])
        for path in (ROOT / layer).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for app in imported_apps(path) - allowed:
                violations.append(f"{path.relative_to(ROOT)} imports tsunagu.{app}")
    assert violations == []


def layer_of(model) -> str | None:
    parts = model.__module__.split(".")
    return parts[1] if parts[0] == "tsunagu" and len(parts) > 1 and parts[1] in LAYERS else None


def test_no_model_points_at_a_layer_above_it():
    rank = {layer: index for index, layer in enumerate(LAYERS)}
    violations = []
    checked = 0
    for model in apps.get_models():
        own = layer_of(model)
        if own is None:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if (
                not (field.is_relation and field.concrete or field.many_to_many)
                or field.auto_created
            ):
                continue
            target = layer_of(field.related_model)
            checked += 1
            if target is not None and rank[target] > rank[own]:
                violations.append(
                    f"{model._meta.label}.{field.name} → {field.related_model._meta.label}"
                )
    assert checked > 50  # the check saw the models' relations
    assert violations == []


def test_it_knows_every_app():
    apps = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"}
    assert apps == set(LAYERS)


TEMPLATES = ROOT.parent / "templates"
# What a template uses: a tag library ({% load %}), a page ({% url 'ns:name' %}), another
# template ({% include %} / {% extends %}).
LOAD = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")
URL = re.compile(r"{%\s*url\s+[\"'](\w+):")
INCLUDE = re.compile(r"{%\s*(?:include|extends)\s+[\"'](\w+)/")


def tag_library_apps() -> dict[str, str]:
    """Tag library name → the app that defines it."""
    return {
        path.stem: path.relative_to(ROOT).parts[0]
        for path in ROOT.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def template_uses(text: str, libraries: dict[str, str]) -> set[str]:
    used = {app for app in URL.findall(text)} | set(INCLUDE.findall(text))
    for names in LOAD.findall(text):
        used |= {libraries[name] for name in names.split() if name in libraries}
    return used & set(LAYERS)


def test_no_template_uses_a_layer_above_its_own():
    """A template under templates/<app>/ belongs to that app: it loads tags, links pages and
    includes templates of its own layer or below. (base.html and includes/ are the site's.)"""
    rank = {layer: index for index, layer in enumerate(LAYERS)}
    libraries = tag_library_apps()
    violations, checked = [], 0
    for path in TEMPLATES.rglob("*.html"):
        own = path.relative_to(TEMPLATES).parts[0]
        if own not in rank:
            continue
        checked += 1
        for used in template_uses(path.read_text(encoding="utf-8"), libraries):
            if rank[used] > rank[own]:
                violations.append(f"{path.relative_to(TEMPLATES)} uses {used}")
    assert checked > 100
    assert sorted(violations) == []


def test_the_template_reader_sees_loads_urls_and_includes():
    libraries = {"issue_tags": "issues"}
    text = (
        "{% load static issue_tags %}<a href=\"{% url 'reports:dashboard' %}\">"
        "{% include 'cases/x.html' %}"
    )
    assert template_uses(text, libraries) == {"issues", "reports", "cases"}
