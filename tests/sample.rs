//! The real sample report against its hand-checked expected output
//! (`fixtures/sample/*.expected.json`): every row found with the right
//! programme, code, area and answer, and text within 1 % character error.

mod common;

use serde_json::Value;

fn str_field(v: &Value, f: &str) -> String {
    v[f].as_str().unwrap_or_default().to_string()
}

fn check_against_truth(input: &str, truth: &str, max_cer: f64) {
    let report = common::extract(input).expect("extracts");
    let truth = common::json(truth);
    let out = serde_json::to_value(&report).unwrap();
    let want: Vec<&Value> = truth["items"].as_array().unwrap().iter().collect();
    let got: Vec<&Value> = out["items"].as_array().unwrap().iter().collect();
    let key = |v: &Value| {
        format!(
            "{}/{}",
            v["program"].as_str().unwrap(),
            v["code"].as_str().unwrap()
        )
    };
    let want_keys: Vec<String> = want.iter().map(|v| key(v)).collect();
    let got_keys: Vec<String> = got.iter().map(|v| key(v)).collect();
    assert_eq!(got_keys, want_keys, "{input}: rows differ");
    let mut questions = Vec::new();
    let mut comments = Vec::new();
    for (w, g) in want.iter().zip(&got) {
        let k = key(w);
        assert_eq!(g["answer"], w["answer"], "{input} {k}: answer");
        assert_eq!(g["area"], w["area"], "{input} {k}: area");
        questions.push((str_field(w, "question"), str_field(g, "question")));
        comments.push((str_field(w, "comment"), str_field(g, "comment")));
    }
    assert_eq!(
        out["administration"]["id"], truth["administration"]["id"],
        "{input}: administration"
    );
    let (q, c) = (common::cer(&questions), common::cer(&comments));
    assert!(q < max_cer, "{input}: question CER {:.2} %", q * 100.0);
    assert!(c < max_cer, "{input}: comment CER {:.2} %", c * 100.0);
}

#[test]
fn sample_ocr_text_matches_the_hand_checked_truth() {
    check_against_truth(
        "fixtures/sample/000_a41603a7fe181f4b.txt",
        "fixtures/sample/000_a41603a7fe181f4b.expected.json",
        0.01,
    );
}

#[test]
fn sample_rows_keep_their_pages() {
    let report = common::extract("fixtures/sample/000_a41603a7fe181f4b.txt").unwrap();
    let truth = common::json("fixtures/sample/000_a41603a7fe181f4b.expected.json");
    let pages: Vec<u64> = report.items.iter().map(|i| i.page as u64).collect();
    let want: Vec<u64> = truth["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["page"].as_u64().unwrap())
        .collect();
    assert_eq!(pages, want);
}

#[test]
fn a_comment_starting_ja_men_keeps_its_words_and_the_slot_gives_the_answer() {
    let report = common::extract("fixtures/sample/000_a41603a7fe181f4b.txt").unwrap();
    let item = report
        .items
        .iter()
        .find(|i| i.code.to_string() == "3:1" && i.program.0.starts_with("trygghet"))
        .unwrap();
    assert_eq!(item.answer.map(uppfoljning::Answer::as_str), Some("ja"));
    assert!(
        item.comment.starts_with("Ja, men det är"),
        "{}",
        item.comment
    );
}

#[test]
fn missing_lists_catalogue_rows_the_sample_does_not_answer() {
    let report = common::extract("fixtures/sample/000_a41603a7fe181f4b.txt").unwrap();
    let catalog = uppfoljning::catalog::Catalog::embedded().unwrap();
    let n: usize = catalog.programs.iter().map(|p| p.items.len()).sum();
    assert_eq!(report.missing.len() + report.items.len(), n);
}

#[test]
fn sample_digital_pdf_matches_the_truth() {
    check_against_truth(
        "fixtures/pdf/sample-digital.pdf",
        "fixtures/sample/000_a41603a7fe181f4b.expected.json",
        0.01,
    );
}

#[test]
fn sample_ocr_layer_pdf_matches_the_truth() {
    check_against_truth(
        "fixtures/pdf/sample-scan-eng.pdf",
        "fixtures/sample/000_a41603a7fe181f4b.expected.json",
        0.01,
    );
}

#[test]
fn sample_rescanned_ocr_text_matches_the_truth() {
    check_against_truth(
        "fixtures/pdf/sample-scan-eng.txt",
        "fixtures/sample/000_a41603a7fe181f4b.expected.json",
        0.01,
    );
}
