"""Write the stretch set's sources: corpus2/revised/catalog.toml (a revised
catalogue, version 2025.1) and corpus2/revised/truth/<stem>.json (4 reports
answering it). Run once; its outputs are committed and only read by build.py.

Changes against src/catalog/catalog.toml:
  - trygghetsprogram 1:2 and tystnadskultur 2:1: questions reworded;
  - handlingsplan 2:1 added (a code the 2024.1 catalogue lacks);
  - trygghetsprogram 5:2 removed (kv-2025 still answers it: unknown_code);
  - new programme "extremism-2025-2028" with three items.
The truths are derived from four 2023/2024 truths (years moved on, texts of
reworded questions replaced, new rows answered with comments written here).
"""
import json
import os
import re

import model

OUT = os.path.join(model.ROOT, "corpus2", "revised")

Q12_OLD = 'question = "Har ni säkrat er kompetens?"'
Q12_NEW = 'question = "Har ni säkrat och utvecklat er kompetens under året?"'
T21_OLD = 'question = "Har kunskapen om otillåten påverkan & tystnadskultur ökat? (Samtliga nämnder och styrelser)"'
T21_NEW = 'question = "Har kunskapen om otillåten påverkan och tystnadskultur ökat i verksamheten? (Samtliga nämnder och styrelser)"'
H21 = dict(
    code="2:1",
    question="Har ni bidragit till att unga som riskerar att rekryteras till kriminalitet får stöd i tid?",
    instruction="Genomförs aktiviteter i enlighet med utdelat ansvar för att uppfylla målet med insats 2:1.",
    expected_result="Fler unga som riskerar att rekryteras till kriminalitet nås av tidiga och samordnade insatser.",
)
EXT = dict(
    id="extremism-2025-2028",
    title="Göteborgs Stads plan mot våldsbejakande extremism 2025–2028",
    printed="Göteborgs Stads plan mot våldsbejakande extremism 2025-2028",
    heading="Uppföljning planens åtgärder",
    items=[
        ("1:1", "Har ni utsett en kontaktperson för frågor om våldsbejakande extremism? (Samtliga nämnder och styrelser)",
         "1:1 Samtliga nämnder och styrelser ska ha en utsedd kontaktperson för frågor om våldsbejakande extremism."),
        ("1:2", "Har chefer och medarbetare fått utbildning om våldsbejakande extremism?",
         "1:2 Ökad kunskap hos chefer och medarbetare om tidiga tecken på radikalisering och om hur oro ska hanteras."),
        ("2:1", "Har ni rutiner för att hantera oro för radikalisering hos barn, unga eller medarbetare?",
         "2:1 Tydliga rutiner för att anmäla och hantera oro för radikalisering."),
    ],
)

# (new stem, source stem, year shift, answers + comments for the extremism items, handlingsplan 2:1 row or None)
REPORTS = [
    ("kuf-2025", "kuf-2023", 2,
     [("ja", "Förvaltningens säkerhetssamordnare är kontaktperson och deltar i stadens nätverk."),
      ("delvis", "Chefer inom biblioteken har gått utbildningen. Övriga medarbetare utbildas under 2026."),
      ("ja", "Rutinen för oro för radikalisering är uppdaterad och finns på intranätet.")],
     ("delvis", "Biblioteken samarbetar med fritidsgårdarna kring unga som vistas på biblioteken kvällstid, men arbetet är ännu inte systematiskt.")),
    ("mf-2025", "mf-2024", 1,
     [("ja", "Säkerhetschefen är utsedd kontaktperson."),
      ("nej", "Ingen utbildning har genomförts under 2025."),
      ("delvis", "Stadens generella rutin används. En egen rutin tas fram 2026.")],
     None),
    ("sff-2025", "sff-2024", 1,
     [("ja", "Kontaktperson finns på säkerhetsenheten."),
      ("ja", "Alla chefer har gått stadens webbutbildning om våldsbejakande extremism."),
      (None, "")],
     ("nej", "Förvaltningen har inget uppdrag som rör målgruppen direkt.")),
    ("kv-2025", "kv-2024", 1,
     [("ja", "Förvaltningens säkerhetsskyddschef är kontaktperson."),
      ("delvis", "Utbildning har genomförts för chefer inom insamlingen. Fler grupper utbildas 2026."),
      ("ja", "Rutinen gäller för alla verksamheter och följs upp årligen.")],
     None),
]


