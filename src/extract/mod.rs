//! Segmented rows → the contract's items: each field's text (template text
//! where the catalogue knows it, repaired document text where it does not),
//! the answer slot, the comment, a confidence, and the report's warnings
//! and missing rows.

mod garble;
pub(crate) mod identify;

use crate::catalog::Catalog;
use crate::model::Answer;
use crate::repair::{Origin, Repairer};
use crate::report::{Item, Missing, RawText, RepairNote, RepairStage, Warning, WarningKind};
use crate::segment::answer::parse_answer;
use crate::segment::blocks::ColumnFit;
use crate::segment::fold::similarity;
use crate::segment::lines::Col;
use crate::segment::structure::Role;
use crate::segment::template::Field;
use crate::segment::{RowSegment, Segmentation};

/// A confidence below this gets a `low-confidence` warning.
pub const LOW_CONFIDENCE: f32 = 0.5;

/// The highest confidence a row of a document in another template gets.
const FOREIGN_CONFIDENCE: f32 = 0.3;

/// Share of a field's template words that must be found for the whole
/// field's catalogue text to be used (OCR may lose its first or last words).
const WHOLE_FIELD: f32 = 0.6;

/// The items, missing rows and warnings of one segmented document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extracted {
    /// Rows in document order.
    pub items: Vec<Item>,
    /// Catalogue rows not answered.
    pub missing: Vec<Missing>,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// How [`extract`] treats a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Options {
    /// Where the text came from, which decides its repair.
    pub origin: Origin,
    /// Keep each repair in its item (`--explain`).
    pub explain: bool,
}

/// Turns segments into items, repairing document text as `options` say.
pub(crate) fn extract(
    seg: &Segmentation,
    catalog: &Catalog,
    repairer: &Repairer,
    options: Options,
) -> Extracted {
    let mut out = Extracted::default();
    let foreign = foreign_template(seg);
    for row in &seg.rows {
        let mut item = build_item(seg, row, catalog, repairer, options);
        if foreign {
            item.confidence = item.confidence.min(FOREIGN_CONFIDENCE);
        }
        let program = &catalog.programs[row.program];
        if row.item.is_none() {
            out.warnings.push(Warning {
                kind: WarningKind::UnknownCode,
                message: format!(
                    "page {}: {} {} is not in the catalogue for {}; kept as an item",
                    row.page,
                    if program.code_label.is_empty() {
                        "code"
                    } else {
                        &program.code_label
                    },
                    row.code,
                    program.id
                ),
                page: Some(row.page),
            });
        }
        if row.item.is_some() && !row.code_seen && row.margin < 0.15 {
            out.warnings.push(Warning {
                kind: WarningKind::AmbiguousRow,
                message: format!(
                    "page {}: row taken as {} {} without its code being readable; its text fits another row almost as well",
                    row.page, program.id, row.code
                ),
                page: Some(row.page),
            });
        }
        if item.confidence < LOW_CONFIDENCE {
            out.warnings.push(Warning {
                kind: WarningKind::LowConfidence,
                message: format!(
                    "page {}: {} {} read with confidence {:.2}; check it against the document",
                    row.page, program.id, row.code, item.confidence
                ),
                page: Some(row.page),
            });
        }
        out.items.push(item);
    }
    for p in &catalog.programs {
        for it in &p.items {
            let answered = out
                .items
                .iter()
                .any(|i| i.program == p.id && i.code == it.code);
            if !answered {
                out.missing.push(Missing {
                    program: p.id.clone(),
                    code: it.code,
                });
            }
        }
    }
    for section in &seg.unknown_sections {
        let pages = if section.first_page == section.last_page {
            format!("page {}", section.first_page)
        } else {
            format!("pages {}–{}", section.first_page, section.last_page)
        };
        out.warnings.push(Warning {
            kind: WarningKind::UnknownSection,
            message: format!(
                "{pages}: the section \"{}\" is in no programme of the catalogue; its rows \
                 are left out (a newer catalogue, loaded with --catalog, may know it)",
                section.title
            ),
            page: Some(section.first_page),
        });
    }
    let mut seen = std::collections::HashSet::new();
    for i in &out.items {
        if !seen.insert((i.program.clone(), i.code)) {
            out.warnings.push(Warning {
                kind: WarningKind::DuplicateCode,
                message: format!(
                    "page {}: {} {} appears more than once",
                    i.page, i.program, i.code
                ),
                page: Some(i.page),
            });
        }
    }
    if let (Some(&first), Some(&last)) = (seg.repeated_lines.first(), seg.repeated_lines.last()) {
        let pages = if first == last {
            format!("page {first}")
        } else {
            format!("pages {first}–{last}")
        };
        let n = seg.repeated_lines.len();
        out.warnings.push(Warning {
            kind: WarningKind::RepeatedLine,
            message: format!(
                "{pages}: {n} code line{} printed twice in a row (an OCR artefact); each was read once",
                if n == 1 { " was" } else { "s were" }
            ),
            page: Some(first),
        });
    }
    if foreign {
        out.warnings.insert(
            0,
            Warning {
                kind: WarningKind::UnknownTemplate,
                message: "the document names catalogue codes but not in the questionnaire's \
                          template (no table header, no Ja / Nej / Delvis answer anywhere): \
                          its rows are kept with low confidence and no answers"
                    .into(),
                page: None,
            },
        );
    }
    if out.items.is_empty() {
        out.warnings.push(Warning {
            kind: WarningKind::NotAReport,
            message: "no follow-up rows found: the text matches no programme of the catalogue"
                .into(),
            page: None,
        });
    }
    out
}

