"""What an uploaded file is, by its content (magic bytes) rather than by its name alone."""

from django.core.files.uploadedfile import UploadedFile

# The first bytes of each kind of scan the system keeps, and the suffixes that name it.
_SCANS = {
    "pdf": (b"%PDF-", {".pdf"}),
    "jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
    "png": (b"\x89PNG\r\n\x1a\n", {".png"}),
}


def scan_kind(upload: UploadedFile) -> str | None:
    """ "pdf", "jpeg" or "png" if the file's content and its name agree on it, else None.

    `upload` is a Django UploadedFile; it is read from the start and rewound.
    """
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    name = (upload.name or "").lower()
    for kind, (magic, suffixes) in _SCANS.items():
        if head.startswith(magic) and any(name.endswith(suffix) for suffix in suffixes):
            return kind
    return None
