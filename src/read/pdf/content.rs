//! A fast reader for the plain subset of content-stream syntax.
//!
//! lopdf's content parser builds every operand as an object, and on the
//! corpus it took about a third of the time spent reading PDFs. [`parse`]
//! reads the subset that Chromium, Skia and tesseract write: numbers, names,
//! strings without escapes, hex strings, arrays and dictionaries of those,
//! operators. On anything else (comments, inline images, escapes, `#` in
//! names, unusual whitespace, a token glued to the next) it returns `None`
//! and [`read`] uses lopdf's parser instead ([`Ops::from_lopdf`]), so both
//! paths read the same operations. The layer scanner reads a summary of each
//! operation ([`operations`]); the text fast path reads every operand. The
//! cursor, the walk through arrays and dictionaries and the byte classes
//! are shared with `cmap` (module `lex`); the token rules here are lopdf's. This module does
//! not interpret the operations.

use lopdf::Object;

use super::lex::{decode_hex, is_operator_byte, is_token_space, Cursor, MAX_DEPTH};

/// Longer numbers are left to lopdf (which fails on integers beyond i64).
const MAX_NUMBER_LEN: usize = 18;
/// The powers of ten a real of [`MAX_NUMBER_LEN`] characters can need, all
/// exact in `f64` (5^17 < 2^53).
const POWERS_OF_TEN: [f64; MAX_NUMBER_LEN] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17,
];

/// `mantissa / 10^scale` rounded to the nearest `f32`, exactly as parsing
/// the decimal text would round it; `None` where this shortcut cannot
/// promise that.
///
/// Both operands are exact in `f64` and the division rounds correctly, so
/// the quotient lies on the same side of every point halfway between two
/// `f32`s as the exact value, unless it lands on such a point itself;
/// then rounding it again to `f32` could differ, and the caller parses the
/// text instead.
fn decimal_to_f32(mantissa: i64, scale: usize) -> Option<f32> {
    /// The bits of an `f64` fraction below an `f32`'s precision.
    const BELOW_F32: u64 = (1 << 29) - 1;
    const HALF_F32_STEP: u64 = 1 << 28;
    if !(0..1 << 53).contains(&mantissa) {
        return None;
    }
    let quotient = mantissa as f64 / POWERS_OF_TEN.get(scale)?;
    if quotient.to_bits() & BELOW_F32 == HALF_F32_STEP {
        return None;
    }
    Some(quotient as f32)
}

/// The bytes of a string operand, as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Str<'a> {
    /// The string's bytes themselves (a literal string without escapes, or
    /// a string lopdf decoded).
    Bytes(&'a [u8]),
    /// The hex digits (and spaces) between `<` and `>`.
    Hex(&'a [u8]),
}

impl<'a> Str<'a> {
    /// The number of bytes the string holds; an odd last hex digit is one.
    pub(super) fn len(self) -> usize {
        match self {
            Str::Bytes(bytes) => bytes.len(),
            Str::Hex(digits) => digits
                .iter()
                .filter(|c| c.is_ascii_hexdigit())
                .count()
                .div_ceil(2),
        }
    }

    /// The string's bytes, decoding hex digits into `scratch` as lopdf does
    /// (an odd last digit is the high half of a byte).
    pub(super) fn bytes<'s>(self, scratch: &'s mut Vec<u8>) -> &'s [u8]
    where
        'a: 's,
    {
        match self {
            Str::Bytes(bytes) => bytes,
            Str::Hex(digits) => {
                scratch.clear();
                decode_hex(digits, scratch);
                scratch
            }
        }
    }
}

