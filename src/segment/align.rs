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
//!
//! The program runs over the corridor of cells that the document's codes
//! pin down ([`super::corridor`]), about an eighth of the full program,
//! and over every cell only when the corridor's answer cannot be trusted.
//! Similarities are measured when a cell first needs them.

use rustc_hash::FxHashMap;

use crate::model::Code;

use super::corridor::{self, Anchor, Corridor};
use super::fold::{is_fragment_of, similarity_measured, Measured};
use super::lines::Col;
use super::template::Template;
use super::tokens::Token;

/// What the aligner made of one document word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Label {
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

/// `mv`'s code in `M_MOVES`, `I_MOVES` and `C_MOVES`.
const fn m_code(mv: Move) -> u8 {
    M_CODES[mv as usize]
}
const fn i_code(mv: Move) -> u8 {
    I_CODES[mv as usize]
}
const fn c_code(mv: Move) -> u8 {
    C_CODES[mv as usize]
}

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
    /// The moves by their codes in `M_MOVES`, `I_MOVES` and `C_MOVES`.
    fn from_codes(m: u8, i: u8, c: u8) -> Moves {
        Moves(m << SHIFT[M] | i << SHIFT[I] | (c & MASK[C]) << SHIFT[C])
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

/// Aligns one document's tokens against templates, keeping the
/// similarities measured from one template to the next (the segmenter
/// aligns twice: against the catalogue, then against the rows found).
pub(crate) struct Aligner<'a> {
    tokens: &'a [Token],
    sims: SimTable<'a>,
    /// The last corridor program's forward pass, for the next template.
    kept: Option<Kept<'a>>,
}

/// A corridor program's forward pass, kept for the next template: the
/// segmenter's second template is the first with the absent rows left
/// out, so up to the first of those the two programs compute the same
/// rows, and the second takes them over instead of computing them again.
struct Kept<'a> {
    template: &'a Template,
    corridor: Corridor,
    /// The moves of every row (the program fitted one block).
    back: Vec<Moves>,
    /// Every [`KEEP_EVERY`]-th row's scores over its span: (row, scores).
    snapshots: Vec<Snapshot>,
}

/// A row's scores over its span, and the row: what [`Kept`] keeps of
/// every [`KEEP_EVERY`]-th row.
type Snapshot = (usize, Vec<[f32; 3]>);

/// How often [`Kept`] keeps a row's scores: a program taking rows over
/// computes at most this many rows again.
const KEEP_EVERY: usize = 16;

impl Kept<'_> {
    /// Where a program over `template` in `corridor` may start: the last
    /// kept row up to which both programs compute the same cells from the
    /// same inputs. Row `i` is computed the same when every row up to it
    /// spans the same columns and the template words it reads (its span
    /// and [`AHEAD`] beyond) are the same words, weights and rows.
    fn resume_for(&self, template: &Template, corridor: &Corridor, n: usize) -> Option<Resume<'_>> {
        let same_words = self
            .template
            .words
            .iter()
            .zip(&template.words)
            .take_while(|(a, b)| {
                a.key == b.key
                    && a.code == b.code
                    && a.row == b.row
                    && a.weight.to_bits() == b.weight.to_bits()
            })
            .count();
        if self.corridor.span(0) != corridor.span(0) {
            return None;
        }
        let same_rows = (1..n)
            .take_while(|&i| {
                let span = corridor.span(i);
                self.corridor.span(i) == span && span.1 + AHEAD < same_words
            })
            .last()?;
        let (row, scores) = self.snapshots.iter().rev().find(|(r, _)| *r <= same_rows)?;
        Some(Resume {
            row: *row,
            back: &self.back,
            scores,
            snapshots: &self.snapshots,
        })
    }
}

