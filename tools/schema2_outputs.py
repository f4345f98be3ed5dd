#!/usr/bin/env python3
"""Compare two same_outputs.py snapshots, one of a build that writes schema
version 1 and one of a build that writes schema version 2 (issue 18), after
taking out what version 2 adds: every byte else must be identical.

    python3 tools/same_outputs.py snapshot --bin OLD/uppfoljning /tmp/before
    python3 tools/same_outputs.py snapshot --bin target/release/uppfoljning /tmp/after
    python3 tools/schema2_outputs.py /tmp/before /tmp/after

Once both sides write version 2, `same_outputs.py compare` is the check.

- report .json: parse; drop provenance, items[].item_key; schema_version 2->1;
  then compare the parsed documents AND the re-serialised text of after with
  before's text (pretty, 2 spaces, as serde writes) to check byte identity.
- aggregate.csv: drop the last column (item_key) of after; bytes equal.
- aggregate.jsonl: drop "item_key" from each object of after; bytes equal
  (re-serialised in serde's compact form, key order kept).
- aggregate.xlsx: sheet values (shared strings resolved): Rader without its
  14th column; Matris with before's merged programme header filled forward;
  Antal and Att granska XML byte-identical; styles may differ.
- overview.html: bytes equal but for the schema version it names;
- anything else (errors.jsonl): bytes equal.
Exit status 1 when anything differs beyond the new fields.
"""
import json
import pathlib
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def serde_pretty(v):
    return json.dumps(v, indent=2, ensure_ascii=False)


def strip_report(d):
    if isinstance(d, list):
        return [strip_report(x) for x in d]
    d = dict(d)
    d.pop("provenance", None)
    d["schema_version"] = 1
    d["items"] = [{k: v for k, v in i.items() if k != "item_key"} for i in d["items"]]
    return d


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_values(book, name, strings):
    root = ET.fromstring(book.read(name))
    grid = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        ref = c.get("r")
        row = int(re.search(r"\d+", ref).group(0)) - 1
        v = c.find("m:v", NS)
        val = None if v is None else v.text
        if c.get("t") == "s" and val is not None:
            val = strings[int(val)]
        grid[(row, col_index(ref))] = val
    return grid


def shared_strings(book):
    try:
        root = ET.fromstring(book.read("xl/sharedStrings.xml"))
    except KeyError:
        return []
    out = []
    for si in root.findall("m:si", NS):
        out.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    return out


def compare_xlsx(a, b):
    problems = []
    with zipfile.ZipFile(a) as ba, zipfile.ZipFile(b) as bb:
        sa, sb = shared_strings(ba), shared_strings(bb)
        # Rader
        ga = sheet_values(ba, "xl/worksheets/sheet1.xml", sa)
        gb = sheet_values(bb, "xl/worksheets/sheet1.xml", sb)
        gb = {k: v for k, v in gb.items() if k[1] != 13}
        ga = {k: v for k, v in ga.items() if v is not None}
        gb = {k: v for k, v in gb.items() if v is not None}
        if ga != gb:
            problems.append("Rader values differ beyond item_key")
        # Matris: fill before's row-0 programme names forward over its merges.
        ga = sheet_values(ba, "xl/worksheets/sheet2.xml", sa)
        gb = sheet_values(bb, "xl/worksheets/sheet2.xml", sb)
        last_col = max([c for (r, c) in gb if r == 1] + [1])
        current = None
        for col in range(2, last_col + 1):
            if ga.get((0, col)) is not None:
                current = ga[(0, col)]
            elif current is not None:
                ga[(0, col)] = current
        ga = {k: v for k, v in ga.items() if v is not None}
        gb = {k: v for k, v in gb.items() if v is not None}
        if ga != gb:
            diff = sorted(set(ga.items()) ^ set(gb.items()))[:5]
            problems.append(f"Matris values differ: {diff}")
        # Antal, Att granska: the same values (shared-string indices shift,
        # since Rader has more strings, and style ids, since there is one
        # format more).
        for part in ("xl/worksheets/sheet3.xml", "xl/worksheets/sheet4.xml"):
            if sheet_values(ba, part, sa) != sheet_values(bb, part, sb):
                problems.append(f"{part} values differ")
    return problems


def main(before, after):
    before, after = pathlib.Path(before), pathlib.Path(after)
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    bad = []
    counts = {}
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            bad.append(f"only in {'after' if b.exists() else 'before'}: {name}")
            continue
        kind = name.suffix if name.name not in ("errors.jsonl",) else "errors"
        counts[kind] = counts.get(kind, 0) + 1
        if name.suffix == ".json":
            ja, jb = json.loads(a.read_bytes()), json.loads(b.read_bytes())
            if strip_report(jb) != ja:
                bad.append(f"differs beyond new fields: {name}")
            elif serde_pretty(strip_report(jb)) + "\n" != a.read_text():
                bad.append(f"text differs beyond new fields: {name}")
            elif not all(
                i.get("item_key") for d in (jb if isinstance(jb, list) else [jb]) for i in d["items"]
            ) or not all("provenance" in d for d in (jb if isinstance(jb, list) else [jb])):
                bad.append(f"new fields missing: {name}")
        elif name.name == "aggregate.csv":
            ta = a.read_bytes()
            tb = b.read_bytes()
            # Last field of every record: item_key has no comma/quote/newline.
            stripped = b"\r\n".join(
                line.rsplit(b",", 1)[0] if line else line for line in tb.split(b"\r\n")
            )
            if stripped != ta:
                bad.append(f"differs beyond item_key: {name}")
        elif name.name == "aggregate.jsonl":
            lines_b = b.read_text().splitlines()
            out = []
            for line in lines_b:
                o = json.loads(line)
                assert list(o)[-1] == "item_key"
                o.pop("item_key")
                out.append(json.dumps(o, ensure_ascii=False, separators=(",", ":")))
            if "".join(l + "\n" for l in out) != a.read_text():
                bad.append(f"differs beyond item_key: {name}")
        elif name.suffix == ".xlsx":
            bad += [f"{name}: {p}" for p in compare_xlsx(a, b)]
        elif name.name == "overview.html":
            # The page names the schema version it read.
            old = a.read_bytes().replace(b"(schemaversion 1)", b"(schemaversion 2)")
            if old != b.read_bytes():
                bad.append(f"differs beyond the schema version: {name}")
        elif a.read_bytes() != b.read_bytes():
            bad.append(f"differs: {name}")
    for line in bad:
        print(line)
    print(f"{len(names)} files compared ({counts}), {len(bad)} differ beyond the new fields")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
