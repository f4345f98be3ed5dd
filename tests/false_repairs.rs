//! Issue 4's guard on OCR word repair: run over correct Swedish (the truth
//! comments of the whole corpus, as if they were OCR text), it may change at
//! most 0.1 % of the words.

use std::path::{Path, PathBuf};

use uppfoljning::catalog::{Administrations, Catalog};
use uppfoljning::eval::{load_truths, repair_check};
use uppfoljning::pipeline::Extractor;

#[test]
fn repair_changes_at_most_one_word_in_a_thousand_of_correct_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let inputs: Vec<PathBuf> = std::fs::read_dir(root.join("digital"))
        .expect("corpus/digital is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    assert!(inputs.len() >= 20, "{} inputs", inputs.len());
    let truths = load_truths(&inputs, &root.join("truth"), None).expect("truth files load");
    let extractor = Extractor::new(
        Catalog::embedded().expect("embedded catalogue"),
        Administrations::embedded().expect("embedded administrations"),
    );
    let r = repair_check::over_truths(extractor.repairer(), truths.iter().map(|(_, t)| t));
    assert!(r.words.total > 10_000, "{} words", r.words.total);
    assert!(
        r.words.ratio() <= 0.001,
        "{} of {} words changed: {:?}",
        r.words.errors,
        r.words.total,
        r.changes
    );
}
