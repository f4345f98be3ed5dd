"""Per-variant statistics of corpus2 (Markdown to stdout): reports, pages,
size, and counts of format characters and Swedish letters in the text
(pdftotext -raw for PDFs, the file itself for .txt)."""
import os
import subprocess
import sys

CHARS = [("U+00AD shy", "\u00ad"), ("U+00A0 nbsp", "\u00a0"), ("U+200B zwsp", "\u200b"),
         ("U+2010 hyphen", "\u2010"), ("U+FB01 ﬁ", "\ufb01"), ("U+FB02 ﬂ", "\ufb02"),
         ("åäöÅÄÖ", "åäöÅÄÖ")]


def text_of(path):
    if path.endswith(".txt"):
        return open(path, encoding="utf-8", errors="replace").read()
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"], check=True,
                          capture_output=True).stdout.decode("utf-8", "replace")


def main(root):
    print("| variant | reports | pages | KB | " + " | ".join(n for n, _ in CHARS) + " |")
    print("|---|---|---|---|" + "---|" * len(CHARS))
    for v in sorted(os.listdir(root)):
        d = os.path.join(root, v)
        if not os.path.isdir(d) or v == "revised":
            continue
        files = sorted(f for f in os.listdir(d) if f.endswith((".pdf", ".txt")))
        if not files:
            continue
        pages, size, counts = 0, 0, [0] * len(CHARS)
        for f in files:
            p = os.path.join(d, f)
            size += os.path.getsize(p)
            t = text_of(p)
            # pdftotext ends every page with \f; tesseract's txt only separates pages with it
            pages += t.count("\f") + (1 if f.endswith(".txt") else 0)
            for i, (_, cs) in enumerate(CHARS):
                counts[i] += sum(t.count(c) for c in cs)
        print(f"| {v} | {len(files)} | {pages} | {size // 1024} | " + " | ".join(map(str, counts)) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
