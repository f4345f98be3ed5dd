//! What a page image rendered by pdftoppm (binary PGM, `P5`) shows
//! before tesseract reads it: its size in pixels, and whether it is blank.
//!
//! A blank page costs tesseract most of a second and gives no words; seen
//! here, it costs one pass over the pixels. Owns the PGM header format
//! only as far as pdftoppm writes it (8-bit grey).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Greys within this many levels of each other count as one: a page is
/// blank when all its pixels are one shade. Anti-aliased ink spans far
/// more; a faint watermark of a few levels is not text tesseract reads.
const FLAT: u8 = 2;

/// A rendered page image, as far as OCR needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Summary {
    /// Width in pixels.
    pub width: u64,
    /// Height in pixels.
    pub height: u64,
    /// Every pixel is the same shade (within [`FLAT`] levels).
    pub blank: bool,
}

/// Reads a binary PGM file's size and whether it is blank; `None` when it
/// is not one pdftoppm writes (8-bit `P5`) or is cut short.
pub(super) fn summarise(path: &Path) -> Option<Summary> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(path).ok()?);
    let (width, height, max) = header(&mut reader)?;
    if max == 0 || max > 255 {
        return None;
    }
    let mut pixels = width.checked_mul(height)?;
    let (mut lo, mut hi) = (u8::MAX, u8::MIN);
    while pixels > 0 {
        let chunk = reader.fill_buf().ok()?;
        if chunk.is_empty() {
            return None;
        }
        let n = chunk
            .len()
            .min(usize::try_from(pixels).unwrap_or(usize::MAX));
        for &p in &chunk[..n] {
            lo = lo.min(p);
            hi = hi.max(p);
        }
        reader.consume(n);
        pixels -= n as u64;
    }
    Some(Summary {
        width,
        height,
        blank: hi.saturating_sub(lo) <= FLAT,
    })
}

/// Parses `P5 <width> <height> <maxval>` and the one whitespace byte after
/// it (comments allowed, as the format does).
fn header(r: &mut impl Read) -> Option<(u64, u64, u64)> {
    let mut magic = [0u8; 2];
    r.read_exact(&mut magic).ok()?;
    if &magic != b"P5" {
        return None;
    }
    let mut fields = [0u64; 3];
    for field in &mut fields {
        *field = number(r)?;
    }
    Some((fields[0], fields[1], fields[2]))
}

/// Reads one decimal number after whitespace and comments, and the one
/// whitespace byte that ends it.
fn number(r: &mut impl Read) -> Option<u64> {
    let mut byte = [0u8; 1];
    let mut next = |r: &mut dyn Read| -> Option<u8> {
        r.read_exact(&mut byte).ok()?;
        Some(byte[0])
    };
    let mut c = next(r)?;
    loop {
        if c == b'#' {
            while c != b'\n' {
                c = next(r)?;
            }
        } else if !c.is_ascii_whitespace() {
            break;
        }
        c = next(r)?;
    }
    let mut n: u64 = 0;
    let mut digits = 0;
    while c.is_ascii_digit() {
        n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
        digits += 1;
        c = next(r)?;
    }
    (digits > 0 && c.is_ascii_whitespace()).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pgm(name: &str, header: &str, pixels: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("uppf-pgm-{}-{name}", std::process::id()));
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(pixels);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn one_shade_is_blank_and_ink_is_not() {
        let white = pgm("white", "P5\n3 2\n255\n", &[255, 255, 254, 255, 255, 255]);
        assert_eq!(
            summarise(&white),
            Some(Summary {
                width: 3,
                height: 2,
                blank: true
            })
        );
        let ink = pgm(
            "ink",
            "P5\n# pdftoppm\n3 2\n255\n",
            &[255, 255, 255, 40, 255, 255],
        );
        assert_eq!(summarise(&ink).map(|s| s.blank), Some(false));
        for p in [white, ink] {
            let _ = std::fs::remove_file(p);
        }
    }

    #[test]
    fn a_short_or_foreign_file_is_no_summary() {
        let short = pgm("short", "P5\n3 2\n255\n", &[255, 255]);
        assert_eq!(summarise(&short), None);
        let png = pgm("png", "\u{89}PNG\r\n", &[]);
        assert_eq!(summarise(&png), None);
        let wide = pgm("wide", "P5\n3 1\n65535\n", &[0; 6]);
        assert_eq!(summarise(&wide), None);
        for p in [short, png, wide] {
            let _ = std::fs::remove_file(p);
        }
    }
}
