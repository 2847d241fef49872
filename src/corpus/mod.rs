//! The corpus: text files plus `manifest.toml`, loaded into [`Document`]s and split into
//! [`Passage`]s.

pub mod citations;
pub mod load;
pub mod manifest;
pub mod metadata;
pub mod passage;

use serde::Serialize;

pub use load::{catalog_corpus, load_corpus, Catalog, CatalogEntry, LoadOptions, LoadReport};
pub use passage::{split_passages, Passage};

/// What is known about a document. Unknown fields are `None` (`null` in JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// UN document symbol, e.g. `CTOC/COP/2012/1`.
    pub symbol: Option<String>,
    /// Session of the Conference of the Parties (1 = 2004 … 12 = 2024).
    pub session: Option<u64>,
    pub year: Option<u64>,
    /// ISO date `YYYY-MM-DD` of the document (or of its session when only that is known).
    pub date: Option<String>,
    /// Issuing body: `COP`, `WG.2`, …
    pub body: Option<String>,
    pub title: Option<String>,
    /// Kind of document: `report`, `agenda`, `note`, …
    pub kind: Option<String>,
    /// UN job number, e.g. `V.18-04902`.
    pub job_number: Option<String>,
}

/// One corpus file, read and described.
#[derive(Debug, Clone)]
pub struct Document {
    /// Stable id, unique in the corpus: the file name without its extension.
    pub id: String,
    /// The file name relative to the corpus directory.
    pub file: String,
    pub metadata: Metadata,
    /// The original text, unchanged.
    pub text: String,
}
