//! A code line printed twice in a row: OCR engines sometimes emit a line
//! again right after itself ("Strategi 2:1 Göteborg ska bjuda in till" on
//! two lines). Read twice, the second copy is no template text the aligner
//! can place (the row's template is used up), so it lands in the answer
//! column ahead of the answer word, and the answer is lost into the
//! comment. A line that repeats the line before it word for word, and
//! opens with a programme's code label and a code, is the same printed
//! line: it is read once.
//!
//! Other repeated lines are left alone: a comment may well say the same
//! thing twice.

use crate::catalog::Catalog;

use super::fold::{code_token, is_noise, key, similarity};
use super::lines::SourceLine;

/// Drops every code line that repeats the line right before it; returns
/// the 1-based pages of the lines dropped, in order.
pub(crate) fn drop_repeated_code_lines(
    lines: &mut Vec<SourceLine>,
    catalog: &Catalog,
) -> Vec<usize> {
    let labels: Vec<String> = catalog
        .programs
        .iter()
        .filter(|p| !p.code_label.is_empty())
        .map(|p| key(&p.code_label))
        .collect();
    if labels.is_empty() {
        return Vec::new();
    }
    let mut dropped = Vec::new();
    let mut keep = vec![true; lines.len()];
    for i in 1..lines.len() {
        if same_words(&lines[i - 1], &lines[i]) && opens_with_code(&lines[i], &labels) {
            keep[i] = false;
            dropped.push(lines[i].page);
        }
    }
    if dropped.is_empty() {
        return dropped;
    }
    let mut i = 0;
    lines.retain(|_| {
        let k = keep[i];
        i += 1;
        k
    });
    // A dropped line that opened its page hands that on to the next line
    // of the page.
    for w in 1..lines.len() {
        if lines[w].page != lines[w - 1].page {
            lines[w].page_start = true;
            lines[w].para_start = true;
        }
    }
    dropped
}

/// The two lines hold the same words (their matching keys), at least two.
fn same_words(a: &SourceLine, b: &SourceLine) -> bool {
    a.words.len() >= 2
        && a.words.len() == b.words.len()
        && a.words.iter().zip(&b.words).all(|(x, y)| x.key == y.key)
}

/// The line opens (after specks) with a code label and a code:
/// "Strategi 1:1 …", "insats 4:6.".
fn opens_with_code(line: &SourceLine, labels: &[String]) -> bool {
    let mut words = line.words.iter().filter(|w| !is_noise(&w.text));
    let (Some(label), Some(code)) = (words.next(), words.next()) else {
        return false;
    };
    code_token(&code.text).is_some() && labels.iter().any(|l| similarity(&label.key, l) > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::source_lines;

    fn kept(text: &str) -> (Vec<String>, Vec<usize>) {
        let catalog = Catalog::embedded().unwrap();
        let mut lines = source_lines(&crate::read::text::read_text(text.as_bytes()));
        let dropped = drop_repeated_code_lines(&mut lines, &catalog);
        (
            lines
                .iter()
                .map(super::super::lines::SourceLine::text)
                .collect(),
            dropped,
        )
    }

    #[test]
    fn a_code_line_right_after_itself_is_read_once() {
        let (lines, dropped) = kept(
            "Är ert arbete kunskapsbaserat?\n\nStrategi 1:1 Göteborgs stads\nStrategi 1:1 Göteborgs stads\ntrygghetsskapande\n\nJa\n",
        );
        assert_eq!(
            lines,
            [
                "Är ert arbete kunskapsbaserat?",
                "Strategi 1:1 Göteborgs stads",
                "trygghetsskapande",
                "Ja"
            ]
        );
        assert_eq!(dropped, [1]);
    }

    #[test]
    fn other_repeated_lines_and_different_codes_stay() {
        let text = "Vi har en plan.\nVi har en plan.\nStrategi 1:1 Göteborgs stads\nStrategi 1:2 Göteborgs stads\n";
        let (lines, dropped) = kept(text);
        assert_eq!(lines.len(), 4);
        assert!(dropped.is_empty());
    }
}
