#!/bin/sh
# Rebuilds the sample corpus (corpus/*/<stem>.*) from its ground truth
# (corpus/truth/<stem>.json) with tools/corpus/render.py.
#
# Debian 12 packages (see tools/corpus/README.md for the versions used):
#   apt-get update
#   apt-get install -y chromium poppler-utils imagemagick tesseract-ocr \
#       tesseract-ocr-eng tesseract-ocr-swe qpdf img2pdf fonts-liberation fonts-dejavu-core
#
# Usage:
#   sh tools/corpus/build-corpus.sh [-j 1|2] [STEM ...]
#
#   -j N     reports rendered at a time (default 1; each report already uses
#            both cores for its pages; with -j 2 each report gets one)
#   STEM ... rebuild only these reports (default: every corpus/truth/*.json,
#            and the output folders are emptied first)
#
# For every truth file it writes
#   corpus/digital/<stem>.pdf         Chromium's PDF (digital text layer)
#   corpus/scan-eng/<stem>.pdf        bw scan, OCR text layer by tesseract's English model
#   corpus/scan-eng-txt/<stem>.txt    tesseract's plain text of that scan (pages split by \f)
#   corpus/scan-swe/<stem>.pdf        the same with the Swedish model   (render.swe)
#   corpus/scan-swe-txt/<stem>.txt                                      (render.swe)
#   corpus/image-only/<stem>.pdf      the scanned pages, no text layer  (render.image_only)
# and corpus/SHA256SUMS over all of them (a rebuild must reproduce it).
#
# Every report is degraded with its own render.seed ("light" level: tilt,
# shift, blur, noise and black/white threshold all drawn from the seed), and
# tesseract reads the handlingsplan pages as one column (--psm 4), so that
# section's two table columns come out interleaved line by line, as in the
# real English-model scans of this template (the sample's pages 5-6).
# Deterministic: the same truth and tool versions give byte-identical files.
set -eu
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$SELF")/../.."

PSM="handlingsplan-2023-2026:4"
OUTS="digital scan-eng scan-eng-txt scan-swe scan-swe-txt image-only"

# ---- one report (called by the loop below through xargs)
if [ "${1:-}" = "--one" ]; then
    stem=$2 jobs=$3
    truth=corpus/truth/$stem.json
    [ -f "$truth" ] || { echo "no $truth" >&2; exit 1; }
    # seed, swe, image_only from the truth's render block
    set -- $(python3 -c '
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
r = t.get("render") or {}
if t.get("stem") != sys.argv[2]:
    sys.exit(sys.argv[1] + ": its stem is not the file name")
if not isinstance(r.get("seed"), int):
    sys.exit(f"{sys.argv[1]}: render.seed missing")
print(r["seed"], int(bool(r.get("swe"))), int(bool(r.get("image_only"))))
' "$truth" "$stem")
    seed=$1 swe=$2 image=$3
    formats=digital,scan lang=eng
    [ "$image" = 1 ] && formats=$formats,image
    [ "$swe" = 1 ] && lang=eng,swe
    work=$(mktemp -d "${TMPDIR:-/tmp}/uppf-corpus-$stem.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    start=$(date +%s)
    python3 tools/corpus/render.py "$truth" --out-dir "$work" --name "$stem" \
        --formats "$formats" --lang "$lang" --seed "$seed" --degrade light \
        --scan-mode bw --psm-program "$PSM" --jobs "$jobs" \
        --truth-out "$work/printed.json" >"$work/log" 2>&1 \
        || { cat "$work/log" >&2; echo "FAILED: $stem" >&2; exit 1; }
    # render.py's notes and warnings (a question not found in the PDF, ...)
    grep -v "^$work/" "$work/log" | sed "s/^/  $stem: /" >&2 || true
    # The rows must be printed in the truth's order, each found on a page.
    info=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))["items"]
p = json.load(open(sys.argv[2], encoding="utf-8"))["items"]
key = lambda i: (i["program"], i["code"])
if [key(i) for i in t] != [key(i) for i in p]:
    print("  WARNING: rows printed in another order than the truth", file=sys.stderr)
missing = [i["code"] for i in p if i["page"] is None]
if missing:
    print(f"  WARNING: rows not found in the PDF: {missing}", file=sys.stderr)
print(len(p))
' "$truth" "$work/printed.json")
    pages=$(pdfinfo "$work/$stem-digital.pdf" | sed -n 's/^Pages: *//p')
    mv "$work/$stem-digital.pdf" "corpus/digital/$stem.pdf"
    mv "$work/$stem-scan-eng.pdf" "corpus/scan-eng/$stem.pdf"
    mv "$work/$stem-scan-eng.txt" "corpus/scan-eng-txt/$stem.txt"
    if [ "$swe" = 1 ]; then
        mv "$work/$stem-scan-swe.pdf" "corpus/scan-swe/$stem.pdf"
        mv "$work/$stem-scan-swe.txt" "corpus/scan-swe-txt/$stem.txt"
    fi
    [ "$image" = 1 ] && mv "$work/$stem-scan-image.pdf" "corpus/image-only/$stem.pdf"
    extra=""
    [ "$swe" = 1 ] && extra="$extra +swe"
    [ "$image" = 1 ] && extra="$extra +image"
    echo "$(date +%H:%M:%S) done $stem: $info rows, $pages pages, seed $seed$extra," \
         "$(( $(date +%s) - start )) s"
    exit 0
fi

# ---- all reports
par=1
if [ "${1:-}" = "-j" ]; then par=$2; shift 2; fi
case $par in 1) jobs=$(nproc) ;; *) jobs=1 ;; esac

for d in $OUTS; do mkdir -p "corpus/$d"; done
if [ $# -eq 0 ]; then
    set -- $(for f in corpus/truth/*.json; do basename "$f" .json; done)
    # A full rebuild: nothing stale survives (a truth file removed or renamed).
    for d in $OUTS; do find "corpus/$d" -maxdepth 1 -type f -delete; done
    rm -f corpus/SHA256SUMS
fi
echo "$(date +%H:%M:%S) rendering $# report(s), $par at a time"
t0=$(date +%s)
printf '%s\n' "$@" | xargs -P "$par" -I{} sh "$SELF" --one {} "$jobs"
( cd corpus && find $OUTS -type f | LC_ALL=C sort | xargs sha256sum ) >corpus/SHA256SUMS
echo "$(date +%H:%M:%S) all done in $(( $(date +%s) - t0 )) s"
for d in $OUTS; do du -sh "corpus/$d"; done
du -sh corpus
