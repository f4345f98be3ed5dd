//! Rebuilds words and lines from positioned glyphs.
//!
//! [`Collector`] receives each glyph from pdf-extract (through its
//! `OutputDev` trait) with its position, and [`Glyph::placed`] makes the
//! same glyph for the text fast path; [`build_page`] turns a page's glyphs
//! into `Line`s of `Word`s in page coordinates (points, y growing down from
//! the top). Words come from gaps between glyphs, not only from the PDF's own
//! spaces; lines from shared baselines. Columns are not split here: two
//! table cells on one baseline stay one `Line`, with a gap in x, for the
//! segmenter to see. Text is NFC-normalised, with ligatures folded.

use std::borrow::Cow;
use std::ops::Range;
use std::rc::Rc;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::matrix::Matrix;
use crate::document::{Line, Page, Word};

/// A gap wider than this fraction of the font size starts a new word.
/// Kerning stays below ~0.1 em; a justified interword space shrinks to ~0.22
/// em at most, so 0.2 splits words even in PDFs that draw no space glyphs.
pub(super) const WORD_GAP: f64 = 0.2;
/// Glyphs whose baselines are closer than this fraction of the font size
/// share a line.
pub(super) const LINE_GAP: f64 = 0.4;
/// Glyphs running more than about 25 degrees off the page's main text
/// direction (rotated labels, vertical margin text) are left out.
const MIN_COS_TO_MAIN_DIRECTION: f64 = 0.9;

/// One glyph as pdf-extract reported it, in PDF user space.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Glyph {
    /// The Unicode text of the glyph (may be several characters, or none),
    /// shared with the font's map and every other glyph of that code.
    pub text: Rc<str>,
    /// Origin of the glyph on the baseline.
    pub x: f64,
    pub y: f64,
    /// Unit vector of the text direction.
    pub dir: (f64, f64),
    /// Advance width along `dir`, 0 when the font gave none.
    pub advance: f64,
    /// Font size after all scaling.
    pub size: f64,
}

impl Glyph {
    /// The glyph drawn with text rendering matrix `trm` (without the font
    /// size), advance `width` in text space divided by 1000, font size
    /// `font_size`, showing `text`; `None` if there is nothing to place (no
    /// font size yet, or a degenerate matrix).
    pub(super) fn placed(
        trm: &Matrix,
        width: f64,
        font_size: f64,
        text: &Rc<str>,
    ) -> Option<Glyph> {
        let along = trm.a.hypot(trm.b);
        let up = trm.c.hypot(trm.d);
        let size = font_size.abs() * up;
        let values = [trm.e, trm.f, along, size, width];
        if along <= 0.0 || size <= 0.0 || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        Some(Glyph {
            text: Rc::clone(text),
            x: trm.e,
            y: trm.f,
            dir: (trm.a / along, trm.b / along),
            advance: (width * font_size.abs() * along).max(0.0),
            size,
        })
    }
}

/// Collects the glyphs of one page from pdf-extract.
#[derive(Debug, Default)]
pub(super) struct Collector {
    /// Glyphs in content-stream order.
    pub glyphs: Vec<Glyph>,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    /// `trm` is the text rendering matrix without the font size; `width` the
    /// glyph's advance in text space divided by 1000.
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let trm = Matrix::new([trm.m11, trm.m12, trm.m21, trm.m22, trm.m31, trm.m32]);
        self.glyphs
            .extend(Glyph::placed(&trm, width, font_size, &Rc::from(text)));
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A glyph placed on the page, in the frame where the page's main text runs
/// left to right and y grows downwards.
#[derive(Debug, Clone)]
struct Placed<'g> {
    /// Folded text; empty for a word separator. Borrowed from the glyph
    /// where folding leaves it as it is, as it almost always does.
    text: Cow<'g, str>,
    separator: bool,
    size: f64,
    /// Position across and along the page's text direction (see
    /// [`page_direction`]), so that skewed lines (OCR of a tilted scan)
    /// still group and order right. They are the page coordinates the
    /// words and lines get: on a level page the same as x and y, on a
    /// tilted one the deskewed page's.
    across: f64,
    along0: f64,
    along1: f64,
}

