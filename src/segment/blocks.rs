//! Column blocks in plain OCR text: tesseract often reads a two-column
//! table as blocks, the left cells of several rows (questions, strategy
//! texts) and then the right cells of the same rows (answers, comments),
//! instead of row by row. Aligned as it stands, every answer and comment
//! of the block lands in the block's last row.
//!
//! A block shows as a run of rows whose answer column is empty, ending in
//! a row whose answer column holds several answer slots (an answer word
//! standing alone on its line). The slots and the comments after them are
//! handed back to the rows in order: a monotone assignment, where a row may
//! have been left blank, scored by how much of each comment echoes each
//! row's own words.

use rustc_hash::FxHashSet;

use super::template::Template;
use super::tokens::Token;
use super::RowSegment;

/// How a row's answer column was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnFit {
    /// Beside or under its own template text, as printed.
    #[default]
    InPlace,
    /// Handed back from a column block, one answer part a row.
    Block,
    /// Handed back from a column block with fewer answer parts than rows:
    /// which rows were left blank is a guess from the words.
    BlockGuessed,
}

/// Redistributes the answer parts of column blocks among `rows` (in
/// document order).
pub fn split_blocks(rows: &mut [RowSegment], tokens: &[Token], template: &Template) {
    let mut end = 0;
    while end < rows.len() {
        let mut start = end;
        while start > 0
            && same_block(&rows[start - 1], &rows[end])
            && is_empty(&rows[start - 1], tokens)
        {
            start -= 1;
        }
        if end > start {
            redistribute(&mut rows[start..=end], tokens, template);
        }
        end += 1;
    }
}

/// Rows of one programme can share a block.
fn same_block(a: &RowSegment, b: &RowSegment) -> bool {
    a.program == b.program
}

/// A row with nothing in its answer column but specks.
fn is_empty(row: &RowSegment, tokens: &[Token]) -> bool {
    row.content.iter().all(|&t| tokens[t].noise)
}

/// An answer word alone on its line: the start of a right cell.
fn is_slot(tokens: &[Token], t: usize) -> bool {
    let tok = &tokens[t];
    let alone = tokens.get(t + 1).is_none_or(|n| n.line != tok.line);
    tok.answerish && tok.line_start && alone
}

/// Hands the block's last row's answer parts to the block's rows.
fn redistribute(block: &mut [RowSegment], tokens: &[Token], template: &Template) {
    let k = block.len();
    let Some(last) = block.last() else { return };
    let content = last.content.clone();
    // Parts: each starts at an answer slot; words before the first slot
    // belong to the first part (a comment written without an answer).
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for &t in &content {
        if is_slot(tokens, t) || parts.is_empty() {
            parts.push(Vec::new());
        }
        if let Some(p) = parts.last_mut() {
            p.push(t);
        }
    }
    let m = parts.len();
    if m < 2 || m > k {
        return;
    }
    let echo: Vec<Vec<f32>> = parts
        .iter()
        .map(|p| block.iter().map(|r| echo(p, r, tokens, template)).collect())
        .collect();
    let rows_of = assign(&echo, k);
    let fit = if m == k {
        ColumnFit::Block
    } else {
        ColumnFit::BlockGuessed
    };
    for r in block.iter_mut() {
        r.content.clear();
        r.column_fit = fit;
    }
    for (part, row) in parts.into_iter().zip(rows_of) {
        block[row].content = part;
    }
}

/// The monotone assignment of parts to rows (part i to row `out[i]`,
/// strictly increasing) with the most echo; ties go to the earliest rows.
fn assign(echo: &[Vec<f32>], k: usize) -> Vec<usize> {
    let m = echo.len();
    // best[i][j]: best score placing parts i.. in rows j..
    let mut best = vec![vec![f32::NEG_INFINITY; k + 1]; m + 1];
    for row in best[m].iter_mut() {
        *row = 0.0;
    }
    for i in (0..m).rev() {
        for j in (0..k).rev() {
            let skip = best[i][j + 1];
            let take = echo[i][j] + best[i + 1][j + 1];
            best[i][j] = if take >= skip { take } else { skip };
        }
    }
    let mut out = Vec::with_capacity(m);
    let (mut i, mut j) = (0, 0);
    while i < m && j < k {
        let take = echo[i][j] + best[i + 1][j + 1];
        if take >= best[i][j + 1] {
            out.push(j);
            i += 1;
        }
        j += 1;
    }
    out
}

