#!/usr/bin/env python3
"""Regenerates sv_wordfreq.tsv from the `wordfreq` package's Swedish list.

Usage:
    pip download --no-deps wordfreq==3.1.1 -d /tmp/wf
    pip install msgpack
    python3 extract_wordfreq.py /tmp/wf/wordfreq-3.1.1-py3-none-any.whl > sv_wordfreq.tsv

wordfreq stores each language as a gzipped msgpack list of buckets: bucket i
holds the words whose frequency is about 10^(-i/100) (i is in centibels).
This script keeps the words made of Latin letters (with an optional inner
hyphen), drops the rarest ones until the file fits the size budget, counts
how often each word is a part of another listed word (a compound), and writes

    word<TAB>centibels[<TAB>as_modifier<TAB>as_head]

sorted by skeleton (the word with å/ä folded to a and ö to o), then word, so
that the Rust side can binary-search it without sorting at load. The two
counts, left out when both are 0, tell how many listed words start with the
word (optionally plus a linking "s") followed by another listed word, and how
many end with it after another listed word; compound splitting uses them to
prefer real compound parts ("metod|stöd" over "metod|stod").
"""
import gzip
import re
import sys
import zipfile

import msgpack

DATA = "wordfreq/data/large_sv.msgpack.gz"
# Keep at most this many bytes of word lines: the file is embedded in the binary.
BUDGET = 3_700_000
# Compound parts counted are at least this long, and the other part of the
# compound at least OTHER_MIN long and OTHER_MAX_CB frequent: without that,
# participles such as "intresse|rad" would make "rad" look like a compound head.
PART_MIN = 3
OTHER_MIN = 4
OTHER_MAX_CB = 600
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
    kept_rows = []
    size = 0
    last_cb = None
    for cb, w in rows:
        size += len(w.encode()) + len(str(cb)) + 2
        # Cut only at a bucket boundary so that equal frequencies are all in or all out.
        if size > BUDGET and cb != last_cb:
            break
        kept_rows.append((cb, w))
        last_cb = cb
    mods, heads = compound_counts({w: cb for cb, w in kept_rows})
    kept_rows.sort(key=lambda r: (skeleton(r[1]).encode(), r[1].encode()))
    sys.stdout.write(
        f"# wordfreq {version.group(1) if version else '?'} large_sv, CC-BY-SA 4.0 (see SOURCE.md)\n"
        f"# word<TAB>centibels[<TAB>as_modifier<TAB>as_head]: frequency = 10^(-centibels/100);\n"
        f"# {len(kept_rows)} words, rarest kept {last_cb}; sorted by skeleton, then word\n"
    )
    for cb, w in kept_rows:
        m, h = mods.get(w, 0), heads.get(w, 0)
        extra = f"\t{m}\t{h}" if m or h else ""
        sys.stdout.write(f"{w}\t{cb}{extra}\n")


def skeleton(word: str) -> str:
    """Lower case, å/ä → a, ö → o: as `lexicon::skeleton` in Rust."""
    return word.lower().translate(FOLD)


FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o"})


def compound_counts(words):
    """How often each word is the first part (modifier, optionally with a
    linking s) or the last part (head) of another listed word. `words` maps
    word → centibels."""
    mods, heads = {}, {}

    def solid(part):
        return len(part) >= OTHER_MIN and words.get(part, 9999) <= OTHER_MAX_CB

    for w in words:
        n = len(w)
        for k in range(PART_MIN, n - PART_MIN + 1):
            m, h = w[:k], w[k:]
            if h not in words:
                continue
            # The modifier as listed, or without its linking s; the more
            # solid of the two when both are listed ("försörjning|s|stöd").
            stems = [m] if m in words else []
            if m.endswith("s") and len(m) > PART_MIN and m[:-1] in words:
                stems.append(m[:-1])
            if not stems:
                continue
            stem = next((s for s in stems if solid(s)), stems[0])
            if solid(h):
                mods[stem] = mods.get(stem, 0) + 1
            if solid(stem):
                heads[h] = heads.get(h, 0) + 1
    return mods, heads


if __name__ == "__main__":
    main()
