//! The engines side by side: fahras itself, tantivy with its default analyzer (same engine,
//! no Arabic awareness) and SQLite FTS5 with `unicode61 remove_diacritics 2` — the embedded
//! engines a user might pick instead. Each does a search page's work — its top 10 passages
//! (keyed the same way), a highlighted snippet of each and the count of all matches — and
//! returns the keys.

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use tantivy::collector::{Count, TopDocs};
use tantivy::indexer::NoMergePolicy;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, Schema, Value, FAST, INDEXED, STORED, STRING, TEXT};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument};

use super::queries::{BenchEngine, BenchQuery, PassageKey, Searcher, StageMeans};
use crate::corpus::{self, LoadOptions};
use crate::search::snippet::SNIPPET_BYTES;
use crate::search::{Engine, SearchRequest, Stages};

/// Hits each engine returns per query, as a search page would show.
pub const TOP: usize = 10;

/// fahras's engine, adding up the time of each stage of its searches.
pub struct Fahras {
    engine: Engine,
    /// The stages' time summed, and the number of searches.
    stages: Mutex<(Stages, u32)>,
}

impl Fahras {
    pub fn new(engine: Engine) -> Fahras {
        Fahras {
            engine,
            stages: Mutex::default(),
        }
    }
}

impl BenchEngine for Fahras {
    fn searcher(&self) -> anyhow::Result<Searcher<'_>> {
        Ok(Box::new(move |query: &BenchQuery| {
            // Snippets, highlights, counts per session and article: all of a search's work.
            let request = SearchRequest::new(query.fahras(), TOP);
            let (results, stages) = self.engine.search_timed(&request)?;
            let mut sum = self.stages.lock().expect("stage times");
            sum.0.plan += stages.plan;
            sum.0.first_stage += stages.first_stage;
            sum.0.second_stage += stages.second_stage;
            sum.0.counts += stages.counts;
            sum.0.snippets += stages.snippets;
            sum.1 += 1;
            Ok(results
                .hits
                .into_iter()
                .map(|hit| (hit.doc, hit.passage))
                .collect())
        }))
    }

    fn take_stages(&self) -> Option<StageMeans> {
        let (sum, n) = std::mem::take(&mut *self.stages.lock().expect("stage times"));
        let mean = |d: std::time::Duration| d.as_secs_f64() * 1e3 / f64::from(n.max(1));
        Some(StageMeans {
            plan_ms: mean(sum.plan),
            first_stage_ms: mean(sum.first_stage),
            second_stage_ms: mean(sum.second_stage),
            counts_ms: mean(sum.counts),
            snippets_ms: mean(sum.snippets),
        })
    }
}

/// One passage of the generated corpus, as the peers index it.
struct PeerPassage {
    doc: String,
    ordinal: u64,
    session: Option<u64>,
    text: String,
}

/// Reads and splits the corpus exactly as `fahras index` does, so passage keys agree.
fn load_passages(corpus_dir: &Path) -> anyhow::Result<Vec<PeerPassage>> {
    let loaded = corpus::load_corpus(corpus_dir, &LoadOptions::default())?;
    Ok(loaded
        .documents
        .par_iter()
        .flat_map_iter(|document| {
            corpus::split_passages(&document.text)
                .into_iter()
                .map(|passage| PeerPassage {
                    doc: document.id.clone(),
                    ordinal: passage.ordinal,
                    session: document.metadata.session,
                    text: passage.text,
                })
        })
        .collect())
}

/// tantivy with a `TEXT` field (SimpleTokenizer + LowerCaser) and its `QueryParser`, words
/// joined by OR (its default, and what fahras matches); snippets by its `SnippetGenerator`.
pub struct TantivyDefault {
    index: Index,
    reader: IndexReader,
    text: Field,
    doc: Field,
    passage: Field,
}

impl TantivyDefault {
    /// Builds the index in `dir` with as many indexing threads and as much memory per
    /// thread as fahras uses, merged into one segment as fahras does; returns it and the
    /// seconds the build took, reading the files included.
    pub fn build(corpus_dir: &Path, dir: &Path) -> anyhow::Result<(TantivyDefault, f64)> {
        let started = Instant::now();
        let passages = load_passages(corpus_dir)?;
        let mut builder = Schema::builder();
        let doc = builder.add_text_field("doc", STRING | STORED);
        let passage = builder.add_u64_field("passage", INDEXED | STORED | FAST);
        let session = builder.add_u64_field("session", INDEXED | FAST);
        let text = builder.add_text_field("text", TEXT | STORED);
        std::fs::create_dir_all(dir)?;
        let index = Index::create_in_dir(dir, builder.build())?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let mut writer: IndexWriter =
            index.writer_with_num_threads(threads, threads * (128 << 20))?;
        // No background merges: they race the explicit merge below for the same segments.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for p in &passages {
            let mut document =
                doc!(doc => p.doc.as_str(), passage => p.ordinal, text => p.text.as_str());
            if let Some(s) = p.session {
                document.add_u64(session, s);
            }
            writer.add_document(document)?;
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        let seconds = started.elapsed().as_secs_f64();
        let reader = index.reader()?;
        Ok((
            TantivyDefault {
                index,
                reader,
                text,
                doc,
                passage,
            },
            seconds,
        ))
    }
}

