//! Reads a PDF into a [`Document`]: positioned words and lines per page, and
//! whether the text is digital or an invisible OCR layer.
//!
//! This module and its submodules are the only code that names `pdf_extract`
//! or `lopdf`. They own loading and decrypting (lopdf), working around
//! pdf-extract's defects before it runs (`fixup`), catching its panics
//! (`guard`), telling OCR layers from digital text (`layer`) and rebuilding
//! words and lines from glyph positions (`layout`). They do not split
//! columns, repair OCR damage or find headings: those stages read the
//! positions left in the `Document`.
//!
//! Every failure, including a panic inside pdf-extract, becomes an
//! [`Error::Pdf`] (naming the page when known) or [`Error::PasswordRequired`].

mod cmap;
mod content;
mod derive;
mod error;
mod fastpath;
mod filters;
mod fixup;
mod fonts;
mod guard;
mod layer;
mod layout;
mod lex;
mod matrix;
mod objects;
mod rebuild;
mod rescue;

use std::path::Path;

use lopdf::{Dictionary, Object, ObjectId};

use crate::document::{Document, ReadWarning, ReadWarningKind, SourceFormat};
use crate::error::{Error, Result};
use error::PageError;

/// How far up the page tree inherited attributes are looked for.
const MAX_TREE_DEPTH: usize = 64;

/// Reads a PDF already loaded into memory. `path` is only for error messages.
///
/// `password` opens a PDF that needs a user password; a PDF with only an
/// owner password (empty user password) opens without one. Words are rebuilt
/// from glyph positions and carry their x extent; lines carry their baseline
/// and font size, top to bottom; text is NFC with ligatures folded.
///
/// A page that cannot be read is left empty and named in the document's
/// warnings (after its fonts were repaired where pdf-extract gave up on
/// them, see `rescue`), and the other pages are read; a cross-reference
/// table lopdf cannot parse is rebuilt (see `rebuild`), with a warning.
///
/// # Errors
///
/// [`Error::PasswordRequired`] if the PDF is encrypted and no password was
/// given; [`Error::Pdf`] if the password is wrong, the file is damaged or
/// truncated beyond repair, has no pages, or no page can be read (naming
/// the first page that failed).
pub fn read_pdf(path: &Path, bytes: &[u8], password: Option<&str>) -> Result<Document> {
    let fail = |page: Option<usize>, message: String| Error::Pdf {
        path: path.to_path_buf(),
        page,
        message,
    };
    let mut warnings = Vec::new();
    let mut doc = load_or_rebuild(path, bytes, password, &mut warnings)?;
    let fixes = guard::guarded(|| fixup::apply(&mut doc))
        .map_err(|m| fail(None, format!("cannot prepare the PDF for reading ({m})")))?;
    if !fixes.derived.is_empty() {
        warnings.push(ReadWarning {
            kind: ReadWarningKind::FontMapDerived,
            page: None,
            message: format!(
                "{} without a ToUnicode map ({}): their text was read from the Unicode map of \
                 their embedded font program",
                if fixes.derived.len() == 1 {
                    "a font"
                } else {
                    "fonts"
                },
                fixes.derived.join(", ")
            ),
        });
    }
    let mut contents = fixes.contents;
    let page_ids = guard::guarded(|| doc.get_pages())
        .map_err(|m| fail(None, format!("cannot read the page tree ({m})")))?;
    if page_ids.is_empty() {
        return Err(fail(
            None,
            "no pages found (the page tree is missing or damaged; the file may be truncated)"
                .to_string(),
        ));
    }

    let mut pages = Vec::with_capacity(page_ids.len());
    let mut kinds = Vec::with_capacity(page_ids.len());
    let mut fonts = fonts::Fonts::default();
    let mut rescued = false;
    let mut first_failure = None;
    for (&number, &id) in &page_ids {
        let page_no = number as usize;
        let content = contents.remove(&id);
        let mut read = read_page(&doc, number, id, &mut fonts, content.as_deref());
        if read.is_err() && !rescued {
            // Once per document: repair what pdf-extract gave up on, then
            // read this page again (later pages see the repaired fonts).
            rescued = true;
            let repairs = guard::guarded(|| rescue::apply(&mut doc)).unwrap_or_default();
            if !repairs.is_empty() {
                fonts = fonts::Fonts::default();
                read = read_page(&doc, number, id, &mut fonts, content.as_deref());
                warnings.extend(repairs.into_iter().map(|message| ReadWarning {
                    kind: ReadWarningKind::FontRepaired,
                    page: Some(page_no),
                    message,
                }));
            }
        }
        match read {
            Ok((page, kind)) => {
                pages.push(page);
                kinds.push(kind);
            }
            Err(error) => {
                warnings.push(ReadWarning {
                    kind: ReadWarningKind::PageUnread,
                    page: Some(page_no),
                    message: format!(
                        "page {page_no}: its text cannot be read ({error}); the other pages \
                         are read"
                    ),
                });
                first_failure.get_or_insert((page_no, error));
                pages.push(crate::document::Page {
                    number: page_no,
                    ..Default::default()
                });
                kinds.push(layer::PageText::None);
            }
        }
    }
    if let Some((page_no, error)) = first_failure {
        let unread = warnings
            .iter()
            .filter(|w| w.kind == ReadWarningKind::PageUnread)
            .count();
        if unread == pages.len() {
            // Nothing was read: the document fails, as the first page did.
            return Err(fail(Some(page_no), error.to_string()));
        }
    }
    Ok(Document {
        format: SourceFormat::Pdf,
        text_layer: Some(layer::document_layer(&kinds)),
        pages,
        warnings,
    })
}