/// A document in another template: it has rows (codes or template words
/// were found) but neither the questionnaire's table header nor a single
/// answer slot. Its "Uppfyllt" or "Status: klar" must not become answers.
fn foreign_template(seg: &Segmentation) -> bool {
    !seg.rows.is_empty()
        && !seg.roles.contains(&Role::TableHeader)
        && seg
            .rows
            .iter()
            .all(|row| Content::read(seg, row).answer.is_none())
}

fn build_item(
    seg: &Segmentation,
    row: &RowSegment,
    catalog: &Catalog,
    repairer: &Repairer,
    options: Options,
) -> Item {
    let Options { origin, explain } = options;
    let program = &catalog.programs[row.program];
    let mut notes = Vec::new();
    let left = match row.item {
        Some(_) => {
            if explain {
                note_template(&mut notes, seg, row, &program.id);
            }
            LeftColumn::from_template(seg, row)
        }
        None => LeftColumn::repaired(seg, row, repairer, origin, &mut notes),
    };
    let mut content = Content::read(seg, row);
    let garble = garble::question_garble(seg, row, &content.comment, repairer);
    content.comment = (content.comment.iter().enumerate())
        .filter(|(k, _)| !garble.contains(k))
        .map(|(_, &t)| t)
        .collect();
    let comment_lines = token_lines(seg, &content.comment);
    let refs: Vec<&str> = comment_lines.iter().map(String::as_str).collect();
    let comment = repairer.repair_lines(&refs, origin);
    note_edits(&mut notes, "comment", &comment);
    let confidence = confidence(row, &content, seg);
    Item {
        // Set with the report's administration and year (`Report::set_item_keys`).
        item_key: String::new(),
        program: program.id.clone(),
        area: program.area_of(row.code),
        code: row.code,
        question: left.question.unwrap_or_default(),
        strategy_text: left.strategy,
        answer: content.answer,
        comment: comment.text,
        expected_result: left.expected,
        confidence,
        page: row.page,
        raw: RawText {
            question: left.raw_question,
            answer: content.raw_answer,
            comment: comment_lines.join(" "),
        },
        repairs: explain.then_some(notes),
    }
}

/// A row's left column as the item gives it: question, strategy text and
/// expected result, and the question as read.
struct LeftColumn {
    question: Option<String>,
    strategy: Option<String>,
    expected: Option<String>,
    raw_question: String,
}

impl LeftColumn {
    /// A known row's: the catalogue's text of the fields the document shows.
    fn from_template(seg: &Segmentation, row: &RowSegment) -> LeftColumn {
        LeftColumn {
            question: template_field(seg, row, Field::Question),
            strategy: template_field(seg, row, Field::Strategy),
            expected: template_field(seg, row, Field::Expected),
            raw_question: raw_field(seg, row, Field::Question),
        }
    }

