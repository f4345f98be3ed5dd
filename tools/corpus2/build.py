"""Build corpus2: every variant of the 12 selected reports.

usage: build.py [--out DIR] [--jobs N] [--only digital|scan|all] [stem ...]

Digital producers run first (LibreOffice once for all .docx files, Chromium
once per HTML page), then the scan groups, each a (source PDF, degradation
profile) with one or more OCR passes; each pass writes one or two variants.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402
import make_docx  # noqa: E402
import make_html  # noqa: E402
import scan  # noqa: E402

# ---- digital producers ------------------------------------------------------
DOCX_STYLES = {
    # dev: the plainest Word-like document
    "docx-grid": dict(font="Liberation Serif", heading_font="Liberation Sans", size=11,
                      borders="grid", cover=True, footer=True, header_fill="E7E6E6",
                      col_ratio=0.5, all_areas=True),
    # heldout: rules between rows only, Carlito 12 pt, page header, soft hyphens
    # (LibreOffice turns those at line ends into visible hyphens and drops the rest)
    "docx-rows": dict(font="Carlito", size=12, borders="rows", cover=False, footer=True,
                      header_text=True, col_ratio=0.44, shy=True, nbsp=True,
                      heading_color="000000", all_areas=False, space_after=2),
    # heldout: no borders at all, DejaVu Sans 10 pt, programmes run on without page breaks
    "docx-plain": dict(font="DejaVu Sans", size=10, borders="none", cover=True, footer=True,
                       col_ratio=0.5, program_page_break=False, heading_color="2E5496",
                       all_areas=True, caption_bold=True, line_spacing=1.1),
}
HTML_STYLES = {
    "browser-shy": dict(font="DejaVu Serif", size=10.5, borders="rows", shy=True, nbsp=True,
                        zwsp=True, all_areas=False),
}

# ---- scan groups ------------------------------------------------------------
# profile ranges: skew degrees (sign drawn separately), blur sigma px, noise
# attenuation, bw threshold %, JPEG quality.
SCANS = {
    "grid-mild": dict(source="docx-grid", dpi=300, mode="bw", skew=(0.1, 0.5), blur=(0.5, 0.8),
                      noise=(0.2, 0.4), threshold=(55, 62), shift=12,
                      passes=[("eng", 3, {"pdf": "docx-grid-scan-eng", "txt": "docx-grid-scan-eng-txt-psm3"}),
                              ("eng", 4, {"txt": "docx-grid-scan-eng-txt-psm4"})]),
    "rows-200": dict(source="docx-rows", dpi=200, mode="gray", skew=(0.3, 1.0), blur=(0.3, 0.6),
                     noise=(0.1, 0.2), jpeg=(35, 45), shift=10, level=((4, 10), (86, 90)),
                     passes=[("eng", 1, {"pdf": "docx-rows-scan-eng", "txt": "docx-rows-scan-eng-txt-psm1"}),
                             ("eng", 6, {"txt": "docx-rows-scan-eng-txt-psm6"})]),
    "harsh": dict(source="docx-rows", dpi=[150, 200], mode="gray", skew=(1.0, 2.0), blur=(0.6, 0.9),
                  noise=(0.4, 0.6), jpeg=(25, 30), shift=20, level=((8, 16), (94, 97)),
                  passes=[("eng", 3, {"pdf": "harsh-scan-eng", "txt": "harsh-scan-eng-txt"})]),
    "plain-swe": dict(source="docx-plain", dpi=200, mode="bw", skew=(0.2, 0.8), blur=(0.4, 0.7),
                      noise=(0.2, 0.4), threshold=(52, 60), shift=10,
                      passes=[("swe", 3, {"pdf": "docx-scan-swe", "txt": "docx-scan-swe-txt"})]),
}

FIXED_DATE = b"20240301090000"


def normalize_pdf(src, dst):
    """Fixed dates (same length, so offsets stay valid), then qpdf with a
    deterministic /ID."""
    data = open(src, "rb").read()
    data = re.sub(rb"D:\d{14}", b"D:" + FIXED_DATE, data)
    data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", b"2024-03-01T09:00:00", data)
    # LibreOffice's /DocChecksum varies from run to run
    data = re.sub(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + b"0" * 32, data)
    # a producer's random /ID: qpdf would keep its first half
    data = re.sub(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]",
                  lambda m: re.sub(rb"[0-9A-Fa-f]", b"0", m.group(0)[3:]).join([b"/ID", b""]), data)
    tmp = src + ".fixed"
    open(tmp, "wb").write(data)
    subprocess.run(["qpdf", "--deterministic-id", "--object-streams=generate", tmp, dst], check=True)
    os.remove(tmp)


def print_pdf(html, pdf, profile):
    """Prints an HTML file to PDF with headless Chromium (no header or
    footer of its own; `profile` a throw-away user-data folder)."""
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run",
                    "--disable-extensions", "--no-pdf-header-footer",
                    f"--user-data-dir={profile}",
                    f"--print-to-pdf={pdf}", "file://" + html], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def build_digital(stems, out, work, catalog):
    # docx -> pdf, one LibreOffice call per style
    for name, style in DOCX_STYLES.items():
        d = os.path.join(work, name)
        os.makedirs(d, exist_ok=True)
        docs = []
        for stem in stems:
            truth = model.load_truth(stem)
            blocks = model.build_blocks(truth, catalog, all_areas=style["all_areas"],
                                        cover=style["cover"], seed=name)
            p = os.path.join(d, stem + ".docx")
            make_docx.write_docx(blocks, truth, style, p)
            docs.append(p)
        prof = os.path.join(work, "lo-profile")
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless",
                        "--convert-to", "pdf", "--outdir", d] + docs, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for stem in stems:
            normalize_pdf(os.path.join(d, stem + ".pdf"), os.path.join(out, name, stem + ".pdf"))
        log(f"{name}: {len(stems)} reports")
    for name, style in HTML_STYLES.items():
        d = os.path.join(work, name)
        os.makedirs(d, exist_ok=True)
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for stem in stems:
            truth = model.load_truth(stem)
            blocks = model.build_blocks(truth, catalog, all_areas=style["all_areas"], seed=name)
            h = os.path.join(d, stem + ".html")
            open(h, "w", encoding="utf-8").write(make_html.render_html(blocks, truth, style))
            raw = os.path.join(d, stem + ".pdf")
            print_pdf(h, raw, os.path.join(work, "chromium-profile"))
            normalize_pdf(raw, os.path.join(out, name, stem + ".pdf"))
        log(f"{name}: {len(stems)} reports")


# ---- stretch set: a revised catalogue (corpus2/revised) ------------------------
REVISED = dict(digital="docx-grid", scan="grid-mild", psm=3)


def build_revised(out, work, jobs):
    rdir = os.path.join(out, "revised")
    tdir = os.path.join(rdir, "truth")
    if not os.path.isdir(tdir):
        return
    catalog = model.load_catalog(os.path.join(rdir, "catalog.toml"))
    stems = sorted(f[:-5] for f in os.listdir(tdir) if f.endswith(".json"))
    style = DOCX_STYLES[REVISED["digital"]]
    d = os.path.join(work, "revised")
    os.makedirs(d, exist_ok=True)
    docs = []
    for stem in stems:
        truth = model.load_truth(stem, tdir)
        blocks = model.build_blocks(truth, catalog, all_areas=style["all_areas"],
                                    cover=style["cover"], seed="revised")
        docs.append(os.path.join(d, stem + ".docx"))
        make_docx.write_docx(blocks, truth, style, docs[-1])
    prof = os.path.join(work, "lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless",
                    "--convert-to", "pdf", "--outdir", d] + docs, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for sub in ("digital", "scan-eng"):
        os.makedirs(os.path.join(rdir, sub), exist_ok=True)
    for stem in stems:
        normalize_pdf(os.path.join(d, stem + ".pdf"), os.path.join(rdir, "digital", stem + ".pdf"))
    log(f"revised/digital: {len(stems)} reports")
    with Pool(jobs) as pool:
        for stem, n, secs in pool.imap_unordered(revised_scan_job, [(s, rdir, work) for s in stems]):
            log(f"revised/scan-eng {stem}: {n} pages, {secs} s")


def revised_scan_job(args):
    stem, rdir, work = args
    t0 = time.time()
    prof = SCANS[REVISED["scan"]]
    wd = os.path.join(work, "scan", "revised", stem)
    os.makedirs(wd)
    listfile, pages, _ = scan.scan_pages(os.path.join(rdir, "digital", stem + ".pdf"), wd,
                                         "revised", stem, prof)
    base = os.path.join(wd, "ocr")
    scan.ocr(listfile, base, "eng", REVISED["psm"], ["pdf"])
    normalize_pdf(base + ".pdf", os.path.join(rdir, "scan-eng", stem + ".pdf"))
    shutil.rmtree(wd)
    return stem, len(pages), round(time.time() - t0, 1)


def scan_job(args):
    group, stem, out, work = args
    prof = SCANS[group]
    t0 = time.time()
    wd = os.path.join(work, "scan", group, stem)
    shutil.rmtree(wd, ignore_errors=True)
    os.makedirs(wd)
    src = os.path.join(out, prof["source"], stem + ".pdf")
    listfile, pages, info = scan.scan_pages(src, wd, group, stem, prof)
    for lang, psm, outs in prof["passes"]:
        base = os.path.join(wd, f"ocr-{lang}-{psm}")
        fmts = [f for f in ("pdf", "txt") if f in outs]
        scan.ocr(listfile, base, lang, psm, fmts)
        if "pdf" in outs:
            normalize_pdf(base + ".pdf", os.path.join(out, outs["pdf"], stem + ".pdf"))
        if "txt" in outs:
            shutil.copyfile(base + ".txt", os.path.join(out, outs["txt"], stem + ".txt"))
    shutil.rmtree(wd)
    return group, stem, len(pages), round(time.time() - t0, 1), info


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(model.ROOT, "corpus2"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", default="all", choices=["all", "digital", "scan", "revised"])
    ap.add_argument("--groups", default=",".join(SCANS))
    ap.add_argument("stems", nargs="*")
    a = ap.parse_args()
    stems = a.stems or model.selected_stems()
    catalog = model.load_catalog()
    work = tempfile.mkdtemp(prefix="corpus2-")
    t0 = time.time()
    if a.only in ("all", "digital"):
        build_digital(stems, a.out, work, catalog)
    if a.only in ("all", "scan"):
        groups = a.groups.split(",")
        for g in groups:
            for _, _, outs in SCANS[g]["passes"]:
                for v in outs.values():
                    os.makedirs(os.path.join(a.out, v), exist_ok=True)
        jobs = [(g, s, a.out, work) for g in groups for s in stems]
        scanlog = {}
        with Pool(a.jobs) as pool:
            for g, s, n, secs, info in pool.imap_unordered(scan_job, jobs):
                log(f"scan {g} {s}: {n} pages, {secs} s")
                scanlog.setdefault(g, {})[s] = info
        # the drawn parameters of every page, merged into what earlier builds wrote
        if not a.stems:
            pfile = os.path.join(a.out, "scan-params.json")
            params = json.load(open(pfile)) if os.path.exists(pfile) else {}
            params.update(scanlog)
            with open(pfile, "w") as f:
                json.dump(params, f, indent=1, sort_keys=True)
    if a.only in ("all", "revised") and not a.stems:
        build_revised(a.out, work, a.jobs)
    shutil.rmtree(work, ignore_errors=True)
    log(f"done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
