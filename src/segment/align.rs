//! Aligns a document's body words against the template sequence.
//!
//! The document is the template's words (questions, strategies, …) with
//! the administration's answers and comments mixed in, sometimes
//! line-interleaved with them. A dynamic program labels every document word
//! as a template match, template-side garbage (OCR specks, a duplicated
//! fragment), or content, and finds the labelling with the best score:
//! matches earn their weight times similarity, entering content costs a
//! fixed price (so comments come out as contiguous runs, not with every
//! "och" pulled into the template), and skipping template words costs a
//! little (rows left out are skipped whole).
//!
//! Within one printed line the left column comes first, so content may be
//! followed by template words only on a new line.

use std::collections::HashMap;

use crate::model::Code;

use super::fold::{is_fragment_of, letter_mask, similarity};
use super::lines::Col;
use super::template::Template;
use super::tokens::Token;

/// What the aligner made of one document word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Label {
    /// Matched to template word `j` with this similarity.
    Match(usize, f32),
    /// Template-side OCR garbage: dropped.
    Garbage,
    /// The administration's text: answer or comment.
    Content,
}

const OPEN_CONTENT: f32 = 0.9;
const CONTINUITY: f32 = 0.05;
const SKIP: f32 = 0.1;
const NEG: f32 = f32::NEG_INFINITY;

/// Labels every token; `tokens` and `template` as built by the segmenter.
pub fn align(tokens: &[Token], template: &Template) -> Vec<Label> {
    let n = tokens.len();
    let m = template.words.len();
    if n == 0 {
        return Vec::new();
    }
    let sims = SimTable::new(tokens, template);
    let same_row_as_prev: Vec<bool> = (0..m)
        .map(|j| j > 0 && template.words[j - 1].row == template.words[j].row)
        .collect();

    let width = m + 1;
    // Back-pointers: for state M and C of every cell, the move that won.
    let mut back_m = vec![0u8; (n + 1) * width];
    let mut back_c = vec![0u8; (n + 1) * width];
    let mut prev_m = vec![NEG; width];
    let mut prev_c = vec![NEG; width];
    let mut cur_m = vec![NEG; width];
    let mut cur_c = vec![NEG; width];
    prev_m[0] = 0.0;
    for j in 1..width {
        prev_m[j] = prev_m[j - 1] - SKIP;
        back_m[j] = MOVE_SKIP;
    }
    for i in 1..=n {
        let t = &tokens[i - 1];
        let may_leave_content = t.line_start;
        let content_cost = if t.noise { 0.3 } else { 0.0 };
        // Content opening mid-line is the interleaved layout's right
        // column; a little dearer, so that of two equal alignments the one
        // that keeps lines whole wins.
        let open_cost = OPEN_CONTENT + if t.line_start { 0.0 } else { 0.1 };
        let base_garbage = garbage_base(t);
        // The last template position before j that this token resembles:
        // a piece of a word just matched (an OCR duplicate) is cheap garbage.
        let mut last_related: Option<usize> = None;
        for j in 0..width {
            if j > 0 && sims.related(i - 1, j - 1) {
                last_related = Some(j - 1);
            }
            let g = match base_garbage {
                Some(g) => g,
                None if last_related.is_some_and(|r| j - r <= RECENT) => 0.1,
                None if t.key.bytes().all(|c| c.is_ascii_digit()) => 0.3,
                None => 0.6,
            };
            // State M: the token is a match or garbage, or a template word is skipped.
            let mut best = NEG;
            let mut mv = 0u8;
            if j > 0 {
                let s = sims.score(i - 1, j - 1, template);
                if s > 0.0 {
                    // Runs of matches are favoured a little, so that of two
                    // equal alignments the one keeping a cell whole wins.
                    let run = if same_row_as_prev[j - 1] {
                        CONTINUITY
                    } else {
                        0.0
                    };
                    consider(&mut best, &mut mv, prev_m[j - 1] + s + run, MOVE_MATCH_M);
                    if may_leave_content {
                        consider(&mut best, &mut mv, prev_c[j - 1] + s, MOVE_MATCH_C);
                    }
                }
                consider(&mut best, &mut mv, cur_m[j - 1] - SKIP, MOVE_SKIP);
            }
            consider(&mut best, &mut mv, prev_m[j] - g, MOVE_GARBAGE_M);
            if may_leave_content {
                consider(&mut best, &mut mv, prev_c[j] - g, MOVE_GARBAGE_C);
            }
            cur_m[j] = best;
            back_m[i * width + j] = mv;
            // State C: the token is content, or a template word is skipped.
            let mut best = NEG;
            let mut mv = 0u8;
            consider(
                &mut best,
                &mut mv,
                prev_m[j] - open_cost - content_cost,
                MOVE_OPEN,
            );
            consider(&mut best, &mut mv, prev_c[j] - content_cost, MOVE_EXTEND);
            if j > 0 {
                consider(&mut best, &mut mv, cur_c[j - 1] - SKIP, MOVE_SKIP);
            }
            cur_c[j] = best;
            back_c[i * width + j] = mv;
        }
        std::mem::swap(&mut prev_m, &mut cur_m);
        std::mem::swap(&mut prev_c, &mut cur_c);
    }
    traceback(
        n,
        m,
        prev_m[m] >= prev_c[m],
        &back_m,
        &back_c,
        &sims,
        template,
    )
}

const MOVE_MATCH_M: u8 = 1;
const MOVE_MATCH_C: u8 = 2;
const MOVE_GARBAGE_M: u8 = 3;
const MOVE_GARBAGE_C: u8 = 4;
const MOVE_SKIP: u8 = 5;
const MOVE_OPEN: u8 = 6;
const MOVE_EXTEND: u8 = 7;

