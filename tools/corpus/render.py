#!/usr/bin/env python3
"""Renders a follow-up report's ground truth (JSON) into the PDFs real reports
look like: the municipal Word template as HTML, a digital PDF printed by
headless Chromium, and a "scanned" PDF (pages rasterised, lightly degraded,
OCR'd by tesseract) with tesseract's plain text beside it.

Python 3.11 standard library only; the work is done by external commands
(Debian packages: see README.md in this folder).

    python3 tools/corpus/render.py TRUTH.json --out-dir DIR --name NAME \
        [--formats html,digital,scan,image] [--lang eng[,swe]] [--seed N]

Outputs, in DIR:
    NAME.html                 the template as HTML            (format html)
    NAME-digital.pdf          Chromium's PDF, digital text    (format digital)
    NAME-scan-LANG.pdf        page images + tesseract text    (format scan, per --lang)
    NAME-scan-LANG.txt        tesseract's plain text, pages joined with \\f
    NAME-scan-image.pdf       page images only, no text layer (format image)

The truth JSON is the contract's report document (items in document order,
each with program, area, code, question, strategy_text, answer, comment,
expected_result). Optional rendering fields, all ignored by the scorer:
    title_line                top level, string or null: a first-page title line
                              ("Uppföljning 2024 – Idrotts- och föreningsförvaltningen")
    render.seed               top level, int: degradation seed (--seed wins)
    render.psm_pages          top level, {"5": 4, ...}: tesseract --psm per page
                              (--psm-pages wins)
    render.psm_programs       top level, {"handlingsplan-2023-2026": 4}: the same for
                              every page of a programme's section
    render.programs           top level, list of program ids to print, in order
                              (default: the catalogue's programmes that have items,
                              in catalogue order)
    comment_paragraphs        per item, list of strings: the comment's paragraphs
                              (joined with one space they must equal `comment`)
    strategy_paragraphs       per item, the same for `strategy_text`
    answer_text               per item, the answer slot as printed ("JA", "Ja, delvis");
                              default Ja/Nej/Delvis/empty from `answer`
`--hints FILE` merges such fields from a second JSON file (same shape: top-level
keys, and `items` matched on program + code) so the truth file stays untouched.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import hashlib
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_CATALOG = REPO / "src" / "catalog" / "catalog.toml"

# A fixed date for everything that embeds one (1 Jan 2024 00:00 UTC).
EPOCH = 1704067200
PDF_DATE = "D:20240101000000Z"

# How each programme's section is laid out in the Word template. The catalogue
# lists the sub-section headings but not which areas sit under which; this
# follows the sample (fixtures/sample/000_a41603a7fe181f4b.txt).
#   groups: (heading index in the catalogue's `headings`, areas under it);
#           areas None = the programme's items, with no area headings.
#   areas_at_level2: the areas are the sub-sections themselves ("2.1 Fokusområde 1").
#   caption: a line printed between the first area heading and its table.
#   rows_break: False = a row is kept on one page (Word's "allow row to break
#           across pages" off), as the sample's handlingsplan tables behave;
#           a row taller than a page still breaks.
LAYOUT = {
    "trygghetsprogram-2022-2026": {"groups": [(0, [1, 2]), (1, [3, 4, 5])]},
    "handlingsplan-2023-2026": {"areas_at_level2": True, "caption": "Insatser",
                                "rows_break": False},
    "tystnadskultur-2023-2025": {"groups": [(0, None)]},
}

ANSWERS = {"ja": "Ja", "nej": "Nej", "delvis": "Delvis", None: ""}

CSS = """
@page { size: A4; margin: 18mm 27mm 18mm 25mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif;
       font-size: 11pt; line-height: 1.15; color: #000; }
p { margin: 0 0 6pt 0; }
.title-line { font-size: 13pt; font-weight: bold; margin: 0 0 22pt 0; }
h1, h2, h3 { font-weight: bold; margin: 0; break-after: avoid; page-break-after: avoid;
             break-inside: avoid; }
h1 { font-size: 26pt; line-height: 1.12; margin: 0 0 18pt 0;
     padding-left: 12mm; text-indent: -12mm; }
h2.empty, h3.empty { break-after: auto; page-break-after: auto; }
h1.new-page { break-before: page; page-break-before: always; }
h2 { font-size: 17pt; line-height: 1.15; margin: 16pt 0 10pt 0;
     padding-left: 14mm; text-indent: -14mm; }
h3 { font-size: 13pt; line-height: 1.2; margin: 14pt 0 8pt 0;
     padding-left: 16mm; text-indent: -16mm; }
h1 .n, h2 .n, h3 .n { display: inline-block; text-indent: 0; }
h1 .n { width: 12mm; } h2 .n { width: 14mm; } h3 .n { width: 16mm; }
.caption { margin: 0 0 6pt 0; break-after: avoid; page-break-after: avoid; }
table { width: calc(100% - 1pt); border-collapse: collapse; table-layout: fixed; margin: 0 0 14pt 0; }
col.left, col.right { width: 50%; }
th, td { border: 0.75pt solid #000; padding: 4pt 5.5pt 1pt 5.5pt; vertical-align: top;
         text-align: left; }
th { font-weight: bold; background: #d9e2f3; padding-bottom: 4pt; }
thead { display: table-header-group; }
tr { break-inside: auto; page-break-inside: auto; }
table.keep-rows tr { break-inside: avoid; page-break-inside: avoid; }
td p { orphans: 2; widows: 2; }
.q { font-weight: bold; }
.nw { white-space: nowrap; }
.answer { min-height: 1em; }
"""


# ---------------------------------------------------------------- inputs

def load_catalog(path: Path) -> dict:
    with open(path, "rb") as f:
        cat = tomllib.load(f)
    return {p["id"]: p for p in cat["program"]}


def merge_hints(truth: dict, hints: dict) -> dict:
    truth = copy.deepcopy(truth)
    for key, value in hints.items():
        if key != "items" and not key.startswith("_"):
            truth[key] = value
    by_key = {(i["program"], i["code"]): i for i in truth["items"]}
    for h in hints.get("items", []):
        item = by_key.get((h["program"], h["code"]))
        if item is None:
            raise SystemExit(f"hints: no item {h['program']}/{h['code']} in the truth")
        item.update({k: v for k, v in h.items() if k not in ("program", "code")})
    return truth


def paragraphs(item: dict, field: str) -> list[str]:
    text = item.get(field)
    paras = item.get(f"{field.removesuffix('_text')}_paragraphs")
    if paras is None:
        return [text] if text else []
    if " ".join(paras) != (text or ""):
        raise SystemExit(
            f"{item['program']}/{item['code']}: {field} paragraphs do not join to {field}")
    return paras


# ---------------------------------------------------------------- HTML

def esc(s: str) -> str:
    return html.escape(s, quote=False)


def heading(level: int, number: str, text: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    # A year span ("2023-2025") is not broken at its hyphen.
    body = re.sub(r"(\d{4}[-–]\d{4})", r'<span class="nw">\1</span>', esc(text))
    return f'<h{level}{c}><span class="n">{esc(number)}</span>{body}</h{level}>\n'


def left_cell(prog: dict, cat_item: dict | None, item: dict) -> list[str]:
    out = [f'<p class="q">{esc(item["question"])}</p>']
    out += [f"<p>{esc(p)}</p>" for p in paragraphs(item, "strategy_text")]
    if prog.get("code_label") == "insats":
        instr = (cat_item or {}).get("instruction") or (
            "Genomförs aktiviteter i enlighet med utdelat ansvar för att uppfylla "
            f"målet med insats {item['code']}.")
        out.append(f"<p>{esc(instr)}</p>")
    if item.get("expected_result"):
        out.append(f"<p>Förväntat resultat: {esc(item['expected_result'])}</p>")
    return out


def right_cell(item: dict) -> list[str]:
    ans = item.get("answer_text")
    if ans is None:
        ans = ANSWERS[item.get("answer")]
    out = [f'<p class="answer">{esc(ans) if ans else "&nbsp;"}</p>']
    out += [f"<p>{esc(p)}</p>" for p in paragraphs(item, "comment")]
    return out


def table(prog: dict, items: list[dict], rows_break: bool = True,
          order: list[int] | None = None, all_items: list[dict] | None = None,
          extra_classes: list[str] | None = None) -> str:
    cat_items = {i["code"]: i for i in prog.get("item", [])}
    rows = []
    for it in items:
        if order is not None:
            order.append(next(k for k, x in enumerate(all_items) if x is it))
        left = "".join(left_cell(prog, cat_items.get(it["code"]), it))
        right = "".join(right_cell(it))
        rows.append(f"<tr><td>{left}</td><td>{right}</td></tr>")
    classes = ([] if rows_break else ["keep-rows"]) + (extra_classes or [])
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return (f'<table{cls}><colgroup><col class="left"><col class="right"></colgroup>\n'
            "<thead><tr><th>Uppföljningsfrågor</th><th>Svarsalternativ med kommentar</th>"
            "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n")


def area_title(prog: dict, number: int) -> str:
    areas = {a["number"]: a["title"] for a in prog.get("area", [])}
    title = areas.get(number)
    label = f"{prog['area_label']} {number}"
    return f"{label}: {title}" if title else label


def programs_to_print(truth: dict, catalog: dict) -> list[str]:
    wanted = (truth.get("render") or {}).get("programs")
    if wanted is None:
        present = {it["program"] for it in truth["items"]}
        wanted = [pid for pid in catalog if pid in present]
    return wanted


def printed_title(prog: dict) -> str:
    return (prog.get("printed_titles") or [prog["title"]])[0]


def build_html(truth: dict, catalog: dict) -> tuple[str, list[int]]:
    """The report as HTML, and the indexes of truth["items"] in the order
    their rows are printed (document order)."""
    items = truth["items"]
    order: list[int] = []
    for it in items:
        if it["program"] not in catalog:
            raise SystemExit(f"unknown program {it['program']!r} (not in the catalogue)")
    wanted = programs_to_print(truth, catalog)
    body = []
    if truth.get("title_line"):
        body.append(f'<p class="title-line">{esc(truth["title_line"])}</p>\n')
    for s, pid in enumerate(wanted, start=1):
        prog = catalog[pid]
        layout = LAYOUT.get(pid, {})
        pitems = [it for it in items if it["program"] == pid]
        title = printed_title(prog)
        body.append(heading(1, str(s), title, "new-page" if s > 1 else ""))
        has_areas = bool(prog.get("area_label"))

        def area_numbers(restrict=None):
            nums = sorted({a["number"] for a in prog.get("area", [])}
                          | {it["area"] for it in pitems if it.get("area") is not None})
            if restrict is not None:
                nums = [n for n in nums if n in restrict]
            return nums

        def in_area(n):
            return [it for it in pitems if it.get("area") == n]

        caption = layout.get("caption")
        if has_areas and layout.get("areas_at_level2"):
            for j, n in enumerate(area_numbers(), start=1):
                rows = in_area(n)
                # An area with no rows is not kept with what follows (the
                # sample's fokusområde 2 heading ends its page).
                body.append(heading(2, f"{s}.{j}", area_title(prog, n),
                                    "" if rows else "empty"))
                if rows:
                    if caption:
                        body.append(f'<p class="caption">{esc(caption)}</p>\n')
                        caption = None
                    body.append(table(prog, rows, layout.get("rows_break", True),
                                      order, items, layout.get("table_classes")))
            continue
        groups = layout.get("groups") or [(None, None)]
        headings = prog.get("headings", [])
        seen_areas: set = set()
        for g, (hidx, areas) in enumerate(groups, start=1):
            if hidx is not None and hidx < len(headings):
                body.append(heading(2, f"{s}.{g}", headings[hidx]))
                prefix = f"{s}.{g}"
            else:
                prefix = f"{s}"
            if not has_areas or areas is None:
                if pitems:
                    body.append(table(prog, pitems, True, order, items))
                continue
            # Areas named in no group (unknown areas) go under the last group.
            nums = area_numbers(areas) if g < len(groups) else [
                n for n in area_numbers() if n not in seen_areas]
            for k, n in enumerate(nums, start=1):
                seen_areas.add(n)
                rows = in_area(n)
                body.append(heading(3, f"{prefix}.{k}", area_title(prog, n),
                                    "" if rows else "empty"))
                if rows:
                    body.append(table(prog, rows, True, order, items))
    doc_title = truth.get("title_line") or "Uppföljning"
    skipped = [f"{it['program']}/{it['code']}" for k, it in enumerate(items) if k not in order]
    if skipped:
        print(f"warning: not printed (programme left out by render.programs): "
              f"{', '.join(skipped)}", file=sys.stderr)
    return ("<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{esc(doc_title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "".join(body) + "</body>\n</html>\n", order)


# ---------------------------------------------------------------- commands

def env() -> dict:
    e = dict(os.environ)
    e.update({"SOURCE_DATE_EPOCH": str(EPOCH), "TZ": "UTC", "LC_ALL": "C.UTF-8",
              "OMP_THREAD_LIMIT": "1",
              # Pages run in parallel (--jobs): one thread each.
              "MAGICK_THREAD_LIMIT": "1"})
    return e


VERBOSE = False


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    t0 = time.monotonic()
    r = subprocess.run(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if VERBOSE:
        print(f"[{time.monotonic() - t0:6.2f}s] {Path(cmd[0]).name} "
              f"{' '.join(c for c in cmd[1:] if not c.startswith('/'))[:90]}", file=sys.stderr)
    if r.returncode != 0:
        raise SystemExit(f"command failed ({r.returncode}): {' '.join(cmd)}\n"
                         f"{r.stderr.decode(errors='replace')[-2000:]}")
    return r


def find_tool(*names: str) -> str:
    for n in names:
        p = shutil.which(n)
        # /usr/local/bin/convert on the project's machines is a stand-in that only
        # converts PNG for the file viewer: prefer ImageMagick's own binaries.
        if p and not _is_stand_in(p):
            return p
    raise SystemExit(f"none of {names} found: see tools/corpus/README.md for the packages")


def _is_stand_in(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return b"Stands in for ImageMagick" in f.read(600)
    except OSError:
        return False


def check_font() -> None:
    """The layout (line breaks, pages) depends on the font's metrics: without
    Liberation Sans Chromium falls back to another sans and pages move."""
    try:
        r = subprocess.run(["fc-match", "Liberation Sans"], capture_output=True, text=True)
        ok = "LiberationSans" in r.stdout
    except OSError:
        ok = False
    if not ok:
        print("warning: font Liberation Sans not found (apt-get install fonts-liberation): "
              "line breaks and pages will differ from the committed fixtures", file=sys.stderr)


def chromium_pdf(html_path: Path, out: Path, work: Path) -> None:
    profile = Path(tempfile.mkdtemp(dir=work, prefix="profile-"))
    run([find_tool("chromium", "chromium-browser", "google-chrome"),
         "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--font-render-hinting=none",
         f"--user-data-dir={profile}", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", html_path.as_uri()])
    shutil.rmtree(profile, ignore_errors=True)
    if not out.exists():
        raise SystemExit("chromium wrote no PDF")


def item_pages(pdf: Path, items: list[dict]) -> list[int | None]:
    """The page where each item's row starts: the first words of its question,
    looked for in document order in pdftotext's reading-order text."""
    return find_pages(pdf, [" ".join(it["question"].split()[:4]) for it in items])


def find_pages(pdf: Path, keys: list[str]) -> list[int | None]:
    """The page of each key, looked for in order in the PDF's text."""
    r = run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"])
    pages = r.stdout.decode("utf-8").split("\f")
    stream, starts = "", []
    for text in pages:
        starts.append(len(stream))
        stream += " ".join(text.split()) + " "
    found, cursor = [], 0
    for key in keys:
        k = stream.find(key, cursor)
        if k < 0:
            found.append(None)
            continue
        cursor = k + len(key)
        found.append(sum(1 for s in starts if s <= k))
    return found


def fix_pdf_dates(path: Path) -> None:
    """Overwrites /CreationDate and /ModDate strings with a fixed date of the
    same length when they sit in uncompressed objects (Chromium's Info dict)."""
    data = path.read_bytes()

    def repl(m: re.Match) -> bytes:
        old = m.group(2)
        new = PDF_DATE.encode()
        new = (new + b"0" * len(old))[:len(old)] if len(new) < len(old) else new[:len(old)]
        return m.group(1) + new + b")"

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)\)", repl, data)
    path.write_bytes(data)


