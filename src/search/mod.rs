//! Search: one function shared by every front end. A request is parsed ([`query`]),
//! planned ([`plan`]), ranked in two stages — a window of candidates by BM25 with pruning
//! ([`collect`]), re-scored with positions and exact forms ([`rerank`]) — counted, and each
//! hit of the page gets a snippet in its original text ([`snippet`]).

pub mod articles;
pub mod browse;
pub mod collect;
pub mod phrase;
pub mod plan;
pub mod query;
pub mod rerank;
pub mod sessions;
pub mod snippet;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::collector::FacetCounts;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Score, Searcher, TantivyDocument};

use crate::index::OpenIndex;
use crate::{Error, Result};
use query::Filter;

/// The largest page of hits one request may ask for.
pub const MAX_LIMIT: usize = 1_000;
/// The deepest page one request may ask for: collecting costs memory per skipped hit.
pub const MAX_OFFSET: usize = 100_000;

/// A search as a front end expresses it: the query and the flags beside it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub sessions: Vec<u64>,
    pub years: Vec<u64>,
    pub docs: Vec<String>,
    /// Articles of the Convention the passages must cite.
    pub articles: Vec<u64>,
    pub limit: usize,
    pub offset: usize,
}

impl SearchRequest {
    /// The first `limit` passages of `query`, unfiltered.
    pub fn new(query: String, limit: usize) -> SearchRequest {
        SearchRequest {
            query,
            sessions: Vec::new(),
            years: Vec::new(),
            docs: Vec::new(),
            articles: Vec::new(),
            limit,
            offset: 0,
        }
    }
}

/// The `search --json` object (see DESIGN.md).
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub total_hits: u64,
    pub took_ms: f64,
    /// Matching passages per session, over all matches (passages of unknown session are
    /// counted in `total_hits` only).
    pub by_session: BTreeMap<u64, u64>,
    /// Matching passages per year, over all matches (passages of unknown year are counted
    /// in `total_hits` only).
    pub by_year: BTreeMap<u64, u64>,
    /// Matching passages per article of the Convention they cite, over all matches.
    pub by_article: BTreeMap<u64, u64>,
    pub hits: Vec<Hit>,
}

/// The time one search spent in each stage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stages {
    /// Parsing the query and planning its tantivy queries.
    pub plan: Duration,
    /// The first stage's window of candidates; with the counts, when one pass does both
    /// (anything but a single term, or several words whose passages with every word fill
    /// the window).
    pub first_stage: Duration,
    /// Re-scoring the window.
    pub second_stage: Duration,
    /// Counts of the matches, per session and per article.
    pub counts: Duration,
    /// Reading the page's passages and cutting their snippets and highlights.
    pub snippets: Duration,
}

/// One matching passage.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub doc: String,
    pub symbol: Option<String>,
    pub session: Option<u64>,
    pub year: Option<u64>,
    pub title: Option<String>,
    /// The document on the UN's document system, when its symbol is known.
    pub url: Option<String>,
    /// Ordinal of the passage in its document.
    pub passage: u64,
    pub score: f32,
    /// The passage as a person reads it: its text after repair (see [`crate::repair`]).
    pub text: String,
    /// The passage as extracted from its file, when repair changed it; `null` otherwise.
    pub extracted: Option<String>,
    /// Cut from `text`.
    pub snippet: String,
    /// Byte ranges of the matches in `text`.
    pub highlights: Vec<[usize; 2]>,
    /// The UN paragraph number, shown by the human printer.
    #[serde(skip)]
    pub paragraph: Option<u64>,
    /// Byte ranges of the matches in `snippet`, for printers that emphasize them.
    #[serde(skip)]
    pub snippet_highlights: Vec<[usize; 2]>,
}

/// An opened index and its reader; cheap to share, safe to search from many threads.
pub struct Engine {
    pub(crate) open: OpenIndex,
    reader: IndexReader,
    /// The reader's segments, with their columns open (the reader is never reloaded: a
    /// rebuilt index gets a new engine).
    segments: collect::Segments,
    weights: rerank::Weights,
}

impl Engine {
    pub fn new(open: OpenIndex) -> Result<Engine> {
        let reader = open
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            // Segment files are first read here: a damaged index shows itself now.
            .map_err(|e| {
                Error::Index(format!(
                    "the index in {} is unreadable ({e}); run `fahras index` to rebuild it",
                    open.generation.display()
                ))
            })?;
        let segments = collect::Segments::new(reader.searcher())?;
        Ok(Engine {
            open,
            reader,
            segments,
            weights: rerank::Weights::default(),
        })
    }

    /// The same engine ranking with other second-stage weights (for tuning them).
    pub fn with_weights(self, weights: rerank::Weights) -> Engine {
        Engine { weights, ..self }
    }

    /// The generation directory this engine reads.
    pub fn generation(&self) -> &std::path::Path {
        &self.open.generation
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        Ok(self.search_timed(request)?.0)
    }

