//! A fast path of our own for a page's glyphs, giving exactly what
//! pdf-extract gives.
//!
//! pdf-extract parses every content stream with lopdf's object parser and
//! parses every font again on every page; on the corpus that was most of
//! the time spent reading PDFs. [`page_glyphs`] interprets the page with
//! the fast content reader (`content`) and fonts parsed once per document
//! (`fonts`), and keeps the text state exactly as pdf-extract 0.12.1 keeps
//! it, quirks included, so that the glyphs are the same to the last bit:
//!
//! - the text line matrix is not saved by `q`/`Q`, only the text matrix;
//! - `'` and `"` show nothing, and word spacing never applies (the fonts
//!   supported have 2-byte codes);
//! - a form XObject starts from a fresh graphics state, without the
//!   caller's CTM or its own `/Matrix`;
//! - fonts are looked up by resource name once per page, forms included.
//!
//! Whatever it does not support (other fonts, named colour spaces), and
//! whatever pdf-extract would panic on, is [`Unsupported`]: the caller then
//! reads the whole page with pdf-extract, so every page reads as before.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::{self, Ops, Str, Value};
use super::fonts::{Font, Fonts};
use super::layout::Glyph;
use super::matrix::Matrix;
use super::objects::{self, Unsupported};

/// Forms nested deeper than this are left to pdf-extract.
const MAX_FORM_DEPTH: usize = 24;
/// More glyphs than this are not reserved room for in advance: a page's
/// strings may be in a font the fast path leaves to pdf-extract.
const MAX_EXPECTED: usize = 1 << 16;

/// The glyphs of page `page_id`, whose content stream reads as `ops`, as
/// pdf-extract's `output_doc_page` would report them, or why the page must
/// be read by pdf-extract. `expected` is about how many glyphs the page
/// shows, to size the list (a hint, capped at [`MAX_EXPECTED`]).
pub(super) fn page_glyphs(
    doc: &Document,
    page_id: ObjectId,
    ops: &Ops,
    fonts: &mut Fonts,
    expected: usize,
) -> Result<Vec<Glyph>, Unsupported> {
    let page = doc
        .get_object(page_id)
        .ok()
        .and_then(|o| o.as_dict().ok())
        .ok_or("a page that is not a dictionary")?;
    let resources = objects::get(doc, page, b"Resources")?
        .and_then(|o| o.as_dict().ok())
        .ok_or("a page without its own /Resources dictionary")?;
    check_boxes(doc, page)?;
    let mut reader = Reader {
        doc,
        fonts,
        page_fonts: HashMap::new(),
        glyphs: Vec::with_capacity(expected.min(MAX_EXPECTED)),
        scratch: Vec::new(),
    };
    reader.run(ops, resources, 0)?;
    Ok(reader.glyphs)
}

/// Refuses a page whose `/MediaBox` or `/ArtBox` pdf-extract would panic on
/// (it reads four numbers from each, and walks up the page tree for a
/// MediaBox the page lacks; `fixup` has put one on every page).
fn check_boxes(doc: &Document, page: &Dictionary) -> Result<(), Unsupported> {
    let numbers = |object: Option<&Object>| match object.map(Object::as_array) {
        Some(Ok(items)) => items.len() >= 4 && items.iter().all(|i| objects::number(i).is_some()),
        _ => false,
    };
    if !numbers(objects::get(doc, page, b"MediaBox")?) {
        return Err("a page without a MediaBox of its own");
    }
    match objects::get(doc, page, b"ArtBox")? {
        Some(art) if art.as_array().is_ok() && !numbers(Some(art)) => {
            Err("an ArtBox that is not four numbers")
        }
        _ => Ok(()),
    }
}

/// The text state (PDF 32000 §9.3), as pdf-extract keeps it.
#[derive(Debug, Clone)]
struct TextState {
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    /// Horizontal scaling as a fraction (`Tz` / 100).
    scale: f64,
    leading: f64,
    rise: f64,
    /// The text matrix.
    tm: Matrix,
}

