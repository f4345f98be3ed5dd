//! Document → a flat list of printed lines, each split into the table's
//! left and right column where positions tell them apart.
//!
//! The right column of the follow-up template starts where the header
//! "Svarsalternativ med kommentar" starts. Text input has no positions, so
//! its lines stay whole and the aligner separates interleaved columns.

use crate::document::{Document, Word};

use super::fold;

/// Which table column a word sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    /// Column unknown (text input, or a page without a table).
    Any,
    /// The question column.
    Left,
    /// The answer and comment column.
    Right,
}

/// One word with its column.
#[derive(Debug, Clone)]
pub(crate) struct LineWord {
    /// The word as extracted.
    pub text: String,
    /// Its matching key ([`fold::key`]), folded once for every stage.
    pub key: String,
    /// Its column.
    pub col: Col,
    /// OCR confidence, where known.
    pub confidence: Option<f32>,
}

/// One printed line.
#[derive(Debug, Clone)]
pub(crate) struct SourceLine {
    /// 1-based page.
    pub page: usize,
    /// Words left to right, left-column words first.
    pub words: Vec<LineWord>,
    /// A blank line (or a page break) comes before it.
    pub para_start: bool,
    /// First line of its page.
    pub page_start: bool,
    /// Baseline from the page top and line height, in points, where known.
    pub y: Option<(f32, f32)>,
}

impl SourceLine {
    /// The whole line's text.
    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&w.text);
        }
        s
    }
}

/// Flattens a document into lines, dropping blank ones (recorded as
/// `para_start` on the next line).
pub(crate) fn source_lines(doc: &Document) -> Vec<SourceLine> {
    let page_headers: Vec<_> = doc.pages.iter().map(header_splits).collect();
    let document_split = column_split(&page_headers);
    let mut out = Vec::new();
    for (page, headers) in doc.pages.iter().zip(&page_headers) {
        // Scanned pages shift and tilt a little: the header of the table a
        // line sits in wins, then the page's first header, then the
        // document's.
        let mut para_start = true;
        let mut page_start = true;
        let mut prev_y: Option<(f32, f32)> = None;
        for line in &page.lines {
            if line.is_blank() {
                para_start = true;
                continue;
            }
            if let (Some((py, ph)), Some(y)) = (prev_y, line.y) {
                if y - py > 1.9 * ph.max(line.height.unwrap_or(ph)) {
                    para_start = true;
                }
            }
            if let Some(y) = line.y {
                prev_y = Some((y, line.height.unwrap_or(10.0)));
            }
            let split = table_split(headers, line.y).or(document_split);
            let mut left = Vec::new();
            let mut right = Vec::new();
            for w in &line.words {
                let col = match (split, w.x) {
                    (Some(s), Some((x0, x1))) => {
                        if (x0 + x1) / 2.0 < s {
                            Col::Left
                        } else {
                            Col::Right
                        }
                    }
                    _ => Col::Any,
                };
                let lw = LineWord {
                    key: fold::key(&w.text),
                    text: w.text.clone(),
                    col,
                    confidence: w.confidence,
                };
                if col == Col::Right {
                    right.push(lw);
                } else {
                    left.push(lw);
                }
            }
            left.extend(right);
            out.push(SourceLine {
                page: page.number,
                words: left,
                para_start,
                page_start,
                y: line.y.map(|y| (y, line.height.unwrap_or(10.0))),
            });
            para_start = false;
            page_start = false;
        }
    }
    out
}

/// How far left of the header word "Svarsalternativ" the right column
/// starts: an answer word in a tilted scan may begin a little left of it.
const SPLIT_MARGIN: f32 = 5.0;

/// The x where the right column starts: the left edge of the header word
/// "Svarsalternativ" (the median one, when pages differ).
fn column_split(page_headers: &[Vec<(Option<f32>, f32)>]) -> Option<f32> {
    let mut xs: Vec<f32> = page_headers
        .iter()
        .flatten()
        .map(|&(_, split)| split)
        .collect();
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f32::total_cmp);
    Some(xs[xs.len() / 2])
}

