"""Write a report as a Word document (python-docx).

Style knobs (a dict, see variants in build.py):
  font, size (pt), borders: "grid" | "rows" | "none", cover (title page),
  header_text (page header: True -> administration name), footer (page
  numbers "Sida X av Y"), margins_cm, col_ratio (left column share),
  nbsp (no-break space between "Strategi"/"insats" and the code, and in
  numbers such as "2 000"), shy (U+00AD soft hyphens in long words),
  heading_color.
"""
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from model import HEADER
import textfx


def _set_cell_margins(table, top=60, bottom=60, left=90, right=90):
    tblPr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, v in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(v))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    tblPr.append(mar)


def _set_borders(table, mode):
    tblPr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    spec = {
        "grid": dict(top=1, left=1, bottom=1, right=1, insideH=1, insideV=1),
        "rows": dict(top=1, left=0, bottom=1, right=0, insideH=1, insideV=0),
        "none": dict(top=0, left=0, bottom=0, right=0, insideH=0, insideV=0),
    }[mode]
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        if spec[side]:
            e.set(qn("w:val"), "single")
            e.set(qn("w:sz"), "6" if mode == "grid" else "4")
            e.set(qn("w:space"), "0")
            e.set(qn("w:color"), "000000" if mode == "grid" else "7F7F7F")
        else:
            e.set(qn("w:val"), "nil")
        b.append(e)
    tblPr.append(b)


def _repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    e = OxmlElement("w:tblHeader")
    e.set(qn("w:val"), "true")
    trPr.append(e)


def _shade(cell, fill):
    tcPr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcPr.append(shd)


def _field(paragraph, instr):
    """A simple field (PAGE, NUMPAGES) in a paragraph."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def _text(s, style):
    return textfx.apply(s, style)


def write_docx(blocks, truth, style, path):
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    m = style.get("margins_cm", 2.2)
    sec.left_margin = sec.right_margin = Cm(m)
    sec.top_margin = sec.bottom_margin = Cm(m + 0.3)

    normal = doc.styles["Normal"]
    normal.font.name = style["font"]
    normal.font.size = Pt(style["size"])
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(a), style["font"])
    normal.paragraph_format.space_after = Pt(style.get("space_after", 4))
    normal.paragraph_format.line_spacing = style.get("line_spacing", 1.0)

    hfont = style.get("heading_font", style["font"])
    for lvl, sz in ((1, style["size"] + 5), (2, style["size"] + 2), (3, style["size"] + 1)):
        hs = doc.styles[f"Heading {lvl}"]
        hs.font.name = hfont
        hs.font.size = Pt(sz)
        hs.font.bold = True
        hs.font.italic = False
        hs.font.color.rgb = RGBColor.from_string(style.get("heading_color", "1F3864"))
        hr = hs.element.get_or_add_rPr()
        hf = hr.find(qn("w:rFonts"))
        if hf is None:
            hf = OxmlElement("w:rFonts")
            hr.insert(0, hf)
        for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            hf.set(qn(a), hfont)
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            if hf.get(qn(a)) is not None:
                del hf.attrib[qn(a)]
        hs.paragraph_format.space_before = Pt(12 if lvl == 1 else 8)
        hs.paragraph_format.space_after = Pt(4)
        hs.paragraph_format.keep_with_next = True

    if style.get("header_text"):
        p = sec.header.paragraphs[0]
        p.text = f"Göteborgs Stad – {truth['administration']['name']}"
        p.runs[0].font.size = Pt(8)
    if style.get("footer"):
        p = sec.footer.paragraphs[0]
        p.alignment = 2  # right
        r = p.add_run("Sida ")
        r.font.size = Pt(8)
        _field(p, "PAGE")
        p.add_run(" av ").font.size = Pt(8)
        _field(p, "NUMPAGES")

    width = sec.page_width - sec.left_margin - sec.right_margin
    lw = int(width * style.get("col_ratio", 0.5))
    widths = (lw, width - lw)
    first_prog = True

    for b in blocks:
        kind = b[0]
        if kind == "title":
            if style.get("cover"):
                for _ in range(8):
                    doc.add_paragraph("")
                for k, line in enumerate(b[1]):
                    p = doc.add_paragraph()
                    p.alignment = 1
                    r = p.add_run(_text(line, style))
                    r.font.size = Pt(20 if k == 0 else 14)
                    r.bold = k == 0
                p = doc.add_paragraph()
                p.alignment = 1
                p.add_run(f"Rapport {truth['period']['year']}").font.size = Pt(12)
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            else:
                p = doc.add_paragraph()
                r = p.add_run(_text(b[1][0], style))
                r.bold = True
                r.font.size = Pt(style["size"] + 3)
        elif kind == "heading":
            _, lvl, num, text = b
            if lvl == 1 and not first_prog and style.get("program_page_break", True):
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            if lvl == 1:
                first_prog = False
            doc.add_heading(f"{num} {_text(text, style)}", level=lvl)
        elif kind == "caption":
            p = doc.add_paragraph()
            p.add_run(b[1]).bold = style.get("caption_bold", False)
            p.paragraph_format.keep_with_next = True
        elif kind == "table":
            rows = b[1]
            t = doc.add_table(rows=1 + len(rows), cols=2)
            t.autofit = False
            _set_borders(t, style["borders"])
            _set_cell_margins(t)
            hdr = t.rows[0]
            _repeat_header(hdr)
            for c, txt in zip(hdr.cells, HEADER):
                c.paragraphs[0].add_run(txt).bold = True
                if style.get("header_fill"):
                    _shade(c, style["header_fill"])
            for r, row in zip(t.rows[1:], rows):
                if not style.get("split_rows", True):
                    trPr = r._tr.get_or_add_trPr()
                    cs = OxmlElement("w:cantSplit")
                    cs.set(qn("w:val"), "true")
                    trPr.append(cs)
                for cell, paras in zip(r.cells, (row["left"], row["right"])):
                    first = True
                    for txt, bold in paras:
                        p = cell.paragraphs[0] if first else cell.add_paragraph()
                        first = False
                        if txt:
                            p.add_run(_text(txt, style)).bold = bold
            for r in t.rows:
                for c, w in zip(r.cells, widths):
                    c.width = w
            doc.add_paragraph("").paragraph_format.space_after = Pt(2)
    # fixed document properties (dates, author) for reproducible output
    cp = doc.core_properties
    import datetime
    fixed = datetime.datetime(2024, 3, 1, 9, 0, 0)
    cp.created = cp.modified = cp.last_printed = fixed
    cp.author = cp.last_modified_by = "Göteborgs Stad"
    cp.title = truth.get("title_line") or ""
    cp.revision = 1
    doc.save(path)
