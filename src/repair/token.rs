//! Words inside whitespace-separated tokens, and their case.
//!
//! A token such as "(G6teborgs", "forum/rad", "SKR:s" or "kunskapsbaserat?"
//! holds zero or more *words*: runs of letters and OCR look-alikes that repair
//! may rewrite. Punctuation, numbers, links and e-mail addresses around and
//! between them are never touched. This module finds the words and puts the
//! observed case back on a chosen word; it does not choose words.

use std::ops::Range;

/// Top-level domains and file endings that mark a token as a link or a file
/// name, which repair leaves alone.
const LINK_ENDINGS: &[&str] = &[
    "se", "com", "nu", "org", "net", "eu", "info", "pdf", "docx", "xlsx", "html", "htm",
];

/// True for a URL, an e-mail address, a domain or a file name.
pub(crate) fn is_link(token: &str) -> bool {
    let email = token
        .split_once('@')
        .is_some_and(|(_, domain)| domain.contains('.'));
    if token.contains("://") || email || token.to_lowercase().starts_with("www.") {
        return true;
    }
    let core = token.trim_end_matches(|c: char| !c.is_alphanumeric());
    match core.rsplit_once('.') {
        Some((head, tail)) => {
            head.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && LINK_ENDINGS.contains(&tail.to_lowercase().as_str())
        }
        None => false,
    }
}

/// True for a character that can be part of a word at `i`: a letter, or an
/// OCR look-alike of one in a position where only a letter makes sense
/// ("6kat", "ing&r", "ti|l").
fn is_word_char(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
    let prev_letter = i > 0 && chars[i - 1].is_alphabetic();
    let next_letter = chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
    match c {
        // Inside a word or before two letters ("l4g", "4renden"), or "4r"
        // (är); a class label such as "4a" or "4e" stays a number.
        '4' => {
            let after_next_letter = chars.get(i + 2).is_some_and(|n| n.is_alphabetic());
            let after_next_alnum = chars.get(i + 2).is_some_and(|n| n.is_alphanumeric());
            (prev_letter && next_letter)
                || (next_lower && after_next_letter)
                || (chars.get(i + 1) == Some(&'r') && !after_next_alnum)
        }
        // Inside or before a word ("6kat", "ing&r", "m@jligheter"), or
        // ending one ("milj6", "ocks&") when no digit or letter follows.
        '6' | '@' | '&' => {
            next_lower || (prev_letter && !chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()))
        }
        '|' | '\\' => prev_letter || next_letter,
        // An l printed as a bracket or "!" opening a word ("[amna", "{Agesmöte",
        // "!arande"); a bracket that closes in the same token is a bracket.
        '[' | '{' | '!' => {
            let closed = match c {
                '[' => chars.contains(&']'),
                '{' => chars.contains(&'}'),
                _ => false,
            };
            i == 0 && next_letter && !closed
        }
        c => c.is_alphabetic(),
    }
}

/// Byte ranges of the words of `token` that repair may rewrite. Words that
/// touch a digit ("1A", "HT2024") and every word of a link are left out.
pub(crate) fn word_ranges(token: &str) -> Vec<Range<usize>> {
    if is_link(token) {
        return Vec::new();
    }
    let chars: Vec<char> = token.chars().collect();
    let offsets: Vec<usize> = token
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(token.len()))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(&chars, i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_char(&chars, i) {
            i += 1;
        }
        let run = &chars[start..i];
        let touches_digit = (start > 0 && chars[start - 1].is_ascii_digit())
            || chars.get(i).is_some_and(char::is_ascii_digit);
        if run.iter().any(|c| c.is_alphabetic()) && !touches_digit {
            out.push(offsets[start]..offsets[i]);
        }
    }
    out
}

