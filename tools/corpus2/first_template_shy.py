#!/usr/bin/env python3
"""The dev variant `first-template-shy`: the FIRST generator's HTML
(tools/corpus/render.py --formats html) with U+00AD soft hyphens put into
long words (textfx.hyphenate_word, as browser-shy does), printed by
headless Chromium. It is the development input for "a browser PDF with soft
hyphens" (Chromium draws each one as a space glyph that does not advance),
so that class can be fixed without looking at the held-out browser-shy.

Uses the dev reports of corpus/truth only (split "dev"), none of the 12
stems of the other variants' held-out judging needs.

    python3 tools/corpus2/first_template_shy.py [--out corpus2/first-template-shy]
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import textfx  # noqa: E402
from build import normalize_pdf, print_pdf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def shy_text(html):
    """Soft hyphens in the text between tags (not in tags, styles or scripts)."""
    head, sep, body = html.partition("<body")
    body = re.sub(r">([^<]+)<", lambda m: ">" + textfx.WORD.sub(lambda w: textfx.hyphenate_word(w.group(0)), m.group(1)) + "<", body)
    return head + sep + body


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "corpus2", "first-template-shy"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    stems = []
    for f in sorted(glob.glob(os.path.join(ROOT, "corpus", "truth", "*.json"))):
        t = json.load(open(f, encoding="utf-8"))
        if t.get("split") == "dev":
            stems.append(t["stem"])
    with tempfile.TemporaryDirectory() as work:
        for stem in stems:
            subprocess.run([sys.executable, os.path.join(ROOT, "tools", "corpus", "render.py"),
                            os.path.join(ROOT, "corpus", "truth", stem + ".json"),
                            "--out-dir", work, "--name", stem, "--formats", "html"],
                           check=True, stdout=subprocess.DEVNULL)
            src = os.path.join(work, stem + ".html")
            html = shy_text(open(src, encoding="utf-8").read())
            shy = os.path.join(work, stem + ".shy.html")
            open(shy, "w", encoding="utf-8").write(html)
            raw = os.path.join(work, stem + ".pdf")
            print_pdf(shy, raw, os.path.join(work, "profile"))
            normalize_pdf(raw, os.path.join(args.out, stem + ".pdf"))
    print(f"{args.out}: {len(stems)} reports")


if __name__ == "__main__":
    main()
