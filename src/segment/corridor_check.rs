//! The aligner's corridor against the full program: the corridor is a
//! shortcut and must never change a label.

//!
//! Run over real corpus documents; a unit test of the crate, since the
//! aligner is internal.

use super::align::Aligner;
use super::corridor::{anchors, Anchor};
use super::segment;
use super::template::Template;
use super::tokens::Token;
use crate::catalog::Catalog;
use crate::read::{read_bytes, ReadOptions};

/// The set the comparison runs over: English-model OCR text, the most
/// damaged codes and words, read without PDF parsing so the test stays
/// fast.
const SET: &str = "corpus/scan-eng-txt";

/// The first `count` documents of `SET` by name, with their tokens and the
/// two templates the segmenter aligns against: the whole catalogue, and
/// the rows found.
fn documents(count: usize) -> Vec<(String, Vec<Token>, [Template; 2])> {
    let catalog = Catalog::embedded().expect("embedded catalogue");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SET);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus set")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "{} documents in {SET}", paths.len());
    paths
        .iter()
        .take(count)
        .map(|path| {
            let bytes = std::fs::read(path).expect("corpus file");
            let doc = read_bytes(path, &bytes, &ReadOptions::default()).expect("text reads");
            let seg = segment(&doc, &catalog);
            let whole = Template::new(&catalog, &[]);
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            (name, seg.tokens, [whole, seg.template])
        })
        .collect()
}

#[test]
fn the_corridor_labels_every_corpus_document_as_the_full_program_does() {
    let (mut runs, mut in_corridor) = (0, 0);
    for (name, tokens, templates) in documents(usize::MAX) {
        // One aligner for both templates, as the segmenter uses it: the
        // second finds most similarities measured, and takes over the
        // first program's rows before the first row left out (and each
        // template's second run takes over its first run's rows).
        let mut aligner = Aligner::new(&tokens);
        for (t, template) in templates.iter().enumerate() {
            let full = Aligner::new(&tokens).align_full(template);
            if let Some(labels) = aligner.align_in_corridor(template) {
                in_corridor += 1;
                assert!(labels == full, "{name}, template {t}: corridor differs");
            }
            assert!(aligner.align(template) == full, "{name}, template {t}");
            runs += 1;
        }
    }
    // A corridor that never holds would make the comparison above empty.
    assert!(
        in_corridor * 10 >= runs * 9,
        "corridor taken in {in_corridor} of {runs} alignments"
    );
}

/// The document's anchors grouped by template row, in document order.
fn anchor_rows(tokens: &[Token], template: &Template) -> Vec<Vec<Anchor>> {
    let mut rows: Vec<Vec<Anchor>> = Vec::new();
    for a in anchors(tokens, template).chain {
        match rows.last_mut() {
            Some(row) if row[0].row == a.row => row.push(a),
            _ => rows.push(vec![a]),
        }
    }
    rows
}

#[test]
fn a_row_printed_twice_sends_the_aligner_to_the_full_program() {
    let (name, mut tokens, [_, template]) = documents(1).swap_remove(0);
    // The last two rows again at the end, as a document whose last page
    // was printed twice: two equally long chains of codes, one of which
    // the corridor of the other would cut off.
    let rows = anchor_rows(&tokens, &template);
    assert!(rows.len() >= 4, "{name}: {} rows anchored", rows.len());
    let from = rows[rows.len() - 2][0].token;
    let copy = tokens[from..].to_vec();
    tokens.extend(copy);
    let mut aligner = Aligner::new(&tokens);
    assert_eq!(aligner.align_in_corridor(&template), None, "{name}");
    assert!(aligner.align(&template) == aligner.align_full(&template));
}

#[test]
fn a_code_mentioned_in_passing_does_not_mislead_the_corridor() {
    for (name, mut tokens, [whole, _]) in documents(6) {
        // A row's code unread, and the code mentioned instead in the text
        // of the row before: the chain takes the mention as the anchor.
        let rows = anchor_rows(&tokens, &whole);
        assert!(rows.len() >= 4, "{name}: {} rows anchored", rows.len());
        let (before, row) = (&rows[1], &rows[2]);
        let mention = tokens[row[0].token].clone();
        for a in row {
            tokens[a.token].code = None;
        }
        let at = (before[before.len() - 1].token + row[0].token) / 2;
        tokens.insert(at, mention);
        let chain = anchors(&tokens, &whole).chain;
        assert!(
            chain.iter().any(|a| a.token == at),
            "{name}: the mention is not an anchor"
        );
        // The corridor leaves the rows around the mention open, so its path
        // can pass the mention by; then it has not matched every anchor
        // and the full program decides.
        let mut aligner = Aligner::new(&tokens);
        assert!(
            aligner.align(&whole) == aligner.align_full(&whole),
            "{name}"
        );
    }
}