/// Builds page `number` from its glyphs. `media_box` is the page's MediaBox.
pub(super) fn build_page(number: usize, media_box: [f64; 4], glyphs: &[Glyph]) -> Page {
    let left = media_box[0].min(media_box[2]);
    let top = media_box[1].max(media_box[3]);
    let width = (media_box[2] - media_box[0]).abs();
    let height = (media_box[3] - media_box[1]).abs();
    let turns = main_direction(glyphs);
    let (frame_width, frame_height) = if turns % 2 == 1 {
        (height, width)
    } else {
        (width, height)
    };

    // Top-down page coordinates, turned so the main text runs right, and
    // each glyph's direction in that frame.
    let framed = |g: &Glyph| {
        (
            turn(turns, g.x - left, top - g.y, width, height),
            turn_vector(turns, g.dir.0, -g.dir.1),
        )
    };
    let origins: Vec<Option<Origin>> = glyphs
        .iter()
        .map(|g| {
            let ((x, y), (ux, _)) = framed(g);
            (ux >= MIN_COS_TO_MAIN_DIRECTION).then_some((x, y, g.size))
        })
        .collect();
    let runs = baseline_runs(&origins);
    let (c, s) = page_direction(&origins, &runs);
    let across_of = |(x, y, _): Origin| y * c - x * s;
    // On a tilted page every glyph of a run shares the run's mean position
    // across the page direction: a line the OCR engine gave an angle a
    // little off the page's stays one line instead of being sheared over
    // two. On a level page each glyph keeps its own.
    let mut run_across: Vec<Option<f64>> = vec![None; glyphs.len()];
    if s != 0.0 {
        for run in &runs {
            let (sum, n) = origins[run.clone()]
                .iter()
                .flatten()
                .fold((0.0, 0usize), |(sum, n), &o| (sum + across_of(o), n + 1));
            let mean = sum / n.max(1) as f64;
            run_across[run.clone()].fill(Some(mean));
        }
    }

    let mut placed = Vec::with_capacity(glyphs.len());
    for (i, g) in glyphs.iter().enumerate() {
        let ((x, y), (ux, uy)) = framed(g);
        if ux < MIN_COS_TO_MAIN_DIRECTION {
            continue;
        }
        let margin = g.size;
        if x < -margin || y < -margin || x > frame_width + margin || y > frame_height + margin {
            // Drawn outside the page: never visible.
            continue;
        }
        let advance = if g.advance > 0.0 {
            g.advance
        } else {
            estimate_advance(glyphs, i)
        };
        let separator = g.text.chars().all(char::is_whitespace) && !g.text.is_empty();
        let text = fold(&g.text);
        if text.is_empty() && !separator {
            continue;
        }
        // Positions along and across the page's text direction: on a
        // tilted scan that is the deskewed frame, shared by every glyph
        // whatever angle its own line was given.
        let along0 = x * c + y * s;
        let across = run_across[i].unwrap_or_else(|| across_of((x, y, g.size)));
        let along1 = along0 + advance * (ux * c + uy * s);
        placed.push(Placed {
            separator,
            text,
            size: g.size,
            across,
            along0,
            along1,
        });
    }

    // The stages below sort and split references: a `Placed` is large, and
    // moving it around cost more than the rest of the work.
    let mut lines: Vec<Line> = group_lines(placed.iter().collect())
        .into_iter()
        .flat_map(|line| split_overlapping(line, MAX_SPLITS))
        .filter_map(make_line)
        .collect();
    lines.sort_by(|a, b| a.y.unwrap_or(0.0).total_cmp(&b.y.unwrap_or(0.0)));
    Page {
        number,
        width: Some(frame_width as f32),
        lines,
        text_layer: None,
    }
}

/// Lines this many degrees or less off the page's direction are the page's
/// lines; a skewed scan is tilted by 2 or 3 degrees at worst, rotated text
/// is further off.
const MAX_SKEW_DEGREES: f64 = 5.0;

/// The page's text direction as a unit vector `(cos, sin)` in the turned
/// frame: the slope of its baselines. Each of `runs` (see [`baseline_runs`])
/// is a piece of baseline; the page's angle is the median of the runs'
/// angles, weighted by their length, among runs at least [`MIN_RUN`] font
/// sizes long and within [`MAX_SKEW_DEGREES`] of level. `(1, 0)` when no run
/// is tilted.
///
/// Positions, not the glyphs' own directions: an OCR layer of a tilted scan
/// gives some blocks of lines the angle the engine measured and places the
/// words of others level, stepping each word up or down to follow the
/// printed line; and lines too short to measure (a lone "Ja" in the answer
/// column) come out level. Placed by their own direction, such words sit a
/// line or more away from the row they belong to, which slopes across the
/// page. Every glyph is placed along the one page direction instead.
fn page_direction(origins: &[Option<Origin>], runs: &[Range<usize>]) -> (f64, f64) {
    let limit = MAX_SKEW_DEGREES.to_radians();
    // (angle, length) of each run long enough to show it
    let mut angles: Vec<(f64, f64)> = runs
        .iter()
        .filter_map(|run| {
            let first = origins[run.start]?;
            let last = origins[run.end - 1]?;
            let (dx, dy) = (last.0 - first.0, last.1 - first.1);
            let angle = dy.atan2(dx);
            (dx >= MIN_RUN * first.2 && angle.abs() <= limit).then(|| (angle, dx.hypot(dy)))
        })
        .collect();
    if angles.iter().all(|&(a, _)| a == 0.0) {
        return (1.0, 0.0);
    }
    angles.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = angles.iter().map(|r| r.1).sum::<f64>() / 2.0;
    let mut seen = 0.0;
    let median = angles
        .iter()
        .find(|r| {
            seen += r.1;
            seen >= half
        })
        .map_or(0.0, |r| r.0);
    (median.cos(), median.sin())
}

