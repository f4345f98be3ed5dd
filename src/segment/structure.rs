//! Finds the lines that are not part of any table row: programme titles,
//! numbered section and area headings (with their wrapped continuation
//! lines and tails OCR moved elsewhere), and the table header repeated on
//! every page.
//!
//! Everything is recognised by fuzzy comparison with the catalogue's own
//! texts, so OCR damage ("MAalomrade", "3 (GOteborgs Stads plan") is
//! tolerated and no title is hard-wired here.

use crate::catalog::Catalog;

use super::fold::{key, normalized_levenshtein, similarity, similarity_measured, Measured};
use super::lines::SourceLine;

/// What a line is, as far as structure goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Part of the table body: a row's template text, answer or comment.
    Body,
    /// The table header ("Uppföljningsfrågor | Svarsalternativ med kommentar").
    TableHeader,
    /// A line of a programme title; the index is into `Catalog::programs`.
    ProgramTitle(usize),
    /// A running head, running foot or page number (see
    /// [`super::furniture`]).
    PageFurniture,
    /// A line of a section the catalogue does not know (see
    /// [`super::sections`]): part of no row.
    UnknownSection,
    /// A section or area heading line.
    Heading {
        /// The programme it belongs to, where the heading tells.
        program: Option<usize>,
        /// The area number for "Målområde N" / "Fokusområde N" headings.
        area: Option<u16>,
    },
}

const HEADER_FORMS: [&str; 5] = [
    "uppfoljningsfragor",
    "svarsalternativmedkommentar",
    "uppfoljningsfragorsvarsalternativmedkommentar",
    "insatser",
    "insatseruppfoljningsfragorsvarsalternativmedkommentar",
];

/// Classifies every line.
pub(crate) fn classify(lines: &[SourceLine], catalog: &Catalog) -> Vec<Role> {
    let texts = HeadingTexts::new(catalog);
    let keys: Vec<Vec<String>> = lines.iter().map(line_keys).collect();
    let mut roles = vec![Role::Body; lines.len()];
    let furniture = super::furniture::furniture(lines);
    let page_lines = page_line_numbers(lines);
    let mut i = 0;
    while i < lines.len() {
        let header = is_table_header(&keys[i])
            || (at_table_top(&page_lines, &roles, i) && is_scrambled_header(&keys[i]));
        if header && !ends_sentence(&lines[i]) {
            roles[i] = Role::TableHeader;
            i += 1;
            continue;
        }
        if furniture[i] {
            roles[i] = Role::PageFurniture;
            i += 1;
            continue;
        }
        let numbered = leading_number(&lines[i]);
        // A title wraps over a few lines; judge it with what follows.
        let last = lines.len().min(i + 4);
        let end = (i + 1..last).find(|&k| lines[k].para_start).unwrap_or(last);
        if let Some((p, target)) =
            texts.program_title_start(&keys[i..end], numbered, lines[i].para_start)
        {
            roles[i] = Role::ProgramTitle(p);
            i = consume_continuation(lines, &keys, &mut roles, i, &target, Role::ProgramTitle(p));
            continue;
        }
        if let Some((role, target)) = texts.heading_start(&keys[i], numbered) {
            roles[i] = role;
            i = consume_continuation(lines, &keys, &mut roles, i, &target, role);
            continue;
        }
        i += 1;
    }
    // Tails of wrapped headings that OCR placed elsewhere ("att utsattas
    // for brott" before the heading it ends): a paragraph of its own made
    // only of heading words.
    for i in 0..lines.len() {
        if roles[i] != Role::Body || !lines[i].para_start {
            continue;
        }
        let next_is_break = lines
            .get(i + 1)
            .is_none_or(|n| n.para_start || roles[i + 1] != Role::Body);
        if next_is_break && keys[i].len() >= 2 && texts.is_heading_fragment(&keys[i]) {
            roles[i] = Role::Heading {
                program: None,
                area: None,
            };
        }
    }
    roles
}

/// Matching keys of a line's words, noise left out.
fn line_keys(line: &SourceLine) -> Vec<String> {
    line.words
        .iter()
        .filter(|w| !w.key.is_empty())
        .map(|w| w.key.clone())
        .collect()
}

fn is_table_header(keys: &[String]) -> bool {
    let joined: String = keys.concat();
    if joined.len() < 6 {
        return false;
    }
    // Normalised Levenshtein similarity of 0.8 needs lengths within 20 %
    // of each other (the forms are ASCII): most lines are ruled out before
    // the edit distance.
    let chars = joined.chars().count();
    HEADER_FORMS.iter().any(|f| {
        chars.abs_diff(f.len()) * 5 <= chars.max(f.len())
            && normalized_levenshtein(&joined, f) >= 0.8
    })
}

