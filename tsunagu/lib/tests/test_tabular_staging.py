"""Staging an upload between preview and confirm: a temporary file, never the session."""

import os
import time

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagu.lib.tabular import Limits, TooLarge, discard, keep_as, stage, staged
from tsunagu.lib.tabular.staging import MAX_AGE_SECONDS, by_name, release, remember


def test_it_keeps_the_file_outside_the_session_and_the_checkout():
    session = {}
    found = stage(session, "k", SimpleUploadedFile("表.csv", b"a,b\n"), layout="matrix")
    assert found.path.read_bytes() == b"a,b\n"
    assert found.path.parent == settings.UPLOAD_STAGING_DIR
    assert not found.path.is_relative_to(settings.BASE_DIR)
    assert oct(found.path.stat().st_mode & 0o777) == "0o600"
    assert b"a,b" not in repr(session).encode()
    again = staged(session, "k")
    assert (again.path, again.filename, again.meta) == (found.path, "表.csv", {"layout": "matrix"})


def test_discarding_removes_the_file_and_staging_again_replaces_it():
    session = {}
    first = stage(session, "k", SimpleUploadedFile("a.csv", b"1"))
    second = stage(session, "k", SimpleUploadedFile("b.csv", b"2"))
    assert not first.path.exists()
    discard(session, "k")
    assert not second.path.exists()
    assert staged(session, "k") is None and "k" not in session


def test_keep_as_moves_a_pending_upload_over_the_kept_one():
    session = {}
    old = stage(session, "kept", SimpleUploadedFile("a.csv", b"1"))
    new = stage(session, "pending", SimpleUploadedFile("b.csv", b"2"))
    keep_as(session, "pending", "kept")
    assert not old.path.exists()
    assert staged(session, "kept").path == new.path
    assert "pending" not in session


def test_it_refuses_a_large_upload_while_copying_and_leaves_nothing():
    session = {}
    try:
        stage(session, "k", SimpleUploadedFile("big.csv", b"x" * 200), limits=Limits(max_bytes=100))
    except TooLarge as error:
        assert "大きすぎます" in str(error)
    else:
        raise AssertionError("not refused")
    assert "k" not in session
    assert list(settings.UPLOAD_STAGING_DIR.iterdir()) == []


def test_it_ignores_a_tampered_token():
    assert staged({"k": {"token": "../../etc/passwd", "suffix": ""}}, "k") is None
    assert staged({"k": {"token": "0" * 32, "suffix": "/../x"}}, "k") is None


def test_it_sweeps_uploads_never_confirmed():
    session = {}
    old = stage(session, "old", SimpleUploadedFile("a.csv", b"1"))
    long_ago = time.time() - MAX_AGE_SECONDS - 60
    os.utime(old.path, (long_ago, long_ago))
    stage(session, "new", SimpleUploadedFile("b.csv", b"2"))
    assert not old.path.exists()


def test_remember_replaces_the_settings_beside_the_same_file():
    session = {}
    first = stage(session, "k", SimpleUploadedFile("a.csv", b"1"), layout="matrix")
    again = remember(session, "k", layout="long", fiscal_year=2021)
    assert again.path == first.path and again.path.read_bytes() == b"1"
    assert staged(session, "k").meta == {"layout": "long", "fiscal_year": 2021}
    assert remember({}, "k", layout="long") is None


def test_a_released_file_leaves_the_session_and_is_found_by_its_name_only():
    session = {}
    kept = stage(session, "k", SimpleUploadedFile("a.csv", b"1"))
    name = release(session, "k")
    assert "k" not in session and kept.path.exists()
    found = by_name(name, "a.csv", {"layout": "long"})
    assert (found.path, found.filename, found.meta) == (kept.path, "a.csv", {"layout": "long"})
    for hostile in ["../etc/passwd", "x" * 32 + ".csv", "/tmp/a.csv", name + "/..", ""]:
        assert by_name(hostile) is None, hostile
    kept.path.unlink()
    assert by_name(name) is None
