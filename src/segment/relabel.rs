//! Corrections to the aligner's labels where its costs cannot see the
//! layout: garbage with no template word beside it, a comment's last word
//! left beside the template's words, and a question's last words opening
//! an interleaved line.

use super::align::Label;
use super::fold;
use super::lines::Col;
use super::template::Template;
use super::tokens::{ends_sentence, Token};

/// Garbage is template-side noise only next to template words: a run of
/// garbage with content on both sides is content after all, except words
/// the page puts in the question column (a smudge read as "- 2 - 3").
pub(super) fn release_orphan_garbage(labels: &mut [Label], tokens: &[Token]) {
    let mut i = 0;
    while i < labels.len() {
        if labels[i] != Label::Garbage {
            i += 1;
            continue;
        }
        let start = i;
        while i < labels.len() && labels[i] == Label::Garbage {
            i += 1;
        }
        let is_match = |l: Option<&Label>| matches!(l, Some(Label::Match(..)));
        let before = start.checked_sub(1).and_then(|k| labels.get(k));
        if !is_match(before) && !is_match(labels.get(i)) {
            for k in start..i {
                if tokens[k].col != Col::Left {
                    labels[k] = Label::Content;
                }
            }
        }
    }
}

/// How many lines above may hold the comment a line-final word completes.
const COMPLETES_WITHIN: usize = 3;

/// In plain text with interleaved columns, a comment's last word may stand
/// alone after the template's words on their line ("utdelat ansvar för att
/// uppfylla målet med 2025."), where the aligner finds it cheaper to drop
/// it as garbage. Such a word is the comment's: garbage that ends its line
/// (after template words), ends a sentence, and completes the comment
/// above it (the nearest content before it, at most [`COMPLETES_WITHIN`]
/// lines up, does not end a sentence). Positioned text keeps its columns.
pub(super) fn release_sentence_ends(labels: &mut [Label], tokens: &[Token]) {
    for g in 0..tokens.len() {
        let t = &tokens[g];
        let ends_line = tokens.get(g + 1).is_none_or(|n| n.line != t.line);
        let after_template =
            g > 0 && tokens[g - 1].line == t.line && matches!(labels[g - 1], Label::Match(..));
        if labels[g] != Label::Garbage
            || t.col != Col::Any
            || t.noise
            || !ends_line
            || !after_template
            || !t.text.ends_with(['.', '!', '?'])
            || t.text.chars().filter(|c| c.is_alphanumeric()).count() < 4
        {
            continue;
        }
        let before = (0..g).rev().find(|&k| labels[k] == Label::Content);
        let completes = before.is_some_and(|k| {
            t.line - tokens[k].line <= COMPLETES_WITHIN && !ends_sentence(&tokens[k].text)
        });
        if completes {
            labels[g] = Label::Content;
        }
    }
}

/// How many lines below its row's last template word a skipped template
/// word may still turn up at a line start.
const TAIL_LINES: usize = 2;

/// Least similarity for a line-opening word to be taken as the template
/// word the aligner skipped there.
const TAIL_SIMILARITY: f32 = 0.75;

