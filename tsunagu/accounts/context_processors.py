from .access import current_memberships


def membership(request):
    """The membership the page acts under, and (lazily) the others the user may switch to."""
    member = getattr(request, "member", None)
    return {
        "member": member,
        "municipality": member.municipality if member else None,
        "can": member.permissions if member else set(),
        "switchable_memberships": lambda: list(current_memberships(request.user)),
    }
