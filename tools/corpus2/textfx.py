"""Format characters that real producers leave in text layers.

apply(text, style) adds, when the style asks for them:
  shy:  U+00AD soft hyphens inside words longer than 10 letters, every 5-7
        letters (seeded by the word itself, so the same word always gets the
        same breaks), never in the last 3 letters;
  nbsp: U+00A0 between "Strategi"/"insats" and the code, and in digit groups
        ("2 000") and "t.ex." style abbreviations with a following word;
  zwsp: U+200B after slashes ("och/eller", "forum/råd") as line-break hints.
"""
import hashlib
import random
import re

SHY, NBSP, ZWSP = "\u00ad", "\u00a0", "\u200b"
WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]{11,}")


def hyphenate_word(w):
    rng = random.Random(hashlib.sha256(w.encode()).hexdigest())
    out, i = [], 0
    while True:
        step = rng.randint(5, 7)
        if i + step > len(w) - 3:
            out.append(w[i:])
            break
        out.append(w[i:i + step])
        i += step
    return SHY.join(out)


def apply(text, style):
    if not text:
        return text
    if style.get("nbsp"):
        text = re.sub(r"\b(Strategi|insats) (\d+:\d+)", lambda m: m.group(1) + NBSP + m.group(2), text)
        text = re.sub(r"(\d) (\d{3})\b", lambda m: m.group(1) + NBSP + m.group(2), text)
        text = re.sub(r"\b(t\.ex\.|bl\.a\.|s\.k\.) ", lambda m: m.group(1) + NBSP, text)
    if style.get("zwsp"):
        text = re.sub(r"(?<=\w)/(?=\w)", "/" + ZWSP, text)
    if style.get("shy"):
        text = WORD.sub(lambda m: hyphenate_word(m.group(0)), text)
    return text
