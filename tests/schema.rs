//! Every JSON document the tests make or hold against the contract's JSON
//! Schemas (`schema/report.schema.json`, `schema/aggregate-row.schema.json`):
//! each fixture's report (and the golden files in `tests/snapshots`), the
//! sample with `--explain`, the reports of a bundle, an image, a batch of
//! the text corpus with its aggregate rows (JSON Lines, and CSV read back
//! with its columns typed). The schemas forbid fields they do not name, so
//! a field added to the output without being added to the contract fails
//! here.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use uppfoljning::pipeline::ExtractOptions;

/// The two schemas, compiled.
struct Schemas {
    schemas: boon::Schemas,
    report: boon::SchemaIndex,
    row: boon::SchemaIndex,
}

impl Schemas {
    fn load() -> Schemas {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let mut compile = |name: &str| {
            let path = common::root().join("schema").join(name);
            compiler
                .compile(path.to_str().unwrap(), &mut schemas)
                .unwrap_or_else(|e| panic!("{}: {e:#}", path.display()))
        };
        let report = compile("report.schema.json");
        let row = compile("aggregate-row.schema.json");
        Schemas {
            schemas,
            report,
            row,
        }
    }

    /// Why a report document is not valid, if it is not.
    fn report_errors(&self, doc: &Value) -> Option<String> {
        self.schemas
            .validate(doc, self.report)
            .err()
            .map(|e| e.to_string())
    }

    /// Panics naming `what` unless the document is valid.
    fn check_report(&self, what: &str, doc: &Value) {
        if let Some(e) = self.report_errors(doc) {
            panic!("{what}: not a valid report document:\n{e}");
        }
    }

    /// Panics naming `what` unless the aggregate row is valid.
    fn check_row(&self, what: &str, row: &Value) {
        if let Err(e) = self.schemas.validate(row, self.row) {
            panic!("{what}: not a valid aggregate row:\n{e}");
        }
    }
}

/// Every report a file gives, as JSON, read without OCR.
fn reports_of(rel: &str, options: &ExtractOptions) -> Vec<Value> {
    common::extractor()
        .extract_reports_path(&common::root().join(rel), options)
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect()
}

