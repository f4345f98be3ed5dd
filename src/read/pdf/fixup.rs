//! Rewrites parts of a loaded PDF that pdf-extract reads wrongly or slowly,
//! before any text is extracted.
//!
//! Owns only changes to the in-memory lopdf `Document`; the file on disk is
//! never touched. Each fix is small and says which defect it works around.
//! It does not extract text or judge the document.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::content::{self as ops, Value};

/// Deeper nesting of direct objects than this is not searched for fonts.
const MAX_DEPTH: usize = 32;
/// CIDs are 16-bit, so the ranges of one `/W` never expand to more widths
/// than this; the cap keeps a hostile file from exhausting memory.
const MAX_RANGE: i64 = 65_536;

/// What the fixes changed, for tests and diagnostics, and what they read
/// that the reader needs too.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Fixes {
    /// CID fonts whose `/W` (or `/DW`) was rewritten.
    pub fonts: usize,
    /// Identity ToUnicode CMaps cut down to the codes the text uses.
    pub cmaps: usize,
    /// Image XObjects replaced by empty forms.
    pub images: usize,
    /// Pages given their inherited `/Resources` or `/MediaBox` directly.
    pub pages: usize,
    /// Streams decoded because lopdf cannot undo their filters.
    pub filters: usize,
    /// Fonts given a ToUnicode map derived from their program, by name.
    pub derived: Vec<String>,
    /// The decoded content of each page, by page id, where the CMap cut
    /// decoded it (and no CMap it rewrote is part of it), so that the
    /// reader need not decode it again.
    pub contents: HashMap<ObjectId, Vec<u8>>,
}

/// Applies every fix to `doc`.
pub(super) fn apply(doc: &mut Document) -> Fixes {
    let fonts = expand_cid_widths(doc);
    // Images first: the CMap search decodes every small stream, and an
    // image's pixels are not worth inflating.
    let images = drop_images(doc);
    // Before anything decodes a stream: lopdf would hand those over still
    // encoded.
    let filters = super::filters::decode_unsupported(doc);
    let (cmaps, contents) = shrink_identity_cmaps(doc);
    let derived = super::derive::derive_missing_maps(doc);
    Fixes {
        fonts,
        cmaps,
        images,
        pages: pin_inherited(doc),
        filters,
        derived,
        contents,
    }
}

/// Rewrites the `/W` array of every CID font into the explicit form.
///
/// `/W` lists glyph widths either as `c [w1 w2 …]` or as a range
/// `c_first c_last w`. pdf-extract 0.12.1 misreads the range form (it reads
/// all three values from the first element) and then falls back to `/DW`,
/// often 0 in Chromium/Skia output, so glyphs lose their width and words
/// fall apart. After this every entry is `c [w …]`, with references resolved
/// and numbers of the types pdf-extract expects. Returns the number of fonts
/// rewritten.
fn expand_cid_widths(doc: &mut Document) -> usize {
    // Resolve the references inside `/W` arrays first: the rewrite below
    // walks the objects mutably and cannot look other objects up.
    let mut resolved = HashMap::new();
    for object in doc.objects.values() {
        visit(object, 0, &mut |dict| {
            if is_cid_font(dict) {
                collect_width_refs(doc, dict, &mut resolved);
            }
        });
    }
    let mut count = 0;
    for object in doc.objects.values_mut() {
        visit_mut(object, 0, &mut |dict| {
            if is_cid_font(dict) && rewrite_widths(dict, &resolved) {
                count += 1;
            }
        });
    }
    count
}

fn is_cid_font(dict: &Dictionary) -> bool {
    matches!(
        dict.get(b"Subtype").and_then(Object::as_name),
        Ok(b"CIDFontType0" | b"CIDFontType2")
    )
}

