//! Gives a ToUnicode map to CID fonts that have none, from the `cmap`
//! table of their embedded TrueType or OpenType program, as poppler does.
//!
//! A Type 0 font with an `Identity-H` (or `-V`) encoding and no ToUnicode
//! CMap says nothing about the text of its codes: each code is a glyph
//! number (through `/CIDToGIDMap`), and pdf-extract reads every glyph of it
//! as no text at all. The font program usually still holds the map from
//! Unicode to glyphs it was made with; read backwards, it gives each glyph
//! its character. Fonts that have a ToUnicode map are never touched, nor
//! are fonts whose program has no usable `cmap` (a bare CFF program).
//! This module does not decide which text is right when a glyph stands
//! for several characters: the lowest code point wins, as a ligature's
//! parts cannot be told from its program.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// More glyphs than a font can have (glyph ids are 16-bit).
const MAX_GLYPHS: usize = 1 << 16;

/// Adds a derived ToUnicode map to every Type 0 font that has none and
/// whose program allows it; returns the names of the fonts given one.
pub(super) fn derive_missing_maps(doc: &mut Document) -> Vec<String> {
    let mut wanted: Vec<(ObjectId, BTreeMap<u32, char>, String)> = Vec::new();
    for (&id, object) in &doc.objects {
        let Ok(font) = object.as_dict() else { continue };
        if !is_bare_identity_type0(font) {
            continue;
        }
        if let Some(map) = map_of(doc, font) {
            wanted.push((id, map, super::rescue::font_name(font)));
        }
    }
    let mut named = Vec::new();
    for (font_id, map, name) in wanted {
        let entries: Vec<(u32, Vec<u8>)> = map
            .into_iter()
            .map(|(cid, c)| {
                let mut units = [0u16; 2];
                let bytes = c
                    .encode_utf16(&mut units)
                    .iter()
                    .flat_map(|u| u.to_be_bytes())
                    .collect();
                (cid, bytes)
            })
            .collect();
        let cmap = super::rescue::write_cmap(&entries);
        let map_id = doc.add_object(Stream::new(Dictionary::new(), cmap));
        if let Ok(font) = doc.get_object_mut(font_id).and_then(Object::as_dict_mut) {
            font.set("ToUnicode", Object::Reference(map_id));
            named.push(name);
        }
    }
    named
}

/// A top-level Type 0 font with an identity encoding and no ToUnicode.
fn is_bare_identity_type0(font: &Dictionary) -> bool {
    matches!(font.get(b"Subtype").and_then(Object::as_name), Ok(b"Type0"))
        && font.get(b"ToUnicode").is_err()
        && matches!(
            font.get(b"Encoding").and_then(Object::as_name),
            Ok(b"Identity-H" | b"Identity-V")
        )
}

