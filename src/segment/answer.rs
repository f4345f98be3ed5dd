//! Reading the answer slot: "Ja" / "Nej" / "Delvis" through OCR noise.

use crate::model::Answer;

use super::fold::key;

/// The answer a slot's text spells, if any: case and trailing punctuation
/// are ignored, and the OCR misreadings seen in scans ("Nei", "Deivis",
/// "J a" once joined) are accepted.
pub(crate) fn parse_answer(text: &str) -> Option<Answer> {
    answer_of(text, &key(text))
}

/// [`parse_answer`] of `text` whose matching key ([`key`]) is `folded`.
pub(crate) fn answer_of(text: &str, folded: &str) -> Option<Answer> {
    // "Ne)", "Ne]", "Nel": the j read as a bracket or l.
    let bare = text.trim_end_matches(['.', ',', ':', ';']);
    let mut chars = bare.chars();
    if let (
        Some('N' | 'n'),
        Some('e' | 'c' | 'é'),
        Some(')' | ']' | '}' | 'l' | '1' | '|' | 'i'),
        None,
    ) = (chars.next(), chars.next(), chars.next(), chars.next())
    {
        return Some(Answer::Nej);
    }
    let k = folded;
    match k {
        "ja" | "jа" => Some(Answer::Ja),
        "nej" | "nei" | "ncj" => Some(Answer::Nej),
        _ if k.len() == 6 && strsim::levenshtein(k, "delvis") <= 1 => Some(Answer::Delvis),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_through_ocr_noise() {
        assert_eq!(parse_answer("Ja"), Some(Answer::Ja));
        assert_eq!(parse_answer("JA."), Some(Answer::Ja));
        assert_eq!(parse_answer("Nei"), Some(Answer::Nej));
        assert_eq!(parse_answer("Ne)"), Some(Answer::Nej));
        assert_eq!(parse_answer("Nel"), Some(Answer::Nej));
        assert_eq!(parse_answer("Ned"), None);
        assert_eq!(parse_answer("Deivis"), Some(Answer::Delvis));
        assert_eq!(parse_answer("delvis"), Some(Answer::Delvis));
        assert_eq!(parse_answer("Jag"), None);
        assert_eq!(parse_answer("Detta"), None);
    }
}
