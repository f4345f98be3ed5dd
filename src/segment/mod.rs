//! Segmentation: a [`Document`] → table rows, each with its template
//! fields located and its answer-column words collected.
//!
//! It decides which words belong to which row and field; turning those
//! words into repaired text is `extract`'s job. The stages, one file each,
//! in the order [`segment_prepared`] runs them:
//!
//! 1. `lines`: the document flattened into printed lines, columns split
//!    by x; `repeats`: code lines printed twice read once.
//! 2. `structure`: titles, headings, table headers and page furniture
//!    (`furniture`); `sections`: sections the catalogue does not know.
//! 3. `tokens`: body words, hyphenated line breaks joined.
//! 4. `unknown_codes`: codes the catalogue lacks, given template rows of
//!    their own (`template`).
//! 5. `align` (within a `corridor`): template words vs. document
//!    words; `presence`: which template rows the document shows, aligned
//!    again against only those.
//! 6. `relabel`: corrections to the aligner's labels.
//! 7. `rows`: labels gathered into rows; `scores`: each row's coverage
//!    and margin.
//! 8. Row rules: `raised_answers` (answer words read above their row),
//!    `unknown_rows` (unknown rows' own question and text),
//!    `unknown_codes` (rows split at an unknown code), `blocks`
//!    (answer columns read as blocks, handed back row by row).
//!
//! `fold` (matching keys and similarity) and `answer` (reading an
//! answer slot) serve every stage.

pub(crate) mod align;
pub(crate) mod answer;
pub(crate) mod blocks;
pub(crate) mod corridor;
#[cfg(test)]
mod corridor_check;
pub(crate) mod fold;
pub(crate) mod furniture;
pub(crate) mod lines;
mod presence;
mod raised_answers;
mod relabel;
pub(crate) mod repeats;
mod rows;
mod scores;
pub(crate) mod sections;
pub(crate) mod structure;
pub(crate) mod template;
pub(crate) mod tokens;
mod unknown_codes;
mod unknown_rows;

use std::borrow::Cow;

use crate::catalog::Catalog;
use crate::document::Document;
use crate::model::Code;

use lines::SourceLine;
use sections::UnknownSection;
use structure::Role;
use template::{Field, Template};
use tokens::Token;

/// One row found in the document.
#[derive(Debug, Clone)]
pub struct RowSegment {
    /// Index into `Catalog::programs`.
    pub program: usize,
    /// The row's code.
    pub code: Code,
    /// Index into the programme's items; `None` for a code the catalogue lacks.
    pub item: Option<usize>,
    /// Template words of each field that the document shows, in template
    /// order.
    pub matched: Vec<TemplateMatch>,
    /// Tokens of an unknown row's question and strategy text (no template).
    pub unknown_fields: UnknownFields,
    /// Garbage tokens the aligner dropped inside this row's template text.
    pub garbage: Vec<usize>,
    /// Answer-column tokens (answer slot and comment), in reading order.
    pub content: Vec<usize>,
    /// Matched template weight / the row's total template weight.
    pub coverage: f32,
    /// The row's code was read in the document.
    pub code_seen: bool,
    /// How much better the row's words fit its own template row than the
    /// next best catalogue row (0..1); small means ambiguous.
    pub margin: f32,
    /// 1-based page where the row starts.
    pub page: usize,
    /// How its answer column was found.
    pub column_fit: blocks::ColumnFit,
}

/// A document word matched to a template word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateMatch {
    /// Index into `Segmentation::tokens`.
    pub token: usize,
    /// Index into the template's words (`Template::words`).
    pub word: usize,
}

/// The tokens of a row the catalogue lacks, by field: with no template
/// text, its own words are all there is. Each list is in document order;
/// a field the row does not show is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnknownFields {
    /// The question.
    pub question: Vec<usize>,
    /// The strategy text (the code's paragraph).
    pub strategy: Vec<usize>,
    /// The expected result, when the row's instruction was found.
    pub expected: Vec<usize>,
}

