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

use super::fold::{is_fragment_of, similarity_measured, Measured};
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

/// Opening content at the start of a line: a comment paragraph.
const OPEN_CONTENT: f32 = 0.9;
/// Opening content in the middle of a line: the line-interleaved layout,
/// where every line is "question words, answer words".
const OPEN_INTERLEAVED: f32 = 0.7;
const CONTINUITY: f32 = 0.05;
const LEFT_AS_CONTENT: f32 = 1.0;
const SKIP: f32 = 0.1;
const NEG: f32 = f32::NEG_INFINITY;

/// The aligner's states. `M`: in template text. `I`: in template text on a
/// line that began after content (interleaved columns); it lasts to the
/// end of the line. `C`: in content.
const M: usize = 0;
const I: usize = 1;
const C: usize = 2;

/// A move into a cell: what the token (or template word) became, and the
/// state it came from. One byte, since there is one per cell and state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Move {
    None,
    MatchFromM,
    MatchFromI,
    MatchFromC,
    GarbageFromM,
    GarbageFromI,
    GarbageFromC,
    ContentFromM,
    ContentFromI,
    ContentFromC,
    Skip,
}

impl Move {
    fn matched(from: usize) -> Move {
        [Move::MatchFromM, Move::MatchFromI, Move::MatchFromC][from]
    }

    fn garbage(from: usize) -> Move {
        [Move::GarbageFromM, Move::GarbageFromI, Move::GarbageFromC][from]
    }

    fn content(from: usize) -> Move {
        [Move::ContentFromM, Move::ContentFromI, Move::ContentFromC][from]
    }
}

/// The moves into one cell of the program, one per state, in one byte:
/// the traceback holds a cell per token and template word, so for a long
/// document it is most of the aligner's memory.
///
/// Each state is entered in few ways: `M` by a match or garbage from `M`
/// or `I`, or a skip (3 bits, with "unreachable"); `I` the same from `I`
/// or `C` (3 bits); `C` by content from any state or a skip (2 bits: from
/// row 1 on, `C` is always reachable by content from `M`, which is).
#[derive(Debug, Clone, Copy, Default)]
struct Moves(u8);

/// The moves into `M`, `I` and `C`, by code.
const M_MOVES: [Move; 6] = [
    Move::None,
    Move::MatchFromM,
    Move::MatchFromI,
    Move::GarbageFromM,
    Move::GarbageFromI,
    Move::Skip,
];
const I_MOVES: [Move; 6] = [
    Move::None,
    Move::MatchFromI,
    Move::MatchFromC,
    Move::GarbageFromI,
    Move::GarbageFromC,
    Move::Skip,
];
const C_MOVES: [Move; 4] = [
    Move::ContentFromM,
    Move::ContentFromI,
    Move::ContentFromC,
    Move::Skip,
];
/// Bit offset and mask of each state's code.
const SHIFT: [u32; 3] = [0, 3, 6];
const MASK: [u8; 3] = [0b111, 0b111, 0b11];

/// The inverse tables: each state's code by `Move`, `NO_CODE` for a move
/// that cannot enter that state.
const M_CODES: [u8; MOVE_COUNT] = codes(&M_MOVES);
const I_CODES: [u8; MOVE_COUNT] = codes(&I_MOVES);
const C_CODES: [u8; MOVE_COUNT] = codes(&C_MOVES);
const MOVE_COUNT: usize = Move::Skip as usize + 1;
const NO_CODE: u8 = u8::MAX;

const fn codes(moves: &[Move]) -> [u8; MOVE_COUNT] {
    let mut codes = [NO_CODE; MOVE_COUNT];
    let mut k = 0;
    while k < moves.len() {
        codes[moves[k] as usize] = k as u8;
        k += 1;
    }
    codes
}

impl Moves {
    fn pack(moves: [Move; 3]) -> Moves {
        let codes = [
            M_CODES[moves[M] as usize],
            I_CODES[moves[I] as usize],
            C_CODES[moves[C] as usize],
        ];
        debug_assert!(!codes.contains(&NO_CODE), "{moves:?} cannot be packed");
        Moves(codes[M] << SHIFT[M] | codes[I] << SHIFT[I] | (codes[C] & MASK[C]) << SHIFT[C])
    }

    fn code(self, state: usize) -> usize {
        usize::from(self.0 >> SHIFT[state] & MASK[state])
    }

    fn get(self, state: usize) -> Move {
        match state {
            M => M_MOVES[self.code(M)],
            I => I_MOVES[self.code(I)],
            _ => C_MOVES[self.code(C)],
        }
    }

    /// Whether the template state `state` (`M` or `I`) was entered by a
    /// match: codes 1 and 2 in both tables.
    fn is_match(self, state: usize) -> bool {
        matches!(self.code(state), 1 | 2)
    }
}

