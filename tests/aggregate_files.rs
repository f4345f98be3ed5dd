//! The aggregate files end to end: the real sample report (extracted) plus
//! a few reports built in code — a second administration reported twice,
//! one whose administration is unknown, blank / nej / delvis answers, a
//! code answered twice, a warning, a missing row and a low confidence —
//! written as CSV, JSON Lines and .xlsx through `output::write_atomic`,
//! then read back with the `csv` crate, `serde_json` and `calamine`.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};
use uppfoljning::aggregate::xlsx::{category, REVIEW_COLUMNS, SHEET_COUNTS, SHEET_MATRIX};
use uppfoljning::aggregate::xlsx::{SHEET_REVIEW, SHEET_ROWS};
use uppfoljning::aggregate::{self, csv as agg_csv, jsonl, xlsx, AggregateRow, COLUMNS};
use uppfoljning::model::{Answer, Code, ProgramId};
use uppfoljning::output::write_atomic;
use uppfoljning::report::{
    AdministrationRef, Evidence, Item, Period, RawText, Report, Source, Warning, SCHEMA_VERSION,
};

const TRYGG: &str = "trygghetsprogram-2022-2026";
const PLAN: &str = "handlingsplan-2023-2026";
const TYST: &str = "tystnadskultur-2023-2025";
const IOFF: &str = "Idrotts- och föreningsförvaltningen";
const SDF: &str = "Stadsdelsförvaltningen Örgryte-Härlanda";

fn item(program: &str, code: &str, answer: Option<Answer>, confidence: f32, page: usize) -> Item {
    let code: Code = code.parse().unwrap();
    Item {
        program: ProgramId(program.into()),
        area: (program != TYST).then_some(code.major),
        code,
        question: format!("Fråga {code}: är åtgärden genomförd?"),
        strategy_text: None,
        answer,
        comment: format!("Kommentar om {code}, med \"citat\" och å/ä/ö"),
        expected_result: None,
        confidence,
        page,
        raw: RawText {
            question: String::new(),
            answer: String::new(),
            comment: String::new(),
        },
        repairs: None,
        item_key: String::new(),
    }
}

fn report(path: &str, admin: Option<(&str, &str)>, year: Option<u16>, items: Vec<Item>) -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        source: Source {
            path: path.into(),
            sha256: format!("{:0>64}", path.len()),
            format: uppfoljning::document::SourceFormat::Text,
            text_layer: None,
            pages: 3,
            part: None,
        },
        administration: admin.map(|(id, name)| AdministrationRef {
            id: id.into(),
            name: name.into(),
            evidence: Evidence::Text,
        }),
        period: year.map(|year| Period {
            year,
            evidence: Evidence::Path,
        }),
        items,
        missing: Vec::new(),
        warnings: Vec::new(),
        provenance: None,
    }
}

/// The sample (ioff 2023, all "ja") and four built reports.
fn reports() -> Vec<Report> {
    let mut sample = common::extract("fixtures/sample/000_a41603a7fe181f4b.txt").unwrap();
    sample.period = Some(Period {
        year: 2023,
        evidence: Evidence::Flag,
    });

    let sdf = Some(("sdf-orgryte-harlanda", SDF));
    let mut first = report(
        "corpus/2023/örgryte.pdf",
        sdf,
        Some(2023),
        vec![
            item(TRYGG, "1:1", Some(Answer::Nej), 0.91, 1),
            item(TRYGG, "1:2", Some(Answer::Delvis), 0.88, 1),
            item(TRYGG, "2:1", None, 0.3, 2),
            item(PLAN, "1:3", Some(Answer::Ja), 0.95, 3),
        ],
    );
    first.missing = vec![format!("{TRYGG}/4:2").parse().unwrap()];
    first.warnings = vec![Warning {
        kind: uppfoljning::report::WarningKind::UnknownCode,
        message: "Koden 9:9 finns inte i katalogen".into(),
        page: Some(3),
    }];
    let second = report(
        "corpus/2023/örgryte-ny.pdf",
        sdf,
        Some(2023),
        vec![item(TRYGG, "1:1", Some(Answer::Ja), 0.97, 1)],
    );
    let unknown = report(
        "inkorg/skannad-rapport.txt",
        None,
        None,
        vec![
            item(TYST, "1:1", Some(Answer::Delvis), 0.8, 1),
            item(TYST, "1:1", Some(Answer::Nej), 0.8, 2),
        ],
    );
    let empty = report(
        "corpus/2023/tom.pdf",
        Some(("tk", "Trafikkontoret")),
        Some(2023),
        vec![],
    );
    vec![sample, first, second, unknown, empty]
}