    /// An unknown row's: its own words, repaired (each repair noted).
    fn repaired(
        seg: &Segmentation,
        row: &RowSegment,
        repairer: &Repairer,
        origin: Origin,
        notes: &mut Vec<RepairNote>,
    ) -> LeftColumn {
        let mut text_of = |field: Field, name: &str| {
            let lines = token_lines(seg, row.unknown_fields.of(field));
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let repaired = repairer.repair_lines(&refs, origin);
            note_edits(notes, name, &repaired);
            (repaired.text, lines.join(" "))
        };
        let (question, raw_question) = text_of(Field::Question, "question");
        let (strategy, _) = text_of(Field::Strategy, "strategy_text");
        let (expected, _) = text_of(Field::Expected, "expected_result");
        LeftColumn {
            question: Some(question),
            strategy: Some(strategy).filter(|s| !s.is_empty()),
            expected: Some(expected).filter(|e| !e.is_empty()),
            raw_question,
        }
    }
}

fn note_edits(notes: &mut Vec<RepairNote>, field: &str, repaired: &crate::repair::Repaired) {
    notes.extend(repaired.edits.iter().map(|e| RepairNote {
        field: field.to_string(),
        before: e.before.clone(),
        after: e.after.clone(),
        stage: RepairStage::Repair(e.stage),
        reason: e.reason.clone(),
    }));
}

/// Every word the template replaced, for `--explain`.
fn note_template(
    notes: &mut Vec<RepairNote>,
    seg: &Segmentation,
    row: &RowSegment,
    program: &crate::model::ProgramId,
) {
    for m in &row.matched {
        let (tok, tw) = (&seg.tokens[m.token], &seg.template.words[m.word]);
        let field = match tw.field {
            Field::Question => "question",
            Field::Strategy => "strategy_text",
            Field::Expected => "expected_result",
            Field::Instruction | Field::ExpectedLabel => continue,
        };
        if tok.text != tw.text {
            notes.push(RepairNote {
                field: field.to_string(),
                before: tok.text.clone(),
                after: tw.text.clone(),
                stage: RepairStage::Template,
                reason: format!("matched the catalogue's text of {program} {}", row.code),
            });
        }
    }
}

/// A known row's field as the catalogue prints it: the span of template
/// words the document shows, widened to the whole field when most of it
/// was found.
fn template_field(seg: &Segmentation, row: &RowSegment, field: Field) -> Option<String> {
    // The row's words in the template, whichever of them were matched.
    let tr = seg
        .template
        .rows
        .iter()
        .position(|t| t.program == row.program && t.code == row.code)?;
    let field_words: Vec<usize> = (0..seg.template.words.len())
        .filter(|&j| seg.template.words[j].row == tr && seg.template.words[j].field == field)
        .collect();
    let (first, last) = (*field_words.first()?, *field_words.last()?);
    let js: Vec<usize> = row
        .matched
        .iter()
        .map(|m| m.word)
        .filter(|&j| seg.template.words[j].row == tr && seg.template.words[j].field == field)
        .collect();
    // A row identified by its code prints the template's whole text, however
    // garbled the scan; otherwise only what was found, widened to the whole
    // field when most of it was.
    let (lo, hi) = if row.code_seen || js.len() as f32 >= WHOLE_FIELD * field_words.len() as f32 {
        (first, last)
    } else {
        (*js.iter().min()?, *js.iter().max()?)
    };
    let words: Vec<&str> = (lo..=hi)
        .map(|j| seg.template.words[j].text.as_str())
        .collect();
    Some(words.join(" "))
}

/// The document's own words of a known row's field, as read.
fn raw_field(seg: &Segmentation, row: &RowSegment, field: Field) -> String {
    let toks: Vec<usize> = row
        .matched
        .iter()
        .filter(|m| seg.template.words[m.word].field == field)
        .map(|m| m.token)
        .collect();
    token_lines(seg, &toks).join(" ")
}

/// Tokens grouped back into their printed lines, specks left out.
fn token_lines(seg: &Segmentation, toks: &[usize]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut last_line = None;
    for &t in toks {
        let tok = &seg.tokens[t];
        if !printable(tok) {
            continue;
        }
        if last_line == Some(tok.line) {
            if let Some(l) = lines.last_mut() {
                l.push(' ');
                l.push_str(&tok.text);
            }
        } else {
            lines.push(tok.text.clone());
            last_line = Some(tok.line);
        }
    }
    lines
}

/// Specks are left out of text, but "|" is how OCR reads a capital I
/// ("| all"): repair decides what it is.
fn printable(tok: &crate::segment::tokens::Token) -> bool {
    !tok.noise || tok.text == "|"
}