/// Reads one page. `fonts` holds the document's fonts as the fast path
/// parsed them; `content` is the page's decoded content if `fixup` decoded
/// it.
fn read_page(
    doc: &lopdf::Document,
    number: u32,
    id: ObjectId,
    fonts: &mut fonts::Fonts,
    content: Option<&[u8]>,
) -> Result<(crate::document::Page, layer::PageText), PageError> {
    let media_box = media_box(doc, id).ok_or(PageError::NoMediaBox)?;
    // Before pdf-extract runs: this also refuses forms that draw themselves,
    // on which pdf-extract would recurse until the stack overflows.
    let content =
        guard::guarded(|| page_content(doc, id, content)).map_err(PageError::ContentPanicked)??;
    let mut decoded = None;
    let ops = guard::guarded(|| content::read(&content, &mut decoded))
        .map_err(PageError::ContentPanicked)?
        .map_err(PageError::Unparsable)?;
    let ink = guard::guarded(|| layer::scan_page(doc, id, &ops))
        .map_err(PageError::ContentPanicked)??;
    // The fast path's fonts have 2-byte codes: a glyph per two bytes shown.
    let expected = (ink.visible + ink.invisible) / 2;
    let glyphs = match guard::guarded(|| fastpath::page_glyphs(doc, id, &ops, fonts, expected)) {
        Ok(Ok(glyphs)) => glyphs,
        // Unsupported: pdf-extract reads the page. A panic would be a bug
        // in the fast path; pdf-extract still gives the page's text, and
        // the font cache it may have left half-filled is dropped.
        Ok(Err(_)) => extract_page(doc, number)?,
        Err(_) => {
            *fonts = fonts::Fonts::default();
            extract_page(doc, number)?
        }
    };
    let mut page = layout::build_page(number as usize, media_box, &glyphs);
    let has_words = page.lines.iter().any(|l| !l.words.is_empty());
    let kind = layer::page_text(ink, has_words);
    page.text_layer = Some(kind.layer());
    Ok((page, kind))
}

/// The decoded content stream of page `id` (`decoded`, if it has been
/// decoded already).
fn page_content<'a>(
    doc: &lopdf::Document,
    id: ObjectId,
    decoded: Option<&'a [u8]>,
) -> Result<std::borrow::Cow<'a, [u8]>, PageError> {
    doc.get_dictionary(id)
        .map_err(|_| PageError::NotADictionary)?;
    match decoded {
        Some(content) => Ok(std::borrow::Cow::Borrowed(content)),
        None => doc
            .get_page_content(id)
            .map(std::borrow::Cow::Owned)
            .map_err(PageError::Content),
    }
}