/// Rows a program takes over from a kept one: rows 1 to `row`, with
/// their moves in `back` and row `row`'s scores over its span.
struct Resume<'k> {
    row: usize,
    back: &'k [Moves],
    scores: &'k [[f32; 3]],
    /// The kept program's snapshots, those up to `row` to be kept again.
    snapshots: &'k [Snapshot],
}

/// A program's forward pass as [`Kept`] stores it.
struct Record {
    back: Vec<Moves>,
    snapshots: Vec<Snapshot>,
}

impl<'a> Aligner<'a> {
    /// An aligner for `tokens`, as built by the segmenter.
    pub(crate) fn new(tokens: &'a [Token]) -> Aligner<'a> {
        Aligner {
            tokens,
            sims: SimTable::new(tokens),
            kept: None,
        }
    }

    /// Labels every token against `template`.
    ///
    /// The program first runs in the corridor that the document's codes
    /// pin down ([`Aligner::align_in_corridor`]); where that cannot be
    /// trusted the full program ([`Aligner::align_full`]) decides.
    pub(crate) fn align(&mut self, template: &'a Template) -> Vec<Label> {
        self.align_in_corridor(template)
            .unwrap_or_else(|| self.align_full(template))
    }

    /// Labels every token by the full program, every token against every
    /// template position: the reference that [`Aligner::align`] must
    /// agree with.
    pub(crate) fn align_full(&mut self, template: &'a Template) -> Vec<Label> {
        let full = Corridor::full(self.tokens.len(), template.words.len());
        self.solve(template, &full, false).labels
    }

    /// Labels every token by the program run in the corridor around the
    /// document's code anchors (see [`corridor`]), or `None` when there is
    /// no corridor (too few anchors, or a rival reading of the codes that
    /// it would cut off) or its path cannot be trusted.
    ///
    /// The corridor holds every path through all the anchors, so when the
    /// full program's best path matches them, the corridor's best path is
    /// that path. The corridor's path is taken when it matches every
    /// anchor and never enters the corridor's pad: the corridor gives the
    /// template rows around each anchor room, so a reading that passes an
    /// anchor by (a code mentioned in a comment) shows up as an unmatched
    /// anchor.
    pub(crate) fn align_in_corridor(&mut self, template: &'a Template) -> Option<Vec<Label>> {
        let anchors = corridor::anchors(self.tokens, template);
        let corridor = Corridor::around(&anchors, self.tokens.len(), template.words.len())?;
        let path = self.solve(template, &corridor, true);
        (path.clear && path.matches(&anchors.chain)).then_some(path.labels)
    }

    /// Runs the program over the cells of `corridor` and traces its best
    /// path back; with `keep`, taking over what it can of the last kept
    /// program and keeping this one in its place.
    fn solve(&mut self, template: &'a Template, corridor: &Corridor, keep: bool) -> Path {
        if self.tokens.is_empty() {
            return Path {
                labels: Vec::new(),
                clear: true,
            };
        }
        self.sims.set_template(template);
        let n = self.tokens.len();
        let resume = if keep {
            self.kept
                .as_ref()
                .and_then(|k| k.resume_for(template, corridor, n))
        } else {
            None
        };
        let (path, record) = solve(
            self.tokens,
            template,
            corridor,
            &mut self.sims,
            resume,
            keep,
        );
        if keep {
            self.kept = record.map(|r| Kept {
                template,
                corridor: corridor.clone(),
                back: r.back,
                snapshots: r.snapshots,
            });
        }
        path
    }
}

/// The best labelling the program found within a corridor.
struct Path {
    labels: Vec<Label>,
    /// The traceback reached the origin without entering the corridor's
    /// pad.
    clear: bool,
}

impl Path {
    /// Whether every anchor's token is matched to the anchor's word.
    fn matches(&self, anchors: &[Anchor]) -> bool {
        anchors
            .iter()
            .all(|a| matches!(self.labels[a.token], Label::Match(j, _) if j == a.word))
    }
}

/// Runs the program over the cells of `corridor` and traces its best path
/// back, taking over the rows `resume` holds; with `record`, also returns
/// the forward pass for [`Kept`] (when the program fits one block).
fn solve(
    tokens: &[Token],
    template: &Template,
    corridor: &Corridor,
    sims: &mut SimTable,
    resume: Option<Resume>,
    record: bool,
) -> (Path, Option<Record>) {
    let n = tokens.len();
    let mut program = Program::new(tokens, template, corridor, sims);
    // Blocks of rows whose moves fit the budget, at least a row each.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        while end < n && program.cells(start + 1..end + 2) <= TRACEBACK_BUDGET {
            end += 1;
        }
        blocks.push((start, end));
        start = end;
    }
    let block_cells = blocks
        .iter()
        .map(|&(start, end)| program.cells(start + 1..end + 1))
        .max()
        .unwrap_or(0);

    // Forward: every row once, keeping where each block starts.
    let one_block = blocks.len() == 1;
    let mut back = vec![Moves::default(); block_cells];
    let mut prev = program.first_row();
    let mut cur = vec![[NEG; 3]; program.width()];
    // Row 0's moves: none, in particular no match.
    let mut above = vec![Moves::default(); program.cells(0..1)];
    // Rows taken over: their moves, and the last one's scores (the cells
    // outside its span are never read).
    let mut first = 1;
    let mut snapshots = (record && one_block).then(Vec::new);
    if let Some(r) = resume.filter(|r| one_block && r.row >= 1 && r.row < n) {
        let done = program.cells(1..r.row + 1);
        back[..done].copy_from_slice(&r.back[..done]);
        let (lo, hi) = corridor.span(r.row);
        prev.fill([NEG; 3]);
        prev[lo..=hi].copy_from_slice(r.scores);
        first = r.row + 1;
        if let Some(kept) = snapshots.as_mut() {
            kept.extend(r.snapshots.iter().filter(|(row, _)| *row <= r.row).cloned());
        }
    }
    let mut checkpoints = Vec::with_capacity(blocks.len());
    for &(start, end) in &blocks {
        checkpoints.push((prev.clone(), above.clone()));
        program.rows(
            start,
            first.max(start + 1)..=end,
            (&mut prev, &mut cur),
            &above,
            &mut back,
            snapshots.as_mut(),
        );
        above.clear();
        above.extend_from_slice(
            &back[program.cells(start + 1..end)..program.cells(start + 1..end + 1)],
        );
    }
    let m = program.width() - 1;
    let end_state = [M, I, C]
        .into_iter()
        .max_by(|&a, &b| prev[m][a].total_cmp(&prev[m][b]))
        .unwrap_or(M);

    // Backward: the last block's moves are at hand; earlier ones are
    // computed again from their checkpoints.
    let mut path = Path {
        labels: vec![Label::Content; n],
        clear: true,
    };
    let mut at = Some((n, m, end_state));
    for (k, (&(start, end), (scores, above))) in blocks.iter().zip(&checkpoints).enumerate().rev() {
        let Some(from) = at else { break };
        if k + 1 < blocks.len() {
            prev.copy_from_slice(scores);
            program.rows(
                start,
                start + 1..=end,
                (&mut prev, &mut cur),
                above,
                &mut back,
                None,
            );
        }
        at = program.traceback(start, from, &back, &mut path);
    }
    let record = snapshots.map(|snapshots| Record { back, snapshots });
    (path, record)
}