/// A row's answer column: the answer slot, then the comment.
struct Content {
    answer: Option<Answer>,
    raw_answer: String,
    /// The slot held an exact answer word (not an OCR variant).
    exact: bool,
    comment: Vec<usize>,
}

/// A first content line this short, above a line holding only an answer
/// word, is a stray from the question column (its last word, an OCR
/// speck), not the start of a comment written above the answer.
const STRAY_ABOVE_SLOT: usize = 2;

impl Content {
    /// The slot is the first content line when it holds nothing but an
    /// answer word: "Ja" alone (or the tail of an interleaved line) is the
    /// answer; "Ja, men …" is the comment's first words. A stray word or
    /// two may stand above the slot: then the slot is the second line, and
    /// the stray is nobody's text. Specks opening the comment ("- - 3") are
    /// left out of it.
    fn read(seg: &Segmentation, row: &RowSegment) -> Content {
        let toks: Vec<usize> = row
            .content
            .iter()
            .copied()
            .filter(|&t| printable(&seg.tokens[t]))
            .collect();
        let line_len = |from: usize| {
            toks.get(from).map_or(0, |&first| {
                toks[from..]
                    .iter()
                    .take_while(|&&t| seg.tokens[t].line == seg.tokens[first].line)
                    .count()
            })
        };
        let first_len = line_len(0);
        let slots = [(0, first_len), (first_len, line_len(first_len))];
        for (k, &(from, len)) in slots.iter().enumerate() {
            if k == 1 && first_len > STRAY_ABOVE_SLOT {
                break;
            }
            if let Some((answer, raw, exact)) = slot_answer(seg, &toks[from..from + len]) {
                return Content {
                    answer: Some(answer),
                    raw_answer: raw,
                    exact,
                    comment: without_leading_specks(seg, &toks[from + len..]),
                };
            }
        }
        if let Some((line_end, answer_at)) = question_line(seg, row, &toks) {
            if let Some((answer, raw, exact)) = slot_answer(seg, &toks[answer_at..line_end]) {
                return Content {
                    answer: Some(answer),
                    raw_answer: raw,
                    exact,
                    comment: toks[line_end..].to_vec(),
                };
            }
        }
        Content {
            answer: None,
            raw_answer: String::new(),
            exact: false,
            comment: toks,
        }
    }
}

/// Least share of a line's words (the answer word aside) that must be the
/// row's question words for the line to be its question line.
const QUESTION_SHARE: f32 = 0.6;

/// Least similarity of a word to a question word to count as one.
const QUESTION_WORD: f32 = 0.7;

/// Where the OCR read a page's blocks out of order, the row's question and
/// answer ("Har ni förstärkt era åtgärder för att Ja") can come after text
/// of the rows around it, all left as content. A content line ending in an
/// answer word whose other words (three at least) are mostly the row's
/// question words is that line: (end of the line, position of the answer
/// word) in `toks`. The comment is what follows it; what precedes it is the
/// neighbours' misplaced text.
fn question_line(seg: &Segmentation, row: &RowSegment, toks: &[usize]) -> Option<(usize, usize)> {
    row.item?;
    let template_row = row
        .matched
        .first()
        .map(|m| seg.template.words[m.word].row)?;
    let question: Vec<&str> = seg
        .template
        .words
        .iter()
        .filter(|w| w.row == template_row && w.field == Field::Question)
        .map(|w| w.key.as_str())
        .collect();
    let mut start = 0;
    while start < toks.len() {
        let line = seg.tokens[toks[start]].line;
        let end = start
            + toks[start..]
                .iter()
                .take_while(|&&t| seg.tokens[t].line == line)
                .count();
        let words = &toks[start..end - 1];
        let asked = words
            .iter()
            .filter(|&&t| {
                let key = seg.tokens[t].key.as_str();
                question.iter().any(|q| similarity(key, q) >= QUESTION_WORD)
            })
            .count();
        let last = &seg.tokens[toks[end - 1]];
        if last.answerish && words.len() >= 3 && asked as f32 >= QUESTION_SHARE * words.len() as f32
        {
            return Some((end, end - 1));
        }
        start = end;
    }
    None
}