    /// [`Engine::search`], and the time each stage took.
    pub fn search_timed(&self, request: &SearchRequest) -> Result<(SearchResults, Stages)> {
        let started = Instant::now();
        if !(1..=MAX_LIMIT).contains(&request.limit) {
            return Err(Error::Request(format!(
                "the limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        if request.offset > MAX_OFFSET {
            return Err(Error::Request(format!(
                "the offset must be at most {MAX_OFFSET}"
            )));
        }
        let filtered = !(request.sessions.is_empty()
            && request.years.is_empty()
            && request.docs.is_empty()
            && request.articles.is_empty());
        // Filters alone (`?article=16`) are a search too: every passage that passes them.
        let mut parsed = if request.query.trim().is_empty() && filtered {
            query::ParsedQuery::default()
        } else {
            query::parse(&request.query).map_err(Error::Query)?
        };
        parsed
            .filters
            .extend(request.sessions.iter().map(|&s| Filter::Session(s)));
        parsed
            .filters
            .extend(request.years.iter().map(|&y| Filter::Year(y)));
        parsed
            .filters
            .extend(request.docs.iter().cloned().map(Filter::Doc));
        parsed
            .filters
            .extend(request.articles.iter().map(|&a| Filter::Article(a)));
        let fields = &self.open.fields;
        let plan = plan::plan_for(&parsed, fields, &self.segments).map_err(Error::Query)?;
        let mut stages = Stages {
            plan: started.elapsed(),
            ..Stages::default()
        };

        let segments = &self.segments;
        let page = request.offset + request.limit;
        let clock = Instant::now();
        let collect::FirstStage { window, tally } =
            collect::first_stage(segments, &plan, page.max(self.weights.window))?;
        stages.first_stage = clock.elapsed();
        let clock = Instant::now();
        let rerank::Reranked { mut ranked, forms } =
            rerank::rerank(segments, &plan.units, window, &self.weights)?;
        // The finalists' stored passages are read once: for the forms typed, then for the page.
        let searcher = &segments.searcher;
        let mut read: Vec<(DocAddress, TantivyDocument)> = Vec::new();
        if request.offset < rerank::FINALISTS {
            forms.finish(segments, &mut ranked, |address| {
                let document: TantivyDocument = searcher.doc(address)?;
                let text = Stored::text_of(&document, fields.text).unwrap_or_default();
                read.push((address, document));
                Ok::<String, Error>(text)
            })?;
        }
        stages.second_stage = clock.elapsed();
        let clock = Instant::now();
        let tally = match tally {
            Some(tally) => tally,
            None => collect::tally(segments, &plan)?,
        };
        stages.counts = clock.elapsed();

        let clock = Instant::now();
        let snippets =
            snippet::Snippets::new(searcher, &*plan.highlight, fields, plan.marks.clone())?;
        let hits = ranked
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|(score, address)| {
                let document = match read.iter().position(|(a, _)| *a == address) {
                    Some(i) => read.swap_remove(i).1,
                    None => searcher.doc(address)?,
                };
                Ok(self.hit(Stored(document), score, &snippets))
            })
            .collect::<Result<Vec<Hit>>>()?;
        stages.snippets = clock.elapsed();

        Ok((
            SearchResults {
                query: request.query.clone(),
                total_hits: tally.total,
                took_ms: started.elapsed().as_secs_f64() * 1e3,
                by_session: tally.by_session,
                by_year: tally.by_year,
                by_article: tally.by_article,
                hits,
            },
            stages,
        ))
    }
}

impl Engine {
    /// The passage at `address` as a hit, with its snippet.
    fn hit_at(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: Score,
        snippets: &snippet::Snippets,
    ) -> Result<Hit> {
        Ok(self.hit(Stored(searcher.doc(address)?), score, snippets))
    }

    /// A stored passage as a hit, with its snippet.
    fn hit(&self, stored: Stored, score: Score, snippets: &snippet::Snippets) -> Hit {
        let fields = &self.open.fields;
        let text = stored.text(fields.text).unwrap_or_default();
        let snippet = snippets.snippet(&text);
        let pairs = |ranges: Vec<std::ops::Range<usize>>| {
            ranges.into_iter().map(|r| [r.start, r.end]).collect()
        };
        let symbol = stored.text(fields.symbol);
        Hit {
            doc: stored.text(fields.doc).unwrap_or_default(),
            url: symbol.as_deref().map(document_url),
            symbol,
            session: stored.number(fields.session),
            year: stored.number(fields.year),
            title: stored.text(fields.title),
            passage: stored.number(fields.passage).unwrap_or_default(),
            paragraph: stored.number(fields.paragraph),
            score,
            snippet: snippet.text,
            highlights: pairs(snippet.passage_highlights),
            snippet_highlights: pairs(snippet.highlights),
            extracted: stored.text(fields.extracted),
            text,
        }
    }
}

/// The stored values of one passage.
struct Stored(TantivyDocument);

impl Stored {
    fn text(&self, field: Field) -> Option<String> {
        Stored::text_of(&self.0, field)
    }

    fn text_of(document: &TantivyDocument, field: Field) -> Option<String> {
        document
            .get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    }

    fn number(&self, field: Field) -> Option<u64> {
        self.0.get_first(field).and_then(|v| v.as_u64())
    }

    fn texts(&self, field: Field) -> Vec<String> {
        self.0
            .get_all(field)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }

    fn numbers(&self, field: Field) -> Vec<u64> {
        self.0.get_all(field).filter_map(|v| v.as_u64()).collect()
    }
}

/// Counts of the numbered children of `facet` (`/session/11` → 11).
fn numbered_facets(counts: &FacetCounts, facet: &str) -> BTreeMap<u64, u64> {
    counts
        .get(facet)
        .filter_map(|(child, count)| Some((child.to_path().last()?.parse().ok()?, count)))
        .collect()
}

/// Where the UN publishes the document with this symbol.
pub fn document_url(symbol: &str) -> String {
    format!("https://undocs.org/{symbol}")
}
