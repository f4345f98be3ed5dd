//! The aggregate as JSON Lines: the contract's long rows for dataframes,
//! databases and streaming tools (`jq`, `pandas.read_json(lines=True)`).
//!
//! Owns the JSON Lines byte format: one compact JSON object per row, keys
//! the [`COLUMNS`](super::COLUMNS) in order, `null` for a missing year or
//! area, each line ended by LF (the format's own rule), UTF-8 without a BOM.

use super::AggregateRow;

/// The rows as JSON Lines: one object per line, keys = [`COLUMNS`](super::COLUMNS)
/// in order, `null` for a missing year or area, `""` for a blank answer.
/// No rows → no bytes.
pub fn to_jsonl(rows: &[AggregateRow]) -> Vec<u8> {
    let mut out = Vec::new();
    for row in rows {
        // AggregateRow's fields are COLUMNS in order (see `super`), its keys
        // are strings and a non-finite confidence serialises as `null`:
        // nothing here can fail.
        serde_json::to_writer(&mut out, row)
            .expect("an AggregateRow always serialises into memory");
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::COLUMNS;
    use super::*;
    use crate::model::{Answer, Code, ProgramId};

    fn row() -> AggregateRow {
        AggregateRow {
            administration_id: String::new(),
            administration_name: String::new(),
            year: None,
            program: ProgramId("tystnadskultur-2023-2025".into()),
            area: None,
            code: Code::new(2, 1),
            question: "Görs det?\n\"Ja\"".into(),
            answer: Some(Answer::Delvis),
            comment: "Åtgärder pågår".into(),
            confidence: 0.42,
            page: 7,
            source_path: "okänd.txt".into(),
            source_sha256: "00".repeat(32),
            item_key: String::new(),
        }
    }

    #[test]
    fn one_object_per_line_with_the_contract_keys_in_order() {
        let out = String::from_utf8(to_jsonl(&[row(), row()])).unwrap();
        let lines: Vec<&str> = out.split_terminator('\n').collect();
        assert_eq!(lines.len(), 2);
        assert!(out.ends_with('\n'));
        let mut at = 0;
        for key in COLUMNS {
            let pos = lines[0].find(&format!("\"{key}\":")).unwrap();
            assert!(pos >= at, "{key} out of order");
            at = pos;
        }
    }

    #[test]
    fn missing_year_and_area_are_null_and_text_round_trips() {
        let out = to_jsonl(&[row()]);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v.as_object().unwrap().len(), COLUMNS.len());
        assert!(v["year"].is_null());
        assert!(v["area"].is_null());
        assert_eq!(v["question"], "Görs det?\n\"Ja\"");
        assert_eq!(v["confidence"].as_f64().unwrap(), 0.42);
        assert_eq!(v["page"], 7);
        assert_eq!(v["code"], "2:1");
        assert_eq!(v["answer"], "delvis");
        let blank = to_jsonl(&[AggregateRow {
            answer: None,
            ..row()
        }]);
        let v: serde_json::Value = serde_json::from_slice(&blank).unwrap();
        assert_eq!(v["answer"], "");
    }

    #[test]
    fn no_rows_no_bytes() {
        assert!(to_jsonl(&[]).is_empty());
    }
}
