//! Body lines → the flat word sequence the aligner labels.

use crate::model::Code;

use super::fold::{code_token, is_noise};
use super::lines::{Col, SourceLine};
use super::structure::Role;

/// One body word with what the aligner needs to know about it.
#[derive(Debug, Clone)]
pub struct Token {
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
pub fn tokens(lines: &[SourceLine], roles: &[Role]) -> Vec<Token> {
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