def revised_catalog():
    src = open(model.CATALOG, encoding="utf-8").read()
    s = src.replace('version = "2024.1"', 'version = "2025.1"')
    assert Q12_OLD in s and T21_OLD in s
    s = s.replace(Q12_OLD, Q12_NEW).replace(T21_OLD, T21_NEW)
    # remove trygghetsprogram 5:2
    s, n = re.subn(r'\[\[program\.item\]\]\ncode = "5:2"\nquestion = "Har ni förstärkt[^\n]*\nstrategy = [^\n]*\n\n', "", s)
    assert n == 1
    # add handlingsplan 2:1 before its 3:2 item
    anchor = '[[program.item]]\ncode = "3:2"\nquestion = "Deltar ni'
    assert anchor in s
    add = ('[[program.item]]\ncode = "2:1"\n'
           f'question = "{H21["question"]}"\ninstruction = "{H21["instruction"]}"\n'
           f'expected_result = "{H21["expected_result"]}"\n\n')
    s = s.replace(anchor, add + anchor)
    s = s.rstrip("\n") + "\n\n"
    s += "# Added in 2025.1 (corpus2 stretch set; invented for testing, not a real plan text).\n"
    s += (f'[[program]]\nid = "{EXT["id"]}"\ntitle = "{EXT["title"]}"\n'
          f'printed_titles = ["{EXT["printed"]}"]\narea_label = ""\ncode_label = ""\n'
          f'headings = ["{EXT["heading"]}"]\n')
    for code, q, st in EXT["items"]:
        s += f'\n[[program.item]]\ncode = "{code}"\nquestion = "{q}"\nstrategy = "{st}"\n'
    s = s.replace("# Catalogue of the follow-up programmes (format: schema.md in this folder).",
                  "# Catalogue of the follow-up programmes (format: src/catalog/schema.md).\n"
                  "# corpus2/revised: version 2025.1, derived from src/catalog/catalog.toml by\n"
                  "# tools/corpus2/make_revised.py (see its docstring for the changes).", 1)
    return s


def shift_years(text, k):
    return re.sub(r"\b(202[0-4])\b", lambda m: str(int(m.group(1)) + k), text) if text else text


def main():
    os.makedirs(os.path.join(OUT, "truth"), exist_ok=True)
    with open(os.path.join(OUT, "catalog.toml"), "w", encoding="utf-8") as f:
        f.write(revised_catalog())
    q12 = Q12_NEW.split('"')[1]
    t21 = T21_NEW.split('"')[1]
    for new, src, k, ext, h21 in REPORTS:
        t = model.load_truth(src)
        year = t["period"]["year"] + k
        out = dict(schema_version=1, stem=new, split="test",
                   administration=t["administration"], period=dict(year=year),
                   title_line=shift_years(t.get("title_line"), k),
                   render=dict(seed=t["render"]["seed"] + 1000, swe=False, image_only=False),
                   items=[])
        for it in t["items"]:
            it = dict(it)
            it["comment"] = shift_years(it["comment"], k)
            if it["program"] == "trygghetsprogram-2022-2026" and it["code"] == "5:2":
                if new != "kv-2025":
                    continue
                it["unknown_code"] = True
            if it["program"] == "trygghetsprogram-2022-2026" and it["code"] == "1:2":
                it["question"] = q12
            if it["program"] == "tystnadskultur-2023-2025" and it["code"] == "2:1":
                it["question"] = t21
            if it["program"] == "handlingsplan-2023-2026" and h21 and it["area"] >= 2 \
                    and not any(x["code"] == "2:1" and x["program"] == it["program"] for x in out["items"]):
                out["items"].append(dict(program=it["program"], area=2, code="2:1", question=H21["question"],
                                         strategy_text=None, answer=h21[0], comment=h21[1],
                                         expected_result=H21["expected_result"]))
            out["items"].append(it)
        for (code, q, st), (ans, com) in zip(EXT["items"], ext):
            out["items"].append(dict(program=EXT["id"], area=None, code=code, question=q,
                                     strategy_text=st, answer=ans, comment=com, expected_result=None))
        with open(os.path.join(OUT, "truth", new + ".json"), "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
