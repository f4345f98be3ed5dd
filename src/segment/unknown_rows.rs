//! Rows of codes the catalogue lacks that the aligner found by their
//! boilerplate alone (code label, instruction, result label): their own
//! question, strategy or expected result and answer are taken from the
//! text around it. In text with interleaved columns the question is found
//! by its answer word ([`interleaved_question`]) or, without one, by how
//! the catalogue's questions open ([`unanswered_question`]).

use super::align::Label;
use super::lines::Col;
use super::template::{Field, Template};
use super::tokens::Token;
use super::{RowSegment, UnknownFields};

/// Rows of codes the catalogue lacks matched only their boilerplate (code
/// label, instruction, result label). Their own text sits around it as
/// content or garbage: the question just before, the strategy or expected
/// result just after. With column positions, the row also owns the answer
/// column from its first line on.
pub(super) fn fill_boilerplate_rows(
    rows: &mut [RowSegment],
    labels: &[Label],
    tokens: &[Token],
    openers: &[&str],
) {
    let positioned = tokens.iter().any(|t| t.col != Col::Any);
    for r in 0..rows.len() {
        if rows[r].item.is_some() || rows[r].matched.is_empty() {
            continue;
        }
        let anchor = rows[r].matched.iter().map(|m| m.token).min().unwrap_or(0);
        let last = rows[r]
            .matched
            .iter()
            .map(|m| m.token)
            .max()
            .unwrap_or(anchor);
        let mut question = question_before(tokens, labels, anchor, positioned);
        // Text with interleaved columns: the question is found by its
        // answer word instead, and what follows it is the row's own.
        let mut own_content = Vec::new();
        let mut moved: Vec<usize> = Vec::new();
        if !positioned {
            if let Some(found) = interleaved_question(tokens, labels, anchor)
                .or_else(|| unanswered_question(tokens, labels, anchor, openers))
            {
                question = found.question;
                own_content = found.content;
                moved.extend(&found.specks);
            }
        }
        moved.extend(&question);
        moved.extend(&own_content);
        if positioned {
            // The answer column from the row's first line on is its own.
            if let Some(&first) = question.first() {
                let start_line = tokens[first].line;
                moved.extend(
                    (first..anchor)
                        .filter(|&k| tokens[k].col == Col::Right && tokens[k].line >= start_line),
                );
            }
        }
        let tail = text_after(tokens, labels, last, positioned);
        moved.extend(&tail);
        for other in rows.iter_mut() {
            other.content.retain(|t| !moved.contains(t));
            other.garbage.retain(|t| !moved.contains(t));
        }
        let row = &mut rows[r];
        // With its instruction matched the row's text after it is the
        // expected result; with only the code label, the label starts the
        // strategy text, which goes on in what was moved to the row.
        let has_instruction = row.matched.len() > 3;
        let strategy: Vec<usize> = if has_instruction {
            Vec::new()
        } else {
            row.matched
                .iter()
                .map(|m| m.token)
                .chain(moved.iter().copied().filter(|t| {
                    !question.contains(t)
                        && !own_content.contains(t)
                        && tokens[*t].col != Col::Right
                }))
                .collect()
        };
        let mut content: Vec<usize> = moved
            .iter()
            .copied()
            .filter(|&t| tokens[t].col == Col::Right || own_content.contains(&t))
            .chain(row.content.iter().copied())
            .collect();
        content.sort_unstable();
        row.content = content;
        row.unknown_fields = UnknownFields {
            question,
            strategy,
            expected: if has_instruction { tail } else { Vec::new() },
        };
    }
}

/// The question of an unknown row whose boilerplate starts at `anchor`:
/// the words back to the previous template word (in plain text, to the
/// paragraph's start), outside the answer column and without specks, from
/// the last sentence end on. In plain text it must end in "?" or ")";
/// otherwise there is none.
fn question_before(
    tokens: &[Token],
    labels: &[Label],
    anchor: usize,
    positioned: bool,
) -> Vec<usize> {
    let mut question = Vec::new();
    let mut k = anchor;
    while k > 0 && !matches!(labels[k - 1], Label::Match(..)) {
        k -= 1;
        let t = &tokens[k];
        if t.col != Col::Right && !t.noise {
            question.push(k);
        }
        if !positioned && t.para_start {
            break;
        }
    }
    question.reverse();
    // The question is the last sentence(s) before the boilerplate: text
    // ending a sentence earlier belongs to the row above (its expected
    // result, say).
    if let Some(cut) = question
        .iter()
        .rposition(|&t| tokens[t].text.ends_with(['.', '!', ':']))
        .filter(|&c| c + 1 < question.len())
    {
        question.drain(..=cut);
    }
    let asks = |q: &[usize]| {
        q.last()
            .is_some_and(|&t| tokens[t].text.ends_with(['?', ')']))
    };
    if !positioned && !asks(&question) {
        question.clear();
    }
    question
}

