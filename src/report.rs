//! The output contract (`docs/contract.md`, schema version 2; JSON
//! Schema in `schema/report.schema.json`) as Rust types.
//!
//! Field names and meanings here are what every consumer relies on: add
//! fields if needed, never rename or remove one without bumping
//! [`SCHEMA_VERSION`], and keep the contract and the schema in step.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::document::{ReadWarningKind, SourceFormat, TextLayer};
use crate::model::{Answer, Code, ProgramId, Stage};

/// The contract version this crate writes.
pub const SCHEMA_VERSION: u32 = 2;

/// One report → one JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The input file.
    pub source: Source,
    /// Who wrote the report; `None` when it cannot be told.
    pub administration: Option<AdministrationRef>,
    /// The year the follow-up reports on; `None` when it cannot be told.
    pub period: Option<Period>,
    /// Rows in document order.
    pub items: Vec<Item>,
    /// Catalogue rows the report does not answer (each written
    /// `program/code`).
    pub missing: Vec<Missing>,
    /// Everything a reviewer should look at.
    pub warnings: Vec<Warning>,
    /// What made the document: the tool, the catalogue and list of
    /// administrations, the options. Always written; `None` only when
    /// reading a document of schema version 1, which had none.
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

impl Report {
    /// The [`Item::item_key`] of each item, in item order: see
    /// [`item_keys`].
    pub fn item_keys(&self) -> Vec<String> {
        item_keys(self)
    }

    /// Sets every item's [`Item::item_key`] from the report's
    /// administration, year and the items' programmes and codes.
    pub fn set_item_keys(&mut self) {
        let keys = item_keys(self);
        for (item, key) in self.items.iter_mut().zip(keys) {
            item.item_key = key;
        }
    }
}

/// The stable key of each item of a report, in item order:
/// `<administration id>/<year>/<program id>/<code>`
/// (`ioff/2023/trygghetsprogram-2022-2026/3:2`), with `-` for an
/// administration or a year that is not known
/// (`-/-/trygghetsprogram-2022-2026/3:2`). A key met again in the same
/// report gets `#2` on its second occurrence, `#3` on its third, in
/// document order, so that the keys of one report are unique (a code a
/// report answers twice, see [`WarningKind::DuplicateCode`]).
///
/// The key is unique within one report, not across reports: two reports
/// of one administration and year (see `aggregate::duplicates`) share
/// their keys; `source.path` (with its `#N` for a part of a bundle) tells
/// them apart.
pub fn item_keys(report: &Report) -> Vec<String> {
    let administration = report
        .administration
        .as_ref()
        .map_or("-", |a| a.id.as_str());
    let year = report
        .period
        .as_ref()
        .map_or_else(|| "-".to_string(), |p| p.year.to_string());
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    report
        .items
        .iter()
        .map(|item| {
            let key = format!("{administration}/{year}/{}/{}", item.program, item.code);
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                key
            } else {
                format!("{key}#{n}")
            }
        })
        .collect()
}

/// What made a report document: enough to tell whether converting its
/// input again would give the same document (`batch` converts an input
/// again when any of it differs, see `docs/contract.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The program that wrote it.
    pub tool: Tool,
    /// The catalogue of programmes and rows used.
    pub catalog: Fingerprint,
    /// The list of administrations used.
    pub administrations: Fingerprint,
    /// The options of the run that change what is written.
    pub options: RunOptions,
}

/// The program that wrote a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `uppfoljning`.
    pub name: String,
    /// The crate's version (`0.1.0`).
    pub version: String,
    /// The git commit it was built from, when built from a git checkout
    /// (the last commit: uncommitted changes are not told); `None` else.
    pub revision: Option<String>,
}

impl Tool {
    /// This build.
    pub fn current() -> Tool {
        let revision = env!("UPPFOLJNING_GIT_REVISION");
        Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            revision: (!revision.is_empty()).then(|| revision.to_string()),
        }
    }
}

/// Which catalogue (or list of administrations) a document was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Its `version` string, where it has one (the catalogue has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// SHA-256 of its TOML text, lowercase hex: any change to the file,
    /// a comment's too, changes it.
    pub sha256: String,
}

