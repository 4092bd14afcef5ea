"""The letters as an editable Word file (.docx), for the institution to put on its own letterhead.

Built from the same filled text as the PDF (`onboarding.pdf.letter_context`), so both say the same words. Set in
Times New Roman 12 pt, as the Resmî Yazışma Yönetmeliği asks of official letters; the applicant's notes are not in
the file (the portal and the PDF's second page carry them).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from onboarding.pdf import letter_context

if TYPE_CHECKING:
    from onboarding.models import LetterTemplate

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letter_docx(letter_template: LetterTemplate, *, values: dict[str, str], institution_name: str) -> bytes:
    """The official page of the letter (or decision) as a .docx document."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    context = letter_context(letter_template, values=values, institution_name=institution_name)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    document.core_properties.title = f"{letter_template.name} — {context['institution_name']}"
    document.core_properties.language = "tr-TR"

    def paragraph(text: str = "", *, bold: bool = False, align=None, space_after: int = 6):
        para = document.add_paragraph()
        if text:
            run = para.add_run(text)
            run.bold = bold
        if align is not None:
            para.alignment = align
        para.paragraph_format.space_after = Pt(space_after)
        return para

    paragraph(context["institution_name"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    number_label, date_label = ("Karar No", "Karar Tarihi") if context["is_decision"] else ("Sayı", "Tarih")
    refs = paragraph(f"{number_label}\t: ……………\t{date_label}: {context['date']}", space_after=2)
    tab_stops = refs.paragraph_format.tab_stops
    tab_stops.add_tab_stop(Cm(2.5))

    tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT)
    if context["subject"]:
        subject = paragraph(f"Konu\t: {context['subject']}", space_after=18)
        subject.paragraph_format.tab_stops.add_tab_stop(Cm(2.5))
    paragraph(context["title"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    if context["addressee"]:
        paragraph(context["addressee"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=18)
    for text in context["paragraphs"]:
        body = paragraph(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        body.paragraph_format.first_line_indent = Cm(1.25)
        body.paragraph_format.line_spacing = 1.5
    paragraph(space_after=36)

    members = list(context["board_members"])
    signers = [("…………………", "Üye") for _ in members] + [(context["signatory_name"], context["signatory_title"])]
    table = document.add_table(rows=3, cols=len(signers) + 1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.cell(0, 0).text = "Mühür / Kaşe"
    for column, (name, title) in enumerate(signers, start=1):
        table.cell(0, column).text = ""
        name_cell, title_cell = table.cell(1, column), table.cell(2, column)
        name_cell.paragraphs[0].add_run(name).bold = True
        title_cell.paragraphs[0].add_run(title)
        for cell in (name_cell, title_cell):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.rows[0].height = Cm(2.5)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