struct Files {
    dir: PathBuf,
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes the three files into a fresh folder, as the command would.
fn write_all(name: &str, reports: &[Report], rows: &[AggregateRow]) -> Files {
    let dir = std::env::temp_dir().join(format!("uppf-agg-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    write_atomic(&dir.join("aggregate.csv"), &agg_csv::to_csv(rows)).unwrap();
    write_atomic(&dir.join("aggregate.jsonl"), &jsonl::to_jsonl(rows)).unwrap();
    let book = xlsx::to_xlsx(reports, rows).unwrap();
    write_atomic(&dir.join("aggregate.xlsx"), &book).unwrap();
    Files { dir }
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

fn cell(range: &Range<Data>, row: usize, col: usize) -> Data {
    range
        .get_value((row as u32, col as u32))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn row_texts(range: &Range<Data>, row: usize) -> Vec<String> {
    (0..range.width())
        .map(|c| text(&cell(range, row, c)))
        .collect()
}

/// The row whose column `col` reads `label`.
fn find_row(range: &Range<Data>, col: usize, label: &str) -> usize {
    (0..range.height())
        .find(|&r| text(&cell(range, r, col)) == label)
        .unwrap_or_else(|| panic!("no row {label:?} in column {col}"))
}

#[test]
fn csv_reads_back_with_bom_header_rows_and_swedish_letters() {
    let reports = reports();
    let rows = aggregate::rows(&reports);
    let files = write_all("csv", &reports, &rows);
    let bytes = read(&files.dir, "aggregate.csv");

    assert!(bytes.starts_with(agg_csv::BOM), "BOM present");
    let body = &bytes[agg_csv::BOM.len()..];
    assert!(body.windows(2).any(|w| w == b"\r\n"));
    let mut rdr = csv::Reader::from_reader(body);
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, COLUMNS);
    let records: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().unwrap();
    let items: usize = reports.iter().map(|r| r.items.len()).sum();
    assert_eq!(records.len(), items);
    assert_eq!(records.len(), rows.len());

    for (rec, row) in records.iter().zip(&rows) {
        assert_eq!(&rec[1], row.administration_name);
        assert_eq!(&rec[6], row.question);
        assert_eq!(&rec[8], row.comment);
        assert_eq!(rec[9].parse::<f32>().unwrap(), row.confidence);
    }
    assert_eq!(&records[0][1], IOFF);
    assert_eq!(&records[0][2], "2023");
    let sdf = records.iter().find(|r| &r[1] == SDF).unwrap();
    assert_eq!(&sdf[11], "corpus/2023/örgryte.pdf");
    assert!(sdf[8].contains("\"citat\" och å/ä/ö"));
    let blank = records
        .iter()
        .find(|r| &r[5] == "2:1" && &r[1] == SDF)
        .unwrap();
    assert_eq!(&blank[7], "");
    let unknown = records.iter().find(|r| r[0].is_empty()).unwrap();
    assert_eq!((&unknown[2], &unknown[4]), ("", ""));
}

#[test]
fn jsonl_reads_back_one_object_per_row() {
    let reports = reports();
    let rows = aggregate::rows(&reports);
    let files = write_all("jsonl", &reports, &rows);
    let text = String::from_utf8(read(&files.dir, "aggregate.jsonl")).unwrap();

    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rows.len());
    for (line, row) in lines.iter().zip(&rows) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = COLUMNS.to_vec();
        want.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, want);
        assert_eq!(v["administration_name"], row.administration_name.as_str());
        assert_eq!(v["code"], row.code.to_string());
        assert_eq!(v["answer"], row.answer.map_or("", |a| a.as_str()));
        assert_eq!(v["comment"], row.comment.as_str());
        assert_eq!(v["page"], row.page);
        assert_eq!(v["confidence"].as_f64().unwrap() as f32, row.confidence);
        match row.year {
            Some(y) => assert_eq!(v["year"], y),
            None => assert!(v["year"].is_null()),
        }
        match row.area {
            Some(a) => assert_eq!(v["area"], a),
            None => assert!(v["area"].is_null()),
        }
    }
}

#[test]
fn workbook_reads_back_with_rows_matrix_counts_and_review() {
    let reports = reports();
    let rows = aggregate::rows(&reports);
    let files = write_all("xlsx", &reports, &rows);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(read(&files.dir, "aggregate.xlsx"))).unwrap();
    assert_eq!(
        book.sheet_names(),
        [SHEET_ROWS, SHEET_MATRIX, SHEET_COUNTS, SHEET_REVIEW]
    );
    assert_eq!(
        [SHEET_ROWS, SHEET_MATRIX, SHEET_COUNTS, SHEET_REVIEW],
        ["Rader", "Matris", "Antal", "Att granska"]
    );