fn consider(best: &mut f32, mv: &mut u8, score: f32, candidate: u8) {
    if score > *best {
        *best = score;
        *mv = candidate;
    }
}

fn traceback(
    n: usize,
    m: usize,
    end_in_m: bool,
    back_m: &[u8],
    back_c: &[u8],
    sims: &SimTable,
    template: &Template,
) -> Vec<Label> {
    let width = m + 1;
    let mut labels = vec![Label::Content; n];
    let (mut i, mut j, mut in_m) = (n, m, end_in_m);
    while i > 0 || j > 0 {
        let mv = if in_m {
            back_m[i * width + j]
        } else {
            back_c[i * width + j]
        };
        match mv {
            MOVE_MATCH_M | MOVE_MATCH_C => {
                labels[i - 1] = Label::Match(j - 1, sims.sim(i - 1, j - 1, template));
                in_m = mv == MOVE_MATCH_M;
                i -= 1;
                j -= 1;
            }
            MOVE_GARBAGE_M | MOVE_GARBAGE_C => {
                labels[i - 1] = Label::Garbage;
                in_m = mv == MOVE_GARBAGE_M;
                i -= 1;
            }
            MOVE_SKIP => j -= 1,
            MOVE_OPEN | MOVE_EXTEND => {
                labels[i - 1] = Label::Content;
                in_m = mv == MOVE_OPEN;
                i -= 1;
            }
            // Unreachable cells have no move; stop rather than loop.
            _ => break,
        }
    }
    labels
}

/// How far back (in template words) a resembling word counts as recent.
const RECENT: usize = 6;

/// Cost of calling a token garbage, where it does not depend on the
/// template position: dear for answer words, which must never vanish, and
/// for unexpected codes, which start rows of their own; cheap for specks.
/// `None` means: it depends on what was matched just before.
fn garbage_base(t: &Token) -> Option<f32> {
    if t.col == Col::Right {
        Some(3.0)
    } else if t.answerish {
        Some(2.5)
    } else if t.noise {
        Some(0.05)
    } else if t.code.is_some() {
        Some(1.5)
    } else {
        None
    }
}

/// Similarities between document and template word types, computed once
/// per distinct pair.
struct SimTable {
    doc_type: Vec<u32>,
    tmpl_type: Vec<u32>,
    n_tmpl_types: usize,
    table: Vec<f32>,
    /// Similar, or a prefix/suffix piece of the template word.
    related: Vec<bool>,
    right_col: Vec<bool>,
}

impl SimTable {
    fn new(tokens: &[Token], template: &Template) -> SimTable {
        let mut doc_ids: HashMap<(&str, Option<Code>), u32> = HashMap::new();
        let doc_type: Vec<u32> = tokens
            .iter()
            .map(|t| {
                let next = doc_ids.len() as u32;
                *doc_ids.entry((t.key.as_str(), t.code)).or_insert(next)
            })
            .collect();
        let mut tmpl_ids: HashMap<(&str, Option<Code>), u32> = HashMap::new();
        let tmpl_type: Vec<u32> = template
            .words
            .iter()
            .map(|w| {
                let next = tmpl_ids.len() as u32;
                *tmpl_ids.entry((w.key.as_str(), w.code)).or_insert(next)
            })
            .collect();
        let n_tmpl_types = tmpl_ids.len();
        let mut table = vec![0.0f32; doc_ids.len() * n_tmpl_types];
        let mut related = vec![false; doc_ids.len() * n_tmpl_types];
        let tmpl: Vec<(&str, Option<Code>, u32, u64, usize)> = tmpl_ids
            .iter()
            .map(|(&(k, c), &i)| (k, c, i, letter_mask(k), k.chars().count()))
            .collect();
        for (&(dk, dc), &di) in &doc_ids {
            let (dmask, dlen) = (letter_mask(dk), dk.chars().count());
            for &(tk, tc, ti, tmask, tlen) in &tmpl {
                let s = match (dc, tc) {
                    (Some(a), Some(b)) => f32::from(u8::from(a == b)),
                    (None, Some(_)) | (Some(_), None) => 0.0,
                    // Within 30 % edits, few letters can differ.
                    (None, None)
                        if (dmask ^ tmask).count_ones() as usize > 2 + dlen.max(tlen) / 2 =>
                    {
                        0.0
                    }
                    (None, None) => similarity(dk, tk),
                };
                let cell = di as usize * n_tmpl_types + ti as usize;
                table[cell] = s;
                related[cell] = s > 0.0 || (dc.is_none() && is_fragment_of(dk, tk));
            }
        }
        let right_col = tokens.iter().map(|t| t.col == Col::Right).collect();
        SimTable {
            doc_type,
            tmpl_type,
            n_tmpl_types,
            table,
            related,
            right_col,
        }
    }

    fn related(&self, i: usize, j: usize) -> bool {
        self.related[self.doc_type[i] as usize * self.n_tmpl_types + self.tmpl_type[j] as usize]
    }

    fn sim(&self, i: usize, j: usize, _template: &Template) -> f32 {
        if self.right_col[i] {
            return 0.0;
        }
        self.table[self.doc_type[i] as usize * self.n_tmpl_types + self.tmpl_type[j] as usize]
    }

    fn score(&self, i: usize, j: usize, template: &Template) -> f32 {
        let s = self.sim(i, j, template);
        if s <= 0.0 {
            return 0.0;
        }
        template.words[j].weight * (2.0 * s - 1.0)
    }
}
