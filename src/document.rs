//! The positioned text of one input, as every reader produces it.
//!
//! This is the type passed from the readers (`read::text`, `read::pdf`) to
//! repair and segmentation. It owns no parsing and no layout analysis: a
//! reader fills it, later stages only read it.

use serde::{Deserialize, Serialize};

/// What kind of file the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// A PDF file (decided by its `%PDF` header, not its extension).
    Pdf,
    /// A plain-text file, typically OCR output.
    Text,
    /// An image file (PNG, JPEG, TIFF), read with OCR.
    Image,
}

impl SourceFormat {
    /// The spelling written in reports (`pdf`).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Pdf => "pdf",
            SourceFormat::Text => "text",
            SourceFormat::Image => "image",
        }
    }
}

impl std::fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a PDF's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextLayer {
    /// Text drawn by the program that made the PDF: already right.
    Digital,
    /// An invisible OCR text layer (text render mode 3), as tesseract or
    /// OCRmyPDF write it: needs OCR repair.
    Ocr,
    /// No text at all (an image-only scan).
    None,
}

impl TextLayer {
    /// The spelling written in reports (`digital`).
    pub fn as_str(self) -> &'static str {
        match self {
            TextLayer::Digital => "digital",
            TextLayer::Ocr => "ocr",
            TextLayer::None => "none",
        }
    }
}

impl std::fmt::Display for TextLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One input document: its pages in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The kind of file read.
    pub format: SourceFormat,
    /// For PDFs, where the text came from; `None` for text input.
    pub text_layer: Option<TextLayer>,
    /// Pages in document order.
    pub pages: Vec<Page>,
    /// What the reader met and worked around (a page it could not read, a
    /// damaged font map), for the report's warnings.
    #[serde(default)]
    pub warnings: Vec<ReadWarning>,
}

/// Something a reader met and worked around: the document was still read,
/// but not all of it, or not all of it exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadWarning {
    /// What kind of thing the reader worked around.
    pub kind: ReadWarningKind,
    /// The page concerned, where there is one.
    pub page: Option<usize>,
    /// What happened and what was done, for a person.
    pub message: String,
}

/// The kinds of [`ReadWarning`], each also a kind of the report's warnings
/// (`report::WarningKind`), spelled the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReadWarningKind {
    /// Fonts without a ToUnicode map were read through the Unicode map of
    /// their embedded font program.
    FontMapDerived,
    /// A font that could not be read was repaired, and its page read
    /// again.
    FontRepaired,
    /// A page could not be read and was left out.
    PageUnread,
    /// The PDF's cross-reference table was damaged and rebuilt by
    /// scanning the file for its objects.
    XrefRebuilt,
}

impl ReadWarningKind {
    /// The spelling written in reports (`page-unread`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReadWarningKind::FontMapDerived => "font-map-derived",
            ReadWarningKind::FontRepaired => "font-repaired",
            ReadWarningKind::PageUnread => "page-unread",
            ReadWarningKind::XrefRebuilt => "xref-rebuilt",
        }
    }
}

impl Document {
    /// True when the text came from OCR and so needs OCR repair. Plain-text
    /// input is assumed to be OCR output.
    pub fn is_ocr(&self) -> bool {
        !matches!(self.text_layer, Some(TextLayer::Digital))
    }

    /// The text layer its pages' own layers give: the kind most pages with
    /// words have (OCR on a tie, the safer mistake), `None` (the layer)
    /// when no page has words; `None` when no page knows its layer.
    pub fn layer_of_pages(&self) -> Option<TextLayer> {
        let known: Vec<TextLayer> = self.pages.iter().filter_map(|p| p.text_layer).collect();
        if known.is_empty() {
            return None;
        }
        let with_words = |layer: TextLayer| {
            self.pages
                .iter()
                .filter(|p| p.text_layer == Some(layer) && p.lines.iter().any(|l| !l.is_blank()))
                .count()
        };
        let (ocr, digital) = (with_words(TextLayer::Ocr), with_words(TextLayer::Digital));
        Some(if ocr == 0 && digital == 0 {
            TextLayer::None
        } else if ocr >= digital {
            TextLayer::Ocr
        } else {
            TextLayer::Digital
        })
    }
}

/// One page of a document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    /// Page width in PDF points, where the reader knows it.
    pub width: Option<f32>,
    /// Lines in reading order (top to bottom). An empty line is a paragraph
    /// break: text readers keep blank lines, PDF readers may leave them out
    /// since positions tell the gaps.
    pub lines: Vec<Line>,
    /// Where this page's text came from, for PDF pages and pages read with
    /// OCR; `None` for text input. A file of several reports may mix them
    /// (a scanned attachment among digital ones): each report's own pages
    /// decide its text layer.
    #[serde(default)]
    pub text_layer: Option<TextLayer>,
}

/// One printed line: its words left to right.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Line {
    /// Words in left-to-right order.
    pub words: Vec<Word>,
    /// Baseline distance from the top of the page, in points (grows downwards).
    pub y: Option<f32>,
    /// Font size or line height in points.
    pub height: Option<f32>,
}

impl Line {
    /// A line of unpositioned words, split on whitespace.
    pub fn from_text(text: &str) -> Line {
        Line {
            words: text.split_whitespace().map(Word::plain).collect(),
            y: None,
            height: None,
        }
    }

    /// True for a blank line (a paragraph break in text input).
    pub fn is_blank(&self) -> bool {
        self.words.is_empty()
    }

    /// The words joined by single spaces.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&w.text);
        }
        out
    }
}

/// One word: a run of non-space characters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// The text, NFC-normalised, without spaces.
    pub text: String,
    /// Left and right edge in points from the left of the page, where known.
    pub x: Option<(f32, f32)>,
    /// OCR confidence 0..1, where the OCR engine reported one.
    pub confidence: Option<f32>,
}

impl Word {
    /// A word with no position.
    pub fn plain(text: &str) -> Word {
        Word {
            text: text.to_string(),
            x: None,
            confidence: None,
        }
    }

    /// A word with its horizontal extent.
    pub fn at(text: &str, x0: f32, x1: f32) -> Word {
        Word {
            text: text.to_string(),
            x: Some((x0, x1)),
            confidence: None,
        }
    }
}