/// The aligner's dynamic program: what every row needs, and scratch space
/// for the row being computed.
struct Program<'p, 'a> {
    tokens: &'p [Token],
    corridor: &'p Corridor,
    sims: &'p mut SimTable<'a>,
    same_row_as_prev: Vec<bool>,
    /// The current token's match score against every template word.
    score: Vec<f32>,
    /// The nearest template position at or after `j` that the current
    /// token resembles (`usize::MAX`: none), within the row's reach.
    next_related: Vec<usize>,
    /// Cells of the corridor before each row.
    offsets: Vec<usize>,
}

impl<'p, 'a> Program<'p, 'a> {
    fn new(
        tokens: &'p [Token],
        template: &'p Template,
        corridor: &'p Corridor,
        sims: &'p mut SimTable<'a>,
    ) -> Program<'p, 'a> {
        let m = template.words.len();
        let mut offsets = Vec::with_capacity(tokens.len() + 2);
        offsets.push(0);
        for row in 0..=tokens.len() {
            let (lo, hi) = corridor.span(row);
            offsets.push(offsets[row] + hi - lo + 1);
        }
        Program {
            tokens,
            corridor,
            sims,
            same_row_as_prev: (0..m)
                .map(|j| j > 0 && template.words[j - 1].row == template.words[j].row)
                .collect(),
            score: vec![0.0; m],
            next_related: vec![usize::MAX; m + 1],
            offsets,
        }
    }

