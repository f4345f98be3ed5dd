//! Small validated value types shared by every stage: [`Code`],
//! [`ProgramId`] and [`Answer`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A strategy / insats / item code, always "N:M" (e.g. `3:2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code {
    /// The number before the colon: the area (målområde / fokusområde) in
    /// programmes that have areas.
    pub major: u16,
    /// The number after the colon.
    pub minor: u16,
}

impl Code {
    /// Builds a code from its two numbers.
    pub fn new(major: u16, minor: u16) -> Code {
        Code { major, minor }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.major, self.minor)
    }
}

/// Why a string is not a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a code of the form N:M")]
pub struct ParseCodeError(String);

impl FromStr for Code {
    type Err = ParseCodeError;

    fn from_str(s: &str) -> Result<Code, ParseCodeError> {
        let err = || ParseCodeError(s.to_string());
        let (a, b) = s.trim().split_once(':').ok_or_else(err)?;
        let digits =
            |t: &str| !t.is_empty() && t.len() <= 3 && t.bytes().all(|c| c.is_ascii_digit());
        if !digits(a) || !digits(b) {
            return Err(err());
        }
        Ok(Code {
            major: a.parse().map_err(|_| err())?,
            minor: b.parse().map_err(|_| err())?,
        })
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A programme id from the catalogue, e.g. `trygghetsprogram-2022-2026`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProgramId(pub String);

impl fmt::Display for ProgramId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The answer slot of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// "Ja".
    Ja,
    /// "Nej".
    Nej,
    /// "Delvis".
    Delvis,
}

impl Answer {
    /// The contract's lowercase spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Ja => "ja",
            Answer::Nej => "nej",
            Answer::Delvis => "delvis",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_round_trips() {
        let c: Code = "4:6".parse().unwrap();
        assert_eq!(c, Code::new(4, 6));
        assert_eq!(c.to_string(), "4:6");
    }

    #[test]
    fn code_rejects_non_codes() {
        for s in ["", "4", "4:", ":6", "a:b", "1:2:3", "12345:1"] {
            assert!(s.parse::<Code>().is_err(), "{s} parsed");
        }
    }
}

/// A repair stage: the one that made an edit (`repair`), as a report
/// names it in a repair note (`report::RepairNote`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Unicode normalisation (ligatures, invisible characters, NFC).
    Normalize,
    /// UTF-8 text that had been decoded as Latin-1/Windows-1252.
    Mojibake,
    /// A look-alike character replaced without the lexicon ("| all" → "I all").
    Confusion,
    /// A word chosen from the lexicon (diacritics restored, look-alikes read).
    Lexicon,
    /// An ambiguous word decided by its neighbours.
    Context,
    /// A word broken across lines joined.
    Hyphenation,
}