impl UnknownFields {
    /// The tokens of `field` (empty for the fields an unknown row never
    /// has: instruction and result label).
    pub fn of(&self, field: Field) -> &[usize] {
        match field {
            Field::Question => &self.question,
            Field::Strategy => &self.strategy,
            Field::Expected => &self.expected,
            Field::Instruction | Field::ExpectedLabel => &[],
        }
    }

    /// All the tokens, field by field.
    pub fn tokens(&self) -> impl Iterator<Item = usize> + '_ {
        [&self.question, &self.strategy, &self.expected]
            .into_iter()
            .flatten()
            .copied()
    }
}

/// The result of segmenting one document.
#[derive(Debug, Clone)]
pub struct Segmentation {
    /// The printed lines.
    pub(crate) lines: Vec<SourceLine>,
    /// The structural role of each line.
    pub(crate) roles: Vec<Role>,
    /// Body tokens.
    pub(crate) tokens: Vec<Token>,
    /// The template the tokens were aligned against.
    pub(crate) template: Template,
    /// Rows in document order.
    pub(crate) rows: Vec<RowSegment>,
    /// Sections no catalogue programme matches; their lines are
    /// [`Role::UnknownSection`] and part of no row.
    pub(crate) unknown_sections: Vec<UnknownSection>,
    /// 1-based number of the document's first page (1, but for a part of
    /// a file that holds several reports).
    pub(crate) first_page: usize,
    /// Pages of code lines printed twice in a row and read once (see
    /// [`repeats`]).
    pub(crate) repeated_lines: Vec<usize>,
}

impl Segmentation {
    /// How many table rows were found.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }
}

/// What segmenting needs of a catalogue beyond the catalogue itself,
/// built once for many documents: the template of all its rows.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The catalogue's template, for documents that show no code the
    /// catalogue lacks (nearly all).
    template: Template,
    /// The keys of the template's words, for joining words a line break
    /// hyphenated ([`tokens::join_broken_words`]).
    vocabulary: rustc_hash::FxHashSet<String>,
}

impl Prepared {
    /// Prepares `catalog` for [`segment_prepared`].
    pub fn new(catalog: &Catalog) -> Prepared {
        let template = Template::new(catalog, &[]);
        let vocabulary = template.words.iter().map(|w| w.key.clone()).collect();
        Prepared {
            template,
            vocabulary,
        }
    }
}

/// Segments a document against the catalogue.
pub fn segment(doc: &Document, catalog: &Catalog) -> Segmentation {
    segment_prepared(doc, catalog, &Prepared::new(catalog))
}

/// [`segment`] with the catalogue's template built beforehand; `prepared`
/// must be made from `catalog`.
pub fn segment_prepared(doc: &Document, catalog: &Catalog, prepared: &Prepared) -> Segmentation {
    let mut lines = lines::source_lines(doc);
    let repeated_lines = repeats::drop_repeated_code_lines(&mut lines, catalog);
    let first_page = doc.pages.first().map_or(1, |p| p.number);
    let mut seg = segment_classified(lines, catalog, prepared);
    seg.first_page = first_page;
    seg.repeated_lines = repeated_lines;
    seg
}

/// [`segment_prepared`] of the document's lines.
fn segment_classified(
    lines: Vec<SourceLine>,
    catalog: &Catalog,
    prepared: &Prepared,
) -> Segmentation {
    let mut roles = structure::classify(&lines, catalog);
    let candidates = sections::candidates(&lines, &roles);
    if candidates.is_empty() {
        return segment_lines(lines, roles, catalog, prepared, Vec::new());
    }
    // A candidate that the catalogue's questions fit is a known section
    // under a title the OCR garbled: only the others are left out.
    let trial = segment_lines(lines, roles.clone(), catalog, prepared, Vec::new());
    let unknown: Vec<UnknownSection> = candidates
        .into_iter()
        .filter(|s| !sections::holds_catalogue_rows(&trial, s))
        .collect();
    for s in &unknown {
        roles[s.first_line..s.end_line].fill(Role::UnknownSection);
    }
    segment_lines(trial.lines, roles, catalog, prepared, unknown)
}