/// One operand.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value<'a> {
    /// An integer or real, converted to `f64` as lopdf's objects convert
    /// (reals are read as `f32`).
    Number(f64),
    /// A name, without its slash.
    Name(&'a [u8]),
    String(Str<'a>),
    Array(Vec<Value<'a>>),
    /// Anything else (a dictionary, a boolean, null).
    Other,
}

impl<'a> Value<'a> {
    /// The value of a lopdf object; arrays nested deeper than
    /// [`MAX_DEPTH`] become [`Value::Other`].
    fn of(object: &'a Object, depth: usize) -> Value<'a> {
        match object {
            Object::Integer(v) => Value::Number(*v as f64),
            Object::Real(v) => Value::Number(f64::from(*v)),
            Object::Name(name) => Value::Name(name),
            Object::String(bytes, _) => Value::String(Str::Bytes(bytes)),
            Object::Array(items) if depth < MAX_DEPTH => {
                Value::Array(items.iter().map(|o| Value::of(o, depth + 1)).collect())
            }
            _ => Value::Other,
        }
    }

    /// The number, if this is one.
    pub(super) fn number(&self) -> Option<f64> {
        match self {
            Value::Number(v) => Some(*v),
            _ => None,
        }
    }

    /// The name, if this is one.
    pub(super) fn name(&self) -> Option<&'a [u8]> {
        match self {
            Value::Name(name) => Some(name),
            _ => None,
        }
    }
}

/// The operations of one content stream: each operator with its operands.
#[derive(Debug, Default)]
pub(super) struct Ops<'a> {
    /// Operator and the range of its operands in `values`.
    ops: Vec<(&'a [u8], usize, usize)>,
    values: Vec<Value<'a>>,
}

impl<'a> Ops<'a> {
    /// The operations lopdf's parser read.
    pub(super) fn from_lopdf(content: &'a lopdf::content::Content) -> Ops<'a> {
        let mut ops = Ops::default();
        for op in &content.operations {
            let start = ops.values.len();
            ops.values
                .extend(op.operands.iter().map(|o| Value::of(o, 0)));
            ops.ops
                .push((op.operator.as_bytes(), start, ops.values.len()));
        }
        ops
    }

    /// Each operator with its operands, in stream order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&'a [u8], &[Value<'a>])> + '_ {
        self.ops
            .iter()
            .map(|&(operator, start, end)| (operator, &self.values[start..end]))
    }
}

/// What the layer scanner needs to know of one operand.
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

impl<'a> Operand<'a> {
    fn of(value: &Value<'a>) -> Operand<'a> {
        match value {
            Value::Number(v) => Operand::Number(*v),
            Value::Name(name) => Operand::Name(name),
            Value::String(s) => Operand::Shown(s.len()),
            Value::Array(items) => Operand::Shown(
                items
                    .iter()
                    .map(|v| match v {
                        Value::String(s) => s.len(),
                        _ => 0,
                    })
                    .sum(),
            ),
            Value::Other => Operand::Other,
        }
    }
}

/// One operation as the layer scanner sees it: the operator, and a summary
/// of its first and last operands, worked out only when asked for (most
/// operations are of no interest to the scanner).
#[derive(Debug, Clone, Copy)]
pub(super) struct Operation<'a, 'o> {
    pub operator: &'a [u8],
    operands: &'o [Value<'a>],
}

impl<'a> Operation<'a, '_> {
    /// The summary of the first operand.
    pub(super) fn first(&self) -> Option<Operand<'a>> {
        self.operands.first().map(Operand::of)
    }

    /// The summary of the last operand.
    pub(super) fn last(&self) -> Option<Operand<'a>> {
        self.operands.last().map(Operand::of)
    }
}

/// Each of `ops` for the layer scanner, in stream order.
pub(super) fn operations<'a, 'o>(ops: &'o Ops<'a>) -> impl Iterator<Item = Operation<'a, 'o>> {
    ops.iter()
        .map(|(operator, operands)| Operation { operator, operands })
}

/// The operations of `content`: read by [`parse`], or by lopdf's parser
/// (kept alive in `slot`) where the fast reader gives up.
///
/// # Errors
///
/// lopdf's error if neither reader can parse the stream.
pub(super) fn read<'a>(
    content: &'a [u8],
    slot: &'a mut Option<lopdf::content::Content>,
) -> lopdf::Result<Ops<'a>> {
    if let Some(ops) = parse(content) {
        return Ok(ops);
    }
    let decoded = slot.insert(lopdf::content::Content::decode(content)?);
    Ok(Ops::from_lopdf(decoded))
}

/// The operations of `content`, or `None` if it leaves the plain subset.
pub(super) fn parse(content: &[u8]) -> Option<Ops<'_>> {
    let mut c = Cursor::new(content);
    let mut ops = Ops {
        ops: Vec::with_capacity(content.len() / 16),
        values: Vec::with_capacity(content.len() / 8),
    };
    let mut start = 0;
    loop {
        c.take_while(is_token_space);
        let Some(b) = c.peek() else { break };
        if is_operator_byte(b) {
            let word = c.take_while(is_operator_byte);
            // lopdf reads these as operands, or as an inline image.
            if [&b"null"[..], b"true", b"false"]
                .iter()
                .any(|k| word.starts_with(k))
                || matches!(word, b"BI" | b"ID" | b"EI")
            {
                return None;
            }
            ops.ops.push((word, start, ops.values.len()));
            start = ops.values.len();
        } else {
            let value = operand(&mut c, 0)?;
            ops.values.push(value);
        }
    }
    // Operands left without an operator are dropped, as lopdf drops them.
    ops.values.truncate(start);
    Some(ops)
}