    // Rader: the contract header, one row per item, typed cells.
    let sheet = book.worksheet_range(SHEET_ROWS).unwrap();
    assert_eq!(row_texts(&sheet, 0), COLUMNS);
    assert_eq!(sheet.height(), rows.len() + 1);
    for (i, row) in rows.iter().enumerate() {
        let r = i + 1;
        assert_eq!(text(&cell(&sheet, r, 1)), row.administration_name);
        assert_eq!(text(&cell(&sheet, r, 5)), row.code.to_string());
        assert_eq!(
            text(&cell(&sheet, r, 7)),
            row.answer.map_or("", |a| a.as_str())
        );
        assert_eq!(text(&cell(&sheet, r, 8)), row.comment);
        assert_eq!(text(&cell(&sheet, r, 13)), row.item_key);
        assert!(!row.item_key.is_empty(), "row {r} has no item_key");
        assert_eq!(number(&cell(&sheet, r, 10)), row.page as f64);
        assert_eq!(number(&cell(&sheet, r, 9)) as f32, row.confidence);
        match row.year {
            Some(y) => assert_eq!(number(&cell(&sheet, r, 2)), f64::from(y)),
            None => assert_eq!(cell(&sheet, r, 2), Data::Empty),
        }
    }
    let confidence = rows.iter().position(|r| r.confidence == 0.97).unwrap() + 1;
    assert_eq!(
        number(&cell(&sheet, confidence, 9)),
        0.97,
        "0.97 stays 0.97"
    );

    // Matris: the answer under (administration, programme/code).
    let matrix = book.worksheet_range(SHEET_MATRIX).unwrap();
    assert_eq!(text(&cell(&matrix, 1, 0)), "Förvaltning");
    // Every column names its programme (no merged cell a pivot would read
    // as blanks), and a programme's columns are side by side.
    let mut program_of = BTreeMap::new();
    let mut groups: Vec<String> = Vec::new();
    for c in 2..matrix.width() {
        let p = text(&cell(&matrix, 0, c));
        assert!(!p.is_empty(), "matrix column {c} names no programme");
        if groups.last() != Some(&p) {
            assert!(!groups.contains(&p), "{p}: its columns are apart");
            groups.push(p.clone());
        }
        program_of.insert((p, text(&cell(&matrix, 1, c))), c);
    }
    assert!(groups.len() >= 2, "{groups:?}");
    let col = |program: &str, code: &str| program_of[&(program.to_string(), code.to_string())];
    let distinct: std::collections::BTreeSet<_> =
        rows.iter().map(|r| (r.program.clone(), r.code)).collect();
    assert_eq!(program_of.len(), distinct.len(), "one column per code");
    let at = |label: &str, program: &str, code: &str| {
        text(&cell(
            &matrix,
            find_row(&matrix, 0, label),
            col(program, code),
        ))
    };
    assert_eq!(at(IOFF, TRYGG, "1:1"), "ja");
    assert_eq!(at(IOFF, TYST, "2:1"), "ja");
    assert_eq!(at(IOFF, TRYGG, "1:2"), "ja");
    assert_eq!(at("skannad-rapport.txt", TYST, "1:1"), "delvis/nej");
    assert_eq!(at("Trafikkontoret", TRYGG, "1:1"), "");
    // The two reports of the same administration: both rows, sorted by path.
    let sdf_rows: Vec<usize> = (0..matrix.height())
        .filter(|&r| text(&cell(&matrix, r, 0)) == SDF)
        .collect();
    assert_eq!(sdf_rows.len(), 2);
    let c11 = col(TRYGG, "1:1");
    assert_eq!(
        text(&cell(&matrix, sdf_rows[0], c11)),
        "ja",
        "örgryte-ny.pdf"
    );
    assert_eq!(text(&cell(&matrix, sdf_rows[1], c11)), "nej", "örgryte.pdf");
    assert_eq!(
        text(&cell(&matrix, sdf_rows[1], col(TRYGG, "1:2"))),
        "delvis"
    );
    assert_eq!(text(&cell(&matrix, sdf_rows[1], col(TRYGG, "2:1"))), "");
    assert_eq!(number(&cell(&matrix, sdf_rows[1], 1)), 2023.0);