/// The options of a run that change what is written, as given or as
/// their defaults (a password is never recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOptions {
    /// `--administration`, when given.
    pub administration: Option<String>,
    /// `--year`, when given.
    pub year: Option<u16>,
    /// `--explain`: every repair is kept in the items.
    pub explain: bool,
    /// `--one-report`: the file was not split.
    pub one_report: bool,
    /// `--ocr`: `auto`, `always` or `never`.
    pub ocr: crate::read::OcrMode,
    /// `--ocr-lang`: the tesseract model(s).
    pub ocr_lang: String,
    /// `--dpi`.
    pub dpi: u32,
}

/// Where the report came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The path as given.
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The kind of file: `pdf`, `text` or `image`.
    pub format: SourceFormat,
    /// Where the text came from (`digital`, `ocr` or `none`) for PDFs and
    /// images; `None` for text input.
    pub text_layer: Option<TextLayer>,
    /// Number of pages of the file.
    pub pages: usize,
    /// Which part of the file this report is, when the file holds several
    /// reports (a bundle); absent for a file of one report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}

/// A report's place in a file that holds several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// 1-based number of the report in the file.
    pub index: usize,
    /// How many reports the file holds.
    pub count: usize,
    /// 1-based page of the file where the report begins.
    pub first_page: usize,
    /// 1-based page of the file where it ends (the next report may begin
    /// on the same page of a text file).
    pub last_page: usize,
}

impl Source {
    /// The report's name in listings: the path, with `#N` for the N-th
    /// report of a file that holds several (`bundle.pdf#2`).
    pub fn report_name(&self) -> String {
        match &self.part {
            Some(p) => format!("{}#{}", self.path, p.index),
            None => self.path.clone(),
        }
    }
}

/// How an administration or period was determined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// Given on the command line.
    Flag,
    /// Read in the document's text.
    Text,
    /// Taken from the file name.
    Filename,
    /// Taken from the file's path (a year in a folder name).
    Path,
}

/// The administration a report belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdministrationRef {
    /// Id from the administrations catalogue.
    pub id: String,
    /// Official name.
    pub name: String,
    /// How it was determined.
    pub evidence: Evidence,
}

/// The year a report follows up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// The year.
    pub year: u16,
    /// How it was determined.
    pub evidence: Evidence,
}

/// One answered row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The row's key, unique in its report: see [`item_keys`]. Empty only
    /// when reading a document of schema version 1, which had none.
    #[serde(default)]
    pub item_key: String,
    /// Programme id.
    pub program: ProgramId,
    /// Målområde / fokusområde number; `None` if the programme has none.
    pub area: Option<u16>,
    /// The row's code.
    pub code: Code,
    /// The question, repaired.
    pub question: String,
    /// The strategy / item text under the question, repaired.
    pub strategy_text: Option<String>,
    /// The answer slot; `None` when left blank.
    pub answer: Option<Answer>,
    /// The comment, repaired.
    pub comment: String,
    /// The "Förväntat resultat:" text, without its label.
    pub expected_result: Option<String>,
    /// How sure the code/answer assignment is, 0..1.
    pub confidence: f32,
    /// 1-based page where the row starts.
    pub page: usize,
    /// Text as extracted, before repair.
    pub raw: RawText,
    /// Each repair made, when asked for (`--explain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repairs: Option<Vec<RepairNote>>,
}

/// Text as extracted, before repair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawText {
    /// The question words as read.
    pub question: String,
    /// The answer slot as read.
    pub answer: String,
    /// The comment as read.
    pub comment: String,
}

/// One repair, for auditing. Written as `{field, before, after, reason}`,
/// the reason led by the stage's name ("lexicon: 'åtgärder' (cB 444) over
/// …"), but for hyphenation, whose reasons stand alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "RepairNoteJson", from = "RepairNoteJson")]
pub struct RepairNote {
    /// Which field.
    pub field: String,
    /// Text before.
    pub before: String,
    /// Text after.
    pub after: String,
    /// What made the repair.
    pub stage: RepairStage,
    /// Why, in the stage's words (without its name).
    pub reason: String,
}

/// What made a repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairStage {
    /// A stage of Swedish repair.
    Repair(Stage),
    /// The catalogue's text of the row replaced the words as read.
    Template,
}

impl RepairStage {
    /// Every stage.
    const ALL: [RepairStage; 7] = [
        RepairStage::Repair(Stage::Normalize),
        RepairStage::Repair(Stage::Mojibake),
        RepairStage::Repair(Stage::Confusion),
        RepairStage::Repair(Stage::Lexicon),
        RepairStage::Repair(Stage::Context),
        RepairStage::Repair(Stage::Hyphenation),
        RepairStage::Template,
    ];

