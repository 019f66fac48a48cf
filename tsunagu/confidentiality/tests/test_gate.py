"""The recorder half of the content gate: one entry per response that shows content, none
for a response that does not (a refusal, a redirect), and no-store on what it shows."""

from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from conftest import make_user
from tsunagu.accounts.models import Membership, Role
from tsunagu.audit.models import AuditEntry
from tsunagu.confidentiality.gate import DisclosureMiddleware, disclose


def run(view, user, member):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.member = member
    return DisclosureMiddleware(view)(request)


def test_it_writes_one_entry_naming_everything_a_response_showed(municipality, area, center):
    user = make_user("reader", (municipality, Role.VIEWER, None))
    member = Membership.objects.get(user=user)

    def view(request):
        disclose(request, "test.shown", area, summary="圏域", part="first")
        disclose(request, "test.other", center, summary="センター")
        return HttpResponse("内容")

    response = run(view, user, member)
    entry = AuditEntry.objects.get()
    assert entry.action == "test.shown" and entry.target_id == str(area.pk)
    assert entry.actor_id == user.pk and entry.municipality_id == municipality.pk
    assert entry.summary == "圏域 / センター"
    assert entry.data == {
        "part": "first",
        "shown": [f"organizations.area:{area.pk}", f"organizations.center:{center.pk}"],
    }
    assert "no-store" in response["Cache-Control"]


def test_it_writes_nothing_when_the_response_shows_nothing(municipality, area):
    user = make_user("reader", (municipality, Role.VIEWER, None))
    member = Membership.objects.get(user=user)

    def redirecting(request):
        disclose(request, "test.shown", area)
        return HttpResponseRedirect("/")

    def refusing(request):
        disclose(request, "test.shown", area)
        return HttpResponse(status=403)

    for view in (redirecting, refusing):
        run(view, user, member)
    assert not AuditEntry.objects.exists()
