"""Every page needs a login unless it was deliberately made public, and admin is for superusers."""

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The login page, calendar feeds (calendar apps cannot log in; an unknown token is 404), the
# unsubscribe link in emails (a signed token; an invalid one is 404), and /favicon.ico, which
# points every browser at the icon among the static files.
PUBLIC = {
    "login": 200,
    "calendar_feed": 404,
    "healthz": 200,
    "notification_unsubscribe": 404,
    "favicon": 301,
}


def all_patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue  # Django's admin has its own login; tested below.
            yield from all_patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield pattern.name, prefix + str(pattern.pattern)


def test_every_page_but_login_requires_a_login(client, db):
    checked = 0
    for name, route in all_patterns():
        url = "/" + re.sub(r"<int:\w+>", "1", route)
        url = re.sub(r"<uuid:\w+>", "00000000-0000-4000-8000-000000000000", url)
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code == PUBLIC[name], url
        else:
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("accounts:login")), url
        checked += 1
    assert checked >= 20


def test_the_django_admin_is_for_superusers_only(city_client):
    response = city_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_the_django_admin_opens_for_a_superuser(client, db):
    from conftest import make_superuser

    client.force_login(make_superuser("root"))
    assert client.get("/admin/").status_code == 200


def test_unknown_pages_answer_a_japanese_404(city_client):
    response = city_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_a_refused_or_guessed_id_is_logged(outsider_client, outsider, area):
    from tsunagu.audit.models import AuditEntry

    assert outsider_client.get(f"/areas/{area.pk}/").status_code == 404
    assert outsider_client.post(f"/areas/{area.pk}/edit/", {"name": "x"}).status_code == 404
    entries = AuditEntry.objects.filter(action="access.refused", actor_id=outsider.pk)
    assert [(e.data["method"], e.data["status"]) for e in entries.order_by("seq")] == [
        ("GET", 404),
        ("POST", 404),
    ]
    assert entries.order_by("seq").first().data["path"] == f"/areas/{area.pk}/"
