//! Repairs fonts that pdf-extract gives up on, once a page has failed, so
//! that the page can be read again.
//!
//! These run only after a page failed: a document whose pages all read is
//! never changed here, so its text stays exactly as it was. Each repair
//! keeps what can be kept and says what it changed:
//!
//! - a ToUnicode CMap with a target that is not UTF-16 (a lone surrogate,
//!   an odd number of bytes), on which pdf-extract panics: the map is
//!   written again with each broken target decoded as far as it goes
//!   (U+FFFD for the broken units), every other entry as it was;
//! - a ToUnicode CMap that cannot be parsed, or a ToUnicode that is neither
//!   a stream nor `Identity-H`: removed, so the font's encoding decides;
//! - a simple font with a compact (CFF) font program and no `/Encoding`,
//!   whose program names a glyph without a Unicode name (pdf-extract then
//!   has neither map nor encoding for it), and a Type 3 font without
//!   `/Encoding`: given an empty encoding (PDFDocEncoding), as pdf-extract
//!   uses for fonts that have none.
//!
//! It does not decide whether a page is read or skipped: the reader does.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap;
use super::fixup::{visit, visit_mut};

/// Applies every repair to `doc`; returns a message for each font changed.
pub(super) fn apply(doc: &mut Document) -> Vec<String> {
    let mut messages = Vec::new();
    let (streams, descriptors) = survey(doc);
    let mut unreadable: HashSet<ObjectId> = HashSet::new();
    let mut given_encoding = Vec::new();
    for (id, font) in &streams {
        let Some(Object::Stream(stream)) = doc.objects.get_mut(id) else {
            unreadable.insert(*id);
            messages.push(format!(
                "font {font}: its ToUnicode map is missing or not a stream; its text is read \
                 from its encoding"
            ));
            continue;
        };
        let bytes = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        match repair_cmap(&bytes) {
            Repair::Fine => {}
            Repair::Rewritten {
                cmap,
                broken,
                first,
            } => {
                stream.set_plain_content(cmap);
                messages.push(format!(
                    "font {font}: its ToUnicode map gives {broken} code{} text that is not valid \
                     UTF-16 (first {first}); read with U+FFFD for the broken part",
                    if broken == 1 { "" } else { "s" }
                ));
            }
            Repair::Unreadable => {
                unreadable.insert(*id);
                messages.push(format!(
                    "font {font}: its ToUnicode map cannot be read; its text is read from its \
                     encoding"
                ));
            }
        }
    }
    for object in doc.objects.values_mut() {
        visit_mut(object, 0, &mut |dict| {
            if !is_font(dict) {
                return;
            }
            let drop_map = match dict.get(b"ToUnicode") {
                Ok(Object::Reference(id)) => unreadable.contains(id),
                Ok(Object::Stream(s)) => !matches!(
                    repair_cmap(&s.decompressed_content().unwrap_or_default()),
                    Repair::Fine
                ),
                Ok(Object::Name(n)) => n != b"Identity-H",
                Ok(_) => true,
                Err(_) => false,
            };
            if drop_map {
                if !matches!(dict.get(b"ToUnicode"), Ok(Object::Reference(_))) {
                    messages.push(format!(
                        "font {}: its ToUnicode map is not a CMap; its text is read from its \
                         encoding",
                        font_name(dict)
                    ));
                }
                dict.remove(b"ToUnicode");
            }
            if dict.get(b"Encoding").is_err() && needs_encoding(dict, &descriptors) {
                dict.set("Encoding", Object::Dictionary(Dictionary::new()));
                given_encoding.push(font_name(dict));
            }
        });
    }
    if !given_encoding.is_empty() {
        given_encoding.sort();
        given_encoding.dedup();
        let shown = given_encoding.len().min(3);
        messages.push(format!(
            "{} font{} without an encoding ({}{}) name glyphs that have no Unicode name; \
             codes without text were read as PDFDocEncoding",
            given_encoding.len(),
            if given_encoding.len() == 1 { "" } else { "s" },
            given_encoding[..shown].join(", "),
            if given_encoding.len() > shown {
                ", …"
            } else {
                ""
            }
        ));
    }
    messages
}

/// The ToUnicode streams fonts refer to (with a font's name for messages)
/// and the font descriptors whose font program is compact (CFF).
fn survey(doc: &Document) -> (BTreeMap<ObjectId, String>, BTreeSet<ObjectId>) {
    let mut streams = BTreeMap::new();
    let mut descriptors = BTreeSet::new();
    for (id, object) in &doc.objects {
        visit(object, 0, &mut |dict| {
            if is_font(dict) {
                if let Ok(Object::Reference(map)) = dict.get(b"ToUnicode") {
                    streams.entry(*map).or_insert_with(|| font_name(dict));
                }
            }
        });
        if let Ok(dict) = object.as_dict() {
            if dict.get(b"FontFile3").is_ok() && dict.get(b"FontFile").is_err() {
                descriptors.insert(*id);
            }
        }
    }
    (streams, descriptors)
}

fn is_font(dict: &Dictionary) -> bool {
    matches!(dict.get(b"Type").and_then(Object::as_name), Ok(b"Font"))
        || (dict.get(b"BaseFont").is_ok() && dict.get(b"Subtype").is_ok())
}

