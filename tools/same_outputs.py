#!/usr/bin/env python3
"""Check that a change leaves every output byte-identical.

Runs `uppfoljning batch` over every corpus set (corpus/*, corpus2/*, the
sample report and the fixtures' text inputs) into one folder per set, so
two builds can be compared:

    python3 tools/same_outputs.py snapshot --bin OLD/uppfoljning /tmp/before
    python3 tools/same_outputs.py snapshot --bin target/release/uppfoljning /tmp/after
    python3 tools/same_outputs.py compare /tmp/before /tmp/after

`compare` diffs every file byte for byte, except:
- the workbook: an .xlsx is compared by the XML of its sheets and shared
  strings (the cell values and their formats), since its document
  properties carry the time it was written;
- in report documents (.json), the tool's version and git revision in
  `provenance.tool`, which change with every build of another commit: they
  are masked on both sides, and everything else, the rest of the
  provenance included, must be byte-identical.
Exit status 1 when anything differs, listing each difference.
"""

import argparse
import pathlib
import re
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def sets():
    """(name, input folder) for every set of reports in the repository."""
    found = []
    for parent in ("corpus", "corpus2"):
        for path in sorted((ROOT / parent).iterdir()):
            if path.is_dir() and path.name != "truth":
                if any(p.suffix in (".pdf", ".txt") for p in path.rglob("*")):
                    found.append((f"{parent}-{path.name}", path.relative_to(ROOT)))
    found.append(("fixtures-sample", pathlib.Path("fixtures/sample")))
    return found


def snapshot(binary, out, only):
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    for name, folder in sets():
        if only and name not in only:
            continue
        target = out / name
        print(f"-- {name}", flush=True)
        status = subprocess.run(
            [str(binary), "batch", str(folder), "--out", str(target.resolve()), "--force"],
            # Inputs are named relative to the checkout, so that snapshots
            # of two worktrees compare.
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Exit 2 (some inputs failed) is an output like any other: the
        # errors.jsonl it writes is compared too.
        if status.returncode not in (0, 2):
            print(status.stderr, file=sys.stderr)
            failed = True
    return 1 if failed else 0


# `"tool": {"name": …, "version": …, "revision": …}` as serde writes it,
# compact or pretty.
TOOL = re.compile(
    rb'("tool":\s*\{\s*"name":\s*"[^"]*",\s*"version":\s*)"[^"]*"(,\s*"revision":\s*)(?:null|"[^"]*")'
)


def masked_tool(data):
    """A report document's bytes with provenance.tool's version and
    revision replaced by placeholders."""
    return TOOL.sub(rb'\1"[version]"\2"[revision]"', data)


def xlsx_parts(path):
    with zipfile.ZipFile(path) as book:
        return {
            name: book.read(name)
            for name in book.namelist()
            if name.startswith("xl/") and name.endswith(".xml")
        }


def compare(before, after):
    differences = []
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            differences.append(f"only in {'after' if b.exists() else 'before'}: {name}")
        elif name.suffix == ".xlsx":
            pa, pb = xlsx_parts(a), xlsx_parts(b)
            for part in sorted(set(pa) | set(pb)):
                if pa.get(part) != pb.get(part):
                    differences.append(f"differs: {name} ({part})")
        elif name.suffix == ".json":
            if masked_tool(a.read_bytes()) != masked_tool(b.read_bytes()):
                differences.append(f"differs: {name}")
        elif a.read_bytes() != b.read_bytes():
            differences.append(f"differs: {name}")
    for line in differences:
        print(line)
    print(f"{len(names)} files compared, {len(differences)} differ")
    return 1 if differences else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="convert every set into OUT/<set>")
    snap.add_argument("--bin", default=str(ROOT / "target/release/uppfoljning"))
    snap.add_argument("--only", nargs="*", help="only these sets (names as printed)")
    snap.add_argument("out", type=pathlib.Path)
    cmp = sub.add_parser("compare", help="diff two snapshots")
    cmp.add_argument("before", type=pathlib.Path)
    cmp.add_argument("after", type=pathlib.Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        sys.exit(snapshot(pathlib.Path(args.bin).resolve(), args.out, args.only))
    sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