def qpdf_normalise(src: Path, out: Path) -> None:
    """Rewrites with qpdf: deterministic /ID, object streams, compressed."""
    run(["qpdf", "--deterministic-id", "--object-streams=generate",
         "--compress-streams=y", "--recompress-flate", "--compression-level=9",
         str(src), str(out)])


# ---------------------------------------------------------------- scanning

# Degradation levels: rotation (degrees, either sign), Gaussian noise
# (ImageMagick -attenuate), blur sigma (pixels at the scan resolution).
DEGRADE = {
    "none": ((0.0, 0.0), (0.0, 0.0), (0.0, 0.0)),
    "light": ((0.3, 0.8), (0.15, 0.3), (0.35, 0.6)),
    "heavy": ((0.6, 1.4), (0.4, 0.7), (0.6, 0.9)),
}


def page_params(seed: int, page: int, level: str) -> dict:
    """The degradation of one page, drawn from (seed, page) alone."""
    rng = random.Random(f"uppfoljning-scan/{seed}/{page}")
    (a0, a1), (n0, n1), (b0, b1) = DEGRADE[level]
    angle = rng.uniform(a0, a1) * rng.choice((-1, 1))
    still = level == "none"
    return {
        "angle": round(angle, 3),
        "noise": round(rng.uniform(n0, n1), 3),
        "blur": round(rng.uniform(b0, b1), 3),
        # Where the paper sat on the glass: a shift of a few pixels.
        "dx": 0 if still else rng.randint(-8, 8),
        "dy": 0 if still else rng.randint(-8, 8),
        # Paper tone: white point a little below 255 (grey scans).
        "white": 255 if still else rng.randint(236, 250),
        # Black/white cut for bilevel scans, in % of white.
        "threshold": 55 if still else rng.randint(50, 62),
        "im_seed": rng.randint(1, 2**31 - 1),
    }


