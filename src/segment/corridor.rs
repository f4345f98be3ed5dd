//! Which cells of the aligner's program to compute: a corridor around the
//! path that the document's code words pin down.
//!
//! A document prints its rows in catalogue order, and every row shows its
//! code ("Strategi 3:2", "Genomförs aktiviteter enligt 3:2"). The codes
//! that the document and the template share, taken in the longest order
//! both agree on, are anchors: a path through all of them runs, between
//! two, through the template words between theirs. The corridor holds,
//! for the tokens between two anchors, the whole template rows of both
//! and every row between, widened by [`PAD`] template words: room for the
//! program to show that it would rather pass an anchor by.
//!
//! This module only draws the corridor and names the anchors. Whether the
//! path found inside it can be trusted is the aligner's decision.

use super::lines::Col;
use super::template::Template;
use super::tokens::Token;

/// Template words the corridor adds on each side of the anchors' rows:
/// the room in which a path that wants to leave them shows it.
pub(crate) const PAD: usize = 12;

/// Fewest anchors worth a corridor: with fewer the rectangles are most of
/// the program and the full program costs little more.
const MIN_ANCHORS: usize = 2;

/// For every row of the program (0 to the number of tokens), the columns
/// (template positions 0 to `m`) computed: an inclusive range, both ends
/// non-decreasing from row to row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Corridor {
    /// First column of each row.
    lo: Vec<usize>,
    /// Last column of each row.
    hi: Vec<usize>,
    /// Last template position.
    m: usize,
    /// Whether the rows' ends carry a pad of [`PAD`] words.
    padded: bool,
}

/// A token and a template word with the same code: both sides print the
/// same row here, unless the document mentions the code in passing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Anchor {
    /// The token's index.
    pub token: usize,
    /// The template word's index.
    pub word: usize,
    /// The template words of the word's row: first, and one past the last.
    pub row: (usize, usize),
}

impl Corridor {
    /// Every cell: the full program over `n` tokens and `m` template words.
    pub(crate) fn full(n: usize, m: usize) -> Corridor {
        Corridor {
            lo: vec![0; n + 1],
            hi: vec![m; n + 1],
            m,
            padded: false,
        }
    }

    /// The corridor around the anchors' chain, over `n` tokens and `m`
    /// template words; `None` when the chain is too short to narrow the
    /// program down, or the corridor would cut off a rival pair.
    pub(crate) fn around(anchors: &Anchors, n: usize, m: usize) -> Option<Corridor> {
        let corridor = Corridor::around_chain(&anchors.chain, n, m)?;
        let open = |a: &Anchor| {
            let (lo, hi) = corridor.span(a.token + 1);
            (lo..=hi).contains(&(a.word + 1))
        };
        anchors.rivals.iter().all(open).then_some(corridor)
    }

    /// The corridor around `chain` (increasing in both token and word).
    fn around_chain(chain: &[Anchor], n: usize, m: usize) -> Option<Corridor> {
        if chain.len() < MIN_ANCHORS {
            return None;
        }
        let mut corridor = Corridor {
            lo: vec![usize::MAX; n + 1],
            hi: vec![0; n + 1],
            m,
            padded: true,
        };
        // Row `token + 1` is where the anchor's token has been read. Between
        // two anchors the rectangle spans their rows and the whole of
        // their template rows; before the first it starts at the origin,
        // after the last it ends at the far corner.
        let mut from: (usize, usize) = (0, 0);
        let corners = chain
            .iter()
            .map(|a| (a.token + 1, a.row))
            .chain([(n, (m, m))]);
        for (row, cols) in corners {
            let to = (row, cols.1);
            let lo = from.1.saturating_sub(PAD);
            let hi = (to.1 + PAD).min(m);
            for row in from.0..=to.0 {
                corridor.lo[row] = corridor.lo[row].min(lo);
                corridor.hi[row] = corridor.hi[row].max(hi);
            }
            from = (row, cols.0);
        }
        Some(corridor)
    }

    /// The columns computed in `row`.
    pub(crate) fn span(&self, row: usize) -> (usize, usize) {
        (self.lo[row], self.hi[row])
    }

    /// Whether `col` in `row` lies inside the anchors' rows, off the pad: a
    /// path that never enters the pad had room to leave them and did not.
    pub(crate) fn is_inner(&self, row: usize, col: usize) -> bool {
        if !self.padded {
            return true;
        }
        let (lo, hi) = self.span(row);
        (lo == 0 || col >= lo + PAD) && (hi == self.m || col + PAD <= hi)
    }
}

/// The anchors the corridor is drawn around, and the pairs it must not cut
/// off.
#[derive(Debug, Clone, Default)]
pub(crate) struct Anchors {
    /// The longest chain of code pairs in document and template order.
    pub chain: Vec<Anchor>,
    /// Pairs off the chain that lie on a chain at most [`SLACK`] shorter:
    /// another reading of the document (rows printed out of order, a row
    /// printed twice) that the full program may prefer.
    pub rivals: Vec<Anchor>,
}

