//! Reading the index back whole: a document's passages in order (to read a hit in
//! context) and the figures of the corpus and index.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{document_url, numbered_facets, Engine, Stored};
use crate::Result;

/// What is known about a document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentMeta {
    pub doc: String,
    pub symbol: Option<String>,
    /// The document on the UN's document system, when its symbol is known.
    pub url: Option<String>,
    pub session: Option<u64>,
    pub year: Option<u64>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub body: Option<String>,
    pub kind: Option<String>,
}

/// A document with its metadata and every passage, in order.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    #[serde(flatten)]
    pub meta: DocumentMeta,
    pub passages: Vec<PassageView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PassageView {
    pub passage: u64,
    pub paragraph: Option<u64>,
    /// The passage as a person reads it (repaired).
    pub text: String,
    /// The passage as extracted, when repair changed it; `null` otherwise.
    pub extracted: Option<String>,
    /// Articles of the Convention, decisions and document symbols the passage cites.
    pub articles: Vec<u64>,
    pub decisions: Vec<String>,
    pub symbols: Vec<String>,
}

/// A document in the list of documents: its metadata and how many passages it has.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    #[serde(flatten)]
    pub meta: DocumentMeta,
    pub passages: u64,
}

/// A document at a glance: its metadata, its outline and what it cites.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentOutline {
    #[serde(flatten)]
    pub meta: DocumentMeta,
    pub passages: u64,
    pub outline: Vec<OutlineEntry>,
    /// Article → passages citing it.
    pub articles: BTreeMap<u64, u64>,
    pub decisions: BTreeMap<String, u64>,
    /// Other documents' symbols → passages citing them.
    pub symbols: BTreeMap<String, u64>,
}

/// Headings, and the runs of numbered paragraphs between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutlineEntry {
    Heading { passage: u64, text: String },
    Paragraphs { first: u64, last: u64, passage: u64 },
}

/// A heading: a markdown `#` line, or a short unnumbered passage that ends no sentence.
const HEADING_MAX_WORDS: usize = 14;

impl DocumentView {
    pub fn outline(&self) -> DocumentOutline {
        let mut outline: Vec<OutlineEntry> = Vec::new();
        let (mut articles, mut decisions, mut symbols) =
            (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        let own = self.meta.symbol.as_deref().map(str::to_uppercase);
        for p in &self.passages {
            match p.paragraph {
                Some(n) => match outline.last_mut() {
                    Some(OutlineEntry::Paragraphs { last, .. }) => *last = n,
                    _ => outline.push(OutlineEntry::Paragraphs {
                        first: n,
                        last: n,
                        passage: p.passage,
                    }),
                },
                None if is_heading(&p.text) => outline.push(OutlineEntry::Heading {
                    passage: p.passage,
                    text: p.text.trim_start_matches('#').trim().to_owned(),
                }),
                None => {}
            }
            for article in &p.articles {
                *articles.entry(*article).or_insert(0) += 1;
            }
            for decision in &p.decisions {
                *decisions.entry(decision.clone()).or_insert(0) += 1;
            }
            for symbol in p.symbols.iter().filter(|s| Some(*s) != own.as_ref()) {
                *symbols.entry(symbol.clone()).or_insert(0) += 1;
            }
        }
        DocumentOutline {
            meta: self.meta.clone(),
            passages: self.passages.len() as u64,
            outline,
            articles,
            decisions,
            symbols,
        }
    }
}

fn is_heading(text: &str) -> bool {
    // Lines extracted in visual order carry their sentence's full stop at the start.
    const SENTENCE_MARKS: [char; 6] = ['.', '،', ',', ':', '؛', ';'];
    let text = text.trim();
    text.starts_with('#')
        || (text.split_whitespace().count() <= HEADING_MAX_WORDS
            && text.chars().any(char::is_alphabetic)
            && !text.ends_with(SENTENCE_MARKS)
            && !text.starts_with(SENTENCE_MARKS))
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
    /// Corpus files the index leaves out (built with `--skip-bad-files`), with the reason.
    pub skipped_files: Vec<String>,
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
        let meta = self.meta_of(id, first);
        Ok(Some(DocumentView {
            meta,
            passages: passages
                .iter()
                .map(|p| PassageView {
                    passage: p.number(fields.passage).unwrap_or_default(),
                    paragraph: p.number(fields.paragraph),
                    text: p.text(fields.text).unwrap_or_default(),
                    extracted: p.text(fields.extracted),
                    articles: p.numbers(fields.articles),
                    decisions: p.texts(fields.decisions),
                    symbols: p.texts(fields.symbols),
                })
                .collect(),
        }))
    }

    /// A document's metadata, as every one of its passages stores it.
    fn meta_of(&self, id: &str, passage: &Stored) -> DocumentMeta {
        let fields = &self.open.fields;
        let symbol = passage.text(fields.symbol);
        DocumentMeta {
            doc: id.to_owned(),
            url: symbol.as_deref().map(document_url),
            symbol,
            session: passage.number(fields.session),
            year: passage.number(fields.year),
            title: passage.text(fields.title),
            date: passage.text(fields.date),
            body: passage.text(fields.body),
            kind: passage.text(fields.kind),
        }
    }