/// Splits the glyphs, in drawing order, into runs along one baseline: a
/// glyph continues the run when it starts a little further along than the
/// last one (at most [`RUN_STEP`] font sizes) and less than a fifth of a
/// font size across from it. Glyphs without an origin (`None`: running
/// off the page's direction) end a run and are runs of their own.
fn baseline_runs(origins: &[Option<Origin>]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=origins.len() {
        let continues = match (origins[i - 1], origins.get(i).copied().flatten()) {
            (Some(last), Some(g)) => {
                g.0 > last.0 - 0.1 * g.2
                    && g.0 - last.0 < RUN_STEP * g.2
                    && (g.1 - last.1).abs() < 0.2 * g.2
            }
            _ => false,
        };
        if !continues {
            runs.push(start..i);
            start = i;
        }
    }
    runs
}

/// A glyph's origin (x, y) in the turned frame and its font size.
type Origin = (f64, f64, f64);

/// A run shorter than this many font sizes is too short to show its angle.
const MIN_RUN: f64 = 8.0;

/// The next glyph of a run starts at most this many font sizes further
/// along (a word space, or a few in a justified line).
const RUN_STEP: f64 = 3.0;

/// How many quarter turns (clockwise in top-down coordinates) the page's
/// main text direction is from left-to-right: 0 for ordinary pages, 1 for
/// text running down, and so on. Decided by the majority of glyphs, so a
/// landscape table drawn sideways reads as lines, whatever `/Rotate` says.
fn main_direction(glyphs: &[Glyph]) -> u8 {
    let mut counts = [0usize; 4];
    for g in glyphs.iter().filter(|g| !g.text.trim().is_empty()) {
        let (dx, dy) = (g.dir.0, -g.dir.1);
        let q = if dx.abs() >= dy.abs() {
            if dx >= 0.0 {
                0
            } else {
                2
            }
        } else if dy > 0.0 {
            1
        } else {
            3
        };
        counts[q] += 1;
    }
    let mut best = 0;
    for q in 1..4 {
        if counts[q] > counts[best] {
            best = q;
        }
    }
    best as u8
}

/// A point in top-down coordinates of a `width` × `height` frame, turned so
/// that direction `turns` (see [`main_direction`]) runs left to right.
fn turn(turns: u8, x: f64, y: f64, width: f64, height: f64) -> (f64, f64) {
    match turns {
        1 => (y, width - x),
        2 => (width - x, height - y),
        3 => (height - y, x),
        _ => (x, y),
    }
}

/// [`turn`] for a direction vector.
fn turn_vector(turns: u8, dx: f64, dy: f64) -> (f64, f64) {
    match turns {
        1 => (dy, -dx),
        2 => (-dx, -dy),
        3 => (-dy, dx),
        _ => (dx, dy),
    }
}

/// An advance for a glyph whose font gave it no width: the distance to the
/// next glyph when that one follows on the same baseline, else half an em.
fn estimate_advance(glyphs: &[Glyph], i: usize) -> f64 {
    let g = &glyphs[i];
    let fallback = 0.5 * g.size;
    let Some(next) = glyphs.get(i + 1) else {
        return fallback;
    };
    let (dx, dy) = (next.x - g.x, next.y - g.y);
    let along = dx * g.dir.0 + dy * g.dir.1;
    let across = dy * g.dir.0 - dx * g.dir.1;
    if along > 0.0 && along < 1.5 * g.size && across.abs() < LINE_GAP * g.size {
        along
    } else {
        fallback
    }
}

