//! ToUnicode CMaps, read as pdf-extract reads them, fast where they are
//! plain.
//!
//! pdf-extract reads a font's ToUnicode CMap with `adobe_cmap_parser`, a
//! parser-combinator lexer that allocates for every byte it looks at; on the
//! corpus it took most of the time spent parsing fonts. [`unicode_map`]
//! first tries a hand-written lexer for the plain subset that Chromium, Skia
//! and tesseract write (integers, names, operators, hex strings, literal
//! strings without escapes, arrays and dictionaries of those, comments
//! where that parser takes them) and reads the tokens exactly as
//! `adobe_cmap_parser::get_unicode_map` does. On anything else (escapes,
//! reals, booleans, `#` in names, a token that parser would stop at, a map
//! it would fail or panic on, or a range too long to be worth it) it gives
//! up and lets `adobe_cmap_parser` read the CMap, so both paths give the
//! same map. The cursor, the walk through arrays and dictionaries
//! and the byte classes are shared with `content` (module `lex`); the
//! token rules here are `adobe_cmap_parser`'s. This module does not decode the mapped text.

use std::collections::HashMap;

use super::guard;
use super::lex::{hex_value, is_operator_byte, is_token_space, Cursor, MAX_DEPTH};

/// Character codes and the UTF-16BE bytes they map to, as
/// `adobe_cmap_parser::get_unicode_map` returns them.
pub(super) type RawMap = HashMap<u32, Vec<u8>>;

/// Longer integers are left to `adobe_cmap_parser` (which reads a number
/// beyond `i64` as a real).
const MAX_DIGITS: usize = 18;
/// A `bfrange` spanning more codes than this is left to `adobe_cmap_parser`.
const MAX_RANGE: u32 = 0x1_0000;

/// The map `adobe_cmap_parser::get_unicode_map` reads from `cmap`, or `None`
/// where it fails or panics.
pub(super) fn unicode_map(cmap: &[u8]) -> Option<RawMap> {
    plain_unicode_map(cmap).or_else(|| reference_unicode_map(cmap))
}

/// The map as `adobe_cmap_parser` reads it, its panics caught.
pub(super) fn reference_unicode_map(cmap: &[u8]) -> Option<RawMap> {
    guard::guarded(|| adobe_cmap_parser::get_unicode_map(cmap))
        .ok()
        .and_then(Result::ok)
}

/// The map, if `cmap` stays in the plain subset and maps without error.
fn plain_unicode_map(cmap: &[u8]) -> Option<RawMap> {
    interpret(&tokens(cmap)?)
}

/// One top-level token, as far as reading the map needs it.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Integer(i64),
    /// A literal or hex string's bytes.
    String(Vec<u8>),
    Operator(&'a [u8]),
    Array(Vec<Token<'a>>),
    /// A name or a dictionary.
    Other,
}

/// Reads the tokens `bfchar` and `bfrange` entries are made of, walking the
/// token list as `get_unicode_map` does; `None` wherever it would fail or
/// panic.
fn interpret(tokens: &[Token]) -> Option<RawMap> {
    let string = |i: usize| match tokens.get(i)? {
        Token::String(s) => Some(s),
        _ => None,
    };
    let mut map = HashMap::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Operator(op) = tokens[i] else {
            i += 1;
            continue;
        };
        if op != b"beginbfchar" && op != b"beginbfrange" {
            i += 1;
            continue;
        }
        let Token::Integer(count) = tokens.get(i.checked_sub(1)?)? else {
            return None;
        };
        i += 1;
        for _ in 0..*count {
            if op == b"beginbfchar" {
                map.insert(code(string(i)?), string(i + 1)?.clone());
                i += 2;
            } else {
                let lower = code(string(i)?);
                let upper = code(string(i + 1)?);
                bfrange(&mut map, lower, upper, tokens.get(i + 2)?)?;
                i += 3;
            }
        }
        i += 1;
    }
    Some(map)
}

