#!/usr/bin/env python3
"""The dev variants `first-template-skew-scan-eng*`: the FIRST generator's
digital PDFs (corpus/digital, dev reports only) scanned with a strong tilt,
1.0-2.0 degrees either way, and otherwise like the dev grid-mild group of
build.py (300 dpi, 1 bit, mild blur and noise), then OCR'd by tesseract
`-l eng --psm 3` (`first-template-skew-scan-eng`, PDF with an invisible text
layer; `first-template-skew-scan-eng-txt`, plain text, pages joined by form
feeds).

This isolates the skew class: the tilt of the held-out harsh band, without its
low resolution, JPEG and grey paper, and on another producer than the
held-out reports (the first generator's Chromium PDFs, not LibreOffice). The
tool's deskewing is developed on it; harsh-scan-eng* only judge it.

Uses the dev reports of corpus/truth from the 9th on (sorted stems), so they
differ from the first-template-open ones. The drawn scan parameters go to
<out>/first-template-skew-scan-params.json.

    python3 tools/corpus2/first_template_skew.py [--out corpus2] [--jobs 2] [stem ...]
"""
import argparse
import glob
import json
import os
import shutil
import sys
import tempfile
import time
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scan  # noqa: E402
from build import SCANS, normalize_pdf  # noqa: E402
from first_template_open import dev_stems, log  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GROUP = "first-template-skew"  # seeds the scan's random draws
# grid-mild's degradation with the harsh band's tilt
PROFILE = dict({k: v for k, v in SCANS["grid-mild"].items() if k not in ("source", "passes")},
               skew=(1.0, 2.0))
PASSES = [("eng", 3, {"pdf": "first-template-skew-scan-eng",
                      "txt": "first-template-skew-scan-eng-txt"})]


def stems_after_open():
    """The dev stems first_template_open.py does not use."""
    taken = set(dev_stems())
    rest = []
    for f in sorted(glob.glob(os.path.join(ROOT, "corpus", "truth", "*.json"))):
        t = json.load(open(f, encoding="utf-8"))
        if t.get("split") == "dev" and t["stem"] not in taken:
            rest.append(t["stem"])
    return sorted(rest)


def scan_job(args):
    stem, out, work = args
    t0 = time.time()
    wd = os.path.join(work, stem)
    os.makedirs(wd)
    listfile, pages, info = scan.scan_pages(os.path.join(ROOT, "corpus", "digital", stem + ".pdf"),
                                            wd, GROUP, stem, PROFILE)
    for lang, psm, outs in PASSES:
        base = os.path.join(wd, f"ocr-{lang}-{psm}")
        scan.ocr(listfile, base, lang, psm, ["pdf", "txt"])
        normalize_pdf(base + ".pdf", os.path.join(out, outs["pdf"], stem + ".pdf"))
        shutil.copyfile(base + ".txt", os.path.join(out, outs["txt"], stem + ".txt"))
    shutil.rmtree(wd)
    return stem, len(pages), round(time.time() - t0, 1), info


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "corpus2"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("stems", nargs="*")
    a = ap.parse_args()
    stems = a.stems or stems_after_open()
    t0 = time.time()
    for v in [v for _, _, outs in PASSES for v in outs.values()]:
        os.makedirs(os.path.join(a.out, v), exist_ok=True)
    params = {}
    with tempfile.TemporaryDirectory(prefix="corpus2-skew-") as work:
        with Pool(a.jobs) as pool:
            for stem, n, secs, info in pool.imap_unordered(scan_job, [(s, a.out, work) for s in stems]):
                log(f"scan {GROUP} {stem}: {n} pages, {secs} s")
                params[stem] = info
    if not a.stems:
        with open(os.path.join(a.out, GROUP + "-scan-params.json"), "w") as f:
            json.dump(params, f, indent=1, sort_keys=True)
    log(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
