#!/usr/bin/env python3
"""Regenerates sv_wordfreq.tsv from the `wordfreq` package's Swedish list.

Usage:
    pip download --no-deps wordfreq==3.1.1 -d /tmp/wf
    pip install msgpack
    python3 extract_wordfreq.py /tmp/wf/wordfreq-3.1.1-py3-none-any.whl > sv_wordfreq.tsv

wordfreq stores each language as a gzipped msgpack list of buckets: bucket i
holds the words whose frequency is about 10^(-i/100) (i is in centibels).
This script keeps the words made of Latin letters (with an optional inner
hyphen), drops the rarest ones until the file fits the size budget, and
writes `word<TAB>centibels`, most frequent first (ties alphabetically).
"""
import gzip
import io
import re
import sys
import zipfile

import msgpack

DATA = "wordfreq/data/large_sv.msgpack.gz"
# Keep at most this many bytes of word lines: the file is embedded in the binary.
BUDGET = 3_900_000
# Latin letters only: Swedish, plus the accented letters of names and loanwords.
WORD = re.compile(r"[a-zà-öø-ÿ]+(?:-[a-zà-öø-ÿ]+)*")


def main() -> None:
    wheel = sys.argv[1]
    with zipfile.ZipFile(wheel) as z:
        raw = z.read(DATA)
        version = re.search(r"wordfreq-([0-9.]+)", wheel)
    buckets = msgpack.unpackb(gzip.decompress(raw), raw=False)
    header = buckets[0]
    assert header.get("format") == "cB", header
    rows = []
    for cb, words in enumerate(buckets[1:], start=1):
        for w in sorted(words):
            if WORD.fullmatch(w):
                rows.append((cb, w))
    out = io.StringIO()
    size = 0
    kept = 0
    last_cb = None
    for cb, w in rows:
        line = f"{w}\t{cb}\n"
        # Cut only at a bucket boundary so that equal frequencies are all in or all out.
        if size + len(line.encode()) > BUDGET and cb != last_cb:
            break
        out.write(line)
        size += len(line.encode())
        kept += 1
        last_cb = cb
    sys.stdout.write(
        f"# wordfreq {version.group(1) if version else '?'} large_sv, CC-BY-SA 4.0 (see SOURCE.md)\n"
        f"# word<TAB>centibels: frequency = 10^(-centibels/100); {kept} words, rarest kept {last_cb}\n"
    )
    sys.stdout.write(out.getvalue())


if __name__ == "__main__":
    main()