/// How much shorter than the anchors' chain a rival chain may be and still
/// be kept open: a row's code read once where another's is read twice
/// does not make the other reading much weaker.
pub(crate) const SLACK: usize = 2;

/// The anchors of `tokens` in `template`: every token that reads as a
/// code, paired with the template words of that code (a code occurs in
/// every programme, and twice in some rows). Right-column tokens are
/// answers and comments, never template.
pub(crate) fn anchors(tokens: &[Token], template: &Template) -> Anchors {
    let mut bounds = vec![(usize::MAX, 0); template.rows.len()];
    for (j, w) in template.words.iter().enumerate() {
        let b = &mut bounds[w.row];
        *b = (b.0.min(j), j + 1);
    }
    let mut pairs = Vec::new();
    for (token, t) in tokens.iter().enumerate() {
        let Some(code) = t.code.filter(|_| t.col != Col::Right) else {
            continue;
        };
        // Words in decreasing order, so that one token cannot chain with
        // itself in the strictly increasing chains below.
        for (word, w) in template.words.iter().enumerate().rev() {
            if w.code == Some(code) {
                pairs.push(Anchor {
                    token,
                    word,
                    row: bounds[w.row],
                });
            }
        }
    }
    let (ending, chain) = chains(pairs.iter().map(|p| p.word as i64));
    let (starting, _) = chains(pairs.iter().rev().map(|p| -(p.word as i64)));
    let longest = chain.len();
    let chain: Vec<Anchor> = chain.into_iter().map(|k| pairs[k]).collect();
    let rivals = pairs
        .iter()
        .zip(&ending)
        .zip(starting.iter().rev())
        .filter(|((p, &e), &s)| e + s > longest.saturating_sub(SLACK) && !chain.contains(p))
        .map(|((p, _), _)| *p)
        .collect();
    Anchors { chain, rivals }
}

/// For every value, the length of the longest strictly increasing
/// subsequence ending with it; and the indices of a longest one (the first
/// found of equal length).
fn chains(values: impl Iterator<Item = i64>) -> (Vec<usize>, Vec<usize>) {
    let values: Vec<i64> = values.collect();
    // tails[l]: index of the value ending the best subsequence of length
    // l + 1 found so far (the one with the smallest value).
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; values.len()];
    let mut ending = vec![0; values.len()];
    for (k, &v) in values.iter().enumerate() {
        let len = tails.partition_point(|&t| values[t] < v);
        before[k] = len.checked_sub(1).map(|l| tails[l]);
        ending[k] = len + 1;
        if len == tails.len() {
            tails.push(k);
        } else {
            tails[len] = k;
        }
    }
    let mut longest = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        longest.push(k);
        at = before[k];
    }
    longest.reverse();
    (ending, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An anchor whose word is alone in its template row.
    fn anchor(token: usize, word: usize) -> Anchor {
        Anchor {
            token,
            word,
            row: (word, word + 1),
        }
    }

    #[test]
    fn the_chain_keeps_order_in_both_sequences() {
        // Token 2 mentions a later code in passing; token 1 offers two
        // words of its code.
        let words = [(0, 5), (1, 30), (1, 20), (2, 90), (3, 40), (4, 60)];
        let (ending, chain) = chains(words.iter().map(|&(_, w)| w));
        assert_eq!(ending, [1, 2, 2, 3, 3, 4]);
        assert_eq!(chain, [0, 2, 4, 5]);
    }

    #[test]
    fn the_corridor_spans_the_anchors_rows_with_a_pad() {
        let chain = [
            Anchor {
                token: 9,
                word: 99,
                row: (90, 120),
            },
            Anchor {
                token: 19,
                word: 199,
                row: (190, 220),
            },
        ];
        let c = Corridor::around_chain(&chain, 30, 300).expect("two anchors make a corridor");
        assert_eq!(c.span(0), (0, 120 + PAD));
        assert_eq!(c.span(10), (0, 220 + PAD));
        assert_eq!(c.span(11), (90 - PAD, 220 + PAD));
        assert_eq!(c.span(20), (90 - PAD, 300));
        assert_eq!(c.span(30), (190 - PAD, 300));
        assert!(c.is_inner(15, 90) && c.is_inner(15, 220));
        assert!(!c.is_inner(15, 89) && !c.is_inner(15, 221));
        assert!(c.is_inner(25, 300) && !c.is_inner(25, 189));
    }

    #[test]
    fn a_rival_outside_the_corridor_forbids_it() {
        let chain = vec![anchor(9, 99), anchor(19, 199)];
        let inside = Anchors {
            chain: chain.clone(),
            rivals: vec![anchor(15, 150)],
        };
        assert!(Corridor::around(&inside, 30, 300).is_some());
        // The row of the first anchor printed again after the second.
        let outside = Anchors {
            chain,
            rivals: vec![anchor(25, 99)],
        };
        assert_eq!(Corridor::around(&outside, 30, 300), None);
    }

    #[test]
    fn one_anchor_is_not_enough() {
        let anchors = Anchors {
            chain: vec![anchor(3, 4)],
            rivals: Vec::new(),
        };
        assert_eq!(Corridor::around(&anchors, 10, 10), None);
    }
}
