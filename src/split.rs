//! One input → the reports it holds.
//!
//! Archives bundle reports: a committee's attachments joined into one PDF,
//! OCR text files concatenated, a report followed by a revised copy of
//! itself. Segmented as one document, such a file blends its reports: the
//! aligner takes each catalogue row once, wherever it fits best, and the
//! first title names the author of all. This stage finds where a report
//! starts again and cuts the document there, before segmentation, so that
//! each part is segmented, identified and written as a report of its own.
//!
//! A report starts again where its strategy codes start again: the codes a
//! report prints after their label at a line's start ("Strategi 2:1",
//! "insats 4:6.") climb through the catalogue in order, and a second
//! report climbs again from the bottom. One code out of order (a misread,
//! a code quoted in a comment) is no restart: [`MIN_RUN`] codes in order
//! must climb again through codes the report has shown, after a report of
//! at least as many codes. A code line printed twice in a row (an OCR
//! artefact) counts once.
//!
//! Where exactly the next report begins, between the last code of one and
//! the first code of the next, is told by its opening: a programme title
//! or a section heading of where the codes start again, with the cover
//! lines above it (a title naming the year or the administration) and,
//! where everything above them on their page is cover too, the whole page.
//! A cut whose opening is not found is still made, never blended, but
//! marked unsure: it may be off by a few lines.
//!
//! Owns finding the cuts and cutting the document; what becomes of each
//! part is the pipeline's.

use std::sync::LazyLock;

use regex::Regex;

use crate::catalog::Catalog;
use crate::document::{Document, Page};
use crate::model::Code;
use crate::segment::answer::answer_of;
use crate::segment::fold::{code_token, is_noise, key, similarity};
use crate::segment::lines::{source_lines, SourceLine};
use crate::segment::structure::{classify, Role};

/// A line of a document: an index into [`Document::pages`] and one into
/// that page's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Position {
    /// Index of the page in the document's pages.
    pub page: usize,
    /// Index of the line in the page's lines.
    pub line: usize,
}

/// Where one report ends and the next begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut {
    /// The next report's first line.
    pub at: Position,
    /// The next report's opening (a programme title or section heading,
    /// with its cover) stands where its codes start again. False when only
    /// the codes tell: the cut may then be off by a few lines.
    pub sure: bool,
}

/// How many codes in catalogue order must climb again through ranks
/// already passed for a report to start again, and how many codes the
/// report before must have had: fewer are a code quoted in a comment or a
/// misread one.
pub(crate) const MIN_RUN: usize = 3;

/// How many codes after a step back are searched for that climb (a few
/// stray codes may stand between the last report's end and the next one's
/// first code).
const WINDOW: usize = 12;

/// How many paragraphs of cover (a title naming the year, the
/// administration, a page number) above a report's opening are looked at.
const COVER_PARAGRAPHS: usize = 4;

/// Most lines in a paragraph of cover.
const COVER_LINES: usize = 4;

/// Most words in a line of a title or a cover.
const TITLE_WORDS: usize = 12;

/// A code printed after its programme's label at the start of a line.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    /// Index of the line among the document's non-blank lines (as
    /// [`source_lines`] lists them).
    flat: usize,
    /// Index into the catalogue's programmes.
    program: usize,
    /// The code.
    code: Code,
}

impl Anchor {
    /// Its place in catalogue order: programmes in their order, codes in
    /// theirs (the catalogue lists each programme's codes in order).
    fn rank(&self) -> Rank {
        (self.program, self.code.major, self.code.minor)
    }
}

