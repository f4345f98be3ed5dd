#!/usr/bin/env python3
"""Plain baseline for uppfoljning: `pdftotext -layout` + regular expressions.

    python3 tools/baseline/pdftotext_regex.py --out DIR INPUT...

INPUT: .pdf / .txt files or folders holding them. PDFs go through
`pdftotext -layout` (poppler-utils); .txt files are read as UTF-8 OCR text with
pages split at form feeds. For every input DIR/<file name>.json is written, a
report document in the shape of docs/contract.md (schema_version 1: without item_key and provenance).

What it does, deliberately nothing more:
- a row is a line starting with a code: "Strategi N:M", "insats N:M" (any case,
  OCR "lnsats"/"1nsats"), or a bare "N:M" in the tystnadskultur section;
- the programme is the one whose section heading was seen last (headings matched
  on a few distinctive words), the area is the code's first number;
- layout lines are split at the first run of >= 3 spaces: right of it is the
  answer/comment column; the answer is the first line of that column, from the
  row's start (its question line) on, that is only Ja/Nej/Delvis (in OCR text
  without columns, failing that, the first such whole word); the comment is
  the rest of that column up to the next row;
- question / strategy_text / expected_result come from the catalogue table for
  known codes, else from the row's left column;
- comments: NFC, line-break hyphens joined, a 33-word table of English-model OCR
  damage (DIACRITIC_TABLE), whitespace collapsed.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOG_DIR = ROOT / "src" / "catalog"

# Common Swedish words as an English tesseract model prints them (picked from
# fixtures/sample/000_a41603a7fe181f4b.txt and corpus/scan-eng-txt/*.txt).
# Applied word-wise (lowercase key; a capitalised word gets a capitalised value).
DIACRITIC_TABLE = {
    "ar": "är",
    "pa": "på",
    "for": "för",
    "fér": "för",
    "aven": "även",
    "nar": "när",
    "ocksa": "också",
    "fran": "från",
    "dar": "där",
    "sa": "så",
    "ater": "åter",
    "atgarder": "åtgärder",
    "forvaltningen": "förvaltningen",
    "férvaltningen": "förvaltningen",
    "goteborgs": "göteborgs",
    "géteborgs": "göteborgs",
    "brottsforebyggande": "brottsförebyggande",
    "brottsférebyggande": "brottsförebyggande",
    "fragor": "frågor",
    "fatt": "fått",
    "tva": "två",
    "annu": "ännu",
    "aret": "året",
    "manga": "många",
    "nagon": "någon",
    "nagra": "några",
    "over": "över",
    "battre": "bättre",
    "sarskilt": "särskilt",
    "natverk": "nätverk",
    "gangkriminalitet": "gängkriminalitet",
    "paborjat": "påbörjat",
    "genomfors": "genomförs",
}

ANSWER_RE = re.compile(r"(?<![\w])(ja|nej|delvis)(?![\w])", re.IGNORECASE)
LONE_ANSWER_RE = re.compile(r"^[^\w\n]*(ja|nej|delvis)[^\w\n]*$", re.IGNORECASE | re.MULTILINE)
CODE_LABELLED_RE = re.compile(
    r"^\s*(strategi|[il1|]nsats)\s+(\d{1,2})\s*[:;]\s*(\d{1,2})(?!\d)", re.IGNORECASE
)
CODE_BARE_RE = re.compile(r"^\s*(\d{1,2}):(\d{1,2})\s+\S")
HEADER_RE = re.compile(r"^\s*(Uppf\S*ljningsfr\S*gor|Svarsalternativ med kommentar)", re.IGNORECASE)
PROGRAM_HEADING_RE = re.compile(
    r"^\s*\(?\d\s+(Uppf\S*\s+)?\(?G\S{1,3}teborgs?\s+Stads?\b", re.IGNORECASE
)
SUB_HEADING_RE = re.compile(
    r"^\s*\d\.\d(\.\d)?\s+(Uppf\S*ljning|M\S{0,3}lomr\S*de|Fokusomr\S*de)", re.IGNORECASE
)
INSTRUCTION_RE = re.compile(r"Genomf\S*rs\s+aktiviteter|utdelat\s+ansvar", re.IGNORECASE)
INSTRUCTION_TEXT_RE = re.compile(
    r"Genomf\S*rs\s+aktiviteter\s+i\s+enlighet\s+med|utdelat\s+ansvar\s+f\S*r\s+att\s+uppfylla\s+m\S*let\s+med"
    r"|(?<!\w)[il1|]nsats\s+\d{1,2}\s*[:;]\s*\d{1,2}\.", re.IGNORECASE)
EXPECTED_RE = re.compile(r"F\S*rv\S*ntat\s+resultat\s*:\s*", re.IGNORECASE)
COL_SPLIT_RE = re.compile(r"\S(\s{3,}|\s+\|\s+)\S")  # a wide gap, or a table rule read as "|"
RIGHT_COLUMN_INDENT = 20  # layout lines indented this far are right-column text
YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
RANGE_RE = re.compile(r"20\d\d\s*[-–]\s*20\d\d")


# ---------------------------------------------------------------- catalogue

def load_catalog(catalog_dir: Path):
    with open(catalog_dir / "catalog.toml", "rb") as fh:
        cat = tomllib.load(fh)
    programs = {}
    for p in cat["program"]:
        items = {}
        for it in p.get("item", []):
            items[it["code"]] = {
                "question": it.get("question"),
                "strategy_text": it.get("strategy"),
                "expected_result": it.get("expected_result"),
            }
        programs[p["id"]] = {
            "has_areas": bool(p.get("area_label")),
            "code_label": p.get("code_label", "").lower(),
            "items": items,
        }
    with open(catalog_dir / "administrations.toml", "rb") as fh:
        adm = tomllib.load(fh)["administration"]
    return programs, adm


def program_from_heading(block: str) -> str | None:
    """Loose title match on a few distinctive words of the heading block."""
    b = block.lower()
    if "tystnadskultur" in b:
        return "tystnadskultur-2023-2025"
    if "handlingsplan" in b or "nyrekrytering" in b:
        return "handlingsplan-2023-2026"
    if "trygghetsskapande" in b or re.search(r"brotts\S*rebyggande\s+program", b):
        return "trygghetsprogram-2022-2026"
    return None


# ---------------------------------------------------------------- text input

def read_pdf(path: Path):
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True, check=True,
    ).stdout.decode("utf-8", errors="replace")
    pages = out.split("\f")
    if pages and pages[-1].strip() == "":
        pages = pages[:-1]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True).stdout.decode(
        "utf-8", errors="replace"
    )
    if not out.strip():
        layer = "none"
    elif "GlyphLessFont" in fonts:  # tesseract's invisible text layer
        layer = "ocr"
    else:
        layer = "digital"
    return pages, layer


def read_text(path: Path):
    text = path.read_text(encoding="utf-8", errors="replace")
    pages = text.split("\f")
    if len(pages) > 1 and pages[-1].strip() == "":
        pages = pages[:-1]
    return pages


class Line:
    __slots__ = ("page", "raw", "left", "right")

    def __init__(self, page, raw, left, right):
        self.page, self.raw, self.left, self.right = page, raw, left, right


def split_columns(raw: str, layout: bool):
    """(left, right) of one line. Without a layout every line is one column."""
    if not layout:
        s = raw.strip()
        return s, s
    if not raw.strip():
        return "", ""
    indent = len(raw) - len(raw.lstrip())
    m = COL_SPLIT_RE.search(raw, indent)
    if m:
        cut = m.start(1)
        return raw[:cut].strip(), raw[m.end(1):].strip()
    if indent >= RIGHT_COLUMN_INDENT:  # a line of the right column alone
        return "", raw.strip()
    return raw.strip(), ""


def to_lines(pages, layout: bool):
    lines = []
    for pno, pg in enumerate(pages, 1):
        for raw in pg.split("\n"):
            raw = unicodedata.normalize("NFC", raw.replace("\t", "    "))
            left, right = split_columns(raw, layout)
            lines.append(Line(pno, raw, left, right))
    return lines


# ---------------------------------------------------------------- repair

def fix_word(m: re.Match) -> str:
    w = m.group(0)
    rep = DIACRITIC_TABLE.get(w.lower())
    if rep is None:
        return w
    if w[:1].isupper():
        return rep[:1].upper() + rep[1:]
    return rep


def repair(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # line-break hyphenation: "brotts-\nförebyggande" is joined; the hyphen stays
    # before a capital ("Askim-\nFrölunda"), after a short or capitalised first
    # part ("e-\ntjänster", "IA-\nsystemet") and in "ny- och ombyggnation"
    text = re.sub(r"(?<![\w-])([a-zåäö]{3,})-[ \t]*\n\s*(?!(?:och|eller|samt)\b)([a-zåäö])", r"\1\2", text)
    text = re.sub(r"(\w)-[ \t]*\n\s*(?!(?:och|eller|samt)\b)(\w)", r"\1-\2", text)
    text = re.sub(r"[\w&]+", fix_word, text)
    text = re.sub(r"\s+", " ", text).strip()
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# ---------------------------------------------------------------- extraction

def is_boiler(line: Line) -> bool:
    return bool(HEADER_RE.match(line.raw) or SUB_HEADING_RE.match(line.raw)
                or PROGRAM_HEADING_RE.match(line.raw))


def find_codes(lines, programs):
    """[(line index, program, code)] in document order, plus heading indices."""
    found, headings = [], []
    program = None
    seen = set()
    for i, ln in enumerate(lines):
        if PROGRAM_HEADING_RE.match(ln.raw):
            block = " ".join(l.raw for l in lines[i:i + 6])
            p = program_from_heading(block)
            if p:
                program = p
            headings.append(i)
            continue
        if SUB_HEADING_RE.match(ln.raw) or HEADER_RE.match(ln.raw):
            headings.append(i)
            continue
        m = CODE_LABELLED_RE.match(ln.left)
        if m:
            label = "strategi" if m.group(1).lower() == "strategi" else "insats"
            n, k = m.group(2), m.group(3)
            prog = program
            if prog is None or programs[prog]["code_label"] != label:
                # label and section disagree: a regex script trusts the label
                prog = next((pid for pid, p in programs.items() if p["code_label"] == label), prog)
        else:
            m = CODE_BARE_RE.match(ln.left)
            if not m or program is None or programs[program]["code_label"] != "":
                continue
            n, k = m.group(1), m.group(2)
            prog = program
        code = f"{int(n)}:{int(k)}"
        if (prog, code) in seen:
            continue
        seen.add((prog, code))
        found.append((i, prog, code))
    return found, headings


def page_header(lines, j) -> bool:
    """The table header repeated at the top of a page (a row runs on over it)."""
    if not HEADER_RE.match(lines[j].raw):
        return False
    k = j - 1
    while k >= 0 and lines[k].page == lines[j].page:
        if lines[k].raw.strip():
            return False
        k -= 1
    return k >= 0


def row_start_layout(lines, i, lo):
    """Back from the code line over the row's left column to its question."""
    start = i
    j = i - 1
    while j > lo:
        ln = lines[j]
        if page_header(lines, j) and (start == i or lines[start].left[:1].islower()):
            # the page opens with the code line or mid-question: the row
            # began on the page before
            j -= 1
            while j > lo and not lines[j].raw.strip():  # foot of the page before
                j -= 1
            continue
        if not ln.raw.strip() and start == i:
            j -= 1  # a blank line between question and code (scans)
            continue
        if not ln.raw.strip() or is_boiler(ln):
            break
        if ln.left:
            start = j
        j -= 1
    return start