/// Text after an unknown row's boilerplate, whose last word is at `last`:
/// the strategy or expected result. With column positions it is the
/// question column up to the next template word; in plain text it ends
/// at the next template word, at a paragraph break after a full sentence,
/// or at a line opening with an answer word.
fn text_after(tokens: &[Token], labels: &[Label], last: usize, positioned: bool) -> Vec<usize> {
    let mut tail = Vec::new();
    let mut k = last + 1;
    while k < tokens.len() && !matches!(labels[k], Label::Match(..)) {
        let t = &tokens[k];
        k += 1;
        if positioned {
            // The question column up to the next template word.
            if t.col != Col::Right {
                tail.push(k - 1);
            }
            continue;
        }
        // A paragraph break ends the text only after a full sentence:
        // OCR puts blank lines inside wrapped cells too.
        let sentence_done = tail
            .last()
            .is_none_or(|&p: &usize| tokens[p].text.ends_with(['.', '!', '?']));
        if (t.para_start && sentence_done) || (t.line_start && t.answerish) {
            break;
        }
        tail.push(k - 1);
    }
    tail
}

/// An unknown row's question in text with interleaved columns, and the
/// answer and comment beside it.
struct InterleavedQuestion {
    question: Vec<usize>,
    /// The answer word and the comment up to the row's boilerplate.
    content: Vec<usize>,
    /// Specks ("|" before the answer word): nobody's text.
    specks: Vec<usize>,
}

/// In text with interleaved columns, the first line of a row ends in its
/// answer word ("Har ni bidragit till att unga som riskerar | Ja"). Between
/// the previous row's last template word and the unknown row's boilerplate
/// at `anchor`, find the last such line: the question runs from its start
/// to the first word ending in "?", leaving out the answer word; what
/// follows is answer and comment. `None` where no such line or "?" is found.
fn interleaved_question(
    tokens: &[Token],
    labels: &[Label],
    anchor: usize,
) -> Option<InterleavedQuestion> {
    let lo = after_last_match(labels, anchor);
    let ends_line = |k: usize| tokens.get(k + 1).is_none_or(|n| n.line != tokens[k].line);
    let answer_at = (lo..anchor).rev().find(|&k| {
        let line_start = (lo..=k).rev().find(|&s| tokens[s].line_start);
        tokens[k].answerish
            && !tokens[k].line_start
            && ends_line(k)
            && line_start.is_some_and(|s| tokens[s].line == tokens[k].line)
    })?;
    let start = (lo..=answer_at)
        .rev()
        .find(|&s| tokens[s].line_start && tokens[s].line == tokens[answer_at].line)?;
    let mut found = InterleavedQuestion {
        question: Vec::new(),
        content: vec![answer_at],
        specks: Vec::new(),
    };
    let mut asked = false;
    for (k, t) in tokens.iter().enumerate().take(anchor).skip(start) {
        if k == answer_at {
            continue;
        }
        if asked {
            found.content.push(k);
        } else if t.noise {
            found.specks.push(k);
        } else {
            found.question.push(k);
            asked = t.text.ends_with('?');
        }
    }
    found.content.sort_unstable();
    asked.then_some(found)
}

/// The keys of the first words of the template's questions ("har", "är",
/// "deltar"): how a question opens.
pub(super) fn question_openers(template: &Template) -> Vec<&str> {
    let mut openers: Vec<&str> = Vec::new();
    let mut last_row = None;
    for w in &template.words {
        if w.field == Field::Question && last_row != Some(w.row) {
            last_row = Some(w.row);
            if !openers.contains(&w.key.as_str()) {
                openers.push(&w.key);
            }
        }
    }
    openers
}

/// How many lines a question without an answer word may run over.
const QUESTION_LINES: usize = 3;

/// An unknown row's question in text with interleaved columns where the
/// OCR lost the answer word (or none was given). The question opens a line
/// as the template's questions do ("Har ni …"). It runs to the first word
/// ending in "?" before the row's boilerplate, when that is at most
/// [`QUESTION_LINES`] lines down; without a "?" (garbled away), it is the
/// opening line and the next line's words before a capital, where the
/// comment opens. What follows is comment.
fn unanswered_question(
    tokens: &[Token],
    labels: &[Label],
    anchor: usize,
    openers: &[&str],
) -> Option<InterleavedQuestion> {
    let lo = after_last_match(labels, anchor);
    let opens = |s: usize| tokens[s].line_start && openers.contains(&tokens[s].key.as_str());
    let (start, end) = if let Some(asked) = (lo..anchor).find(|&k| tokens[k].text.ends_with('?')) {
        let start = (lo..=asked)
            .rev()
            .find(|&s| opens(s) && tokens[asked].line - tokens[s].line < QUESTION_LINES)?;
        (start, asked + 1)
    } else {
        let start = (lo..anchor).rev().find(|&s| opens(s))?;
        let next = (start..anchor).find(|&k| tokens[k].line != tokens[start].line)?;
        let comment = (next + 1..anchor)
            .take_while(|&k| tokens[k].line == tokens[next].line)
            .find(|&k| tokens[k].text.starts_with(char::is_uppercase))?;
        (start, comment)
    };
    let (specks, question): (Vec<usize>, Vec<usize>) = (start..end).partition(|&k| tokens[k].noise);
    Some(InterleavedQuestion {
        question,
        content: (end..anchor).collect(),
        specks,
    })
}

