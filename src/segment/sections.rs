//! Sections the catalogue does not know: a programme added after the
//! catalogue was written, or a report that answers a newer questionnaire.
//!
//! Such a section is found by the document's own outline, not by its words:
//! a top-level numbered heading ("4 Uppföljning av …") that is no programme
//! title of the catalogue, followed by sub-headings of the same number
//! ("4.1 …"). Its lines are kept out of every row, so that its questions,
//! answers and comments are never glued onto the last known row, and the
//! report warns about it. Whether a candidate really holds no catalogue
//! rows is decided from an alignment (`holds_catalogue_rows`, called by
//! [`super::segment_prepared`]).

use super::lines::SourceLine;
use super::structure::Role;
use super::template::Field;
use super::Segmentation;

/// A section of the document that no catalogue programme matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownSection {
    /// Its heading line's index in the source lines.
    pub first_line: usize,
    /// One past its last line.
    pub end_line: usize,
    /// The heading as printed (the title's first line).
    pub title: String,
    /// 1-based page where it starts.
    pub first_page: usize,
    /// 1-based page where it ends.
    pub last_page: usize,
}

/// How many lines after a section heading its first sub-heading may come.
const SUB_HEADING_WITHIN: usize = 40;

/// Candidate unknown sections: body lines that open a paragraph with a
/// bare section number no programme title of the document uses, followed
/// by a capitalised word, and later by a sub-heading of that number
/// ("N.1"). Each runs to the next programme title or candidate.
pub(crate) fn candidates(lines: &[SourceLine], roles: &[Role]) -> Vec<UnknownSection> {
    let known: Vec<u32> = lines
        .iter()
        .zip(roles)
        .filter(|(_, r)| matches!(r, Role::ProgramTitle(_)))
        .filter_map(|(l, _)| section_number(l))
        .collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| roles[i] == Role::Body && lines[i].para_start)
        .filter(|&i| {
            let Some(n) = section_number(&lines[i]) else {
                return false;
            };
            let titled = lines[i].words.len() >= 3
                && lines[i].words[1]
                    .text
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
            titled
                && !known.contains(&n)
                && (i + 1..lines.len().min(i + 1 + SUB_HEADING_WITHIN))
                    .take_while(|&k| !matches!(roles[k], Role::ProgramTitle(_)))
                    .any(|k| sub_section_of(&lines[k]) == Some(n))
        })
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &first)| {
            let next_title = (first + 1..lines.len())
                .find(|&i| matches!(roles[i], Role::ProgramTitle(_)))
                .unwrap_or(lines.len());
            let end = starts
                .get(k + 1)
                .copied()
                .unwrap_or(lines.len())
                .min(next_title);
            UnknownSection {
                first_line: first,
                end_line: end,
                title: lines[first].text(),
                first_page: lines[first].page,
                last_page: lines[end - 1].page,
            }
        })
        .collect()
}

/// The bare section number opening a line ("4", "4."), 1..=30.
fn section_number(line: &SourceLine) -> Option<u32> {
    let t = line.words.first()?.text.trim_end_matches('.');
    if t.is_empty() || t.len() > 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|n| (1..=30).contains(n))
}

/// The section number of a sub-heading "N.k" or "N.k.j" opening a line.
fn sub_section_of(line: &SourceLine) -> Option<u32> {
    let t = line.words.first()?.text.trim_end_matches('.');
    let (n, rest) = t.split_once('.')?;
    let numbered = !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let titled = line.words.len() >= 2;
    if numbered && titled && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
        n.parse().ok()
    } else {
        None
    }
}

/// Share of a section's words that must be the catalogue's question or
/// strategy words for the section to be a known one.
const KNOWN_SECTION_SHARE: f32 = 0.2;