    /// Columns of the program: every template position, 0 to `m`.
    fn width(&self) -> usize {
        self.score.len() + 1
    }

    /// Cells of the corridor in `rows`.
    fn cells(&self, rows: std::ops::Range<usize>) -> usize {
        self.offsets[rows.end] - self.offsets[rows.start]
    }

    /// Row 0's scores: template words skipped before the first token.
    fn first_row(&self) -> Vec<[f32; 3]> {
        let mut row = vec![[NEG; 3]; self.width()];
        row[0][M] = 0.0;
        for j in 1..=self.corridor.span(0).1 {
            row[j][M] = row[j - 1][M] - SKIP;
        }
        row
    }

    /// Computes `rows` (1-based token positions) of the block of rows
    /// after `start`, from the scores of the row before them in `prev`,
    /// leaving the last row's scores in `prev` and the rows' moves in
    /// `back` (a cell per block cell), row after row, each over its span of
    /// the corridor. The moves of row `start` are in `above`; those of the
    /// block's rows before `rows` (taken over from a kept program) are in
    /// `back` already.
    ///
    /// `prev` and `cur` hold every column; the cells just outside a row's
    /// span that the next row reads are set unreachable. Every
    /// [`KEEP_EVERY`]-th row's scores go to `snapshots`.
    fn rows(
        &mut self,
        start: usize,
        rows: std::ops::RangeInclusive<usize>,
        (prev, cur): (&mut Vec<[f32; 3]>, &mut Vec<[f32; 3]>),
        above: &[Moves],
        back: &mut [Moves],
        mut snapshots: Option<&mut Vec<Snapshot>>,
    ) {
        for i in rows {
            let at = self.cells(start + 1..i);
            let (done, rest) = back.split_at_mut(at);
            let above = if i == start + 1 {
                above
            } else {
                &done[self.cells(start + 1..i - 1)..]
            };
            let width = self.cells(i..i + 1);
            self.row(i, prev, cur, above, &mut rest[..width]);
            std::mem::swap(prev, cur);
            if let Some(kept) = snapshots.as_deref_mut() {
                if i % KEEP_EVERY == 0 {
                    let (lo, hi) = self.corridor.span(i);
                    kept.push((i, prev[lo..=hi].to_vec()));
                }
            }
        }
    }

