//! Why one page of a PDF could not be read.
//!
//! A [`PageError`] says what failed on a page; the reader turns it into the
//! page's `page-unread` warning, or into [`crate::error::Error::Pdf`] (which names
//! the file and the page) when no page could be read. This module does not
//! decide which of the two it becomes.
//!
//! lopdf's and pdf-extract's errors already repeat their own causes in
//! their messages, so a `PageError` shows their message as part of its own
//! and does not hand them on as its source: a chain would say it twice.

use lopdf::ObjectId;

use super::guard::Panic;
use super::layer::MAX_FORM_DEPTH;

/// What failed while reading one page.
#[derive(Debug, thiserror::Error)]
pub(super) enum PageError {
    /// The page, or its ancestors, give no usable MediaBox.
    #[error("the page has no valid MediaBox, so its size and text positions are unknown")]
    NoMediaBox,
    /// The page tree names an object that is not there or not a page.
    #[error("the page object is missing or is not a dictionary")]
    NotADictionary,
    /// Reading the page's content streams panicked in lopdf or in the
    /// layer scanner.
    #[error("cannot read the page's content ({0})")]
    ContentPanicked(Panic),
    /// lopdf could not gather or decode the page's content streams.
    #[error("cannot read the page's content: {0}")]
    Content(lopdf::Error),
    /// Neither the fast reader nor lopdf could parse a content stream (the
    /// page's or a form's).
    #[error("cannot parse the page's content stream: {0}")]
    Unparsable(lopdf::Error),
    /// A form XObject draws itself, directly or through other forms;
    /// pdf-extract would recurse until the stack overflows.
    #[error(
        "form XObject {} {} contains itself (a loop in the page's drawing)",
        .form.0,
        .form.1
    )]
    FormContainsItself {
        /// The form met again inside itself.
        form: ObjectId,
    },
    /// Form XObjects nested deeper than the scanner follows.
    #[error("form XObjects are nested more than {MAX_FORM_DEPTH} deep")]
    FormsTooDeep,
    /// A form XObject's stream cannot be decompressed.
    #[error("cannot decompress form XObject {} {}: {error}", .form.0, .form.1)]
    FormUndecompressable {
        /// The form.
        form: ObjectId,
        /// lopdf's error.
        error: lopdf::Error,
    },
    /// pdf-extract returned an error for the page.
    #[error("cannot extract the page's text: {0}")]
    Extract(pdf_extract::OutputError),
    /// pdf-extract panicked on the page.
    #[error("cannot extract the page's text: the PDF text extractor gave up ({0})")]
    ExtractorPanicked(Panic),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts users see in `page-unread` warnings and in errors, which
    /// tests and fixtures elsewhere pin.
    #[test]
    fn page_errors_say_what_they_said_as_strings() {
        assert_eq!(
            PageError::FormContainsItself { form: (5, 0) }.to_string(),
            "form XObject 5 0 contains itself (a loop in the page's drawing)"
        );
        assert_eq!(
            PageError::FormsTooDeep.to_string(),
            "form XObjects are nested more than 24 deep"
        );
        assert_eq!(
            PageError::Unparsable(lopdf::Error::MissingXrefEntry).to_string(),
            "cannot parse the page's content stream: missing xref entry"
        );
    }
}