/// Records, for `dict`'s `/W`, the objects its references point to.
fn collect_width_refs(doc: &Document, dict: &Dictionary, out: &mut HashMap<ObjectId, Object>) {
    let Ok(w) = dict.get(b"W") else { return };
    let mut remember = |object: &Object| {
        if let Object::Reference(id) = object {
            if let Ok((_, target)) = doc.dereference(object) {
                out.insert(*id, target.clone());
            }
        }
    };
    remember(w);
    if let Ok((_, Object::Array(items))) = doc.dereference(w) {
        for item in items {
            remember(item);
            if let Object::Array(inner) = item {
                inner.iter().for_each(&mut remember);
            }
        }
    }
}

/// Replaces `dict`'s `/W` by its explicit form and `/DW` by an integer.
/// Returns whether anything changed.
fn rewrite_widths(dict: &mut Dictionary, resolved: &HashMap<ObjectId, Object>) -> bool {
    let mut changed = false;
    if let Ok(dw) = dict.get(b"DW").map(|o| number(resolve(o, resolved))) {
        // pdf-extract reads /DW as an integer and panics on a real.
        let dw = dw.map_or(1000, |v| v.round() as i64);
        if !matches!(dict.get(b"DW"), Ok(Object::Integer(v)) if *v == dw) {
            dict.set("DW", Object::Integer(dw));
            changed = true;
        }
    }
    let Ok(w) = dict.get(b"W") else {
        return changed;
    };
    let items = match resolve(w, resolved) {
        Object::Array(items) => items.clone(),
        // Not an array at all: pdf-extract would panic on it; without /W it
        // uses /DW for every glyph.
        _ => {
            dict.remove(b"W");
            return true;
        }
    };
    let expanded = expand(&items, resolved);
    dict.set("W", Object::Array(expanded));
    true
}

/// The explicit form of a `/W` array: `c [w …]` pairs only. A malformed tail
/// is dropped (those glyphs then get `/DW`).
fn expand(items: &[Object], resolved: &HashMap<ObjectId, Object>) -> Vec<Object> {
    let width = |o: &Object| Object::Real(number(resolve(o, resolved)).unwrap_or(0.0) as f32);
    let mut out = Vec::new();
    let mut budget = MAX_RANGE;
    let mut i = 0;
    while let Some(first) = items.get(i).and_then(|o| integer(resolve(o, resolved))) {
        match items.get(i + 1).map(|o| resolve(o, resolved)) {
            Some(Object::Array(widths)) => {
                out.push(Object::Integer(first));
                out.push(Object::Array(widths.iter().map(width).collect()));
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(w)) = (
                    integer(last),
                    items.get(i + 2).map(|o| resolve(o, resolved)),
                ) else {
                    break;
                };
                // The range is inclusive of c_last.
                let n = last
                    .saturating_sub(first)
                    .saturating_add(1)
                    .clamp(0, budget);
                budget -= n;
                if n > 0 {
                    out.push(Object::Integer(first));
                    out.push(Object::Array(vec![width(w); n as usize]));
                }
                i += 3;
            }
            None => break,
        }
    }
    out
}

fn resolve<'a>(object: &'a Object, resolved: &'a HashMap<ObjectId, Object>) -> &'a Object {
    match object {
        Object::Reference(id) => resolved.get(id).unwrap_or(object),
        other => other,
    }
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(v) => Some(*v as f64),
        Object::Real(v) => Some(f64::from(*v)),
        _ => None,
    }
}

fn integer(object: &Object) -> Option<i64> {
    number(object)
        .filter(|v| v.is_finite())
        .map(|v| v.round() as i64)
}

