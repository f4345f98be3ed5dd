//! Labels → rows: the tokens the aligner labelled, gathered into one row
//! per template row the document shows.

use super::align::Label;
use super::blocks::ColumnFit;
use super::template::Template;
use super::tokens::Token;
use super::{RowSegment, TemplateMatch, UnknownFields};

/// Gathers the labelled tokens into rows, in document order: a row for
/// each template row with a matched word, holding its matched words, the
/// garbage right after them and the content up to the next row's words.
/// Content before the first row (cover text) is in no row.
pub(super) fn collect_rows(
    labels: &[Label],
    tokens: &[Token],
    template: &Template,
) -> Vec<RowSegment> {
    let mut rows: Vec<RowSegment> = Vec::new();
    let mut by_template_row: Vec<Option<usize>> = vec![None; template.rows.len()];
    let mut current: Option<usize> = None;
    let mut last_was_match = false;
    for (i, (t, l)) in tokens.iter().zip(labels).enumerate() {
        match *l {
            Label::Match(j, _) => {
                let tw = &template.words[j];
                let idx = *by_template_row[tw.row].get_or_insert_with(|| {
                    let tr = template.rows[tw.row];
                    rows.push(RowSegment {
                        program: tr.program,
                        code: tr.code,
                        item: tr.item,
                        matched: Vec::new(),
                        unknown_fields: UnknownFields::default(),
                        garbage: Vec::new(),
                        content: Vec::new(),
                        coverage: 0.0,
                        code_seen: false,
                        margin: 1.0,
                        page: t.page,
                        column_fit: ColumnFit::InPlace,
                    });
                    rows.len() - 1
                });
                let row = &mut rows[idx];
                row.matched.push(TemplateMatch { token: i, word: j });
                if tw.code.is_some() && t.code == tw.code {
                    row.code_seen = true;
                }
                current = Some(idx);
                last_was_match = true;
            }
            Label::Garbage => {
                if let (Some(c), true) = (current, last_was_match) {
                    rows[c].garbage.push(i);
                }
            }
            Label::Content => {
                last_was_match = false;
                if let Some(c) = current {
                    rows[c].content.push(i);
                }
            }
        }
    }
    rows
}

/// A row's first token of any kind: where it starts in the document.
pub(super) fn first_token(r: &RowSegment) -> usize {
    let m = r.matched.iter().map(|m| m.token).min();
    let u = r.unknown_fields.tokens().min();
    let c = r.content.first().copied();
    [m, u, c].into_iter().flatten().min().unwrap_or(usize::MAX)
}
