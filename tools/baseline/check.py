#!/usr/bin/env python3
"""Tiny self-check of baseline output against corpus truth (not the real scorer).

    python3 tools/baseline/check.py --truth corpus/truth OUTDIR [OUTDIR...]

OUTDIR holds `<input file name>.json` documents (e.g. kuf-2023.pdf.json); the
truth is `<truth>/<stem>.json` with the stem of the input file (kuf-2023).
Rows are matched on (program, code). Per folder it prints item recall and
precision, answer accuracy (over matched rows), comment CER (edit distance /
truth length, summed over matched rows), administration and year accuracy.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def edit_distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def stem_of(out_file: Path) -> str:
    name = out_file.name[: -len(".json")]
    for ext in (".pdf", ".txt"):
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return name


def check_folder(folder: Path, truth_dir: Path, cer: bool, split: str | None):
    t = dict(docs=0, truth_rows=0, out_rows=0, matched=0, answers_ok=0,
             cer_dist=0, cer_len=0, adm_ok=0, year_ok=0)
    for f in sorted(folder.glob("*.json")):
        tf = truth_dir / (stem_of(f) + ".json")
        if not tf.is_file():
            tf = truth_dir / (stem_of(f) + ".expected.json")
        if not tf.is_file():
            print(f"  {f.name}: no truth", file=sys.stderr)
            continue
        out = json.loads(f.read_text(encoding="utf-8"))
        truth = json.loads(tf.read_text(encoding="utf-8"))
        if split and truth.get("split") != split:
            continue
        t["docs"] += 1
        tr = {(i["program"], i["code"]): i for i in truth["items"]}
        orows = {(i["program"], i["code"]): i for i in out["items"]}
        t["truth_rows"] += len(tr)
        t["out_rows"] += len(orows)
        for k, ti in tr.items():
            oi = orows.get(k)
            if oi is None:
                continue
            t["matched"] += 1
            t["answers_ok"] += oi["answer"] == ti["answer"]
            if cer:
                t["cer_dist"] += edit_distance(oi["comment"] or "", ti["comment"] or "")
                t["cer_len"] += len(ti["comment"] or "")
        ta, oa = truth.get("administration"), out.get("administration")
        t["adm_ok"] += (ta or {}).get("id") == (oa or {}).get("id")
        tp, op = truth.get("period"), out.get("period")
        t["year_ok"] += (tp or {}).get("year") == (op or {}).get("year")
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", default="corpus/truth")
    ap.add_argument("--no-cer", action="store_true", help="skip the (slow) comment CER")
    ap.add_argument("--split", choices=["dev", "test"], help="only truth files of this split")
    ap.add_argument("folders", nargs="+")
    a = ap.parse_args()
    print(f"{'folder':<28}{'docs':>5}{'recall':>9}{'precision':>11}{'answers':>9}"
          f"{'comment CER':>13}{'adm':>7}{'year':>7}")
    for d in a.folders:
        t = check_folder(Path(d), Path(a.truth), not a.no_cer, a.split)
        pct = lambda n, m: f"{100 * n / m:.1f}%" if m else "-"
        cer = f"{100 * t['cer_dist'] / t['cer_len']:.3f}%" if t["cer_len"] else "-"
        print(f"{d:<28}{t['docs']:>5}{pct(t['matched'], t['truth_rows']):>9}"
              f"{pct(t['matched'], t['out_rows']):>11}{pct(t['answers_ok'], t['matched']):>9}"
              f"{cer:>13}{pct(t['adm_ok'], t['docs']):>7}{pct(t['year_ok'], t['docs']):>7}")


if __name__ == "__main__":
    main()
