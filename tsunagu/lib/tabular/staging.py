"""An upload kept between its preview and the confirm step, in a temporary file.

The session holds only a random token and the file's name; the file itself lies in
settings.UPLOAD_STAGING_DIR (outside the checkout: the system's temporary directory unless
configured), readable by this process only. Confirming or uploading again removes it, and
files older than a day are swept away whenever something is staged.
"""

import os
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.files.uploadedfile import UploadedFile

from .reading import DEFAULT_LIMITS, Limits, TooLarge

MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"[0-9a-f]{32}")
_SUFFIX = re.compile(r"\.[a-z]{1,5}")


@dataclass(frozen=True)
class Staged:
    path: Path
    filename: str  # as the user named it
    meta: dict = field(default_factory=dict)  # what the form said beside the file


def _directory() -> Path:
    directory = Path(settings.UPLOAD_STAGING_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _path(token: str, suffix: str) -> Path:
    return _directory() / f"{token}{suffix}"


def stage(
    session: SessionBase,
    key: str,
    upload: UploadedFile,
    *,
    limits: Limits = DEFAULT_LIMITS,
    **meta: Any,
) -> Staged:
    """Write `upload` (a Django UploadedFile) to a new temporary file and note it in `session`.

    Anything staged before under `key` is removed first. Raises TooLarge past the size limit,
    counted while copying, whatever size the upload claims.
    """
    discard(session, key)
    _sweep()
    token = secrets.token_hex(16)
    filename = upload.name or ""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if _SUFFIX.fullmatch(suffix) else ""
    path = _path(token, suffix)
    written = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            for chunk in upload.chunks():
                written += len(chunk)
                if written > limits.max_bytes:
                    raise TooLarge(f"ファイルが大きすぎます（{limits.max_bytes_label}まで）。")
                file.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    session[key] = {"token": token, "suffix": suffix, "filename": filename, "meta": meta}
    return Staged(path, filename, meta)


def staged(session: SessionBase, key: str) -> Staged | None:
    """What `stage` kept under `key`, or None if nothing is (or its file is gone)."""
    noted = session.get(key)
    if not isinstance(noted, dict) or not _TOKEN.fullmatch(str(noted.get("token", ""))):
        return None
    suffix = str(noted.get("suffix", ""))
    if suffix and not _SUFFIX.fullmatch(suffix):
        return None
    path = _path(noted["token"], suffix)
    if not path.is_file():
        return None
    return Staged(path, str(noted.get("filename", "")), dict(noted.get("meta") or {}))


def discard(session: SessionBase, key: str) -> None:
    """Remove the file staged under `key`, if any, and its note in the session."""
    found = staged(session, key)
    if found is not None:
        found.path.unlink(missing_ok=True)
    session.pop(key, None)


def remember(session: SessionBase, key: str, **meta: Any) -> Staged | None:
    """Replace what the form said beside the file staged under `key` (the file stays)."""
    found = staged(session, key)
    if found is None:
        return None
    session[key] = {**session[key], "meta": meta}
    return Staged(found.path, found.filename, meta)


def release(session: SessionBase, key: str) -> str | None:
    """Hand the file staged under `key` to someone else (a background task): the session
    forgets it, the file stays. Returns its name inside the staging directory."""
    found = staged(session, key)
    session.pop(key, None)
    return found.path.name if found is not None else None


def by_name(name: str, filename: str = "", meta: dict | None = None) -> Staged | None:
    """A file `release` handed over, found again by its name; None if the name is not one
    `stage` makes or the file is gone."""
    token, _dot, rest = name.partition(".")
    suffix = f".{rest}" if rest else ""
    if not _TOKEN.fullmatch(token) or (suffix and not _SUFFIX.fullmatch(suffix)):
        return None
    path = _path(token, suffix)
    return Staged(path, filename, meta or {}) if path.is_file() else None


def keep_as(session: SessionBase, key: str, new_key: str) -> None:
    """Move what is staged under `key` to `new_key`, replacing what was there."""
    if key in session:
        discard(session, new_key)
        session[new_key] = session.pop(key)


def _sweep() -> None:
    """Remove staged files older than MAX_AGE_SECONDS: uploads never confirmed."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _directory().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # Removed by another process meanwhile.