/// Cuts ToUnicode CMaps that map every 2-byte code to itself
/// (`<0000> <FFFF> <0000>`, as in tesseract's `GlyphLessFont`) down to the
/// codes the document's text actually shows.
///
/// pdf-extract expands such a range into a 65,536-entry table for every page
/// again, about 35 ms a page; the cut map decodes the same text. Returns the
/// number of CMaps rewritten.
fn shrink_identity_cmaps(doc: &mut Document) -> (usize, HashMap<ObjectId, Vec<u8>>) {
    let targets: Vec<ObjectId> = cmap_streams(doc)
        .into_iter()
        .filter(|id| matches!(doc.objects.get(id), Some(Object::Stream(s)) if is_identity_cmap(s)))
        .collect();
    if targets.is_empty() {
        return (0, HashMap::new());
    }
    let mut pages: HashMap<ObjectId, Vec<u8>> = doc
        .page_iter()
        .filter_map(|id| Some((id, doc.get_page_content(id).ok()?)))
        .collect();
    let codes = shown_codes(doc, pages.values());
    let cmap = identity_cmap(&codes);
    for id in &targets {
        let dict = match doc.objects.get(id) {
            Some(Object::Stream(s)) => {
                let mut dict = s.dict.clone();
                dict.remove(b"Filter");
                dict.remove(b"DecodeParms");
                dict
            }
            _ => continue,
        };
        doc.objects.insert(
            *id,
            Object::Stream(Stream::new(dict, cmap.clone().into_bytes())),
        );
    }
    // A page drawn by a stream that was also a CMap (no sane PDF has one)
    // must be read as it is now.
    pages.retain(|&id, _| {
        !doc.get_page_contents(id)
            .iter()
            .any(|s| targets.contains(s))
    });
    (targets.len(), pages)
}

/// The streams a dictionary names as a `/ToUnicode` or `/Encoding` CMap,
/// the only places pdf-extract reads a CMap from.
///
/// Only these are worth decoding to test for an identity map: a scanned
/// page also holds compressed streams of other kinds (tesseract's
/// `/CIDToGIDMap` inflates to 128 KiB), and inflating every small stream
/// cost more than the rest of the fixes together.
fn cmap_streams(doc: &Document) -> BTreeSet<ObjectId> {
    let mut ids = BTreeSet::new();
    for object in doc.objects.values() {
        visit(object, 0, &mut |dict| {
            for key in [&b"ToUnicode"[..], b"Encoding"] {
                if let Ok(Object::Reference(id)) = dict.get(key) {
                    ids.insert(*id);
                }
            }
        });
    }
    ids
}

/// True for a CMap whose only mapping is `<0000> <FFFF> <0000>`.
fn is_identity_cmap(stream: &Stream) -> bool {
    // Cheap test first: CMaps are small, image and page streams are not.
    if stream.content.len() > 64 * 1024 {
        return false;
    }
    let data = if stream.dict.has(b"Filter") {
        match stream.decompressed_content() {
            Ok(data) => data,
            Err(_) => return false,
        }
    } else {
        stream.content.clone()
    };
    let Ok(text) = std::str::from_utf8(&data) else {
        return false;
    };
    if !text.contains("begincmap") || text.contains("bfchar") {
        return false;
    }
    let mut ranges = text.split("beginbfrange").skip(1);
    let (Some(range), None) = (ranges.next(), ranges.next()) else {
        return false;
    };
    let body = range.split("endbfrange").next().unwrap_or("");
    let tokens: Vec<String> = body
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    tokens == ["<0000>", "<FFFF>", "<0000>"]
}

/// Every 2-byte code in every string shown on any page or form, read as
/// big-endian pairs. Strings of 1-byte fonts add codes that are never looked
/// up, which is harmless.
fn shown_codes<'a>(doc: &Document, pages: impl Iterator<Item = &'a Vec<u8>>) -> CodeSet {
    let mut forms: Vec<Vec<u8>> = Vec::new();
    for object in doc.objects.values() {
        if let Object::Stream(s) = object {
            if matches!(
                s.dict.get(b"Subtype").and_then(Object::as_name),
                Ok(b"Form")
            ) {
                forms.push(
                    s.decompressed_content()
                        .unwrap_or_else(|_| s.content.clone()),
                );
            }
        }
    }
    let mut codes = CodeSet::default();
    let mut scratch = Vec::new();
    for content in pages {
        add_shown(content, &mut codes, &mut scratch);
    }
    for content in &forms {
        add_shown(content, &mut codes, &mut scratch);
    }
    codes
}