/// The position after the last template match before `anchor` (0 when
/// there is none): where the text between two rows' template words starts.
fn after_last_match(labels: &[Label], anchor: usize) -> usize {
    labels[..anchor]
        .iter()
        .rposition(|l| matches!(l, Label::Match(..)))
        .map_or(0, |p| p + 1)
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::segment::segment;

    #[test]
    fn an_unknown_rows_question_in_interleaved_text_is_found_by_its_answer() {
        // OCR text of a real report; the catalogue lacks insats 2:1.
        let (question, content) = unknown_row(
            "Har ni bidragit till att unga som riskerar | Ja\n\
             att rekryteras får stöd att lämna\n\n\
             kriminalitet? Skolornas elevhälsa och de skolsociala\n\n\
             teamen arbetar med elever.\n\
             Genomförs aktiviteter i enlighet med\n\
             utdelat ansvar för att uppfylla målet med\n\
             insats 2:1.\n\n\
             Förväntat resultat: Fler unga som riskerar\n\
             att rekryteras till kriminalitet får tidigt stöd.\n",
            "2:1",
        );
        assert_eq!(
            question,
            "Har ni bidragit till att unga som riskerar att rekryteras får stöd att lämna kriminalitet?"
        );
        assert_eq!(
            content,
            "Ja Skolornas elevhälsa och de skolsociala teamen arbetar med elever."
        );
    }

    /// Insats 1:3 with its answer, then a row of insats `code` (which the
    /// catalogue lacks) printed as `row`: the unknown row's question and
    /// content, as text.
    fn unknown_row(row: &str, code: &str) -> (String, String) {
        let catalog = Catalog::embedded().unwrap();
        let text = format!(
            "Har ni utrett ideell sektors möjlighet att vara med i Ja\n\
             arbetat att motverka rekrytering till gängkriminalitet? Vi har utrett.\n\
             Genomförs aktiviteter i enlighet med\n\
             utdelat ansvar för att uppfylla målet med\n\
             insats 1:3.\n\n\
             Förväntat resultat: Ett utvecklat stöd för\n\
             barn/unga med normbrytande beteende och deras familjer.\n\n\
             Uppföljningsfrågor Svarsalternativ med kommentar\n\n\
             {row}"
        );
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == code && r.item.is_none())
            .expect("the unknown row");
        let words = |toks: &[usize]| {
            toks.iter()
                .map(|&t| seg.tokens[t].text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        (words(&row.unknown_fields.question), words(&row.content))
    }

    #[test]
    fn an_unknown_rows_question_without_an_answer_word_is_found_by_its_opening() {
        // The OCR lost the answer word; the catalogue lacks insats 2:2.
        let (question, content) = unknown_row(
            "Har ni säkerställt att individer som vill\n\n\
             lämna gängkriminalitet erbjuds stöd? Bolagen erbjuder bostad\n\n\
             Genomförs aktiviteter i enlighet med till personer i stadens\n\
             utdelat ansvar för att uppfylla målet med avhopparverksamhet.\n\
             insats 2:2.\n\n\
             Förväntat resultat: Fler individer lämnar\n\
             gängkriminalitet och får stöd till ett liv utan brott.\n",
            "2:2",
        );
        assert_eq!(
            question,
            "Har ni säkerställt att individer som vill lämna gängkriminalitet erbjuds stöd?"
        );
        assert_eq!(
            content,
            "Bolagen erbjuder bostad till personer i stadens avhopparverksamhet."
        );
    }

    #[test]
    fn an_unknown_rows_garbled_question_ends_where_the_comment_opens() {
        // Neither an answer word nor a "?": the question is its opening line
        // and the next line's words before the comment's capital.
        let (question, content) = unknown_row(
            "Har ni medverkat till att unga som vill\n\
             lamnna keiminalitst far stod th stugier Förvaltningen hänvisar unga\n\
             Genomförs aktiviteter i enlighet med till Jobbtorg.\n\
             utdelat ansvar för att uppfylla målet med\n\
             insats 2:4.\n\n\
             Förväntat resultat: Fler unga som lämnar\n\
             kriminalitet får en väg till studier.\n",
            "2:4",
        );
        assert_eq!(
            question,
            "Har ni medverkat till att unga som vill lamnna keiminalitst far stod th stugier"
        );
        assert_eq!(content, "Förvaltningen hänvisar unga till Jobbtorg.");
    }
}
