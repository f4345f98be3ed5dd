//! Tesseract's TSV output → one [`Page`] of positioned words and lines.
//!
//! Owns the TSV format (columns `level page_num block_num par_num line_num
//! word_num left top width height conf text`, level 5 being a word) and the
//! conversion from image pixels to PDF points. It does not run tesseract.
//!
//! Words are grouped into tesseract's own lines (block, paragraph, line),
//! then lines of different blocks that share a baseline are joined, the way
//! the PDF reader joins glyphs: tesseract puts the two cells of a table row
//! in separate blocks, and the segmenter expects one `Line` per printed
//! baseline, with the columns told apart by x.

use unicode_normalization::UnicodeNormalization;

use crate::document::{Line, Page, Word};

/// Lines whose boxes overlap vertically by more than this fraction of the
/// lower box's height are one printed line. Boxes, not baselines: TSV has no
/// baseline, and a one-word line with a descender ("Uppföljningsfrågor")
/// looks lower than it is.
const MIN_OVERLAP: f32 = 0.5;

/// One of tesseract's lines, in pixels.
struct TessLine {
    key: (u32, u32, u32),
    words: Vec<PixelWord>,
}

/// One word as tesseract reported it, in pixels.
struct PixelWord {
    text: String,
    left: f32,
    top: f32,
    width: f32,
    height: f32,
    /// 0..100, or negative when tesseract gave none.
    conf: f32,
}

/// A line in points, before lines sharing a baseline are joined.
struct PlacedLine {
    baseline: f32,
    top: f32,
    bottom: f32,
    words: Vec<Word>,
}

/// A row of tesseract's TSV output that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line} of tesseract's TSV output is malformed: {row:?}")]
pub struct TsvError {
    /// The row's line number in the TSV, from 1.
    pub line: usize,
    /// The row as tesseract wrote it.
    pub row: String,
}

/// Parses tesseract's TSV output for one image rendered at `dpi` into page
/// `number`. Positions are converted to PDF points (72 per inch) from the
/// top-left corner; a word's confidence is tesseract's `conf` / 100. Lines
/// come top to bottom, words left to right, text NFC-normalised.
///
/// # Errors
///
/// [`TsvError`], naming the TSV line, when a row has too few columns or a
/// number column that does not parse.
pub fn parse_tsv(tsv: &str, number: usize, dpi: u32) -> Result<Page, TsvError> {
    let scale = 72.0 / dpi.max(1) as f32;
    let mut width_px: Option<f32> = None;
    let mut lines: Vec<TessLine> = Vec::new();
    for (i, row) in tsv.lines().enumerate() {
        if row.trim().is_empty() || row.starts_with("level\t") {
            continue;
        }
        let fields: Vec<&str> = row.split('\t').collect();
        let bad = || TsvError {
            line: i + 1,
            row: row.to_string(),
        };
        if fields.len() < 11 {
            return Err(bad());
        }
        let int = |k: usize| fields[k].trim().parse::<u32>().map_err(|_| bad());
        match int(0)? {
            1 => width_px = Some(int(8)? as f32),
            5 => {
                let text = fields.get(11..).map(|t| t.join(" ")).unwrap_or_default();
                let text = normalise(&text);
                if text.is_empty() {
                    continue;
                }
                let key = (int(2)?, int(3)?, int(4)?);
                let word = PixelWord {
                    text,
                    left: int(6)? as f32,
                    top: int(7)? as f32,
                    width: int(8)? as f32,
                    height: int(9)? as f32,
                    conf: fields[10].trim().parse::<f32>().map_err(|_| bad())?,
                };
                match lines.last_mut() {
                    Some(line) if line.key == key => line.words.push(word),
                    _ => lines.push(TessLine {
                        key,
                        words: vec![word],
                    }),
                }
            }
            _ => {}
        }
    }
    let placed: Vec<PlacedLine> = lines.into_iter().map(|l| place(l, scale)).collect();
    Ok(Page {
        number,
        width: width_px.map(|w| w * scale),
        lines: join_baselines(placed),
        text_layer: Some(crate::document::TextLayer::Ocr),
    })
}