/// Each table header on a page: its baseline and where its right column
/// starts, top to bottom.
fn header_splits(page: &crate::document::Page) -> Vec<(Option<f32>, f32)> {
    page.lines
        .iter()
        .flat_map(|line| {
            line.words
                .iter()
                .filter(|w| is_right_header_word(w))
                .filter_map(move |w| w.x.map(|(x0, _)| (line.y, x0 - SPLIT_MARGIN)))
        })
        .collect()
}

/// The split of the table a line at `y` sits in: the nearest header above
/// it, else the page's first header.
fn table_split(headers: &[(Option<f32>, f32)], y: Option<f32>) -> Option<f32> {
    let above = y.and_then(|y| {
        headers
            .iter()
            .rev()
            .find(|(hy, _)| hy.is_some_and(|hy| hy <= y))
    });
    above.or(headers.first()).map(|&(_, split)| split)
}

fn is_right_header_word(w: &Word) -> bool {
    // A similarity above 0.75 needs a key of 10 characters or more, and a
    // key has no more characters than its word has bytes.
    w.text.len() >= 10 && fold::similarity(&fold::key(&w.text), "svarsalternativ") > 0.75
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Line, Page, SourceFormat, TextLayer};

    fn positioned(words: &[(&str, f32)], y: f32) -> Line {
        Line {
            words: words
                .iter()
                .map(|(t, x)| Word::at(t, *x, x + 30.0))
                .collect(),
            y: Some(y),
            height: Some(10.0),
        }
    }

    #[test]
    fn words_split_at_the_header_column() {
        let doc = Document {
            format: SourceFormat::Pdf,
            text_layer: Some(TextLayer::Digital),
            pages: vec![Page {
                number: 1,
                width: Some(600.0),
                text_layer: None,
                lines: vec![
                    positioned(
                        &[("Uppföljningsfrågor", 50.0), ("Svarsalternativ", 300.0)],
                        100.0,
                    ),
                    positioned(&[("Har", 50.0), ("ni", 90.0), ("Ja", 300.0)], 112.0),
                ],
            }],
            warnings: Vec::new(),
        };
        let lines = source_lines(&doc);
        assert_eq!(lines.len(), 2);
        let cols: Vec<Col> = lines[1].words.iter().map(|w| w.col).collect();
        assert_eq!(cols, vec![Col::Left, Col::Left, Col::Right]);
    }

    #[test]
    fn each_table_splits_at_its_own_header() {
        // A tilted scan: the second table's header starts 6 pt further left,
        // and its answer word begins left of the first header's split.
        let doc = Document {
            format: SourceFormat::Pdf,
            text_layer: Some(TextLayer::Ocr),
            pages: vec![Page {
                number: 1,
                width: Some(600.0),
                text_layer: None,
                lines: vec![
                    positioned(
                        &[("Uppföljningsfrågor", 50.0), ("Svarsalternativ", 302.0)],
                        100.0,
                    ),
                    positioned(&[("Har", 50.0), ("Ja", 300.0)], 112.0),
                    positioned(
                        &[("Uppföljningsfrågor", 50.0), ("Svarsalternativ", 296.0)],
                        400.0,
                    ),
                    positioned(&[("Har", 50.0), ("Vi", 281.0)], 412.0),
                ],
            }],
            warnings: Vec::new(),
        };
        let lines = source_lines(&doc);
        let cols: Vec<Col> = lines[3].words.iter().map(|w| w.col).collect();
        assert_eq!(cols, vec![Col::Left, Col::Right]);
    }

    #[test]
    fn blank_lines_mark_paragraphs() {
        let doc = crate::read::text::read_text("a\n\nb\nc".as_bytes());
        let lines = source_lines(&doc);
        let starts: Vec<bool> = lines.iter().map(|l| l.para_start).collect();
        assert_eq!(starts, vec![true, true, false]);
    }
}