def paragraph_start(lines, j, lo):
    while j - 1 > lo and lines[j - 1].raw.strip() and not is_boiler(lines[j - 1]):
        j -= 1
    return j


def row_start_text(lines, i, lo, insats):
    """OCR text without columns: code paragraph, plus the instruction and the
    question paragraph(s) before it (a question ends with '?' or ')').
    A handlingsplan row (code inside the instruction, both columns interleaved
    by the OCR) starts right after the table header or the previous code."""
    if insats:
        j = i
        while j - 1 > lo and not is_boiler(lines[j - 1]):
            j -= 1
        return j
    start = paragraph_start(lines, i, lo)
    took_question = False
    for _ in range(4):
        j = start - 1
        while j > lo and not lines[j].raw.strip():
            j -= 1
        if j <= lo or is_boiler(lines[j]):
            break
        p = paragraph_start(lines, j, lo)
        para = " ".join(l.raw.strip() for l in lines[p:j + 1])
        last = lines[j].raw.strip()
        if INSTRUCTION_RE.search(para) and not took_question:
            start = p
            continue
        if not took_question and re.search(r"[?)]\W{0,4}$", last):
            start, took_question = p, True
            continue
        if took_question and not re.search(r"[.!?:)]\W{0,4}$", last) and not ANSWER_RE.search(para):
            start = p
            continue
        break
    return start