/// Reads one operand and the space after it.
fn operand<'a>(c: &mut Cursor<'a>, depth: usize) -> Option<Value<'a>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let value = match c.peek()? {
        b'/' => {
            c.bump(1);
            let name = c.take_while(|b| !is_token_space(b) && !is_delimiter(b) && !is_odd_space(b));
            if name.contains(&b'#') || c.peek().is_some_and(is_odd_space) {
                return None;
            }
            Value::Name(name)
        }
        b'(' => Value::String(Str::Bytes(literal_string(c)?)),
        b'<' if c.at(b"<<") => {
            // Skipped: a dictionary of names and plain values.
            c.dictionary(is_token_space, |c| {
                operand(c, depth + 1)?;
                operand(c, depth + 1).map(drop)
            })?;
            Value::Other
        }
        // The digits (and plain spaces) of a hex string.
        b'<' => Value::String(Str::Hex(
            c.delimited(|b| b.is_ascii_hexdigit() || is_token_space(b), b'>')?,
        )),
        b'[' => Value::Array(c.array(is_token_space, |c| operand(c, depth + 1))?),
        b'+' | b'-' | b'.' | b'0'..=b'9' => Value::Number(number(c)?),
        _ => return None,
    };
    c.take_while(is_token_space);
    Some(value)
}

/// A number, which must end where a delimiter or space begins.
fn number(c: &mut Cursor) -> Option<f64> {
    let start = c.pos();
    let negative = c.sign();
    let int = c.take_while(|b| b.is_ascii_digit());
    let real = c.peek() == Some(b'.');
    let frac = if real {
        c.bump(1);
        c.take_while(|b| b.is_ascii_digit())
    } else {
        &[]
    };
    let ends_cleanly = c.peek().is_none_or(|b| {
        is_token_space(b) || matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'/')
    });
    if int.len() + frac.len() == 0 || c.pos() - start > MAX_NUMBER_LEN || !ends_cleanly {
        return None;
    }
    // At most MAX_NUMBER_LEN digits: the mantissa fits in an i64.
    let mantissa = int
        .iter()
        .chain(frac)
        .fold(0i64, |m, d| m * 10 + i64::from(d - b'0'));
    // lopdf reads integers as i64 and reals as f32.
    if !real {
        return Some(if negative { -mantissa } else { mantissa } as f64);
    }
    if let Some(v) = decimal_to_f32(mantissa, frac.len()) {
        return Some(f64::from(if negative { -v } else { v }));
    }
    let text = std::str::from_utf8(c.since(start)).ok()?;
    text.parse::<f32>().ok().map(f64::from)
}

