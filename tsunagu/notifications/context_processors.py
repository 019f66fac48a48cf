from . import services


def unread_count(request):
    """The number in the header: unread notifications of the member's directory person,
    counted only when a page shows it."""
    member = getattr(request, "member", None)
    person_id = getattr(member, "person_id", None)
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    if person_id is None and user_id is None:
        return {"unread_notifications": 0}
    return {"unread_notifications": lambda: services.unread_count(person_id, user_id)}
