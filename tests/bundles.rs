//! Big bundles: every corpus report in one file comes out as one report
//! each, in order, with the administration and the rows it has alone —
//! as OCR text files joined, and as digital PDFs joined with qpdf (the
//! way archives join a committee's attachments).

use std::path::Path;
use std::process::Command;

use uppfoljning::document::TextLayer;
use uppfoljning::pipeline::{hex_sha256, ExtractOptions};
use uppfoljning::read::{OcrMode, ReadOptions};
use uppfoljning::report::{Item, Report, WarningKind};

mod common;

fn options() -> ExtractOptions {
    ExtractOptions {
        read: ReadOptions {
            ocr: OcrMode::Never,
            ..ReadOptions::default()
        },
        ..ExtractOptions::default()
    }
}

/// The reports of `bytes`, read as a file named `name` (a name that names
/// no administration and no year).
fn reports(name: &str, bytes: &[u8]) -> Vec<Report> {
    common::extractor()
        .extract_reports_hashed(Path::new(name), bytes, &hex_sha256(bytes), &options())
        .unwrap()
}

/// The corpus files of a set, sorted.
fn corpus(set: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(common::root().join("corpus").join(set))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// An item with its page moved by `offset` (a part's pages are the
/// file's).
fn shifted(item: &Item, offset: usize) -> Item {
    let mut item = item.clone();
    item.page -= offset;
    item
}

/// Checks each part of `bundle` against its file read alone (`alone`, in
/// order): the same rows (every field, pages moved by the part's page
/// offset where `pdf`), and the same administration, which is the truth's
/// wherever the text names one. Returns how many parts named one.
fn check(bundle: &[Report], files: &[std::path::PathBuf], pdf: bool) -> usize {
    assert_eq!(bundle.len(), files.len(), "one report per file");
    let mut named = 0;
    let mut offset = 0;
    let mut failures = Vec::new();
    for (i, (part, file)) in bundle.iter().zip(files).enumerate() {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let ext = file.extension().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(file).unwrap();
        let alone = reports(&format!("report.{ext}"), &bytes);
        assert_eq!(alone.len(), 1, "{stem} alone is one report");
        let alone = &alone[0];
        let p = part.source.part.as_ref().expect("a part says which part");
        assert_eq!((p.index, p.count), (i + 1, files.len()));
        if pdf {
            assert_eq!(p.first_page, offset + 1, "{stem}: first page");
        }
        let rows: Vec<Item> = part
            .items
            .iter()
            .map(|it| shifted(it, if pdf { offset } else { 0 }))
            .collect();
        let want: Vec<Item> = if pdf {
            alone.items.clone()
        } else {
            // Text pages of joined files are not the file's own pages.
            let first = part.items.first().map_or(0, |it| it.page);
            let base = alone.items.first().map_or(0, |it| it.page);
            alone
                .items
                .iter()
                .map(|it| {
                    let mut it = it.clone();
                    it.page = it.page + first - base;
                    it
                })
                .collect()
        };
        if rows != want {
            let differ = rows.iter().zip(&want).filter(|(a, b)| a != b).count()
                + rows.len().abs_diff(want.len());
            failures.push(format!("{stem}: {differ} rows differ from the file alone"));
        }
        let id = |r: &Report| r.administration.as_ref().map(|a| a.id.clone());
        if id(part) != id(alone) {
            failures.push(format!(
                "{stem}: administration {:?}, alone {:?}",
                id(part),
                id(alone)
            ));
        }
        if let Some(got) = id(part) {
            let truth = common::json(&format!("corpus/truth/{stem}.json"));
            assert_eq!(Some(got.as_str()), truth["administration"]["id"].as_str());
            named += 1;
        }
        offset += alone.source.pages;
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    named
}

#[test]
fn all_24_ocr_text_reports_joined_are_24_reports() {
    let files = corpus("scan-eng-txt", "txt");
    assert_eq!(files.len(), 24);
    let bytes: Vec<u8> = files
        .iter()
        .flat_map(|f| std::fs::read(f).unwrap())
        .collect();
    let bundle = reports("bundle.txt", &bytes);
    let named = check(&bundle, &files, false);
    // Four reports name their administration only in the file name.
    assert_eq!(named, 20);
}

/// `files` joined into one PDF with qpdf, in a temporary folder; `None`
/// (the test says why it did nothing) where qpdf is missing, outside CI.
fn joined_with_qpdf(name: &str, files: &[std::path::PathBuf]) -> Option<Vec<u8>> {
    let tmp = std::env::temp_dir().join(format!("uppf-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let joined = tmp.join("bundle.pdf");
    let made = Command::new("qpdf")
        .args(["--empty", "--pages"])
        .args(files)
        .arg("--")
        .arg(&joined)
        .status();
    let bytes = match made {
        Ok(s) if s.success() => Some(std::fs::read(&joined).unwrap()),
        // CI installs qpdf; elsewhere the test says why it did nothing.
        other if std::env::var_os("CI").is_none() => {
            eprintln!("note: skipping {name} (apt-get install qpdf): {other:?}");
            None
        }
        other => panic!("qpdf could not join the files: {other:?}"),
    };
    std::fs::remove_dir_all(&tmp).unwrap();
    bytes
}

#[test]
fn all_24_digital_reports_joined_with_qpdf_are_24_reports() {
    let files = corpus("digital", "pdf");
    assert_eq!(files.len(), 24);
    let Some(bytes) = joined_with_qpdf("bundle-24", &files) else {
        return;
    };
    let bundle = reports("bundle.pdf", &bytes);
    let named = check(&bundle, &files, true);
    assert_eq!(named, 20);
}

#[test]
fn a_scanned_report_among_digital_ones_is_read_as_ocr_text() {
    let root = common::root().join("corpus");
    let files = [
        root.join("digital/avof-2024.pdf"),
        root.join("scan-eng/iou-2023.pdf"),
        root.join("digital/fdm-2024.pdf"),
    ];
    let Some(bytes) = joined_with_qpdf("bundle-mixed", &files) else {
        return;
    };
    let bundle = reports("bundle.pdf", &bytes);
    // Its own pages decide each report's text layer, and so whether its
    // comments get OCR repair: the scan's come out as they do alone.
    let layers: Vec<Option<&str>> = bundle
        .iter()
        .map(|r| r.source.text_layer.map(TextLayer::as_str))
        .collect();
    assert_eq!(layers, [Some("digital"), Some("ocr"), Some("digital")]);
    check(&bundle, &files, true);
}

/// Many copies of one report (found by fuzzing with a report's opening
/// repeated to a megabyte): each part is warned about its neighbours in
/// the chain of copies only, so warnings, time and memory grow with the
/// number of copies, not with its square.
#[test]
fn many_copies_of_one_report_form_a_chain_of_warnings() {
    let one = std::fs::read(common::root().join("corpus/scan-eng-txt/iou-2023.txt")).unwrap();
    let copies = 40;
    let bundle = one.repeat(copies);
    let parts = reports("copies.txt", &bundle);
    assert_eq!(parts.len(), copies);
    for (k, part) in parts.iter().enumerate() {
        let repeated = part
            .warnings
            .iter()
            .filter(|w| w.kind == WarningKind::RepeatedReport)
            .count();
        let expected = if k == 0 || k == copies - 1 { 1 } else { 2 };
        assert_eq!(repeated, expected, "part {}", k + 1);
    }
}
