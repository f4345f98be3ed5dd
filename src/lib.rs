//! uppfoljning: Göteborgs Stad follow-up reports → structured data.
//!
//! The pipeline, one module a stage:
//! [`read`] (PDF | text | image → [`document::Document`]) →
//! [`split`] (a file that holds several reports → one document each) →
//! [`segment`] (headings, rows, columns, template alignment) →
//! [`extract`] (answers, confidence, and each field's text repaired by
//! [`repair`] for Swedish OCR damage → [`report::Report`]),
//! strung together by [`pipeline::Extractor`]. Segmentation matches the
//! text as read (through OCR-tolerant keys, `segment::fold`); repair runs
//! on each field once its row is found.

pub mod aggregate;
pub mod batch;
pub mod catalog;
pub mod cleanup;
pub mod document;
pub mod error;
pub mod eval;
pub mod extract;
pub mod inputs;
pub mod memory;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod read;
pub mod repair;
pub mod report;
pub mod segment;
pub mod split;