/// The answer a slot line spells: (answer, raw text, spelled exactly).
fn slot_answer(seg: &Segmentation, line: &[usize]) -> Option<(Answer, String, bool)> {
    let slot: Vec<&str> = line.iter().map(|&t| seg.tokens[t].text.as_str()).collect();
    if line.is_empty() || line.len() > 2 || slot.concat().ends_with(',') {
        return None;
    }
    [slot.join(" "), slot.concat()].iter().find_map(|c| {
        let exact = matches!(c.to_lowercase().as_str(), "ja" | "nej" | "delvis");
        parse_answer(c).map(|a| (a, slot.join(" "), exact))
    })
}

/// The comment without a run of OCR specks opening it (what a smudge in
/// the scan reads as: "- - 3", "lg - - 3", "ie - 3", possibly over two
/// lines: "ve as" / "- 2 Vi har"): short pieces, the run ending in a lone
/// digit or holding two lone dashes, and a capitalised word after it on
/// the run's last line. A comment opening "- 3 st skolor" or "- Vi har"
/// keeps its words.
fn without_leading_specks(seg: &Segmentation, comment: &[usize]) -> Vec<usize> {
    let Some(&first) = comment.first() else {
        return Vec::new();
    };
    let line = seg.tokens[first].line;
    let text = |t: usize| seg.tokens[t].text.as_str();
    let digit = |t: usize| text(t).len() == 1 && text(t).chars().all(|c| c.is_ascii_digit());
    // The specks may run on to the next line ("… och ve as" over "- 2 Vi har").
    let short = comment
        .iter()
        .take_while(|&&t| seg.tokens[t].line <= line + 1 && text(t).chars().count() <= 3)
        .count();
    // The run ends at its last dash or digit: "- 2 - 3 En genomgång" keeps "En".
    let run = comment[..short]
        .iter()
        .rposition(|&t| text(t) == "-" || digit(t))
        .map_or(0, |p| p + 1);
    let dashes = comment[..run].iter().filter(|&&t| text(t) == "-").count();
    let ends_in_digit = run > 0 && digit(comment[run - 1]);
    // The comment proper starts a sentence after the specks.
    let sentence_after = comment.get(run).is_some_and(|&t| {
        run > 0
            && seg.tokens[t].line == seg.tokens[comment[run - 1]].line
            && text(t).chars().next().is_some_and(char::is_uppercase)
    });
    if run > 0 && sentence_after && (ends_in_digit || dashes >= 2) {
        comment[run..].to_vec()
    } else {
        comment.to_vec()
    }
}

/// How sure the row's code, fields and answer are, 0..1.
fn confidence(row: &RowSegment, content: &Content, seg: &Segmentation) -> f32 {
    let template = if row.item.is_some() {
        row.coverage
    } else {
        0.5
    };
    let code = if row.code_seen { 1.0 } else { 0.0 };
    let answer = match (content.answer, content.exact) {
        (Some(_), true) => 1.0,
        (Some(_), false) => 0.7,
        (None, _) if !content.comment.is_empty() => 0.75,
        (None, _) => 0.5,
    };
    // Garbage inside the template text means OCR struggled here.
    let garbage = (row.garbage.len() as f32 / (row.matched.len().max(1) as f32)).min(0.5);
    let ocr_conf = row
        .content
        .iter()
        .filter_map(|&t| seg.tokens[t].confidence)
        .fold(None, |acc: Option<(f32, usize)>, c| {
            Some(acc.map_or((c, 1), |(s, n)| (s + c, n + 1)))
        })
        .map_or(1.0, |(s, n)| s / n as f32);
    let mut c = (0.1 + 0.45 * template + 0.2 * code + 0.25 * answer - 0.2 * garbage)
        * ocr_conf.clamp(0.5, 1.0);
    c *= 1.0 - INTERLEAVED_PENALTY * interleaved_share(seg, row, &content.comment);
    if holds_an_answer_slot(seg, &content.comment) {
        c = c.min(SWALLOWED_ROW);
    }
    if content.answer.is_none() && !content.comment.is_empty() {
        c = c.min(BLANK_BESIDE_COMMENT);
    }
    c = c.min(match row.column_fit {
        ColumnFit::InPlace => 1.0,
        ColumnFit::Block => BLOCK_ROW,
        ColumnFit::BlockGuessed => GUESSED_BLOCK_ROW,
    });
    (c.clamp(0.0, 1.0) * 100.0).round() / 100.0
}

/// The confidence, at most, of a row whose answer column came back from a
/// column block, one part a row: right as a rule, but read out of place.
const BLOCK_ROW: f32 = 0.85;