/// The bytes of a literal string without escapes or line ends.
fn literal_string<'a>(c: &mut Cursor<'a>) -> Option<&'a [u8]> {
    c.bump(1);
    let start = c.pos();
    let mut depth = 0usize;
    loop {
        match c.peek()? {
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b'\\' | b'\r' | b'\n' => return None,
            _ => {}
        }
        if depth > MAX_DEPTH {
            return None;
        }
        c.bump(1);
    }
    let bytes = c.since(start);
    c.bump(1);
    Some(bytes)
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

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Content;

    /// A value with its strings decoded, to compare both readers.
    fn normal(value: &Value) -> String {
        match value {
            Value::String(s) => format!("{:?}", s.bytes(&mut Vec::new())),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(normal).collect();
                format!("[{}]", items.join(" "))
            }
            other => format!("{other:?}"),
        }
    }

    fn listing(ops: &Ops) -> Vec<String> {
        ops.iter()
            .map(|(operator, operands)| {
                let operands: Vec<String> = operands.iter().map(normal).collect();
                format!(
                    "{} {}",
                    operands.join(" "),
                    String::from_utf8_lossy(operator)
                )
            })
            .collect()
    }

    /// What the layer scanner reads of each operation.
    fn summary<'a>(ops: &Ops<'a>) -> Vec<(&'a [u8], Option<Operand<'a>>, Option<Operand<'a>>)> {
        operations(ops)
            .map(|op| (op.operator, op.first(), op.last()))
            .collect()
    }

    /// Both readers on `content`: the fast one must agree with lopdf, on
    /// every operand and on the layer scanner's summary.
    fn agree(content: &[u8]) -> bool {
        let Some(fast) = parse(content) else {
            return false;
        };
        let decoded = Content::decode(content).expect("lopdf parses it");
        let slow = Ops::from_lopdf(&decoded);
        let text = String::from_utf8_lossy(content);
        assert_eq!(listing(&fast), listing(&slow), "{text}");
        assert_eq!(summary(&fast), summary(&slow), "{text}");
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
        assert!(agree(b"<414> Tj <4 1\n4a> Tj <> Tj"));
    }

    /// Reals are rounded to f32 as lopdf rounds them, on both sides of the
    /// shortcut for short ones.
    #[test]
    fn numbers_read_like_lopdf() {
        assert!(agree(
            b"0.1 0.7 -0.3 1.0000001 123456.7 16777215.5 16777216 16777217.0 \
              -0 -0.0 -.5 +.25 5. 0.0000000001 0.00000000001 3.4028235 \
              99999999999999999 -99999999999999999 12345678.9 0.333333333 re"
        ));
        let ops = parse(b"-0.0 0.1 0.00000000001 16777217.0 m").unwrap();
        let (_, operands) = ops.iter().next().unwrap();
        let numbers: Vec<f64> = operands.iter().filter_map(Value::number).collect();
        assert!(numbers[0] == 0.0 && numbers[0].is_sign_negative());
        assert_eq!(numbers[1], f64::from(0.1f32));
        assert_eq!(numbers[2], f64::from(1e-11f32));
        assert_eq!(numbers[3], 16777216.0, "rounded to f32");
    }

    /// The shortcut for reals gives what parsing the text gives, on many
    /// pseudo-random decimals of every length, halfway cases included.
    #[test]
    fn decimals_round_to_f32_as_parsing_rounds_them() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut shortcut = 0;
        for i in 0..200_000 {
            let digits = 1 + (next() % 17) as usize;
            let mantissa = (next() % 10u64.pow(digits as u32)) as i64;
            let scale = (next() % (digits as u64 + 1)) as usize;
            check(mantissa, scale, &mut shortcut);
            // f32 halfway points written out in decimal: exact in few digits.
            if i % 4 == 0 {
                let f = f32::from_bits((next() % 0x4B00_0000) as u32 + 0x3000_0000);
                let halfway = (f64::from(f) + f64::from(f.next_up())) / 2.0;
                let text = format!("{halfway:.17}");
                let (int, frac) = text.split_once('.').unwrap();
                let frac = frac.trim_end_matches('0');
                if let Ok(m) = format!("{int}{frac}").parse::<i64>() {
                    check(m, frac.len(), &mut shortcut);
                }
            }
        }
        assert!(shortcut > 100_000, "the shortcut took only {shortcut}");

        fn check(mantissa: i64, scale: usize, shortcut: &mut usize) {
            let text = format!("{mantissa}");
            let text = if scale >= text.len() {
                format!("0.{}{text}", "0".repeat(scale - text.len()))
            } else {
                format!(
                    "{}.{}",
                    &text[..text.len() - scale],
                    &text[text.len() - scale..]
                )
            };
            if let Some(v) = decimal_to_f32(mantissa, scale) {
                *shortcut += 1;
                assert_eq!(v, text.parse::<f32>().unwrap(), "{text}");
            }
        }
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
        let ops = parse(b"[(ab) 5 <414> [(ignored)]] TJ").unwrap();
        let op = operations(&ops).next().unwrap();
        assert_eq!(op.last(), Some(Operand::Shown(4)));
    }

    #[test]
    fn hex_strings_decode_with_an_odd_last_digit_as_the_high_half() {
        let ops = parse(b"<00e5 4> Tj").unwrap();
        let (_, operands) = ops.iter().next().unwrap();
        let Value::String(s) = operands[0] else {
            panic!("not a string: {operands:?}");
        };
        assert_eq!(s.bytes(&mut Vec::new()), [0x00, 0xE5, 0x40]);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn trailing_operands_without_an_operator_are_dropped() {
        let ops = parse(b"1 2 m 3 4").unwrap();
        assert_eq!(ops.iter().count(), 1);
        assert_eq!(listing(&ops), vec!["Number(1.0) Number(2.0) m"]);
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
            assert!(
                parse(content).is_none(),
                "{}",
                String::from_utf8_lossy(content)
            );
        }
    }
}
