//! Page furniture: running heads, running feet and page numbers, which
//! word processors print at the top and bottom of every page ("Sida 3 av
//! 7", "Göteborgs Stad – Kulturförvaltningen"). They belong to no row, but
//! a row that runs over a page break would take them into its comment.
//!
//! Found by what makes them furniture, not by their words: a line among a
//! page's first or last lines whose text, numbers left out, stands at the
//! same edge of several pages; or a line at a page's edge made only of a
//! page number and page-number words.

use rustc_hash::FxHashMap;

use super::lines::SourceLine;

/// How many lines at each edge of a page are looked at.
const EDGE_LINES: usize = 2;

/// On how many pages (at least) the same edge line must stand.
const MIN_PAGES: usize = 3;

/// Which lines are page furniture.
pub(crate) fn furniture(lines: &[SourceLine]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let pages = page_ranges(lines);
    if pages.len() < 2 {
        return out;
    }
    // (edge, form) → pages it stands on; edge 0 is the top, 1 the bottom.
    let mut seen: FxHashMap<(u8, String), Vec<usize>> = FxHashMap::default();
    let mut edge_lines: Vec<(u8, usize, String)> = Vec::new();
    for (p, range) in pages.iter().enumerate() {
        let top = range.clone().take(EDGE_LINES);
        let bottom = range.clone().rev().take(EDGE_LINES);
        for (edge, i) in top.map(|i| (0u8, i)).chain(bottom.map(|i| (1u8, i))) {
            let form = form(&lines[i]);
            if form.len() < 3 {
                continue;
            }
            let on = seen.entry((edge, form.clone())).or_default();
            if on.last() != Some(&p) {
                on.push(p);
            }
            edge_lines.push((edge, i, form));
        }
    }
    let needed = MIN_PAGES.min(pages.len());
    for (edge, i, form) in edge_lines {
        let repeated = seen.get(&(edge, form)).is_some_and(|on| on.len() >= needed);
        if repeated || is_page_number(&lines[i], pages.len()) {
            out[i] = true;
        }
    }
    out
}

/// Index ranges of each page's lines.
fn page_ranges(lines: &[SourceLine]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match out.last_mut() {
            Some(r) if lines[r.start].page == l.page => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// A line's text for comparing across pages: its matching keys, with
/// every digit the same (page numbers differ from page to page).
fn form(line: &SourceLine) -> String {
    let mut s = String::new();
    for w in &line.words {
        if !s.is_empty() {
            s.push(' ');
        }
        s.extend(
            w.key
                .chars()
                .map(|c| if c.is_ascii_digit() { '#' } else { c }),
        );
    }
    s
}

/// Words that go with a page number ("Sida 3 av 7", "Page 3 of 7", "s. 3").
const PAGE_WORDS: [&str; 6] = ["sida", "av", "page", "of", "s", "sid"];

/// How far past the document's page count a printed page number may go
/// (front matter not in the file, an attachment numbered on).
const PAGE_NUMBER_SLACK: usize = 5;

/// A line made of a page number and page-number words only ("3", "- 3 -",
/// "3 (7)", "Sida 3 av 7", "3/7"), its numbers no larger than a page
/// number of a `pages`-page document can be: a year or a count that a
/// comment wraps onto a line of its own ("2025.") is text.
fn is_page_number(line: &SourceLine, pages: usize) -> bool {
    let mut digits = false;
    for w in &line.words {
        let t = w.text.trim_matches(|c: char| "-–—()[]".contains(c));
        if t.is_empty() {
            continue;
        }
        // OCR glues a page word to its number ("av8", "s.3"): read the
        // number after a page word's letters.
        let glued = t
            .find(|c: char| c.is_ascii_digit())
            .filter(|&i| i > 0 && PAGE_WORDS.contains(&fold_page_word(&t[..i]).as_str()));
        let t = glued.map_or(t, |i| &t[i..]);
        let numbers: Option<Vec<usize>> = t.split('/').map(|p| p.parse().ok()).collect();
        match numbers {
            Some(ns)
                if ns
                    .iter()
                    .all(|&n| (1..=pages + PAGE_NUMBER_SLACK).contains(&n)) =>
            {
                digits = true;
            }
            Some(_) => return false,
            None if PAGE_WORDS.contains(&w.key.as_str()) => {}
            None => return false,
        }
    }
    digits
}

/// A page word as [`PAGE_WORDS`] spells it: lower case, without dots.
fn fold_page_word(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '.')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::source_lines;

    fn marked(text: &str) -> Vec<String> {
        let lines = source_lines(&crate::read::text::read_text(text.as_bytes()));
        let f = furniture(&lines);
        lines
            .iter()
            .zip(f)
            .filter(|(_, f)| *f)
            .map(|(l, _)| l.text())
            .collect()
    }

    #[test]
    fn running_heads_and_page_numbers_are_furniture() {
        let page = |n: usize, body: &str| {
            format!("Göteborgs Stad – Kulturförvaltningen\n\n{body}\n\nSida {n} av 3\n")
        };
        let text = [
            page(1, "Är ert arbete kunskapsbaserat?\nJa"),
            page(2, "Vi har en plan.\nHar ni säkrat er kompetens?"),
            page(3, "Nej\nUtbildningen planeras."),
        ]
        .join("\x0c");
        assert_eq!(
            marked(&text),
            [
                "Göteborgs Stad – Kulturförvaltningen",
                "Sida 1 av 3",
                "Göteborgs Stad – Kulturförvaltningen",
                "Sida 2 av 3",
                "Göteborgs Stad – Kulturförvaltningen",
                "Sida 3 av 3",
            ]
        );
    }

    #[test]
    fn a_body_line_at_a_page_edge_is_not_furniture() {
        // Different text at each page's edges, and a comment ending in a
        // number: nothing repeats, nothing is a bare page number.
        let text =
            "Ja\nVi deltog i 3 möten.\x0cNej\nUtbildningen planeras till 2025.\x0cJa\nKlart.";
        assert!(marked(text).is_empty(), "{:?}", marked(text));
    }

    #[test]
    fn page_numbers_take_many_shapes() {
        let line = |t: &str| source_lines(&crate::read::text::read_text(t.as_bytes())).remove(0);
        for t in [
            "3",
            "- 3 -",
            "3 (7)",
            "Sida 3 av 7",
            "3/7",
            "Page 3 of 7",
            "Sida 3 av7",
            "s.3",
        ] {
            assert!(is_page_number(&line(t), 7), "{t}");
        }
        for t in [
            "3 möten", "2025 Ja", "Ja", "2025.", "40", "3.", "av70", "Ja3",
        ] {
            assert!(!is_page_number(&line(t), 7), "{t}");
        }
    }
}