def degrade(convert: str, src: Path, out_png: Path, p: dict, dpi: int) -> None:
    # (PGM in and out: PNG compression made this step twice as slow.)
    """Page image as the scanner saw it: 8-bit grey, tilted, shifted,
    slightly blurred, grainy, on off-white paper."""
    cmd = [convert, str(src), "-colorspace", "Gray", "-background", "white"]
    if p["angle"]:
        # Bilinear lookup: a third of the time of the default EWA filter.
        cmd += ["-interpolate", "Bilinear", "-filter", "Point",
                "+distort", "SRT", f"{p['angle']}", "+repage", "+filter"]
    # Back to the page size, shifted as the paper sat on the glass.
    w, h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    cmd += ["-gravity", "center", "-extent", f"{w}x{h}{p['dx']:+d}{p['dy']:+d}", "+repage"]
    if p["blur"]:
        cmd += ["-blur", f"0x{p['blur']}"]
    if p["noise"]:
        cmd += ["-seed", str(p["im_seed"]), "-attenuate", str(p["noise"]),
                "+noise", "Gaussian"]
    cmd += ["+level", f"0%,{p['white'] / 2.55:.2f}%", "-depth", "8",
            "-density", str(dpi), "-units", "PixelsPerInch", "-strip", f"pgm:{out_png}"]
    run(cmd)


