#!/usr/bin/env python3
"""Lists the domain's words that the general frequency list lacks.

The embedded lexicon (data/lexicon/sv_wordfreq.tsv, from wordfreq) is general
Swedish; the reports' own vocabulary ("trygghetsråden", "metodstödet",
"välfärdsbrottslighet", administration names) is often missing from it, and
OCR repair cannot restore å/ä/ö in a word it does not know. This writes the
words of the question and comment texts of the corpus truth files in the dev
split (the test split stays held out) that the lexicon does not list, with
how often each occurs:

    word<TAB>count

for src/repair/domain.rs. Words are lower-cased; numbers are skipped.
Usage:

    python3 tools/repair/learn_domain_words.py corpus/truth data/lexicon/sv_wordfreq.tsv \
        > data/repair/domain_words.tsv
"""

import collections
import json
import pathlib
import re
import sys

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    truth_dir, lexicon = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    listed = {
        line.split("\t", 1)[0]
        for line in lexicon.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    counts, docs = collections.Counter(), []
    for path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if truth.get("split") != "dev":
            continue
        docs.append(path.name)
        for item in truth["items"]:
            for field in ("question", "comment"):
                for word in WORD.findall(item.get(field) or ""):
                    counts[word.lower()] += 1
    print("# Words of the questions and comments of", len(docs), "dev-split truth files")
    print(f"# of corpus/truth ({', '.join(docs)})")
    print(f"# that {lexicon.name} does not list; written by tools/repair/learn_domain_words.py.")
    print("# word<TAB>count")
    for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if word not in listed:
            print(f"{word}\t{n}")


if __name__ == "__main__":
    main()