/// The glyphs of page `number` as pdf-extract reports them.
fn extract_page(doc: &lopdf::Document, number: u32) -> Result<Vec<layout::Glyph>, PageError> {
    let mut collector = layout::Collector::default();
    match guard::guarded(|| pdf_extract::output_doc_page(doc, &mut collector, number)) {
        Ok(Ok(())) => Ok(collector.glyphs),
        Ok(Err(e)) => Err(PageError::Extract(e)),
        Err(panic) => Err(PageError::ExtractorPanicked(panic)),
    }
}

/// What [`wrong_password`] says.
const WRONG_PASSWORD: &str = "the PDF is encrypted and the password given does not open it";

/// [`load`], and where the file loads with no pages or not at all, loads
/// it again with a cross-reference table rebuilt from the objects found in
/// it (adding a warning when that worked).
fn load_or_rebuild(
    path: &Path,
    bytes: &[u8],
    password: Option<&str>,
    warnings: &mut Vec<ReadWarning>,
) -> Result<lopdf::Document> {
    let has_pages = |doc: &lopdf::Document| guard::guarded(|| !doc.get_pages().is_empty());
    let first = load(path, bytes, password);
    let broken = match &first {
        Ok(doc) => has_pages(doc) != Ok(true),
        Err(Error::Pdf { message, .. }) => message != WRONG_PASSWORD,
        Err(_) => false,
    };
    if !broken {
        return first;
    }
    let Ok(Some(fixed)) = guard::guarded(|| rebuild::rebuild(bytes)) else {
        return first;
    };
    match load(path, &fixed, password) {
        Ok(doc) if has_pages(&doc) == Ok(true) => {
            warnings.push(ReadWarning {
                kind: ReadWarningKind::XrefRebuilt,
                page: None,
                message: "the cross-reference table is damaged; it was rebuilt from the \
                          objects found in the file"
                    .to_string(),
            });
            Ok(doc)
        }
        // The rebuilt table shows the file is encrypted.
        Err(e @ Error::PasswordRequired { .. }) => Err(e),
        _ => first,
    }
}

/// Loads and, where needed, decrypts the PDF.
fn load(path: &Path, bytes: &[u8], password: Option<&str>) -> Result<lopdf::Document> {
    let fail = |message: String| Error::Pdf {
        path: path.to_path_buf(),
        page: None,
        message,
    };
    // Readers accept junk before the header within the first kilobyte.
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(fail(
            "the file does not start with a PDF header".to_string(),
        ));
    }
    let options = lopdf::LoadOptions {
        password: password.map(str::to_string),
        ..Default::default()
    };
    let loaded = guard::guarded(|| lopdf::Document::load_mem_with_options(bytes, options))
        .map_err(|m| fail(format!("cannot parse the file ({m})")))?;
    match loaded {
        Ok(doc) if doc.is_encrypted() => Err(if password.is_some() {
            wrong_password(path)
        } else {
            Error::PasswordRequired {
                path: path.to_path_buf(),
            }
        }),
        Ok(doc) => Ok(doc),
        Err(lopdf::Error::InvalidPassword)
        | Err(lopdf::Error::Decryption(lopdf::encryption::DecryptionError::IncorrectPassword)) => {
            Err(match password {
                Some(_) => wrong_password(path),
                None => Error::PasswordRequired {
                    path: path.to_path_buf(),
                },
            })
        }
        Err(e) => Err(fail(describe_load_error(&e))),
    }
}

/// The error for a password that does not open the PDF.
fn wrong_password(path: &Path) -> Error {
    Error::Pdf {
        path: path.to_path_buf(),
        page: None,
        message: WRONG_PASSWORD.to_string(),
    }
}

/// A user's account of why lopdf could not load the file.
fn describe_load_error(e: &lopdf::Error) -> String {
    use lopdf::Error as E;
    match e {
        E::Xref(_) | E::InvalidOffset(_) | E::MissingXrefEntry => format!(
            "its cross-reference table is missing or damaged; the file may be truncated ({e})"
        ),
        E::Parse(_) => format!("its structure is damaged; the file may be truncated ({e})"),
        E::Decryption(d) => format!("cannot decrypt it: {d}"),
        E::UnsupportedSecurityHandler(_) => {
            "it is encrypted with a security handler that is not supported".to_string()
        }
        E::Unimplemented(what) => format!("it uses a PDF feature that is not supported ({what})"),
        other => format!("cannot parse it: {other}"),
    }
}

