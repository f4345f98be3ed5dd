//! Question text the OCR garbled, left in a comment.
//!
//! In text with the columns interleaved line by line, every line of a row
//! reads "question words, comment words". Where the OCR garbled a line of
//! the question ("och tale klat Fale mn att motverka" for "och utvecklat
//! arbetet för att motverka"), the aligner cannot match it to the template
//! and it opens the comment's line. What gives it away: the row's template
//! text goes on below that line (the left column is still running), and
//! the words opening the line are the row's unmatched template words
//! garbled, short pieces, or no common word (a rare word the garble
//! happens to spell); with some of the unmatched template words clearly
//! among them. On the comment's first line the comment proper then opens
//! with a capital; on a later line it simply goes on.

use crate::repair::Repairer;
use crate::segment::fold::{is_fragment_of, similarity};
use crate::segment::{RowSegment, Segmentation};

/// How similar a word must be to an unmatched template word to count as
/// that word garbled.
const GARBLED_SIMILARITY: f32 = 0.5;

/// Words this short carry no evidence either way ("mn", "ae", "i", "2").
const PIECE: usize = 3;

/// A word opening with this many letters of an unmatched template word
/// is that word garbled ("samti" for "samtliga").
const SHARED_PREFIX: usize = 4;

/// At most this many words of one line are taken for garbled question text.
const MAX_GARBLE: usize = 10;

/// What one word opening a comment line may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An unmatched template word of the row, garbled; `long`: longer than
    /// a piece; `closes`: ends the question ("nyrekrytering?",
    /// "styrelser)").
    Garbled { long: bool, closes: bool },
    /// Too short to tell; `known`: a common word ("i", "och").
    Piece { known: bool },
    /// No common word.
    Junk,
    /// A common word that is not the row's: comment text.
    Word,
}

/// The positions in `comment` of the row's question text garbled by the
/// OCR, in order; empty when every word is the comment's.
pub(super) fn question_garble(
    seg: &Segmentation,
    row: &RowSegment,
    comment: &[usize],
    repairer: &Repairer,
) -> Vec<usize> {
    let Some(template_row) = row.matched.first().map(|m| seg.template.words[m.word].row) else {
        return Vec::new();
    };
    if row.item.is_none() || comment.is_empty() {
        return Vec::new();
    }
    let unmatched: Vec<&str> = seg
        .template
        .words
        .iter()
        .enumerate()
        .filter(|&(j, w)| w.row == template_row && !row.matched.iter().any(|m| m.word == j))
        .map(|(_, w)| w.key.as_str())
        .collect();
    if unmatched.is_empty() {
        return Vec::new();
    }
    // The left column runs down to the row's last template line.
    let last_template_line = row
        .matched
        .iter()
        .map(|m| seg.tokens[m.token].line)
        .max()
        .unwrap_or(0);
    let kind = |t: usize| {
        let token = &seg.tokens[t];
        let key = token.key.as_str();
        if unmatched.iter().any(|w| {
            similarity(key, w) >= GARBLED_SIMILARITY
                || is_fragment_of(key, w)
                || shared_prefix(key, w) >= SHARED_PREFIX
        }) {
            Kind::Garbled {
                long: token.text.chars().count() > PIECE,
                closes: token.text.ends_with(['?', ')']),
            }
        } else if token.text.chars().count() <= PIECE {
            Kind::Piece {
                known: repairer.is_common_word(&token.text),
            }
        } else if !repairer.is_common_word(&token.text) {
            Kind::Junk
        } else {
            Kind::Word
        }
    };

    // The comment's lines: (start, end) positions in `comment`.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    for (k, &t) in comment.iter().enumerate() {
        match lines.last_mut() {
            Some((_, end)) if seg.tokens[comment[*end - 1]].line == seg.tokens[t].line => {
                *end = k + 1;
            }
            _ => lines.push((k, k + 1)),
        }
    }

    let mut drop = Vec::new();
    // A first line of pieces alone ("i i i 2"), dropped only if garble
    // follows it.
    let mut pieces: Option<(usize, usize)> = None;
    for (n, &(start, end)) in lines.iter().enumerate() {
        let first = &seg.tokens[comment[start]];
        if first.line >= last_template_line || !first.line_start {
            break;
        }
        let kinds: Vec<Kind> = comment[start..end].iter().map(|&t| kind(t)).collect();
        let opening = n == 0 || pieces.is_some() && n == 1;
        if n == 0 && kinds.iter().all(|k| matches!(k, Kind::Piece { .. })) {
            pieces = Some((start, end));
            continue;
        }
        let taken = if opening {
            opening_garble(&kinds, |k| {
                seg.tokens[comment[start + k]]
                    .text
                    .starts_with(char::is_uppercase)
            })
        } else {
            running_garble(&kinds)
        };
        if taken == 0 {
            pieces = None;
            continue;
        }
        if let Some((s, e)) = pieces.take() {
            drop.extend(s..e);
        }
        drop.extend(start..start + taken);
    }
    drop
}

