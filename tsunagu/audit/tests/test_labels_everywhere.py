"""Every audit action has a Japanese name, and the filter takes the name (issue 16)."""

import ast
from pathlib import Path

from django.urls import reverse

from tsunagu.audit.labels import ACTIONS, action_label
from tsunagu.audit.services import log

SOURCE = Path(__file__).resolve().parents[2]


def _logged_codes() -> set[str]:
    """Action codes passed as literals to record(...), log(...) or an app's _log(...)."""
    codes = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            first = node.args[0]
            # log("a.b", ...) or log("a.b" if x else "a.c", ...)
            candidates = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for candidate in candidates:
                if (
                    ("log" in name or name == "record")
                    and isinstance(candidate, ast.Constant)
                    and isinstance(candidate.value, str)
                    and "." in candidate.value
                    and " " not in candidate.value
                ):
                    codes.add(candidate.value)
    return codes


def test_it_names_every_logged_action_in_japanese():
    codes = _logged_codes()
    assert len(codes) > 30
    unnamed = sorted(code for code in codes if action_label(code) == code)
    assert unnamed == []


def test_it_filters_by_the_japanese_name(city_client, city_admin, municipality):
    log("user.login_failed", by=None, municipality=municipality.pk, summary="失敗X")
    log("user.logged_in", by=city_admin, municipality=municipality.pk, summary="成功Y")
    body = city_client.get(
        reverse("audit:audit_entry_list"), {"action": ACTIONS["user.login_failed"]}
    ).content.decode()
    assert "失敗X" in body and "成功Y" not in body


def test_it_filters_by_a_noun_for_all_its_actions(city_client, municipality):
    log("case.viewed", by=None, municipality=municipality.pk, summary="閲覧Z")
    log("meeting.closed", by=None, municipality=municipality.pk, summary="確定W")
    body = city_client.get(
        reverse("audit:audit_entry_list"), {"action": "事例（すべて）"}
    ).content.decode()
    assert "閲覧Z" in body and "確定W" not in body


def test_it_still_filters_by_a_code_prefix(city_client, municipality):
    log("meeting.closed", by=None, municipality=municipality.pk, summary="確定V")
    body = city_client.get(
        reverse("audit:audit_entry_list"), {"action": "meeting."}
    ).content.decode()
    assert "確定V" in body
