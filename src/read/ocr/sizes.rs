//! Page sizes as poppler sees them (`pdfinfo -box`), and the resolution
//! each page is rendered at so that its image stays within
//! [`MAX_PIXELS`].
//!
//! A page's size is the PDF's to state: a 600-byte file can declare an
//! 8000-point square page, which at 300 dpi is a 1.1-gigapixel image.
//! Owns the parsing of pdfinfo's output; running it is the caller's.

use std::collections::HashMap;

/// The most pixels a page is rendered with: A4 at 600 dpi is 35 million.
/// A larger page is rendered at a lower resolution; the image (one byte a
/// pixel) and tesseract's work on it stay bounded whatever the page
/// declares.
pub(super) const MAX_PIXELS: f64 = 40e6;

/// A page's size in points, as rendered (rotation applied).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct PageSize {
    pub width: f64,
    pub height: f64,
}

/// How one page is rendered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Render {
    /// Resolution in dots per inch.
    pub dpi: u32,
    /// The image's expected size in pixels, when the page's size is known.
    pub pixels: Option<(u64, u64)>,
    /// The largest image pdftoppm may make (its crop box, in pixels): the
    /// expected size and a pixel to spare, or, for a page of unknown size
    /// or one too vast even at 1 dpi, a square of [`MAX_PIXELS`]. A page
    /// larger than poppler said is cut, never rendered whole.
    pub crop: (u64, u64),
}

/// Parses `pdfinfo -box` output: each page's MediaBox (what pdftoppm
/// renders), turned by the page's rotation, by page number.
pub(super) fn parse_pdfinfo(text: &str) -> HashMap<usize, PageSize> {
    let mut boxes: HashMap<usize, (f64, f64)> = HashMap::new();
    let mut rotations: HashMap<usize, i64> = HashMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("Page") else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let Some(number) = fields.next().and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        match fields.next() {
            Some("MediaBox:") => {
                let v: Vec<f64> = fields.filter_map(|f| f.parse().ok()).collect();
                if let [x1, y1, x2, y2] = v[..] {
                    let (w, h) = ((x2 - x1).abs(), (y2 - y1).abs());
                    if w.is_finite() && h.is_finite() {
                        boxes.insert(number, (w, h));
                    }
                }
            }
            Some("rot:") => {
                if let Some(r) = fields.next().and_then(|r| r.parse::<i64>().ok()) {
                    rotations.insert(number, r);
                }
            }
            _ => {}
        }
    }
    boxes
        .into_iter()
        .map(|(number, (w, h))| {
            let turned = rotations
                .get(&number)
                .is_some_and(|r| r.rem_euclid(180) == 90);
            let (width, height) = if turned { (h, w) } else { (w, h) };
            (number, PageSize { width, height })
        })
        .collect()
}

/// How to render a page of `size` (unknown: `None`) asked at `dpi`: at
/// `dpi`, or lower so that the image has at most [`MAX_PIXELS`].
pub(super) fn render(size: Option<PageSize>, dpi: u32) -> Render {
    let side = MAX_PIXELS.sqrt() as u64;
    let Some(size) = size else {
        return Render {
            dpi,
            pixels: None,
            crop: (side, side),
        };
    };
    let pixels_at = |dpi: u32| {
        // Rounded up as pdftoppm does, past the float error in (say)
        // 595.44 / 72 * 300.
        let px = |pt: f64| (pt * f64::from(dpi) / 72.0 - 1e-6).ceil().max(1.0) as u64;
        (px(size.width), px(size.height))
    };
    let (w, h) = pixels_at(dpi);
    let dpi = if (w as f64) * (h as f64) <= MAX_PIXELS {
        dpi
    } else {
        let scale = (MAX_PIXELS / ((w as f64) * (h as f64))).sqrt();
        ((f64::from(dpi) * scale).floor() as u32).max(1)
    };
    let (w, h) = pixels_at(dpi);
    // A page too vast even at 1 dpi is cut to the square.
    let crop = if ((w + 1) as f64) * ((h + 1) as f64) <= MAX_PIXELS * 1.01 {
        (w + 1, h + 1)
    } else {
        (side, side)
    };
    Render {
        dpi,
        pixels: Some((w, h)),
        crop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdfinfo_boxes_are_read_and_turned() {
        let text = "Pages:           2\n\
            Page    1 size:  595.44 x 842.04 pts (A4)\n\
            Page    1 rot:   0\n\
            Page    2 rot:   90\n\
            Page    1 MediaBox:      0.00     0.00   595.44   842.04\n\
            Page    1 CropBox:       0.00     0.00   100.00   100.00\n\
            Page    2 MediaBox:      0.00     0.00   842.00   595.00\n";
        let sizes = parse_pdfinfo(text);
        assert_eq!(
            sizes[&1],
            PageSize {
                width: 595.44,
                height: 842.04
            }
        );
        assert_eq!(
            sizes[&2],
            PageSize {
                width: 595.0,
                height: 842.0
            }
        );
    }

    #[test]
    fn a_normal_page_keeps_its_resolution_and_a_huge_one_is_scaled_down() {
        let a4 = PageSize {
            width: 595.44,
            height: 842.04,
        };
        let r = render(Some(a4), 300);
        assert_eq!((r.dpi, r.pixels), (300, Some((2481, 3509))));
        let huge = PageSize {
            width: 8000.0,
            height: 8000.0,
        };
        let r = render(Some(huge), 300);
        let (w, h) = r.pixels.unwrap();
        assert!((w * h) as f64 <= MAX_PIXELS, "{r:?}");
        assert!(r.dpi >= 40 && r.dpi < 300, "{r:?}");
        // So large that even 1 dpi passes the limit: 1 dpi, cut by the crop.
        let vast = PageSize {
            width: 1e9,
            height: 1e9,
        };
        let r = render(Some(vast), 300);
        assert_eq!(r.dpi, 1);
        assert!((r.crop.0 * r.crop.1) as f64 <= MAX_PIXELS, "{r:?}");
        let unknown = render(None, 300);
        assert_eq!(unknown.dpi, 300);
        assert!((unknown.crop.0 * unknown.crop.1) as f64 <= MAX_PIXELS);
    }
}