/// True when `observed` is written in capitals only (two letters or more).
pub(crate) fn is_all_caps(observed: &str) -> bool {
    let mut letters = 0;
    for c in observed.chars().filter(|c| c.is_alphabetic()) {
        if c.is_lowercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

/// `word` with its first letter upper-cased.
pub(crate) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Puts the case of `observed` on the chosen lower-case `word`: all capitals
/// stay all capitals, a capital first letter stays capital, capital
/// look-alikes inside a word ("GOteborgs", "frAgor") become lower case. When
/// the first letter was itself a look-alike (`first_confused`: "6kat",
/// "I6pande"), its case tells nothing and the position decides.
pub(crate) fn restore_case(
    observed: &str,
    word: &str,
    first_confused: bool,
    sentence_start: bool,
) -> String {
    if is_all_caps(observed) {
        return word.to_uppercase();
    }
    let capital = if first_confused {
        sentence_start
    } else {
        observed.chars().next().is_some_and(char::is_uppercase)
    };
    if capital {
        capitalize(word)
    } else {
        word.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(token: &str) -> Vec<&str> {
        word_ranges(token).into_iter().map(|r| &token[r]).collect()
    }

    #[test]
    fn punctuation_is_not_part_of_words() {
        assert_eq!(words("(G6teborgs"), vec!["G6teborgs"]);
        assert_eq!(words("kunskapsbaserat?"), vec!["kunskapsbaserat"]);
        assert_eq!(words("forum/rad"), vec!["forum", "rad"]);
        assert_eq!(words("SKR:s"), vec!["SKR", "s"]);
        assert_eq!(words("individ-,"), vec!["individ"]);
    }

    #[test]
    fn look_alikes_count_only_before_letters() {
        assert_eq!(words("ing&r"), vec!["ing&r"]);
        assert_eq!(words("&r"), vec!["&r"]);
        assert_eq!(words("&"), Vec::<&str>::new());
        assert_eq!(words("6kat?"), vec!["6kat"]);
        assert_eq!(words("2026"), Vec::<&str>::new());
        assert_eq!(words("4:6."), Vec::<&str>::new());
        assert_eq!(words("milj6."), vec!["milj6"]);
        assert_eq!(words("ocks&"), vec!["ocks&"]);
        assert_eq!(words("R&D"), vec!["R", "D"]);
        assert_eq!(words("\\épande"), vec!["\\épande"]);
        assert_eq!(words("[amna"), vec!["[amna"]);
        assert_eq!(words("{Agesmöte"), vec!["{Agesmöte"]);
        assert_eq!(words("[sic]"), vec!["sic"]);
        assert_eq!(words("a[b"), vec!["a", "b"]);
        assert_eq!(words("4r"), vec!["4r"]);
        assert_eq!(words("l4g,"), vec!["l4g"]);
        assert_eq!(words("4renden"), vec!["4renden"]);
        assert_eq!(words("m@jligheter"), vec!["m@jligheter"]);
        assert_eq!(words("4a"), Vec::<&str>::new());
        assert_eq!(words("4e."), Vec::<&str>::new());
        assert_eq!(words("14r"), Vec::<&str>::new());
    }

    #[test]
    fn numbers_and_links_are_left_alone() {
        assert_eq!(words("1A"), Vec::<&str>::new());
        assert_eq!(words("2022-2026"), Vec::<&str>::new());
        assert!(words("https://goteborg.se/foretag").is_empty());
        assert!(words("info@goteborg.se").is_empty());
        assert!(words("goteborg.se.").is_empty());
        assert_eq!(words("t.ex."), vec!["t", "ex"]);
    }

    #[test]
    fn case_is_restored() {
        assert_eq!(restore_case("Ar", "är", false, true), "Är");
        assert_eq!(
            restore_case("GOteborgs", "göteborgs", false, false),
            "Göteborgs"
        );
        assert_eq!(restore_case("BRA", "brå", false, false), "BRÅ");
        assert_eq!(restore_case("6kat", "ökat", true, false), "ökat");
        assert_eq!(restore_case("I6pande", "löpande", true, false), "löpande");
        assert_eq!(restore_case("I6pande", "löpande", true, true), "Löpande");
        assert_eq!(restore_case("frAgor", "frågor", false, false), "frågor");
    }
}