/// Where the reports after the first begin, in document order; empty for a
/// document of one report.
///
/// `administrations_named` tells whether a line names an administration
/// (a cover line such as "Göteborgs Stad – Kulturförvaltningen").
pub(crate) fn find_cuts(
    doc: &Document,
    catalog: &Catalog,
    administrations_named: &dyn Fn(&SourceLine) -> bool,
) -> Vec<Cut> {
    let anchors = anchors(doc, catalog);
    let restarts = restarts(&anchors);
    if restarts.is_empty() {
        return Vec::new();
    }
    let lines = source_lines(doc);
    let positions = positions(doc);
    if lines.len() != positions.len() {
        // source_lines lists every non-blank line once; were it ever to
        // differ, no line could be placed: keep the document whole.
        return Vec::new();
    }
    let mut cuts: Vec<Cut> = Vec::new();
    for (last, first) in restarts {
        let (flat, sure) = opening(
            &lines,
            anchors[last].flat,
            &anchors[first],
            catalog,
            administrations_named,
        );
        let at = positions[flat];
        if cuts.last().is_none_or(|c| c.at < at) {
            cuts.push(Cut { at, sure });
        }
    }
    cuts
}

/// The document's parts between `cuts` (from [`find_cuts`]): pages keep
/// their numbers; a page a cut runs through is in both parts, each with
/// its own lines. Each part's text layer is its own pages' where they know
/// theirs (see [`Document::layer_of_pages`]).
pub(crate) fn cut(doc: &Document, cuts: &[Cut]) -> Vec<Document> {
    let start = Position { page: 0, line: 0 };
    let end = Position {
        page: doc.pages.len(),
        line: 0,
    };
    let bounds: Vec<Position> = std::iter::once(start)
        .chain(cuts.iter().map(|c| c.at))
        .chain(std::iter::once(end))
        .collect();
    bounds
        .windows(2)
        .map(|w| {
            let (from, to) = (w[0], w[1]);
            // Only this part's pages, and only their lines: a text file
            // is one page, so copying whole pages made the parts of a
            // long one cost the square of its length.
            let last = if to.line == 0 { to.page } else { to.page + 1 };
            let mut pages = Vec::new();
            for pi in from.page..last.min(doc.pages.len()) {
                let page = &doc.pages[pi];
                let lo = if pi == from.page { from.line } else { 0 };
                let hi = if pi == to.page {
                    to.line
                } else {
                    page.lines.len()
                };
                pages.push(Page {
                    number: page.number,
                    width: page.width,
                    lines: page.lines[lo.min(hi)..hi.min(page.lines.len())].to_vec(),
                    text_layer: page.text_layer,
                });
            }
            // The reader's warnings about this part's pages, and those
            // about the whole file.
            let warnings = doc
                .warnings
                .iter()
                .filter(|w| w.page.is_none_or(|n| pages.iter().any(|p| p.number == n)))
                .cloned()
                .collect();
            let mut part = Document {
                format: doc.format,
                text_layer: doc.text_layer,
                pages,
                warnings,
            };
            // A scanned report among digital ones is OCR text, and the
            // other way round: the part's own pages tell.
            if let Some(layer) = part.layer_of_pages() {
                part.text_layer = Some(layer);
            }
            part
        })
        .collect()
}

/// Each non-blank line's position, in the order [`source_lines`] lists
/// them.
fn positions(doc: &Document) -> Vec<Position> {
    let mut out = Vec::new();
    for (page, p) in doc.pages.iter().enumerate() {
        for (line, l) in p.lines.iter().enumerate() {
            if !l.is_blank() {
                out.push(Position { page, line });
            }
        }
    }
    out
}