/// Groups glyphs into lines by baseline: sorted across the text direction,
/// a glyph joins the current line while its baseline is within
/// [`LINE_GAP`] font sizes of the line's mean baseline.
///
/// Outsized glyphs (see [`outsized`]) and the rest are grouped apart: each
/// size class has its own current line, and a glyph only joins its own
/// class's line.
fn group_lines<'p, 'g>(mut glyphs: Vec<&'p Placed<'g>>) -> Vec<Vec<&'p Placed<'g>>> {
    let outsized = outsized(&glyphs);
    glyphs.sort_by(|a, b| a.across.total_cmp(&b.across));
    let mut lines: Vec<Vec<&Placed>> = Vec::new();
    // Per size class: the line being filled, its baseline sum and its
    // largest glyph.
    let mut open: [Option<(usize, f64, f64)>; 2] = [None, None];
    for g in glyphs {
        let class = usize::from(outsized(g.size));
        match &mut open[class] {
            Some((line, sum, max_size))
                if (g.across - *sum / lines[*line].len() as f64).abs()
                    <= LINE_GAP * max_size.max(g.size) =>
            {
                *sum += g.across;
                *max_size = max_size.max(g.size);
                lines[*line].push(g);
            }
            slot => {
                *slot = Some((lines.len(), g.across, g.size));
                lines.push(vec![g]);
            }
        }
    }
    lines
}

/// A glyph this many times the page's median size is outsized.
const OUTSIZED: f64 = 2.0;