/// `key` of a page, inherited from its ancestors in the page tree if the page
/// lacks it, with references followed.
fn inherited<'a>(doc: &'a lopdf::Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..MAX_TREE_DEPTH {
        if let Ok(value) = node.get(key) {
            return doc.dereference(value).ok().map(|(_, o)| o);
        }
        let parent = node.get(b"Parent").and_then(Object::as_reference).ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// The page's MediaBox as `[llx, lly, urx, ury]`, if it is a usable one.
fn media_box(doc: &lopdf::Document, page_id: ObjectId) -> Option<[f64; 4]> {
    let page = doc.get_dictionary(page_id).ok()?;
    let items = inherited(doc, page, b"MediaBox")?.as_array().ok()?;
    let mut out = [0.0; 4];
    if items.len() != 4 {
        return None;
    }
    for (slot, item) in out.iter_mut().zip(items) {
        *slot = match item {
            Object::Integer(v) => *v as f64,
            Object::Real(v) => f64::from(*v),
            _ => return None,
        };
    }
    let (w, h) = ((out[2] - out[0]).abs(), (out[3] - out[1]).abs());
    (out.iter().all(|v| v.is_finite()) && w > 0.0 && h > 0.0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Line, TextLayer};
    use lopdf::{dictionary, Stream};
    use std::path::PathBuf;

    fn fixture(name: &str) -> (PathBuf, Vec<u8>) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/pdf")
            .join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        (path, bytes)
    }

    fn read_fixture(name: &str, password: Option<&str>) -> Result<Document> {
        let (path, bytes) = fixture(name);
        read_pdf(&path, &bytes, password)
    }

    fn lines(doc: &Document) -> Vec<String> {
        doc.pages
            .iter()
            .flat_map(|p| p.lines.iter().map(Line::text))
            .collect()
    }

    /// A one-page PDF drawing `content` with Helvetica as /F1, saved to bytes.
    fn simple_pdf(content: &str, media_box: bool) -> Vec<u8> {
        pdf_with_form(content, media_box, None)
    }

    /// [`simple_pdf`] with a form XObject /Fm1 drawing `form`, which sees the
    /// page's resources (so it can draw itself).
    fn pdf_with_form(content: &str, media_box: bool, form: Option<&str>) -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources = doc.new_object_id();
        let mut resource_dict = dictionary! { "Font" => dictionary! { "F1" => font } };
        if let Some(form) = form {
            let dict = dictionary! {
                "Type" => "XObject", "Subtype" => "Form", "Resources" => resources,
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            };
            let form = doc.add_object(Stream::new(dict, form.as_bytes().to_vec()));
            resource_dict.set("XObject", dictionary! { "Fm1" => form });
        }
        doc.objects
            .insert(resources, Object::Dictionary(resource_dict));
        let contents = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let mut page = dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
            "Resources" => resources,
        };
        if media_box {
            page.set("MediaBox", vec![0.into(), 0.into(), 595.into(), 842.into()]);
        }
        let page_id = doc.add_object(page);
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("saving a PDF to memory");
        bytes
    }

    #[test]
    fn chromium_table_reads_in_order_with_swedish_and_whole_words() {
        let doc = read_fixture("table-chromium.pdf", None).unwrap();
        assert_eq!(doc.format, SourceFormat::Pdf);
        assert_eq!(doc.text_layer, Some(TextLayer::Digital));
        assert_eq!(doc.pages.len(), 1);
        assert!(
            (doc.pages[0].width.unwrap() - 595.0).abs() < 1.0,
            "A4 width"
        );
        assert_eq!(
            lines(&doc),
            vec![
                "Uppföljning av förskolenämnden 2024",
                "Område 3:2 Kvalitet och finansiering för barn i Göteborgs Stad.",
                "Fråga Svar",
                "Har nämnden säkerställt att Ja",
                "öppettiderna är anpassade efter",
                "vårdnadshavarnas behov?",
                "Följs rutinen för åtgärder vid Delvis, översyn pågår",
                "kränkande behandling?",
                "Är lokalerna tillgängliga? Nej",
                // A soft hyphen (&shy;) at the line break: a space glyph and
                // a U+2010 drawn over it.
                "Förskole-",
                "verksamheten",
                "redovisas.",
            ]
        );
    }

    #[test]
    fn format_characters_inside_words_do_not_split_them() {
        let doc = read_fixture("format-chars.pdf", None).unwrap();
        assert_eq!(
            lines(&doc),
            vec![
                "Vi följer incidentrapporter och lägesbilder.",
                "Förskolechefer och rektorer/skolledare deltar.",
                "Strategi 1:1 gäller 2 000 elever, officiellt och ën gång.",
                "Ordet stödinsatser hålls ihop.",
            ]
        );
    }

    #[test]
    fn chromium_table_keeps_both_columns_in_one_line_with_a_gap() {
        let doc = read_fixture("table-chromium.pdf", None).unwrap();
        let line = doc.pages[0]
            .lines
            .iter()
            .find(|l| l.text().starts_with("Har nämnden"))
            .expect("first question row");
        let att = &line.words[3];
        let ja = &line.words[4];
        assert_eq!((att.text.as_str(), ja.text.as_str()), ("att", "Ja"));
        let (_, att_end) = att.x.unwrap();
        let (ja_start, _) = ja.x.unwrap();
        assert!(
            ja_start - att_end > 50.0,
            "column gap {att_end}..{ja_start}"
        );
        let heights: Vec<f32> = doc.pages[0]
            .lines
            .iter()
            .map(|l| l.height.unwrap())
            .collect();
        assert!(heights[0] > heights[1], "heading is larger: {heights:?}");
        let ys: Vec<f32> = doc.pages[0].lines.iter().map(|l| l.y.unwrap()).collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "top to bottom: {ys:?}");
    }

    /// Guards the workaround in `fixup` for pdf-extract reading `/W` range
    /// entries (`c_first c_last w`, as Chromium writes) as no width at all.
    #[test]
    fn cid_width_ranges_give_glyphs_their_width() {
        let (_, bytes) = fixture("table-chromium.pdf");
        let glyphs = |fix: bool| {
            let mut doc = lopdf::Document::load_mem(&bytes).unwrap();
            if fix {
                assert!(fixup::apply(&mut doc).fonts > 0);
            }
            let mut collector = layout::Collector::default();
            pdf_extract::output_doc_page(&doc, &mut collector, 1).unwrap();
            collector.glyphs
        };
        let zero_width = |glyphs: &[layout::Glyph]| {
            glyphs
                .iter()
                .filter(|g| !g.text.trim().is_empty() && g.advance <= 0.0)
                .map(|g| g.text.to_string())
                .collect::<String>()
        };
        let unfixed = zero_width(&glyphs(false));
        assert!(
            unfixed.contains('2'),
            "pdf-extract now reads /W ranges ({unfixed:?}): the fixup may be removable"
        );
        assert_eq!(zero_width(&glyphs(true)), "");
    }

    #[test]
    fn tesseract_layer_is_ocr() {
        let doc = read_fixture("ocr-tesseract.pdf", None).unwrap();
        assert_eq!(doc.text_layer, Some(TextLayer::Ocr));
        assert!(doc.is_ocr());
        let text = lines(&doc).join("\n");
        assert!(text.contains("Uppföljning"), "{text}");
        assert!(text.contains("Svar: Ja"), "{text}");
    }

    #[test]
    fn image_only_scan_has_no_text_layer() {
        let doc = read_fixture("scan-no-text.pdf", None).unwrap();
        assert_eq!(doc.text_layer, Some(TextLayer::None));
        assert_eq!(doc.pages.len(), 1);
        assert!(doc.pages[0].lines.is_empty());
    }

    #[test]
    fn user_password_is_required_and_opens_the_pdf() {
        let err = read_fixture("encrypted-user.pdf", None).unwrap_err();
        assert!(matches!(err, Error::PasswordRequired { .. }), "{err}");
        let doc = read_fixture("encrypted-user.pdf", Some("user")).unwrap();
        assert_eq!(lines(&doc)[0], "Uppföljning av förskolenämnden 2024");
        let doc = read_fixture("encrypted-user.pdf", Some("owner")).unwrap();
        assert_eq!(doc.text_layer, Some(TextLayer::Digital));
    }

    #[test]
    fn wrong_password_is_a_clear_error() {
        let err = read_fixture("encrypted-user.pdf", Some("fel")).unwrap_err();
        assert!(
            err.to_string().contains("password given does not open it"),
            "{err}"
        );
    }

    #[test]
    fn owner_password_only_reads_without_a_password() {
        let doc = read_fixture("encrypted-owner-only.pdf", None).unwrap();
        assert_eq!(lines(&doc)[0], "Uppföljning av förskolenämnden 2024");
    }

    #[test]
    fn truncated_files_are_errors_not_panics() {
        let (path, bytes) = fixture("table-chromium.pdf");
        for len in [
            0,
            8,
            100,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len() - 40,
        ] {
            let result = read_pdf(&path, &bytes[..len], None);
            if let Err(e) = &result {
                assert!(matches!(e, Error::Pdf { .. }), "{len}: {e}");
                assert!(!e.to_string().contains("{"), "no debug dumps: {e}");
            }
            // Some prefixes may still hold a readable page (lopdf rebuilds
            // the xref table); what matters is that none panics.
        }
        assert!(read_pdf(&path, &bytes[..bytes.len() / 2], None).is_err());
    }

    #[test]
    fn garbage_after_the_header_is_an_error() {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        let err = read_pdf(Path::new("garbage.pdf"), &bytes, None).unwrap_err();
        assert!(matches!(err, Error::Pdf { page: None, .. }), "{err}");
        let err = read_pdf(Path::new("empty.pdf"), b"", None).unwrap_err();
        assert!(matches!(err, Error::Pdf { .. }), "{err}");
    }

    #[test]
    fn a_page_without_media_box_is_an_error_naming_the_page() {
        let bytes = simple_pdf("BT /F1 12 Tf 72 720 Td (Hej) Tj ET", false);
        let err = read_pdf(Path::new("nobox.pdf"), &bytes, None).unwrap_err();
        assert!(matches!(err, Error::Pdf { page: Some(1), .. }), "{err}");
        assert!(err.to_string().contains("MediaBox"), "{err}");
    }

    #[test]
    fn a_panic_inside_pdf_extract_becomes_an_error_naming_the_page() {
        // Tf naming a font that is not in the resources: pdf-extract panics.
        let bytes = simple_pdf("BT /F9 12 Tf 72 720 Td (Hej) Tj ET", true);
        let err = read_pdf(Path::new("badfont.pdf"), &bytes, None).unwrap_err();
        assert!(matches!(err, Error::Pdf { page: Some(1), .. }), "{err}");
        assert!(err.to_string().contains("text extractor gave up"), "{err}");
    }

    /// A PDF of one page per content stream, all with Helvetica as /F1.
    fn pages_pdf(contents: &[&str]) -> Vec<u8> {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let kids: Vec<Object> = contents
            .iter()
            .map(|c| {
                let stream = doc.add_object(Stream::new(dictionary! {}, c.as_bytes().to_vec()));
                doc.add_object(dictionary! {
                    "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
                    "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
                    "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                })
                .into()
            })
            .collect();
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("saving a PDF to memory");
        bytes
    }

    #[test]
    fn a_page_the_extractor_gives_up_on_is_a_warning_and_the_rest_is_read() {
        let bytes = pages_pdf(&[
            "BT /F1 12 Tf 72 720 Td (Ett) Tj ET",
            "BT /F9 12 Tf 72 720 Td (Tva) Tj ET",
            "BT /F1 12 Tf 72 720 Td (Tre) Tj ET",
        ]);
        let doc = read_pdf(Path::new("three.pdf"), &bytes, None).unwrap();
        assert_eq!(lines(&doc), vec!["Ett", "Tre"]);
        assert_eq!(doc.pages.len(), 3);
        assert_eq!(doc.pages[1].number, 2);
        assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
        let w = &doc.warnings[0];
        assert_eq!((w.kind, w.page), (ReadWarningKind::PageUnread, Some(2)));
        assert!(w.message.contains("page 2"), "{}", w.message);
        // Every page unreadable: the document fails, naming the first.
        let bytes = pages_pdf(&["BT /F9 1 Tf (a) Tj ET", "BT /F9 1 Tf (b) Tj ET"]);
        let err = read_pdf(Path::new("none.pdf"), &bytes, None).unwrap_err();
        assert!(matches!(err, Error::Pdf { page: Some(1), .. }), "{err}");
    }

    #[test]
    fn invisible_text_in_a_generated_pdf_is_ocr() {
        let bytes = simple_pdf("BT 3 Tr /F1 12 Tf 72 720 Td (Svar Ja) Tj ET", true);
        let doc = read_pdf(Path::new("ocr.pdf"), &bytes, None).unwrap();
        assert_eq!(doc.text_layer, Some(TextLayer::Ocr));
        assert_eq!(lines(&doc), vec!["Svar Ja"]);
        let line = &doc.pages[0].lines[0];
        assert!((line.y.unwrap() - 122.0).abs() < 0.01, "{:?}", line.y);
        let (x0, _) = line.words[0].x.unwrap();
        assert!((x0 - 72.0).abs() < 0.01);
    }

    #[test]
    fn a_blank_page_has_no_text() {
        let doc = read_pdf(Path::new("blank.pdf"), &simple_pdf("", true), None).unwrap();
        assert_eq!(doc.text_layer, Some(TextLayer::None));
        assert_eq!(doc.pages.len(), 1);
        assert!(doc.pages[0].lines.is_empty());
    }

    #[test]
    fn text_drawn_sideways_reads_along_its_direction() {
        // Two lines rotated 90° counter-clockwise (running up the page), as
        // a landscape table printed on a portrait page.
        let content = "BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Tabell ett) Tj \
                       0 1 -1 0 315 100 Tm (Svar Ja) Tj ET";
        let doc = read_pdf(Path::new("sideways.pdf"), &simple_pdf(content, true), None).unwrap();
        assert_eq!(lines(&doc), vec!["Tabell ett", "Svar Ja"]);
        assert_eq!(doc.pages[0].width, Some(842.0));
    }

    #[test]
    fn text_in_forms_is_read() {
        let bytes = pdf_with_form("/Fm1 Do", true, Some("BT /F1 12 Tf 72 720 Td (Nej) Tj ET"));
        let doc = read_pdf(Path::new("form.pdf"), &bytes, None).unwrap();
        assert_eq!(lines(&doc), vec!["Nej"]);
    }

    /// pdf-extract follows `Do` without a cycle check; a form that draws
    /// itself would overflow the stack, which no `catch_unwind` can catch.
    #[test]
    fn a_form_drawing_itself_is_an_error_not_a_crash() {
        let bytes = pdf_with_form("/Fm1 Do", true, Some("/Fm1 Do"));
        let err = read_pdf(Path::new("loop.pdf"), &bytes, None).unwrap_err();
        assert!(matches!(err, Error::Pdf { page: Some(1), .. }), "{err}");
        assert!(err.to_string().contains("contains itself"), "{err}");
    }

    /// pdf-extract walks `/Parent` links without a limit when a page lacks
    /// `/Resources`: on a loop it recursed forever (a hang in release builds).
    #[test]
    fn a_parent_loop_in_the_page_tree_does_not_hang() {
        let mut doc = lopdf::Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let other = doc.add_object(dictionary! {
            "Type" => "Pages", "Kids" => Vec::<Object>::new(), "Count" => 0, "Parent" => pages_id,
        });
        let contents = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1, "Parent" => other,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("saving a PDF to memory");
        let doc = read_pdf(Path::new("parents.pdf"), &bytes, None).unwrap();
        assert_eq!(doc.text_layer, Some(TextLayer::None));
    }
}