/// Most bytes of traceback the aligner holds at once. A longer program (a
/// document of hundreds of pages) is traced back block by block: the
/// forward pass keeps the scores at the start of every block, and a block's
/// moves are computed again when the traceback reaches it. A report of
/// usual length fits in one block and is computed once.
const TRACEBACK_BUDGET: usize = 8 << 20;

/// Labels every token; `tokens` and `template` as built by the segmenter.
pub fn align(tokens: &[Token], template: &Template) -> Vec<Label> {
    let n = tokens.len();
    if n == 0 {
        return Vec::new();
    }
    let mut program = Program::new(tokens, template);
    let width = program.width();
    let block_rows = (TRACEBACK_BUDGET / width).clamp(1, n);
    let blocks: Vec<(usize, usize)> = (0..n)
        .step_by(block_rows)
        .map(|start| (start, (start + block_rows).min(n)))
        .collect();

    // Forward: every row once, keeping where each block starts.
    let mut back = vec![Moves::default(); block_rows * width];
    let mut prev = program.first_row();
    let mut cur = vec![[NEG; 3]; width];
    // Row 0's moves: none, in particular no match.
    let mut above = vec![Moves::default(); width];
    let mut checkpoints = Vec::with_capacity(blocks.len());
    for &(start, end) in &blocks {
        checkpoints.push((prev.clone(), above.clone()));
        program.rows(start + 1..=end, &mut prev, &mut cur, &above, &mut back);
        above.copy_from_slice(&back[(end - start - 1) * width..(end - start) * width]);
    }
    let m = width - 1;
    let end_state = [M, I, C]
        .into_iter()
        .max_by(|&a, &b| prev[m][a].total_cmp(&prev[m][b]))
        .unwrap_or(M);

    // Backward: the last block's moves are at hand; earlier ones are
    // computed again from their checkpoints.
    let mut labels = vec![Label::Content; n];
    let mut at = (n, m, end_state);
    for (k, (&(start, end), (scores, above))) in blocks.iter().zip(&checkpoints).enumerate().rev() {
        if k + 1 < blocks.len() {
            prev.copy_from_slice(scores);
            program.rows(start + 1..=end, &mut prev, &mut cur, above, &mut back);
        }
        match traceback(start, at, &back, width, &program.sims, &mut labels) {
            Some(next) => at = next,
            None => break,
        }
    }
    labels
}

/// The aligner's dynamic program: what every row needs, and scratch space
/// for the row being computed.
struct Program<'a> {
    tokens: &'a [Token],
    sims: SimTable,
    same_row_as_prev: Vec<bool>,
    /// The current token's match score against every template word.
    score: Vec<f32>,
    /// The nearest template position at or after `j` that the current
    /// token resembles (`usize::MAX`: none).
    next_related: Vec<usize>,
}