def to_bilevel(convert: str, src: Path, out: Path, dpi: int, threshold: int) -> None:
    """A black-and-white scan: CCITT G4 TIFF, which tesseract and img2pdf
    embed as is."""
    run([convert, str(src), "-threshold", f"{threshold}%", "-type", "Bilevel",
         "-density", str(dpi), "-units", "PixelsPerInch", "-compress", "Group4",
         "-define", "tiff:rows-per-strip=100000", "-strip", f"tiff:{out}"])


def to_jpeg(convert: str, src: Path, out: Path, src_dpi: int, dpi: int, quality: int) -> None:
    """A grey JPEG of the page at `dpi` (downsampled from `src_dpi`)."""
    cmd = [convert, str(src), "-colorspace", "Gray"]
    if dpi != src_dpi:
        cmd += ["-filter", "Triangle", "-resize", f"{100 * dpi / src_dpi:.4f}%"]
    cmd += ["-density", str(dpi), "-units", "PixelsPerInch", "-sampling-factor", "1x1",
            "-interlace", "none", "-strip", "-quality", str(quality), f"jpeg:{out}"]
    run(cmd)


def rasterise(pdf: Path, work: Path, dpi: int) -> list[Path]:
    run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(work / "raw")])
    pages = sorted(work.glob("raw-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))
    if not pages:
        raise SystemExit("pdftoppm gave no pages")
    return pages


def merge_pdfs(parts: list[Path], out: Path) -> None:
    tmp = out.with_name(out.name + ".merge.pdf")
    # --deterministic-id at every qpdf step: a later run keeps the first half
    # of an /ID it finds, so a random one here would survive.
    run(["qpdf", "--deterministic-id", "--empty", "--pages"] + [str(p) for p in parts]
        + ["--", str(tmp)])
    qpdf_normalise(tmp, out)
    tmp.unlink()


def program_page_ranges(pdf: Path, truth: dict, catalog: dict) -> dict[str, range]:
    """The pages of each printed programme (each starts on a new page)."""
    ids = programs_to_print(truth, catalog)
    keys = [" ".join(printed_title(catalog[pid]).split()[:3]) for pid in ids]
    starts = find_pages(pdf, keys)
    r = run(["pdfinfo", str(pdf)])
    npages = int(re.search(rb"Pages:\s+(\d+)", r.stdout)[1])
    out = {}
    for k, pid in enumerate(ids):
        if starts[k] is None:
            continue
        end = next((s for s in starts[k + 1:] if s is not None), npages + 1)
        out[pid] = range(starts[k], end)
    return out


def parse_psm(specs: list[str]) -> dict[int, int]:
    """["5-6:4", "8:6"] -> {5: 4, 6: 4, 8: 6}"""
    out = {}
    for spec in specs:
        m = re.fullmatch(r"(\d+)(?:-(\d+))?:(\d+)", spec.strip())
        if not m:
            raise SystemExit(f"--psm-pages {spec!r}: expected PAGE[-PAGE]:PSM, e.g. 5-6:4")
        lo, hi, psm = int(m[1]), int(m[2] or m[1]), int(m[3])
        out.update({p: psm for p in range(lo, hi + 1)})
    return out


def scan(digital: Path, work: Path, out_dir: Path, name: str, langs: list[str],
         image_only: bool, seed: int, level: str, mode: str, dpi: int,
         embed_dpi: int, jpeg_quality: int, jobs: int,
         psm_pages: dict[int, int] | None = None) -> list[Path]:
    """mode "bw": bilevel G4 pages at `dpi`, OCR'd and embedded as they are
    (tesseract's own PDF). mode "gray": OCR on the grey page at `dpi`; the
    page image embedded is a JPEG at `embed_dpi`, under tesseract's text-only
    PDF (qpdf --underlay)."""
    convert = find_tool("convert-im6.q16", "convert", "magick")
    work = work / "scan"
    work.mkdir()
    raw = rasterise(digital, work, dpi)
    produced = []

    def prepare(i: int) -> tuple[Path, Path]:
        """(image tesseract reads, image shown on the page)"""
        page = i + 1
        params = page_params(seed, page, level)
        png = work / f"deg-{page:03d}.pgm"
        degrade(convert, raw[i], png, params, dpi)
        if mode == "bw":
            tif = work / f"scan-{page:03d}.tif"
            to_bilevel(convert, png, tif, dpi, params["threshold"])
            return tif, tif
        jpg = work / f"scan-{page:03d}.jpg"
        to_jpeg(convert, png, jpg, dpi, embed_dpi, jpeg_quality)
        return png, jpg

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        images = list(pool.map(prepare, range(len(raw))))

    image_pdfs: list[Path] = []
    if mode == "gray" or image_only:
        for i, (_, shown) in enumerate(images):
            ip = work / f"image-{i + 1:03d}.pdf"
            run(["img2pdf", "--creationdate", "2024-01-01T00:00:00Z",
                 "--moddate", "2024-01-01T00:00:00Z", "--producer", "",
                 "--engine", "internal", "-o", str(ip), str(shown)])
            image_pdfs.append(ip)

    for lang in langs:
        def ocr(i: int) -> tuple[Path, str]:
            base = work / f"ocr-{lang}-{i + 1:03d}"
            cmd = ["tesseract", str(images[i][0]), str(base), "-l", lang, "--dpi", str(dpi)]
            if psm_pages and i + 1 in psm_pages:
                cmd += ["--psm", str(psm_pages[i + 1])]
            if mode == "gray":
                cmd += ["-c", "textonly_pdf=1"]
            run(cmd + ["pdf", "txt"])
            text = base.with_suffix(".txt").read_text(encoding="utf-8")
            pdf = base.with_suffix(".pdf")
            if mode == "gray":
                both = base.with_name(base.name + "-page.pdf")
                run(["qpdf", "--deterministic-id", str(pdf), "--underlay",
                     str(image_pdfs[i]), "--", str(both)])
                pdf = both
            # tesseract ends each page's text with a form feed.
            return pdf, text.rstrip("\f")

        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            results = list(pool.map(ocr, range(len(images))))
        pdf_out = out_dir / f"{name}-scan-{lang}.pdf"
        merge_pdfs([r[0] for r in results], pdf_out)
        txt_out = out_dir / f"{name}-scan-{lang}.txt"
        txt_out.write_text("\f".join(r[1] for r in results), encoding="utf-8")
        produced += [pdf_out, txt_out]

    if image_only:
        out = out_dir / f"{name}-scan-image.pdf"
        merge_pdfs(image_pdfs, out)
        produced.append(out)
    return produced


# ---------------------------------------------------------------- main

def report_pages(items: list[dict], pages: list[int | None]) -> None:
    """Warns where the truth's `page` differs from the rendered one."""
    for it, got in zip(items, pages):
        where = f"{it['program']}/{it['code']}"
        if got is None:
            print(f"warning: {where}: question not found in the rendered PDF", file=sys.stderr)
        elif it.get("page") is not None and it["page"] != got:
            print(f"note: {where}: truth says page {it['page']}, rendered on page {got}",
                  file=sys.stderr)


def write_truth(src: Path, out: Path, order: list[int], pages: list[int | None]) -> None:
    """The truth as read (no hints merged), items in printed order, pages set."""
    truth = json.loads(src.read_text(encoding="utf-8"))
    items = [truth["items"][k] for k in order]
    for it, got in zip(items, pages):
        it["page"] = got
    truth["items"] = items
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def default_seed(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("truth", type=Path, help="ground-truth JSON of one report")
    ap.add_argument("--out-dir", type=Path, required=True)
    ap.add_argument("--name", required=True, help="output file prefix")
    ap.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG)
    ap.add_argument("--hints", type=Path, help="JSON of rendering fields merged into the truth")
    ap.add_argument("--formats", default="digital,scan",
                    help="comma list of html, digital, scan, image (default digital,scan)")
    ap.add_argument("--lang", default="eng",
                    help="tesseract model(s) for the scan, comma list: eng, swe (default eng)")
    ap.add_argument("--seed", type=int, help="degradation seed (default: render.seed, "
                    "else a hash of --name)")
    ap.add_argument("--degrade", choices=sorted(DEGRADE), default="light")
    ap.add_argument("--scan-mode", choices=("bw", "gray"), default="bw",
                    help="bw: black-and-white G4 pages (default, small); gray: grey "
                    "JPEG pages at --embed-dpi")
    ap.add_argument("--dpi", type=int, default=200,
                    help="scan (and OCR) resolution (default 200)")
    ap.add_argument("--embed-dpi", type=int, default=100,
                    help="gray mode: resolution of the page JPEGs embedded (default 100)")
    ap.add_argument("--jpeg-quality", type=int, default=25,
                    help="gray mode: JPEG quality of the embedded pages (default 25)")
    ap.add_argument("--psm-pages", action="append", default=[], metavar="PAGES:PSM",
                    help="tesseract page segmentation mode for some pages, e.g. 5-6:4 "
                    "(4 = one column: the two table columns come out interleaved line "
                    "by line, as on the sample's pages 5-6); repeatable; default: "
                    "render.psm_pages, else tesseract's automatic layout (3)")
    ap.add_argument("--psm-program", action="append", default=[], metavar="PROGRAM:PSM",
                    help="the same for all pages of a programme's section, e.g. "
                    "handlingsplan-2023-2026:4; default: render.psm_programs")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--truth-out", type=Path,
                    help="write the truth here with each item's `page` set to the page "
                    "where its row starts in the rendered PDF (rendering fields left out)")
    ap.add_argument("--keep-work", action="store_true", help="keep the temporary folder")
    ap.add_argument("-v", "--verbose", action="store_true", help="log each command and its time")
    a = ap.parse_args(argv)

    global VERBOSE
    VERBOSE = a.verbose
    formats = {f.strip() for f in a.formats.split(",") if f.strip()}
    bad = formats - {"html", "digital", "scan", "image"}
    if bad:
        ap.error(f"unknown format(s): {', '.join(sorted(bad))}")
    langs = [l.strip() for l in a.lang.split(",") if l.strip()]

    truth = json.loads(a.truth.read_text(encoding="utf-8"))
    if a.hints:
        truth = merge_hints(truth, json.loads(a.hints.read_text(encoding="utf-8")))
    catalog = load_catalog(a.catalog)
    seed = a.seed if a.seed is not None else (truth.get("render") or {}).get(
        "seed", default_seed(a.name))

    hints = truth.get("render") or {}
    psm_pages = parse_psm(a.psm_pages) if a.psm_pages else {
        int(k): int(v) for k, v in (hints.get("psm_pages") or {}).items()}
    psm_programs = dict(hints.get("psm_programs") or {})
    for spec in a.psm_program:
        pid, _, psm = spec.rpartition(":")
        if not pid or not psm.isdigit():
            ap.error(f"--psm-program {spec!r}: expected PROGRAM:PSM")
        psm_programs[pid] = int(psm)

    a.out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="uppf-render-"))
    produced: list[Path] = []
    try:
        doc, order = build_html(truth, catalog)
        printed = [truth["items"][k] for k in order]
        html_path = work / f"{a.name}.html"
        html_path.write_text(doc, encoding="utf-8")
        if "html" in formats:
            out = a.out_dir / f"{a.name}.html"
            shutil.copyfile(html_path, out)
            produced.append(out)
        if formats & {"digital", "scan", "image"}:
            check_font()
            raw_pdf = work / "chromium.pdf"
            chromium_pdf(html_path, raw_pdf, work)
            fix_pdf_dates(raw_pdf)
            digital = work / "digital.pdf"
            qpdf_normalise(raw_pdf, digital)
            pages = item_pages(digital, printed)
            report_pages(printed, pages)
            if a.truth_out:
                write_truth(a.truth, a.truth_out, order, pages)
            if "digital" in formats:
                out = a.out_dir / f"{a.name}-digital.pdf"
                shutil.copyfile(digital, out)
                produced.append(out)
            if psm_programs:
                ranges = program_page_ranges(digital, truth, catalog)
                for pid, psm in psm_programs.items():
                    for page in ranges.get(pid, ()):
                        psm_pages.setdefault(page, psm)
            if formats & {"scan", "image"}:
                produced += scan(digital, work, a.out_dir, a.name,
                                 langs if "scan" in formats else [], "image" in formats,
                                 seed, a.degrade, a.scan_mode, a.dpi, a.embed_dpi,
                                 a.jpeg_quality, a.jobs, psm_pages)
    finally:
        if a.keep_work:
            print(f"work folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    for p in produced:
        print(f"{p}\t{p.stat().st_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
