"""What an uploaded file is, by its content (magic bytes) rather than by its name alone."""

import zipfile

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


# Office files are ZIP archives; the part that only that kind of document has tells them apart.
_OFFICE = {
    "docx": ("word/document.xml", ".docx"),
    "xlsx": ("xl/workbook.xml", ".xlsx"),
}


def handout_kind(upload: UploadedFile) -> str | None:
    """ "pdf", "docx" or "xlsx" if the file's content and its name agree on it, else None.

    A Word or Excel file must be a readable ZIP archive holding that kind's main part; a
    renamed file, a damaged archive or another kind of archive is refused. Rewound after.
    """
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = (upload.name or "").lower()
    if head.startswith(b"%PDF-"):
        return "pdf" if name.endswith(".pdf") else None
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    for kind, (part, suffix) in _OFFICE.items():
        if part in parts and name.endswith(suffix):
            return kind
    return None
