#!/usr/bin/env python3
"""Learns OCR character confusions from the corpus dev split.

Reads the JSON written by

    uppfoljning eval --truth corpus/truth --split dev --baseline \
        --json /tmp/dev.json corpus/scan-eng-txt

takes the raw (unrepaired) text of every scored row, aligns it word by word
with the truth (difflib, only equal-length replaced runs are paired), aligns
each differing word pair letter by letter and counts one-letter
substitutions meant -> printed. Writes a TSV for src/repair/confusion.rs:

    printed<TAB>meant<TAB>count<TAB>log10 P(printed | meant)

P is the count over every aligned occurrence of the meant letter (in words
printed right as well). Only pairs seen at least MIN_COUNT times are kept.

Every document must be in the dev split (checked against its truth file):
the test split stays held out. Usage:

    python3 tools/repair/learn_confusions.py /tmp/dev.json corpus/truth \
        > data/repair/ocr_confusions.tsv
"""

import collections
import difflib
import json
import math
import pathlib
import sys

MIN_COUNT = 3


def split_of(truth_dir, input_path):
    stem = pathlib.Path(input_path).stem
    for name in (f"{stem}.json", f"{stem}.expected.json"):
        p = pathlib.Path(truth_dir) / name
        if p.is_file():
            return json.loads(p.read_text(encoding="utf-8")).get("split")
    sys.exit(f"{input_path}: no truth file in {truth_dir}")


def letters(word):
    """The word without leading/trailing punctuation."""
    return word.strip(".,;:!?()\"'”“’–-")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    evaluation = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    truth_dir = sys.argv[2]
    raw = evaluation.get("raw")
    if raw is None:
        sys.exit("the eval JSON has no raw section: run eval with --baseline")
    subs = collections.Counter()
    meant_total = collections.Counter()
    docs = []
    for doc in raw["documents"]:
        if split_of(truth_dir, doc["input"]) != "dev":
            sys.exit(f"{doc['input']}: not in the dev split; learn from dev only")
        docs.append(doc["input"])
        for row in doc["rows"]:
            for t_key, o_key in (("truth_comment", "output_comment"),
                                 ("truth_question", "output_question")):
                t = row[t_key].split()
                o = row[o_key].split()
                sm = difflib.SequenceMatcher(a=t, b=o, autojunk=False)
                for op, i1, i2, j1, j2 in sm.get_opcodes():
                    if op == "equal":
                        for w in t[i1:i2]:
                            meant_total.update(letters(w))
                    elif op == "replace" and i2 - i1 == j2 - j1:
                        for tw, ow in zip(t[i1:i2], o[j1:j2]):
                            tw, ow = letters(tw), letters(ow)
                            meant_total.update(tw)
                            cm = difflib.SequenceMatcher(a=tw, b=ow, autojunk=False)
                            for cop, a1, a2, b1, b2 in cm.get_opcodes():
                                if cop == "replace" and a2 - a1 == 1 and b2 - b1 == 1:
                                    subs[(ow[b1], tw[a1])] += 1
    print("# OCR letter confusions learned by tools/repair/learn_confusions.py")
    print(f"# from the raw text of {len(docs)} dev-split documents:")
    for d in sorted(docs):
        print(f"#   {d}")
    print("# printed<TAB>meant<TAB>count<TAB>log10 P(printed | meant)")
    for (printed, meant), n in sorted(subs.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < MIN_COUNT or printed == meant:
            continue
        p = n / max(meant_total[meant], n)
        print(f"{printed}\t{meant}\t{n}\t{math.log10(p):.2f}")


if __name__ == "__main__":
    main()