impl<'a> Program<'a> {
    fn new(tokens: &'a [Token], template: &'a Template) -> Program<'a> {
        let m = template.words.len();
        Program {
            tokens,
            sims: SimTable::new(tokens, template),
            same_row_as_prev: (0..m)
                .map(|j| j > 0 && template.words[j - 1].row == template.words[j].row)
                .collect(),
            score: vec![0.0; m],
            next_related: vec![usize::MAX; m + 1],
        }
    }

    /// Cells per row: every template position, 0 to `m`.
    fn width(&self) -> usize {
        self.score.len() + 1
    }

    /// Row 0's scores: template words skipped before the first token.
    fn first_row(&self) -> Vec<[f32; 3]> {
        let mut row = vec![[NEG; 3]; self.width()];
        row[0][M] = 0.0;
        for j in 1..row.len() {
            row[j][M] = row[j - 1][M] - SKIP;
        }
        row
    }

    /// Computes `rows` (1-based token positions) from the scores of the row
    /// before them in `prev` and its moves in `above`, leaving the last
    /// row's scores in `prev` and the rows' moves in `back`, row after row.
    fn rows(
        &mut self,
        rows: std::ops::RangeInclusive<usize>,
        prev: &mut Vec<[f32; 3]>,
        cur: &mut Vec<[f32; 3]>,
        above: &[Moves],
        back: &mut [Moves],
    ) {
        let width = self.width();
        let first = *rows.start();
        for i in rows {
            let (done, rest) = back.split_at_mut((i - first) * width);
            let above = if i == first {
                above
            } else {
                &done[(i - first - 1) * width..]
            };
            self.row(i, prev, cur, above, &mut rest[..width]);
            std::mem::swap(prev, cur);
        }
    }

    /// Computes row `i` into `cur` and `back`.
    fn row(
        &mut self,
        i: usize,
        prev: &[[f32; 3]],
        cur: &mut [[f32; 3]],
        above: &[Moves],
        back: &mut [Moves],
    ) {
        let t = &self.tokens[i - 1];
        // Positions tell the columns apart: question-column words are
        // template (or garbage), except where a cell's text bleeds over.
        let content_cost = if t.noise { 0.3 } else { 0.0 }
            + if t.col == Col::Left {
                LEFT_AS_CONTENT
            } else {
                0.0
            };
        // Leaving template for content, by the state left: cheap only on a
        // line that began after content, i.e. in the interleaved layout.
        let open_from = [
            OPEN_CONTENT,
            if t.line_start {
                OPEN_CONTENT
            } else {
                OPEN_INTERLEAVED
            },
        ];
        let base_garbage = garbage_base(t);
        let digits = t.key.bytes().all(|c| c.is_ascii_digit());
        // This token's match score against every template word, and the
        // nearest template position at or after j that it resembles (a
        // piece of a word about to be matched is cheap garbage).
        self.sims
            .fill_row(i - 1, &mut self.score, &mut self.next_related);
        let (score, next_related) = (&self.score, &self.next_related);
        // The last template position before j that this token resembles:
        // a piece of a word just matched (an OCR duplicate) is cheap garbage.
        let mut last_related: Option<usize> = None;
        for j in 0..cur.len() {
            if j > 0 && next_related[j - 1] == j - 1 {
                last_related = Some(j - 1);
            }
            let near = last_related.is_some_and(|r| j - r <= RECENT)
                || next_related[j].saturating_sub(j) < AHEAD;
            let g = match base_garbage {
                Some(g) => g,
                None if near => 0.1,
                None if digits => 0.3,
                None => 1.1,
            };
            let s = if j > 0 { score[j - 1] } else { 0.0 };
            let run = if j > 0 && self.same_row_as_prev[j - 1] {
                CONTINUITY
            } else {
                0.0
            };
            let mut cell = [NEG; 3];
            let mut moves = [Move::None; 3];
            // Template states: a match, garbage, or a skipped template word.
            // Within a line, content is never followed by template (the
            // question column is left of the answer column).
            for to in [M, I] {
                for &from in template_sources(to, t.line_start) {
                    if s > 0.0 {
                        // The run bonus goes to a match that directly
                        // follows a match of the template word before it.
                        let diagonal = from != C && above[j - 1].is_match(from);
                        let bonus = if diagonal { run } else { 0.0 };
                        consider(
                            &mut cell[to],
                            &mut moves[to],
                            prev[j - 1][from] + s + bonus,
                            Move::matched(from),
                        );
                    }
                    consider(
                        &mut cell[to],
                        &mut moves[to],
                        prev[j][from] - g,
                        Move::garbage(from),
                    );
                }

                if j > 0 {
                    consider(
                        &mut cell[to],
                        &mut moves[to],
                        cur[j - 1][to] - SKIP,
                        Move::Skip,
                    );
                }
            }
            // Content: opened from a template state, or extended.
            for from in [M, I] {
                consider(
                    &mut cell[C],
                    &mut moves[C],
                    prev[j][from] - open_from[from] - content_cost,
                    Move::content(from),
                );
            }
            consider(
                &mut cell[C],
                &mut moves[C],
                prev[j][C] - content_cost,
                Move::content(C),
            );
            if j > 0 {
                consider(
                    &mut cell[C],
                    &mut moves[C],
                    cur[j - 1][C] - SKIP,
                    Move::Skip,
                );
            }
            cur[j] = cell;
            back[j] = Moves::pack(moves);
        }
    }
}

/// The states a template state may be entered from: at a line start, M
/// from template and I from content; within a line, each continues itself.
fn template_sources(to: usize, line_start: bool) -> &'static [usize] {
    match (to, line_start) {
        (M, true) => &[M, I],
        (M, false) => &[M],
        (_, true) => &[C],
        (_, false) => &[I],
    }
}

fn consider(best: &mut f32, mv: &mut Move, score: f32, candidate: Move) {
    if score > *best {
        *best = score;
        *mv = candidate;
    }
}

