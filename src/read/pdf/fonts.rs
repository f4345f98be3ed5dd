//! Fonts for the text fast path, parsed once per document.
//!
//! The fast path supports the fonts the corpus is written in: Type0 fonts
//! with an `Identity-H` (or `Identity-V`) encoding, a CID font with `/W` and
//! `/DW` widths, and a ToUnicode CMap, as Chromium/Skia and tesseract write
//! them. Each is read the way pdf-extract reads it, including its quirks
//! (a `/W` range entry gives no widths; `fixup` has rewritten those), so
//! the fast path decodes the same text with the same widths. Anything else,
//! or anything pdf-extract would panic on, is [`Unsupported`] and the page
//! goes to pdf-extract. ToUnicode CMaps are read as pdf-extract reads them
//! (`cmap`), and shared between fonts whose CMaps are the same
//! bytes (tesseract writes one font per page, with one CMap each). This
//! module does not interpret content streams.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap;
use super::objects::{contents, deref, get, number, Unsupported};

/// A character code's Unicode text, by code.
type ToUnicode = ByCode<Rc<str>>;

/// Values by 2-byte character code (or CID), looked up for every glyph: a
/// table indexed by the code where the codes are dense enough, else a
/// sorted list (so a font naming only code 65535 costs one entry, not
/// 65,536). Codes beyond 16 bits are never looked up (codes are byte
/// pairs), so they are not kept.
#[derive(Debug)]
pub(super) enum ByCode<T> {
    Table(Vec<Option<T>>),
    Sorted(Vec<(u16, T)>),
}

/// A table may have this many empty slots beyond four per value: enough
/// for a ToUnicode map of Latin text with typographic punctuation (up to
/// U+20AC) to be a table, while a table with few values stays small.
const TABLE_SLACK: usize = 16 * 1024;

impl<T> ByCode<T> {
    /// The values of `pairs`; a later pair for a code replaces an earlier
    /// one.
    fn new(pairs: Vec<(u32, T)>) -> ByCode<T> {
        let mut pairs: Vec<(u16, T)> = pairs
            .into_iter()
            .filter_map(|(code, value)| Some((u16::try_from(code).ok()?, value)))
            .collect();
        let len = pairs
            .iter()
            .map(|&(code, _)| usize::from(code) + 1)
            .max()
            .unwrap_or(0);
        if len <= TABLE_SLACK + 4 * pairs.len() {
            let mut table = Vec::new();
            table.resize_with(len, || None);
            for (code, value) in pairs {
                table[usize::from(code)] = Some(value);
            }
            return ByCode::Table(table);
        }
        // A stable sort keeps each code's pairs in order; the last one wins.
        pairs.sort_by_key(|&(code, _)| code);
        let mut sorted: Vec<(u16, T)> = Vec::with_capacity(pairs.len());
        for (code, value) in pairs {
            match sorted.last_mut() {
                Some(last) if last.0 == code => last.1 = value,
                _ => sorted.push((code, value)),
            }
        }
        ByCode::Sorted(sorted)
    }

    fn get(&self, code: u32) -> Option<&T> {
        match self {
            ByCode::Table(table) => table.get(usize::try_from(code).ok()?)?.as_ref(),
            ByCode::Sorted(sorted) => {
                let code = u16::try_from(code).ok()?;
                let i = sorted.binary_search_by_key(&code, |&(c, _)| c).ok()?;
                Some(&sorted[i].1)
            }
        }
    }
}

/// A Type0 font with an identity encoding: each 2-byte code is its CID.
#[derive(Debug)]
pub(super) struct Font {
    /// Widths by CID, in thousandths of text space.
    widths: ByCode<f64>,
    /// The width of CIDs `/W` does not list.
    default_width: f64,
    /// The text of each code; `None` when the font has no ToUnicode CMap,
    /// so that every code reads as no text.
    to_unicode: Option<Rc<ToUnicode>>,
    /// The text of codes the font does not map.
    no_text: Rc<str>,
}

impl Font {
    /// The character codes in a shown string: big-endian byte pairs. An odd
    /// last byte is not a code.
    pub(super) fn codes(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
        bytes
            .chunks_exact(2)
            .map(|pair| u32::from(u16::from_be_bytes([pair[0], pair[1]])))
    }

