"""'Scan' a PDF: rasterise, tilt, blur, add grain, threshold or JPEG-compress,
then OCR with tesseract (one or more passes with different --psm / -l).

Every random draw comes from random.Random(f"corpus2/{group}/{stem}/{page}")
and ImageMagick's noise from -seed, so the same inputs give the same pages.
"""
import os
import random
import struct
import subprocess

IM = "convert-im6.q16"  # /usr/local/bin/convert is not ImageMagick here


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def rasterise(pdf, outdir, dpi):
    os.makedirs(outdir, exist_ok=True)
    run(["pdftoppm", "-r", str(dpi), "-gray", "-png", pdf, os.path.join(outdir, "raw")])
    return sorted(os.path.join(outdir, f) for f in os.listdir(outdir) if f.startswith("raw"))


def degrade_page(src, dst_base, rng, p, dpi):
    """p: degradation profile (dict of ranges). Returns the path written."""
    angle = rng.uniform(*p["skew"]) * rng.choice((-1, 1))
    blur = rng.uniform(*p["blur"])
    noise = rng.uniform(*p["noise"])
    dx, dy = rng.randint(-p.get("shift", 0), p.get("shift", 0)), rng.randint(-p.get("shift", 0), p.get("shift", 0))
    seed = rng.randint(1, 2**31 - 1)
    with open(src, "rb") as f:  # PNG IHDR: width, height
        head = f.read(24)
    w, h = struct.unpack(">II", head[16:24])
    cx, cy = w / 2, h / 2
    cmd = [IM, src, "-colorspace", "Gray", "-virtual-pixel", "White", "-background", "white",
           "-distort", "SRT", f"{cx:.1f},{cy:.1f} 1 {angle:.3f} {cx + dx:.1f},{cy + dy:.1f}", "+repage",
           "-seed", str(seed), "-attenuate", f"{noise:.2f}", "+noise", "Gaussian",
           "-blur", f"0x{blur:.2f}"]
    if p.get("level"):  # black point, white point: a light grey paper clips to white
        cmd += ["-level", f"{rng.uniform(*p['level'][0]):.1f}%,{rng.uniform(*p['level'][1]):.1f}%"]
    cmd += ["-density", str(dpi), "-units", "PixelsPerInch", "-strip"]
    if p["mode"] == "bw":
        thr = rng.uniform(*p["threshold"])
        dst = dst_base + ".png"
        cmd += ["-threshold", f"{thr:.1f}%", "-type", "Bilevel", "-define", "png:exclude-chunk=date,time", dst]
    else:
        q = rng.randint(*p["jpeg"])
        dst = dst_base + ".jpg"
        cmd += ["-sampling-factor", "1x1", "-quality", str(q), dst]
    run(cmd, env=dict(os.environ, MAGICK_THREAD_LIMIT="1"))
    return dst, dict(angle=round(angle, 3), blur=round(blur, 2), noise=round(noise, 2))


def scan_pages(pdf, workdir, group, stem, profile):
    dpi = profile["dpi"]
    if isinstance(dpi, list):
        dpi = random.Random(f"corpus2/{group}/{stem}/dpi").choice(dpi)
    raws = rasterise(pdf, os.path.join(workdir, "raw"), dpi)
    pages, log = [], []
    for i, r in enumerate(raws, 1):
        rng = random.Random(f"corpus2/{group}/{stem}/{i}")
        dst, info = degrade_page(r, os.path.join(workdir, f"page-{i:03d}"), rng, profile, dpi)
        pages.append(dst)
        log.append(info)
        os.remove(r)
    with open(os.path.join(workdir, "pages.txt"), "w") as f:
        f.write("".join(p + "\n" for p in pages))
    return os.path.join(workdir, "pages.txt"), pages, dict(dpi=dpi, pages=log)


def ocr(listfile, outbase, lang, psm, formats):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    run(["tesseract", listfile, outbase, "-l", lang, "--psm", str(psm)] + list(formats), env=env)
