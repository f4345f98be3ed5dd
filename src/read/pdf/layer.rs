//! Tells an invisible OCR text layer from ordinary text.
//!
//! pdf-extract reports every glyph whatever its text render mode, so this
//! module reads the content streams itself (with lopdf) and counts the text
//! shown visibly and invisibly: render mode 3 (or 7), as tesseract and
//! OCRmyPDF write their layer, or tesseract's `GlyphLessFont`. It also
//! refuses form XObjects that contain themselves, which would send
//! pdf-extract into endless recursion. It does not extract text.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::{self as ops, Operand, Ops};
use super::error::PageError;
use crate::document::TextLayer;

/// Forms nested deeper than this are not followed.
pub(super) const MAX_FORM_DEPTH: usize = 24;

/// Bytes of shown text on a page, by visibility.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ink {
    /// Shown with a render mode that paints the glyphs.
    pub visible: usize,
    /// Shown with render mode 3 or 7, or in tesseract's `GlyphLessFont`.
    pub invisible: usize,
}

/// Where one page's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageText {
    Digital,
    Ocr,
    None,
}

impl PageText {
    /// The page's text layer.
    pub(super) fn layer(self) -> TextLayer {
        match self {
            PageText::Digital => TextLayer::Digital,
            PageText::Ocr => TextLayer::Ocr,
            PageText::None => TextLayer::None,
        }
    }
}

/// Classifies a page from its ink and whether any words came out of it.
pub(super) fn page_text(ink: Ink, has_words: bool) -> PageText {
    if !has_words {
        PageText::None
    } else if ink.invisible > ink.visible {
        PageText::Ocr
    } else {
        PageText::Digital
    }
}

/// The document's text layer: `None` when no page has text, otherwise the
/// kind most pages with text have (OCR on a tie, since OCR repair is the
/// safer mistake on mixed scans).
pub(super) fn document_layer(pages: &[PageText]) -> TextLayer {
    let ocr = pages.iter().filter(|p| **p == PageText::Ocr).count();
    let digital = pages.iter().filter(|p| **p == PageText::Digital).count();
    if ocr == 0 && digital == 0 {
        TextLayer::None
    } else if ocr >= digital {
        TextLayer::Ocr
    } else {
        TextLayer::Digital
    }
}

/// Counts the visible and invisible text of one page, whose content
/// stream reads as `parsed`, following form XObjects.
///
/// # Errors
///
/// A missing page object, a form's content stream that cannot be
/// decompressed or parsed, forms nested too deep, or a form that contains
/// itself.
pub(super) fn scan_page(doc: &Document, page_id: ObjectId, parsed: &Ops) -> Result<Ink, PageError> {
    let page = doc
        .get_dictionary(page_id)
        .map_err(|_| PageError::NotADictionary)?;
    let resources = super::inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok());
    let mut scanner = Scanner {
        doc,
        ink: Ink::default(),
        forms: Vec::new(),
    };
    scanner.run(parsed, resources, State::default())?;
    Ok(scanner.ink)
}

/// The parts of the graphics state that decide visibility.
#[derive(Debug, Default, Clone, Copy)]
struct State {
    render_mode: i64,
    glyphless_font: bool,
}

impl State {
    fn invisible(self) -> bool {
        self.glyphless_font || matches!(self.render_mode, 3 | 7)
    }
}

struct Scanner<'a> {
    doc: &'a Document,
    ink: Ink,
    /// The forms being scanned, outermost first, to catch cycles.
    forms: Vec<ObjectId>,
}