/// The document's anchors in order, a code line repeated right after
/// itself counted once.
fn anchors(doc: &Document, catalog: &Catalog) -> Vec<Anchor> {
    let labels: Vec<(usize, String)> = catalog
        .programs
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.code_label.is_empty())
        .map(|(i, p)| (i, key(&p.code_label)))
        .collect();
    let mut out: Vec<Anchor> = Vec::new();
    let mut flat = 0;
    for line in doc.pages.iter().flat_map(|p| &p.lines) {
        if line.is_blank() {
            continue;
        }
        let mut words = line
            .words
            .iter()
            .map(|w| w.text.as_str())
            .filter(|w| !is_noise(w));
        let found = words.next().zip(words.next()).and_then(|(label, code)| {
            let code = code_token(code)?;
            let label = key(label);
            let (program, _) = labels.iter().find(|(_, l)| similarity(&label, l) > 0.0)?;
            Some(Anchor {
                flat,
                program: *program,
                code,
            })
        });
        if let Some(a) = found {
            if out.last().is_none_or(|l| l.rank() != a.rank()) {
                out.push(a);
            }
        }
        flat += 1;
    }
    out
}

/// An anchor's place in catalogue order ([`Anchor::rank`]).
type Rank = (usize, u16, u16);

/// Where the codes start again: (the last anchor of a report, the first
/// of the next), as indices into `anchors`.
fn restarts(anchors: &[Anchor]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // The ranks the current report has shown, and its highest.
    let mut seen: Vec<Rank> = Vec::new();
    let mut top = None;
    let mut k = 0;
    while k < anchors.len() {
        let rank = anchors[k].rank();
        let back = top.is_some_and(|m| rank <= m);
        if back && seen.len() >= MIN_RUN {
            if let Some(first) = climb(anchors, k, &seen) {
                out.push((first - 1, first));
                seen.clear();
                seen.push(anchors[first].rank());
                top = Some(anchors[first].rank());
                k = first + 1;
                continue;
            }
        }
        if !seen.contains(&rank) {
            seen.push(rank);
        }
        top = top.max(Some(rank));
        k += 1;
    }
    out
}

/// The first anchor of the longest climb in catalogue order among the
/// [`WINDOW`] anchors from `from` whose ranks the report has passed (up
/// to its highest of `seen`), that climbs through at least [`MIN_RUN`]
/// codes the report has shown: a report printing its programmes in
/// another order climbs through codes it has not shown, and the next
/// report may begin with codes this one left out.
fn climb(anchors: &[Anchor], from: usize, seen: &[Rank]) -> Option<usize> {
    let top = seen.iter().max()?;
    let window: Vec<usize> = (from..anchors.len().min(from + WINDOW))
        .filter(|&k| anchors[k].rank() <= *top)
        .collect();
    // The longest strictly rising run ending at each anchor: its length,
    // where it starts, and how many of its codes the report has shown.
    let mut best: Vec<(usize, usize, usize)> = Vec::with_capacity(window.len());
    for (i, &k) in window.iter().enumerate() {
        let shown = usize::from(seen.contains(&anchors[k].rank()));
        let mut here = (1, k, shown);
        for (j, &p) in window[..i].iter().enumerate() {
            if anchors[p].rank() < anchors[k].rank() && best[j].0 + 1 > here.0 {
                here = (best[j].0 + 1, best[j].1, best[j].2 + shown);
            }
        }
        best.push(here);
    }
    // The longest; of equal ones, the earliest start.
    best.iter()
        .filter(|&&(_, _, shown)| shown >= MIN_RUN)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|&(_, start, _)| start)
}

