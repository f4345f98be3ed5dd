//! The aggregate as CSV: the contract's long rows for spreadsheets,
//! dataframes and databases.
//!
//! Owns the CSV byte format: UTF-8 with a byte-order mark, a header row of
//! [`COLUMNS`], comma-separated, fields quoted only where needed (a comma,
//! a quote or a line break inside; quotes doubled), records ended by CRLF.
//!
//! Why these choices:
//! - The BOM is what makes Excel read the file as UTF-8 rather than the
//!   machine's ANSI code page, so å/ä/ö survive a double-click. pandas
//!   (`encoding="utf-8-sig"`), R and the `csv` crate readers skip or accept
//!   it.
//! - CRLF is RFC 4180's record terminator and what Excel itself writes;
//!   every CSV reader accepts it, while a few strict ones reject bare LF.
//! - Values are written as they are, never prefixed to defuse spreadsheet
//!   formulas, so the file stays faithful for dataframes and databases; the
//!   `.xlsx` workbook is the format meant for opening in Excel (its cells
//!   are typed strings, never formulas).

use super::{answer_word, AggregateRow, COLUMNS};

/// The byte-order mark that opens the file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The rows as CSV: UTF-8 with a BOM (so Excel opens å/ä/ö right), a header
/// row of [`COLUMNS`], comma-separated, fields quoted where needed, records
/// ended by CRLF (RFC 4180, as Excel writes). Missing year or area is an
/// empty field; confidence is written in its shortest exact form (`0.97`).
pub fn to_csv(rows: &[AggregateRow]) -> Vec<u8> {
    write(rows).expect("CSV into memory cannot fail: no I/O, every record has 14 fields")
}

fn write(rows: &[AggregateRow]) -> Result<Vec<u8>, csv::Error> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(&mut out);
        w.write_record(COLUMNS)?;
        for row in rows {
            w.write_record(record(row))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A row's fields as text, in [`COLUMNS`] order.
fn record(row: &AggregateRow) -> [String; COLUMNS.len()] {
    [
        row.administration_id.clone(),
        row.administration_name.clone(),
        row.year.map(|y| y.to_string()).unwrap_or_default(),
        row.program.to_string(),
        row.area.map(|a| a.to_string()).unwrap_or_default(),
        row.code.to_string(),
        row.question.clone(),
        answer_word(row.answer).to_string(),
        row.comment.clone(),
        confidence(row.confidence),
        row.page.to_string(),
        row.source_path.clone(),
        row.source_sha256.clone(),
        row.item_key.clone(),
    ]
}

/// The shortest text that reads back as the same `f32` (`0.97`, not
/// `0.9700000286`); empty for a value that is not a number.
fn confidence(c: f32) -> String {
    if c.is_finite() {
        c.to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Answer, Code, ProgramId};

    fn row() -> AggregateRow {
        AggregateRow {
            administration_id: "ioff".into(),
            administration_name: "Idrotts- och föreningsförvaltningen".into(),
            year: Some(2023),
            program: ProgramId("trygghetsprogram-2022-2026".into()),
            area: Some(1),
            code: Code::new(1, 1),
            question: "Är ert arbete kunskapsbaserat?".into(),
            answer: Some(Answer::Ja),
            comment: "Vi \"arbetar\", i huvudsak, med BRÅ".into(),
            confidence: 0.97,
            page: 2,
            source_path: "corpus/2023/ioff.pdf".into(),
            source_sha256: "ab".repeat(32),
            item_key: "ioff/2023/trygghetsprogram-2022-2026/1:1".into(),
        }
    }

    #[test]
    fn starts_with_a_bom_and_the_contract_header_then_crlf() {
        let out = to_csv(&[]);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, format!("\u{feff}{}\r\n", COLUMNS.join(",")));
    }

    #[test]
    fn quotes_only_fields_that_need_it() {
        let out = String::from_utf8(to_csv(&[row()])).unwrap();
        let line = out.lines().nth(1).unwrap();
        assert_eq!(
            line,
            format!(
                "ioff,Idrotts- och föreningsförvaltningen,2023,trygghetsprogram-2022-2026,1,1:1,\
                 Är ert arbete kunskapsbaserat?,ja,\"Vi \"\"arbetar\"\", i huvudsak, med BRÅ\",\
                 0.97,2,corpus/2023/ioff.pdf,{},ioff/2023/trygghetsprogram-2022-2026/1:1",
                "ab".repeat(32)
            )
        );
        assert!(out.ends_with("\r\n"));
    }

    #[test]
    fn missing_year_area_and_answer_are_empty_fields() {
        let r = AggregateRow {
            year: None,
            area: None,
            answer: None,
            ..row()
        };
        let out = to_csv(&[r]);
        let mut rdr = csv::Reader::from_reader(&out[BOM.len()..]);
        let rec = rdr.records().next().unwrap().unwrap();
        assert_eq!(&rec[2], "");
        assert_eq!(&rec[4], "");
        assert_eq!(&rec[7], "");
        assert_eq!(&rec[9], "0.97");
    }

    #[test]
    fn line_breaks_inside_a_field_round_trip() {
        let r = AggregateRow {
            comment: "rad ett\r\nrad två\nrad tre".into(),
            ..row()
        };
        let out = to_csv(std::slice::from_ref(&r));
        let mut rdr = csv::Reader::from_reader(&out[BOM.len()..]);
        let recs: Vec<_> = rdr.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(recs.len(), 1);
        assert_eq!(&recs[0][8], r.comment);
    }

    #[test]
    fn non_finite_confidence_is_an_empty_field() {
        assert_eq!(confidence(f32::NAN), "");
        assert_eq!(confidence(1.0), "1");
        assert_eq!(confidence(0.5), "0.5");
    }
}
