#!/bin/sh
# Rebuilds fixtures/pdf/sample-* from the sample's ground truth.
# Needs the Debian packages listed in tools/corpus/README.md.
set -eu
cd "$(dirname "$0")/../.."
python3 tools/corpus/render.py fixtures/sample/000_a41603a7fe181f4b.expected.json \
    --hints tools/corpus/hints/000_a41603a7fe181f4b.json \
    --out-dir fixtures/pdf --name sample --formats digital,scan --lang eng "$@"
