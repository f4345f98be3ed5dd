//! How well each row fits: the share of its template weight the document
//! shows (coverage), and how much better its words fit its own template
//! row than any other (margin).

use rustc_hash::FxHashMap;

use super::align::Label;
use super::template::Template;
use super::tokens::Token;
use super::RowSegment;

/// Sets each row's [`RowSegment::coverage`] and [`RowSegment::margin`]
/// from its matched words; rows not in `template` keep theirs.
pub(super) fn score_rows(
    rows: &mut [RowSegment],
    labels: &[Label],
    tokens: &[Token],
    template: &Template,
) {
    let keys = TemplateKeys::new(template);
    for row in rows {
        let r = template
            .rows
            .iter()
            .position(|tr| tr.program == row.program && tr.code == row.code);
        if let Some(r) = r {
            let total: f32 = template
                .words
                .iter()
                .filter(|w| w.row == r)
                .map(|w| w.weight)
                .sum();
            let got: f32 = row
                .matched
                .iter()
                .map(|m| template.words[m.word].weight * similarity_of(labels, m.token))
                .sum();
            row.coverage = if total > 0.0 {
                (got / total).min(1.0)
            } else {
                0.0
            };
            row.margin = margin(row, r, tokens, template, &keys);
        }
    }
}

/// The similarity of a matched token's label; 0 for any other.
fn similarity_of(labels: &[Label], i: usize) -> f32 {
    match labels[i] {
        Label::Match(_, s) => s,
        _ => 0.0,
    }
}

/// The template's words by distinct key, and each template row's total
/// weight: what [`margin`] weighs every row's matched words against.
struct TemplateKeys<'t> {
    /// Each distinct key's number.
    ids: FxHashMap<&'t str, usize>,
    /// Each template word's key number.
    word_ids: Vec<usize>,
    /// Each template row's weight.
    total: Vec<f32>,
}

impl<'t> TemplateKeys<'t> {
    fn new(template: &'t Template) -> TemplateKeys<'t> {
        let mut ids = FxHashMap::default();
        let mut word_ids = Vec::with_capacity(template.words.len());
        let mut total = vec![0.0f32; template.rows.len()];
        for w in &template.words {
            let next = ids.len();
            word_ids.push(*ids.entry(w.key.as_str()).or_insert(next));
            total[w.row] += w.weight;
        }
        TemplateKeys {
            ids,
            word_ids,
            total,
        }
    }
}

/// The row's matched words scored as a bag against every catalogue row:
/// its own row's share minus the best other row's share.
fn margin(
    row: &RowSegment,
    own: usize,
    tokens: &[Token],
    template: &Template,
    keys: &TemplateKeys,
) -> f32 {
    let mut in_bag = vec![false; keys.ids.len()];
    for t in row.matched.iter().map(|m| m.token) {
        if let Some(&id) = keys.ids.get(tokens[t].key.as_str()) {
            in_bag[id] = true;
        }
    }
    let mut found = vec![0.0f32; template.rows.len()];
    for (w, &id) in template.words.iter().zip(&keys.word_ids) {
        if in_bag[id] {
            found[w.row] += w.weight;
        }
    }
    let total = &keys.total;
    let share = |r: usize| {
        if total[r] > 0.0 {
            found[r] / total[r]
        } else {
            0.0
        }
    };
    let runner_up = (0..template.rows.len())
        .filter(|&r| r != own)
        .map(share)
        .fold(0.0f32, f32::max);
    (share(own) - runner_up).clamp(0.0, 1.0)
}