/// A line ending in a full stop, "!" or "?": a sentence, never a header
/// cell, even when its words are a header's (a comment's last word
/// "insatser." wrapped onto a line of its own).
fn ends_sentence(line: &SourceLine) -> bool {
    line.words
        .last()
        .is_some_and(|w| w.text.ends_with(['.', '!', '?']))
}

/// Each line's 0-based number on its page.
fn page_line_numbers(lines: &[SourceLine]) -> Vec<usize> {
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let same_page = i > 0 && lines[i - 1].page == l.page;
        out.push(if same_page { out[i - 1] + 1 } else { 0 });
    }
    out
}

/// Where a table's header row stands: among the first lines of a page, or
/// right under a heading or title. `page_lines` from [`page_line_numbers`].
fn at_table_top(page_lines: &[usize], roles: &[Role], i: usize) -> bool {
    page_lines[i] < TABLE_TOP_LINES || i.checked_sub(1).is_some_and(|p| roles[p] != Role::Body)
}

/// How many lines from a page's top its table header may stand (a running
/// head or a heading can come first).
const TABLE_TOP_LINES: usize = 3;

/// The header row with its letters scrambled, as OCR reads two header cells
/// whose words interleave ("Svarsaltemerd nkoamtmeintvar" for "Svarsalternativ
/// med kommentar"): nearly the same letters as a header form, in any order.
/// Only trusted where a header stands (see [`at_table_top`]): the letters of
/// a short body line can come close to a form's by chance.
fn is_scrambled_header(keys: &[String]) -> bool {
    let joined: String = keys.concat();
    if joined.len() < 12 {
        return false;
    }
    HEADER_FORMS.iter().any(|f| {
        joined.len().abs_diff(f.len()) * 10 <= joined.len().max(f.len())
            && letter_bag_similarity(&joined, f) >= SCRAMBLED_HEADER
    })
}

