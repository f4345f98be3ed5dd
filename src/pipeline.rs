//! One input file → one [`Report`]: read, segment, extract, identify.
//!
//! The only place that strings the stages together; the binary and the
//! batch runner call [`Extractor`].

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::catalog::{Administrations, Catalog};
use crate::document::{Document, SourceFormat, TextLayer};
use crate::error::{Error, Result};
use crate::extract::{self, identify};
use crate::read::{self, ReadOptions};
use crate::repair::Repairer;
use crate::report::{Evidence, Period, Report, Source, SCHEMA_VERSION};
use crate::segment;

/// Per-run options of an extraction.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Administration id given by the user (`--administration`).
    pub administration: Option<String>,
    /// Year given by the user (`--year`).
    pub year: Option<u16>,
    /// Keep every repair in the items (`--explain`).
    pub explain: bool,
    /// Options for reading the file.
    pub read: ReadOptions,
}

/// Holds what every extraction needs: catalogue, administrations and the
/// repairer with its lexicon. Build once, use for many files (it is `Sync`).
pub struct Extractor {
    catalog: Catalog,
    /// The catalogue's template, built once.
    segmenter: segment::Prepared,
    admins: Administrations,
    names: identify::Names,
    repairer: Repairer,
}

impl Extractor {
    /// An extractor for this catalogue and list of administrations.
    pub fn new(catalog: Catalog, admins: Administrations) -> Extractor {
        let repairer = {
            let mut words: Vec<&str> = Vec::new();
            for p in &catalog.programs {
                words.extend(p.title.split_whitespace());
                for a in &p.areas {
                    words.extend(a.title.split_whitespace());
                }
                for i in &p.items {
                    for t in [
                        Some(&i.question),
                        i.strategy.as_ref(),
                        i.instruction.as_ref(),
                        i.expected_result.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        words.extend(t.split_whitespace());
                    }
                }
            }
            for a in &admins.list {
                words.extend(a.names().flat_map(str::split_whitespace));
            }
            Repairer::new(words)
        };
        Extractor {
            segmenter: segment::Prepared::new(&catalog),
            catalog,
            names: identify::Names::new(&admins),
            admins,
            repairer,
        }
    }

    /// The catalogue in use.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The repairer, with the catalogue's texts as extra words.
    pub fn repairer(&self) -> &Repairer {
        &self.repairer
    }

    /// Checks an `--administration` id against the list.
    pub fn check_administration(&self, id: &str) -> Result<()> {
        if self.admins.get(id).is_some() {
            return Ok(());
        }
        let known: Vec<&str> = self.admins.list.iter().map(|a| a.id.as_str()).collect();
        Err(Error::UnknownAdministration {
            id: id.to_string(),
            known: known.join(", "),
        })
    }

    /// Reads and extracts one file.
    pub fn extract_path(&self, path: &Path, options: &ExtractOptions) -> Result<Report> {
        let bytes = crate::read::read_input(path)?;
        self.extract_bytes(path, &bytes, options)
    }

    /// Extracts one file already in memory; `path` names it in the output.
    pub fn extract_bytes(
        &self,
        path: &Path,
        bytes: &[u8],
        options: &ExtractOptions,
    ) -> Result<Report> {
        self.extract_hashed(path, bytes, &hex_sha256(bytes), options)
    }

    /// [`Extractor::extract_bytes`] for bytes whose [`hex_sha256`] the
    /// caller has already computed (the batch runner hashes every input to
    /// skip those converted before).
    pub fn extract_hashed(
        &self,
        path: &Path,
        bytes: &[u8],
        sha256: &str,
        options: &ExtractOptions,
    ) -> Result<Report> {
        let doc = read::read_bytes(path, bytes, &options.read)?;
        self.report(path, sha256, &doc, options)
    }

    /// Extracts from a document already read.
    pub fn extract_document(
        &self,
        path: &Path,
        bytes: &[u8],
        doc: &Document,
        options: &ExtractOptions,
    ) -> Result<Report> {
        self.report(path, &hex_sha256(bytes), doc, options)
    }

    /// The report of a document read from a file with this hash.
    fn report(
        &self,
        path: &Path,
        sha256: &str,
        doc: &Document,
        options: &ExtractOptions,
    ) -> Result<Report> {
        let seg = segment::segment_prepared(doc, &self.catalog, &self.segmenter);
        let found = extract::extract(
            &seg,
            &self.catalog,
            &self.repairer,
            doc.is_ocr(),
            options.explain,
        );
        let administration = match &options.administration {
            Some(id) => {
                self.check_administration(id)?;
                self.admins
                    .get(id)
                    .map(|a| crate::report::AdministrationRef {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        evidence: Evidence::Flag,
                    })
            }
            None => {
                let from_path = identify::administration_from_path(path, &self.admins);
                identify::administration_from_text(
                    &seg,
                    &self.admins,
                    &self.names,
                    from_path.is_some(),
                )
                .or(from_path)
            }
        };
        let period = match options.year {
            Some(year) => Some(Period {
                year,
                evidence: Evidence::Flag,
            }),
            None => identify::period_from_text(&seg).or_else(|| identify::period_from_path(path)),
        };
        // What the reader worked around comes first: it may explain the
        // rows that are missing.
        let mut warnings: Vec<crate::report::Warning> = doc
            .warnings
            .iter()
            .map(|w| crate::report::Warning {
                kind: w.kind.clone(),
                message: w.message.clone(),
                page: w.page,
            })
            .collect();
        warnings.extend(found.warnings);
        if doc.text_layer == Some(TextLayer::None) {
            warnings.insert(
                0,
                crate::report::Warning {
                    kind: "no-text-layer".into(),
                    message: if doc.format == SourceFormat::Image {
                        "the image was not OCR'd (--ocr never), so it has no text".into()
                    } else {
                        "the PDF has no text layer (an image-only scan); OCR it first".into()
                    },
                    page: None,
                },
            );
        }
        Ok(Report {
            schema_version: SCHEMA_VERSION,
            source: Source {
                path: path.display().to_string(),
                sha256: sha256.to_string(),
                format: match doc.format {
                    SourceFormat::Pdf => "pdf",
                    SourceFormat::Text => "text",
                    SourceFormat::Image => "image",
                }
                .to_string(),
                text_layer: doc.text_layer.map(|t| {
                    match t {
                        TextLayer::Digital => "digital",
                        TextLayer::Ocr => "ocr",
                        TextLayer::None => "none",
                    }
                    .to_string()
                }),
                pages: doc.pages.len(),
            },
            administration,
            period,
            items: found.items,
            missing: found.missing,
            warnings,
        })
    }
}

/// Lowercase hex SHA-256 of bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
