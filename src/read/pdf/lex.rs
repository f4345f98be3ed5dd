//! What the two plain-subset lexers share: a cursor over the bytes, the
//! shapes of PDF syntax they both read the same way, and the byte classes
//! they agree on.
//!
//! `content` (content streams) and `cmap` (ToUnicode CMaps) each read a
//! plain subset of PDF syntax fast and give up on the rest, so that their
//! results equal those of the parser they stand in for (lopdf's content
//! parser; `adobe_cmap_parser`). Those two parsers differ on what a name,
//! a literal string, a hex string or a number may hold and on where space
//! and comments may stand, so each lexer keeps its own token rules; this
//! module owns only the parts that are the same in both: walking the bytes,
//! a token closed by one delimiter, the items between `[` `]` or `<<` `>>`,
//! a number's sign, hex digits (decoded as `filters` decodes
//! `ASCIIHexDecode` data, too), operator bytes and the space between
//! tokens. It decides nothing about what the tokens mean.

/// Deeper nesting of arrays, dictionaries (and, in content streams,
/// parentheses inside strings) is left to the reference parser.
pub(super) const MAX_DEPTH: usize = 16;

/// A position in the bytes being lexed.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `bytes`.
    pub(super) fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, pos: 0 }
    }

    /// The offset of the next byte.
    #[inline]
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// The next byte, if any.
    #[inline]
    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The byte `n` bytes after the next one, if any.
    #[inline]
    pub(super) fn peek_nth(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    /// True if the bytes from here start with `prefix`.
    #[inline]
    pub(super) fn at(&self, prefix: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(prefix))
    }

    /// Moves past `n` bytes the caller has looked at.
    #[inline]
    pub(super) fn bump(&mut self, n: usize) {
        self.pos += n;
    }

    /// The bytes from offset `start` up to here.
    #[inline]
    pub(super) fn since(&self, start: usize) -> &'a [u8] {
        &self.bytes[start..self.pos]
    }

    /// Moves past the bytes that `f` accepts; returns them.
    #[inline]
    pub(super) fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&f) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    /// Moves past a number's `+` or `-`, if there is one; true for `-`.
    #[inline]
    pub(super) fn sign(&mut self) -> bool {
        match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                true
            }
            Some(b'+') => {
                self.pos += 1;
                false
            }
            _ => false,
        }
    }

    /// A token from its opening byte (where the cursor is) to `close`:
    /// the bytes in between, all accepted by `inside`, which must not
    /// accept `close`. The cursor ends after `close`; `None` if another
    /// byte, or the end, comes first.
    #[inline]
    pub(super) fn delimited(&mut self, inside: impl Fn(u8) -> bool, close: u8) -> Option<&'a [u8]> {
        self.pos += 1;
        let bytes = self.take_while(inside);
        if self.peek()? != close {
            return None;
        }
        self.pos += 1;
        Some(bytes)
    }

    /// The items of an array, the cursor on its `[`, each read by `item`.
    /// After `[` the bytes `space_after_open` accepts are skipped, before
    /// each further item and before `]` [`is_token_space`]. The cursor ends
    /// after `]`; `None` if an item fails or the bytes end first.
    #[inline]
    pub(super) fn array<T>(
        &mut self,
        space_after_open: impl Fn(u8) -> bool,
        item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.items(b"[", b"]", space_after_open, item)
    }

    /// The entries of a dictionary, the cursor on its `<<`, each read by
    /// `entry` from the `/` of its key (an entry whose key is not a name
    /// is `None`). Space is skipped as in [`Cursor::array`]. The cursor
    /// ends after `>>`.
    #[inline]
    pub(super) fn dictionary(
        &mut self,
        space_after_open: impl Fn(u8) -> bool,
        mut entry: impl FnMut(&mut Self) -> Option<()>,
    ) -> Option<()> {
        self.items(b"<<", b">>", space_after_open, |c| {
            if c.peek()? != b'/' {
                return None;
            }
            entry(c)
        })
        .map(drop)
    }

    /// The items between `open` (where the cursor is) and `close`, for
    /// [`Cursor::array`] and [`Cursor::dictionary`].
    fn items<T>(
        &mut self,
        open: &[u8],
        close: &[u8],
        space_after_open: impl Fn(u8) -> bool,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.pos += open.len();
        self.take_while(space_after_open);
        let mut items = Vec::new();
        loop {
            self.take_while(is_token_space);
            self.peek()?;
            if self.at(close) {
                break;
            }
            items.push(item(self)?);
        }
        self.pos += close.len();
        Some(items)
    }
}