    /// The name a written reason starts with (`"lexicon"` in
    /// `"lexicon: …"`); hyphenation's reasons have none.
    pub fn prefix(self) -> Option<&'static str> {
        match self {
            RepairStage::Repair(Stage::Normalize) => Some("normalize"),
            RepairStage::Repair(Stage::Mojibake) => Some("mojibake"),
            RepairStage::Repair(Stage::Confusion) => Some("confusion"),
            RepairStage::Repair(Stage::Lexicon) => Some("lexicon"),
            RepairStage::Repair(Stage::Context) => Some("context"),
            RepairStage::Repair(Stage::Hyphenation) => None,
            RepairStage::Template => Some("template"),
        }
    }
}

/// [`RepairNote`] as written: the stage's name leads the reason.
#[derive(Serialize, Deserialize)]
struct RepairNoteJson {
    field: String,
    before: String,
    after: String,
    reason: String,
}

impl From<RepairNote> for RepairNoteJson {
    fn from(note: RepairNote) -> RepairNoteJson {
        let reason = match note.stage.prefix() {
            Some(name) => format!("{name}: {}", note.reason),
            None => note.reason,
        };
        RepairNoteJson {
            field: note.field,
            before: note.before,
            after: note.after,
            reason,
        }
    }
}

impl From<RepairNoteJson> for RepairNote {
    /// A reason led by no stage's name is hyphenation's.
    fn from(json: RepairNoteJson) -> RepairNote {
        let named = RepairStage::ALL.into_iter().find_map(|stage| {
            let rest = json
                .reason
                .strip_prefix(stage.prefix()?)?
                .strip_prefix(": ")?;
            Some((stage, rest.to_string()))
        });
        let (stage, reason) =
            named.unwrap_or((RepairStage::Repair(Stage::Hyphenation), json.reason));
        RepairNote {
            field: json.field,
            before: json.before,
            after: json.after,
            stage,
            reason,
        }
    }
}

/// Something a reviewer should look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    /// Machine-readable kind, e.g. `unknown-code`, `low-confidence`.
    pub kind: WarningKind,
    /// What and where, for a person.
    pub message: String,
    /// The page, where one applies.
    pub page: Option<usize>,
}

/// The kind of a [`Warning`]: what a reviewer should look at. Written in
/// kebab-case (`unknown-code`); consumers filter and count by it, so a
/// variant's spelling never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// A PDF with no text layer (an image-only scan), or an image not
    /// OCR'd: nothing could be read.
    NoTextLayer,
    /// The reader derived a font's character map that the PDF lacks
    /// ([`ReadWarningKind::FontMapDerived`]).
    FontMapDerived,
    /// The reader repaired a damaged font
    /// ([`ReadWarningKind::FontRepaired`]).
    FontRepaired,
    /// A page the reader could not read ([`ReadWarningKind::PageUnread`]).
    PageUnread,
    /// The PDF's cross-reference table was rebuilt
    /// ([`ReadWarningKind::XrefRebuilt`]).
    XrefRebuilt,
    /// A code the catalogue does not have for the row's programme; the row
    /// is kept as an item.
    UnknownCode,
    /// A row placed by its text alone, which fits another row almost as
    /// well.
    AmbiguousRow,
    /// A row read with a confidence below `extract::LOW_CONFIDENCE`.
    LowConfidence,
    /// A section that is in no programme of the catalogue; its rows are
    /// left out.
    UnknownSection,
    /// A code that appears more than once in the report.
    DuplicateCode,
    /// Code lines printed twice in a row (an OCR artefact), each read once.
    RepeatedLine,
    /// A document that names catalogue codes but not in the
    /// questionnaire's template.
    UnknownTemplate,
    /// No row of the catalogue found.
    NotAReport,
    /// A cut between two reports of one file told by codes alone.
    UncertainSplit,
    /// Two reports of one file that look like versions of one report.
    RepeatedReport,
}