/// On the comment's first line: how many opening words are garble, before
/// the word at which the comment proper opens (`opens(k)`: word `k` starts
/// with a capital); the last such opening that leaves only garble before it.
fn opening_garble(kinds: &[Kind], opens: impl Fn(usize) -> bool) -> usize {
    (1..kinds.len().min(MAX_GARBLE + 1))
        .rev()
        .find(|&start| opens(start) && evidence(&kinds[..start]) >= EVIDENCE)
        .unwrap_or(0)
}

/// On a later line, where the comment goes on in lower case: how many
/// opening words are garble, ending with a garbled template word, with a
/// garbled template word longer than a piece and a non-word (or a piece
/// that is no word) among them. Without one, template words there may be
/// the comment's own: "samverkansforum. Frågor som …".
fn running_garble(kinds: &[Kind]) -> usize {
    (1..kinds.len().min(MAX_GARBLE + 1))
        .rev()
        .find(|&end| {
            let prefix = &kinds[..end];
            // It ends with a garbled template word, or with a speck right
            // after the question's last word ("nyrekrytering? 9").
            let ends = matches!(
                prefix,
                [.., Kind::Garbled { .. }]
                    | [
                        ..,
                        Kind::Garbled { closes: true, .. },
                        Kind::Piece { known: false }
                    ]
            );
            ends && prefix
                .iter()
                .any(|k| matches!(k, Kind::Garbled { long: true, .. }))
                && prefix
                    .iter()
                    .any(|k| matches!(k, Kind::Junk | Kind::Piece { known: false }))
                && evidence(prefix) >= EVIDENCE
        })
        .unwrap_or(0)
}

/// How much evidence the words give that they are the row's garbled
/// template text: none if a comment word is among them; otherwise 2 for
/// each garbled template word longer than a piece, 1 for a short one and
/// 1 for each non-word (comment text is mostly common words).
fn evidence(kinds: &[Kind]) -> usize {
    if kinds.contains(&Kind::Word) {
        return 0;
    }
    kinds
        .iter()
        .map(|k| match k {
            Kind::Garbled { long: true, .. } => 2,
            Kind::Garbled { long: false, .. } | Kind::Junk | Kind::Piece { known: false } => 1,
            Kind::Piece { known: true } | Kind::Word => 0,
        })
        .sum()
}

/// Evidence needed to take words for garble.
const EVIDENCE: usize = 3;

/// How many leading characters two words share.
fn shared_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::repair::Repairer;

    /// The comment of insats 4:6 in plain text with the columns
    /// interleaved, its question's second line printed as `second`.
    fn comment_of(second: &str) -> String {
        let text = format!(
            "Uppföljningsfrågor Svarsalternativ med kommentar\n\n\
             Har ni implementerat Brås metodstöd Delvis\n\
             {second} har använts som\n\
             parallella samhällsstrukturer? underlag vid granskningen.\n\
             Genomförs aktiviteter i enlighet med Arbetet fortsätter.\n\
             utdelat ansvar för att uppfylla målet med\n\
             insats 4:6.\n\n\
             Förväntat resultat: Genom att stadens\n\
             medarbetare får en högre kompetens om\n\
             parallella samhällsstrukturer ökar\n\
             möjligheten för att sätta in rätt åtgärder för\n\
             att minska förekomst av parallella\n\
             samhällen.\n"
        );
        let catalog = Catalog::embedded().unwrap();
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let out = super::super::extract(
            &seg,
            &catalog,
            &Repairer::default(),
            super::super::Options {
                origin: crate::repair::Origin::Ocr,
                explain: false,
            },
        );
        let item = out
            .items
            .iter()
            .find(|i| i.code.to_string() == "4:6")
            .expect("insats 4:6");
        item.comment.clone()
    }

    #[test]
    fn a_garbled_question_line_opening_the_comment_is_left_out() {
        assert_eq!(
            comment_of("och tale klat Fale mn att motverka Metodstödet"),
            "Metodstödet har använts som underlag vid granskningen. Arbetet fortsätter."
        );
    }

    #[test]
    fn a_comment_opening_with_the_questions_words_keeps_them() {
        // The question's second line lost; common words before the capital
        // are the comment's own text, although "med" is a template word.
        assert_eq!(
            comment_of("vi samverkar med Polisen, och metodstödet"),
            "vi samverkar med Polisen, och metodstödet har använts som underlag vid granskningen. Arbetet fortsätter."
        );
    }
}
