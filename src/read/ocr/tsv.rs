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

/// Lines whose baselines are closer than this fraction of the taller line's
/// height are one printed line (the PDF reader's `LINE_GAP`).
const LINE_GAP: f32 = 0.4;

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
    height: f32,
    words: Vec<Word>,
}

/// Parses tesseract's TSV output for one image rendered at `dpi` into page
/// `number`. Positions are converted to PDF points (72 per inch) from the
/// top-left corner; a word's confidence is tesseract's `conf` / 100. Lines
/// come top to bottom, words left to right, text NFC-normalised.
///
/// # Errors
///
/// A message naming the TSV line when a word row cannot be parsed.
pub fn parse_tsv(tsv: &str, number: usize, dpi: u32) -> Result<Page, String> {
    let scale = 72.0 / dpi.max(1) as f32;
    let mut width_px: Option<f32> = None;
    let mut lines: Vec<TessLine> = Vec::new();
    for (i, row) in tsv.lines().enumerate() {
        if row.trim().is_empty() || row.starts_with("level\t") {
            continue;
        }
        let fields: Vec<&str> = row.split('\t').collect();
        let bad = || {
            format!(
                "line {} of tesseract's TSV output is malformed: {row:?}",
                i + 1
            )
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
        height: (bottom - top).max(1.0) * scale,
        words,
    }
}

/// Sorts lines top to bottom and joins those on one baseline: a line joins
/// the current one while its baseline is within [`LINE_GAP`] heights of the
/// current line's mean baseline. Words are then ordered left to right.
fn join_baselines(mut placed: Vec<PlacedLine>) -> Vec<Line> {
    placed.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut out: Vec<(Vec<f32>, f32, Vec<Word>)> = Vec::new();
    for l in placed {
        let joins = out.last().is_some_and(|(baselines, height, _)| {
            let mean = baselines.iter().sum::<f32>() / baselines.len() as f32;
            (l.baseline - mean).abs() <= LINE_GAP * height.max(l.height)
        });
        match out.last_mut() {
            Some((baselines, height, words)) if joins => {
                baselines.push(l.baseline);
                *height = height.max(l.height);
                words.extend(l.words);
            }
            _ => out.push((vec![l.baseline], l.height, l.words)),
        }
    }
    out.into_iter()
        .map(|(baselines, height, mut words)| {
            words.sort_by(|a, b| {
                let x = |w: &Word| w.x.map_or(0.0, |(x0, _)| x0);
                x(a).total_cmp(&x(b))
            });
            Line {
                words,
                y: Some(baselines.iter().sum::<f32>() / baselines.len() as f32),
                height: Some(height),
            }
        })
        .collect()
}