def extract_rows(lines, programs, layout):
    codes, headings = find_codes(lines, programs)
    starts = []
    prev = -1
    for i, prog, _ in codes:
        insats = programs[prog]["code_label"] == "insats"
        s = row_start_layout(lines, i, prev) if layout else row_start_text(lines, i, prev, insats)
        s = max(s, prev + 1)
        starts.append(s)
        prev = i
    rows = []
    for n, (i, prog, code) in enumerate(codes):
        s = starts[n]
        end = starts[n + 1] if n + 1 < len(codes) else len(lines)
        # a section heading after the code ends the row
        for h in headings:
            if i < h < end and not HEADER_RE.match(lines[h].raw):
                end = h
                break
        body = [ln for ln in lines[s:end] if not is_boiler(ln)]
        right = "\n".join(ln.right for ln in body)
        # the answer slot: a right-column line that is only Ja/Nej/Delvis;
        # in OCR text (no columns) failing that the first such word
        m = LONE_ANSWER_RE.search(right) or (None if layout else ANSWER_RE.search(right))
        if m:
            answer = m.group(1).lower()
            raw_answer = m.group(0)
            raw_comment = right[m.end():]
        elif layout:  # blank answer slot: the whole column is comment
            answer, raw_answer, raw_comment = None, "", right
        else:  # OCR text: what follows the code's paragraph (the strategy text)
            k = i
            while k < end and lines[k].raw.strip():
                k += 1
            answer, raw_answer = None, ""
            raw_comment = "\n".join(ln.right for ln in lines[k:end] if not is_boiler(ln))
        # the template's instruction goes into no field
        raw_comment = INSTRUCTION_TEXT_RE.sub(" ", raw_comment)
        raw_comment = re.sub(r"^[\s,.;:–-]+", "", raw_comment)
        comment = repair(raw_comment)

        # left column: question before the code line, strategy text from it
        if layout:
            q_lines = [ln.left for ln in lines[s:i] if ln.left and not is_boiler(ln)]
            s_lines = [ln.left for ln in lines[i:end] if ln.left and not is_boiler(ln)]
        else:
            q_lines = [ln.left for ln in lines[s:i] if ln.left and not is_boiler(ln)]
            k = i  # the code's paragraph, and a "Förväntat resultat:" paragraph
            while k < end and lines[k].raw.strip():
                k += 1
            s_lines = [ln.left for ln in lines[i:k]]
            for e in range(k, end):
                if EXPECTED_RE.match(lines[e].raw):
                    f = e
                    while f < end and lines[f].raw.strip():
                        f += 1
                    s_lines += [ln.left for ln in lines[e:f]]
                    break
        raw_question = clean(" ".join(q_lines))
        im = INSTRUCTION_RE.search(raw_question)
        if im:  # the template's instruction is no part of the question
            raw_question = raw_question[:im.start()].strip()
        left_rest = "\n".join(s_lines)
        exp = None
        em = EXPECTED_RE.search(left_rest)
        if em:
            exp = repair(left_rest[em.end():])
            left_rest = left_rest[:em.start()]
        p = programs[prog]
        cat = p["items"].get(code)
        if cat:
            question = cat["question"]
            strategy = cat["strategy_text"]
            expected = cat["expected_result"]
        else:
            question = repair(raw_question) or None
            # handlingsplan rows print no strategy text, only the instruction
            strategy = None if p["code_label"] == "insats" else (repair(left_rest) or None)
            expected = exp
        rows.append({
            "program": prog,
            "area": int(code.split(":")[0]) if p["has_areas"] else None,
            "code": code,
            "question": question,
            "strategy_text": strategy,
            "answer": answer,
            "comment": comment,
            "expected_result": expected,
            "confidence": 1.0,
            "page": lines[s].page,
            "raw": {"question": raw_question, "answer": raw_answer, "comment": clean(raw_comment)},
        })
    return rows, (codes[0][0] if codes else len(lines))


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def administration(lines, first_code, path: Path, adm):
    # title region: the lines before the first programme heading / first row
    title = []
    for ln in lines[:first_code]:
        if PROGRAM_HEADING_RE.match(ln.raw):
            break
        title.append(ln.raw)
    title_text = fold(" ".join(title))
    best = None
    for a in adm:
        names = [a["name"], a.get("board", "")] + list(a.get("aliases", []))
        for nm in names:
            if not nm:
                continue
            if nm.isupper():  # abbreviations: exact case, whole word
                hit = re.search(r"(?<!\w)" + re.escape(nm) + r"(?!\w)", " ".join(title))
            else:
                hit = fold(nm) in title_text
            if hit and (best is None or len(nm) > best[1]):
                best = (a, len(nm))
    if best:
        a = best[0]
        return {"id": a["id"], "name": a["name"], "evidence": "text"}, title
    stem = path.stem.lower()
    prefix = re.split(r"[-_ .]", stem)[0]
    for a in adm:
        if a["id"] == prefix:
            return {"id": a["id"], "name": a["name"], "evidence": "filename"}, title
    return None, title


