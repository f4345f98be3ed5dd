//! Plain-text input (OCR output): bytes → pages of unpositioned lines.
//!
//! Pages are separated by form feeds. OCR text without form feeds, like the
//! sample report, marks each new page by a line that begins with a space;
//! that convention is used only when the text has no form feed at all.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use crate::document::{Document, Line, Page, SourceFormat};

/// True when bytes look like text: UTF-16 with a byte-order mark (what
/// Windows calls "Unicode"), or bytes with few control characters (a
/// stray NUL among them is tolerated: it is dropped when decoding).
pub fn looks_like_text(bytes: &[u8]) -> bool {
    if utf16_bom(bytes).is_some() {
        return bytes.len().is_multiple_of(2);
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 100 <= sample.len()
}

/// The byte order of UTF-16 text that starts with a byte-order mark:
/// `Some(true)` for little-endian.
fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

/// Decodes text bytes: UTF-16 with a byte-order mark; UTF-8 (with or
/// without BOM); else Windows-1252 / Latin-1, which old OCR exports use.
/// NUL characters, which no text means, are dropped.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(little) = utf16_bom(bytes) {
        let units = bytes[2..].chunks_exact(2).map(|p| {
            if little {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        return Cow::Owned(
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .filter(|&c| c != '\0')
                .collect(),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| latin1(b)).collect()),
    };
    if text.contains('\0') {
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    }
}

fn latin1(b: u8) -> char {
    // Windows-1252's printable characters in 0x80..0x9F that Swedish text uses.
    match b {
        0x80 => '€',
        0x91 | 0x92 => '\'',
        0x93 | 0x94 => '"',
        0x96 => '–',
        0x97 => '—',
        _ => char::from(b),
    }
}

/// Reads OCR text into pages of lines. NFKC folds ligatures, then text is
/// NFC; blank lines are kept as paragraph breaks.
pub fn read_text(bytes: &[u8]) -> Document {
    let text = decode(bytes);
    let text: String = text.nfkc().collect::<String>().nfc().collect();
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let page_texts: Vec<&str> = if text.contains('\u{0C}') {
        text.split('\u{0C}').collect()
    } else {
        split_on_indented_lines(&text)
    };
    let mut pages: Vec<Page> = page_texts
        .iter()
        .map(|t| Page {
            number: 0,
            width: None,
            lines: t.lines().map(Line::from_text).collect(),
            text_layer: None,
        })
        .collect();
    // A trailing page with no words is the page break's echo, not a page.
    while pages.len() > 1
        && pages
            .last()
            .is_some_and(|p| p.lines.iter().all(Line::is_blank))
    {
        pages.pop();
    }
    for (i, p) in pages.iter_mut().enumerate() {
        p.number = i + 1;
    }
    Document {
        format: SourceFormat::Text,
        text_layer: None,
        pages,
        warnings: Vec::new(),
    }
}

/// Splits before every line (but the first) that starts with a space.
fn split_on_indented_lines(text: &str) -> Vec<&str> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && line.starts_with(' ') {
            pages.push(&text[start..offset]);
            start = offset;
        }
        offset += line.len();
    }
    pages.push(&text[start..]);
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_feeds_separate_pages() {
        let doc = read_text(b"a b\n\nc\x0Cd\n");
        assert_eq!(doc.pages.len(), 2);
        assert_eq!(doc.pages[1].lines[0].text(), "d");
        assert_eq!(doc.pages[1].number, 2);
    }

    #[test]
    fn indented_lines_start_pages_when_there_is_no_form_feed() {
        let doc = read_text(b" 1 Title\nrow\n Header\nrow two\n ");
        assert_eq!(doc.pages.len(), 2);
        assert_eq!(doc.pages[0].lines[1].text(), "row");
        assert_eq!(doc.pages[1].lines[0].text(), "Header");
    }

    #[test]
    fn ligatures_fold_and_text_is_nfc() {
        let doc = read_text("ﬂera beho\u{0308}v".as_bytes());
        assert_eq!(doc.pages[0].lines[0].text(), "flera behöv");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_text() {
        let text = "Är ert arbete kunskapsbaserat?\nJa\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert!(looks_like_text(&le) && looks_like_text(&be));
        assert_eq!(decode(&le), text);
        assert_eq!(decode(&be), text);
    }

    #[test]
    fn a_stray_nul_is_dropped_not_a_reason_to_refuse() {
        let line = "Har ni säkrat er kompetens? Ja, alla chefer har gått utbildningen.\n";
        let mut bytes = line.repeat(3).into_bytes();
        bytes.insert(line.len(), 0);
        assert!(looks_like_text(&bytes));
        assert_eq!(decode(&bytes), line.repeat(3));
    }

    #[test]
    fn latin1_bytes_decode() {
        let doc = read_text(b"m\xe5l f\xf6r");
        assert_eq!(doc.pages[0].lines[0].text(), "mål för");
    }

    #[test]
    fn binary_is_not_text() {
        assert!(!looks_like_text(b"\x00\x01\x02"));
        assert!(!looks_like_text(&[0u8; 64]));
        assert!(looks_like_text("Målområde 1\n".as_bytes()));
    }
}
