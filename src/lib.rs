//! uppfoljning: Göteborgs Stad follow-up reports → structured data.
//!
//! Reads a report (a PDF with a text layer, an image-only scan through
//! tesseract, or OCR text), finds each row of the questionnaire and
//! writes it as the contract's JSON [`Report`]: per programme and code the
//! question, the answer, the comment in repaired Swedish, a confidence and
//! the page. [`aggregate`] turns many reports into CSV, JSON Lines, an
//! .xlsx workbook and an HTML overview.
//!
//! ```
//! use std::path::Path;
//! use uppfoljning::{Administrations, Answer, Catalog, ExtractOptions, Extractor};
//!
//! let extractor = Extractor::new(Catalog::embedded()?, Administrations::embedded()?);
//! let report = extractor.extract_path(
//!     Path::new("fixtures/sample/000_a41603a7fe181f4b.txt"),
//!     &ExtractOptions::default(),
//! )?;
//! assert_eq!(report.administration.map(|a| a.id).as_deref(), Some("ioff"));
//! let first = &report.items[0];
//! assert_eq!((first.code.to_string(), first.answer), ("1:1".to_string(), Some(Answer::Ja)));
//! println!("{}", serde_json::to_string_pretty(&report.items[0]).expect("JSON"));
//! # Ok::<(), uppfoljning::Error>(())
//! ```
//!
//! The pipeline, one module a stage:
//! [`read`] (PDF | text | image → [`document::Document`]) →
//! `split` (a file that holds several reports → one document each) →
//! [`segment`] (headings, rows, columns, template alignment) →
//! `extract` (answers, confidence, and each field's text repaired by
//! [`repair`] for Swedish OCR damage → [`report::Report`]),
//! strung together by [`pipeline::Extractor`]. Segmentation matches the
//! text as read (through OCR-tolerant keys); repair runs on each field
//! once its row is found. [`Extractor::extract_reports_path`] gives one
//! report per report a file holds; with [`read::ReadOptions::isolation`]
//! set, reading and the stages after it run in a worker process under
//! memory and time limits, as the binary does.

pub mod aggregate;
pub mod batch;
pub mod catalog;
pub mod cleanup;
pub mod document;
pub mod error;
pub mod eval;
pub(crate) mod extract;
pub mod inputs;
pub mod memory;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod read;
pub mod repair;
pub mod report;
pub mod segment;
pub(crate) mod split;

pub use aggregate::{write_all as write_aggregate, AggregateRow};
pub use catalog::{Administrations, Catalog};
pub use error::{Error, Result};
pub use model::{Answer, Code, ProgramId};
pub use pipeline::{ExtractOptions, Extractor};
pub use report::{Item, Missing, Report, Warning, WarningKind};
