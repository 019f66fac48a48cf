"""Laying out a big PDF in a child process that ends with it.

WeasyPrint's boxes for a 70-page table take a few hundred MiB, and CPython seldom gives freed
memory back to the system: a worker that laid out one 開催状況 PDF in its own process stayed
that big until it was restarted. Here each document is laid out in a fresh child forked from a
small server process, and the child exits when the PDF is written, taking its memory with it.

The server process imports tsunagu.lib.pdf_warm once (multiprocessing's forkserver preload),
so WeasyPrint, Pango and the fonts are loaded there and every child starts warm; the process
that asks for a PDF never loads them. Nothing here touches Django: a child only turns HTML
into bytes.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_children: ProcessPoolExecutor | None = None


def write_pdf(html: str) -> bytes:
    """In the child: the PDF of `html`."""
    from weasyprint import HTML  # already loaded in the server the child was forked from

    return HTML(string=html).write_pdf()


def _executor() -> ProcessPoolExecutor:
    global _children
    if _children is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["tsunagu.lib.pdf_warm"])
        _children = ProcessPoolExecutor(max_workers=1, mp_context=context, max_tasks_per_child=1)
    return _children


def pdf_in_child(html: str) -> bytes:
    """The PDF of `html`, laid out in a child process that exits afterwards."""
    global _children
    try:
        return _executor().submit(write_pdf, html).result()
    except BrokenProcessPool as error:
        _children = None  # the next document starts a new pool
        raise RuntimeError("PDF を作る子プロセスが途中で終了しました。") from error
