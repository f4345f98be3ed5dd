#!/bin/sh
# Rebuild corpus2/ from corpus/truth (12 fixed stems, and the dev reports for
# the first-template-* variants) deterministically.
#   sh tools/corpus2/build.sh                 # everything (digital, then scans)
#   sh tools/corpus2/build.sh --only digital  # extra arguments go to build.py
# Needs: python3 (3.11+, tomllib) with python-docx, libreoffice-writer-nogui,
# chromium, poppler-utils, qpdf, imagemagick (convert-im6.q16),
# tesseract-ocr (+ -eng, -swe), fonts-liberation2, fonts-dejavu,
# fonts-crosextra-carlito.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export TZ=UTC LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1709283600
export OMP_THREAD_LIMIT=1 MAGICK_THREAD_LIMIT=1
if [ "$#" = 0 ]; then
    # full build: nothing stale survives
    find "$root/corpus2" -mindepth 2 -maxdepth 2 \( -name '*.pdf' -o -name '*.txt' \) \
        ! -path '*/revised/*' -delete 2>/dev/null || true
fi
python3 "$here/build.py" "$@"
if [ "$#" = 0 ]; then
    # the dev variants made from the first generator's template
    python3 "$here/first_template_shy.py"
    python3 "$here/first_template_open.py"
    python3 "$here/first_template_skew.py"
fi
python3 "$here/stats.py" "$root/corpus2" > "$root/corpus2/STATS.md"
cd "$root/corpus2"
find . -path ./revised/truth -prune -o -type f \( -name '*.pdf' -o -name '*.txt' \) -print \
    | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS
echo "corpus2: $(wc -l < SHA256SUMS) files"