/// Adds to `codes` the 2-byte codes of every string `content` shows.
fn add_shown(content: &[u8], codes: &mut CodeSet, scratch: &mut Vec<u8>) {
    let mut add = |bytes: &[u8]| {
        for pair in bytes.chunks_exact(2) {
            codes.insert(u16::from_be_bytes([pair[0], pair[1]]));
        }
    };
    let mut decoded = None;
    let Ok(ops) = ops::read(content, &mut decoded) else {
        return;
    };
    for (operator, operands) in ops.iter() {
        if !matches!(operator, b"Tj" | b"TJ" | b"'" | b"\"") {
            continue;
        }
        match operands.last() {
            Some(Value::String(s)) => add(s.bytes(scratch)),
            Some(Value::Array(items)) => items.iter().for_each(|item| {
                if let Value::String(s) = item {
                    add(s.bytes(scratch));
                }
            }),
            _ => {}
        }
    }
}

/// A set of 2-byte codes: one bit per code, as every glyph of a scanned
/// page adds one (a tree set cost more than reading the content).
struct CodeSet(Vec<u64>);

impl Default for CodeSet {
    fn default() -> CodeSet {
        CodeSet(vec![0; 1 << 10])
    }
}

impl CodeSet {
    fn insert(&mut self, code: u16) {
        self.0[usize::from(code >> 6)] |= 1 << (code & 63);
    }

    /// The codes in ascending order.
    fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        let words = (0u16..).zip(&self.0).filter(|(_, &bits)| bits != 0);
        words.flat_map(|(word, &bits)| {
            (0..64u16)
                .filter(move |bit| bits >> bit & 1 == 1)
                .map(move |bit| word << 6 | bit)
        })
    }
}