    // Antal: per report from column A, per item from COUNTS_ITEM_FIRST.
    let counts = book.worksheet_range(SHEET_COUNTS).unwrap();
    let item = usize::from(xlsx::COUNTS_ITEM_FIRST);
    let header = row_texts(&counts, 1);
    assert_eq!(
        header[..10],
        [
            "Förvaltning",
            "År",
            "Källa",
            "ja",
            "nej",
            "delvis",
            "tomt",
            "totalt",
            "Saknade rader",
            "Varningar"
        ]
    );
    assert_eq!(
        header[item..item + 9],
        ["Program", "Område", "Kod", "ja", "nej", "delvis", "tomt", "totalt", "Fråga"]
    );
    let nums = |r: usize, first: usize, n: usize| -> Vec<f64> {
        (first..first + n)
            .map(|c| number(&cell(&counts, r, c)))
            .collect()
    };
    let trygg_11 = (2..counts.height())
        .find(|&r| {
            text(&cell(&counts, r, item)) == TRYGG && text(&cell(&counts, r, item + 2)) == "1:1"
        })
        .unwrap();
    assert_eq!(nums(trygg_11, item + 3, 5), [2.0, 1.0, 0.0, 0.0, 3.0]);
    let total = find_row(&counts, item, "Totalt");
    let all = |a: &str| {
        rows.iter()
            .filter(|r| r.answer.map_or("", |x| x.as_str()) == a)
            .count() as f64
    };
    assert_eq!(
        nums(total, item + 3, 5),
        [
            all("ja"),
            all("nej"),
            all("delvis"),
            all(""),
            rows.len() as f64
        ]
    );
    let sdf_first = (2..counts.height())
        .find(|&r| {
            text(&cell(&counts, r, 0)) == SDF
                && text(&cell(&counts, r, 2)) == "corpus/2023/örgryte.pdf"
        })
        .unwrap();
    assert_eq!(nums(sdf_first, 3, 7), [1.0, 1.0, 1.0, 1.0, 4.0, 1.0, 1.0]);
    let unknown = find_row(&counts, 0, "skannad-rapport.txt");
    assert_eq!(nums(unknown, 3, 5), [0.0, 1.0, 1.0, 0.0, 2.0]);
    let grand = find_row(&counts, 0, "Totalt");
    let missing: usize = reports.iter().map(|r| r.missing.len()).sum();
    let warnings: usize = reports.iter().map(|r| r.warnings.len()).sum();
    assert_eq!(
        nums(grand, 3, 7),
        [
            all("ja"),
            all("nej"),
            all("delvis"),
            all(""),
            rows.len() as f64,
            missing as f64,
            warnings as f64
        ]
    );

