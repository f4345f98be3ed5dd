"""Write a report as an HTML page for headless Chromium's print-to-PDF.

Own design (not the first generator's): serif text, a coloured band for
programme headings, tables with horizontal rules only (or none), the table
header in a <thead> (Chromium repeats it on every page), a 42/58 column split,
rows allowed to break across pages, no page header or footer (Chromium's
would print the date and file URL). Text goes through textfx (soft hyphens, no-break
spaces, zero-width spaces) as the style asks.
"""
import html

from model import HEADER
import textfx

CSS = """
@page { size: A4; margin: 22mm 18mm 24mm 20mm; }
body { font-family: '%(font)s'; font-size: %(size)spt; line-height: 1.28;
       color: #111; margin: 0; }
h1 { font-size: 1.45em; background: #e8eef5; padding: 4pt 6pt; margin: 0 0 8pt;
     break-before: page; font-weight: bold; }
h1.first { break-before: auto; }
h2 { font-size: 1.18em; margin: 12pt 0 4pt; }
h3 { font-size: 1.05em; margin: 10pt 0 4pt; font-style: italic; }
h1, h2, h3 { break-after: avoid; }
p.title { font-size: 1.3em; font-weight: bold; margin: 0 0 14pt; }
p.caption { margin: 2pt 0 3pt; font-variant: small-caps; }
table { width: 100%%; border-collapse: collapse; margin: 0 0 12pt; }
col.l { width: 42%%; } col.r { width: 58%%; }
th { text-align: left; font-size: 0.92em; padding: 3pt 5pt; %(th)s }
td { vertical-align: top; padding: 4pt 5pt 6pt; %(td)s }
tr { break-inside: auto; }
td p { margin: 0 0 4pt; hyphens: manual; }
td p.q { font-weight: bold; }
"""

RULES = {
    "rows": ("border-bottom: 1.2pt solid #333;", "border-bottom: 0.5pt solid #999;"),
    "none": ("border-bottom: 0;", "border: 0;"),
}


def render_html(blocks, truth, style):
    th, td = RULES[style["borders"]]
    out = ["<!doctype html>", '<html lang="sv"><head><meta charset="utf-8">',
           f"<title>{html.escape(truth.get('title_line') or truth['stem'])}</title>",
           "<style>" + CSS % dict(font=style["font"], size=style["size"], th=th, td=td) + "</style>",
           "</head><body>"]
    t = lambda s: html.escape(textfx.apply(s, style), quote=False)
    first = True
    for b in blocks:
        kind = b[0]
        if kind == "title":
            out.append(f'<p class="title">{t(b[1][0])}</p>')
        elif kind == "heading":
            _, lvl, num, text = b
            cls = ""
            if lvl == 1:
                cls = ' class="first"' if first else ""
                first = False
            out.append(f"<h{lvl}{cls}>{num}&nbsp;&nbsp;{t(text)}</h{lvl}>")
        elif kind == "caption":
            out.append(f'<p class="caption">{t(b[1])}</p>')
        elif kind == "table":
            out.append('<table><colgroup><col class="l"><col class="r"></colgroup>')
            out.append(f"<thead><tr><th>{HEADER[0]}</th><th>{HEADER[1]}</th></tr></thead><tbody>")
            for row in b[1]:
                out.append("<tr>")
                for cell, qcls in ((row["left"], True), (row["right"], False)):
                    ps = []
                    for k, (txt, bold) in enumerate(cell):
                        c = ' class="q"' if bold else ""
                        ps.append(f"<p{c}>{t(txt)}</p>" if txt else "<p></p>")
                    out.append("<td>" + "".join(ps) + "</td>")
                out.append("</tr>")
            out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out)