/// The section's words are largely the catalogue's questions and
/// strategies (boilerplate instructions, which a new programme may share,
/// do not count).
pub(super) fn holds_catalogue_rows(seg: &Segmentation, section: &UnknownSection) -> bool {
    let lines = section.first_line..section.end_line;
    let words = seg
        .tokens
        .iter()
        .filter(|t| lines.contains(&t.line))
        .count();
    let known = seg
        .rows
        .iter()
        .filter(|r| r.item.is_some())
        .flat_map(|r| &r.matched)
        .filter(|m| {
            lines.contains(&seg.tokens[m.token].line)
                && matches!(
                    seg.template.words[m.word].field,
                    Field::Question | Field::Strategy
                )
        })
        .count();
    words > 0 && known as f32 >= KNOWN_SECTION_SHARE * words as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::segment::lines::source_lines;
    use crate::segment::structure::classify;

    fn found(text: &str) -> Vec<UnknownSection> {
        let catalog = Catalog::embedded().unwrap();
        let doc = crate::read::text::read_text(text.as_bytes());
        let lines = source_lines(&doc);
        let roles = classify(&lines, &catalog);
        candidates(&lines, &roles)
    }

    const KNOWN: &str = "1 Uppföljning Göteborgs Stads trygghetsskapande och\n\
        brottsförebyggande program 2022-2026\n\n\
        1.1 Uppföljning arbetsprocessen\n\n\
        Är ert arbete kunskapsbaserat?\n\n\
        Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
        brottsförebyggande arbete ska vara kunskapsbaserat och\n\
        utgå från målgruppsanalyser, likvärdiga lokala och\n\
        centrala lägesbilder och aktuell forskning\n\n\
        Ja\n\nVi följer lägesbilderna.\n\n";

    #[test]
    fn a_numbered_section_with_sub_headings_that_no_programme_titles_is_a_candidate() {
        let text = format!(
            "{KNOWN}4 Uppföljning av Göteborgs Stads plan mot våld i nära relationer\n\n\
             4.1 Fokusområde 1: Stöd till våldsutsatta\n\n\
             Har ni rutiner för att upptäcka våld?\n\nJa\n\nVi har rutiner sedan 2023.\n"
        );
        let got = found(&text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].title.starts_with("4 Uppföljning av"), "{got:?}");
        let lines = source_lines(&crate::read::text::read_text(text.as_bytes()));
        assert_eq!(got[0].end_line, lines.len());
    }

    #[test]
    fn an_unknown_sections_text_goes_into_no_row() {
        let catalog = Catalog::embedded().unwrap();
        let text = format!(
            "{KNOWN}4 Uppföljning av Göteborgs Stads plan mot våld i nära relationer\n\n\
             4.1 Fokusområde 1: Stöd till våldsutsatta\n\n\
             Har ni rutiner för att upptäcka våld?\n\nNej\n\nRutinerna tas fram under 2025.\n"
        );
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        assert_eq!(seg.unknown_sections.len(), 1);
        let start = seg.unknown_sections[0].first_line;
        let row = seg.rows.first().expect("the known row");
        let comment: Vec<&str> = row
            .content
            .iter()
            .map(|&t| seg.tokens[t].text.as_str())
            .collect();
        assert_eq!(comment, ["Ja", "Vi", "följer", "lägesbilderna."]);
        assert!(seg.tokens.iter().all(|t| t.line < start));
    }

    #[test]
    fn a_numbered_comment_line_is_no_section() {
        // "2 Vi har …" inside a comment has no "2.1" after it.
        let text = format!("{KNOWN}2 Vi har haft två utbildningar under året.\n\nNej\n");
        assert!(found(&text).is_empty());
    }

    #[test]
    fn numbers_parse_only_as_outline_numbers() {
        let line = |t: &str| source_lines(&crate::read::text::read_text(t.as_bytes())).remove(0);
        assert_eq!(section_number(&line("4 Uppföljning av planen")), Some(4));
        assert_eq!(section_number(&line("2024 Uppföljning")), None);
        assert_eq!(sub_section_of(&line("4.1 Fokusområde 1")), Some(4));
        assert_eq!(sub_section_of(&line("4.1.2 Målområde 2")), Some(4));
        assert_eq!(sub_section_of(&line("4.1")), None);
        assert_eq!(sub_section_of(&line("1:1 Samtliga nämnder")), None);
    }
}