    /// The width of `cid` in thousandths of text space.
    pub(super) fn width(&self, cid: u32) -> f64 {
        self.widths.get(cid).copied().unwrap_or(self.default_width)
    }

    /// The text of `code`, empty if the font does not map it.
    pub(super) fn text(&self, code: u32) -> &Rc<str> {
        self.to_unicode
            .as_ref()
            .and_then(|map| map.get(code))
            .unwrap_or(&self.no_text)
    }
}

/// The fonts of one document, parsed on first use.
#[derive(Debug, Default)]
pub(super) struct Fonts {
    /// Fonts (or why they are unsupported) by the object id of their
    /// dictionary.
    by_id: HashMap<ObjectId, Result<Rc<Font>, Unsupported>>,
    /// ToUnicode maps by the CMap's bytes.
    maps: HashMap<Vec<u8>, Rc<ToUnicode>>,
}

impl Fonts {
    /// The font that `entry`, a value in a `/Font` resource dictionary,
    /// names.
    pub(super) fn get(&mut self, doc: &Document, entry: &Object) -> Result<Rc<Font>, Unsupported> {
        let dict = deref(doc, entry)?
            .as_dict()
            .map_err(|_| "a font resource that is not a dictionary")?;
        let Object::Reference(id) = entry else {
            return self.parse(doc, dict).map(Rc::new);
        };
        if let Some(cached) = self.by_id.get(id) {
            return cached.clone();
        }
        let font = self.parse(doc, dict).map(Rc::new);
        self.by_id.insert(*id, font.clone());
        font
    }

    /// How many fonts and distinct ToUnicode maps have been parsed.
    #[cfg(test)]
    pub(super) fn parsed(&self) -> (usize, usize) {
        (self.by_id.len(), self.maps.len())
    }

    /// Reads a font dictionary as pdf-extract's CID font reader does,
    /// refusing whatever it would panic on.
    fn parse(&mut self, doc: &Document, font: &Dictionary) -> Result<Font, Unsupported> {
        if name_of(doc, font, b"Subtype")? != b"Type0" {
            return Err("a font that is not a Type0 font");
        }
        name_of(doc, font, b"BaseFont")?;
        let descendant = get(doc, font, b"DescendantFonts")?
            .and_then(|o| o.as_array().ok())
            .and_then(|fonts| fonts.first())
            .ok_or("a Type0 font without descendant fonts")?;
        let cid_font = deref(doc, descendant)?
            .as_dict()
            .map_err(|_| "a descendant font that is not a dictionary")?;
        match get(doc, font, b"Encoding")? {
            Some(Object::Name(name)) if is_identity(name) => {}
            _ => return Err("a Type0 font without an Identity-H encoding"),
        }
        let to_unicode = self.read_to_unicode(doc, font)?;
        let descriptor = get(doc, cid_font, b"FontDescriptor")?;
        if descriptor.is_none_or(|d| d.as_dict().is_err()) {
            return Err("a CID font without a font descriptor");
        }
        // pdf-extract reads /DW without following a reference.
        let default_width = match cid_font.get(b"DW") {
            Ok(Object::Integer(w)) => *w as f64,
            _ => 1000.0,
        };
        Ok(Font {
            widths: widths(doc, cid_font)?,
            default_width,
            to_unicode,
            no_text: Rc::from(""),
        })
    }

    /// The font's ToUnicode map, parsed once per distinct CMap.
    fn read_to_unicode(
        &mut self,
        doc: &Document,
        font: &Dictionary,
    ) -> Result<Option<Rc<ToUnicode>>, Unsupported> {
        let stream = match get(doc, font, b"ToUnicode")? {
            None => return Ok(None),
            Some(Object::Name(name)) if name == b"Identity-H" => return Ok(None),
            Some(Object::Stream(stream)) => stream,
            Some(_) => return Err("a ToUnicode entry that is neither a CMap nor Identity-H"),
        };
        let cmap = contents(stream);
        if let Some(map) = self.maps.get(&cmap) {
            return Ok(Some(Rc::clone(map)));
        }
        let map = Rc::new(parse_to_unicode(&cmap)?);
        self.maps.insert(cmap, Rc::clone(&map));
        Ok(Some(map))
    }
}

