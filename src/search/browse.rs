//! Reading the index back whole: a document's passages in order (to read a hit in
//! context) and the figures of the corpus and index.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, FacetCollector};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{numbered_facets, Engine, Stored};
use crate::Result;

/// A document with its metadata and every passage, in order.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub doc: String,
    pub symbol: Option<String>,
    pub session: Option<u64>,
    pub year: Option<u64>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub body: Option<String>,
    pub kind: Option<String>,
    pub passages: Vec<PassageView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PassageView {
    pub passage: u64,
    pub paragraph: Option<u64>,
    pub text: String,
}

/// What the corpus and its index hold.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub passages: u64,
    /// Passages per session.
    pub sessions: BTreeMap<u64, u64>,
    /// Passages per year.
    pub years: BTreeMap<u64, u64>,
    pub index_bytes: u64,
    pub corpus_bytes: u64,
}

impl Engine {
    /// The document `id`, or `None` when the index has no such document.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>> {
        let fields = &self.open.fields;
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(fields.doc, id),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &DocSetCollector)?;
        let mut passages = addresses
            .into_iter()
            .map(|address| Ok(Stored(searcher.doc(address)?)))
            .collect::<Result<Vec<Stored>>>()?;
        passages.sort_by_key(|p| p.number(fields.passage));
        let Some(first) = passages.first() else {
            return Ok(None);
        };
        Ok(Some(DocumentView {
            doc: id.to_owned(),
            symbol: first.text(fields.symbol),
            session: first.number(fields.session),
            year: first.number(fields.year),
            title: first.text(fields.title),
            date: first.text(fields.date),
            body: first.text(fields.body),
            kind: first.text(fields.kind),
            passages: passages
                .iter()
                .map(|p| PassageView {
                    passage: p.number(fields.passage).unwrap_or_default(),
                    paragraph: p.number(fields.paragraph),
                    text: p.text(fields.text).unwrap_or_default(),
                })
                .collect(),
        }))
    }

    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let mut facets = FacetCollector::for_field("facets");
        facets.add_facet("/session");
        facets.add_facet("/year");
        let counts = searcher.search(&AllQuery, &facets)?;
        let meta = &self.open.meta;
        Ok(Stats {
            documents: meta.documents,
            passages: meta.passages,
            sessions: numbered_facets(&counts, "/session"),
            years: numbered_facets(&counts, "/year"),
            index_bytes: directory_bytes(&self.open.generation),
            corpus_bytes: meta.bytes,
        })
    }
}

fn directory_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
