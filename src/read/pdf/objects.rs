//! Looking objects up in a loaded PDF the way pdf-extract does, for the
//! text fast path.
//!
//! pdf-extract follows one reference where it reads a value, and panics on
//! a reference to a missing object; these helpers follow the same
//! reference and make that case [`Unsupported`], so that the page goes to
//! pdf-extract and fails there as it always did. They do not parse fonts
//! or content.

use lopdf::{Dictionary, Document, Object, Stream};

/// Why the fast path leaves a page to pdf-extract.
pub(super) type Unsupported = &'static str;

/// `object`, with a reference followed.
pub(super) fn deref<'a>(doc: &'a Document, object: &'a Object) -> Result<&'a Object, Unsupported> {
    match object {
        Object::Reference(id) => doc
            .get_object(*id)
            .map_err(|_| "a reference to a missing object"),
        other => Ok(other),
    }
}

/// `dict[key]` with a reference followed; `None` if the key is absent.
pub(super) fn get<'a>(
    doc: &'a Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Result<Option<&'a Object>, Unsupported> {
    dict.get(key).ok().map(|o| deref(doc, o)).transpose()
}

/// An integer or real object as a number.
pub(super) fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(v) => Some(*v as f64),
        Object::Real(v) => Some(f64::from(*v)),
        _ => None,
    }
}

/// The decoded bytes of a stream, or its raw bytes if they cannot be
/// decoded, as pdf-extract reads font and form streams.
pub(super) fn contents(stream: &Stream) -> Vec<u8> {
    if stream.filters().is_ok() {
        stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone())
    } else {
        stream.content.clone()
    }
}