/// Adds one `bfrange` entry: codes `lower..=upper` mapped from `start` on,
/// or to the strings of an array.
fn bfrange(map: &mut RawMap, lower: u32, upper: u32, destination: &Token) -> Option<()> {
    if upper < lower || upper - lower >= MAX_RANGE {
        // Empty, wrapping or huge: leave the quirks to the reference parser.
        return None;
    }
    match destination {
        Token::String(start) if start.len() == 4 => {
            let start = code(start);
            start.checked_add(upper - lower)?;
            for c in lower..=upper {
                map.insert(c, (start + (c - lower)).to_be_bytes().to_vec());
            }
        }
        Token::String(start) if start.len() == 2 => {
            let start = code(start);
            if start + (upper - lower) > u32::from(u16::MAX) {
                return None;
            }
            for c in lower..=upper {
                let unit = (start + (c - lower)) as u16;
                map.insert(c, unit.to_be_bytes().to_vec());
            }
        }
        Token::Array(items) if items.len() as u64 == u64::from(upper - lower) + 1 => {
            for (c, item) in (lower..=upper).zip(items) {
                let Token::String(s) = item else { return None };
                map.insert(c, s.clone());
            }
        }
        _ => return None,
    }
    Some(())
}

/// A string's bytes as a big-endian code, as `adobe_cmap_parser` folds them
/// (bytes beyond the fourth push the first ones out).
fn code(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0u32, |code, &b| (code << 8) | u32::from(b))
}

/// The top-level tokens of `cmap`, or `None` if it leaves the plain subset.
fn tokens(cmap: &[u8]) -> Option<Vec<Token<'_>>> {
    let mut c = Cursor::new(cmap);
    let mut tokens = Vec::new();
    loop {
        // Comments may come only where a token could start after the last
        // token's trailing space; one after other space ends the parse.
        while c.peek() == Some(b'%') {
            comment(&mut c)?;
        }
        c.take_while(is_token_space);
        match c.peek() {
            None => break,
            Some(b'%') => return None,
            Some(_) => tokens.push(value(&mut c, 0)?),
        }
    }
    // No token at all is a parse error.
    (!tokens.is_empty()).then_some(tokens)
}

/// A `%` comment and the line end that must close it.
fn comment(c: &mut Cursor) -> Option<()> {
    c.take_while(|b| b != b'\r' && b != b'\n');
    c.peek()?;
    c.bump(if c.at(b"\r\n") { 2 } else { 1 });
    Some(())
}

/// One value and the space after it.
fn value<'a>(c: &mut Cursor<'a>, depth: usize) -> Option<Token<'a>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let token = match c.peek()? {
        // Booleans, and operators the reference lexer splits after one.
        _ if c.at(b"true") || c.at(b"false") => return None,
        b'+' | b'-' | b'0'..=b'9' => Token::Integer(integer(c)?),
        b'/' => {
            name(c)?;
            Token::Other
        }
        b if is_operator_byte(b) => Token::Operator(c.take_while(is_operator_byte)),
        // A literal string without escapes or nested parentheses.
        b'(' => Token::String(
            c.delimited(|b| !matches!(b, b'\\' | b'(' | b')'), b')')?
                .to_vec(),
        ),
        b'<' if c.at(b"<<") => {
            dictionary(c, depth)?;
            Token::Other
        }
        b'<' => Token::String(hex_string(c)?),
        b'[' => Token::Array(c.array(is_space, |c| value(c, depth + 1))?),
        _ => return None,
    };
    c.take_while(is_token_space);
    Some(token)
}

/// An integer; a real (or a number too long for `i64`) gives up.
fn integer(c: &mut Cursor) -> Option<i64> {
    let start = c.pos();
    c.sign();
    let digits = c.take_while(|b| b.is_ascii_digit()).len();
    if digits == 0 || digits > MAX_DIGITS || c.peek() == Some(b'.') {
        return None;
    }
    std::str::from_utf8(c.since(start)).ok()?.parse().ok()
}

/// A name without `#` escapes; its bytes.
fn name<'a>(c: &mut Cursor<'a>) -> Option<&'a [u8]> {
    c.bump(1);
    let name = c.take_while(|b| !b" \t\n\r\x0C()<>[]{}/%#".contains(&b));
    (c.peek() != Some(b'#')).then_some(name)
}