impl BenchEngine for TantivyDefault {
    fn searcher(&self) -> anyhow::Result<Searcher<'_>> {
        let parser = QueryParser::for_index(&self.index, vec![self.text]);
        let searcher = self.reader.searcher();
        Ok(Box::new(move |query: &BenchQuery| {
            let parsed = parser.parse_query(&query.tantivy())?;
            // The count too, as fahras counts every match for `total_hits`.
            let (top, _count) =
                searcher.search(&parsed, &(TopDocs::with_limit(TOP).order_by_score(), Count))?;
            let mut snippets = SnippetGenerator::create(&searcher, &*parsed, self.text)?;
            snippets.set_max_num_chars(SNIPPET_BYTES);
            top.into_iter()
                .map(|(_, address)| {
                    let stored: TantivyDocument = searcher.doc(address)?;
                    std::hint::black_box(snippets.snippet_from_doc(&stored).to_html());
                    let doc = stored
                        .get_first(self.doc)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_owned();
                    let ordinal = stored
                        .get_first(self.passage)
                        .and_then(|v| v.as_u64())
                        .unwrap_or_default();
                    Ok((doc, ordinal))
                })
                .collect()
        }))
    }
}

/// SQLite FTS5, `tokenize = 'unicode61 remove_diacritics 2'`, ranked by its bm25, with
/// `snippet()` for each hit and `count(*)` for the total.
pub struct Fts5 {
    path: std::path::PathBuf,
}

impl Fts5 {
    /// Builds the database `path` in one transaction; returns it and the seconds taken,
    /// reading the files included.
    pub fn build(corpus_dir: &Path, path: &Path) -> anyhow::Result<(Fts5, f64)> {
        let started = Instant::now();
        let passages = load_passages(corpus_dir)?;
        let _ = std::fs::remove_file(path);
        let mut db = rusqlite::Connection::open(path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        db.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
             CREATE VIRTUAL TABLE passages USING fts5(
                 text, doc UNINDEXED, passage UNINDEXED, session UNINDEXED,
                 tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        let transaction = db.transaction()?;
        {
            let mut insert = transaction.prepare(
                "INSERT INTO passages (text, doc, passage, session) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for p in &passages {
                insert.execute(rusqlite::params![p.text, p.doc, p.ordinal, p.session])?;
            }
        }
        transaction.commit()?;
        // The equivalent of tantivy's merge into one segment.
        db.execute_batch("INSERT INTO passages (passages) VALUES ('optimize');")?;
        Ok((
            Fts5 {
                path: path.to_path_buf(),
            },
            started.elapsed().as_secs_f64(),
        ))
    }
}

impl BenchEngine for Fts5 {
    fn searcher(&self) -> anyhow::Result<Searcher<'_>> {
        let db = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        Ok(Box::new(move |query: &BenchQuery| {
            // The statements of a kind take the same parameters; unfiltered binds NULL.
            let filter = if query.session.is_some() {
                "session = ?2"
            } else {
                "?2 IS NULL"
            };
            let mut count = db.prepare_cached(&format!(
                "SELECT count(*) FROM passages WHERE passages MATCH ?1 AND {filter}"
            ))?;
            let total: u64 = count
                .query_row(rusqlite::params![query.fts5(), query.session], |row| {
                    row.get(0)
                })?;
            std::hint::black_box(total);
            let mut statement = db.prepare_cached(&format!(
                "SELECT doc, passage, snippet(passages, 0, '[', ']', '…', 32) FROM passages \
                 WHERE passages MATCH ?1 AND {filter} ORDER BY rank LIMIT ?3"
            ))?;
            let rows = statement.query_map(
                rusqlite::params![query.fts5(), query.session, TOP],
                |row| {
                    std::hint::black_box(row.get::<_, String>(2)?);
                    Ok((row.get::<_, String>(0)?, row.get::<_, u64>(1)?))
                },
            )?;
            Ok(rows.collect::<Result<Vec<PassageKey>, _>>()?)
        }))
    }
}