/// In plain text with interleaved columns, the question's last words
/// ("styrelser)", "nyrekrytering?") open a line whose rest is comment, so
/// matching them would mean leaving the template mid-line; these common
/// words weigh too little to pay for it, and the aligner leaves them in the
/// comment. Take back such a run: content opening a line just below the
/// row's last matched template word, or following it on its line, that
/// spells the template words right after it in order (a word OCR split in
/// two counts as one). A run of short words alone ("och") is not enough.
pub(super) fn reclaim_question_tails(labels: &mut [Label], tokens: &[Token], template: &Template) {
    let mut last_match: Option<(usize, usize)> = None;
    for i in 0..tokens.len() {
        if let Label::Match(j, _) = labels[i] {
            last_match = Some((i, j));
            continue;
        }
        let t = &tokens[i];
        let Some((mi, jp)) = last_match else { continue };
        // Either a line start just below, or straight after the match on
        // its own line ("organiserad brott slighet? SLK är …").
        let follows = mi + 1 == i && tokens[mi].line == t.line;
        let below = t.line_start && t.line <= tokens[mi].line + TAIL_LINES;
        if labels[i] != Label::Content || t.col == Col::Right || !(follows || below) {
            continue;
        }
        let row = template.words[jp].row;
        let next_match = labels[i..].iter().find_map(|l| match l {
            Label::Match(j, _) => Some(*j),
            _ => None,
        });
        let gap_end = next_match.unwrap_or(template.words.len());
        let open =
            |k: usize| k < tokens.len() && tokens[k].line == t.line && labels[k] == Label::Content;
        let mut run: Vec<(usize, usize, f32)> = Vec::new();
        let (mut k, mut j) = (i, jp + 1);
        while j < gap_end && template.words[j].row == row && open(k) {
            let word = &template.words[j].key;
            let s = fold::similarity(&tokens[k].key, word);
            if s >= TAIL_SIMILARITY {
                run.push((k, j, s));
                k += 1;
            } else if open(k + 1) {
                let joined = format!("{}{}", tokens[k].key, tokens[k + 1].key);
                let s = fold::similarity(&joined, word);
                if s < TAIL_SIMILARITY {
                    break;
                }
                run.push((k, j, s));
                run.push((k + 1, j, s));
                k += 2;
            } else {
                break;
            }
            j += 1;
        }
        let substantial = run
            .iter()
            .any(|&(_, j, _)| template.words[j].key.chars().count() >= 5);
        if substantial {
            for &(k, j, s) in &run {
                labels[k] = Label::Match(j, s);
            }
            if let Some(&(k, j, _)) = run.last() {
                last_match = Some((k, j));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;
    use crate::segment::segment;

    #[test]
    fn a_question_tail_opening_an_interleaved_line_is_not_comment() {
        // OCR text of a real report: "styrelser)" ends the question but
        // opens a line whose rest is the comment.
        let catalog = Catalog::embedded().unwrap();
        let text = "Har ni identifierat tillgängliga verktyg för | Ja\n            att motverka gängkriminalitet och\n\n            nyrekrytering? (Samtliga nämnder och Förvaltningen har tagit del av SLK:s\n\n            sammanställning av verktyg och gått\n\n            styrelser) igenom vilka som berör oss.\n            Genomförs aktiviteter i enlighet med\n            utdelat ansvar för att uppfylla målet med\n            insats 4:2.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == "4:2")
            .expect("row 4:2");
        let content: Vec<&str> = row
            .content
            .iter()
            .map(|&t| seg.tokens[t].text.as_str())
            .collect();
        assert_eq!(
            content.join(" "),
            "Ja Förvaltningen har tagit del av SLK:s sammanställning av verktyg och gått igenom vilka som berör oss."
        );
    }

    #[test]
    fn a_comments_last_word_beside_the_template_stays_in_the_comment() {
        // Interleaved columns: "2025." ends the comment on the line of the
        // instruction's last words.
        let catalog = Catalog::embedded().unwrap();
        let text = "Har ni implementerat Brås metodstöd Nej\n\
            och utvecklat arbetet för att motverka\n\
            parallella samhällsstrukturer? Metodstödet har inte implementerats.\n\
            Förvaltningen avvaktar stadens\n\
            Genomförs aktiviteter i enlighet med gemensamma utbildning, som planeras till\n\
            utdelat ansvar för att uppfylla målet med 2025.\n\
            insats 4:6.\n\n\
            Förväntat resultat: Genom att stadens\n\
            medarbetare får en högre kompetens om\n\
            parallella samhällsstrukturer ökar\n\
            möjligheten för att sätta in rätt åtgärder för\n\
            att minska förekomst av parallella\n\
            samhällen.\n";
        let doc = crate::read::text::read_text(text.as_bytes());
        let seg = segment(&doc, &catalog);
        let row = seg
            .rows
            .iter()
            .find(|r| r.code.to_string() == "4:6")
            .expect("row 4:6");
        let last = row.content.last().map(|&t| seg.tokens[t].text.as_str());
        assert_eq!(last, Some("2025."));
    }
}