/// The bytes of a hex string: pairs of digits, space allowed between
/// pairs but not inside one.
fn hex_string(c: &mut Cursor) -> Option<Vec<u8>> {
    c.bump(1);
    let mut bytes = Vec::new();
    loop {
        c.take_while(is_space);
        if c.peek()? == b'>' {
            c.bump(1);
            return Some(bytes);
        }
        let high = hex_value(c.peek()?)?;
        let low = hex_value(c.peek_nth(1)?)?;
        bytes.push((high << 4) | low);
        c.bump(2);
    }
}

/// Skips a dictionary whose keys are UTF-8 names (the reference parser
/// panics on any other key).
fn dictionary(c: &mut Cursor, depth: usize) -> Option<()> {
    c.dictionary(is_space, |c| {
        std::str::from_utf8(name(c)?).ok()?;
        c.take_while(is_space);
        value(c, depth + 1).map(drop)
    })
}

/// The space the reference parser skips inside arrays, dictionaries and
/// hex strings (after a token it skips only [`is_token_space`]).
fn is_space(c: u8) -> bool {
    c == b'\0' || c == b'\x0C' || is_token_space(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::Path;

    use lopdf::Object;

    /// Reads `cmap` both ways and asserts that the plain reader agrees with
    /// the reference wherever it does not give up. Returns whether the plain
    /// reader read it.
    fn agree(cmap: &[u8]) -> bool {
        let plain = plain_unicode_map(cmap);
        let reference = reference_unicode_map(cmap);
        let read = plain.is_some();
        if read {
            assert_eq!(
                plain,
                reference,
                "the plain reader disagrees on {:?}",
                String::from_utf8_lossy(cmap)
            );
        }
        assert_eq!(unicode_map(cmap), reference);
        read
    }

    const SKIA: &str = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        /CIDSystemInfo\n<<  /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n\
        /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n\
        <0000> <FFFF>\nendcodespacerange\n3 beginbfchar\n<0003> <0020>\n<0024> <00E5>\n\
        <0102> <D835DC00>\nendbfchar\n2 beginbfrange\n<0010> <0012> <0041>\n\
        <0020> <0021> [<0066 0069> <006C>]\nendbfrange\nendcmap\n\
        CMapName currentdict /CMap defineresource pop\nend\nend\n";

    #[test]
    fn a_skia_cmap_reads_as_the_reference_reads_it() {
        let map = plain_unicode_map(SKIA.as_bytes()).expect("in the plain subset");
        assert_eq!(map.len(), 8);
        assert_eq!(map[&0x24], vec![0x00, 0xE5]);
        assert_eq!(map[&0x102], vec![0xD8, 0x35, 0xDC, 0x00]);
        assert_eq!(map[&0x12], vec![0x00, 0x43]);
        assert_eq!(map[&0x20], vec![0x00, 0x66, 0x00, 0x69]);
        assert!(agree(SKIA.as_bytes()));
    }

    #[test]
    fn quirks_of_the_reference_are_kept() {
        let read: &[&[u8]] = &[
            // Later entries win; a 4-byte range start gives 4-byte values.
            b"2 beginbfchar <01> <0041> <01> <0042> endbfchar",
            b"1 beginbfrange <01> <03> <00000041> endbfrange",
            // A count smaller than the entries: the rest is skipped.
            b"1 beginbfchar <01> <0041> <02> <0042> endbfchar",
            // Comments where the reference takes them.
            b"% head\n1 beginbfchar <01> <0041> endbfchar",
            b"1 beginbfchar\n% inside\r<01> <0041> endbfchar",
            b"1 beginbfchar <01> <0041> endbfchar\n  % after a token's space\n",
            b"<< /Key [1 (x) <00>] /K2 << >> >> 1 beginbfchar <01> <0041> endbfchar",
            b"1 beginbfchar <01> < 00 41\x00> endbfchar",
        ];
        for cmap in read {
            assert!(agree(cmap), "{:?}", String::from_utf8_lossy(cmap));
        }
    }

    #[test]
    fn what_the_plain_reader_gives_up_on_reads_as_the_reference_reads_it() {
        let left: &[&[u8]] = &[
            // Too few entries, a missing count, a bad destination.
            b"3 beginbfchar <01> <0041> endbfchar",
            b"beginbfchar <01> <0041> endbfchar",
            b"1 beginbfrange <01> <02> <004100> endbfrange",
            b"1 beginbfrange <01> <02> [<0041>] endbfrange",
            // A u16 destination that wraps, and a range running backwards.
            b"1 beginbfrange <01> <03> <FFFF> endbfrange",
            b"1 beginbfrange <03> <01> <0041> endbfrange",
            // Comments where the reference stops: after space that follows
            // no token.
            b"  % after space\n1 beginbfchar <01> <0041> endbfchar",
            b"% one\n  % two\n1 beginbfchar <01> <0041> endbfchar",
            b"% no line end",
            // Tokens the plain lexer leaves alone.
            b"1 beginbfchar <01> (\\101) endbfchar",
            b"1 beginbfchar <01> <0041> endbfchar 1.5 true /A#20B",
            b"12.5 beginbfchar",
            b"1 beginbfchar <0 1> <0041> endbfchar",
            b"1 beginbfchar <01> <0041> endbfchar { }",
            b"1 beginbfchar <01>\x0C<0041> endbfchar",
            b"[<01>\x00<02>] 1 beginbfchar <01> <0041> endbfchar",
            b"trueA 1 beginbfchar <01> <0041> endbfchar",
            b"",
            b"   ",
        ];
        for cmap in left {
            assert!(!agree(cmap), "{:?}", String::from_utf8_lossy(cmap));
        }
    }

    /// Every truncation and many one-byte changes of a real CMap: wherever
    /// the plain reader reads one, it reads what the reference reads.
    #[test]
    fn damaged_cmaps_read_as_the_reference_reads_them() {
        let base = SKIA.as_bytes();
        let (mut variants, mut read) = (0, 0);
        for len in 0..base.len() {
            variants += 1;
            read += usize::from(agree(&base[..len]));
        }
        let replacements = b" \n%()<>[]/\\#0aF.-\x00";
        for (i, pos) in (0..base.len()).step_by(3).enumerate() {
            let mut cmap = base.to_vec();
            cmap[pos] = replacements[i % replacements.len()];
            variants += 1;
            read += usize::from(agree(&cmap));
        }
        assert!(
            read > variants / 10 && read < variants,
            "{read} of {variants} read by the plain reader"
        );
    }

    /// Every ToUnicode CMap of every fixture and corpus PDF, as stored and
    /// as `fixup` rewrites it, reads the same both ways, and the plain
    /// reader reads them all.
    #[test]
    fn every_cmap_of_the_corpus_reads_as_the_reference_reads_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = HashSet::new();
        for dir in [
            "fixtures/pdf",
            "corpus/digital",
            "corpus/scan-eng",
            "corpus/scan-swe",
        ] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap_or_else(|e| panic!("{dir}: {e}"))
                .map(|e| e.expect("directory entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .collect();
            paths.sort();
            for path in paths {
                let Ok(mut doc) = lopdf::Document::load(&path) else {
                    continue;
                };
                for fix in [false, true] {
                    if fix {
                        super::super::fixup::apply(&mut doc);
                    }
                    for object in doc.objects.values() {
                        let Ok(dict) = object.as_dict() else { continue };
                        let Ok(Object::Reference(id)) = dict.get(b"ToUnicode") else {
                            continue;
                        };
                        let Ok(stream) = doc.get_object(*id).and_then(Object::as_stream) else {
                            continue;
                        };
                        let cmap = super::super::objects::contents(stream);
                        if seen.insert(cmap.clone()) {
                            assert!(agree(&cmap), "{}: CMap {id:?}", path.display());
                        }
                    }
                }
            }
        }
        assert!(seen.len() > 50, "only {} distinct CMaps", seen.len());
    }
}