/// Reads a ToUnicode CMap as pdf-extract reads it, keeping the entries it
/// keeps: UTF-16BE text, without lone surrogates.
fn parse_to_unicode(cmap: &[u8]) -> Result<ToUnicode, Unsupported> {
    let raw = cmap::unicode_map(cmap).ok_or("a ToUnicode CMap that cannot be parsed")?;
    let mut map = Vec::with_capacity(raw.len());
    for (code, utf16be) in raw {
        if utf16be.len() % 2 != 0 {
            return Err("a ToUnicode entry of an odd number of bytes");
        }
        let units: Vec<u16> = utf16be
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        if let [unit] = units[..] {
            if (0xD800..=0xDFFF).contains(&unit) {
                continue;
            }
        }
        let text =
            String::from_utf16(&units).map_err(|_| "a ToUnicode entry that is not UTF-16")?;
        map.push((code, Rc::<str>::from(text)));
    }
    Ok(ByCode::new(map))
}

/// The widths of a CID font's `/W` array, read as pdf-extract reads it: a
/// `c [w1 w2 …]` entry gives widths from CID `c` on; a `c_first c_last w`
/// entry gives none (pdf-extract misreads it, and `fixup` has rewritten
/// them all).
fn widths(doc: &Document, cid_font: &Dictionary) -> Result<ByCode<f64>, Unsupported> {
    let mut widths = Vec::new();
    // pdf-extract follows a reference to the array and to each item, but
    // not to the numbers inside a `[w1 w2 …]`.
    let Ok(w) = cid_font.get(b"W") else {
        return Ok(ByCode::new(widths));
    };
    let Ok(items) = deref(doc, w)?.as_array() else {
        return Ok(ByCode::new(widths));
    };
    let items = items
        .iter()
        .map(|item| deref(doc, item))
        .collect::<Result<Vec<_>, _>>()?;
    let mut i = 0;
    while i < items.len() {
        let next = items.get(i + 1).ok_or("a /W array that ends early")?;
        let first = items[i]
            .as_i64()
            .map_err(|_| "a /W entry that does not start with an integer")?;
        if let Object::Array(run) = next {
            for (offset, width) in (0i64..).zip(run) {
                let cid = first
                    .checked_add(offset)
                    .ok_or("a /W entry beyond the range of CIDs")?;
                widths.push((
                    cid as u32,
                    number(width).ok_or("a /W width that is not a number")?,
                ));
            }
            i += 2;
        } else {
            i += 3;
        }
    }
    Ok(ByCode::new(widths))
}

/// True for the identity CMaps pdf-extract accepts as a Type0 encoding.
fn is_identity(name: &[u8]) -> bool {
    name == b"Identity-H" || name == b"Identity-V"
}

/// The name `dict[key]`, which must be there and be a name that
/// pdf-extract can turn into text.
fn name_of<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Result<&'a [u8], Unsupported> {
    let name = get(doc, dict, key)?
        .and_then(|o| o.as_name().ok())
        .ok_or("a font entry that should be a name and is not")?;
    // pdf-extract reads a name starting with a UTF-16 byte order mark as
    // UTF-16, and panics if it is not.
    if name.len() > 2 && name.starts_with(&[0xFE, 0xFF]) {
        return Err("a font name in UTF-16");
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_last_value_and_wide_codes_are_not_kept() {
        // A code beyond 16 bits is never looked up: it must not land on
        // the code its low bits name.
        let pairs = vec![(3, 250.0), (3, 300.0), (0x1_0003, 9.0), (7, 1.0)];
        let table = ByCode::new(pairs.clone());
        assert!(matches!(table, ByCode::Table(_)));
        // Codes far apart make a sorted list, read the same way.
        let mut sparse = pairs;
        sparse.extend([(0xFFFF, 2.0), (0x8000, 5.0), (0xFFFF, 4.0)]);
        let sorted = ByCode::new(sparse);
        assert!(matches!(sorted, ByCode::Sorted(_)), "{sorted:?}");
        for map in [&table, &sorted] {
            assert_eq!(map.get(3), Some(&300.0));
            assert_eq!(map.get(7), Some(&1.0));
            assert_eq!(map.get(2), None);
            assert_eq!(map.get(0x1_0003), None);
        }
        assert_eq!(sorted.get(0xFFFF), Some(&4.0));
        assert_eq!(sorted.get(0x8000), Some(&5.0));
        assert_eq!(table.get(0xFFFF), None);
    }
}
