"""Authorization is said one way (docs/ARCHITECTURE.md): access modules ask the membership for
a permission (``member.may("cases.view_all")``, names in accounts.models.ROLE_PERMISSIONS)
and never compare its role with a role's name. Rules about a relation (the member's own
center, the case's care manager) keep the relation test and ask a permission for the rest."""

import ast
from pathlib import Path

from tsunagu.accounts.models import ROLE_PERMISSIONS, Role
from tsunagu.prefecture.choices import PREFECTURE_PERMISSIONS

ROOT = Path(__file__).resolve().parents[1]
ROLE_NAMES = set(Role.values)
# Every access module is converted; a module listed here would be exempt.
NOT_YET_CONVERTED: set[str] = set()


def access_modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("access.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def role_literals_in(source: str) -> list[tuple[int, str]]:
    """Each role's name compared with something or collected in a set, list or tuple, and
    each use of `.role` or `Role`. (A field that shares a role's name, such as
    ``select_related("care_manager")``, is not a role.)"""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare | ast.Set | ast.List | ast.Tuple):
            parts = [node.left, *node.comparators] if isinstance(node, ast.Compare) else node.elts
            for part in parts:
                if isinstance(part, ast.Constant) and part.value in ROLE_NAMES:
                    found.append((part.lineno, f"role literal {part.value!r}"))
        elif isinstance(node, ast.Attribute) and node.attr == "role":
            found.append((node.lineno, "compares .role"))
        elif isinstance(node, ast.Name) and node.id == "Role":
            found.append((node.lineno, "uses Role"))
    return sorted(set(found))


def permissions_asked_in(source: str) -> set[str]:
    return {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "may"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def test_it_recognises_a_role_literal():
    source = (
        "def f(member, cases):\n"
        '    ok = member.role == "center_staff"\n'
        '    return "viewer" in {"city_admin", "viewer"}\n'
        'cases.select_related("care_manager")\n'
    )
    assert {line for line, _ in role_literals_in(source)} == {2, 3}


def test_no_access_module_names_a_role():
    problems = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in access_modules()
        if str(path.relative_to(ROOT)) not in NOT_YET_CONVERTED
        for line, what in role_literals_in(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


def test_every_permission_an_access_module_asks_is_granted_to_some_role():
    # A municipality's roles, and the prefecture's (prefecture staff, coordinators, viewers).
    granted = set().union(*ROLE_PERMISSIONS.values(), *PREFECTURE_PERMISSIONS.values())
    asked = set()
    for path in access_modules():
        asked |= permissions_asked_in(path.read_text(encoding="utf-8"))
    assert "cases.view_all" in asked
    assert asked - granted == set()
