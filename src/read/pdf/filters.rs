//! Decodes streams whose filters lopdf cannot undo, before anything reads
//! them.
//!
//! lopdf 0.42 decodes `FlateDecode`, `LZWDecode` and `ASCII85Decode`, with
//! one `/DecodeParms` dictionary for the whole chain. A content stream with
//! `ASCIIHexDecode` or `RunLengthDecode` in its chain, with an abbreviated
//! filter name (`/Fl`, `/AHx`, as inline images use them), or with a
//! `/DecodeParms` array (one entry per filter, as a chain of
//! `[/ASCII85Decode /FlateDecode]` with a predictor has it) is handed on
//! undecoded: lopdf's page content is then the encoded bytes, and the page
//! reads as no text. Such streams are decoded here, each filter with its
//! own parameters (lopdf still inflates and undoes predictors), and stored
//! plain. Streams lopdf reads right are left exactly as they are, and image
//! data is never decoded. This module does not parse what it decodes.

use lopdf::{Dictionary, Document, Object, Stream};

/// Decoded streams larger than this are left encoded: a content stream of
/// a report page is a few hundred KiB at most.
const MAX_DECODED: usize = 64 << 20;

/// Decodes, in place, every stream lopdf would leave encoded. Returns how
/// many were decoded.
pub(super) fn decode_unsupported(doc: &mut Document) -> usize {
    let mut count = 0;
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if !needs_us(&stream.dict) {
            continue;
        }
        if let Some(plain) = decode(stream) {
            stream.set_plain_content(plain);
            count += 1;
        }
    }
    count
}

/// The filter names of a stream (a name or an array of names).
fn filter_names(dict: &Dictionary) -> Option<Vec<&[u8]>> {
    match dict.get(b"Filter").ok()? {
        Object::Name(n) => Some(vec![n.as_slice()]),
        Object::Array(items) => items.iter().map(|o| o.as_name().ok()).collect(),
        _ => None,
    }
}

/// Whether lopdf would fail on this stream's filters (and the stream is not
/// an image, whose data is not text).
fn needs_us(dict: &Dictionary) -> bool {
    if matches!(dict.get(b"Subtype").and_then(Object::as_name), Ok(b"Image")) {
        return false;
    }
    let Some(names) = filter_names(dict) else {
        return false;
    };
    let lopdf_reads = |n: &[u8]| matches!(n, b"FlateDecode" | b"LZWDecode" | b"ASCII85Decode");
    let params_array = matches!(dict.get(b"DecodeParms"), Ok(Object::Array(_)));
    names.iter().any(|n| !lopdf_reads(n)) || (params_array && names.len() > 1)
}

/// The stream's content with every filter undone, or `None` if a filter is
/// one we do not decode (an image codec) or the data is broken.
fn decode(stream: &Stream) -> Option<Vec<u8>> {
    let names = filter_names(&stream.dict)?;
    let params: Vec<Option<&Dictionary>> = match stream.dict.get(b"DecodeParms") {
        Ok(Object::Array(items)) => items.iter().map(|o| o.as_dict().ok()).collect(),
        Ok(Object::Dictionary(d)) => vec![Some(d); names.len()],
        _ => vec![None; names.len()],
    };
    let mut data = stream.content.clone();
    for (i, name) in names.iter().enumerate() {
        let param = params.get(i).copied().flatten();
        data = match *name {
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&data),
            b"RunLengthDecode" | b"RL" => run_length(&data)?,
            b"FlateDecode" | b"Fl" => with_lopdf(b"FlateDecode", data, param)?,
            b"LZWDecode" | b"LZW" => with_lopdf(b"LZWDecode", data, param)?,
            b"ASCII85Decode" | b"A85" => with_lopdf(b"ASCII85Decode", data, None)?,
            _ => return None,
        };
        if data.len() > MAX_DECODED {
            return None;
        }
    }
    Some(data)
}

/// Undoes one filter lopdf knows, with its own parameters.
fn with_lopdf(filter: &[u8], data: Vec<u8>, params: Option<&Dictionary>) -> Option<Vec<u8>> {
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Name(filter.to_vec()));
    if let Some(p) = params {
        dict.set("DecodeParms", Object::Dictionary(p.clone()));
    }
    let had_data = !data.is_empty();
    let out = Stream::new(dict, data).decompressed_content().ok()?;
    // lopdf answers data it cannot inflate with nothing rather than an
    // error: then the stream is left as it was.
    if had_data && out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// `ASCIIHexDecode`: pairs of hex digits, whitespace ignored, up to `>`; an
/// odd last digit is followed by an implied 0.
fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let end = data.iter().position(|&c| c == b'>').unwrap_or(data.len());
    let mut out = Vec::with_capacity(data.len() / 2);
    // Whitespace, and junk poppler also skips, is skipped.
    super::lex::decode_hex(&data[..end], &mut out);
    out
}

/// `RunLengthDecode`: a length byte, then literal bytes (0–127: that many
/// plus one) or one byte repeated (129–255: 257 minus it times); 128 ends.
fn run_length(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 2);
    let mut i = 0;
    while let Some(&n) = data.get(i) {
        match n {
            128 => break,
            0..=127 => {
                let len = usize::from(n) + 1;
                let end = (i + 1 + len).min(data.len());
                out.extend_from_slice(&data[i + 1..end]);
                i += 1 + len;
            }
            _ => {
                let byte = *data.get(i + 1)?;
                out.extend(std::iter::repeat_n(byte, 257 - usize::from(n)));
                i += 2;
            }
        }
        if out.len() > MAX_DECODED {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn data_that_does_not_inflate_is_left_encoded() {
        let stream = Stream::new(
            dictionary! { "Filter" => vec![Object::Name(b"AHx".to_vec()), Object::Name(b"Fl".to_vec())] },
            b"0102030405>".to_vec(),
        );
        assert_eq!(decode(&stream), None);
    }

    #[test]
    fn hex_and_run_length_decode() {
        assert_eq!(ascii_hex(b"48 65 6c6C 6\n>junk"), b"Hell`");
        // "ab" literally, then 'c' three times, then end.
        assert_eq!(
            run_length(&[1, b'a', b'b', 254, b'c', 128, 9]).unwrap(),
            b"abccc"
        );
    }

    #[test]
    fn a_chain_with_hex_over_flate_is_decoded_and_lopdf_streams_are_left() {
        let text = b"BT /F1 12 Tf 72 720 Td (Hej) Tj ET\n".repeat(20);
        let mut deflated = Stream::new(dictionary! {}, text.clone());
        deflated.compress().unwrap();
        assert!(deflated.content.len() < text.len(), "compressed");
        let hex: String = deflated
            .content
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>()
            + ">";
        let mut doc = Document::with_version("1.5");
        let chained = doc.add_object(Stream::new(
            dictionary! { "Filter" => vec![Object::Name(b"AHx".to_vec()), Object::Name(b"FlateDecode".to_vec())] },
            hex.into_bytes(),
        ));
        let plain_flate = doc.add_object(deflated.clone());
        assert_eq!(decode_unsupported(&mut doc), 1);
        let got = doc.get_object(chained).unwrap().as_stream().unwrap();
        assert_eq!(got.content, text);
        assert!(got.dict.get(b"Filter").is_err());
        let untouched = doc.get_object(plain_flate).unwrap().as_stream().unwrap();
        assert_eq!(untouched.content, deflated.content);
    }
}
