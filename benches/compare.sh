#!/usr/bin/env bash
# Whole-process speed of `uppfoljning batch` against poppler's `pdftotext`
# (and `mutool draw -F txt` when installed) over the same corpus PDFs.
#
#   benches/compare.sh [SET ...]        default: digital scan-eng
#
# Environment: RUNS (timed runs after one warm-up, default 5), BIN (the
# uppfoljning binary, default target/release/uppfoljning, built if missing).
#
# Every tool reads exactly the same list of files; pages are counted from
# the PDFs with `pdfinfo`. Each run is a fresh process per tool invocation:
# one `batch` over all files of a set, one `pdftotext` per file (the way
# an archive would be converted with it). Prints a markdown table of the
# median wall time and the median CPU time (user + system, which other
# users of a shared machine do not inflate), pages per second of each and
# uppfoljning's speed relative to pdftotext (above 1 means faster than
# pdftotext), then peak memory of one worker on a 300-page PDF built from
# corpus pages with `pdfunite`.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
BIN="${BIN:-target/release/uppfoljning}"
SETS=("$@")
[ ${#SETS[@]} -gt 0 ] || SETS=(digital scan-eng)

for tool in pdftotext pdfinfo pdfunite; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool not found (Debian package poppler-utils)" >&2; exit 1; }
done
[ -x "$BIN" ] || cargo build --release --quiet
have_mutool=false
command -v mutool >/dev/null && have_mutool=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "wall cpu" seconds of one run of the shell function "$@": wall-clock
# time and the user + system CPU time of every process it started. On a
# shared machine the wall time carries other users' load; CPU time does not.
seconds() {
  /usr/bin/time -f '%e %U %S' -o "$work/time" bash -c '"$@" >/dev/null 2>&1' _ "$@"
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/time"
}

# Median of the numbers on standard input.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# "wall cpu": the medians of RUNS runs of "$@" after one warm-up run.
timed() {
  seconds "$@" >/dev/null
  for _ in $(seq "$RUNS"); do seconds "$@"; done >"$work/runs"
  echo "$(cut -d' ' -f1 "$work/runs" | median) $(cut -d' ' -f2 "$work/runs" | median)"
}

export BIN work
run_batch() {
  local jobs=$1
  shift
  rm -rf "$work/out"
  "$BIN" batch "$@" --out "$work/out" --jobs "$jobs" --force --ocr never
}

run_pdftotext() {
  local f
  for f in "$@"; do pdftotext "$f" "$work/out.txt"; done
}

run_mutool() {
  local f
  for f in "$@"; do mutool draw -q -F txt -o "$work/out.txt" "$f"; done
}

export -f run_batch run_pdftotext run_mutool

row() { # set pages tool "wall cpu" "pdftotext-wall pdftotext-cpu"
  awk -v set="$1" -v pages="$2" -v tool="$3" -v t="$4" -v ref="$5" 'BEGIN {
    split(t, s, " "); split(ref, r, " ")
    printf "| %s | %d | %s | %.2f | %.0f | %.2f× | %.2f | %.0f | %.2f× |\n",
      set, pages, tool, s[1], pages / s[1], r[1] / s[1], s[2], pages / s[2], r[2] / s[2]
  }'
}

echo "Median of $RUNS runs after a warm-up; $(nproc) cores; $(date -u +%Y-%m-%d)."
echo
echo "| set | pages | tool | wall s | pages/s | vs pdftotext | CPU s | pages/CPU s | vs pdftotext |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
for set in "${SETS[@]}"; do
  files=(corpus/"$set"/*.pdf)
  [ -e "${files[0]}" ] || { echo "compare.sh: no PDFs in corpus/$set" >&2; exit 1; }
  pages=0
  for f in "${files[@]}"; do
    pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')))
  done
  ref=$(timed run_pdftotext "${files[@]}")
  row "$set" "$pages" pdftotext "$ref" "$ref"
  if $have_mutool; then
    row "$set" "$pages" "mutool draw -F txt" "$(timed run_mutool "${files[@]}")" "$ref"
  fi
  one=$(timed run_batch 1 "${files[@]}")
  row "$set" "$pages" "uppfoljning batch --jobs 1" "$one" "$ref"
  two=$(timed run_batch 2 "${files[@]}")
  row "$set" "$pages" "uppfoljning batch --jobs 2" "$two" "$ref"
  # Idle PDF workers are not waited for when batch exits, so time(1)
  # leaves the reading out of the CPU columns above; in one process the
  # CPU time is all of it.
  whole=$(timed run_batch 1 "${files[@]}" --in-process)
  row "$set" "$pages" "uppfoljning batch --jobs 1 --in-process" "$whole" "$ref"
  speedups+=("$set $(awk -v a="${one%% *}" -v b="${two%% *}" 'BEGIN { printf "%.2f×", a / b }')")
done
echo
echo "Wall-time speed-up from --jobs 1 to --jobs 2: ${speedups[*]}."

# Peak memory of one worker on a 300-page PDF: corpus PDFs concatenated
# (generated here, never committed).
echo
echo "| 300-page PDF | pages | peak RSS (MB), --jobs 1 |"
echo "|---|---:|---:|"
for set in "${SETS[@]}"; do
  files=(corpus/"$set"/*.pdf)
  parts=()
  pages=0
  while [ "$pages" -lt 300 ]; do
    for f in "${files[@]}"; do
      [ "$pages" -lt 300 ] || break
      parts+=("$f")
      pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')))
    done
  done
  pdfunite "${parts[@]}" "$work/big.pdf"
  big_pages=$(pdfinfo "$work/big.pdf" | awk '/^Pages:/ { print $2 }')
  rm -rf "$work/out"
  /usr/bin/time -f '%M' -o "$work/rss" \
    "$BIN" batch "$work/big.pdf" --out "$work/out" --jobs 1 --force --ocr never >/dev/null 2>&1
  kb=$(tail -1 "$work/rss")
  awk -v set="$set" -v p="$big_pages" -v kb="$kb" 'BEGIN { printf "| %s | %d | %.1f |\n", set, p, kb / 1024 }'
done