/// Share of letters two header keys have in common, counted as multisets
/// (Dice coefficient over letters): 1.0 for anagrams.
fn letter_bag_similarity(a: &str, b: &str) -> f32 {
    let mut counts = [0i32; 256];
    for &c in a.as_bytes() {
        counts[usize::from(c)] += 1;
    }
    let mut common = 0;
    for &c in b.as_bytes() {
        let n = &mut counts[usize::from(c)];
        if *n > 0 {
            *n -= 1;
            common += 1;
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

/// Letter-bag similarity a scrambled header needs. On the corpus's and
/// the sample's OCR text no body line comes above 0.85 against any form.
const SCRAMBLED_HEADER: f32 = 0.9;

/// A leading section number ("1", "2.3", "1.2.1"), as OCR prints it.
fn leading_number(line: &SourceLine) -> bool {
    let Some(first) = line.words.first() else {
        return false;
    };
    let t = first.text.trim_start_matches('(').trim_end_matches('.');
    !t.is_empty()
        && t.len() <= 6
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Matches `line` in order against `target` from `start`, allowing a few
/// skipped target words. Returns (matched words, position after the last).
fn match_run<'k>(
    line: impl IntoIterator<Item = &'k String>,
    target: &[String],
    start: usize,
) -> (usize, usize) {
    let mut pos = start;
    let mut matched = 0;
    for k in line {
        let k = Measured::new(k);
        let window = pos..target.len().min(pos + 4);
        if let Some(j) = window
            .clone()
            .find(|&j| similarity_measured(k, Measured::new(&target[j])) > 0.0)
        {
            matched += 1;
            pos = j + 1;
        }
    }
    (matched, pos)
}

/// Consumes lines after a title/heading start that continue its text.
fn consume_continuation(
    lines: &[SourceLine],
    keys: &[Vec<String>],
    roles: &mut [Role],
    start: usize,
    target: &[String],
    role: Role,
) -> usize {
    let (_, mut pos) = match_run(&keys[start], target, 0);
    let mut i = start + 1;
    while i < lines.len() && pos < target.len() {
        let k = &keys[i];
        if k.is_empty() || is_table_header(k) {
            break;
        }
        let (matched, next) = match_run(k, target, pos);
        // A continuation matches most of its words; across a blank line
        // only a line made entirely of title words (such as the years).
        let needed = if lines[i].para_start {
            k.len()
        } else {
            k.len().div_ceil(2).max(1)
        };
        if matched < needed {
            break;
        }
        roles[i] = role;
        pos = next;
        i += 1;
    }
    i
}

/// The catalogue's structural texts as key sequences.
struct HeadingTexts {
    /// (programme index, title keys) for every printed title.
    titles: Vec<(usize, Vec<String>)>,
    /// (programme index, area label key) for programmes with areas.
    labels: Vec<(usize, String)>,
    /// (programme index, area number, title keys).
    areas: Vec<(usize, u16, Vec<String>)>,
    /// (programme index, heading keys) for sub-section headings.
    headings: Vec<(usize, Vec<String>)>,
}

fn text_keys(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(key)
        .filter(|k| !k.is_empty())
        .collect()
}

impl HeadingTexts {
    fn new(catalog: &Catalog) -> HeadingTexts {
        let mut t = HeadingTexts {
            titles: Vec::new(),
            labels: Vec::new(),
            areas: Vec::new(),
            headings: Vec::new(),
        };
        for (pi, p) in catalog.programs.iter().enumerate() {
            for title in p.printed_titles.iter().chain(std::iter::once(&p.title)) {
                t.titles.push((pi, text_keys(title)));
            }
            if p.has_areas() {
                t.labels.push((pi, key(&p.area_label)));
            }
            for a in &p.areas {
                t.areas.push((pi, a.number, text_keys(&a.title)));
            }
            for h in &p.headings {
                t.headings.push((pi, text_keys(h)));
            }
        }
        t
    }

    /// A line that starts a programme title: its programme and title keys.
    /// `lines` holds the keys of the line and of the lines that continue
    /// its paragraph (a few at most).
    fn program_title_start(
        &self,
        lines: &[Vec<String>],
        numbered: bool,
        para_start: bool,
    ) -> Option<(usize, Vec<String>)> {
        let keys = lines.first()?;
        let skip = usize::from(numbered);
        let words = &keys[skip.min(keys.len())..];
        if words.len() < 2 {
            return None;
        }
        let mut best: Option<(usize, usize, &Vec<String>)> = None;
        for (p, title) in &self.titles {
            // The line must begin the title, not quote its middle.
            if title.is_empty() || similarity(&words[0], &title[0]) == 0.0 {
                continue;
            }
            let (matched, _) = match_run(words, title, 0);
            let enough = matched * 10 >= words.len() * 7 && matched >= 2;
            let strong = numbered || (para_start && matched >= 3);
            // Titles share their first words; the following lines decide.
            let (overall, _) = match_run(lines.iter().flatten().skip(skip), title, 0);
            if enough && strong && best.is_none_or(|(_, m, _)| overall > m) {
                best = Some((*p, overall, title));
            }
        }
        best.map(|(p, _, title)| {
            let mut target = Vec::new();
            if numbered {
                target.push(keys[0].clone());
            }
            target.extend(title.iter().cloned());
            (p, target)
        })
    }

    /// A numbered heading or an area heading: its role and text keys.
    fn heading_start(&self, keys: &[String], numbered: bool) -> Option<(Role, Vec<String>)> {
        let words = &keys[usize::from(numbered)..];
        let first = words.first()?;
        for (p, label) in &self.labels {
            if similarity(first, label) == 0.0 {
                continue;
            }
            let number = words.get(1).and_then(|n| n.parse::<u16>().ok());
            let area = number.and_then(|n| {
                self.areas
                    .iter()
                    .find(|(ap, an, _)| ap == p && *an == n)
                    .map(|(_, an, t)| (*an, t))
            });
            let mut target: Vec<String> =
                keys[..usize::from(numbered) + 2.min(words.len())].to_vec();
            if let Some((_, title)) = area {
                target.extend(title.iter().cloned());
            }
            let role = Role::Heading {
                program: Some(*p),
                area: area.map(|(n, _)| n).or(number),
            };
            return Some((role, target));
        }
        if !numbered {
            return None;
        }
        for (p, heading) in &self.headings {
            let (matched, _) = match_run(words, heading, 0);
            if matched * 10 >= words.len() * 6 && matched >= 1 {
                let mut target = vec![keys[0].clone()];
                target.extend(heading.iter().cloned());
                let role = Role::Heading {
                    program: Some(*p),
                    area: None,
                };
                return Some((role, target));
            }
        }
        None
    }

    /// True when every word of `keys` continues some heading or title text
    /// in order (a tail that OCR moved away from its heading).
    fn is_heading_fragment(&self, keys: &[String]) -> bool {
        let targets = self
            .areas
            .iter()
            .map(|(_, _, t)| t)
            .chain(self.titles.iter().map(|(_, t)| t))
            .chain(self.headings.iter().map(|(_, t)| t));
        for t in targets {
            for start in 0..t.len() {
                if similarity(&keys[0], &t[start]) == 0.0 {
                    continue;
                }
                let (matched, _) = match_run(keys, t, start);
                if matched == keys.len() {
                    return true;
                }
            }
        }
        false
    }
}

/// The programme each line's section belongs to, from the titles and
/// headings above it.
pub(super) fn line_programs(roles: &[Role]) -> Vec<Option<usize>> {
    let mut current = None;
    roles
        .iter()
        .map(|r| {
            match *r {
                Role::ProgramTitle(p) => current = Some(p),
                Role::Heading {
                    program: Some(p), ..
                } => current = Some(p),
                _ => {}
            }
            current
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::source_lines;

    fn roles_of(text: &str) -> Vec<(String, Role)> {
        let catalog = Catalog::embedded().unwrap();
        let doc = crate::read::text::read_text(text.as_bytes());
        let lines = source_lines(&doc);
        let roles = classify(&lines, &catalog);
        lines
            .iter()
            .map(super::super::lines::SourceLine::text)
            .zip(roles)
            .collect()
    }

    #[test]
    fn a_header_scrambled_by_the_ocr_is_a_header_where_headers_stand() {
        // Page 2 opens with the repeated header, its two cells' letters
        // interleaved; the same letters inside a row's comment stay text.
        let roles = roles_of(
            "Ar ert arbete kunskapsbaserat?\n\nJa\n\x0c\
             Uppfoljningsfragor Svarsaltemerd nkoamtmeintvar\n\n\
             Har ni sakrat er kompetens?\n\nJa\n\nVi har en plan.\n\
             Vi har en plan.\nSvarsaltemerd nkoamtmeintvar\n",
        );
        let header: Vec<&str> = roles
            .iter()
            .filter(|(_, r)| *r == Role::TableHeader)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(
            header,
            ["Uppfoljningsfragor Svarsaltemerd nkoamtmeintvar"],
            "{roles:?}"
        );
    }

    #[test]
    fn letters_in_another_order_are_the_same_bag() {
        assert_eq!(letter_bag_similarity("abc", "cba"), 1.0);
        assert!(
            letter_bag_similarity("arbetarnimedattmotverka", "svarsalternativmedkommentar")
                < SCRAMBLED_HEADER
        );
    }

    #[test]
    fn headers_titles_and_area_headings_are_found_through_ocr_damage() {
        let roles = roles_of(
            " 1 Uppfoljning Goteborgs Stads\ntrygghetsskapande och\nbrottsforebyggande program\n2022-2026\n\n\
             1.1 Uppfoljning arbetsprocessen\n\n1.1.1 MalomrM-CM-)ade 1: Oka kunskapen\n\nUppfoljningsfragor\n\n\
             Svarsalternativ med kommentar\n\nAr ert arbete kunskapsbaserat?\n",
        );
        let kinds: Vec<Role> = roles.iter().map(|(_, r)| *r).collect();
        assert_eq!(kinds[0], Role::ProgramTitle(0));
        assert_eq!(kinds[3], Role::ProgramTitle(0), "{roles:?}");
        assert!(matches!(
            kinds[4],
            Role::Heading {
                program: Some(0),
                area: None
            }
        ));
        assert_eq!(
            kinds[5],
            Role::Heading {
                program: Some(0),
                area: Some(1)
            }
        );
        assert_eq!(kinds[6], Role::TableHeader);
        assert_eq!(kinds[7], Role::TableHeader);
        assert_eq!(kinds[8], Role::Body);
    }

    #[test]
    fn wrapped_area_heading_lines_are_consumed() {
        let roles = roles_of(
            "2.2 Fokusomrade 2: Insatser riktade till\nmalgruppen som ar gangkriminell eller\n\
             riskerar att rekryteras till kriminalitet\n\nHar ni utrett",
        );
        let kinds: Vec<Role> = roles.iter().map(|(_, r)| *r).collect();
        assert_eq!(
            kinds[0],
            Role::Heading {
                program: Some(1),
                area: Some(2)
            }
        );
        assert_eq!(kinds[2], kinds[0]);
        assert_eq!(kinds[3], Role::Body);
    }

    #[test]
    fn a_heading_tail_paragraph_is_not_body_but_a_comment_line_is() {
        let roles = roles_of(
            "Vi deltar.\n\natt utsattas for brott\n\n1.2 Uppfoljning arbetets inriktning\n",
        );
        assert_eq!(roles[0].1, Role::Body);
        assert!(matches!(roles[1].1, Role::Heading { .. }), "{roles:?}");
    }

    #[test]
    fn a_sentence_is_never_a_header_even_in_a_headers_words() {
        // A comment's last word wrapped onto a line of its own.
        let roles =
            roles_of("Insatser\n\nVi når fler flickor genom riktade\ninsatser.\n\nHar ni utrett");
        let kinds: Vec<Role> = roles.iter().map(|(_, r)| *r).collect();
        assert_eq!(kinds[0], Role::TableHeader, "{roles:?}");
        assert_eq!(kinds[2], Role::Body, "{roles:?}");
    }
}
