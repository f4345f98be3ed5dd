//! A fast reader for the plain subset of content-stream syntax, for the
//! layer scanner.
//!
//! The scanner needs only each operator with its first and last operand,
//! yet lopdf's content parser builds every operand as an object, and on the
//! corpus it took about a third of the time spent reading PDFs (pdf-extract
//! then parses the same streams again). [`operations`] reads the subset that
//! Chromium, Skia and tesseract write: numbers, names, strings without
//! escapes, hex strings, arrays and dictionaries of those, operators. On
//! anything else (comments, inline images, escapes, `#` in names, unusual
//! whitespace, a token glued to the next) it returns `None` and the caller
//! uses lopdf's parser, so both paths read the same operations. It does not
//! interpret the operations.

use lopdf::Object;

/// Deeper nesting than this (arrays, dictionaries, parentheses inside
/// strings) is left to lopdf.
const MAX_DEPTH: usize = 16;
/// Longer numbers are left to lopdf (which fails on integers beyond i64).
const MAX_NUMBER_LEN: usize = 18;

/// What the scanner needs to know of one operand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Operand<'a> {
    /// An integer or real, converted as lopdf converts it.
    Number(f64),
    /// A name, without its slash.
    Name(&'a [u8]),
    /// A string, or an array: the bytes of the strings it shows directly.
    Shown(usize),
    /// Anything else (a dictionary, a boolean, null).
    Other,
}

impl<'a> Operation<'a> {
    /// The operation as lopdf's parser read it.
    pub(super) fn of(op: &'a lopdf::content::Operation) -> Operation<'a> {
        Operation {
            operator: op.operator.as_bytes(),
            first: op.operands.first().map(Operand::of),
            last: op.operands.last().map(Operand::of),
        }
    }
}

impl<'a> Operand<'a> {
    /// The operand of a lopdf object.
    fn of(object: &'a Object) -> Operand<'a> {
        match object {
            Object::Integer(v) => Operand::Number(*v as f64),
            Object::Real(v) => Operand::Number(f64::from(*v)),
            Object::Name(name) => Operand::Name(name),
            Object::String(bytes, _) => Operand::Shown(bytes.len()),
            Object::Array(items) => Operand::Shown(
                items
                    .iter()
                    .map(|o| match o {
                        Object::String(bytes, _) => bytes.len(),
                        _ => 0,
                    })
                    .sum(),
            ),
            _ => Operand::Other,
        }
    }
}

/// One operation: the operator with its first and last operands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Operation<'a> {
    pub operator: &'a [u8],
    pub first: Option<Operand<'a>>,
    pub last: Option<Operand<'a>>,
}

/// The operations of `content`, or `None` if it leaves the plain subset.
pub(super) fn operations(content: &[u8]) -> Option<Vec<Operation<'_>>> {
    let mut lexer = Lexer {
        bytes: content,
        pos: 0,
    };
    let mut out = Vec::with_capacity(content.len() / 16);
    let (mut first, mut last) = (None, None);
    loop {
        lexer.skip_space();
        let Some(c) = lexer.peek() else { break };
        if is_operator_byte(c) {
            let word = lexer.take_while(is_operator_byte);
            // lopdf reads these as operands, or as an inline image.
            if [&b"null"[..], b"true", b"false"]
                .iter()
                .any(|k| word.starts_with(k))
                || matches!(word, b"BI" | b"ID" | b"EI")
            {
                return None;
            }
            out.push(Operation {
                operator: word,
                first: first.take(),
                last: last.take(),
            });
        } else {
            let operand = lexer.operand(0)?;
            first.get_or_insert(operand);
            last = Some(operand);
        }
    }
    // Operands left without an operator are dropped, as lopdf drops them.
    Some(out)
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        self.take_while(is_space);
    }

    fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    /// Reads one operand and the space after it.
    fn operand(&mut self, depth: usize) -> Option<Operand<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let operand = match self.peek()? {
            b'/' => {
                self.pos += 1;
                let name =
                    self.take_while(|c| !is_space(c) && !is_delimiter(c) && !is_odd_space(c));
                if name.contains(&b'#') || self.peek().is_some_and(is_odd_space) {
                    return None;
                }
                Operand::Name(name)
            }
            b'(' => Operand::Shown(self.literal_string()?),
            b'<' if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                self.dictionary(depth)?;
                Operand::Other
            }
            b'<' => Operand::Shown(self.hex_string()?),
            b'[' => Operand::Shown(self.array(depth)?),
            b'+' | b'-' | b'.' | b'0'..=b'9' => Operand::Number(self.number()?),
            _ => return None,
        };
        self.skip_space();
        Some(operand)
    }

    /// A number, which must end where a delimiter or space begins.
    fn number(&mut self) -> Option<f64> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let int = self.take_while(|c| c.is_ascii_digit()).len();
        let real = self.peek() == Some(b'.');
        let frac = if real {
            self.pos += 1;
            self.take_while(|c| c.is_ascii_digit()).len()
        } else {
            0
        };
        let text = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        let ends_cleanly = self.peek().is_none_or(|c| {
            is_space(c) || matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'/')
        });
        if int + frac == 0 || text.len() > MAX_NUMBER_LEN || !ends_cleanly {
            return None;
        }
        // lopdf reads reals as f32 and integers as i64.
        if real {
            text.parse::<f32>().ok().map(f64::from)
        } else {
            text.parse::<i64>().ok().map(|v| v as f64)
        }
    }

    /// The length of a literal string without escapes or line ends.
    fn literal_string(&mut self) -> Option<usize> {
        self.pos += 1;
        let start = self.pos;
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                b'\\' | b'\r' | b'\n' => return None,
                _ => {}
            }
            if depth > MAX_DEPTH {
                return None;
            }
            self.pos += 1;
        }
        let len = self.pos - start;
        self.pos += 1;
        Some(len)
    }

    /// The decoded length of a hex string (an odd last digit is one byte).
    fn hex_string(&mut self) -> Option<usize> {
        self.pos += 1;
        let mut digits = 0usize;
        loop {
            match self.peek()? {
                b'>' => break,
                c if c.is_ascii_hexdigit() => digits += 1,
                b' ' | b'\t' | b'\r' | b'\n' => {}
                _ => return None,
            }
            self.pos += 1;
        }
        self.pos += 1;
        Some(digits.div_ceil(2))
    }

    /// Skips an array; returns the bytes of the strings directly in it.
    fn array(&mut self, depth: usize) -> Option<usize> {
        self.pos += 1;
        let mut shown = 0;
        loop {
            self.skip_space();
            match self.peek()? {
                b']' => break,
                // A string directly in the array: the bytes it shows.
                b'(' | b'<' if self.bytes.get(self.pos + 1) != Some(&b'<') => {
                    let Operand::Shown(n) = self.operand(depth + 1)? else {
                        return None;
                    };
                    shown += n;
                }
                _ => {
                    self.operand(depth + 1)?;
                }
            }
        }
        self.pos += 1;
        Some(shown)
    }

    /// Skips a dictionary of names and plain values.
    fn dictionary(&mut self, depth: usize) -> Option<()> {
        self.pos += 2;
        loop {
            self.skip_space();
            match self.peek()? {
                b'>' if self.bytes.get(self.pos + 1) == Some(&b'>') => break,
                b'/' => {
                    self.operand(depth + 1)?;
                    self.operand(depth + 1)?;
                }
                _ => return None,
            }
        }
        self.pos += 2;
        Some(())
    }
}

