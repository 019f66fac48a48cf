"""Imported once by the layout server process of tsunagu.lib.pdf_layout, before any child is
forked from it: WeasyPrint, Pango and the fonts are loaded and one line laid out, so that
every child starts warm and shares that memory."""

from weasyprint import HTML

HTML(string="<p>準備</p>").write_pdf()