/// Which glyph sizes are outsized on this page: more than [`OUTSIZED`]
/// times the median. An OCR layer sizes each line of words to the box the
/// engine found; where the engine merged two printed lines into one box
/// (tesseract does, around a smudge or a tall stroke) the words come out
/// at three times the body size with a baseline at the box's foot, and
/// would widen the line they join until it swallowed the printed line
/// below, interleaving the two lines' letters.
fn outsized(glyphs: &[&Placed<'_>]) -> impl Fn(f64) -> bool {
    let mut sizes: Vec<f64> = glyphs
        .iter()
        .filter(|g| !g.separator)
        .map(|g| g.size)
        .collect();
    sizes.sort_by(f64::total_cmp);
    let limit = sizes
        .get(sizes.len() / 2)
        .map_or(f64::INFINITY, |median| OUTSIZED * median);
    move |size| size > limit
}

/// How many times one grouped line is split at most.
const MAX_SPLITS: usize = 4;

/// Glyphs whose baselines are at least this many font sizes apart may be on
/// different printed lines; closer, they are one line's jitter.
const SPLIT_ACROSS: f64 = 0.15;

/// Splits a grouped line that holds two printed lines: letters of one lying
/// on top of letters of the other, at different baselines. An OCR layer
/// gives each line of words its own baseline, and where the engine merged
/// a line of the left column with one of the right, that baseline can come
/// within [`LINE_GAP`] of the right column's next line; grouped together,
/// their letters would interleave ("Vim ydneldtiarg" for "Vi deltar" over
/// "myndighetsgemensamma"). The line is cut at the widest baseline gap
/// between two overlapping letters, and each part is checked again, at most
/// `splits` times in all.
fn split_overlapping<'p, 'g>(
    mut line: Vec<&'p Placed<'g>>,
    splits: usize,
) -> Vec<Vec<&'p Placed<'g>>> {
    let Some(cut) = (splits > 0).then(|| overlap_cut(&mut line)).flatten() else {
        return vec![line];
    };
    let (above, below): (Vec<&Placed>, Vec<&Placed>) =
        line.into_iter().partition(|g| g.across < cut);
    let mut out = split_overlapping(above, splits - 1);
    out.extend(split_overlapping(below, splits - 1));
    out
}

/// Where to cut `line` (a baseline between two printed lines), if two or
/// more pairs of its letters overlap at baselines [`SPLIT_ACROSS`] apart.
/// Sorts `line` along the text.
fn overlap_cut(line: &mut [&Placed<'_>]) -> Option<f64> {
    line.sort_by(|a, b| a.along0.total_cmp(&b.along0));
    let letter = |g: &Placed| {
        !g.separator
            && g.along1 - g.along0 >= 0.25 * g.size
            && g.text.chars().all(char::is_alphanumeric)
    };
    let mut pairs = 0;
    let mut span = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, a) in line.iter().enumerate().filter(|(_, g)| letter(g)) {
        for b in line[i + 1..].iter().take_while(|b| b.along0 < a.along1) {
            let overlap = a.along1.min(b.along1) - a.along0.max(b.along0);
            let narrower = (a.along1 - a.along0).min(b.along1 - b.along0);
            let apart = (a.across - b.across).abs() >= SPLIT_ACROSS * a.size.min(b.size);
            if letter(b) && apart && overlap > 0.5 * narrower {
                pairs += 1;
                span = (
                    span.0.min(a.across.min(b.across)),
                    span.1.max(a.across.max(b.across)),
                );
            }
        }
    }
    if pairs < 2 {
        return None;
    }
    // The widest gap between the line's baselines inside the span.
    let mut acrosses: Vec<f64> = line
        .iter()
        .map(|g| g.across)
        .filter(|&a| a >= span.0 && a <= span.1)
        .collect();
    acrosses.sort_by(f64::total_cmp);
    acrosses
        .windows(2)
        .max_by(|p, q| (p[1] - p[0]).total_cmp(&(q[1] - q[0])))
        .map(|w| (w[0] + w[1]) / 2.0)
}

/// Splits one line's glyphs into words; `None` if it holds no word.
fn make_line(mut glyphs: Vec<&Placed<'_>>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.along0.total_cmp(&b.along0));
    // The glyphs that make words, in order; each word is a run of them,
    // which saves a vector per word.
    let mut kept: Vec<&Placed> = Vec::with_capacity(glyphs.len());
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let mut end = f64::NEG_INFINITY;
    for (i, &g) in glyphs.iter().enumerate() {
        if g.separator {
            // The glyph drawn after the space starts at the same place, so
            // sorting may have put it on either side.
            let before = i.checked_sub(1).map(|p| glyphs[p]);
            if holds_no_space(g, glyphs.get(i + 1).copied()) || holds_no_space(g, before) {
                continue;
            }
            if kept.len() > start {
                words.push(start..kept.len());
                start = kept.len();
            }
            continue;
        }
        if let Some(last) = kept[start..].last() {
            let size = last.size.max(g.size);
            let shift = (g.along0 - last.along0).abs();
            let last_advance = last.along1 - last.along0;
            if g.text == last.text && shift < 0.1 * size && shift < 0.5 * last_advance {
                // The same glyph drawn again a hair to the side (fake bold,
                // or fill and stroke drawn separately). A real double letter
                // ("ll") is a whole advance away, even in narrow fonts.
                continue;
            }
            if g.along0 - end > WORD_GAP * size {
                words.push(start..kept.len());
                start = kept.len();
            }
        }
        if kept.len() == start {
            end = f64::NEG_INFINITY;
        }
        end = end.max(g.along1);
        kept.push(g);
    }
    if kept.len() > start {
        words.push(start..kept.len());
    }
    let words = attach_hyphens(&kept, words);

    let mut out = Vec::new();
    let (mut y_sum, mut n, mut height) = (0.0, 0usize, 0.0_f64);
    for word in words.into_iter().map(|w| &kept[w]) {
        let mut text = String::with_capacity(word.iter().map(|g| g.text.len()).sum());
        word.iter().for_each(|g| text.push_str(&g.text));
        // Text already in NFC (nearly all) is kept as it is; the quick
        // check only says yes where normalising would change nothing.
        if !(text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes) {
            text = text.nfc().collect();
        }
        if text.is_empty() {
            continue;
        }
        let x0 = word.iter().map(|g| g.along0).fold(f64::INFINITY, f64::min);
        let x1 = word
            .iter()
            .map(|g| g.along1)
            .fold(f64::NEG_INFINITY, f64::max);
        for g in word {
            y_sum += g.across;
            n += 1;
            height = height.max(g.size);
        }
        out.push(Word {
            text,
            x: Some((x0 as f32, x1 as f32)),
            confidence: None,
        });
    }
    if out.is_empty() {
        return None;
    }
    Some(Line {
        words: out,
        y: Some((y_sum / n as f64) as f32),
        height: Some(height as f32),
    })
}

/// Glyphs this many font sizes apart (or closer) start at the same place.
/// An OCR layer's space can be wider than the gap to the next word, whose
/// box then starts inside the space, but not at its very start.
const SAME_PLACE: f64 = 0.05;

/// A space glyph that does not move the pen: the glyph after it starts
/// where the space starts. Chromium (Skia) draws a soft hyphen, a
/// zero-width space or a word joiner inside a word as such a space (the
/// character itself only in `/ActualText`, which pdf-extract ignores), so
/// taking it for a space would cut "kunskaps\u{AD}baserat" in two.
fn holds_no_space(sep: &Placed<'_>, next: Option<&Placed<'_>>) -> bool {
    next.is_some_and(|n| {
        !n.separator
            && (n.across - sep.across).abs() < 0.5 * sep.size.max(n.size)
            && (n.along0 - sep.along0).abs() < SAME_PLACE * sep.size.max(n.size)
    })
}

/// Joins a lone hyphen to the word it touches. Chromium draws a soft hyphen
/// at a line break as a space glyph (marked as U+00AD only in `/ActualText`,
/// which pdf-extract ignores) followed by a visible hyphen, so the space
/// would split "förskole-" in two although the hyphen touches the word.
/// `words` are consecutive runs of `glyphs`, so a joined word is a longer
/// run.
fn attach_hyphens(glyphs: &[&Placed<'_>], words: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(words.len());
    for word in words {
        let touches = match (out.last(), glyphs[word.clone()].first()) {
            (Some(prev), Some(first)) if glyphs[word.clone()].iter().all(|g| g.text == "-") => {
                let end = glyphs[prev.clone()]
                    .iter()
                    .map(|g| g.along1)
                    .fold(f64::NEG_INFINITY, f64::max);
                first.along0 - end < WORD_GAP * first.size
            }
            _ => false,
        };
        match out.last_mut() {
            Some(prev) if touches => prev.end = word.end,
            _ => out.push(word),
        }
    }
    out
}

/// A glyph's text with ligatures folded (ﬁ → fi), hyphens made ASCII (so
/// de-hyphenation sees one kind), and without control or whitespace
/// characters. NFC is applied per word, after joining, so that combining
/// marks drawn as glyphs of their own compose.
fn fold(text: &str) -> Cow<'_, str> {
    let unchanged = |c: char| {
        !(c.is_whitespace()
            || c.is_control()
            || is_invisible(c)
            || ('\u{FB00}'..='\u{FB06}').contains(&c)
            || is_hyphen(c))
    };
    if text.chars().all(unchanged) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || is_invisible(c) {
            continue;
        }
        if ('\u{FB00}'..='\u{FB06}').contains(&c) {
            out.extend(c.to_string().nfkc());
        } else if is_hyphen(c) {
            out.push('-');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Hyphens: U+2010, U+2011, and U+00AD, which in a PDF's text is a soft
/// hyphen that was drawn, so visible at a line break.
fn is_hyphen(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{2010}' | '\u{2011}')
}

/// Zero-width characters that carry no text of their own.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const A4: [f64; 4] = [0.0, 0.0, 595.0, 842.0];

    /// Glyphs of `text` at baseline `y` (PDF user space, y up), each
    /// `advance` wide, starting at `x`; spaces are emitted as glyphs too.
    fn run(text: &str, x: f64, y: f64, size: f64, advance: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string().into(),
                x: x + i as f64 * advance,
                y,
                dir: (1.0, 0.0),
                advance,
                size,
            })
            .collect()
    }

    fn texts(page: &Page) -> Vec<String> {
        page.lines.iter().map(Line::text).collect()
    }

    #[test]
    fn words_split_on_gaps_even_without_space_glyphs() {
        let mut glyphs = run("Svar", 100.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("Ja", 100.0 + 4.0 * 5.0 + 3.0, 700.0, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["Svar Ja"]);
        let line = &page.lines[0];
        assert_eq!(line.words[0].x, Some((100.0, 120.0)));
        assert_eq!(line.y, Some(142.0));
        assert_eq!(line.height, Some(10.0));
        assert_eq!(page.width, Some(595.0));
    }

    #[test]
    fn small_gaps_do_not_split_words() {
        // Kerning-sized gaps (0.1 em) inside "Göteborg".
        let glyphs = run("Göteborg", 100.0, 700.0, 10.0, 6.0)
            .into_iter()
            .map(|mut g| {
                g.advance = 5.0;
                g
            })
            .collect::<Vec<_>>();
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["Göteborg"]);
    }

    #[test]
    fn lines_are_ordered_top_down_and_words_left_to_right() {
        // Drawn in a jumbled order: right column first, lower line first.
        let mut glyphs = run("Nej", 300.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("andra rad", 50.0, 688.0, 10.0, 5.0));
        glyphs.extend(run("första", 50.0, 700.5, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["första Nej", "andra rad"]);
    }

    #[test]
    fn ligatures_fold_and_decomposed_letters_compose() {
        let mut glyphs = run("\u{FB01}nans", 100.0, 700.0, 10.0, 5.0);
        // "a" followed by a combining ring drawn over it, then "r".
        glyphs.extend(run("a", 200.0, 700.0, 10.0, 5.0));
        glyphs.push(Glyph {
            text: "\u{030A}".into(),
            x: 201.0,
            y: 700.0,
            dir: (1.0, 0.0),
            advance: 0.0,
            size: 10.0,
        });
        glyphs.extend(run("r", 205.0, 700.0, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["finans år"]);
        assert_eq!(page.lines[0].words[1].text, "\u{e5}r", "NFC form");
    }

    #[test]
    fn fake_bold_duplicates_are_dropped() {
        let mut glyphs = run("Mål", 100.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("Mål", 100.4, 700.0, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["Mål"]);
    }

    #[test]
    fn double_letters_in_narrow_fonts_are_kept() {
        // Arial Narrow's "l" advances 0.18 em.
        let glyphs = run("till", 100.0, 700.0, 10.0, 1.8);
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["till"]);
    }

    #[test]
    fn zero_width_glyphs_take_their_advance_from_the_next_glyph() {
        let glyphs = run("Stad", 100.0, 700.0, 10.0, 5.5)
            .into_iter()
            .map(|mut g| {
                g.advance = 0.0;
                g
            })
            .collect::<Vec<_>>();
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["Stad"]);
    }

    #[test]
    fn an_outsized_ocr_line_does_not_swallow_the_line_below() {
        // Tesseract merged two printed lines into one 32 pt box with its
        // baseline at the foot; the 10 pt line 5 pt below is a line of its
        // own, not letters to interleave with it.
        let mut glyphs = run("forsta rad", 50.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("Forvaltningen har", 150.0, 676.0, 32.0, 5.0));
        glyphs.extend(run("myndighetsgemensamma", 150.0, 671.0, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(
            texts(&page),
            vec!["forsta rad", "Forvaltningen har", "myndighetsgemensamma"]
        );
    }

    #[test]
    fn two_printed_lines_grouped_as_one_are_split_where_their_letters_overlap() {
        // Baselines 3 pt apart group as one line; the letters lying on top
        // of each other show it is two.
        let mut glyphs = run("Vi deltar inte", 300.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("myndighetsgemensamma", 300.0, 697.0, 10.0, 5.0));
        glyphs.extend(run("Deltar ni", 80.0, 698.5, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(
            texts(&page),
            vec!["Deltar ni Vi deltar inte", "myndighetsgemensamma"]
        );
    }

    #[test]
    fn one_raised_letter_over_another_does_not_split_its_line() {
        let mut glyphs = run("skola", 50.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("x", 60.0, 702.0, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(page.lines.len(), 1);
    }

    #[test]
    fn sideways_pages_are_read_along_their_text() {
        // Text running up the page (rotated 90° counter-clockwise).
        let glyphs: Vec<Glyph> = "Tabell"
            .chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string().into(),
                x: 100.0,
                y: 100.0 + i as f64 * 5.0,
                dir: (0.0, 1.0),
                advance: 5.0,
                size: 10.0,
            })
            .collect();
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["Tabell"]);
        assert_eq!(page.width, Some(842.0));
    }

    /// Glyphs of `text` along a baseline through (`x`, `y`) tilted by
    /// `degrees` (counter-clockwise, PDF user space).
    fn tilted(text: &str, x: f64, y: f64, degrees: f64) -> Vec<Glyph> {
        let (s, c) = degrees.to_radians().sin_cos();
        text.chars()
            .enumerate()
            .map(|(i, ch)| Glyph {
                text: ch.to_string().into(),
                x: x + i as f64 * 5.0 * c,
                y: y + i as f64 * 5.0 * s,
                dir: (c, s),
                advance: 5.0,
                size: 10.0,
            })
            .collect()
    }

    #[test]
    fn a_level_word_on_a_tilted_page_joins_the_row_it_sits_on() {
        // A scan tilted 1.5° counter-clockwise: each table row slopes up
        // to the right. The OCR layer gives the long question lines their
        // angle but the lone answer "Ja" far right none; it sits where
        // its row's baseline is at x = 450, 10 pt above where the row
        // starts at the left margin.
        let slope = 1.5_f64.to_radians().tan();
        let mut glyphs = Vec::new();
        for (row, question) in [
            "Har ni en plan for arbetet",
            "Deltar ni i samverkan med andra",
        ]
        .iter()
        .enumerate()
        {
            let y = 700.0 - 20.0 * row as f64;
            glyphs.extend(tilted(question, 60.0, y, 1.5));
            glyphs.extend(run("Ja", 450.0, y + (450.0 - 60.0) * slope, 10.0, 5.0));
        }
        let page = build_page(1, A4, &glyphs);
        assert_eq!(
            texts(&page),
            vec![
                "Har ni en plan for arbetet Ja",
                "Deltar ni i samverkan med andra Ja"
            ]
        );
        // Positions are the deskewed page's: the answer is its distance
        // along the row from the question, and the rows' baselines stay
        // 20 pt apart.
        let (first, second) = (&page.lines[0], &page.lines[1]);
        let gap = second.y.unwrap() - first.y.unwrap();
        assert!((gap - 20.0).abs() < 0.5, "{gap}");
        let start = |w: &Word| f64::from(w.x.unwrap().0);
        let along = start(first.words.last().unwrap()) - start(&first.words[0]);
        let expected = (450.0 - 60.0) / 1.5_f64.to_radians().cos();
        assert!((along - expected).abs() < 0.5, "{along}");
    }

    #[test]
    fn words_drawn_level_but_stepped_along_a_tilted_row_show_the_tilt() {
        // The other way an OCR layer draws a tilted line: every word level,
        // each a little higher than the one before (tesseract does this
        // for some blocks). The row's far-right "Ja" still joins it.
        let slope = 1.5_f64.to_radians().tan();
        let mut glyphs = Vec::new();
        for (row, question) in [
            "Har ni en plan for arbetet i staden",
            "Deltar ni i samverkan med andra",
        ]
        .iter()
        .enumerate()
        {
            let y = 700.0 - 20.0 * row as f64;
            let mut x = 60.0;
            for word in question.split(' ') {
                glyphs.extend(run(word, x, y + (x - 60.0) * slope, 10.0, 5.0));
                x += 5.0 * (word.len() + 1) as f64;
            }
            glyphs.extend(run("Ja", 450.0, y + (450.0 - 60.0) * slope, 10.0, 5.0));
        }
        let page = build_page(1, A4, &glyphs);
        assert_eq!(
            texts(&page),
            vec![
                "Har ni en plan for arbetet i staden Ja",
                "Deltar ni i samverkan med andra Ja"
            ]
        );
    }

    #[test]
    fn a_line_tilted_a_little_off_the_page_stays_one_line() {
        // Lines 12 pt apart at 0.5°, one long line that the OCR engine
        // measured at 1.8°: placed glyph by glyph along the page's
        // direction its right end would rise 8 pt, into the line above.
        let body = "Forvaltningen deltar i samverkan med polisen och skolan varje termin";
        let odd = "Arbetet har inte paborjats under aret men planeras till nasta ar i samrad";
        let mut glyphs = Vec::new();
        for row in 0..5 {
            let y = 700.0 - 12.0 * row as f64;
            glyphs.extend(if row == 3 {
                tilted(odd, 60.0, y, 1.8)
            } else {
                tilted(body, 60.0, y, 0.5)
            });
        }
        let page = build_page(1, A4, &glyphs);
        let texts = texts(&page);
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert_eq!(texts[3], odd, "{texts:?}");
    }

    #[test]
    fn a_level_page_keeps_its_coordinates_when_a_few_lines_are_tilted() {
        // A stamp tilted 3° among level text does not turn the page.
        let mut glyphs = run("forsta raden", 50.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("andra raden", 50.0, 680.0, 10.0, 5.0));
        glyphs.extend(tilted("ok", 300.0, 600.0, 3.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(page.lines[0].words[0].x, Some((50.0, 80.0)));
        assert_eq!(page.lines[1].y, Some(162.0));
    }

    #[test]
    fn a_few_rotated_glyphs_are_left_out() {
        let mut glyphs = run("Text", 100.0, 700.0, 10.0, 5.0);
        glyphs.push(Glyph {
            text: "X".into(),
            x: 20.0,
            y: 400.0,
            dir: (0.0, 1.0),
            advance: 5.0,
            size: 10.0,
        });
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["Text"]);
    }

    #[test]
    fn a_hyphen_behind_a_space_glyph_stays_with_its_word() {
        // Chromium's soft hyphen: "förskole", a space glyph, then U+2010
        // drawn where the space begins; a real dash keeps its gap.
        let mut glyphs = run("förskole ", 100.0, 700.0, 10.0, 5.0);
        glyphs.extend(run("\u{2010}", 140.0, 700.0, 10.0, 3.0));
        glyphs.extend(run("2022 - 2026", 100.0, 680.0, 10.0, 5.0));
        let page = build_page(1, A4, &glyphs);
        assert_eq!(texts(&page), vec!["förskole-", "2022 - 2026"]);
        assert_eq!(page.lines[0].words[0].x, Some((100.0, 143.0)));
    }
}