/// The first line of the report whose first anchor is `first`, after the
/// line `last` (the previous report's last anchor), and whether its
/// opening was found.
fn opening(
    lines: &[SourceLine],
    last: usize,
    first: &Anchor,
    catalog: &Catalog,
    administrations_named: &dyn Fn(&SourceLine) -> bool,
) -> (usize, bool) {
    let lo = last + 1;
    let hi = first.flat;
    let roles = classify(&lines[lo..=hi], catalog);
    let opens = |role: &Role| match *role {
        Role::ProgramTitle(p) => p <= first.program,
        Role::Heading {
            program: Some(p),
            area,
        } => {
            p < first.program || (p == first.program && area.is_none_or(|a| a <= first.code.major))
        }
        _ => false,
    };
    let Some(title) = roles.iter().position(opens).map(|i| lo + i) else {
        return (fallback(lines, lo, hi), false);
    };
    let mut top = title;
    // Cover paragraphs right above: short paragraphs of title-like lines;
    // the topmost that names a year, the follow-up or an administration is
    // where the report begins. The last page's number of the report
    // before ("Sida 6 av 6") is where it ended.
    let mut end = title;
    for _ in 0..COVER_PARAGRAPHS {
        if end <= lo || last_page_number(&lines[end - 1]) {
            break;
        }
        // A paragraph ends where the report before ends, too.
        let start = (lo..end)
            .rev()
            .find(|&i| lines[i].para_start || (i > lo && last_page_number(&lines[i - 1])))
            .unwrap_or(lo);
        // Text files joined without a blank line: the cover may follow
        // the last sentence of the report before in one paragraph.
        let from = (start..end)
            .rev()
            .take_while(|&i| title_like(&lines[i]))
            .last()
            .unwrap_or(end);
        let whole = from == start;
        let after_sentence = from > start
            && from < end
            && ends_sentence(&lines[from - 1])
            && lines[from]
                .words
                .first()
                .and_then(|w| w.text.chars().next())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if end - from > COVER_LINES || !(whole || after_sentence) {
            break;
        }
        if lines[from..end]
            .iter()
            .any(|l| cover_signal(l) || administrations_named(l))
        {
            // A page number before the cover is the report before's foot.
            top = (from..end)
                .find(|&i| page_number(&lines[i]).is_none())
                .unwrap_or(end);
        }
        if !whole {
            break;
        }
        end = start;
    }

    // A cover that opens its page takes the page (running heads too).
    let page_start = (lo..top)
        .rev()
        .take_while(|&i| lines[i].page == lines[top].page)
        .last();
    if let Some(s) = page_start {
        let cover = lines[s..top]
            .iter()
            .all(|l| title_like(l) && !last_page_number(l));
        if lines[s].page_start && cover {
            top = s;
        }
    }
    (top, true)
}

/// Where a report whose opening was not found begins: in a PDF (lines
/// with positions), where no report shares a page with another, the page
/// of its first code; in text, that page too when it holds nothing of
/// the report before (no sentence ending before the code), else the
/// paragraph of its first code, with a question just above it.
fn fallback(lines: &[SourceLine], lo: usize, hi: usize) -> usize {
    let page_start = (lo..hi)
        .rev()
        .take_while(|&i| lines[i].page == lines[hi].page)
        .last()
        .filter(|&s| lines[s].page_start);
    if let Some(s) = page_start {
        let positioned = lines[hi].y.is_some();
        // A comment of the report before ends its sentence; a question of
        // this one may be there.
        if positioned || lines[s..hi].iter().all(|l| !l.text().ends_with('.')) {
            return s;
        }
    }
    let para = (lo..=hi).rev().find(|&i| lines[i].para_start).unwrap_or(lo);
    let above = (lo..para).rev().find(|&i| lines[i].para_start);
    match above {
        Some(a) if para - a <= COVER_LINES && lines[para - 1].text().ends_with('?') => a,
        _ => para,
    }
}

/// A line that may be part of a title or cover: short, no sentence ending,
/// not an answer or a code.
fn title_like(line: &SourceLine) -> bool {
    let answer =
        line.words.len() == 1 && answer_of(&line.words[0].text, &line.words[0].key).is_some();
    !line.words.is_empty()
        && line.words.len() <= TITLE_WORDS
        && !ends_sentence(line)
        && !answer
        && !line.words.iter().any(|w| code_token(&w.text).is_some())
}

fn ends_sentence(line: &SourceLine) -> bool {
    line.words
        .last()
        .is_some_and(|w| w.text.ends_with(['.', '?', '!', ';']))
}