def period(title_lines, path: Path):
    text = RANGE_RE.sub(" ", " ".join(title_lines))
    m = YEAR_RE.search(text)
    if m:
        return {"year": int(m.group(1)), "evidence": "text"}
    m = YEAR_RE.search(RANGE_RE.sub(" ", path.name))
    if m:
        return {"year": int(m.group(1)), "evidence": "path"}
    return None


def process(path: Path, programs, adm):
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        pages, layer = read_pdf(path)
        fmt, layout = "pdf", True
    else:
        pages, layer = read_text(path), None
        fmt, layout = "text", False
    lines = to_lines(pages, layout)
    rows, first_code = extract_rows(lines, programs, layout)
    adm_obj, title = administration(lines, first_code, path, adm)
    return {
        "schema_version": 1,
        "source": {
            "path": str(path),
            "sha256": hashlib.sha256(data).hexdigest(),
            "format": fmt,
            "text_layer": layer,
            "pages": len(pages),
        },
        "administration": adm_obj,
        "period": period(title, path),
        "items": rows,
        "missing": [],
        "warnings": [],
    }


def inputs(args):
    for a in args:
        p = Path(a)
        if p.is_dir():
            for f in sorted(p.iterdir()):
                if f.is_file() and f.suffix.lower() in (".pdf", ".txt"):
                    yield f
        else:
            yield p


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--catalog", default=str(CATALOG_DIR), help="folder with catalog.toml and administrations.toml")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args(argv)
    programs, adm = load_catalog(Path(args.catalog))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for f in inputs(args.inputs):
        try:
            doc = process(f, programs, adm)
        except Exception as e:  # keep going over a folder
            print(f"{f}: {e}", file=sys.stderr)
            status = 1
            continue
        (out / (f.name + ".json")).write_text(
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