/// Follows the moves of the block of rows after `start` (held in `back`)
/// from `(i, j, state)`, labelling tokens, to where the path leaves the
/// block (`back` has `width` cells a row): the position to go on from, or `None` when the path ends here.
fn traceback(
    start: usize,
    (mut i, mut j, mut state): (usize, usize, usize),
    back: &[Moves],
    width: usize,
    sims: &SimTable,
    labels: &mut [Label],
) -> Option<(usize, usize, usize)> {
    // Row 0 holds only skips of template words, which label no token.
    while i > start {
        let mv = back[(i - start - 1) * width + j].get(state);
        match mv {
            Move::MatchFromM | Move::MatchFromI | Move::MatchFromC => {
                labels[i - 1] = Label::Match(j - 1, sims.sim(i - 1, j - 1));
                state = mv as usize - Move::MatchFromM as usize;
                i -= 1;
                j -= 1;
            }
            Move::GarbageFromM | Move::GarbageFromI | Move::GarbageFromC => {
                labels[i - 1] = Label::Garbage;
                state = mv as usize - Move::GarbageFromM as usize;
                i -= 1;
            }
            Move::ContentFromM | Move::ContentFromI | Move::ContentFromC => {
                labels[i - 1] = Label::Content;
                state = mv as usize - Move::ContentFromM as usize;
                i -= 1;
            }
            Move::Skip => j -= 1,
            // Unreachable cells have no move; stop rather than loop.
            Move::None => return None,
        }
    }
    (i > 0).then_some((i, j, state))
}

/// How far back (in template words) a resembling word counts as recent.
const RECENT: usize = 6;

/// How far ahead a resembling word counts as about to be matched.
const AHEAD: usize = 3;

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
    } else if t.col == Col::Left {
        // Question-column words that match nothing are OCR garble of the
        // template (or a row the catalogue lacks), not comment text.
        Some(0.4)
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
    /// Each template word's weight, in template order.
    weight: Vec<f32>,
}

impl SimTable {
    fn new<'a>(tokens: &'a [Token], template: &'a Template) -> SimTable {
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
        // Every key meets every other: measure each once.
        let measured = |ids: HashMap<(&'a str, Option<Code>), u32>| {
            ids.into_iter()
                .map(|((k, c), i)| (Measured::new(k), c, i))
                .collect::<Vec<_>>()
        };
        let (doc_ids, tmpl_ids) = (measured(doc_ids), measured(tmpl_ids));
        for &(dk, dc, di) in &doc_ids {
            for &(tk, tc, ti) in &tmpl_ids {
                // `similarity` does its own cheap rejections first.
                let s = match (dc, tc) {
                    (Some(a), Some(b)) => f32::from(u8::from(a == b)),
                    (None, Some(_)) | (Some(_), None) => 0.0,
                    (None, None) => similarity_measured(dk, tk),
                };
                let cell = di as usize * n_tmpl_types + ti as usize;
                table[cell] = s;
                related[cell] = s > 0.0 || (dc.is_none() && is_fragment_of(dk.key, tk.key));
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
            weight: template.words.iter().map(|w| w.weight).collect(),
        }
    }

    /// Token `i`'s match score against every template word `j` (its
    /// weight times how much better than even the similarity is, or 0),
    /// and for every `j` the nearest template position at or after it that
    /// the token is related to; `next_related[m]` stays as it is.
    fn fill_row(&self, i: usize, score: &mut [f32], next_related: &mut [usize]) {
        let row = self.doc_type[i] as usize * self.n_tmpl_types;
        let (table, related) = (
            &self.table[row..row + self.n_tmpl_types],
            &self.related[row..row + self.n_tmpl_types],
        );
        let right_col = self.right_col[i];
        for j in (0..score.len()).rev() {
            let ty = self.tmpl_type[j] as usize;
            let s = if right_col { 0.0 } else { table[ty] };
            score[j] = if s <= 0.0 {
                0.0
            } else {
                self.weight[j] * (2.0 * s - 1.0)
            };
            next_related[j] = if related[ty] { j } else { next_related[j + 1] };
        }
    }

    fn sim(&self, i: usize, j: usize) -> f32 {
        if self.right_col[i] {
            return 0.0;
        }
        self.table[self.doc_type[i] as usize * self.n_tmpl_types + self.tmpl_type[j] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_moves_give_back_every_move_each_state_can_take() {
        for (state, table) in [(M, &M_MOVES[..]), (I, &I_MOVES[..]), (C, &C_MOVES[..])] {
            for &mv in table {
                let mut moves = [Move::Skip; 3];
                moves[state] = mv;
                let packed = Moves::pack(moves);
                for other in [M, I, C] {
                    let want = if other == state { mv } else { Move::Skip };
                    assert_eq!(
                        packed.get(other),
                        want,
                        "state {other} after packing {mv:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_match_moves_count_as_matches() {
        for from in [M, I] {
            let mut moves = [Move::Skip, Move::Skip, Move::ContentFromC];
            moves[from] = Move::matched(if from == M { I } else { C });
            assert!(Moves::pack(moves).is_match(from));
            moves[from] = Move::garbage(from);
            assert!(!Moves::pack(moves).is_match(from));
            moves[from] = Move::None;
            assert!(!Moves::pack(moves).is_match(from));
        }
    }
}
