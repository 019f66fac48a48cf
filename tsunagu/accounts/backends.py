from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from tsunagu.audit.services import client_ip

from . import throttle


class ThrottledModelBackend(ModelBackend):
    """Django's username-and-password backend, refusing a locked login ID or address.

    The login page checks the lock itself, to say so in Japanese (forms.LoginForm); this
    catches every other way to a password check, such as the Django admin's own login form.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username and throttle.lockout(username=username, ip=client_ip(request)):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
