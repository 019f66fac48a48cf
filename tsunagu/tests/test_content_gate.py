"""Views reach case content only through the gate that also records it, and write audit
entries only through the one entry point.

- A view showing text recorded about a person calls an `open_*` function of an access
  module, which decides and records (tsunagu/confidentiality/gate.py). The functions that
  decide without recording serve changes that show nothing: a view using them must be
  POST-only.
- Views record through `tsunagu.audit.services.record`, which derives actor, municipality and
  summary; the per-app `_log` wrappers are gone.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Decide without recording (or only in part): not for views that show something.
WITHOUT_RECORDING = {
    "case_for_user",
    "case_in_scope",
    "review_for_user",
    "content_refusal",
    "content_refusals",
    "content_refusal_for_case",
    "review_refusals",
    "reviews_refusals",
    "require_content",
}
# Login, two-factor and session events happen before there is a membership or a target;
# they (and the refusal handler) use the lower `log` directly.
LOW_LEVEL_LOGGING = {"accounts"}


def view_modules():
    return sorted(p for p in ROOT.rglob("*views.py") if "tests" not in p.parts)


def names_used(node) -> set[str]:
    used = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            used.add(child.id)
        elif isinstance(child, ast.Attribute):
            used.add(child.attr)
    return used


def is_post_only(function) -> bool:
    return any("require_POST" in names_used(decorator) for decorator in function.decorator_list)


def test_views_get_content_only_through_the_recording_gate():
    wrong = []
    for path in view_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            used = names_used(function) & WITHOUT_RECORDING
            if used and not is_post_only(function):
                wrong.append(f"{path.relative_to(ROOT)}:{function.name} uses {sorted(used)}")
    assert wrong == []


def test_views_and_services_record_through_the_one_entry_point():
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        app = path.relative_to(ROOT).parts[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "_log":
                wrong.append(f"{path.relative_to(ROOT)}: a _log wrapper")
            if (
                path.name.endswith("views.py")
                and app not in LOW_LEVEL_LOGGING
                and isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "log"
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} calls log()")
    assert wrong == []