/// Segments classified lines: tokens, alignment, rows.
fn segment_lines(
    lines: Vec<SourceLine>,
    roles: Vec<Role>,
    catalog: &Catalog,
    prepared: &Prepared,
    unknown_sections: Vec<UnknownSection>,
) -> Segmentation {
    let mut tokens = tokens::tokens(&lines, &roles);
    tokens::join_broken_words(&mut tokens, &prepared.vocabulary);
    let section = structure::line_programs(&roles);
    let whole = template_for(&tokens, catalog, &section, prepared);
    let (mut labels, template) = presence::align_present_rows(&tokens, whole);
    relabel::release_orphan_garbage(&mut labels, &tokens);
    relabel::release_sentence_ends(&mut labels, &tokens);
    relabel::reclaim_question_tails(&mut labels, &tokens, &template);
    let mut rows = rows::collect_rows(&labels, &tokens, &template);
    scores::score_rows(&mut rows, &labels, &tokens, &template);
    raised_answers::claim_answer_slots(&mut rows, &tokens);
    let openers = unknown_rows::question_openers(&template);
    unknown_rows::fill_boilerplate_rows(&mut rows, &labels, &tokens, &openers);
    let mut rows = unknown_codes::split_unknown_codes(rows, &tokens, catalog, &section);
    rows.sort_by_key(rows::first_token);
    blocks::split_blocks(&mut rows, &tokens, &template, &roles);
    Segmentation {
        lines,
        roles,
        tokens,
        template,
        rows,
        unknown_sections,
        first_page: 1,
        repeated_lines: Vec::new(),
    }
}