/// Whether pdf-extract would have neither a map nor an encoding for some
/// of this font's codes.
fn needs_encoding(font: &Dictionary, compact: &BTreeSet<ObjectId>) -> bool {
    match font.get(b"Subtype").and_then(Object::as_name) {
        Ok(b"Type3") => true,
        Ok(b"Type1" | b"MMType1") => matches!(
            font.get(b"FontDescriptor"),
            Ok(Object::Reference(id)) if compact.contains(id)
        ),
        _ => false,
    }
}

/// A font's name for messages: `/BaseFont`.
pub(super) fn font_name(dict: &Dictionary) -> String {
    match dict.get(b"BaseFont").and_then(Object::as_name) {
        Ok(name) => format!("/{}", String::from_utf8_lossy(name)),
        Err(_) => "(unnamed)".to_string(),
    }
}

/// What a ToUnicode CMap needs.
#[derive(Debug, PartialEq)]
enum Repair {
    /// Every target is UTF-16 pdf-extract accepts.
    Fine,
    /// Written again; `broken` targets were not UTF-16, the first of them
    /// as `<code> <target>`.
    Rewritten {
        cmap: Vec<u8>,
        broken: usize,
        first: String,
    },
    /// It does not parse at all.
    Unreadable,
}

/// Checks a ToUnicode CMap as pdf-extract reads it and writes a clean one
/// if any target would make it panic.
fn repair_cmap(bytes: &[u8]) -> Repair {
    let Some(map) = cmap::unicode_map(bytes) else {
        return Repair::Unreadable;
    };
    let sorted: BTreeMap<u32, &Vec<u8>> = map.iter().map(|(k, v)| (*k, v)).collect();
    let mut broken = Vec::new();
    let mut entries = Vec::with_capacity(sorted.len());
    for (&code, target) in &sorted {
        let units: Vec<u16> = target
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        // pdf-extract skips a lone surrogate on its own.
        if let [0xD800..=0xDFFF] = units[..] {
            if target.len() == 2 {
                continue;
            }
        }
        let valid = target.len() % 2 == 0 && String::from_utf16(&units).is_ok();
        if !valid {
            broken.push(format!("<{}> <{}>", hex(&code_bytes(code)), hex(target)));
        }
        let text = String::from_utf16_lossy(&units);
        let encoded: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        entries.push((code, encoded));
    }
    if broken.is_empty() {
        return Repair::Fine;
    }
    Repair::Rewritten {
        cmap: write_cmap(&entries),
        broken: broken.len(),
        first: broken.swap_remove(0),
    }
}

/// A code's bytes as a CMap writes it: two bytes at least.
fn code_bytes(code: u32) -> Vec<u8> {
    let bytes = code.to_be_bytes();
    let skip = bytes.iter().take(2).take_while(|&&b| b == 0).count();
    bytes[skip..].to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}

/// A ToUnicode CMap of `bfchar` entries (code → UTF-16BE).
pub(super) fn write_cmap(entries: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CMapName /Uppfoljning-Repaired def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (code, target) in chunk {
            let _ = writeln!(out, "<{}> <{}>", hex(&code_bytes(*code)), hex(target));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// A stream holding `cmap`.
    fn cmap_stream(cmap: &str) -> Stream {
        Stream::new(Dictionary::new(), cmap.as_bytes().to_vec())
    }

    const BROKEN: &str = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
        2 beginbfchar\n<41> <0041>\n<5C> <0079DC000079>\nendbfchar\nendcmap\nend\nend\n";

    #[test]
    fn a_target_that_is_not_utf16_is_mapped_as_far_as_it_goes() {
        let Repair::Rewritten {
            cmap,
            broken,
            first,
        } = repair_cmap(BROKEN.as_bytes())
        else {
            panic!("not repaired");
        };
        assert_eq!((broken, first.as_str()), (1, "<005C> <0079DC000079>"));
        let map = cmap::reference_unicode_map(&cmap).expect("the new map parses");
        assert_eq!(map[&0x41], vec![0, 0x41]);
        let text: Vec<u16> = map[&0x5C]
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        assert_eq!(String::from_utf16(&text).unwrap(), "y\u{FFFD}y");
        assert_eq!(repair_cmap(&cmap), Repair::Fine);
    }

    #[test]
    fn a_good_map_is_left_alone_and_a_font_without_a_program_keeps_no_encoding() {
        let good = BROKEN.replace("<0079DC000079>", "<00790079>");
        assert_eq!(repair_cmap(good.as_bytes()), Repair::Fine);
        let mut doc = Document::with_version("1.5");
        let map = doc.add_object(cmap_stream(&good));
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "ToUnicode" => map,
        });
        let before = doc.objects.clone();
        assert!(apply(&mut doc).is_empty());
        assert_eq!(doc.objects, before, "{font:?}");
    }

    #[test]
    fn fonts_are_repaired_and_named() {
        let mut doc = Document::with_version("1.5");
        let map = doc.add_object(cmap_stream(BROKEN));
        let program = doc.add_object(Stream::new(dictionary! {"Subtype" => "Type1C"}, vec![]));
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontFile3" => program,
        });
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "XYATIP",
            "FontDescriptor" => descriptor, "ToUnicode" => map,
        });
        let messages = apply(&mut doc);
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("/XYATIP") && messages[0].contains("UTF-16"));
        let font = doc.get_dictionary(font).unwrap();
        assert!(font.get(b"Encoding").unwrap().as_dict().is_ok());
    }
}
