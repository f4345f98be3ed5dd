//! Rebuilds a cross-reference table that lopdf cannot read, as poppler and
//! pdf.js do: by finding every `N G obj` in the file.
//!
//! lopdf already copes with offsets that point to the wrong place, but not
//! with a table it cannot parse (entries of 19 bytes instead of 20, a
//! trailer without `<<`, a table cut off). Then [`rebuild`] returns the
//! file's bytes with a new table and trailer appended: every object found,
//! the last definition of a number winning (as an incremental update
//! would), the trailer's `/Root`, `/Info`, `/Encrypt` and `/ID` taken from
//! the last place the file states them (or the catalogue found by its
//! `/Type`). The caller loads those bytes instead. This module reads no
//! objects beyond the few bytes that identify a catalogue.

use std::collections::BTreeMap;
use std::fmt::Write;

use regex::bytes::Regex;

/// How far into an object its `/Type /Catalog` is looked for.
const CATALOG_WINDOW: usize = 2048;
/// Files with more objects than this are not rebuilt (a PDF's object
/// numbers are below 8,388,608 by its own limits).
const MAX_OBJECTS: u32 = 8_388_607;

/// The file's bytes with a rebuilt cross-reference table and trailer
/// appended, or `None` when no objects or no catalogue can be found.
pub(super) fn rebuild(bytes: &[u8]) -> Option<Vec<u8>> {
    let object = Regex::new(
        r"(?-u)(?:^|[\r\n \t\x0C\x00])(\d{1,7})[ \t\r\n\x0C\x00]+(\d{1,5})[ \t\r\n\x0C\x00]+obj\b",
    )
    .ok()?;
    // number → (offset, generation); later definitions win.
    let mut table: BTreeMap<u32, (usize, u16)> = BTreeMap::new();
    for c in object.captures_iter(bytes) {
        let (Some(num), Some(generation)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let (Some(n), Some(g)) = (
            number::<u32>(num.as_bytes()),
            number::<u16>(generation.as_bytes()),
        ) else {
            continue;
        };
        if n == 0 || n > MAX_OBJECTS {
            continue;
        }
        table.insert(n, (num.start(), g));
    }
    let size = table.keys().next_back()? + 1;
    let reference = |key: &str| -> Option<(u32, u16)> {
        let re = Regex::new(&format!(r"(?-u)/{key}[ \t\r\n\x0C\x00]*(\d{{1,7}})[ \t\r\n\x0C\x00]+(\d{{1,5}})[ \t\r\n\x0C\x00]+R")).ok()?;
        let last = re.captures_iter(bytes).last()?;
        Some((
            number(last.get(1)?.as_bytes())?,
            number(last.get(2)?.as_bytes())?,
        ))
    };
    let root = reference("Root")
        .filter(|(n, _)| table.contains_key(n) || in_object_stream(bytes))
        .or_else(|| find_catalog(bytes, &table))?;
    let mut trailer = format!("/Size {size} /Root {} {} R", root.0, root.1);
    if let Some((n, g)) = reference("Info").filter(|(n, _)| table.contains_key(n)) {
        let _ = write!(trailer, " /Info {n} {g} R");
    }
    if let Some((n, g)) = reference("Encrypt").filter(|(n, _)| table.contains_key(n)) {
        let _ = write!(trailer, " /Encrypt {n} {g} R");
    }
    let id = Regex::new(r"(?-u)/ID[ \t\r\n\x0C\x00]*\[[ \t\r\n\x0C\x00]*<[0-9A-Fa-f \t\r\n]*>[ \t\r\n\x0C\x00]*<[0-9A-Fa-f \t\r\n]*>[ \t\r\n\x0C\x00]*\]").ok()?;
    if let Some(m) = id.find_iter(bytes).last() {
        trailer.push(' ');
        trailer.push_str(&String::from_utf8_lossy(m.as_bytes()));
    }

    let mut out = bytes.to_vec();
    out.push(b'\n');
    let start = out.len();
    let mut xref = format!("xref\n0 {size}\n0000000000 65535 f\r\n");
    for n in 1..size {
        match table.get(&n) {
            Some((offset, generation)) => {
                let _ = write!(xref, "{offset:010} {generation:05} n\r\n");
            }
            None => xref.push_str("0000000000 65535 f\r\n"),
        }
    }
    let _ = write!(
        xref,
        "trailer\n<< {trailer} >>\nstartxref\n{start}\n%%EOF\n"
    );
    out.extend_from_slice(xref.as_bytes());
    Some(out)
}

fn number<T: std::str::FromStr>(digits: &[u8]) -> Option<T> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Whether the file has object streams (where a catalogue may hide, out of
/// sight of the scan).
fn in_object_stream(bytes: &[u8]) -> bool {
    bytes.windows(7).any(|w| w == b"/ObjStm")
}

/// The catalogue, found by its `/Type /Catalog` near the start of an object.
fn find_catalog(bytes: &[u8], table: &BTreeMap<u32, (usize, u16)>) -> Option<(u32, u16)> {
    let catalog = Regex::new(r"(?-u)/Type[ \t\r\n\x0C\x00]*/Catalog\b").ok()?;
    let endobj = Regex::new(r"(?-u)\bendobj\b").ok()?;
    table.iter().rev().find_map(|(&n, &(offset, generation))| {
        let window = &bytes[offset..bytes.len().min(offset + CATALOG_WINDOW)];
        let end = endobj.find(window).map_or(window.len(), |m| m.start());
        catalog.is_match(&window[..end]).then_some((n, generation))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF whose xref entries are 19 bytes long (a newline
    /// without the space), which lopdf cannot parse.
    fn short_entries() -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length 35 >>\nstream\nBT /F1 12 Tf 72 720 Td (Hej) Tj ET\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 6\n0000000000 65535 f\n");
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n\n").as_bytes());
        }
        out.extend_from_slice(
            format!("trailer\n<<\n/Size 6\n/Root 1 0 R\n>>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        out
    }

    #[test]
    fn a_table_lopdf_cannot_parse_is_rebuilt() {
        let bytes = short_entries();
        assert!(
            lopdf::Document::load_mem(&bytes).is_err(),
            "lopdf reads it now"
        );
        let fixed = rebuild(&bytes).expect("rebuilt");
        let doc = lopdf::Document::load_mem(&fixed).expect("loads");
        assert_eq!(doc.get_pages().len(), 1);
    }

    #[test]
    fn without_a_catalogue_nothing_is_rebuilt() {
        assert_eq!(rebuild(b"%PDF-1.4\n1 0 obj\n<< /A 1 >>\nendobj\n"), None);
        assert_eq!(rebuild(b"%PDF-1.4\ngarbage"), None);
    }

    #[test]
    fn a_catalogue_is_found_by_its_type_when_the_trailer_is_gone() {
        let bytes = short_entries();
        let cut = bytes
            .windows(7)
            .position(|w| w == b"trailer")
            .expect("a trailer");
        let fixed = rebuild(&bytes[..cut]).expect("rebuilt");
        let doc = lopdf::Document::load_mem(&fixed).expect("loads");
        assert_eq!(doc.get_pages().len(), 1);
    }
}