/// The confidence, at most, of a row of a column block with fewer answer
/// parts than rows, where which rows were blank was guessed from words.
const GUESSED_BLOCK_ROW: f32 = 0.45;

/// The confidence, at most, of a row whose answer slot is blank while its
/// comment is written: authors seldom leave the answer out and then
/// explain, but OCR often drops a short word such as "Ja" from a scan, so
/// the blank is a guess to check, not a reading.
const BLANK_BESIDE_COMMENT: f32 = 0.6;

/// How much a row's confidence drops when all of its comment shares lines
/// with its template text (scaled by the share that does).
const INTERLEAVED_PENALTY: f32 = 0.5;

/// The share of a comment's words, from text without positions, that sit
/// on a line together with the row's template words: columns interleaved
/// line by line, where where the comment starts and ends is a guess.
fn interleaved_share(seg: &Segmentation, row: &RowSegment, comment: &[usize]) -> f32 {
    let template_lines: std::collections::HashSet<usize> = row
        .matched
        .iter()
        .map(|m| seg.tokens[m.token].line)
        .chain(row.garbage.iter().map(|&t| seg.tokens[t].line))
        .collect();
    let unplaced: Vec<usize> = comment
        .iter()
        .copied()
        .filter(|&t| seg.tokens[t].col == Col::Any)
        .collect();
    if unplaced.is_empty() {
        return 0.0;
    }
    let shared = unplaced
        .iter()
        .filter(|&&t| template_lines.contains(&seg.tokens[t].line))
        .count();
    shared as f32 / comment.len() as f32
}

/// The confidence, at most, of a row whose comment holds another row's
/// answer slot: below [`LOW_CONFIDENCE`], so that it is flagged.
const SWALLOWED_ROW: f32 = 0.45;