/// Files under `dir` (relative to the root) whose names end with one of
/// `endings`, sorted.
fn files(dir: &str, endings: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![common::root().join(dir)];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if endings.iter().any(|e| path.to_string_lossy().ends_with(e)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn rel(path: &Path) -> String {
    path.strip_prefix(common::root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_fixtures_report_and_golden_file_is_valid() {
    let schemas = Schemas::load();
    let mut checked = 0;
    for path in files("fixtures/sample", &[".txt"])
        .into_iter()
        .chain(files("fixtures/pdf", &[".pdf", ".txt"]))
        .chain(files("fixtures/ocr", &[".tif"]))
        .chain([common::root().join("fixtures/hostile/blank-image.png")])
    {
        let rel = rel(&path);
        // The encrypted fixture that needs a password fails: no document.
        let Ok(reports) =
            common::extractor().extract_reports_path(Path::new(&rel), &common::no_ocr())
        else {
            continue;
        };
        for r in reports {
            schemas.check_report(&rel, &serde_json::to_value(&r).unwrap());
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} documents");
    // The golden files hold the masked tool version: still valid.
    let mut goldens = 0;
    for snap in files("tests/snapshots", &[".snap"]) {
        let text = std::fs::read_to_string(&snap).unwrap();
        // An insta file: a `---` header, then the snapshot.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        if let Ok(doc) = serde_json::from_str::<Value>(body) {
            schemas.check_report(&rel(&snap), &doc);
            goldens += 1;
        }
    }
    assert!(goldens >= 5, "only {goldens} golden documents");
}

#[test]
fn explained_repairs_bundles_and_flags_are_valid() {
    let schemas = Schemas::load();
    let explained = ExtractOptions {
        explain: true,
        administration: Some("ioff".into()),
        year: Some(2023),
        ..common::no_ocr()
    };
    let sample = reports_of("fixtures/sample/000_a41603a7fe181f4b.txt", &explained);
    assert!(
        sample[0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["repairs"].as_array().is_some_and(|r| !r.is_empty())),
        "--explain kept no repair"
    );
    assert_eq!(sample[0]["provenance"]["options"]["year"], 2023);
    schemas.check_report("sample --explain", &sample[0]);
    for bundle in [
        "fixtures/hostile/bundle-3.txt",
        "fixtures/hostile/two-versions.txt",
    ] {
        let parts = reports_of(bundle, &common::no_ocr());
        assert!(parts.len() > 1, "{bundle}: {} reports", parts.len());
        for (i, part) in parts.iter().enumerate() {
            assert_eq!(part["source"]["part"]["index"], i + 1);
            schemas.check_report(&format!("{bundle} #{}", i + 1), part);
        }
    }
}

/// A way of breaking a valid document, and its name.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn the_schemas_reject_what_the_contract_does_not_allow() {
    let schemas = Schemas::load();
    let good = reports_of(
        "fixtures/sample/000_a41603a7fe181f4b.txt",
        &common::no_ocr(),
    )
    .pop()
    .unwrap();
    schemas.check_report("sample", &good);
    let broken: [Breakage; 6] = [
        ("no item_key", |d| {
            d["items"][0].as_object_mut().unwrap().remove("item_key");
        }),
        ("a key of another form", |d| {
            d["items"][0]["item_key"] = "1:1".into();
        }),
        ("an unknown warning kind", |d| {
            d["warnings"] = serde_json::json!([{"kind": "odd", "message": "", "page": null}]);
        }),
        ("an undocumented field", |d| d["extra"] = true.into()),
        ("schema version 1", |d| d["schema_version"] = 1.into()),
        ("no provenance", |d| {
            d.as_object_mut().unwrap().remove("provenance");
        }),
    ];
    for (what, mut_doc) in broken {
        let mut doc = good.clone();
        mut_doc(&mut doc);
        assert!(schemas.report_errors(&doc).is_some(), "{what} passed");
    }
    let row = serde_json::json!({"administration_id": "ioff"});
    assert!(schemas.schemas.validate(&row, schemas.row).is_err());
}

/// A CSV record read back as the JSON Lines row it stands for: empty year,
/// area and confidence fields are null, numbers are numbers.
fn typed_csv_row(header: &csv::StringRecord, record: &csv::StringRecord) -> Value {
    let mut row = serde_json::Map::new();
    for (name, field) in header.iter().zip(record.iter()) {
        let value = match name {
            "year" | "area" | "page" if field.is_empty() => Value::Null,
            "year" | "area" | "page" => Value::from(field.parse::<u64>().unwrap()),
            "confidence" if field.is_empty() => Value::Null,
            "confidence" => Value::from(field.parse::<f64>().unwrap()),
            _ => Value::from(field),
        };
        row.insert(name.to_string(), value);
    }
    Value::Object(row)
}

#[test]
fn a_batchs_documents_and_aggregate_rows_are_valid() {
    let schemas = Schemas::load();
    let out = std::env::temp_dir().join(format!("uppf-schema-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_uppfoljning"))
        .current_dir(common::root())
        .args([
            "batch",
            "corpus/scan-eng-txt",
            "fixtures/hostile/bundle-3.txt",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut reports = 0;
    for path in std::fs::read_dir(&out).unwrap() {
        let path = path.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            schemas.check_report(&path.display().to_string(), &common::json_at(&path));
            reports += 1;
        }
    }
    assert!(reports >= 27, "{reports} documents");
    let jsonl = std::fs::read_to_string(out.join("aggregate.jsonl")).unwrap();
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(rows.len() > 100, "{} rows", rows.len());
    for (i, row) in rows.iter().enumerate() {
        schemas.check_row(&format!("aggregate.jsonl line {}", i + 1), row);
    }
    let mut csv = csv::Reader::from_path(out.join("aggregate.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    // The BOM is the file's, not the first column's name.
    let header: csv::StringRecord = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}'))
        .collect();
    let mut records = 0;
    for (i, record) in csv.records().enumerate() {
        let row = typed_csv_row(&header, &record.unwrap());
        schemas.check_row(&format!("aggregate.csv record {}", i + 1), &row);
        assert_eq!(
            row,
            rows[i],
            "aggregate.csv record {} differs from the JSON line",
            i + 1
        );
        records += 1;
    }
    assert_eq!(records, rows.len());
    std::fs::remove_dir_all(out).unwrap();
}
