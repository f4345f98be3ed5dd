//! Codes the document shows that the catalogue lacks ("Strategi 4:7",
//! "insats 2:1.", "3:1" opening a line): found before alignment, so that
//! the template gets a row for each ([`unknown_anchors`]), and after it in
//! the content of the row before, which is split there
//! ([`split_unknown_codes`]).

use crate::catalog::Catalog;
use crate::model::Code;

use super::blocks::ColumnFit;
use super::fold;
use super::tokens::{ends_sentence, Token};
use super::{RowSegment, UnknownFields};

/// Codes the document shows that the catalogue lacks, with the programme
/// they belong to: a code after a programme's code label ("Strategi 4:7",
/// "insats 2:1."), or opening a line in a section whose programme prints
/// codes bare ("3:1 Samtliga nämnder …").
pub(super) fn unknown_anchors(
    tokens: &[Token],
    catalog: &Catalog,
    section: &[Option<usize>],
) -> Vec<(usize, Code)> {
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let Some(code) = t.code else { continue };
        let by_label = k
            .checked_sub(1)
            .and_then(|p| program_for_code(catalog, Some(&tokens[p]), None))
            .filter(|_| tokens[k - 1].line == t.line);
        let bare = section[t.line].filter(|&p| {
            catalog.programs[p].code_label.is_empty()
                && t.line_start
                && tokens.get(k + 1).is_some_and(|n| n.line == t.line)
        });
        if let Some(p) = by_label.or(bare) {
            if catalog.programs[p].item(code).is_none() && !out.contains(&(p, code)) {
                out.push((p, code));
            }
        }
    }
    out
}

/// A code the catalogue lacks ("Strategi 4:7 …") shows up as content of the
/// row before it. Split such rows out: the code's paragraph is the new
/// row's strategy text, a question paragraph just before it its question,
/// and what follows its answer and comment.
pub(super) fn split_unknown_codes(
    mut rows: Vec<RowSegment>,
    tokens: &[Token],
    catalog: &Catalog,
    section: &[Option<usize>],
) -> Vec<RowSegment> {
    let mut out = Vec::new();
    for mut row in rows.drain(..) {
        while let Some(pos) = find_unknown_code(&row, tokens, catalog) {
            let code_tok = row.content[pos];
            let code = tokens[code_tok].code.unwrap_or(row.code);
            let label_before = pos > 0 && is_code_label(&tokens[row.content[pos - 1]], catalog);
            let strategy_start = if label_before { pos - 1 } else { pos };
            // The question: the content lines just before, back to a line
            // that ends a sentence of the previous comment.
            let mut q_start = strategy_start;
            while q_start > 0 {
                let prev = &tokens[row.content[q_start - 1]];
                let same_line_as_next = prev.line == tokens[row.content[q_start]].line;
                if !same_line_as_next && ends_sentence(&prev.text) && !prev.text.ends_with('?') {
                    break;
                }
                q_start -= 1;
            }
            // A question ends with "?" or "styrelser)"; otherwise there is none.
            let q_tokens: Vec<usize> = row.content[q_start..strategy_start].to_vec();
            let has_question = q_tokens
                .last()
                .is_some_and(|&t| tokens[t].text.ends_with('?') || tokens[t].text.ends_with(')'));
            let q_tokens = if has_question { q_tokens } else { Vec::new() };
            let keep = if has_question {
                q_start
            } else {
                strategy_start
            };
            // The strategy text runs to the end of its paragraph: until the
            // first line that holds an answer word or a blank line.
            let mut s_end = strategy_start + 1;
            while s_end < row.content.len() {
                let t = &tokens[row.content[s_end]];
                if t.line_start && (t.answerish || paragraph_break(tokens, row.content[s_end])) {
                    break;
                }
                s_end += 1;
            }
            let program = program_for_code(
                catalog,
                label_before.then(|| &tokens[row.content[pos - 1]]),
                section[tokens[code_tok].line],
            )
            .unwrap_or(row.program);
            let page = tokens[q_tokens.first().copied().unwrap_or(code_tok)].page;
            let new_row = RowSegment {
                program,
                code,
                item: catalog.programs[program]
                    .items
                    .iter()
                    .position(|it| it.code == code),
                matched: Vec::new(),
                unknown_fields: UnknownFields {
                    question: q_tokens,
                    strategy: row.content[strategy_start..s_end].to_vec(),
                    expected: Vec::new(),
                },
                garbage: Vec::new(),
                content: row.content[s_end..].to_vec(),
                coverage: 0.0,
                code_seen: true,
                margin: 1.0,
                page,
                column_fit: ColumnFit::InPlace,
            };
            row.content.truncate(keep);
            out.push(row);
            row = new_row;
        }
        out.push(row);
    }
    out
}

fn paragraph_break(tokens: &[Token], i: usize) -> bool {
    i > 0 && tokens[i].line_start && tokens[i].line != tokens[i - 1].line + 1
}

/// A content token that is a code the catalogue does not know, introduced
/// as codes are ("Strategi 4:7", "insats 2:5", or "3:1" opening a line).
fn find_unknown_code(row: &RowSegment, tokens: &[Token], catalog: &Catalog) -> Option<usize> {
    row.content.iter().enumerate().position(|(k, &t)| {
        let tok = &tokens[t];
        if tok.code.is_none() {
            return false;
        }
        // A row's code opens its line ("Strategi 4:7 …", "3:1 …"); a code in
        // running text ("se kommentaren under strategi 5:4") is a reference.
        let labelled = k > 0 && {
            let label = &tokens[row.content[k - 1]];
            is_code_label(label, catalog) && label.line_start && label.line == tok.line
        };
        let opens_line = tok.line_start && tokens.get(t + 1).is_some_and(|n| n.line == tok.line);
        let known = tok
            .code
            .is_some_and(|c| catalog.programs.iter().any(|p| p.item(c).is_some()));
        (labelled || opens_line) && !known
    })
}

fn is_code_label(t: &Token, catalog: &Catalog) -> bool {
    catalog
        .programs
        .iter()
        .filter(|p| !p.code_label.is_empty())
        .any(|p| fold::similarity(&t.key, &fold::key(&p.code_label)) > 0.0)
}

/// The programme a code belongs to: named by its label word, else the
/// section it sits in.
fn program_for_code(
    catalog: &Catalog,
    label: Option<&Token>,
    section: Option<usize>,
) -> Option<usize> {
    if let Some(l) = label {
        let by_label = catalog.programs.iter().position(|p| {
            !p.code_label.is_empty() && fold::similarity(&l.key, &fold::key(&p.code_label)) > 0.0
        });
        if by_label.is_some() {
            return by_label;
        }
    }
    section
}