impl WarningKind {
    /// The contract's spelling, as serialised (`unknown-code`).
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::NoTextLayer => "no-text-layer",
            WarningKind::FontMapDerived => "font-map-derived",
            WarningKind::FontRepaired => "font-repaired",
            WarningKind::PageUnread => "page-unread",
            WarningKind::XrefRebuilt => "xref-rebuilt",
            WarningKind::UnknownCode => "unknown-code",
            WarningKind::AmbiguousRow => "ambiguous-row",
            WarningKind::LowConfidence => "low-confidence",
            WarningKind::UnknownSection => "unknown-section",
            WarningKind::DuplicateCode => "duplicate-code",
            WarningKind::RepeatedLine => "repeated-line",
            WarningKind::UnknownTemplate => "unknown-template",
            WarningKind::NotAReport => "not-a-report",
            WarningKind::UncertainSplit => "uncertain-split",
            WarningKind::RepeatedReport => "repeated-report",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ReadWarningKind> for WarningKind {
    fn from(kind: ReadWarningKind) -> WarningKind {
        match kind {
            ReadWarningKind::FontMapDerived => WarningKind::FontMapDerived,
            ReadWarningKind::FontRepaired => WarningKind::FontRepaired,
            ReadWarningKind::PageUnread => WarningKind::PageUnread,
            ReadWarningKind::XrefRebuilt => WarningKind::XrefRebuilt,
        }
    }
}

/// A catalogue row a report does not answer: its programme and code,
/// written as one string `program/code`
/// (`trygghetsprogram-2022-2026/4:2`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Missing {
    /// The row's programme.
    pub program: ProgramId,
    /// The row's code.
    pub code: Code,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.program, self.code)
    }
}

/// Why a string is not a `program/code` pair.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a missing row of the form program/N:M")]
pub struct ParseMissingError(String);

impl FromStr for Missing {
    type Err = ParseMissingError;

    /// Reads what [`Missing`]'s `Display` writes. The code is after the
    /// last `/`, since a code never holds one and a programme id might.
    fn from_str(s: &str) -> Result<Missing, ParseMissingError> {
        let err = || ParseMissingError(s.to_string());
        let (program, code) = s.rsplit_once('/').ok_or_else(err)?;
        Ok(Missing {
            program: ProgramId(program.to_string()),
            code: code.parse().map_err(|_| err())?,
        })
    }
}

impl Serialize for Missing {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Missing {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Missing, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_kinds_serialise_as_their_contract_spelling() {
        let all = [
            WarningKind::NoTextLayer,
            WarningKind::FontMapDerived,
            WarningKind::FontRepaired,
            WarningKind::PageUnread,
            WarningKind::XrefRebuilt,
            WarningKind::UnknownCode,
            WarningKind::AmbiguousRow,
            WarningKind::LowConfidence,
            WarningKind::UnknownSection,
            WarningKind::DuplicateCode,
            WarningKind::RepeatedLine,
            WarningKind::UnknownTemplate,
            WarningKind::NotAReport,
            WarningKind::UncertainSplit,
            WarningKind::RepeatedReport,
        ];
        for kind in all {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(serde_json::from_str::<WarningKind>(&json).unwrap(), kind);
        }
    }

    #[test]
    fn a_read_warning_keeps_its_spelling_in_the_report() {
        for kind in [
            ReadWarningKind::FontMapDerived,
            ReadWarningKind::FontRepaired,
            ReadWarningKind::PageUnread,
            ReadWarningKind::XrefRebuilt,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::to_value(WarningKind::from(kind)).unwrap()
            );
        }
    }

    /// A report of these rows (programme, code), by this administration
    /// and year.
    fn report_of(admin: Option<&str>, year: Option<u16>, rows: &[(&str, &str)]) -> Report {
        let item = |program: &str, code: &str| Item {
            item_key: String::new(),
            program: ProgramId(program.into()),
            area: None,
            code: code.parse().unwrap(),
            question: String::new(),
            strategy_text: None,
            answer: None,
            comment: String::new(),
            expected_result: None,
            confidence: 1.0,
            page: 1,
            raw: RawText {
                question: String::new(),
                answer: String::new(),
                comment: String::new(),
            },
            repairs: None,
        };
        Report {
            schema_version: SCHEMA_VERSION,
            source: Source {
                path: "a.txt".into(),
                sha256: String::new(),
                format: SourceFormat::Text,
                text_layer: None,
                pages: 1,
                part: None,
            },
            administration: admin.map(|id| AdministrationRef {
                id: id.into(),
                name: String::new(),
                evidence: Evidence::Text,
            }),
            period: year.map(|year| Period {
                year,
                evidence: Evidence::Text,
            }),
            items: rows.iter().map(|(p, c)| item(p, c)).collect(),
            missing: Vec::new(),
            warnings: Vec::new(),
            provenance: None,
        }
    }