/// A page number ("Sida 3 av 7", "3 (7)", "3/7", "Page 3 of 7", OCR's
/// "Sida 3 av7" and "Sida 3a7"): the page and the page count, where
/// printed.
static PAGE_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(?:sida|sid\.?|s\.|page)?\s*(\d{1,4})\s*(?:(?:av|a|of|/|\()\s*(\d{1,4})\s*\)?)?\W*$").ok()
});

/// The page number a line prints, and the page count where it does.
fn page_number(line: &SourceLine) -> Option<(u32, Option<u32>)> {
    let text = line.text();
    let c = PAGE_NUMBER.as_ref()?.captures(&text)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    Some((n(1)?, n(2)))
}

/// The line is the number of a report's last page: "Sida 7 av 7".
fn last_page_number(line: &SourceLine) -> bool {
    page_number(line).is_some_and(|(page, count)| count == Some(page))
}

/// What a report's cover names: the follow-up ("Uppföljning …"), a report,
/// the city, or a year.
fn cover_signal(line: &SourceLine) -> bool {
    line.words.iter().any(|w| {
        let year = w
            .text
            .trim_matches(|c: char| !c.is_ascii_digit())
            .parse::<u16>()
            .is_ok_and(|y| (1990..=2099).contains(&y));
        year || ["uppfoljning", "rapport", "goteborgs"]
            .iter()
            .any(|s| similarity(&w.key, s) > 0.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::embedded().unwrap()
    }

    fn report(answer: &str, title: &str) -> String {
        report_of(answer, title, &["1:1", "1:2", "2:1", "2:2", "2:3"])
    }

    fn report_of(answer: &str, title: &str, codes: &[&str]) -> String {
        let mut s = format!("{title}\n\n1 Uppföljning Göteborgs Stads trygghetsskapande och\nbrottsförebyggande program 2022-2026\n\n");
        for (i, code) in codes.iter().enumerate() {
            s.push_str(&format!(
                "Fråga nummer {i}?\n\nStrategi {code} Göteborgs stad ska göra saker\n\n{answer}\n\nVi gör saker.\n\n"
            ));
        }
        s
    }

    fn cuts_of(text: &str) -> (Document, Vec<Cut>) {
        let doc = crate::read::text::read_text(text.as_bytes());
        let cuts = find_cuts(&doc, &catalog(), &|_| false);
        (doc, cuts)
    }

    #[test]
    fn one_report_is_not_cut() {
        let (_, cuts) = cuts_of(&report("Ja", "Uppföljning 2024 – Kulturförvaltningen"));
        assert!(cuts.is_empty(), "{cuts:?}");
    }

    #[test]
    fn a_second_report_is_cut_at_its_cover() {
        let a = report("Ja", "Uppföljning 2024 – Kulturförvaltningen");
        let b = report(
            "Nej",
            "Uppföljning 2024 – Idrotts- och föreningsförvaltningen",
        );
        let (doc, cuts) = cuts_of(&format!("{a}{b}"));
        assert_eq!(cuts.len(), 1, "{cuts:?}");
        assert!(cuts[0].sure);
        let parts = cut(&doc, &cuts);
        assert_eq!(parts.len(), 2);
        let first_line = parts[1].pages[0]
            .lines
            .iter()
            .find(|l| !l.is_blank())
            .map(super::super::document::Line::text);
        assert_eq!(
            first_line.as_deref(),
            Some("Uppföljning 2024 – Idrotts- och föreningsförvaltningen")
        );
        let words = |d: &Document| -> usize {
            d.pages
                .iter()
                .flat_map(|p| &p.lines)
                .map(|l| l.words.len())
                .sum()
        };
        assert_eq!(words(&parts[0]) + words(&parts[1]), words(&doc));
    }

    #[test]
    fn a_code_quoted_out_of_order_or_printed_twice_is_no_restart() {
        let a = report("Ja", "Uppföljning 2024");
        let quoted = a.replace(
            "Strategi 2:2 Göteborgs stad ska göra saker\n",
            "Strategi 2:2 Göteborgs stad ska göra saker\nStrategi 1:1 nämns här\n",
        );
        assert!(cuts_of(&quoted).1.is_empty());
        let twice = a.replace(
            "Strategi 1:2 Göteborgs stad ska göra saker\n",
            "Strategi 1:2 Göteborgs stad ska göra saker\nStrategi 1:2 Göteborgs stad ska göra saker\n",
        );
        assert!(cuts_of(&twice).1.is_empty());
    }

    #[test]
    fn sections_in_another_order_are_no_restart() {
        // The handlingsplan's rows printed before the trygghetsprogram's:
        // the codes step back, but to codes this report has not shown.
        let a = report("Ja", "Uppföljning 2024");
        let mut first = String::new();
        for code in ["1:3", "3:2", "4:2", "4:6"] {
            first.push_str(&format!(
                "Har ni gjort något?\n\nGenomförs aktiviteter i enlighet med\ninsats {code}.\n\nJa\n\nVi gör det.\n\n"
            ));
        }
        assert!(cuts_of(&format!("{first}{a}")).1.is_empty());
    }

    #[test]
    fn a_report_that_opens_with_codes_the_one_before_left_out_is_cut_at_its_opening() {
        let a = report_of("Ja", "Uppföljning 2024", &["2:2", "2:3", "3:1", "3:2"]);
        let b = report_of(
            "Nej",
            "Uppföljning 2024 – Trafikkontoret",
            &["1:1", "1:2", "2:1", "2:2", "2:3", "3:1", "3:2"],
        );
        let (doc, cuts) = cuts_of(&format!("{a}{b}"));
        assert_eq!(cuts.len(), 1, "{cuts:?}");
        assert!(cuts[0].sure);
        let parts = cut(&doc, &cuts);
        let first = parts[1].pages[0].lines.iter().find(|l| !l.is_blank());
        assert_eq!(
            first.map(super::super::document::Line::text).as_deref(),
            Some("Uppföljning 2024 – Trafikkontoret")
        );
    }

    /// `text` as a PDF would give it: a page a form feed, lines with
    /// positions.
    fn positioned(text: &str) -> Document {
        let mut doc = crate::read::text::read_text(text.as_bytes());
        doc.format = crate::document::SourceFormat::Pdf;
        for page in &mut doc.pages {
            for (i, line) in page.lines.iter_mut().enumerate() {
                line.y = Some(50.0 + 14.0 * i as f32);
                line.height = Some(10.0);
            }
        }
        doc
    }

    #[test]
    fn a_pdf_report_without_an_opening_begins_on_the_page_of_its_first_code() {
        // The second report lost its first page: its next page opens with
        // the end of a comment of its own, which is not the first one's.
        let a = report("Ja", "Uppföljning 2024");
        let b = "det sista av en kommentar.\n\nFråga?\n\nStrategi 1:2 Göteborgs stad ska göra saker\n\nNej\n\n\
                 Fråga?\n\nStrategi 2:1 Göteborgs stad ska göra saker\n\nNej\n\n\
                 Fråga?\n\nStrategi 2:2 Göteborgs stad ska göra saker\n\nNej\n";
        let doc = positioned(&format!("{a}\x0c{b}"));
        let cuts = find_cuts(&doc, &catalog(), &|_| false);
        assert_eq!(cuts.len(), 1, "{cuts:?}");
        assert!(!cuts[0].sure);
        assert_eq!(cuts[0].at, Position { page: 1, line: 0 });
    }

    #[test]
    fn a_restart_without_an_opening_is_cut_but_unsure() {
        let a = report("Ja", "Uppföljning 2024");
        let body = a.split_once("2022-2026\n\n").map(|(_, b)| b).unwrap();
        let (_, cuts) = cuts_of(&format!("{a}{body}"));
        assert_eq!(cuts.len(), 1, "{cuts:?}");
        assert!(!cuts[0].sure);
    }
}
