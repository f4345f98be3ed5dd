//! uppfoljning: Göteborgs Stad follow-up reports → structured data.
//!
//! The pipeline, one module a stage:
//! [`read`] (PDF | text → [`document::Document`]) →
//! [`split`] (a file that holds several reports → one document each) →
//! [`repair`] (Swedish OCR damage) →
//! [`segment`] (headings, rows, columns, template alignment) →
//! [`extract`] (answers, repaired text, confidence → [`report::Report`]),
//! strung together by [`pipeline::Extractor`].

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