/// The parts of the graphics state that place text.
#[derive(Debug, Clone)]
struct GraphicsState {
    ctm: Matrix,
    text: TextState,
}

impl GraphicsState {
    fn new() -> GraphicsState {
        GraphicsState {
            ctm: Matrix::IDENTITY,
            text: TextState {
                font: None,
                size: f64::NAN,
                char_spacing: 0.0,
                scale: 1.0,
                leading: 0.0,
                rise: 0.0,
                tm: Matrix::IDENTITY,
            },
        }
    }
}

/// How the current path ends, which decides whether `v` has a current
/// point to start from (pdf-extract panics when it has none).
#[derive(Debug, Clone, Copy, PartialEq)]
enum PathEnd {
    Empty,
    Point,
    /// A rectangle or `h`.
    Closed,
}

struct Reader<'a, 'f> {
    doc: &'a Document,
    fonts: &'f mut Fonts,
    /// Fonts by resource name, for the whole page (forms included), as
    /// pdf-extract keeps them.
    page_fonts: HashMap<Vec<u8>, Rc<Font>>,
    glyphs: Vec<Glyph>,
    /// Decoded hex strings.
    scratch: Vec<u8>,
}

impl<'a> Reader<'a, '_> {
    /// Interprets one content stream (the page's or a form's) from a fresh
    /// graphics state.
    fn run(
        &mut self,
        ops: &Ops,
        resources: &'a Dictionary,
        depth: usize,
    ) -> Result<(), Unsupported> {
        let mut gs = GraphicsState::new();
        let mut saved: Vec<GraphicsState> = Vec::new();
        let mut tlm = Matrix::IDENTITY;
        let mut path = PathEnd::Empty;
        for (operator, operands) in ops.iter() {
            let num = |i: usize| {
                operands
                    .get(i)
                    .and_then(Value::number)
                    .ok_or("an operator without the numbers it needs")
            };
            let matrix = || -> Result<Matrix, Unsupported> {
                if operands.len() != 6 {
                    return Err("a matrix that is not six numbers");
                }
                Ok(Matrix::new([
                    num(0)?,
                    num(1)?,
                    num(2)?,
                    num(3)?,
                    num(4)?,
                    num(5)?,
                ]))
            };
            let offset = || -> Result<(f64, f64), Unsupported> {
                if operands.len() != 2 {
                    return Err("a text move that is not two numbers");
                }
                Ok((num(0)?, num(1)?))
            };
            let ts = &mut gs.text;
            match operator {
                b"BT" | b"ET" => {
                    tlm = Matrix::IDENTITY;
                    ts.tm = tlm;
                }
                b"cm" => gs.ctm = matrix()?.then(&gs.ctm),
                b"Tm" => {
                    tlm = matrix()?;
                    ts.tm = tlm;
                }
                b"Td" => {
                    let (tx, ty) = offset()?;
                    tlm = Matrix::translation(tx, ty).then(&tlm);
                    ts.tm = tlm;
                }
                b"TD" => {
                    let (tx, ty) = offset()?;
                    ts.leading = -ty;
                    tlm = Matrix::translation(tx, ty).then(&tlm);
                    ts.tm = tlm;
                }
                b"T*" => {
                    tlm = Matrix::translation(0.0, -ts.leading).then(&tlm);
                    ts.tm = tlm;
                }
                b"Tc" => ts.char_spacing = num(0)?,
                // Word spacing applies only to the 1-byte code 32; the fonts
                // the fast path reads have 2-byte codes.
                b"Tw" => {
                    num(0)?;
                }
                b"Tz" => ts.scale = num(0)? / 100.0,
                b"TL" => ts.leading = num(0)?,
                b"Ts" => ts.rise = num(0)?,
                b"Tf" => {
                    let font = self.font(resources, operands.first())?;
                    ts.font = Some(font);
                    ts.size = num(1)?;
                }
                b"Tj" => match operands.first() {
                    Some(Value::String(s)) => self.show(&mut gs, *s)?,
                    _ => return Err("a Tj without a string"),
                },
                b"TJ" => match operands.first() {
                    Some(Value::Array(items)) => {
                        for item in items {
                            match item {
                                Value::String(s) => self.show(&mut gs, *s)?,
                                Value::Number(adjust) => {
                                    let ts = &mut gs.text;
                                    let tx = ts.scale * ((0.0 - adjust / 1000.0) * ts.size);
                                    ts.tm = Matrix::translation(tx, 0.0).then(&ts.tm);
                                }
                                _ => {}
                            }
                        }
                    }
                    Some(_) => {}
                    None => return Err("a TJ without an operand"),
                },
                b"q" => saved.push(gs.clone()),
                b"Q" => {
                    if let Some(state) = saved.pop() {
                        gs = state;
                    }
                }
                b"CS" | b"cs" => match operands.first().and_then(Value::name) {
                    Some(b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK" | b"Pattern") => {}
                    _ => return Err("a colour space from the resources"),
                },
                b"SC" | b"SCN" | b"sc" | b"scn"
                    if operands.iter().any(|v| v.number().is_none()) =>
                {
                    return Err("a colour that is not only numbers");
                }
                b"gs" => self.check_ext_gstate(resources, operands.first())?,
                b"w" => {
                    num(0)?;
                }
                b"m" | b"l" => {
                    for i in 0..2 {
                        num(i)?;
                    }
                    path = PathEnd::Point;
                }
                b"c" => {
                    for i in 0..6 {
                        num(i)?;
                    }
                    path = PathEnd::Point;
                }
                b"v" | b"y" => {
                    if operator == b"v" && path != PathEnd::Point {
                        return Err("a curve without a current point");
                    }
                    for i in 0..4 {
                        num(i)?;
                    }
                    path = PathEnd::Point;
                }
                b"re" => {
                    for i in 0..4 {
                        num(i)?;
                    }
                    path = PathEnd::Closed;
                }
                b"h" => path = PathEnd::Closed,
                b"S" | b"F" | b"f" | b"n" => path = PathEnd::Empty,
                b"Do" => self.form(resources, operands.first(), depth)?,
                // Everything else pdf-extract ignores, `'` and `"` included.
                _ => {}
            }
        }
        Ok(())
    }

    /// Shows the string `s` in the current font, glyph by glyph.
    fn show(&mut self, gs: &mut GraphicsState, s: Str) -> Result<(), Unsupported> {
        let ts = &mut gs.text;
        let font = ts.font.clone().ok_or("text shown before any font is set")?;
        for code in Font::codes(s.bytes(&mut self.scratch)) {
            // Trm = Tsm × Tm × CTM (PDF 32000 §9.4.4).
            let tsm = Matrix::new([ts.scale, 0.0, 0.0, 1.0, 0.0, ts.rise]);
            let trm = tsm.then(&ts.tm.then(&gs.ctm));
            let w0 = font.width(code) / 1000.0;
            let spacing = ts.char_spacing;
            self.glyphs
                .extend(Glyph::placed(&trm, w0, ts.size, font.text(code)));
            let tx = ts.scale * (w0 * ts.size + spacing);
            ts.tm = Matrix::translation(tx, 0.0).then(&ts.tm);
        }
        Ok(())
    }

    /// The font `name` names in `resources`, through the page's font table.
    fn font(
        &mut self,
        resources: &'a Dictionary,
        name: Option<&Value>,
    ) -> Result<Rc<Font>, Unsupported> {
        let fonts = objects::get(self.doc, resources, b"Font")?
            .and_then(|o| o.as_dict().ok())
            .ok_or("a font set without a /Font resource dictionary")?;
        let name = name
            .and_then(Value::name)
            .ok_or("a Tf without a font name")?;
        if let Some(font) = self.page_fonts.get(name) {
            return Ok(Rc::clone(font));
        }
        let entry = fonts
            .get(name)
            .map_err(|_| "a font missing from the resources")?;
        let font = self.fonts.get(self.doc, entry)?;
        self.page_fonts.insert(name.to_vec(), Rc::clone(&font));
        Ok(font)
    }

    /// Refuses an ExtGState pdf-extract would panic on (it reads its
    /// `/SMask` and `/Type`; nothing in it moves text).
    fn check_ext_gstate(
        &self,
        resources: &'a Dictionary,
        name: Option<&Value>,
    ) -> Result<(), Unsupported> {
        let states = objects::get(self.doc, resources, b"ExtGState")?
            .and_then(|o| o.as_dict().ok())
            .ok_or("a gs without an /ExtGState resource dictionary")?;
        let name = name.and_then(Value::name).ok_or("a gs without a name")?;
        let state = match states.get(name) {
            Ok(state) => objects::deref(self.doc, state)?
                .as_dict()
                .map_err(|_| "an ExtGState that is not a dictionary")?,
            Err(_) => return Err("an ExtGState missing from the resources"),
        };
        for (key, value) in state.iter() {
            let fine = match key.as_slice() {
                b"SMask" => match objects::deref(self.doc, value)? {
                    Object::Name(name) => name == b"None",
                    Object::Dictionary(_) => true,
                    _ => false,
                },
                b"Type" => matches!(value, Object::Name(name) if name == b"ExtGState"),
                _ => true,
            };
            if !fine {
                return Err("an ExtGState with an unexpected /SMask or /Type");
            }
        }
        Ok(())
    }

    /// Draws the XObject `name` as pdf-extract does: any stream is run as a
    /// form (`fixup` has made images empty forms), with its own resources
    /// or else the caller's.
    fn form(
        &mut self,
        resources: &'a Dictionary,
        name: Option<&Value>,
        depth: usize,
    ) -> Result<(), Unsupported> {
        if depth >= MAX_FORM_DEPTH {
            return Err("forms nested too deep");
        }
        let doc = self.doc;
        let xobjects = objects::get(doc, resources, b"XObject")?
            .and_then(|o| o.as_dict().ok())
            .ok_or("a Do without an /XObject resource dictionary")?;
        let name = name.and_then(Value::name).ok_or("a Do without a name")?;
        let stream = match xobjects.get(name) {
            Ok(entry) => objects::deref(doc, entry)?
                .as_stream()
                .map_err(|_| "an XObject that is not a stream")?,
            Err(_) => return Err("an XObject missing from the resources"),
        };
        let own = objects::get(doc, &stream.dict, b"Resources")?.and_then(|o| o.as_dict().ok());
        let content = objects::contents(stream);
        let mut decoded = None;
        let ops = content::read(&content, &mut decoded)
            .map_err(|_| "a form whose content lopdf cannot parse")?;
        self.run(&ops, own.unwrap_or(resources), depth + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};
    use std::path::{Path, PathBuf};

    /// Pages read by the fast path, and pages it left to pdf-extract.
    #[derive(Debug, Default)]
    struct Tally {
        fast: usize,
        fallback: Vec<String>,
    }

    /// Reads every page of `doc` both ways and asserts the same glyphs.
    fn compare(doc: &Document, what: &str, tally: &mut Tally) {
        let mut fonts = Fonts::default();
        for (number, id) in doc.get_pages() {
            let slow = super::super::extract_page(doc, number)
                .unwrap_or_else(|e| panic!("{what} page {number}: {e}"));
            let content = doc.get_page_content(id).expect("page content");
            let mut decoded = None;
            let ops = content::read(&content, &mut decoded).expect("content parses");
            match page_glyphs(doc, id, &ops, &mut fonts, 0) {
                Ok(fast) => {
                    assert_eq!(fast.len(), slow.len(), "{what} page {number}: glyph count");
                    for (i, (f, s)) in fast.iter().zip(&slow).enumerate() {
                        assert_eq!(f, s, "{what} page {number}, glyph {i}");
                    }
                    tally.fast += 1;
                }
                Err(why) => tally.fallback.push(format!("{what} page {number}: {why}")),
            }
        }
    }

    /// Loads a PDF as the reader does: decrypted and fixed up.
    fn load(path: &Path, password: Option<&str>) -> Document {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut doc = super::super::load(path, &bytes, password)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        super::super::fixup::apply(&mut doc);
        doc
    }

    fn pdfs(dir: &str) -> Vec<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        files.sort();
        files
    }

    /// The fast path gives pdf-extract's glyphs to the bit on every fixture
    /// and on two corpus sets, and reads every one of their pages itself.
    #[test]
    fn fixtures_and_corpus_read_like_pdf_extract_and_take_the_fast_path() {
        let mut tally = Tally::default();
        for path in pdfs("fixtures/pdf") {
            let password = path
                .file_name()
                .is_some_and(|n| n == "encrypted-user.pdf")
                .then_some("user");
            compare(
                &load(&path, password),
                &path.display().to_string(),
                &mut tally,
            );
        }
        let fixture_pages = tally.fast;
        assert!(fixture_pages >= 10, "only {fixture_pages} fixture pages");
        for set in ["corpus/digital", "corpus/scan-eng"] {
            for path in pdfs(set) {
                compare(&load(&path, None), &path.display().to_string(), &mut tally);
            }
        }
        assert!(tally.fallback.is_empty(), "{:#?}", tally.fallback);
        assert!(
            tally.fast - fixture_pages > 300,
            "only {} corpus pages",
            tally.fast - fixture_pages
        );
    }

    /// A one-page document drawing `content` with /F1, a Type0 font with an
    /// Identity-H encoding whose ToUnicode maps codes 1, 3, 4, 5, 6 to "B",
    /// "å", "D", "E", "F", glyph 1 600 wide and the others 500; /F2 is the
    /// same with the others 700 wide. /Fm1 is a form drawing `form` whose own
    /// /F2 is the page's /F1; /G1 is an ExtGState.
    fn type0_doc(content: &str, form: &str) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font = |doc: &mut Document, name: &str, dw: i64| {
            let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
                        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                        2 beginbfchar <0001> <0042> <0003> <00E5> endbfchar\n\
                        1 beginbfrange <0004> <0006> <0044> endbfrange\n\
                        endcmap end end";
            let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.as_bytes().to_vec()));
            let descriptor = doc.add_object(dictionary! { "Type" => "FontDescriptor" });
            let cid_font = doc.add_object(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => name,
                "FontDescriptor" => descriptor, "DW" => dw,
                "W" => vec![1.into(), vec![Object::Real(600.0)].into()],
            });
            doc.add_object(dictionary! {
                "Type" => "Font", "Subtype" => "Type0", "BaseFont" => name,
                "Encoding" => "Identity-H", "DescendantFonts" => vec![cid_font.into()],
                "ToUnicode" => to_unicode,
            })
        };
        let f1 = font(&mut doc, "AAAAAA+Test", 500);
        let f2 = font(&mut doc, "BAAAAA+Other", 700);
        let state = doc.add_object(dictionary! { "Type" => "ExtGState", "CA" => 1 });
        let form = doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F2" => f1 } },
            },
            form.as_bytes().to_vec(),
        ));
        let resources = dictionary! {
            "Font" => dictionary! { "F1" => f1, "F2" => f2 },
            "XObject" => dictionary! { "Fm1" => form },
            "ExtGState" => dictionary! { "G1" => state },
        };
        let contents = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        (doc, page)
    }

    /// [`page_glyphs`] on the page's own content.
    fn glyphs(
        doc: &Document,
        page: ObjectId,
        fonts: &mut Fonts,
    ) -> Result<Vec<Glyph>, Unsupported> {
        let content = doc.get_page_content(page).expect("page content");
        let ops = content::parse(&content).expect("plain content");
        page_glyphs(doc, page, &ops, fonts, 0)
    }

    /// The fast path's glyphs for `content`, asserted equal to
    /// pdf-extract's.
    fn same_as_pdf_extract(content: &str, form: &str) -> Vec<Glyph> {
        let (doc, page) = type0_doc(content, form);
        let slow = super::super::extract_page(&doc, 1).expect("pdf-extract reads it");
        let fast = glyphs(&doc, page, &mut Fonts::default())
            .unwrap_or_else(|why| panic!("left to pdf-extract: {why}\n{content}"));
        assert_eq!(fast, slow, "{content}");
        fast
    }

    fn text(glyphs: &[Glyph]) -> String {
        glyphs.iter().map(|g| &*g.text).collect()
    }

    #[test]
    fn text_state_operators_place_glyphs_as_pdf_extract_does() {
        let glyphs = same_as_pdf_extract(
            "BT /F1 12 Tf 72 700 Td <00010002 0003> Tj 2 Tc 1.5 Tw 80 Tz 3 Ts \
             [<0004> -250 <0005> 120.5 (\x00\x06)] TJ 14 TL T* <0001> Tj \
             10 -20 TD <0001> Tj T* <0001> Tj 0.5 0 0 2 100 100 Tm <0001> Tj ET",
            "",
        );
        assert_eq!(text(&glyphs), "BåDEFBBBB");
        assert!(glyphs.len() == 10, "code 2 has no text but is a glyph");
    }

    #[test]
    fn q_and_q_restore_the_text_matrix_but_not_the_line_matrix() {
        same_as_pdf_extract(
            "BT /F1 10 Tf 50 500 Td q 2 0 0 2 0 0 cm 5 5 Td <0001> Tj Q <0001> Tj \
             0 -12 Td <0001> Tj ET q 1 0 0 1 30 40 cm BT /F1 9 Tf <0001> Tj ET Q",
            "",
        );
    }

    #[test]
    fn quote_operators_show_nothing_as_in_pdf_extract() {
        let glyphs = same_as_pdf_extract(
            "BT /F1 10 Tf 50 500 Td (\x00\x01) ' 1 2 (\x00\x01) \" <0001> Tj ET",
            "",
        );
        assert_eq!(text(&glyphs), "B");
    }

    #[test]
    fn forms_start_fresh_and_share_the_page_font_table() {
        // The form's own /F2 is the page's /F1 object, but /F2 was already
        // looked up on the page: pdf-extract keeps the page's /F2.
        same_as_pdf_extract(
            "BT /F2 11 Tf 10 10 Td <0001> Tj ET 2 0 0 2 0 0 cm /G1 gs /Fm1 Do \
             BT /F1 8 Tf <0001> Tj ET",
            "BT /F2 7 Tf 20 30 Td <00010004> Tj ET 0.5 g 1 1 m 2 2 l 3 3 4 4 v S",
        );
    }

    /// A random content stream of `len` operations, with the right
    /// operands most of the time and wrong ones (too few, too many, of the
    /// wrong type) now and then, from a xorshift generator.
    fn random_content(state: &mut u64, len: usize) -> String {
        let mut next = move || {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state
        };
        const OPS: [(&str, &str); 33] = [
            ("BT", ""),
            ("ET", ""),
            ("Td", "nn"),
            ("TD", "nn"),
            ("Tm", "nnnnnn"),
            ("T*", ""),
            ("Tc", "n"),
            ("Tw", "n"),
            ("Tz", "n"),
            ("TL", "n"),
            ("Ts", "n"),
            ("Tf", "fn"),
            ("Tj", "s"),
            ("TJ", "a"),
            ("'", "s"),
            ("\"", "nns"),
            ("cm", "nnnnnn"),
            ("q", ""),
            ("Q", ""),
            ("gs", "g"),
            ("Do", "x"),
            ("re", "nnnn"),
            ("m", "nn"),
            ("l", "nn"),
            ("c", "nnnnnn"),
            ("v", "nnnn"),
            ("y", "nnnn"),
            ("h", ""),
            ("S", ""),
            ("f", ""),
            ("n", ""),
            ("cs", "c"),
            ("sc", "nnn"),
        ];
        let mut out = String::from("/F1 10 Tf\n");
        for _ in 0..len {
            let (op, operands) = OPS[(next() % OPS.len() as u64) as usize];
            let mut kinds: Vec<char> = operands.chars().collect();
            match next() % 64 {
                0 => {
                    kinds.pop();
                }
                1 => kinds.push('n'),
                2 => kinds.insert(0, 's'),
                _ => {}
            }
            for kind in kinds {
                let r = next();
                let operand = match kind {
                    'n' => match r % 5 {
                        0 => format!("{}", (r >> 8) % 40),
                        1 => format!("-{}.{}", (r >> 8) % 300, (r >> 20) % 100),
                        2 => "0".to_string(),
                        _ => format!("{}.{}", (r >> 8) % 700, (r >> 20) % 1000),
                    },
                    's' => {
                        let codes: Vec<String> = (0..r % 5)
                            .map(|i| format!("{:04X}", (r >> (8 + 3 * i)) % 8))
                            .collect();
                        format!("<{}>", codes.join(""))
                    }
                    'a' => format!("[<0001> {} <00030004> (x)]", (r >> 8) % 500),
                    // A name missing from the resources one time in eight.
                    'f' => ["/F1", "/F2", "/F1", "/F2", "/F1", "/F2", "/F1", "/F9"]
                        [(r % 8) as usize]
                        .to_string(),
                    'g' => if r % 8 == 0 { "/G9" } else { "/G1" }.to_string(),
                    'x' => if r % 8 == 0 { "/Fm9" } else { "/Fm1" }.to_string(),
                    _ => if r % 8 == 0 { "/CS0" } else { "/DeviceRGB" }.to_string(),
                };
                out.push_str(&operand);
                out.push(' ');
            }
            out.push_str(op);
            out.push('\n');
        }
        out
    }

    /// Random content, legal and not: wherever the fast path reads a page,
    /// pdf-extract reads it too (does not panic) and gives the same glyphs.
    #[test]
    fn random_content_reads_like_pdf_extract_or_is_left_to_it() {
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let (mut fast, mut left, mut shown) = (0, 0, 0);
        for _ in 0..2000 {
            let content = random_content(&mut state, 24);
            let form = random_content(&mut state, 8).replace("/Fm1", "/Fm9");
            let (doc, page) = type0_doc(&content, &form);
            let slow = super::super::extract_page(&doc, 1);
            match glyphs(&doc, page, &mut Fonts::default()) {
                Ok(glyphs) => {
                    let slow = slow.unwrap_or_else(|e| panic!("{e}\n{content}\n{form}"));
                    assert_eq!(glyphs, slow, "{content}\n{form}");
                    fast += 1;
                    shown += glyphs.len();
                }
                Err(_) => left += 1,
            }
        }
        assert!(fast > 200 && left > 200, "{fast} read fast, {left} left");
        assert!(shown > 1000, "only {shown} glyphs compared");
    }

    #[test]
    fn unsupported_pages_are_left_to_pdf_extract() {
        for content in [
            // Text before any font.
            "BT <0001> Tj ET",
            // A font that is not in the resources (pdf-extract panics).
            "BT /F9 12 Tf <0001> Tj ET",
            // A colour space from the resources.
            "/CS0 cs",
            // `v` without a current point (pdf-extract panics).
            "1 2 3 4 v",
            // A matrix of five numbers.
            "1 0 0 1 0 cm",
        ] {
            let (doc, page) = type0_doc(content, "");
            assert!(
                glyphs(&doc, page, &mut Fonts::default()).is_err(),
                "{content}"
            );
        }
    }

    #[test]
    fn fonts_are_parsed_once_per_document() {
        let (doc, page) = type0_doc("BT /F1 12 Tf <0001> Tj /F2 10 Tf <0003> Tj ET", "");
        let mut fonts = Fonts::default();
        glyphs(&doc, page, &mut fonts).expect("fast path");
        glyphs(&doc, page, &mut fonts).expect("fast path");
        assert_eq!(fonts.parsed(), (2, 1), "two fonts sharing one CMap");
    }
}
