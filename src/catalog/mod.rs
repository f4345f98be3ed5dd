//! The catalogue of programmes, areas and rows (`catalog.toml`) and of
//! administrations (`administrations.toml`).
//!
//! Owns the file formats (see `schema.md` beside this file), their
//! validation and the embedded default. It knows nothing about documents:
//! matching text against the catalogue is `segment`'s job (headings, codes
//! and template words), and `extract`'s (items and missing rows).

mod admin;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use admin::{Administration, Administrations};

use crate::error::{Error, Result};
use crate::model::{Code, ProgramId};

const EMBEDDED_CATALOG: &str = include_str!("catalog.toml");

/// What makes a catalogue that parses invalid; the first problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum Invalid {
    /// Two programmes share an id.
    #[error("program {0} is listed twice")]
    ProgramTwice(ProgramId),
    /// A programme lists a code twice.
    #[error("{program}: code {code} is listed twice")]
    CodeTwice {
        /// The programme.
        program: ProgramId,
        /// The code.
        code: Code,
    },
    /// A code's area number is not among its programme's areas.
    #[error("{program}: code {code} names area {}, which the programme does not list", .code.major)]
    UnlistedArea {
        /// The programme.
        program: ProgramId,
        /// The code.
        code: Code,
    },
    /// A programme lists an area number twice.
    #[error("{program}: area {area} is listed twice")]
    AreaTwice {
        /// The programme.
        program: ProgramId,
        /// The area's number.
        area: u16,
    },
}

/// All programmes a report may answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Free-form version string of the catalogue.
    pub version: String,
    /// Programmes in the order reports print them.
    #[serde(rename = "program")]
    pub programs: Vec<Program>,
    /// What it was parsed from.
    #[serde(skip)]
    source: Parsed,
}

/// The TOML a catalogue or a list of administrations was parsed from, and
/// where it came from: what a worker process parses again to run the same
/// lists (see [`crate::pipeline`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    /// The TOML text.
    pub text: String,
    /// A path, or "embedded".
    pub origin: String,
}

/// One programme (trygghetsprogram, handlingsplan, …).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// The contract's programme id.
    pub id: ProgramId,
    /// The programme's full title.
    pub title: String,
    /// Titles as printed at the start of the programme's section of a report.
    #[serde(default)]
    pub printed_titles: Vec<String>,
    /// "Målområde", "Fokusområde", or empty when the programme has no areas.
    #[serde(default)]
    pub area_label: String,
    /// The word printed before codes ("Strategi", "insats"), or empty.
    #[serde(default)]
    pub code_label: String,
    /// Sub-section headings printed inside the programme's section.
    #[serde(default)]
    pub headings: Vec<String>,
    /// The programme's areas.
    #[serde(default, rename = "area")]
    pub areas: Vec<Area>,
    /// The programme's rows, in template order.
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
}

impl Program {
    /// True when codes' first number is an area number.
    pub fn has_areas(&self) -> bool {
        !self.area_label.is_empty()
    }

    /// The area an item with this code belongs to.
    pub fn area_of(&self, code: Code) -> Option<u16> {
        self.has_areas().then_some(code.major)
    }

    /// The catalogue row with this code.
    pub fn item(&self, code: Code) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }
}

/// A målområde or fokusområde.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// The area's number.
    pub number: u16,
    /// Its title, as printed after "Målområde N:".
    pub title: String,
}

/// One row of the questionnaire template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The row's code.
    pub code: Code,
    /// The question of the left column.
    pub question: String,
    /// The strategy or item text printed under the question, code included.
    #[serde(default)]
    pub strategy: Option<String>,
    /// The "Genomförs aktiviteter …" instruction, where the template has one.
    #[serde(default)]
    pub instruction: Option<String>,
    /// The "Förväntat resultat:" text, without its label.
    #[serde(default)]
    pub expected_result: Option<String>,
}

impl Catalog {
    /// The catalogue built into the binary.
    pub fn embedded() -> Result<Catalog> {
        Catalog::parse(EMBEDDED_CATALOG, "embedded")
    }

