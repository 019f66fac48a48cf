"""Big PDFs are laid out in a child process that exits with the document, so that the worker
does not keep the layout's memory (tsunagu.lib.pdf_layout)."""

import os
import subprocess

import pytest

from tsunagu.lib import pdf_layout


def test_the_pdf_comes_back_whole_with_its_japanese_text(tmp_path):
    body = pdf_layout.pdf_in_child("<h1>開催状況</h1><p>明第1地域包括支援センター 7月27日</p>")
    assert body.startswith(b"%PDF") and body.rstrip().endswith(b"%%EOF")
    path = tmp_path / "made.pdf"
    path.write_bytes(body)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "開催状況" in text and "7月27日" in text


def test_each_document_is_laid_out_in_a_new_process_that_then_ends():
    pdf_layout.pdf_in_child("<p>一つ目</p>")
    first = pdf_layout._executor().submit(os.getpid).result()
    second = pdf_layout._executor().submit(os.getpid).result()
    assert os.getpid() not in (first, second)
    assert first != second  # one child a task: its memory goes when it exits


def test_an_error_in_the_child_reaches_the_caller_and_the_next_document_is_made():
    with pytest.raises(TypeError, match="source"):  # WeasyPrint's, raised in the child
        pdf_layout._executor().submit(pdf_layout.write_pdf, None).result()
    assert pdf_layout.pdf_in_child("<p>次の文書</p>").startswith(b"%PDF")