/// The space both reference parsers skip after a token: blanks and line
/// ends, but not NUL or form feed.
#[inline]
pub(super) fn is_token_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// A byte of an operator (a run of letters, or `*`, `'`, `"`).
#[inline]
pub(super) fn is_operator_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
}

/// The value of a hex digit.
#[inline]
pub(super) fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Appends the bytes that the hex digits among `digits` spell to `out`,
/// as PDF readers decode a hex string or `ASCIIHexDecode` data: bytes
/// other than hex digits are skipped, and an odd last digit is the high
/// half of a byte.
pub(super) fn decode_hex(digits: &[u8], out: &mut Vec<u8>) {
    let mut high = None;
    for value in digits.iter().filter_map(|&c| hex_value(c)) {
        match high.take() {
            None => high = Some(value),
            Some(h) => out.push((h << 4) | value),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimited_needs_its_closing_byte() {
        let mut c = Cursor::new(b"<41 42> x");
        let inside = |b: u8| b.is_ascii_hexdigit() || b == b' ';
        assert_eq!(c.delimited(inside, b'>'), Some(&b"41 42"[..]));
        assert_eq!(c.peek(), Some(b' '));
        assert_eq!(Cursor::new(b"<41").delimited(inside, b'>'), None);
        assert_eq!(Cursor::new(b"<4G>").delimited(inside, b'>'), None);
    }

    /// Reads one digit.
    fn digit(c: &mut Cursor) -> Option<u8> {
        let d = c.peek().filter(u8::is_ascii_digit)?;
        c.bump(1);
        Some(d)
    }

    #[test]
    fn arrays_skip_space_around_each_item_and_end_after_the_bracket() {
        let mut c = Cursor::new(b"[ 1 2\n3 ] x");
        assert_eq!(c.array(is_token_space, digit), Some(b"123".to_vec()));
        assert_eq!(c.peek(), Some(b' '));
        assert_eq!(Cursor::new(b"[1 2").array(is_token_space, digit), None);
        // Only `space_after_open` may stand right after the bracket.
        assert_eq!(Cursor::new(b"[\x001]").array(is_token_space, digit), None);
        let wide = |c: u8| c == 0 || is_token_space(c);
        assert_eq!(
            Cursor::new(b"[\x001]").array(wide, digit),
            Some(b"1".to_vec())
        );
        assert_eq!(Cursor::new(b"[1\x00]").array(wide, digit), None);
    }

    #[test]
    fn dictionary_entries_start_with_a_name() {
        let name_and_digit = |c: &mut Cursor| {
            c.bump(1);
            c.take_while(|b| b.is_ascii_alphabetic());
            c.take_while(is_token_space);
            digit(c).map(drop)
        };
        let mut c = Cursor::new(b"<< /A 1 /B 2 >>x");
        assert_eq!(c.dictionary(is_token_space, name_and_digit), Some(()));
        assert_eq!(c.peek(), Some(b'x'));
        assert_eq!(
            Cursor::new(b"<<>>").dictionary(is_token_space, name_and_digit),
            Some(())
        );
        assert_eq!(
            Cursor::new(b"<< 1 2 >>").dictionary(is_token_space, name_and_digit),
            None
        );
        assert_eq!(
            Cursor::new(b"<< /A 1 >").dictionary(is_token_space, name_and_digit),
            None
        );
    }

    #[test]
    fn hex_digits_decode_with_space_skipped_and_an_odd_last_digit_high() {
        let mut out = vec![1];
        decode_hex(b"00e5 4", &mut out);
        assert_eq!(out, [1, 0x00, 0xE5, 0x40]);
    }

    #[test]
    fn the_sign_is_taken_once() {
        let mut c = Cursor::new(b"-+5");
        assert!(c.sign());
        assert!(!c.sign());
        assert_eq!(c.take_while(|b| b.is_ascii_digit()), b"5");
        assert!(!c.sign());
    }
}