/// NFC, without whitespace, hyphens made ASCII as the PDF reader does.
fn normalise(text: &str) -> String {
    text.nfc()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| match c {
            '\u{2010}' | '\u{2011}' | '\u{00AD}' => '-',
            c => c,
        })
        .collect()
}

/// Converts one tesseract line to points. The baseline is the median of the
/// words' bottom edges (TSV has no baseline; descenders are the minority),
/// the height that of the line's box.
fn place(line: TessLine, scale: f32) -> PlacedLine {
    let mut bottoms: Vec<f32> = line.words.iter().map(|w| w.top + w.height).collect();
    bottoms.sort_by(f32::total_cmp);
    let baseline = bottoms[bottoms.len() / 2];
    let top = line
        .words
        .iter()
        .map(|w| w.top)
        .fold(f32::INFINITY, f32::min);
    let bottom = bottoms.last().copied().unwrap_or(baseline);
    let words = line
        .words
        .into_iter()
        .map(|w| Word {
            x: Some((w.left * scale, (w.left + w.width) * scale)),
            confidence: (w.conf >= 0.0).then(|| (w.conf / 100.0).clamp(0.0, 1.0)),
            text: w.text,
        })
        .collect();
    PlacedLine {
        baseline: baseline * scale,
        top: top * scale,
        bottom: bottom.max(top + 1.0) * scale,
        words,
    }
}

/// Sorts lines top to bottom and joins those on one printed line: a line
/// joins the current one while its box overlaps the current line's mean box
/// by [`MIN_OVERLAP`]. Words are then ordered left to right; the joined
/// line's baseline is the mean of its parts', its height the mean box's.
fn join_baselines(mut placed: Vec<PlacedLine>) -> Vec<Line> {
    placed.sort_by(|a, b| (a.top + a.bottom).total_cmp(&(b.top + b.bottom)));
    let mut groups: Vec<Group> = Vec::new();
    for l in placed {
        match groups.last_mut() {
            Some(g) if g.joins(&l) => g.add(l),
            _ => groups.push(Group::new(l)),
        }
    }
    groups.into_iter().map(Group::into_line).collect()
}

/// Tesseract lines being joined into one printed line.
struct Group {
    n: f32,
    baseline: f32,
    top: f32,
    bottom: f32,
    words: Vec<Word>,
}

impl Group {
    fn new(l: PlacedLine) -> Group {
        Group {
            n: 1.0,
            baseline: l.baseline,
            top: l.top,
            bottom: l.bottom,
            words: l.words,
        }
    }

    /// The mean box of the lines joined so far.
    fn mean_box(&self) -> (f32, f32) {
        (self.top / self.n, self.bottom / self.n)
    }

    fn joins(&self, l: &PlacedLine) -> bool {
        let (top, bottom) = self.mean_box();
        let overlap = bottom.min(l.bottom) - top.max(l.top);
        overlap >= MIN_OVERLAP * (bottom - top).min(l.bottom - l.top)
    }

    fn add(&mut self, l: PlacedLine) {
        self.n += 1.0;
        self.baseline += l.baseline;
        self.top += l.top;
        self.bottom += l.bottom;
        self.words.extend(l.words);
    }

