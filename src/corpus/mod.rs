//! The corpus: text files plus `manifest.toml`, loaded into [`Document`]s and split into
//! [`Passage`]s.

pub mod citations;
pub mod load;
pub mod manifest;
pub mod metadata;
pub mod passage;

use std::ops::Range;

use serde::Serialize;

use crate::repair::{LineChange, LineMap, Repaired};

pub use load::{check_loaded, find_document, load_corpus, Listing, LoadOptions, LoadReport};
pub use passage::{split_document, split_passages, Passage};

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
    /// What a person reads: the text after the repair stage ([`crate::repair`]); the text as
    /// extracted when repair changed nothing or is switched off. Metadata, passages and
    /// citations are read from it.
    pub text: String,
    /// The text as extracted from the file, where repair changed it; `None` when `text` is
    /// exactly the extracted text.
    pub extracted: Option<Extracted>,
    /// Whether the repair stage ran: `false` when the manifest says `repair = false`.
    pub repair: bool,
}

/// A document's text as extracted, beside its repaired text: the extracted text, the lines
/// repair changed, and where each repaired line came from.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The text as the file's reader gave it.
    pub text: String,
    /// Every line repair changed, in order.
    pub changes: Vec<LineChange>,
    /// Where each line of the document's text came from.
    lines: LineMap,
}

impl Document {
    /// The document of `file` whose extracted text is `extracted` and whose repaired text is
    /// `repaired`'s; `metadata` is read from the repaired text. The extracted text is kept
    /// only when repair changed it. `repair` says whether the stage ran.
    pub fn new(
        id: String,
        file: String,
        metadata: Metadata,
        extracted: String,
        repaired: Repaired,
        repair: bool,
    ) -> Document {
        let (text, extracted) = if repaired.is_unchanged() {
            (extracted, None)
        } else {
            let (text, changes, lines) = repaired.into_parts();
            let kept = Extracted {
                text: extracted,
                changes,
                lines,
            };
            (text, Some(kept))
        };
        Document {
            id,
            file,
            metadata,
            text,
            extracted,
            repair,
        }
    }

    /// The byte range of the extracted text that `range` of [`Document::text`] came from
    /// (whole lines), and the extracted text; `None` when the text is the extracted text.
    pub fn extracted_range(&self, range: Range<usize>) -> Option<(&str, Range<usize>)> {
        let extracted = self.extracted.as_ref()?;
        Some((&extracted.text, extracted.lines.extracted_range(range)))
    }
}