impl<'a> Scanner<'a> {
    fn run(
        &mut self,
        parsed: &Ops,
        resources: Option<&'a Dictionary>,
        mut state: State,
    ) -> Result<(), PageError> {
        let mut saved = Vec::new();
        for op in ops::operations(parsed) {
            match op.operator {
                b"q" => saved.push(state),
                b"Q" => state = saved.pop().unwrap_or(state),
                b"Tr" => {
                    if let Some(Operand::Number(mode)) = op.first() {
                        state.render_mode = mode as i64;
                    }
                }
                b"Tf" => {
                    state.glyphless_font = matches!(
                        op.first(),
                        Some(Operand::Name(name)) if self.is_glyphless(resources, name)
                    );
                }
                b"Tj" | b"'" | b"\"" | b"TJ" => {
                    let bytes = match op.last() {
                        Some(Operand::Shown(bytes)) => bytes,
                        _ => 0,
                    };
                    if state.invisible() {
                        self.ink.invisible += bytes;
                    } else {
                        self.ink.visible += bytes;
                    }
                }
                b"Do" => {
                    if let Some(Operand::Name(name)) = op.first() {
                        self.form(resources, name, state)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Scans the form XObject `name`, if it is one.
    fn form(
        &mut self,
        resources: Option<&'a Dictionary>,
        name: &[u8],
        state: State,
    ) -> Result<(), PageError> {
        let Some(Object::Reference(id)) = resources
            .and_then(|r| self.dict(r.get(b"XObject").ok()))
            .and_then(|x| x.get(name).ok())
        else {
            return Ok(());
        };
        let Ok(stream) = self.doc.get_object(*id).and_then(Object::as_stream) else {
            return Ok(());
        };
        if !matches!(
            stream.dict.get(b"Subtype").and_then(Object::as_name),
            Ok(b"Form")
        ) {
            return Ok(());
        }
        if self.forms.contains(id) {
            return Err(PageError::FormContainsItself { form: *id });
        }
        if self.forms.len() >= MAX_FORM_DEPTH {
            return Err(PageError::FormsTooDeep);
        }
        let content = if stream.dict.has(b"Filter") {
            stream
                .decompressed_content()
                .map_err(|error| PageError::FormUndecompressable { form: *id, error })?
        } else {
            stream.content.clone()
        };
        let form_resources = self.dict(stream.dict.get(b"Resources").ok()).or(resources);
        self.forms.push(*id);
        let mut decoded = None;
        let parsed = ops::read(&content, &mut decoded).map_err(PageError::Unparsable)?;
        let result = self.run(&parsed, form_resources, state);
        self.forms.pop();
        result
    }

    /// True if font `name` in `resources` is tesseract's invisible font.
    fn is_glyphless(&self, resources: Option<&'a Dictionary>, name: &[u8]) -> bool {
        resources
            .and_then(|r| self.dict(r.get(b"Font").ok()))
            .and_then(|fonts| self.dict(fonts.get(name).ok()))
            .and_then(|font| font.get(b"BaseFont").and_then(Object::as_name).ok())
            .is_some_and(|base| base.ends_with(b"GlyphLessFont"))
    }

    /// `object` as a dictionary, following one reference.
    fn dict(&self, object: Option<&'a Object>) -> Option<&'a Dictionary> {
        match object? {
            Object::Reference(id) => self.doc.get_dictionary(*id).ok(),
            Object::Dictionary(d) => Some(d),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Stream;

    /// A one-page document whose page draws `content`, with an optional
    /// form XObject /Fm1 drawing `form`.
    fn doc_with(content: &str, form: Option<&str>) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.7");
        let mut resources = Dictionary::new();
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set("BaseFont", Object::Name(b"GlyphLessFont".to_vec()));
        let font = doc.add_object(font);
        let mut fonts = Dictionary::new();
        fonts.set("G", Object::Reference(font));
        resources.set("Font", Object::Dictionary(fonts));
        if let Some(form) = form {
            let mut dict = Dictionary::new();
            dict.set("Subtype", Object::Name(b"Form".to_vec()));
            let id = doc.add_object(Stream::new(dict, form.as_bytes().to_vec()));
            let mut xobjects = Dictionary::new();
            xobjects.set("Fm1", Object::Reference(id));
            resources.set("XObject", Object::Dictionary(xobjects));
            // Let the form see the same names, so it can draw itself.
            if let Ok(Object::Stream(s)) = doc.get_object_mut(id) {
                s.dict
                    .set("Resources", Object::Dictionary(resources.clone()));
            }
        }
        let contents = doc.add_object(Stream::new(Dictionary::new(), content.as_bytes().to_vec()));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Contents", Object::Reference(contents));
        page.set("Resources", Object::Dictionary(resources));
        let page = doc.add_object(page);
        (doc, page)
    }

    /// [`scan_page`] on the page's own content.
    fn scan(doc: &Document, page: ObjectId) -> Result<Ink, PageError> {
        let content = doc.get_page_content(page).expect("page content");
        let ops = ops::parse(&content).expect("plain content");
        scan_page(doc, page, &ops)
    }

    #[test]
    fn render_mode_3_is_invisible_and_q_restores_it() {
        let (doc, page) = doc_with("BT 3 Tr (abc) Tj ET q 0 Tr (de) Tj Q BT (f) Tj ET", None);
        let ink = scan(&doc, page).unwrap();
        assert_eq!(
            ink,
            Ink {
                visible: 2,
                invisible: 4
            }
        );
    }

    #[test]
    fn glyphless_font_counts_as_invisible() {
        let (doc, page) = doc_with("BT /G 10 Tf [(ab) -20 (c)] TJ ET", None);
        assert_eq!(
            scan(&doc, page).unwrap(),
            Ink {
                visible: 0,
                invisible: 3
            }
        );
    }

    #[test]
    fn text_inside_forms_inherits_the_render_mode() {
        let (doc, page) = doc_with("3 Tr /Fm1 Do", Some("BT (hidden) Tj ET"));
        assert_eq!(
            scan(&doc, page).unwrap(),
            Ink {
                visible: 0,
                invisible: 6
            }
        );
    }

    #[test]
    fn a_form_that_draws_itself_is_an_error_not_a_stack_overflow() {
        let (doc, page) = doc_with("/Fm1 Do", Some("/Fm1 Do"));
        let err = scan(&doc, page).unwrap_err();
        assert!(matches!(err, PageError::FormContainsItself { .. }), "{err}");
    }

    #[test]
    fn majority_of_pages_decides_and_ties_go_to_ocr() {
        use PageText::*;
        assert_eq!(document_layer(&[]), TextLayer::None);
        assert_eq!(document_layer(&[None, None]), TextLayer::None);
        assert_eq!(
            document_layer(&[Digital, Ocr, Digital, None]),
            TextLayer::Digital
        );
        assert_eq!(document_layer(&[Digital, Ocr, None]), TextLayer::Ocr);
        assert_eq!(
            page_text(
                Ink {
                    visible: 5,
                    invisible: 0
                },
                false
            ),
            None
        );
        assert_eq!(
            page_text(
                Ink {
                    visible: 1,
                    invisible: 9
                },
                true
            ),
            Ocr
        );
    }
}