    #[test]
    fn item_keys_are_administration_year_program_code() {
        let r = report_of(
            Some("ioff"),
            Some(2023),
            &[
                ("trygghetsprogram-2022-2026", "3:2"),
                ("handlingsplan-2023-2026", "3:2"),
            ],
        );
        assert_eq!(
            r.item_keys(),
            [
                "ioff/2023/trygghetsprogram-2022-2026/3:2",
                "ioff/2023/handlingsplan-2023-2026/3:2"
            ]
        );
        let unknown = report_of(None, None, &[("p", "1:1")]);
        assert_eq!(unknown.item_keys(), ["-/-/p/1:1"]);
        let no_year = report_of(Some("ff"), None, &[("p", "1:10")]);
        assert_eq!(no_year.item_keys(), ["ff/-/p/1:10"]);
    }

    #[test]
    fn a_repeated_key_gets_its_occurrence_in_document_order() {
        let mut r = report_of(
            Some("sbf"),
            Some(2024),
            &[
                ("p", "1:1"),
                ("q", "1:1"),
                ("p", "1:1"),
                ("p", "1:2"),
                ("p", "1:1"),
            ],
        );
        r.set_item_keys();
        let keys: Vec<&str> = r.items.iter().map(|i| i.item_key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "sbf/2024/p/1:1",
                "sbf/2024/q/1:1",
                "sbf/2024/p/1:1#2",
                "sbf/2024/p/1:2",
                "sbf/2024/p/1:1#3"
            ]
        );
        let unique: std::collections::HashSet<&str> = keys.iter().copied().collect();
        assert_eq!(unique.len(), keys.len());
    }

    #[test]
    fn a_document_of_schema_version_1_reads_without_keys_or_provenance() {
        let mut v = serde_json::to_value(report_of(Some("ioff"), None, &[("p", "1:1")])).unwrap();
        v["schema_version"] = 1.into();
        let object = v.as_object_mut().unwrap();
        object.remove("provenance");
        let item = v["items"][0].as_object_mut().unwrap();
        item.remove("item_key");
        let old: Report = serde_json::from_value(v).unwrap();
        assert_eq!(
            (&old.provenance, old.items[0].item_key.as_str()),
            (&None, "")
        );
        assert_eq!(old.item_keys(), ["ioff/-/p/1:1"]);
    }

    #[test]
    fn missing_is_written_program_slash_code_and_read_back() {
        let m = Missing {
            program: ProgramId("trygghetsprogram-2022-2026".into()),
            code: Code::new(4, 2),
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, "\"trygghetsprogram-2022-2026/4:2\"");
        assert_eq!(serde_json::from_str::<Missing>(&json).unwrap(), m);
    }

    #[test]
    fn missing_takes_the_code_after_the_last_slash() {
        let m: Missing = "a/b/1:3".parse().unwrap();
        assert_eq!((m.program.0.as_str(), m.code), ("a/b", Code::new(1, 3)));
        for bad in ["", "a", "a/", "a/b", "a/1:2/"] {
            assert!(bad.parse::<Missing>().is_err(), "{bad} parsed");
        }
    }

    #[test]
    fn source_format_and_text_layer_keep_their_spelling() {
        let json = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let formats = [
            (SourceFormat::Pdf, "pdf"),
            (SourceFormat::Text, "text"),
            (SourceFormat::Image, "image"),
        ];
        for (format, text) in formats {
            assert_eq!(json(serde_json::to_value(format).unwrap()), text);
        }
        let layers = [
            (TextLayer::Digital, "digital"),
            (TextLayer::Ocr, "ocr"),
            (TextLayer::None, "none"),
        ];
        for (layer, text) in layers {
            assert_eq!(json(serde_json::to_value(layer).unwrap()), text);
        }
    }

    #[test]
    fn a_repair_note_is_written_with_its_stage_leading_the_reason_and_read_back() {
        for (stage, written) in [
            (RepairStage::Repair(Stage::Lexicon), "lexicon: why"),
            (RepairStage::Template, "template: why"),
            (RepairStage::Repair(Stage::Hyphenation), "why"),
        ] {
            let note = RepairNote {
                field: "comment".into(),
                before: "a".into(),
                after: "b".into(),
                stage,
                reason: "why".into(),
            };
            let json = serde_json::to_string(&note).unwrap();
            assert_eq!(
                json,
                format!(r#"{{"field":"comment","before":"a","after":"b","reason":"{written}"}}"#)
            );
            assert_eq!(serde_json::from_str::<RepairNote>(&json).unwrap(), note);
        }
    }
}