/// A comment line ending in a bare answer word after other words ("Har ni
/// tagit initiativ och/eller deltagit i Ja") is a question line with its
/// answer slot: the row swallowed the next row, whose code went unread.
fn holds_an_answer_slot(seg: &Segmentation, comment: &[usize]) -> bool {
    comment.windows(2).enumerate().any(|(k, w)| {
        let (prev, t) = (&seg.tokens[w[0]], &seg.tokens[w[1]]);
        let ends_line = comment
            .get(k + 2)
            .is_none_or(|&n| seg.tokens[n].line != t.line);
        prev.line == t.line && ends_line && matches!(t.text.as_str(), "Ja" | "Nej" | "Delvis")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_answer_beside_a_comment_is_not_confident() {
        let catalog = Catalog::embedded().unwrap();
        let row_conf = |answer: &str| {
            let text = format!(
                "Är ert arbete kunskapsbaserat?\n\n\
                 Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
                 brottsförebyggande arbete ska vara kunskapsbaserat och\n\
                 utgå från målgruppsanalyser, likvärdiga lokala och\n\
                 centrala lägesbilder och aktuell forskning\n\n\
                 {answer}\n\nVi arbetar med lägesbilder och forskning.\n"
            );
            let doc = crate::read::text::read_text(text.as_bytes());
            let seg = crate::segment::segment(&doc, &catalog);
            let row = seg.rows.first().expect("a row");
            let content = Content::read(&seg, row);
            confidence(row, &content, &seg)
        };
        assert!(row_conf("Ja") >= 0.9, "{}", row_conf("Ja"));
        // The OCR lost the answer word: the blank is doubtful.
        assert!(row_conf("") < 0.9, "{}", row_conf(""));
    }

    #[test]
    fn comments_interleaved_with_template_lines_are_less_sure() {
        let catalog = Catalog::embedded().unwrap();
        let text = "Strategi 1:1 Göteborgs stads trygghetsskapande och Ja\n\
                    brottsförebyggande arbete ska vara Vi arbetar med\n\
                    kunskapsbaserat och utgå från lägesbilder och forskning.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let row = seg.rows.first().expect("a row");
        let content = Content::read(&seg, row);
        assert!(!content.comment.is_empty());
        let share = interleaved_share(&seg, row, &content.comment);
        assert!(share > 0.0, "{share}");
        // The same words with the columns apart share no line.
        let apart = "Är ert arbete kunskapsbaserat?\n\n\
                     Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
                     brottsförebyggande arbete ska vara kunskapsbaserat och\n\
                     utgå från målgruppsanalyser, likvärdiga lokala och\n\
                     centrala lägesbilder och aktuell forskning\n\n\
                     Ja\n\nVi arbetar med lägesbilder och forskning.\n";
        let doc = crate::read::text::read_text(apart.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let row = seg.rows.first().expect("a row");
        let content = Content::read(&seg, row);
        assert_eq!(interleaved_share(&seg, row, &content.comment), 0.0);
    }

    /// The answer column of a row whose content is all of `text`.
    fn content_of(text: &str) -> (Option<Answer>, String) {
        let catalog = Catalog::embedded().unwrap();
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let row = RowSegment {
            program: 0,
            code: "1:1".parse().unwrap(),
            item: Some(0),
            matched: Vec::new(),
            unknown_fields: Default::default(),
            garbage: Vec::new(),
            content: (0..seg.tokens.len()).collect(),
            coverage: 1.0,
            code_seen: true,
            margin: 1.0,
            page: 1,
            column_fit: crate::segment::blocks::ColumnFit::InPlace,
        };
        let c = Content::read(&seg, &row);
        let words: Vec<&str> = c
            .comment
            .iter()
            .map(|&t| seg.tokens[t].text.as_str())
            .collect();
        (c.answer, words.join(" "))
    }

    #[test]
    fn a_stray_word_above_the_answer_slot_is_neither_answer_nor_comment() {
        let (answer, comment) = content_of("förtryck.\n\nJa\n\nVi har ett våldsteam.\n");
        assert_eq!(answer, Some(Answer::Ja));
        assert_eq!(comment, "Vi har ett våldsteam.");
    }

    #[test]
    fn a_comment_line_above_the_slot_is_not_a_stray() {
        let (answer, comment) = content_of("Vi har inte hunnit svara.\n\nJa\n");
        assert_eq!(answer, None);
        assert_eq!(comment, "Vi har inte hunnit svara. Ja");
    }

    #[test]
    fn a_comment_holding_another_rows_answer_slot_is_flagged() {
        let catalog = Catalog::embedded().unwrap();
        let text = "Ja\n\nVi deltar i samverkan.\nHar ni tagit initiativ och/eller deltagit i Ja\nVi har deltagit.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let all: Vec<usize> = (0..seg.tokens.len()).collect();
        assert!(holds_an_answer_slot(&seg, &all));
        assert!(!holds_an_answer_slot(&seg, &all[..6]));
    }

    #[test]
    fn a_question_line_read_out_of_order_still_gives_the_answer() {
        // Tesseract read the blocks out of order: the neighbours' text, then
        // the row's question line with its answer, then the comment.
        let catalog = Catalog::embedded().unwrap();
        let text = "Strategi 5:2 Göteborgs stad ska förstärka sina kontrollfunktioner och\n\
            samverka internt och externt för att motverka ekonomisk brottslighet och\n\
            att oseriösa aktörer kommer åt stadens resurser.\n\n\
            åtgärder i verksamheter, på platser och vid | underleverantörer.\n\
            Har ni förstärkt era åtgärder för att Ja\n\n\
            Förvaltningen har förstärkt sitt arbete.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == "5:2")
            .expect("row 5:2");
        let content = Content::read(&seg, row);
        assert_eq!(content.answer, Some(Answer::Ja));
        let words: Vec<&str> = content
            .comment
            .iter()
            .map(|&t| seg.tokens[t].text.as_str())
            .collect();
        assert_eq!(words.join(" "), "Förvaltningen har förstärkt sitt arbete.");
    }

    #[test]
    fn specks_opening_the_comment_are_left_out_but_a_dash_list_is_kept() {
        let (_, comment) = content_of("Ja\n\nän är - 2 - 3 En genomgång har gjorts.\n");
        assert_eq!(comment, "En genomgång har gjorts.");
        let (_, comment) = content_of("Ja\n\n- Vi har en plan.\n");
        assert_eq!(comment, "- Vi har en plan.");
        let (_, comment) = content_of("Ja\n\n- 3 st skolor.\n");
        assert_eq!(comment, "- 3 st skolor.");
        // Over two lines.
        let (_, comment) = content_of("Ja\n\nve as\n- 2 Vi har en plan.\n");
        assert_eq!(comment, "Vi har en plan.");
        let (_, comment) = content_of("Ja\n\n- 3\nVi har en plan.\n");
        assert_eq!(comment, "- 3 Vi har en plan.");
    }
}
