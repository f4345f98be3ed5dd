#!/usr/bin/env python3
"""Counts word bigrams for the context stage of OCR repair.

Sources: the question and comment texts of the corpus truth files in the dev
split (the test split stays held out), and every text of the catalogue
(src/catalog/catalog.toml). Words are lower-cased; a bigram never spans
punctuation that breaks a phrase (anything but letters, digits, - ' /), the
same breaks the repair stage uses. Writes

    first<TAB>second<TAB>count

for src/repair/bigrams.rs. Usage:

    python3 tools/repair/learn_bigrams.py corpus/truth src/catalog/catalog.toml \
        > data/repair/bigrams.tsv
"""

import collections
import json
import pathlib
import re
import sys
import tomllib

PHRASE = re.compile(r"[^\w\-'/ ]+")


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def words(phrase):
    out = []
    for token in phrase.split():
        w = token.strip("-'/").lower()
        if w and not w.isdigit():
            out.append(w)
        else:
            out.append(None)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    truth_dir, catalog = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    texts, docs = [], []
    for path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if truth.get("split") != "dev":
            continue
        docs.append(path.name)
        for item in truth["items"]:
            texts.append(item.get("question") or "")
            texts.append(item.get("comment") or "")
    texts.extend(strings(tomllib.loads(catalog.read_text(encoding="utf-8"))))
    counts = collections.Counter()
    for text in texts:
        for phrase in PHRASE.split(text):
            ws = words(phrase)
            for a, b in zip(ws, ws[1:]):
                if a and b:
                    counts[(a, b)] += 1
    print("# Word bigrams counted by tools/repair/learn_bigrams.py from the")
    print(f"# questions and comments of {len(docs)} dev-split truth files of corpus/truth")
    print(f"# ({', '.join(docs)})")
    print(f"# and the texts of {catalog.name}.")
    print("# first<TAB>second<TAB>count")
    for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{a}\t{b}\t{n}")


if __name__ == "__main__":
    main()
