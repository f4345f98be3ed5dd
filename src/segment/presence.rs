//! Which of the template's rows the document shows: a row whose words
//! were found in good part (or whose code was read). The document is
//! aligned again against only those rows, so that rows it leaves out do
//! not keep the few words they drew by chance.

use std::borrow::Cow;

use super::align::{Aligner, Label};
use super::template::Template;
use super::tokens::Token;

/// Minimum share of a row's template weight that must be found for a row
/// without a readable code to count as present.
const MIN_COVERAGE: f32 = 0.4;

/// Which template rows the document really shows.
fn present_rows(labels: &[Label], tokens: &[Token], template: &Template) -> Vec<bool> {
    let mut total = vec![0.0f32; template.rows.len()];
    for w in &template.words {
        total[w.row] += w.weight;
    }
    let mut got = vec![0.0f32; template.rows.len()];
    let mut code_seen = vec![false; template.rows.len()];
    for (t, l) in tokens.iter().zip(labels) {
        if let Label::Match(j, s) = *l {
            let w = &template.words[j];
            got[w.row] += w.weight * s;
            if w.code.is_some() && t.code == w.code {
                code_seen[w.row] = true;
            }
        }
    }
    (0..template.rows.len())
        .map(|r| code_seen[r] && got[r] >= 0.3 * total[r] || got[r] >= MIN_COVERAGE * total[r])
        .collect()
}

/// Aligns `tokens` against `whole`, then, when some of its rows are found
/// and some are not, again against the rows found. Matches of rows still
/// judged absent are given back as content. Returns the labels and the
/// template they refer to.
pub(super) fn align_present_rows(
    tokens: &[Token],
    whole: Cow<'_, Template>,
) -> (Vec<Label>, Template) {
    let mut aligner = Aligner::new(tokens);
    let mut labels = aligner.align(&whole);
    let mut present = present_rows(&labels, tokens, &whole);
    // Rows the document leaves out may still have drawn a few words (the
    // same "och genomförs." ends several strategies): align again against
    // the rows found, so those words go where they belong.
    let found = (present.iter().any(|p| !p) && present.iter().any(|p| *p))
        .then(|| whole.retain_rows(&present));
    if let Some(found) = &found {
        labels = aligner.align(found);
        present = present_rows(&labels, tokens, found);
    }
    let template = found.unwrap_or_else(|| whole.into_owned());
    // Matches of rows still judged absent were coincidences: give them
    // back, and the garbage that hung on them too.
    for l in labels.iter_mut() {
        if let Label::Match(j, _) = *l {
            if !present[template.words[j].row] {
                *l = Label::Content;
            }
        }
    }
    (labels, template)
}
