#!/usr/bin/env python3
"""Scores every corpus set with `uppfoljning eval` and prints one Markdown
table: item F1, answers, comment CER, å/ä/ö words, administration, and the
share of rows at confidence >= 0.9 that are wrong (calibration). With
--baseline, each set also gets a row for the plain `pdftotext -layout` +
regex script (tools/baseline/), scored by the same `eval --reports`.

    python3 tools/eval_table.py [--bin target/release/uppfoljning] \
        [--truth corpus/truth] [--baseline] SET_DIR [SET_DIR ...] [-- EXTRA EVAL ARGS]
    python3 tools/eval_table.py --variants corpus2/variants.toml [--split heldout] [--baseline]

With --variants, the sets are the variants that file lists (their folders
beside it), grouped by split: `dev` (may be tuned on) and `heldout`
(judged on, never tuned on).

Each SET_DIR is scored on its own (the set is the folder's name). Figures
are the ones `eval --json` writes; nothing is computed here but ratios.
Used to compare a change's figures on every set before and after.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib


def rate(m):
    return m["errors"] / m["total"] if m["total"] else 0.0


def acc(m):
    return 1.0 - rate(m) if m["total"] else float("nan")


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        k = argv.index("--")
        argv, extra = argv[:k], argv[k + 1 :]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="target/release/uppfoljning")
    ap.add_argument("--truth", default="corpus/truth")
    ap.add_argument("--baseline", action="store_true", help="also score tools/baseline/pdftotext_regex.py")
    ap.add_argument("--variants", help="score the variants of this variants.toml, grouped by split")
    ap.add_argument("--split", help="with --variants: only this split (dev | heldout)")
    ap.add_argument("sets", nargs="*")
    args = ap.parse_args(argv)

    groups = [(None, args.sets)]
    if args.variants:
        v = tomllib.load(open(args.variants, "rb"))
        base = os.path.dirname(args.variants)
        splits = sorted({x["split"] for x in v["variant"]})
        groups = [
            (sp, [os.path.join(base, x["name"]) for x in v["variant"] if x["split"] == sp])
            for sp in splits
            if args.split in (None, sp)
        ]
    for split, sets in groups:
        if split:
            print(f"\n**{split}**\n")
        table(args, sets, extra)


def table(args, sets, extra):
    print("| set | docs | fail | F1 | answers | comment CER | å/ä/ö words | adm | wrong at ≥ 0.9 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for d in sets:
        name = d.rstrip("/")
        row(args, name, [d], extra)
        if args.baseline:
            with tempfile.TemporaryDirectory() as tmp:
                out = os.path.join(tmp, os.path.basename(name))
                script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "baseline", "pdftotext_regex.py")
                subprocess.run([sys.executable, script, "--out", out, d], capture_output=True, check=False)
                row(args, f"{name} (baseline)", ["--reports", out], extra)


def row(args, name, inputs, extra):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "e.json")
        cmd = [args.bin, "eval", "--truth", args.truth, *inputs, "--worst", "0", "--json", out, *extra]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if not os.path.exists(out):
            print(f"| {name} | eval failed: {r.stderr.strip()[:200]} |")
            return
        e = json.load(open(out, encoding="utf-8"))["repaired"]["overall"]
    p = e["items_matched"] / e["items_output"] if e["items_output"] else 0.0
    rc = e["items_matched"] / e["items_truth"] if e["items_truth"] else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    # The top bucket starts at 0.9, which the JSON holds as the f32 0.8999999761.
    hi = [b for b in e["calibration"] if b["from"] >= 0.89]
    hi_rows = sum(b["rows"] for b in hi)
    hi_wrong = sum(b["wrong"] for b in hi)
    print(
        f"| {name} | {e['documents']} | {e['failures']} | {f1:.3f} | {100 * acc(e['answers']):.1f} % "
        f"| {100 * rate(e['comment_cer']):.2f} % | {100 * acc(e['diacritic_words']):.1f} % "
        f"| {100 * acc(e['administration']):.0f} % | {hi_wrong}/{hi_rows} |"
    )

if __name__ == "__main__":
    main()
