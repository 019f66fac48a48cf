from django.test import override_settings

from tsunagu.audit.models import AuditEntry


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_it_takes_the_client_address_from_a_trusted_proxy(client, db):
    client.post(
        "/login/",
        {"username": "nobody", "password": "x"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="192.0.2.44",
    )
    assert AuditEntry.objects.get(action="user.login_failed").ip_address == "192.0.2.44"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_it_ignores_the_header_from_anyone_else(client, db):
    client.post(
        "/login/",
        {"username": "nobody", "password": "x"},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_REAL_IP="192.0.2.44",
    )
    assert AuditEntry.objects.get(action="user.login_failed").ip_address == "198.51.100.7"


def test_it_trusts_no_proxy_by_default(client, db):
    client.post(
        "/login/",
        {"username": "nobody", "password": "x"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="192.0.2.44",
    )
    assert AuditEntry.objects.get(action="user.login_failed").ip_address == "127.0.0.1"