/// The template to align `tokens` against: the prepared catalogue's, or,
/// when the document shows codes the catalogue lacks, one with rows for
/// them too.
fn template_for<'p>(
    tokens: &[Token],
    catalog: &Catalog,
    section: &[Option<usize>],
    prepared: &'p Prepared,
) -> Cow<'p, Template> {
    let unknown = unknown_codes::unknown_anchors(tokens, catalog, section);
    if unknown.is_empty() {
        Cow::Borrowed(&prepared.template)
    } else {
        Cow::Owned(Template::new(catalog, &unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"
        version = "test"
        [[program]]
        id = "p"
        title = "Programmet för tester 2024-2026"
        printed_titles = ["Programmet för tester 2024-2026"]
        area_label = "Målområde"
        code_label = "Strategi"
        [[program.area]]
        number = 1
        title = "Öka kunskapen"
        [[program.item]]
        code = "1:1"
        question = "Är ert arbete kunskapsbaserat?"
        strategy = "Strategi 1:1 Arbetet ska vara kunskapsbaserat och utgå från aktuell forskning."
        [[program.item]]
        code = "1:2"
        question = "Har ni säkrat er kompetens?"
        strategy = "Strategi 1:2 Staden ska säkra kompetens hos ansvariga och utförare."
    "#;

    fn rows_of(text: &str) -> (Segmentation, Vec<(String, Vec<String>)>) {
        let catalog = Catalog::parse(MINI, "test").unwrap();
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let rows = seg
            .rows
            .iter()
            .map(|r| {
                let content = r
                    .content
                    .iter()
                    .map(|&t| seg.tokens[t].text.clone())
                    .collect();
                (r.code.to_string(), content)
            })
            .collect();
        (seg, rows)
    }

    #[test]
    fn a_prepared_template_segments_as_a_fresh_one() {
        let catalog = Catalog::parse(MINI, "test").unwrap();
        let prepared = Prepared::new(&catalog);
        for text in [
            // Only catalogue codes: the prepared template is used as is.
            "Strategi 1:1 Arbetet ska vara kunskapsbaserat.\nJa Vi arbetar med forskning.\n\n\
             Strategi 1:2 Staden ska säkra kompetens.\nNej Inte ännu.\n",
            // A code the catalogue lacks: a template of its own.
            "Strategi 1:1 Arbetet ska vara kunskapsbaserat.\nJa Vi arbetar.\n\n\
             Strategi 1:7 Något nytt.\nDelvis Det pågår.\n",
        ] {
            let doc = crate::read::text::read_text(text.as_bytes());
            let lines = lines::source_lines(&doc);
            let roles = structure::classify(&lines, &catalog);
            let tokens = tokens::tokens(&lines, &roles);
            let own = template_for(
                &tokens,
                &catalog,
                &structure::line_programs(&roles),
                &prepared,
            );
            assert_eq!(matches!(own, Cow::Owned(_)), text.contains("1:7"));
            let fresh = segment(&doc, &catalog);
            let reused = segment_prepared(&doc, &catalog, &prepared);
            assert!(!fresh.rows.is_empty(), "{text}");
            assert_eq!(format!("{:?}", reused.rows), format!("{:?}", fresh.rows));
            assert_eq!(
                format!("{:?}", reused.template.words),
                format!("{:?}", fresh.template.words)
            );
        }
    }

    #[test]
    fn block_layout_separates_template_from_answer_and_comment() {
        let (_, rows) = rows_of(
            "Ar ert arbete kunskapsbaserat?\n\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n\nJa\n\nVi arbetar med forskning.\n\n\
             Har ni sakrat er kompetens?\n\nStrategi 1:2 Staden ska sakra kompetens\nhos ansvariga och utforare.\n\nNej\n\nInte an.\n",
        );
        assert_eq!(rows[0].0, "1:1");
        assert_eq!(rows[0].1.join(" "), "Ja Vi arbetar med forskning.");
        assert_eq!(rows[1].1.join(" "), "Nej Inte an.");
    }

    #[test]
    fn interleaved_columns_are_split_word_by_word() {
        let (_, rows) = rows_of(
            "Ar ert arbete Delvis\nkunskapsbaserat? Vi har borjat\nStrategi 1:1 Arbetet ska vara men mycket\n\
             kunskapsbaserat och utga fran aterstar att gora.\naktuell forskning.\n",
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].1.join(" "),
            "Delvis Vi har borjat men mycket aterstar att gora."
        );
    }

    #[test]
    fn a_row_left_out_is_not_invented_from_comment_words() {
        // The comment quotes 1:2's question, but 1:2 is not in the report.
        let (_, rows) = rows_of(
            "Ar ert arbete kunskapsbaserat?\n\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n\nJa\n\n\
             Vi har ocksa sakrat er kompetens genom kurser.\n",
        );
        let codes: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(codes, ["1:1"]);
        assert!(rows[0]
            .1
            .join(" ")
            .contains("sakrat er kompetens genom kurser"));
    }

    #[test]
    fn an_unknown_code_becomes_its_own_row() {
        let (seg, rows) = rows_of(
            "Ar ert arbete kunskapsbaserat?\n\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n\nJa\n\nVi arbetar.\n\n\
             Har ni en plan for sommaren?\n\nStrategi 1:7 Staden ska planera sommaren.\n\nDelvis\n\nPlanen tas fram.\n",
        );
        let codes: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(codes, ["1:1", "1:7"]);
        assert_eq!(rows[0].1.join(" "), "Ja Vi arbetar.");
        assert_eq!(rows[1].1.join(" "), "Delvis Planen tas fram.");
        let unknown = &seg.rows[1];
        assert!(unknown.item.is_none());
        let q: Vec<&str> = unknown
            .unknown_fields
            .question
            .iter()
            .map(|&t| seg.tokens[t].text.as_str())
            .collect();
        assert_eq!(q.join(" "), "Har ni en plan for sommaren?");
    }

    #[test]
    fn an_answer_word_is_never_dropped_as_garbage() {
        let (_, rows) = rows_of("Ar ert arbete kunskapsbaserat? Ja\nStrategi 1:1 Arbetet ska vara\nkunskapsbaserat och utga fran\naktuell forskning.\n");
        assert_eq!(rows[0].1, ["Ja"]);
    }
}