/// CID → character for `font`, from its descendant's embedded program.
fn map_of(doc: &Document, font: &Dictionary) -> Option<BTreeMap<u32, char>> {
    let descendants = deref(doc, font.get(b"DescendantFonts").ok()?)?
        .as_array()
        .ok()?;
    let cid_font = deref(doc, descendants.first()?)?.as_dict().ok()?;
    let descriptor = deref(doc, cid_font.get(b"FontDescriptor").ok()?)?
        .as_dict()
        .ok()?;
    let program = [b"FontFile2".as_slice(), b"FontFile3"]
        .iter()
        .find_map(|key| deref(doc, descriptor.get(key).ok()?)?.as_stream().ok())?;
    let bytes = program
        .decompressed_content()
        .unwrap_or_else(|_| program.content.clone());
    let by_glyph = glyph_chars(&bytes)?;
    let mut out = BTreeMap::new();
    match cid_font
        .get(b"CIDToGIDMap")
        .ok()
        .and_then(|o| deref(doc, o))
    {
        Some(Object::Stream(s)) => {
            let table = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            for (cid, pair) in table.chunks_exact(2).enumerate().take(MAX_GLYPHS) {
                let gid = u16::from_be_bytes([pair[0], pair[1]]);
                if let Some(&c) = by_glyph.get(&gid) {
                    out.insert(cid as u32, c);
                }
            }
        }
        // Identity, or absent (which means identity for TrueType).
        _ => out.extend(by_glyph.iter().map(|(&gid, &c)| (u32::from(gid), c))),
    }
    (!out.is_empty()).then_some(out)
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

/// Glyph → character, from a TrueType/OpenType program's Unicode `cmap`
/// subtable (format 4 or 12), the lowest character winning for a glyph.
fn glyph_chars(font: &[u8]) -> Option<BTreeMap<u16, char>> {
    let cmap = table(font, b"cmap")?;
    let count = usize::from(u16_at(cmap, 2)?);
    let mut best: Option<(u8, usize)> = None;
    for i in 0..count {
        let rec = 4 + i * 8;
        let (platform, encoding) = (u16_at(cmap, rec)?, u16_at(cmap, rec + 2)?);
        let offset = u32_at(cmap, rec + 4)? as usize;
        let format = u16_at(cmap, offset)?;
        // Prefer full Unicode (format 12), then the BMP (format 4).
        let rank = match (platform, encoding, format) {
            (3, 10, 12) | (0, _, 12) => 2,
            (3, 1, 4) | (0, _, 4) => 1,
            _ => continue,
        };
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, offset));
        }
    }
    let (_, offset) = best?;
    let sub = cmap.get(offset..)?;
    let mut out = BTreeMap::new();
    let mut add = |c: u32, gid: u32| {
        if gid == 0 || gid > u32::from(u16::MAX) {
            return;
        }
        let Some(ch) = char::from_u32(c) else { return };
        if ch.is_control() {
            return;
        }
        out.entry(gid as u16)
            .and_modify(|old: &mut char| *old = (*old).min(ch))
            .or_insert(ch);
    };
    match u16_at(sub, 0)? {
        4 => {
            let segments = usize::from(u16_at(sub, 6)? / 2);
            let ends = 14;
            let starts = ends + 2 * segments + 2;
            let deltas = starts + 2 * segments;
            let ranges = deltas + 2 * segments;
            for s in 0..segments {
                let end = u16_at(sub, ends + 2 * s)?;
                let start = u16_at(sub, starts + 2 * s)?;
                let delta = u16_at(sub, deltas + 2 * s)?;
                let range = u16_at(sub, ranges + 2 * s)?;
                if start > end {
                    continue;
                }
                for c in start..=end {
                    if c == 0xFFFF {
                        break;
                    }
                    let gid = if range == 0 {
                        c.wrapping_add(delta)
                    } else {
                        let at = ranges + 2 * s + usize::from(range) + 2 * usize::from(c - start);
                        match u16_at(sub, at) {
                            Some(0) | None => continue,
                            Some(g) => g.wrapping_add(delta),
                        }
                    };
                    add(u32::from(c), u32::from(gid));
                }
            }
        }
        12 => {
            let groups = u32_at(sub, 12)? as usize;
            let mut total = 0usize;
            for g in 0..groups {
                let at = 16 + 12 * g;
                let (start, end, glyph) =
                    (u32_at(sub, at)?, u32_at(sub, at + 4)?, u32_at(sub, at + 8)?);
                if start > end {
                    continue;
                }
                total += (end - start) as usize + 1;
                if total > 4 * MAX_GLYPHS {
                    break;
                }
                for c in start..=end {
                    add(c, glyph.saturating_add(c - start));
                }
            }
        }
        _ => return None,
    }
    (!out.is_empty()).then_some(out)
}

/// The bytes of table `tag` in an sfnt (TrueType/OpenType) program.
fn table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(u16_at(font, 4)?);
    (0..count).find_map(|i| {
        let rec = 12 + 16 * i;
        if font.get(rec..rec + 4)? != tag {
            return None;
        }
        let offset = u32_at(font, rec + 8)? as usize;
        let len = u32_at(font, rec + 12)? as usize;
        font.get(offset..offset.checked_add(len)?)
    })
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An sfnt with only a `cmap` table holding `subtable` for (3, 1).
    fn sfnt(subtable: &[u8]) -> Vec<u8> {
        let mut cmap = vec![0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12];
        cmap.extend_from_slice(subtable);
        let mut font = vec![0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        font.extend_from_slice(b"cmap");
        font.extend_from_slice(&[0, 0, 0, 0]);
        font.extend_from_slice(&28u32.to_be_bytes());
        font.extend_from_slice(&(cmap.len() as u32).to_be_bytes());
        font.extend_from_slice(&cmap);
        font
    }

    #[test]
    fn a_format_4_map_is_read_backwards() {
        // Two segments: 'A'..='C' → glyphs 5..=7 (by delta), and the end.
        let words: [u16; 15] = [
            4,
            32,
            0,
            4,
            2,
            0,
            0, // format, length, language, segCountX2, …
            0x43,
            0xFFFF,
            0, // end codes, reserved pad
            0x41,
            0xFFFF, // start codes
            (5u16).wrapping_sub(0x41),
            1, // deltas
            0, // range offsets…
        ];
        let mut sub: Vec<u8> = words.iter().flat_map(|w| w.to_be_bytes()).collect();
        sub.extend_from_slice(&[0, 0]);
        let map = glyph_chars(&sfnt(&sub)).unwrap();
        assert_eq!(map.get(&5), Some(&'A'));
        assert_eq!(map.get(&7), Some(&'C'));
        assert_eq!(map.len(), 3, "{map:?}");
    }

    #[test]
    fn junk_is_no_map() {
        assert_eq!(glyph_chars(b""), None);
        assert_eq!(glyph_chars(&[0u8; 64]), None);
        assert_eq!(glyph_chars(&sfnt(&[0, 4, 0xFF, 0xFF])), None);
    }
}