/// The space lopdf's content parser skips between tokens.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Space that ends a name for lopdf but stops its content parser.
fn is_odd_space(c: u8) -> bool {
    matches!(c, b'\0' | b'\x0c')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_operator_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Content;

    /// Both readers on `content`: the fast one must agree with lopdf.
    fn agree(content: &[u8]) -> bool {
        let Some(fast) = operations(content) else {
            return false;
        };
        let decoded = Content::decode(content).expect("lopdf parses it");
        let slow: Vec<Operation> = decoded.operations.iter().map(Operation::of).collect();
        assert_eq!(fast, slow, "{}", String::from_utf8_lossy(content));
        true
    }

    #[test]
    fn chromium_and_tesseract_content_reads_like_lopdf() {
        assert!(agree(
            b"q 1 0 0 -1 0 842 cm /P <</MCID 0>> BDC BT /F1 12 Tf 3 Tr \
              1 0 0 -1 72 100 Tm <0041 00E5>Tj 5.5 0 Td (abc) Tj ET EMC Q"
        ));
        assert!(agree(
            b"BT\n/f-0-0 10 Tf 1 0 0 1 0 0 Tm [ <0048> -12 <0065006C> ] TJ\r\nT* (a(b)c)' ET"
        ));
        assert!(agree(b"0.5 g .25 -3. +4 re f* /Fm1 Do 1 2"));
        assert!(agree(b"[(x) [(nested)] <<>>] TJ"));
    }

    /// Every page of the corpus takes the fast path and reads as lopdf
    /// reads it, so the speed-up is real and changes nothing.
    #[test]
    fn corpus_pages_read_fast_and_like_lopdf() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut pages = 0;
        for set in ["digital", "scan-eng", "scan-swe"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(set))
                .expect("corpus set")
                .map(|e| e.expect("directory entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                .collect();
            files.sort();
            for path in files {
                let doc = lopdf::Document::load(&path).expect("corpus PDF loads");
                for id in doc.page_iter() {
                    let content = doc.get_page_content(id).expect("page content");
                    assert!(agree(&content), "{} left the fast path", path.display());
                    pages += 1;
                }
            }
        }
        assert!(pages > 300, "only {pages} corpus pages");
    }

    #[test]
    fn shown_bytes_count_strings_directly_in_arrays() {
        let ops = operations(b"[(ab) 5 <414> [(ignored)]] TJ").unwrap();
        assert_eq!(ops[0].last, Some(Operand::Shown(4)));
    }

    #[test]
    fn syntax_outside_the_subset_is_left_to_lopdf() {
        for content in [
            &b"% comment\nBT ET"[..],
            b"BI /W 1 /H 1 /CS /G /BPC 8 ID x EI",
            b"(a\\)b) Tj",
            b"(line\nbreak) Tj",
            b"/A#20B Do",
            b"5Tj",
            b"1-2 Td",
            b"true Tf",
            b"[1 0 R] TJ",
            b"BT\x0cET",
            b"<4G> Tj",
            b"{ }",
        ] {
            assert_eq!(
                operations(content),
                None,
                "{}",
                String::from_utf8_lossy(content)
            );
        }
    }
}