/// How much of a part's words echo a row's template words (0..1).
fn echo(part: &[usize], row: &RowSegment, tokens: &[Token], template: &Template) -> f32 {
    let row_words: FxHashSet<&str> = row
        .matched
        .iter()
        .map(|&(_, j)| template.words[j].key.as_str())
        .filter(|k| k.len() >= 5)
        .collect();
    let words: Vec<&str> = part
        .iter()
        .map(|&t| tokens[t].key.as_str())
        .filter(|k| k.len() >= 5)
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    words.iter().filter(|w| row_words.contains(*w)).count() as f32 / words.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assignment_is_monotone_and_follows_the_echo() {
        // Two parts, three rows: the second part echoes the third row.
        let echo = vec![vec![0.0, 0.0, 0.0], vec![0.0, 0.1, 0.5]];
        assert_eq!(assign(&echo, 3), [0, 2]);
        // No echo at all: the earliest rows.
        let echo = vec![vec![0.0; 3], vec![0.0; 3]];
        assert_eq!(assign(&echo, 3), [0, 1]);
        // As many parts as rows: one each.
        let echo = vec![vec![0.0, 0.9], vec![0.9, 0.0]];
        assert_eq!(assign(&echo, 2), [0, 1]);
    }

    #[test]
    fn answers_read_as_a_block_go_back_to_their_rows() {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let text = "Uppföljningsfrågor Svarsalternativ med kommentar\n\n\
            Är ert arbete kunskapsbaserat?\n\n\
            Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
            brottsförebyggande arbete ska vara kunskapsbaserat och\n\
            utgå från målgruppsanalyser, likvärdiga lokala och\n\
            centrala lägesbilder och aktuell forskning\n\n\
            Har ni säkrat er kompetens?\n\n\
            Strategi 1:2 Göteborg Stad ska säkra kompetens hos\n\
            ansvariga och utförare i det trygghetsskapande och\n\
            brottsförebyggande arbetet\n\n\
            Delvis\n\nVi följer lägesbilderna.\n\nJa\n\nVi har utbildat 85 medarbetare.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        let contents: Vec<String> = seg
            .rows
            .iter()
            .map(|r| {
                r.content
                    .iter()
                    .map(|&t| seg.tokens[t].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            contents,
            [
                "Delvis Vi följer lägesbilderna.",
                "Ja Vi har utbildat 85 medarbetare."
            ]
        );
        assert!(seg.rows.iter().all(|r| r.column_fit == ColumnFit::Block));
    }

    #[test]
    fn rows_printed_row_by_row_are_left_alone() {
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let text = "Är ert arbete kunskapsbaserat?\n\n\
            Strategi 1:1 Göteborgs stads trygghetsskapande och\n\
            brottsförebyggande arbete ska vara kunskapsbaserat och\n\
            utgå från målgruppsanalyser, likvärdiga lokala och\n\
            centrala lägesbilder och aktuell forskning\n\n\
            Delvis\n\nVi följer lägesbilderna.\n\nJa\n\nsäger de flesta.\n\n\
            Har ni säkrat er kompetens?\n\n\
            Strategi 1:2 Göteborg Stad ska säkra kompetens hos\n\
            ansvariga och utförare i det trygghetsskapande och\n\
            brottsförebyggande arbetet\n\nJa\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = crate::segment::segment(&doc, &catalog);
        assert!(seg.rows.iter().all(|r| r.column_fit == ColumnFit::InPlace));
        assert_eq!(seg.rows[0].content.len(), 8);
    }
}