    fn into_line(mut self) -> Line {
        let (top, bottom) = self.mean_box();
        self.words.sort_by(|a, b| {
            let x = |w: &Word| w.x.map_or(0.0, |(x0, _)| x0);
            x(a).total_cmp(&x(b))
        });
        Line {
            words: self.words,
            y: Some(self.baseline / self.n),
            height: Some(bottom - top),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_2: &str = include_str!("../../../fixtures/ocr/mf-2024-p2.tsv");

    fn page() -> Page {
        parse_tsv(PAGE_2, 2, 300).unwrap()
    }

    fn find<'a>(page: &'a Page, text: &str) -> (&'a Line, &'a Word) {
        page.lines
            .iter()
            .find_map(|l| l.words.iter().find(|w| w.text == text).map(|w| (l, w)))
            .unwrap_or_else(|| panic!("{text:?} not on the page"))
    }

    #[test]
    fn pixels_become_points_at_the_given_dpi() {
        let page = page();
        assert_eq!(page.number, 2);
        // 2481 px at 300 dpi: an A4 page, 595.44 pt wide.
        assert!((page.width.unwrap() - 595.44).abs() < 0.01);
        // "Svarsalternativ": left 1238, width 327 px.
        let (_, w) = find(&page, "Svarsalternativ");
        let (x0, x1) = w.x.unwrap();
        assert!(
            (x0 - 297.12).abs() < 0.01 && (x1 - 375.6).abs() < 0.01,
            "{x0} {x1}"
        );
    }

    #[test]
    fn table_cells_on_one_baseline_share_a_line() {
        let page = page();
        let (header, _) = find(&page, "Svarsalternativ");
        assert_eq!(
            header.text(),
            "Uppföljningsfrågor Svarsalternativ med kommentar"
        );
        let (row, _) = find(&page, "Skatteverket");
        assert_eq!(
            row.text(),
            "brottsförebyggande åtgärder samt Skatteverket och Räddningstjänsten"
        );
        // Words stay in their tesseract line: the next question line is
        // its own line, with the comment's next line.
        let (next, _) = find(&page, "kontinuerligt");
        assert!(next.text().ends_with("Storgöteborg."), "{}", next.text());
    }

    #[test]
    fn lines_run_top_to_bottom_with_baseline_and_height() {
        let page = page();
        let ys: Vec<f32> = page.lines.iter().map(|l| l.y.unwrap()).collect();
        assert!(ys.windows(2).all(|p| p[0] < p[1]), "{ys:?}");
        let (line, _) = find(&page, "Skatteverket");
        let (y, h) = (line.y.unwrap(), line.height.unwrap());
        // Text of about 11 pt, its baseline some 83 pt from the top.
        assert!((75.0..90.0).contains(&y), "{y}");
        assert!((8.0..16.0).contains(&h), "{h}");
        for l in &page.lines {
            assert!(!l.words.is_empty());
            let xs: Vec<f32> = l.words.iter().map(|w| w.x.unwrap().0).collect();
            assert!(xs.windows(2).all(|p| p[0] <= p[1]), "{}", l.text());
        }
    }

    #[test]
    fn confidence_is_a_fraction_and_table_rules_are_not_words() {
        let page = page();
        let (_, w) = find(&page, "Skatteverket");
        assert!((w.confidence.unwrap() - 0.965_274).abs() < 1e-4);
        let words = page.lines.iter().flat_map(|l| &l.words);
        assert!(words
            .clone()
            .all(|w| !w.text.trim().is_empty() && w.text == w.text.trim()));
        assert!(words
            .clone()
            .all(|w| w.confidence.is_some_and(|c| (0.0..=1.0).contains(&c))));
        assert!(words.count() > 100);
    }

    #[test]
    fn text_is_nfc_and_missing_confidence_is_none() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t600\t800\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t100\t100\t50\t20\t-1\tbeho\u{308}ver\n";
        let page = parse_tsv(tsv, 1, 72).unwrap();
        let w = &page.lines[0].words[0];
        assert_eq!(w.text, "behöver");
        assert_eq!(w.confidence, None);
        assert_eq!(w.x, Some((100.0, 150.0)));
        assert_eq!(page.lines[0].y, Some(120.0));
    }

    #[test]
    fn a_malformed_row_names_its_line() {
        let err = parse_tsv("5\t1\t1\t1\t1\t1\tx\t100\t50\t20\t90\tord\n", 1, 300).unwrap_err();
        assert_eq!(err.line, 1);
        assert_eq!(
            err.to_string(),
            "line 1 of tesseract's TSV output is malformed: \"5\\t1\\t1\\t1\\t1\\t1\\tx\\t100\\t50\\t20\\t90\\tord\""
        );
        assert!(parse_tsv("5\t1\t1\n", 1, 300).is_err());
    }
}
