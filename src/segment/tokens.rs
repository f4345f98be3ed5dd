//! Body lines → the flat word sequence the aligner labels.

use rustc_hash::FxHashSet;

use crate::model::Code;

use super::fold::{code_token, is_noise, key};
use super::lines::{Col, SourceLine};
use super::structure::Role;

/// One body word with what the aligner needs to know about it.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// The word as extracted.
    pub text: String,
    /// Its matching key.
    pub key: String,
    /// The code it spells, if it is one.
    pub code: Option<Code>,
    /// An OCR speck.
    pub noise: bool,
    /// Could be an answer word ("Ja", "Nej", "Delvis").
    pub answerish: bool,
    /// Index of its line in the source lines.
    pub line: usize,
    /// First token of its line.
    pub line_start: bool,
    /// First token of a paragraph (after a blank line or a page break).
    pub para_start: bool,
    /// Its column.
    pub col: Col,
    /// 1-based page.
    pub page: usize,
    /// OCR word confidence, where known.
    pub confidence: Option<f32>,
    /// Its line's baseline and height in points, where known.
    pub y: Option<(f32, f32)>,
}

/// The tokens of all body lines, in reading order.
pub(crate) fn tokens(lines: &[SourceLine], roles: &[Role]) -> Vec<Token> {
    let mut out = Vec::new();
    for (li, (line, role)) in lines.iter().zip(roles).enumerate() {
        if *role != Role::Body {
            continue;
        }
        for (wi, w) in line.words.iter().enumerate() {
            out.push(Token {
                code: code_token(&w.text),
                noise: is_noise(&w.text),
                answerish: super::answer::answer_of(&w.text, &w.key).is_some(),
                key: w.key.clone(),
                text: w.text.clone(),
                line: li,
                line_start: wi == 0,
                para_start: wi == 0 && line.para_start,
                col: w.col,
                page: line.page,
                confidence: w.confidence,
                y: line.y,
            });
        }
    }
    out
}

/// Joins a template word that a line break split with a hyphen
/// ("tystn-" / "adskulturer?", as a word processor or a browser hyphenates
/// a narrow cell) back into one token, where the joined word is one of the
/// template's: the aligner can then match it. The second half is the first
/// word of the same column on a following line. Comments are left to
/// repair's de-hyphenation, which knows compounds such as "ny- och".
pub(crate) fn join_broken_words(tokens: &mut Vec<Token>, vocabulary: &FxHashSet<String>) {
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let Some(head) = t.text.strip_suffix(['-', '\u{2010}', '\u{AD}']) else {
            i += 1;
            continue;
        };
        let last_in_column = tokens[i + 1..]
            .iter()
            .take_while(|n| n.line == t.line)
            .all(|n| n.col != t.col);
        // The tail stands on one of the next few lines (the other column's
        // lines may come between); the search stops there, so that a text
        // of many hyphens costs no more than one line's look-ahead each.
        let next = tokens[i + 1..]
            .iter()
            .take_while(|n| n.line <= t.line + TAIL_LINES)
            .position(|n| n.line != t.line && n.col == t.col)
            .map(|k| i + 1 + k);
        let Some(n) = next.filter(|&n| last_in_column && first_of_column(tokens, n)) else {
            i += 1;
            continue;
        };
        let joined = format!("{head}{}", tokens[n].text);
        let joined_key = key(&joined);
        if head.chars().last().is_some_and(char::is_alphabetic)
            && tokens[n]
                .text
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
            && vocabulary.contains(&joined_key)
        {
            let tail = tokens.remove(n);
            // The word after the tail now opens the tail's line.
            if let Some(after) = tokens.get_mut(n).filter(|a| a.line == tail.line) {
                after.line_start |= tail.line_start;
                after.para_start |= tail.para_start;
            }
            let t = &mut tokens[i];
            t.text = joined;
            t.key = joined_key;
            t.code = code_token(&t.text);
            t.noise = false;
            t.answerish = false;
            t.confidence = match (t.confidence, tail.confidence) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        i += 1;
    }
}

/// How many lines below a hyphenated word its tail may stand.
const TAIL_LINES: usize = 3;

/// Token `at` is the first of its column on its line.
fn first_of_column(tokens: &[Token], at: usize) -> bool {
    let t = &tokens[at];
    tokens[..at]
        .iter()
        .rev()
        .take_while(|p| p.line == t.line)
        .all(|p| p.col != t.col)
}

/// The word ends a sentence (or opens a list: ":").
pub(super) fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::source_lines;
    use crate::segment::structure::Role;

    #[test]
    fn a_template_word_hyphenated_at_a_line_end_is_joined() {
        let doc = crate::read::text::read_text(
            "Arbetar ni för att motverka tystn-\nadskulturer? Vi har fler-\nårsplaner.\n"
                .as_bytes(),
        );
        let lines = source_lines(&doc);
        let roles = vec![Role::Body; lines.len()];
        let mut toks = tokens(&lines, &roles);
        let vocabulary: FxHashSet<String> = ["tystnadskulturer".to_string()].into_iter().collect();
        join_broken_words(&mut toks, &vocabulary);
        let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        // "flerårsplaner" is no template word: repair joins it later.
        assert_eq!(
            texts,
            [
                "Arbetar",
                "ni",
                "för",
                "att",
                "motverka",
                "tystnadskulturer?",
                "Vi",
                "har",
                "fler-",
                "årsplaner."
            ]
        );
    }
}
