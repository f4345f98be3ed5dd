#!/bin/sh
# Fills fuzz/corpus/<target>/ with seed inputs from the repository's own
# fixtures. Run from the repository root before `cargo +nightly fuzz run`.
set -eu
mkdir -p fuzz/corpus/text fuzz/corpus/repair fuzz/corpus/pdf fuzz/corpus/text_large
# text_large: a size byte, then the unit it repeats (one-word lines, code
# lines, a report's opening, a line that never ends).
printf '\377Ja\n' > fuzz/corpus/text_large/ja-lines
printf '\200Strategi 1:1 Ja\n' > fuzz/corpus/text_large/code-lines
printf '\377x' > fuzz/corpus/text_large/one-line
{ printf '\100'; head -c 3000 fixtures/sample/000_a41603a7fe181f4b.txt; } > fuzz/corpus/text_large/report-head
cp fixtures/sample/*.txt fixtures/pdf/*.txt fixtures/hostile/*.txt fuzz/corpus/text/
for f in corpus/scan-eng-txt/*.txt; do head -c 8000 "$f" > "fuzz/corpus/text/$(basename "$f")"; done
# Repair sees one comment at a time: a paragraph per seed.
awk 'BEGIN { RS = ""; n = 0 } { n++; f = sprintf("fuzz/corpus/repair/p%03d", n); print > f; close(f) }' \
    fixtures/sample/000_a41603a7fe181f4b.txt
cp fixtures/pdf/*.pdf fuzz/corpus/pdf/
for f in fixtures/hostile/*.pdf; do
    # The large ones, and the flate bomb (in-process it can only exhaust
    # memory: the worker's limit is what handles it), are covered by
    # tests/hostile.rs; as seeds they only stall the fuzzer.
    case "$f" in *flate-bomb.pdf) continue ;; esac
    [ "$(wc -c < "$f")" -lt 100000 ] && cp "$f" fuzz/corpus/pdf/
done
cp fuzz/regressions/text/* fuzz/corpus/text/ 2>/dev/null || true
cp fuzz/regressions/repair/* fuzz/corpus/repair/ 2>/dev/null || true
cp fuzz/regressions/pdf/* fuzz/corpus/pdf/ 2>/dev/null || true
echo "seeds: $(ls fuzz/corpus/text | wc -l) text, $(ls fuzz/corpus/text_large | wc -l) text_large, $(ls fuzz/corpus/repair | wc -l) repair, $(ls fuzz/corpus/pdf | wc -l) pdf"
