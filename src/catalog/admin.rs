//! The administrations list (`administrations.toml`) and how a name printed
//! in a report or a file name is looked up in it.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

const EMBEDDED_ADMINISTRATIONS: &str = include_str!("administrations.toml");

/// One förvaltning, nämnd's office or bolag.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Administration {
    /// Lowercase slug, the contract's `administration.id`.
    pub id: String,
    /// Official name.
    pub name: String,
    /// The nämnd (board) it serves, where there is one.
    #[serde(default)]
    pub board: Option<String>,
    /// "förvaltning" or "bolag".
    #[serde(default)]
    pub kind: Option<String>,
    /// Abbreviations and other printed names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// First year it existed, where it matters.
    #[serde(default)]
    pub valid_from: Option<u16>,
    /// Last year it existed, where it ended.
    #[serde(default)]
    pub valid_to: Option<u16>,
    /// Ids of the administrations that took over its work.
    #[serde(default)]
    pub succeeded_by: Vec<String>,
}

impl Administration {
    /// Every name that identifies it: official name, board, aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.board.as_deref())
            .chain(self.aliases.iter().map(String::as_str))
    }
}

/// The list of administrations.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Administrations {
    /// All administrations, current and ended.
    #[serde(rename = "administration")]
    pub list: Vec<Administration>,
    /// What it was parsed from.
    #[serde(skip)]
    source: super::Parsed,
}

impl Administrations {
    /// The list built into the binary.
    pub fn embedded() -> Result<Administrations> {
        Administrations::parse(EMBEDDED_ADMINISTRATIONS, "embedded administrations")
    }

    /// Loads a list from a file.
    pub fn load(path: &Path) -> Result<Administrations> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Catalog {
            origin: path.display().to_string(),
            message: e.to_string(),
        })?;
        Administrations::parse(&text, &path.display().to_string())
    }

    /// The TOML it was parsed from.
    pub fn source(&self) -> &super::Parsed {
        &self.source
    }

    /// Parses and validates the TOML; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Administrations> {
        let err = |message: String| Error::Catalog {
            origin: origin.to_string(),
            message,
        };
        let mut list: Administrations = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        list.source = super::Parsed {
            text: text.to_string(),
            origin: origin.to_string(),
        };
        let mut seen = std::collections::HashSet::new();
        for a in &list.list {
            if !seen.insert(a.id.as_str()) {
                return Err(err(format!("administration {} is listed twice", a.id)));
            }
            if a.id.is_empty()
                || !a
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                return Err(err(format!(
                    "administration id {:?} is not a lowercase slug",
                    a.id
                )));
            }
        }
        for a in &list.list {
            for s in &a.succeeded_by {
                if !list.list.iter().any(|b| &b.id == s) {
                    return Err(err(format!("{}: succeeded_by names unknown id {s}", a.id)));
                }
            }
        }
        Ok(list)
    }

    /// The administration with this id.
    pub fn get(&self, id: &str) -> Option<&Administration> {
        self.list.iter().find(|a| a.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_parses_and_has_the_sample_author() {
        let list = Administrations::embedded().expect("embedded list parses");
        let ioff = list.get("ioff").expect("ioff listed");
        assert!(ioff.aliases.iter().any(|a| a == "IOFF"));
    }

    #[test]
    fn unknown_successor_is_rejected() {
        let toml = "[[administration]]\nid = \"a\"\nname = \"A\"\nsucceeded_by = [\"zz\"]\n";
        assert!(Administrations::parse(toml, "t").is_err());
    }
}