    /// Computes row `i` into `cur` and `back`; `above` holds row `i - 1`'s
    /// moves over its span.
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
        let (lo, hi) = self.corridor.span(i);
        let lo_above = self.corridor.span(i - 1).0;
        // This token's match score against the template words of the span,
        // and the nearest template position at or after j that it
        // resembles (a piece of a word about to be matched is cheap
        // garbage), as far around the span as `near` below looks.
        let m = self.score.len();
        let reach = lo.saturating_sub(RECENT)..(hi + AHEAD).min(m);
        self.sims.fill_row(
            i - 1,
            reach.clone(),
            &mut self.score,
            &mut self.next_related,
        );
        let (score, next_related) = (&self.score, &self.next_related);
        // The last template position before j that this token resembles:
        // a piece of a word just matched (an OCR duplicate) is cheap garbage.
        // (Any further back is too far back to count.)
        let mut last_related = (reach.start..lo).rev().find(|&r| next_related[r] == r);
        if lo > 0 {
            cur[lo - 1] = [NEG; 3];
        }
        let line_start = t.line_start;
        for j in lo..=hi {
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
            let here = prev[j];
            // The cells before: diagonally above (a match comes from
            // there) and to the left (a skip); none at column 0.
            let (s, diagonal, left) = if j > 0 {
                (score[j - 1], prev[j - 1], cur[j - 1])
            } else {
                (0.0, [NEG; 3], [NEG; 3])
            };
            // A match only where the token resembles the word. The run
            // bonus goes to a match that directly follows a match of the
            // template word before it, in the state it comes from (a cell
            // outside the row above's span is unreachable: no bonus).
            let matched = |from: usize| {
                let run = self.same_row_as_prev[j - 1]
                    && (j - 1)
                        .checked_sub(lo_above)
                        .and_then(|k| above.get(k))
                        .is_some_and(|mv| mv.is_match(from));
                diagonal[from] + s + if run { CONTINUITY } else { 0.0 }
            };
            // Template states: a match, garbage, or a skipped template word.
            // Within a line, content is never followed by template (the
            // question column is left of the answer column). The codes are
            // tried in a fixed order: the first of equal scores wins. Where
            // the token does not resemble the word there is no match to try
            // (most cells): an unreachable candidate never wins, so leaving
            // it out changes nothing.
            let can_match = s > 0.0;
            let garbage_m = (here[M] - g, m_code(Move::GarbageFromM));
            let skip_m = (left[M] - SKIP, m_code(Move::Skip));
            let none_m = m_code(Move::None);
            let (m, m_move) = match (can_match, line_start) {
                (true, true) => {
                    let garbage_i = (here[I] - g, m_code(Move::GarbageFromI));
                    best(
                        none_m,
                        [
                            (matched(M), m_code(Move::MatchFromM)),
                            garbage_m,
                            (matched(I), m_code(Move::MatchFromI)),
                            garbage_i,
                            skip_m,
                        ],
                    )
                }
                (true, false) => best(
                    none_m,
                    [(matched(M), m_code(Move::MatchFromM)), garbage_m, skip_m],
                ),
                (false, true) => best(
                    none_m,
                    [garbage_m, (here[I] - g, m_code(Move::GarbageFromI)), skip_m],
                ),
                (false, false) => best(none_m, [garbage_m, skip_m]),
            };
            let skip_i = (left[I] - SKIP, i_code(Move::Skip));
            let none_i = i_code(Move::None);
            let (i_score, i_move) = match (can_match, line_start) {
                (true, true) => best(
                    none_i,
                    [
                        (diagonal[C] + s, i_code(Move::MatchFromC)),
                        (here[C] - g, i_code(Move::GarbageFromC)),
                        skip_i,
                    ],
                ),
                (true, false) => best(
                    none_i,
                    [
                        (matched(I), i_code(Move::MatchFromI)),
                        (here[I] - g, i_code(Move::GarbageFromI)),
                        skip_i,
                    ],
                ),
                (false, true) => best(none_i, [(here[C] - g, i_code(Move::GarbageFromC)), skip_i]),
                (false, false) => best(none_i, [(here[I] - g, i_code(Move::GarbageFromI)), skip_i]),
            };
            // Content: opened from a template state, or extended. It is
            // always reachable from row 1 on (by content from `M`, which
            // is); a cell where it is not would pack as a skip.
            let (c, c_move) = best(
                c_code(Move::Skip),
                [
                    (
                        here[M] - open_from[M] - content_cost,
                        c_code(Move::ContentFromM),
                    ),
                    (
                        here[I] - open_from[I] - content_cost,
                        c_code(Move::ContentFromI),
                    ),
                    (here[C] - content_cost, c_code(Move::ContentFromC)),
                    (left[C] - SKIP, c_code(Move::Skip)),
                ],
            );
            cur[j] = [m, i_score, c];
            back[j - lo] = Moves::from_codes(m_move, i_move, c_move);
        }
        // The next row reads this one up to its own span's end.
        if i < self.tokens.len() {
            let next_hi = self.corridor.span(i + 1).1;
            cur[hi + 1..=next_hi].fill([NEG; 3]);
        }
    }

    /// Follows the moves of the block of rows after `start` (held in
    /// `back`) from `(i, j, state)`, labelling tokens in `path`, to where
    /// the path leaves the block: the position to go on from, or `None`
    /// when the path ends here.
    fn traceback(
        &mut self,
        start: usize,
        (mut i, mut j, mut state): (usize, usize, usize),
        back: &[Moves],
        path: &mut Path,
    ) -> Option<(usize, usize, usize)> {
        let first = self.offsets[start + 1];
        // Row 0 holds only skips of template words, which label no token.
        while i > start {
            path.clear &= self.corridor.is_inner(i, j);
            let (lo, hi) = self.corridor.span(i);
            let cell = (lo..=hi)
                .contains(&j)
                .then(|| back.get(self.offsets[i] - first + j - lo))
                .flatten();
            let mv = cell.map_or(Move::None, |moves| moves.get(state));
            match mv {
                Move::MatchFromM | Move::MatchFromI | Move::MatchFromC => {
                    path.labels[i - 1] = Label::Match(j - 1, self.sims.sim(i - 1, j - 1));
                    state = mv as usize - Move::MatchFromM as usize;
                    i -= 1;
                    j -= 1;
                }
                Move::GarbageFromM | Move::GarbageFromI | Move::GarbageFromC => {
                    path.labels[i - 1] = Label::Garbage;
                    state = mv as usize - Move::GarbageFromM as usize;
                    i -= 1;
                }
                Move::ContentFromM | Move::ContentFromI | Move::ContentFromC => {
                    path.labels[i - 1] = Label::Content;
                    state = mv as usize - Move::ContentFromM as usize;
                    i -= 1;
                }
                Move::Skip => j -= 1,
                // Unreachable cells have no move; stop rather than loop.
                Move::None => {
                    path.clear = false;
                    return None;
                }
            }
        }
        path.clear &= self.corridor.is_inner(i, j);
        (i > 0).then_some((i, j, state))
    }
}