    // Att granska: every category, counted from the reports.
    let review = book.worksheet_range(SHEET_REVIEW).unwrap();
    assert_eq!(row_texts(&review, 0), REVIEW_COLUMNS);
    let lines = |cat: &str| -> Vec<usize> {
        (1..review.height())
            .filter(|&r| text(&cell(&review, r, 0)) == cat)
            .collect()
    };
    let low = rows
        .iter()
        .filter(|r| r.confidence < xlsx::LOW_CONFIDENCE)
        .count();
    assert_eq!(lines(category::MISSING).len(), missing);
    assert_eq!(lines(category::WARNING).len(), warnings);
    assert_eq!(lines(category::LOW_CONFIDENCE).len(), low);
    assert_eq!(lines(category::REPEATED_CODE).len(), 1);
    let dups = lines(category::DUPLICATE);
    assert_eq!(dups.len(), 2);
    for r in dups {
        assert_eq!(text(&cell(&review, r, 1)), SDF);
        assert!(text(&cell(&review, r, 7)).contains("2 gånger"));
    }
    let w = (1..review.height())
        .find(|&r| text(&cell(&review, r, 6)) == "unknown-code")
        .unwrap();
    assert_eq!(number(&cell(&review, w, 5)), 3.0);
    assert_eq!(text(&cell(&review, w, 9)), "corpus/2023/örgryte.pdf");
    let m = (1..review.height())
        .find(|&r| {
            text(&cell(&review, r, 0)) == category::MISSING && text(&cell(&review, r, 1)) == SDF
        })
        .unwrap();
    assert_eq!(
        (text(&cell(&review, m, 3)), text(&cell(&review, m, 4))),
        (TRYGG.to_string(), "4:2".to_string())
    );
    let l = (1..review.height())
        .find(|&r| {
            text(&cell(&review, r, 0)) == category::LOW_CONFIDENCE
                && text(&cell(&review, r, 4)) == "2:1"
        })
        .unwrap();
    assert_eq!(number(&cell(&review, l, 8)), 0.3);
}

#[test]
fn rows_keep_a_documents_keys_and_give_keys_to_one_without() {
    let all = reports();
    let rows = aggregate::rows(&all);
    // The sample's keys are the ones its document holds (made before its
    // year was set here).
    let sample: Vec<&str> = rows
        .iter()
        .filter(|r| r.source_path == all[0].source.path)
        .map(|r| r.item_key.as_str())
        .collect();
    let held: Vec<&str> = all[0].items.iter().map(|i| i.item_key.as_str()).collect();
    assert_eq!(sample, held);
    assert!(held.iter().all(|k| k.starts_with("ioff/-/")), "{held:?}");
    // A document without keys (schema version 1): the keys item_keys gives.
    assert!(all[1].items.iter().all(|i| i.item_key.is_empty()));
    let first: Vec<&str> = rows
        .iter()
        .filter(|r| r.source_path == all[1].source.path)
        .map(|r| r.item_key.as_str())
        .collect();
    assert_eq!(first, all[1].item_keys());
    assert_eq!(first[0], format!("sdf-orgryte-harlanda/2023/{TRYGG}/1:1"));
}

#[test]
fn same_input_gives_byte_identical_files() {
    let reports = reports();
    let rows = aggregate::rows(&reports);
    let a = write_all("det-a", &reports, &rows);
    // Past a second boundary: a workbook stamped with the time of writing
    // would differ.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = write_all("det-b", &reports, &rows);
    for name in ["aggregate.csv", "aggregate.jsonl", "aggregate.xlsx"] {
        assert_eq!(read(&a.dir, name), read(&b.dir, name), "{name} differs");
    }
}

#[test]
fn no_reports_still_give_headers_and_an_openable_workbook() {
    assert_eq!(
        agg_csv::to_csv(&[]),
        [agg_csv::BOM, COLUMNS.join(",").as_bytes(), b"\r\n"].concat()
    );
    assert!(jsonl::to_jsonl(&[]).is_empty());
    let bytes = xlsx::to_xlsx(&[], &[]).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range(SHEET_ROWS).unwrap();
    assert_eq!(row_texts(&sheet, 0), COLUMNS);
    assert_eq!(sheet.height(), 1);
}