    /// Loads a catalogue file (`--catalog PATH`).
    pub fn load(path: &Path) -> Result<Catalog> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Catalog {
            origin: path.display().to_string(),
            message: e.to_string(),
        })?;
        Catalog::parse(&text, &path.display().to_string())
    }

    /// Parses and validates catalogue TOML. `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Catalog> {
        let mut catalog: Catalog = toml::from_str(text).map_err(|e| Error::Catalog {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        catalog.source = Parsed {
            text: text.to_string(),
            origin: origin.to_string(),
        };
        catalog.validate().map_err(|invalid| Error::Catalog {
            origin: origin.to_string(),
            message: invalid.to_string(),
        })?;
        Ok(catalog)
    }

    /// Checks that programmes, their codes and their areas are each listed
    /// once, and that every code of a programme with areas names one of
    /// them.
    fn validate(&self) -> std::result::Result<(), Invalid> {
        let mut ids = HashSet::new();
        for p in &self.programs {
            if !ids.insert(&p.id) {
                return Err(Invalid::ProgramTwice(p.id.clone()));
            }
            let mut codes = HashSet::new();
            for item in &p.items {
                if !codes.insert(item.code) {
                    return Err(Invalid::CodeTwice {
                        program: p.id.clone(),
                        code: item.code,
                    });
                }
                if p.has_areas() && !p.areas.iter().any(|a| a.number == item.code.major) {
                    return Err(Invalid::UnlistedArea {
                        program: p.id.clone(),
                        code: item.code,
                    });
                }
            }
            let mut areas = HashSet::new();
            for a in &p.areas {
                if !areas.insert(a.number) {
                    return Err(Invalid::AreaTwice {
                        program: p.id.clone(),
                        area: a.number,
                    });
                }
            }
        }
        Ok(())
    }

    /// The TOML it was parsed from.
    pub fn source(&self) -> &Parsed {
        &self.source
    }

    /// The programme with this id.
    pub fn program(&self, id: &ProgramId) -> Option<&Program> {
        self.programs.iter().find(|p| &p.id == id)
    }

    /// What changed from `self` (an older catalogue) to `newer`: programmes
    /// and rows added or removed, and rows whose question or strategy text
    /// was reworded, in catalogue order.
    pub fn changes_to(&self, newer: &Catalog) -> Vec<Change> {
        let mut out = Vec::new();
        for p in &self.programs {
            if newer.program(&p.id).is_none() {
                out.push(Change::ProgramRemoved(p.id.clone()));
            }
        }
        for np in &newer.programs {
            let Some(op) = self.program(&np.id) else {
                out.push(Change::ProgramAdded(np.id.clone()));
                continue;
            };
            for it in &op.items {
                if np.item(it.code).is_none() {
                    out.push(Change::RowRemoved(np.id.clone(), it.code));
                }
            }
            for it in &np.items {
                match op.item(it.code) {
                    None => out.push(Change::RowAdded(np.id.clone(), it.code)),
                    Some(old) if old.question != it.question || old.strategy != it.strategy => {
                        out.push(Change::RowReworded(np.id.clone(), it.code));
                    }
                    Some(_) => {}
                }
            }
        }
        out
    }
}

/// One difference between two catalogues ([`Catalog::changes_to`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A programme only the newer catalogue has.
    ProgramAdded(ProgramId),
    /// A programme only the older catalogue has.
    ProgramRemoved(ProgramId),
    /// A row only the newer catalogue has.
    RowAdded(ProgramId, Code),
    /// A row only the older catalogue has.
    RowRemoved(ProgramId, Code),
    /// A row whose question or strategy text differs.
    RowReworded(ProgramId, Code),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::ProgramAdded(p) => write!(f, "+ programme {p}"),
            Change::ProgramRemoved(p) => write!(f, "- programme {p}"),
            Change::RowAdded(p, c) => write!(f, "+ {p}/{c}"),
            Change::RowRemoved(p, c) => write!(f, "- {p}/{c}"),
            Change::RowReworded(p, c) => write!(f, "~ {p}/{c} (question or strategy reworded)"),
        }
    }
}

#[cfg(test)]
mod change_tests {
    use super::*;

    #[test]
    fn changes_between_catalogues_are_listed() {
        let old = Catalog::embedded().unwrap();
        let text = EMBEDDED_CATALOG
            .replace("Har ni säkrat er kompetens?", "Har ni säkrat kompetensen?")
            .replace("code = \"1:1\"", "code = \"1:9\"");
        let new = Catalog::parse(&text, "test").unwrap();
        let changes: Vec<String> = old
            .changes_to(&new)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            changes.contains(
                &"~ trygghetsprogram-2022-2026/1:2 (question or strategy reworded)".to_string()
            ),
            "{changes:?}"
        );
        assert!(
            changes
                .iter()
                .any(|c| c.starts_with("- ") && c.ends_with("/1:1")),
            "{changes:?}"
        );
        assert!(
            changes
                .iter()
                .any(|c| c.starts_with("+ ") && c.ends_with("/1:9")),
            "{changes:?}"
        );
        assert!(old.changes_to(&old).is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_parses_with_unique_keys() {
        let c = Catalog::embedded().expect("embedded catalogue parses");
        assert!(c.programs.len() >= 3);
        for p in &c.programs {
            assert!(!p.items.is_empty(), "{} has no rows", p.id);
        }
    }

    #[test]
    fn duplicate_codes_are_rejected() {
        let toml = r#"
            version = "t"
            [[program]]
            id = "p"
            title = "P"
            [[program.item]]
            code = "1:1"
            question = "a?"
            [[program.item]]
            code = "1:1"
            question = "b?"
        "#;
        let err = Catalog::parse(toml, "test").unwrap_err().to_string();
        assert!(err.contains("1:1 is listed twice"), "{err}");
    }

    #[test]
    fn a_code_outside_the_programmes_areas_is_named_with_its_area() {
        let toml = r#"
            version = "t"
            [[program]]
            id = "p"
            title = "P"
            area_label = "Målområde"
            [[program.area]]
            number = 1
            title = "Ett"
            [[program.item]]
            code = "2:1"
            question = "a?"
        "#;
        let err = Catalog::parse(toml, "test").unwrap_err().to_string();
        assert_eq!(
            err,
            "catalogue test: p: code 2:1 names area 2, which the programme does not list"
        );
    }

    #[test]
    fn bad_code_names_the_origin() {
        let toml = "version = \"t\"\n[[program]]\nid = \"p\"\ntitle = \"P\"\n[[program.item]]\ncode = \"x\"\nquestion = \"q\"\n";
        let err = Catalog::parse(toml, "mine.toml").unwrap_err().to_string();
        assert!(err.starts_with("catalogue mine.toml:"), "{err}");
    }
}
