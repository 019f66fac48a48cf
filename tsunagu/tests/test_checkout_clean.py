"""Tests never write into the checkout (conftest.py checks the whole run at its end)."""

from pathlib import Path

from django.conf import settings

from conftest import CHECKOUT, checkout_changes, checkout_files


def test_uploads_go_to_a_temporary_folder_outside_the_checkout():
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media != CHECKOUT and CHECKOUT not in media.parents


def test_it_notices_files_created_changed_and_removed(tmp_path):
    (tmp_path / "kept.txt").write_text("a")
    (tmp_path / "edited.txt").write_text("a")
    (tmp_path / "removed.txt").write_text("a")
    before = checkout_files(tmp_path)
    (tmp_path / "edited.txt").write_text("bb")
    (tmp_path / "removed.txt").unlink()
    (tmp_path / "pledges" / "2026").mkdir(parents=True)
    (tmp_path / "pledges" / "2026" / "scan.pdf").write_bytes(b"%PDF")
    assert checkout_changes(before, checkout_files(tmp_path)) == [
        "作成: pledges/2026/scan.pdf",
        "削除: removed.txt",
        "変更: edited.txt",
    ]


def test_it_ignores_caches_and_the_virtualenv(tmp_path):
    before = checkout_files(tmp_path)
    for folder in (".venv", "__pycache__", ".hypothesis", "tsunagu/__pycache__"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "file").write_text("x")
    assert checkout_changes(before, checkout_files(tmp_path)) == []


def test_the_checkout_holds_no_uploaded_files():
    # Scanned pledges once landed in the repository; uploads belong under MEDIA_ROOT.
    assert not (CHECKOUT / "pledges").exists()
