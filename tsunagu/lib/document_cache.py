"""Big documents kept while what they show is unchanged.

A document (the 開催状況 PDF of a 年度, say) is identified by its kind, municipality and
period, and by a digest of its source: the HTML it is laid out from, or the rows of a
workbook. Building the source is cheap (tens of milliseconds); laying it out is what costs
(seconds). So a request builds the source, and if a file with the same digest exists it is
returned as it is; otherwise the document is made and kept, replacing the older file of the
same kind and period. Files live in MEDIA_ROOT/documents/<municipality id>/, never served
directly.
"""

import hashlib
from pathlib import Path

from django.conf import settings

from tsunagu.lib import pdf_layout


def digest(source: str | bytes) -> str:
    data = source.encode("utf-8") if isinstance(source, str) else source
    return hashlib.sha256(data).hexdigest()[:32]


def _folder(municipality_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "documents" / str(int(municipality_id))


def _path(municipality_id: int, name: str, source_digest: str, extension: str) -> Path:
    safe = "".join(c for c in name if c.isalnum() or c in "-_")
    return _folder(municipality_id) / f"{safe}--{source_digest}.{extension}"


def get(municipality_id: int, name: str, source_digest: str, extension: str) -> bytes | None:
    """The kept document made from a source with this digest, or None."""
    path = _path(municipality_id, name, source_digest, extension)
    return path.read_bytes() if path.is_file() else None


def put(
    municipality_id: int, name: str, source_digest: str, extension: str, content: bytes
) -> None:
    """Keep the document; older ones of the same name (kind and period) are removed."""
    path = _path(municipality_id, name, source_digest, extension)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(content)
    temporary.replace(path)  # readers never see half a file
    prefix = path.name.split("--")[0] + "--"
    for old in path.parent.glob(f"{prefix}*.{extension}"):
        if old != path:
            old.unlink(missing_ok=True)


def kept_pdf(municipality_id: int, name: str, html: str) -> bytes | None:
    """The kept PDF laid out from exactly this HTML, or None (then a task makes it)."""
    return get(municipality_id, name, digest(html), "pdf")


def pdf_from_html(municipality_id: int, name: str, html: str) -> bytes:
    """The kept PDF of this HTML, or the HTML laid out now (seconds for a long one, in a child
    process: tsunagu.lib.pdf_layout) and kept."""
    source = digest(html)
    kept = get(municipality_id, name, source, "pdf")
    if kept is not None:
        return kept
    content = pdf_layout.pdf_in_child(html)
    put(municipality_id, name, source, "pdf", content)
    return content