    /// Every document of the index with its number of passages: newest session first
    /// (documents of no session last), then by date and id.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>> {
        let fields = &self.open.fields;
        let searcher = self.reader.searcher();
        // A document's passages are its id's postings: the term dictionary lists them all.
        let mut passages: BTreeMap<String, u64> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let terms = segment.inverted_index(fields.doc)?.terms().clone();
            let mut stream = terms.stream().map_err(tantivy::TantivyError::from)?;
            while let Some((id, info)) = stream.next() {
                let id = String::from_utf8_lossy(id).into_owned();
                *passages.entry(id).or_default() += u64::from(info.doc_freq);
            }
        }
        let mut documents = passages
            .into_iter()
            .map(|(id, passages)| {
                let query = TermQuery::new(
                    Term::from_field_text(fields.doc, &id),
                    IndexRecordOption::Basic,
                );
                let first = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
                let stored = match first.first() {
                    Some((_, address)) => Stored(searcher.doc(*address)?),
                    None => Stored(tantivy::TantivyDocument::default()),
                };
                Ok(DocumentSummary {
                    meta: self.meta_of(&id, &stored),
                    passages,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        documents.sort_by(|a, b| {
            let key = |d: &DocumentSummary| {
                (
                    std::cmp::Reverse(d.meta.session.map_or(0, |s| s + 1)),
                    d.meta.date.clone(),
                    d.meta.doc.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(documents)
    }

    /// The document whose id or own symbol (in any case) is `key`.
    pub fn find_document(&self, key: &str) -> Result<Option<DocumentView>> {
        if let Some(view) = self.document(key)? {
            return Ok(Some(view));
        }
        let fields = &self.open.fields;
        let searcher = self.reader.searcher();
        // Every passage carries its document's own symbol, upper-cased, among its symbols.
        let query = TermQuery::new(
            Term::from_field_text(fields.symbols, &key.to_uppercase()),
            IndexRecordOption::Basic,
        );
        for address in searcher.search(&query, &DocSetCollector)? {
            let stored = Stored(searcher.doc(address)?);
            let own = stored.text(fields.symbol).map(|s| s.to_uppercase());
            if own.as_deref() == Some(&key.to_uppercase()) {
                let id = stored.text(fields.doc).unwrap_or_default();
                return self.document(&id);
            }
        }
        Ok(None)
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
            skipped_files: meta.skipped.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(passage: u64, paragraph: Option<u64>, text: &str, articles: &[u64]) -> PassageView {
        PassageView {
            passage,
            paragraph,
            text: text.into(),
            extracted: None,
            articles: articles.to_vec(),
            decisions: Vec::new(),
            symbols: vec!["CTOC/COP/2020/1".into(), "CTOC/COP/WG.2/2020/3".into()],
        }
    }

    #[test]
    fn the_outline_has_headings_and_runs_of_paragraphs_and_counts_citations() {
        let view = DocumentView {
            meta: DocumentMeta {
                doc: "d".into(),
                symbol: Some("CTOC/COP/2020/1".into()),
                url: None,
                session: None,
                year: None,
                title: None,
                date: None,
                body: None,
                kind: None,
            },
            passages: vec![
                passage(0, None, "## أولاً - مقدمة", &[]),
                passage(1, Some(1), "١- نص الفقرة الأولى.", &[16]),
                passage(2, Some(2), "٢- نص الفقرة الثانية.", &[16, 18]),
                passage(3, None, "وهذه جملة طويلة لا تنتهي بنقطة ولكنها ليست عنواناً لأنها تتجاوز الحد الأقصى لعدد الكلمات في العنوان بكثير", &[]),
                passage(4, None, ".نص في ترتيب مرئي", &[]),
                passage(5, None, "ثانياً - التوصيات", &[]),
                passage(6, Some(3), "٣- فقرة.", &[]),
            ],
        };
        let outline = view.outline();
        assert_eq!(
            outline.outline,
            vec![
                OutlineEntry::Heading {
                    passage: 0,
                    text: "أولاً - مقدمة".into()
                },
                OutlineEntry::Paragraphs {
                    first: 1,
                    last: 2,
                    passage: 1
                },
                OutlineEntry::Heading {
                    passage: 5,
                    text: "ثانياً - التوصيات".into()
                },
                OutlineEntry::Paragraphs {
                    first: 3,
                    last: 3,
                    passage: 6
                },
            ]
        );
        assert_eq!(outline.articles, BTreeMap::from([(16, 2), (18, 1)]));
        // The document's own symbol is not a citation.
        assert_eq!(
            outline.symbols,
            BTreeMap::from([("CTOC/COP/WG.2/2020/3".into(), 7)])
        );
    }
}
