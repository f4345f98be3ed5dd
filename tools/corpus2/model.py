"""Document model shared by the corpus2 producers.

Turns one ground-truth report (corpus/truth/<stem>.json) plus the catalogue
(src/catalog/catalog.toml) into a flat list of blocks that each producer
(docx writer, HTML writer) lays out in its own way:

  ("title", [lines])                 cover / title lines
  ("heading", level, number, text)   numbered heading, level 1..3
  ("caption", text)                  a lone line such as "Insatser"
  ("table", [row, ...])              one two-column questionnaire table
      row = {"left": [(text, bold)], "right": [(text, bold)]}

Written for corpus2 independently of tools/corpus/render.py.
"""
import hashlib
import json
import os
import random
import re
import tomllib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TRUTH_DIR = os.path.join(ROOT, "corpus", "truth")
CATALOG = os.path.join(ROOT, "src", "catalog", "catalog.toml")

HEADER = ("Uppföljningsfrågor", "Svarsalternativ med kommentar")
ANSWER_WORD = {"ja": "Ja", "nej": "Nej", "delvis": "Delvis", None: ""}

# Which areas sit under which sub-section heading (not in the catalogue).
SUBSECTIONS = {
    "trygghetsprogram-2022-2026": [
        ("Uppföljning arbetsprocessen", [1, 2]),
        ("Uppföljning arbetets inriktning", [3, 4, 5]),
    ],
    "tystnadskultur-2023-2025": [("Uppföljning implementeringsprocessen", None)],
}


def selected_stems(n=12, salt="corpus2"):
    """The fixed subset: the n stems with the smallest sha256(salt:stem)."""
    stems = sorted(f[:-5] for f in os.listdir(TRUTH_DIR) if f.endswith(".json"))
    key = lambda s: hashlib.sha256(f"{salt}:{s}".encode()).hexdigest()
    return sorted(sorted(stems, key=key)[:n])


def load_catalog(path=CATALOG):
    with open(path, "rb") as f:
        return tomllib.load(f)


def load_truth(stem, truth_dir=TRUTH_DIR):
    with open(os.path.join(truth_dir, stem + ".json"), encoding="utf-8") as f:
        return json.load(f)


def split_comment(text, rng, limit=230):
    """Split a long comment into 2 paragraphs at a sentence end (joined with a
    space they give the original). Short comments stay one paragraph."""
    if len(text) < limit:
        return [text]
    cuts = [m.end() for m in re.finditer(r"[.!?] (?=[A-ZÅÄÖ0-9])", text)]
    cuts = [c for c in cuts if 60 < c < len(text) - 40]
    if not cuts:
        return [text]
    c = rng.choice(cuts)
    return [text[:c - 1], text[c:]]


def build_blocks(truth, catalog, *, all_areas=True, cover=False, seed=0,
                 split_comments=True):
    rng = random.Random(f"model/{truth['stem']}/{seed}")
    progs = {p["id"]: p for p in catalog["program"]}
    by_prog = {}
    for it in truth["items"]:
        by_prog.setdefault(it["program"], []).append(it)
    order = [p["id"] for p in catalog["program"] if p["id"] in by_prog]
    order += [p for p in by_prog if p not in order]

    blocks = []
    if cover:
        lines = []
        if truth.get("title_line"):
            lines.append(truth["title_line"])
        else:
            lines.append(f"Uppföljning {truth['period']['year']}")
        lines.append(truth["administration"]["name"])
        blocks.append(("title", lines))
    elif truth.get("title_line"):
        blocks.append(("title", [truth["title_line"]]))

    for n, pid in enumerate(order, 1):
        prog = progs.get(pid, {"id": pid, "printed_titles": [pid], "area": [],
                                "item": [], "area_label": "Målområde"})
        items = by_prog[pid]
        cat_items = {i["code"]: i for i in prog.get("item", [])}
        area_titles = {a["number"]: a["title"] for a in prog.get("area", [])}
        blocks.append(("heading", 1, f"{n}", prog["printed_titles"][0]))
        label = prog.get("area_label", "")

        def row_of(it):
            left = [(it["question"], True)]
            if pid.startswith("handlingsplan"):
                ci = cat_items.get(it["code"], {})
                instr = ci.get("instruction") or (
                    "Genomförs aktiviteter i enlighet med utdelat ansvar för att "
                    f"uppfylla målet med insats {it['code']}.")
                left.append((instr, False))
                if it.get("expected_result"):
                    left.append(("Förväntat resultat: " + it["expected_result"], False))
            elif it.get("strategy_text"):
                left.append((it["strategy_text"], False))
            right = [(ANSWER_WORD[it["answer"]], False)] if it["answer"] else [("", False)]
            if it["comment"]:
                paras = split_comment(it["comment"], rng) if split_comments else [it["comment"]]
                right += [(p, False) for p in paras]
            return {"left": left, "right": right}

        if not label:
            subs = SUBSECTIONS.get(pid) or [(h, None) for h in prog.get("headings", [])[:1]] \
                or [(None, None)]
            for k, (title, _) in enumerate(subs, 1):
                if title:
                    blocks.append(("heading", 2, f"{n}.{k}", title))
            blocks.append(("table", [row_of(it) for it in items]))
            continue

        areas_with_rows = sorted({it["area"] for it in items})
        areas = sorted(set(area_titles) | set(areas_with_rows)) if all_areas else areas_with_rows
        subs = SUBSECTIONS.get(pid)
        if subs:
            groups = [(t, [a for a in areas if a in nums]) for t, nums in subs]
            rest = [a for a in areas if not any(a in nums for _, nums in subs)]
            if rest:
                groups[-1][1].extend(rest)
        else:
            groups = [(None, areas)]
        for k, (title, anums) in enumerate(groups, 1):
            if not anums:
                continue
            prefix = f"{n}.{k}" if title else f"{n}"
            if title:
                blocks.append(("heading", 2, prefix, title))
            for j, a in enumerate(anums, 1):
                t = area_titles.get(a)
                text = f"{label} {a}: {t}" if t else f"{label} {a}"
                blocks.append(("heading", 3 if title else 2, f"{prefix}.{j}", text))
                rows = [row_of(it) for it in items if it["area"] == a]
                if pid.startswith("handlingsplan") and j == 1 and rows:
                    blocks.append(("caption", "Insatser"))
                if rows:
                    blocks.append(("table", rows))
    return blocks