/// A ToUnicode CMap mapping each of `codes` to itself. Surrogates are left
/// out: alone they are no text.
fn identity_cmap(codes: &CodeSet) -> String {
    let codes: Vec<u16> = codes
        .iter()
        .filter(|c| !(0xD800..=0xDFFF).contains(c))
        .collect();
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // The CMap format allows at most 100 entries per block.
    for block in codes.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for c in block {
            let _ = writeln!(out, "<{c:04X}> <{c:04X}>");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// Replaces every image XObject by an empty form XObject.
///
/// pdf-extract runs `Do` on any XObject as if it were a form, so it would
/// parse image data as page content (and panic on it). Text extraction needs
/// no pixels, and dropping them also frees the memory they hold. Returns the
/// number of images replaced.
fn drop_images(doc: &mut Document) -> usize {
    let mut count = 0;
    for object in doc.objects.values_mut() {
        let is_image = match object {
            Object::Stream(s) => {
                matches!(
                    s.dict.get(b"Subtype").and_then(Object::as_name),
                    Ok(b"Image")
                )
            }
            _ => false,
        };
        if is_image {
            let mut dict = Dictionary::new();
            dict.set("Type", Object::Name(b"XObject".to_vec()));
            dict.set("Subtype", Object::Name(b"Form".to_vec()));
            dict.set(
                "BBox",
                Object::Array(vec![0.into(), 0.into(), 0.into(), 0.into()]),
            );
            *object = Object::Stream(Stream::new(dict, Vec::new()));
            count += 1;
        }
    }
    count
}

/// Copies `/Resources` and `/MediaBox` that pages inherit from the page tree
/// onto the pages themselves (an empty `/Resources` where there is none).
///
/// pdf-extract looks inherited attributes up recursively without a depth
/// limit, so a page tree whose `/Parent` links form a loop would overflow
/// the stack; with the values on the page it never walks up. Returns the
/// number of pages changed.
fn pin_inherited(doc: &mut Document) -> usize {
    let mut pinned = Vec::new();
    for id in doc.page_iter() {
        let Ok(page) = doc.get_dictionary(id) else {
            continue;
        };
        let mut values = Vec::new();
        for key in [&b"Resources"[..], b"MediaBox"] {
            if page.has(key) {
                continue;
            }
            match (super::inherited(doc, page, key), key) {
                (Some(value), _) => values.push((key, value.clone())),
                (None, b"Resources") => values.push((key, Object::Dictionary(Dictionary::new()))),
                // No MediaBox anywhere: the reader reports it before
                // pdf-extract runs.
                (None, _) => {}
            }
        }
        if !values.is_empty() {
            pinned.push((id, values));
        }
    }
    let count = pinned.len();
    for (id, values) in pinned {
        if let Ok(page) = doc.get_dictionary_mut(id) {
            for (key, value) in values {
                page.set(key, value);
            }
        }
    }
    count
}

/// Calls `f` on every dictionary in `object`, including nested direct ones
/// and stream dictionaries.
pub(super) fn visit(object: &Object, depth: usize, f: &mut impl FnMut(&Dictionary)) {
    if depth > MAX_DEPTH {
        return;
    }
    match object {
        Object::Dictionary(dict) => {
            f(dict);
            dict.iter().for_each(|(_, v)| visit(v, depth + 1, f));
        }
        Object::Stream(stream) => {
            f(&stream.dict);
            stream.dict.iter().for_each(|(_, v)| visit(v, depth + 1, f));
        }
        Object::Array(items) => items.iter().for_each(|v| visit(v, depth + 1, f)),
        _ => {}
    }
}

/// [`visit`] with mutable access.
pub(super) fn visit_mut(object: &mut Object, depth: usize, f: &mut impl FnMut(&mut Dictionary)) {
    if depth > MAX_DEPTH {
        return;
    }
    let dict = match object {
        Object::Dictionary(dict) => dict,
        Object::Stream(stream) => &mut stream.dict,
        Object::Array(items) => {
            items.iter_mut().for_each(|v| visit_mut(v, depth + 1, f));
            return;
        }
        _ => return,
    };
    f(dict);
    dict.iter_mut()
        .for_each(|(_, v)| visit_mut(v, depth + 1, f));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(values: &[i64]) -> Vec<Object> {
        values.iter().map(|v| Object::Integer(*v)).collect()
    }

    fn widths_of(object: &Object) -> Vec<f32> {
        match object {
            Object::Array(items) => items
                .iter()
                .map(|o| number(o).unwrap_or(-1.0) as f32)
                .collect(),
            _ => panic!("not an array: {object:?}"),
        }
    }

    #[test]
    fn range_entries_become_explicit_arrays() {
        // 3 17 317.87 is a range; 29 [336.9] is already explicit.
        let items = vec![
            Object::Integer(3),
            Object::Integer(5),
            Object::Real(317.87),
            Object::Integer(29),
            Object::Array(vec![Object::Real(336.9), Object::Integer(500)]),
        ];
        let out = expand(&items, &HashMap::new());
        assert_eq!(out.len(), 4);
        assert_eq!(out[0], Object::Integer(3));
        assert_eq!(widths_of(&out[1]), vec![317.87; 3]);
        assert_eq!(out[2], Object::Integer(29));
        assert_eq!(widths_of(&out[3]), vec![336.9, 500.0]);
    }

    #[test]
    fn malformed_width_tails_are_dropped_not_panicked_on() {
        let out = expand(&ints(&[1, 2]), &HashMap::new());
        assert!(out.is_empty());
        let out = expand(&ints(&[10, 5, 300]), &HashMap::new());
        assert!(out.is_empty(), "an empty range adds nothing");
        let huge = expand(&ints(&[0, i64::MAX, 300]), &HashMap::new());
        assert_eq!(widths_of(&huge[1]).len(), MAX_RANGE as usize);
        let many = expand(&ints(&[0, 65_535, 300].repeat(100)), &HashMap::new());
        let total: usize = many
            .iter()
            .skip(1)
            .step_by(2)
            .map(|w| widths_of(w).len())
            .sum();
        assert_eq!(total, MAX_RANGE as usize, "all ranges share one cap");
    }

    #[test]
    fn widths_in_referenced_arrays_are_resolved() {
        let mut doc = Document::with_version("1.7");
        let w = doc.add_object(Object::Array(ints(&[1, 3, 250])));
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        font.set("W", Object::Reference(w));
        font.set("DW", Object::Real(500.0));
        let font = doc.add_object(font);
        assert_eq!(expand_cid_widths(&mut doc), 1);
        let dict = doc.get_dictionary(font).unwrap();
        assert_eq!(dict.get(b"DW").unwrap(), &Object::Integer(500));
        let w = dict.get(b"W").unwrap().as_array().unwrap();
        assert_eq!(w[0], Object::Integer(1));
        assert_eq!(widths_of(&w[1]), vec![250.0; 3]);
    }

    #[test]
    fn identity_cmaps_shrink_to_the_codes_shown() {
        let mut doc = Document::with_version("1.7");
        let cmap = "/CIDInit /ProcSet findresource begin begincmap 1 begincodespacerange \
                    <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> \
                    endbfrange endcmap end";
        let cmap_bytes = cmap.as_bytes().to_vec();
        let cmap = doc.add_object(Stream::new(Dictionary::new(), cmap_bytes.clone()));
        // The same CMap that no font names: nothing reads it, so it stays.
        let unnamed_id = doc.add_object(Stream::new(Dictionary::new(), cmap_bytes.clone()));
        let unnamed = unnamed_id;
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set("ToUnicode", Object::Reference(cmap));
        let font_id = doc.add_object(font);
        let content_bytes = b"BT [<00E5 0072>] TJ <0041> Tj ET".to_vec();
        let content = doc.add_object(Stream::new(Dictionary::new(), content_bytes.clone()));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Contents", Object::Reference(content));
        let page = doc.add_object(page);
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Kids", Object::Array(vec![Object::Reference(page)]));
        pages.set("Count", Object::Integer(1));
        let pages = doc.add_object(pages);
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages));
        let catalog = doc.add_object(catalog);
        doc.trailer.set("Root", Object::Reference(catalog));

        let (cmaps, contents) = shrink_identity_cmaps(&mut doc);
        assert_eq!(cmaps, 1);
        assert_eq!(
            contents.get(&page),
            doc.get_page_content(page).ok().as_ref()
        );
        assert!(contents[&page].starts_with(&content_bytes));
        let stream = doc.get_object(cmap).unwrap().as_stream().unwrap();
        let text = String::from_utf8(stream.content.clone()).unwrap();
        assert!(
            text.contains("3 beginbfchar\n<0041> <0041>\n<0072> <0072>\n<00E5> <00E5>\n"),
            "{text}"
        );
        assert!(!is_identity_cmap(stream), "not rewritten twice");
        let unnamed = doc.get_object(unnamed).unwrap().as_stream().unwrap();
        assert_eq!(unnamed.content, cmap_bytes);

        // A page drawn by the CMap itself reads its rewritten content.
        doc.get_dictionary_mut(page)
            .unwrap()
            .set("Contents", Object::Reference(unnamed_id));
        doc.get_dictionary_mut(font_id)
            .unwrap()
            .set("ToUnicode", Object::Reference(unnamed_id));
        let (cmaps, contents) = shrink_identity_cmaps(&mut doc);
        assert_eq!(cmaps, 1);
        assert!(contents.is_empty(), "{contents:?}");
    }

    #[test]
    fn images_become_empty_forms() {
        let mut doc = Document::with_version("1.7");
        let mut dict = Dictionary::new();
        dict.set("Subtype", Object::Name(b"Image".to_vec()));
        let image = doc.add_object(Stream::new(dict, vec![0xff; 100]));
        assert_eq!(drop_images(&mut doc), 1);
        let stream = doc.get_object(image).unwrap().as_stream().unwrap();
        assert_eq!(
            stream.dict.get(b"Subtype").unwrap().as_name().unwrap(),
            b"Form"
        );
        assert!(stream.content.is_empty());
    }
}