/// The first of the highest-scoring `candidates` (score, code), or
/// unreachable with `none` when no score is above unreachable.
#[inline(always)]
fn best<const K: usize>(none: u8, candidates: [(f32, u8); K]) -> (f32, u8) {
    let mut best = (NEG, none);
    for (score, code) in candidates {
        if score > best.0 {
            best = (score, code);
        }
    }
    best
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

/// [`SimTable`]'s codes: a pair not measured yet, a pair neither similar
/// nor related, a token that is a piece of the word (OCR split it), and
/// the first code of a similarity above 0.
const UNMEASURED: u16 = 0;
const UNRELATED: u16 = 1;
const PIECE: u16 = 2;
const FIRST_VALUE: u16 = 3;

/// Similarities between document and template word types, each measured
/// once, when a cell of the program first needs it. Template types are
/// numbered over every template the table has seen, so a second template
/// made of the first one's rows finds its similarities measured.
struct SimTable<'a> {
    doc_type: Vec<u32>,
    /// Each document type's key, measured, and its code.
    doc_keys: Vec<(Measured<'a>, Option<Code>)>,
    /// The template types by key and code.
    tmpl_ids: FxHashMap<(&'a str, Option<Code>), u32>,
    /// Each template type's key, measured, and its code.
    tmpl_keys: Vec<(Measured<'a>, Option<Code>)>,
    /// Template types the table has room for in each document type's row.
    stride: usize,
    /// What was measured, by document type and template type: a code,
    /// see [`SimTable::pair`]. Two bytes a pair, so that the table of a
    /// long document stays in cache.
    table: Vec<u16>,
    /// The similarities above 0 measured so far, each once, by code (so
    /// after a 0 for each code below [`FIRST_VALUE`]).
    values: Vec<f32>,
    /// Their codes by bit pattern.
    codes: FxHashMap<u32, u16>,
    right_col: Vec<bool>,
    /// The current template: each word's type.
    tmpl_type: Vec<u32>,
    /// The current template: each word's weight.
    weight: Vec<f32>,
}

impl<'a> SimTable<'a> {
    fn new(tokens: &'a [Token]) -> SimTable<'a> {
        let mut ids: FxHashMap<(&str, Option<Code>), u32> = FxHashMap::default();
        let mut doc_keys = Vec::new();
        let doc_type = tokens
            .iter()
            .map(|t| {
                *ids.entry((t.key.as_str(), t.code)).or_insert_with(|| {
                    doc_keys.push((Measured::new(&t.key), t.code));
                    doc_keys.len() as u32 - 1
                })
            })
            .collect();
        SimTable {
            doc_type,
            doc_keys,
            tmpl_ids: FxHashMap::default(),
            tmpl_keys: Vec::new(),
            stride: 0,
            table: Vec::new(),
            values: vec![0.0; usize::from(FIRST_VALUE)],
            codes: FxHashMap::default(),
            right_col: tokens.iter().map(|t| t.col == Col::Right).collect(),
            tmpl_type: Vec::new(),
            weight: Vec::new(),
        }
    }

    /// Makes `template` the one the program runs against, numbering its
    /// new word types.
    fn set_template(&mut self, template: &'a Template) {
        let (ids, keys) = (&mut self.tmpl_ids, &mut self.tmpl_keys);
        self.tmpl_type = template
            .words
            .iter()
            .map(|w| {
                *ids.entry((w.key.as_str(), w.code)).or_insert_with(|| {
                    keys.push((Measured::new(&w.key), w.code));
                    keys.len() as u32 - 1
                })
            })
            .collect();
        self.weight = template.words.iter().map(|w| w.weight).collect();
        if self.tmpl_keys.len() > self.stride {
            self.widen(self.tmpl_keys.len());
        }
    }

    /// Makes room for `stride` template types a row, keeping what was
    /// measured.
    fn widen(&mut self, stride: usize) {
        let mut table = vec![UNMEASURED; self.doc_keys.len() * stride];
        if self.stride > 0 {
            for (old, new) in self.table.chunks(self.stride).zip(table.chunks_mut(stride)) {
                new[..old.len()].copy_from_slice(old);
            }
        }
        (self.table, self.stride) = (table, stride);
    }

    /// The similarity of token `i` and template word `j`, and whether the
    /// token is related to the word: similar, or a prefix/suffix piece of
    /// it. Measured on first use and kept as a code: [`UNRELATED`],
    /// [`PIECE`], or the similarity's index in `values`.
    fn pair(&mut self, i: usize, j: usize) -> (f32, bool) {
        let (d, t) = (self.doc_type[i] as usize, self.tmpl_type[j] as usize);
        match self.table[d * self.stride + t] {
            UNMEASURED => self.measure(d, t),
            code => self.decode(code),
        }
    }

    /// What a code of the table says: the similarity, and whether related.
    #[inline(always)]
    fn decode(&self, code: u16) -> (f32, bool) {
        // `values` opens with a 0 for each code below FIRST_VALUE.
        (self.values[usize::from(code)], code != UNRELATED)
    }

    /// Measures document type `d` against template type `t`, keeping the
    /// answer's code in the table.
    #[cold]
    fn measure(&mut self, d: usize, t: usize) -> (f32, bool) {
        let ((dk, dc), (tk, tc)) = (self.doc_keys[d], self.tmpl_keys[t]);
        // `similarity` does its own cheap rejections first.
        let s = match (dc, tc) {
            (Some(a), Some(b)) => f32::from(u8::from(a == b)),
            (None, Some(_)) | (Some(_), None) => 0.0,
            (None, None) => similarity_measured(dk, tk),
        };
        let code = if s > 0.0 {
            let next = self.values.len();
            let Ok(code) = u16::try_from(next) else {
                // Out of codes (never seen): answer without keeping.
                return (s, true);
            };
            let code = *self.codes.entry(s.to_bits()).or_insert(code);
            if usize::from(code) == next {
                self.values.push(s);
            }
            code
        } else if dc.is_none() && is_fragment_of(dk.key, tk.key) {
            PIECE
        } else {
            UNRELATED
        };
        self.table[d * self.stride + t] = code;
        self.decode(code)
    }

    /// Token `i`'s match score against the template words `reach` (its
    /// weight times how much better than even the similarity is, or 0),
    /// and for every `j` in `reach` the nearest template position at or
    /// after it, before `reach.end`, that the token is related to
    /// (`usize::MAX`: none); `next_related[reach.end]` is set to none.
    fn fill_row(
        &mut self,
        i: usize,
        reach: std::ops::Range<usize>,
        score: &mut [f32],
        next_related: &mut [usize],
    ) {
        next_related[reach.end] = usize::MAX;
        let right_col = self.right_col[i];
        let d = self.doc_type[i] as usize;
        let row = d * self.stride;
        for j in reach.rev() {
            let t = self.tmpl_type[j] as usize;
            let (s, related) = match self.table[row + t] {
                UNMEASURED => self.measure(d, t),
                code => self.decode(code),
            };
            score[j] = if right_col || s <= 0.0 {
                0.0
            } else {
                self.weight[j] * (2.0 * s - 1.0)
            };
            next_related[j] = if related { j } else { next_related[j + 1] };
        }
    }

    fn sim(&mut self, i: usize, j: usize) -> f32 {
        if self.right_col[i] {
            return 0.0;
        }
        self.pair(i, j).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_moves_give_back_every_move_each_state_can_take() {
        let skips = [m_code(Move::Skip), i_code(Move::Skip), c_code(Move::Skip)];
        for (state, table) in [(M, &M_MOVES[..]), (I, &I_MOVES[..]), (C, &C_MOVES[..])] {
            for (code, &mv) in table.iter().enumerate() {
                let mut codes = skips;
                codes[state] = code as u8;
                let packed = Moves::from_codes(codes[M], codes[I], codes[C]);
                for other in [M, I, C] {
                    let want = if other == state { mv } else { Move::Skip };
                    assert_eq!(packed.get(other), want, "state {other} after {mv:?}");
                }
            }
        }
    }

    #[test]
    fn only_match_moves_count_as_matches() {
        for (state, table) in [(M, &M_MOVES[..]), (I, &I_MOVES[..])] {
            for (code, &mv) in table.iter().enumerate() {
                let mut codes = [0, 0, c_code(Move::ContentFromC)];
                codes[state] = code as u8;
                let packed = Moves::from_codes(codes[M], codes[I], codes[C]);
                let want = matches!(mv, Move::MatchFromM | Move::MatchFromI | Move::MatchFromC);
                assert_eq!(packed.is_match(state), want, "{mv:?}");
            }
        }
    }

    #[test]
    fn every_move_has_a_code_in_the_states_it_enters() {
        for mv in M_MOVES {
            assert_ne!(m_code(mv), NO_CODE, "{mv:?}");
        }
        for mv in I_MOVES {
            assert_ne!(i_code(mv), NO_CODE, "{mv:?}");
        }
        for mv in C_MOVES {
            assert_ne!(c_code(mv), NO_CODE, "{mv:?}");
        }
    }
}
