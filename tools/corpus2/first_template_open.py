#!/usr/bin/env python3
"""The dev variants `first-template-open*`: the FIRST generator's HTML
(tools/corpus/render.py --formats html) with every table border and the
header shading removed and a wider gap between the two columns, printed by
headless Chromium (`first-template-open`), then scanned like the dev
grid-mild group of build.py (300 dpi, 1 bit, mild skew) and OCR'd by
tesseract `-l eng --psm 3` (`first-template-open-scan-eng`, PDF;
`first-template-open-scan-eng-txt-psm3`, plain text, pages joined by form
feeds). Without rules tesseract's page layout analysis reads the two-column
table as column blocks (the left cells of several rows, then the right cells
of the same rows), so the tool's column-block handling can be developed
without looking at held-out variants.

Uses the first 8 dev reports of corpus/truth (split "dev", stems sorted).
The drawn scan parameters go to <out>/first-template-open-scan-params.json.

    python3 tools/corpus2/first_template_open.py [--out corpus2] [--jobs 2] [stem ...]
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scan  # noqa: E402
from build import SCANS, normalize_pdf, print_pdf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
N_STEMS = 8
DIGITAL = "first-template-open"
GROUP = "first-template-open"  # seeds the scan's random draws
# the dev grid-mild degradation (300 dpi bw, skew 0.1-0.5 deg, same blur/noise/threshold/shift)
PROFILE = {k: v for k, v in SCANS["grid-mild"].items() if k not in ("source", "passes")}
PASSES = [("eng", 3, {"pdf": "first-template-open-scan-eng",
                      "txt": "first-template-open-scan-eng-txt-psm3"})]
# no rules, no header shading, a wide gutter between the columns
OPEN_CSS = """<style>
table, thead, tbody, tr, th, td { border: none !important; background: none !important; }
th:first-child, td:first-child { padding-right: 14pt !important; }
th:last-child, td:last-child { padding-left: 14pt !important; }
</style>
"""


def dev_stems():
    stems = []
    for f in sorted(glob.glob(os.path.join(ROOT, "corpus", "truth", "*.json"))):
        t = json.load(open(f, encoding="utf-8"))
        if t.get("split") == "dev":
            stems.append(t["stem"])
    return sorted(stems)[:N_STEMS]


def open_html(html):
    """The override goes last in <head>, after the template's own style."""
    i = html.index("</head>")
    return html[:i] + OPEN_CSS + html[i:]


def render(stem, out, work):
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "corpus", "render.py"),
                    os.path.join(ROOT, "corpus", "truth", stem + ".json"),
                    "--out-dir", work, "--name", stem, "--formats", "html"],
                   check=True, stdout=subprocess.DEVNULL)
    html = open_html(open(os.path.join(work, stem + ".html"), encoding="utf-8").read())
    page = os.path.join(work, stem + ".open.html")
    open(page, "w", encoding="utf-8").write(html)
    raw = os.path.join(work, stem + ".pdf")
    print_pdf(page, raw, os.path.join(work, "profile"))
    normalize_pdf(raw, os.path.join(out, DIGITAL, stem + ".pdf"))


def scan_job(args):
    stem, out, work = args
    t0 = time.time()
    wd = os.path.join(work, "scan", stem)
    os.makedirs(wd)
    listfile, pages, info = scan.scan_pages(os.path.join(out, DIGITAL, stem + ".pdf"), wd,
                                            GROUP, stem, PROFILE)
    for lang, psm, outs in PASSES:
        base = os.path.join(wd, f"ocr-{lang}-{psm}")
        scan.ocr(listfile, base, lang, psm, [f for f in ("pdf", "txt") if f in outs])
        if "pdf" in outs:
            normalize_pdf(base + ".pdf", os.path.join(out, outs["pdf"], stem + ".pdf"))
        if "txt" in outs:
            shutil.copyfile(base + ".txt", os.path.join(out, outs["txt"], stem + ".txt"))
    shutil.rmtree(wd)
    return stem, len(pages), round(time.time() - t0, 1), info


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "corpus2"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-scan", action="store_true")
    ap.add_argument("stems", nargs="*")
    a = ap.parse_args()
    stems = a.stems or dev_stems()
    t0 = time.time()
    for v in [DIGITAL] + [v for _, _, outs in PASSES for v in outs.values()]:
        os.makedirs(os.path.join(a.out, v), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="corpus2-open-") as work:
        for stem in stems:
            render(stem, a.out, work)
        log(f"{DIGITAL}: {len(stems)} reports")
        if a.no_scan:
            return
        params = {}
        with Pool(a.jobs) as pool:
            for stem, n, secs, info in pool.imap_unordered(scan_job, [(s, a.out, work) for s in stems]):
                log(f"scan {GROUP} {stem}: {n} pages, {secs} s")
                params[stem] = info
        if not a.stems:
            # the drawn angle, blur and noise of every page (not in a variant's directory)
            with open(os.path.join(a.out, GROUP + "-scan-params.json"), "w") as f:
                json.dump(params, f, indent=1, sort_keys=True)
    log(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
