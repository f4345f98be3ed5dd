//! Line-break hyphenation: joins a word broken across two printed lines.
//!
//! "ny-" at the end of a line followed by "byggnad" becomes "nybyggnad". A
//! suspended compound keeps its hyphen and the space: "ny- och ombyggnation",
//! "vålds- och drogförebyggande", "individ-, grupp- och områdesnivå" (the
//! broken part is followed by och/eller/samt/…, or ends in "-,"). A hyphen
//! that belongs to the word stays, without the line break: after a digit, a
//! single letter or an acronym ("e-post", "IOFF-projektet"), or before a
//! capital ("Göteborgs-Posten"). A soft hyphen always joins. The lines'
//! whitespace is not kept: the result is one list of tokens.

use super::normalize::SOFT_HYPHEN;
use super::token::is_all_caps;
use super::{Edit, Stage};

/// Words after which a hyphenated part is a suspended compound.
const SUSPENDING: &[&str] = &[
    "och",
    "eller",
    "samt",
    "respektive",
    "resp",
    "resp.",
    "liksom",
    "alternativt",
    "som",
    "&",
    "till",
];

/// How a line-final hyphen relates to the next line's first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    /// A suspended compound: keep "ny- och".
    Suspended,
    /// A hyphen belonging to the word: "e-post".
    KeepHyphen,
    /// A word broken by the line end: "nybyggnad".
    Join,
}

fn classify(head: &str, soft: bool, next: &str) -> Break {
    if soft {
        return Break::Join;
    }
    let next_word = next.trim_end_matches([',', '.', ';', ':']).to_lowercase();
    if SUSPENDING.contains(&next_word.as_str()) {
        return Break::Suspended;
    }
    let letters = head.chars().filter(|c| c.is_alphabetic()).count();
    let ends_in_digit = head.chars().last().is_some_and(|c| c.is_ascii_digit());
    let next_capital_or_digit = next
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if ends_in_digit || letters == 1 || is_all_caps(head) || next_capital_or_digit {
        Break::KeepHyphen
    } else {
        Break::Join
    }
}

/// The part of a line-final token before its breaking hyphen, and whether the
/// hyphen is a soft one; `None` when the token does not end in a hyphen after
/// a letter or digit.
fn broken_head(token: &str) -> Option<(&str, bool)> {
    let (head, soft) = if let Some(h) = token.strip_suffix(SOFT_HYPHEN) {
        (h, true)
    } else if let Some(h) = token.strip_suffix('-') {
        (h, false)
    } else {
        return None;
    };
    head.chars()
        .last()
        .is_some_and(char::is_alphanumeric)
        .then_some((head, soft))
}

/// Joins the tokens of a paragraph's lines into one token list, undoing
/// line-break hyphenation and recording each join in `edits`.
pub(crate) fn join_lines(lines: Vec<Vec<String>>, edits: &mut Vec<Edit>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Set when the last token of `out` ends a line with a breaking hyphen.
    let mut pending = false;
    for line in lines.into_iter().filter(|l| !l.is_empty()) {
        let count = line.len();
        for (i, token) in line.into_iter().enumerate() {
            if i == 0 && pending {
                pending = false;
                if let Some(prev) = out.pop() {
                    out.extend(join_pair(prev, token, edits));
                    continue;
                }
            }
            out.push(token);
        }
        pending = count > 0 && out.last().is_some_and(|t| broken_head(t).is_some());
    }
    // A soft hyphen left at the very end carries nothing.
    if let Some(last) = out.last_mut() {
        if last.ends_with(SOFT_HYPHEN) {
            last.pop();
        }
    }
    out
}

/// Decides one line-final `prev` against the next line's first `next`.
fn join_pair(prev: String, next: String, edits: &mut Vec<Edit>) -> Vec<String> {
    let Some((head, soft)) = broken_head(&prev) else {
        return vec![prev, next];
    };
    match classify(head, soft, &next) {
        Break::Suspended => {
            let mut prev = prev;
            if soft {
                prev.pop();
            }
            vec![prev, next]
        }
        kind => {
            let joined = if kind == Break::KeepHyphen {
                format!("{head}-{next}")
            } else {
                format!("{head}{next}")
            };
            edits.push(Edit {
                before: format!("{prev}\n{next}"),
                after: joined.clone(),
                stage: Stage::Hyphenation,
                reason: if kind == Break::KeepHyphen {
                    "line break after a hyphen that belongs to the word".to_string()
                } else {
                    "word broken across lines joined".to_string()
                },
            });
            vec![joined]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> String {
        let lines = lines
            .iter()
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect();
        join_lines(lines, &mut Vec::new()).join(" ")
    }

    #[test]
    fn broken_word_is_joined() {
        assert_eq!(run(&["vid ny-", "byggnad av"]), "vid nybyggnad av");
        assert_eq!(run(&["brotts-", "förebyggande"]), "brottsförebyggande");
    }

    #[test]
    fn suspended_compounds_keep_hyphen_and_space() {
        assert_eq!(
            run(&["vid ny-", "och ombyggnation"]),
            "vid ny- och ombyggnation"
        );
        assert_eq!(
            run(&["ert vålds- och drogförebyggande"]),
            "ert vålds- och drogförebyggande"
        );
        assert_eq!(
            run(&["på individ-, grupp-", "och områdesnivå."]),
            "på individ-, grupp- och områdesnivå."
        );
    }

    #[test]
    fn hyphen_belonging_to_word_is_kept() {
        assert_eq!(run(&["via e-", "post"]), "via e-post");
        assert_eq!(run(&["IOFF-", "projektet"]), "IOFF-projektet");
        assert_eq!(run(&["2022-", "2026"]), "2022-2026");
        assert_eq!(run(&["Göteborgs-", "Posten"]), "Göteborgs-Posten");
    }

    #[test]
    fn soft_hyphen_always_joins() {
        assert_eq!(run(&["ny\u{AD}", "byggnad"]), "nybyggnad");
        assert_eq!(run(&["slut\u{AD}"]), "slut");
    }

    #[test]
    fn dash_and_blank_lines_are_not_breaks() {
        assert_eq!(run(&["Ja -", "men"]), "Ja - men");
        assert_eq!(run(&["ett", "", "två"]), "ett två");
    }

    #[test]
    fn join_is_recorded() {
        let mut edits = Vec::new();
        let lines = vec![vec!["ny-".to_string()], vec!["byggnad".to_string()]];
        assert_eq!(join_lines(lines, &mut edits), vec!["nybyggnad"]);
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].stage, Stage::Hyphenation);
    }
}
