//! Unicode normalisation of one token: compatibility ligatures and
//! full-width forms folded (NFKC for those characters only), invisible
//! characters removed, then NFC, so that "ﬁ" is "fi" and a decomposed
//! "a\u{308}" is "ä".
//!
//! Only these characters get NFKC: a full NFKC would also rewrite
//! superscripts, fractions and "…", which are the author's text. Whitespace
//! is not handled here: tokens are split on it and rejoined by single spaces.

use unicode_normalization::UnicodeNormalization;

/// The soft hyphen, an invisible hint where a word may be broken.
pub(crate) const SOFT_HYPHEN: char = '\u{00AD}';

/// True for the characters folded by NFKC here.
fn is_compat_form(c: char) -> bool {
    matches!(c as u32, 0xFB00..=0xFB06 | 0xFF01..=0xFF5E)
}

/// True for invisible characters that carry nothing in running text.
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200D | 0x2060..=0x2064 | 0xFEFF | 0x00AD | 0x034F)
}

/// A character of the Private Use Area: what a PDF's text gives for a
/// glyph of a symbol font (Word's bullets in Symbol and Wingdings).
/// Bullets become "•"; any other has no meaning outside its font and is
/// left out.
fn private_use(c: char) -> Option<Option<char>> {
    match c as u32 {
        0xF0B7 | 0xF0A7 | 0xF0D8 | 0xF076 | 0xF06E | 0xF0A8 => Some(Some('•')),
        0xE000..=0xF8FF => Some(None),
        _ => None,
    }
}

/// Normalises one whitespace-free token. A soft hyphen at its end is kept
/// when `keep_final_soft_hyphen` (the token ends a line, where the hyphen
/// marks a word broken across lines); other soft hyphens are removed.
pub(crate) fn normalize_token(token: &str, keep_final_soft_hyphen: bool) -> String {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        if c == SOFT_HYPHEN && keep_final_soft_hyphen && chars.peek().is_none() {
            out.push(c);
        } else if is_compat_form(c) {
            out.extend(c.to_string().nfkc());
        } else if let Some(mapped) = private_use(c) {
            out.extend(mapped);
        } else if !is_invisible(c) {
            out.push(c);
        }
    }
    if unicode_normalization::is_nfc(&out) {
        out
    } else {
        out.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_are_unfolded() {
        assert_eq!(normalize_token("e\u{FB00}ektiv", false), "effektiv");
        assert_eq!(normalize_token("o\u{FB03}ciell", false), "officiell");
        assert_eq!(normalize_token("\u{FB01}nns", false), "finns");
    }

    #[test]
    fn decomposed_letters_are_composed() {
        assert_eq!(normalize_token("ga\u{308}llande", false), "gällande");
        assert_eq!(normalize_token("O\u{308}ka", false), "Öka");
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(normalize_token("för\u{200B}valtning", false), "förvaltning");
        assert_eq!(normalize_token("för\u{AD}valtning", false), "förvaltning");
        assert_eq!(normalize_token("för\u{AD}", true), "för\u{AD}");
        assert_eq!(normalize_token("för\u{AD}", false), "för");
    }

    #[test]
    fn symbol_font_bullets_are_bullets_and_other_private_use_is_dropped() {
        assert_eq!(normalize_token("\u{F0B7}", false), "•");
        assert_eq!(normalize_token("stöd\u{E123}", false), "stöd");
        assert_eq!(
            normalize_token("stöd\u{2061}insatser\u{34F}", false),
            "stödinsatser"
        );
    }

    #[test]
    fn other_compatibility_characters_are_kept() {
        assert_eq!(normalize_token("m²", false), "m²");
        assert_eq!(normalize_token("½…", false), "½…");
    }

    #[test]
    fn full_width_forms_are_folded() {
        assert_eq!(normalize_token("ＩＯＦＦ", false), "IOFF");
    }
}
