//! The on-disk index: where it lives, when it is stale, how it is built and opened.
//!
//! An index directory holds complete generations (`gen-…/`, each a tantivy index plus
//! `fahras.json`) and a `CURRENT` file naming the one to search. A build writes a new
//! generation beside the old one and only then replaces `CURRENT` (write, then rename:
//! atomic), so an interrupted build never leaves a broken index behind.

pub mod build;
pub mod fingerprint;
pub mod schema;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;

pub use build::{build, BuildOptions, BuildSummary};
pub use fingerprint::FileStamp;
pub use schema::{Fields, SCHEMA_VERSION};

use crate::{analysis, Error, Result};

const CURRENT: &str = "CURRENT";
const META: &str = "fahras.json";

/// What fahras records beside a tantivy index: what it was built from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    pub schema_version: u32,
    pub fingerprint: String,
    pub files: Vec<FileStamp>,
    pub documents: u64,
    pub passages: u64,
    pub bytes: u64,
    /// Corpus files the build left out (`--skip-bad-files`), each with the reason: told
    /// again by every command and server that uses this index, so none goes unnoticed.
    #[serde(default)]
    pub skipped: Vec<String>,
}

/// An opened index, ready for searching.
pub struct OpenIndex {
    pub index: Index,
    pub fields: Fields,
    pub meta: IndexMeta,
    /// The generation directory that was opened: a server compares it with `CURRENT` to
    /// notice a rebuilt index.
    pub generation: PathBuf,
}

/// Whether the index matches the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    /// No complete index yet.
    Missing,
    /// Built from other files, or by an older fahras.
    Stale,
}

/// The generation `CURRENT` names, if any.
pub fn current_generation(index_dir: &Path) -> Result<Option<PathBuf>> {
    let current = index_dir.join(CURRENT);
    match std::fs::read_to_string(&current) {
        Ok(name) => Ok(Some(index_dir.join(name.trim()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(current, e)),
    }
}

fn read_meta(generation: &Path) -> Result<IndexMeta> {
    let path = generation.join(META);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::Index(format!(
            "{} is corrupt ({e}); run `fahras index` to rebuild",
            path.display()
        ))
    })
}

/// The corpus files the current generation left out, each with the reason (none when there
/// is no readable index).
pub fn left_out(index_dir: &Path) -> Vec<String> {
    current_generation(index_dir)
        .ok()
        .flatten()
        .and_then(|generation| read_meta(&generation).ok())
        .map_or_else(Vec::new, |meta| meta.skipped)
}

/// Whether `index_dir` has a complete generation to search.
pub fn exists(index_dir: &Path) -> bool {
    current_generation(index_dir)
        .ok()
        .flatten()
        .is_some_and(|generation| read_meta(&generation).is_ok())
}

/// Compares the index in `index_dir` with the corpus in `corpus_dir`.
pub fn freshness(corpus_dir: &Path, index_dir: &Path) -> Result<Freshness> {
    let Some(generation) = current_generation(index_dir)? else {
        return Ok(Freshness::Missing);
    };
    let Ok(meta) = read_meta(&generation) else {
        return Ok(Freshness::Missing);
    };
    if meta.schema_version != SCHEMA_VERSION {
        return Ok(Freshness::Stale);
    }
    let stamps = fingerprint::stamp_corpus(corpus_dir, &meta.files)?;
    if fingerprint::fingerprint(&stamps, SCHEMA_VERSION) == meta.fingerprint {
        Ok(Freshness::Fresh)
    } else {
        Ok(Freshness::Stale)
    }
}

/// Builds the index when it is missing or stale; returns the summary of a build if one ran.
pub fn ensure_fresh(
    corpus_dir: &Path,
    index_dir: &Path,
    options: &BuildOptions,
) -> Result<Option<BuildSummary>> {
    if freshness(corpus_dir, index_dir)? == Freshness::Fresh {
        return Ok(None);
    }
    let _lock = build::lock_builds(index_dir, options)?;
    // Another process may have built it while this one waited for the lock.
    if freshness(corpus_dir, index_dir)? == Freshness::Fresh {
        return Ok(None);
    }
    build::build_locked(corpus_dir, index_dir, options).map(Some)
}

/// Opens the current generation of the index in `index_dir`.
pub fn open(index_dir: &Path) -> Result<OpenIndex> {
    if !index_dir.is_dir() {
        return Err(Error::Index(format!(
            "index directory {} does not exist; run `fahras index --index {}` to build it",
            index_dir.display(),
            index_dir.display()
        )));
    }
    let generation = current_generation(index_dir)?.ok_or_else(|| {
        Error::Index(format!(
            "{} holds no index yet; run `fahras index` to build it",
            index_dir.display()
        ))
    })?;
    let meta = read_meta(&generation)?;
    if meta.schema_version != SCHEMA_VERSION {
        return Err(Error::Index(format!(
            "the index in {} was built by another version of fahras; run `fahras index` to rebuild it",
            index_dir.display()
        )));
    }
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::Index(format!(
            "the index in {} is unreadable ({e}); run `fahras index` to rebuild it",
            generation.display()
        ))
    };
    let index = Index::open_in_dir(&generation).map_err(|e| unreadable(&e))?;
    let fields = Fields::from_schema(&index.schema()).map_err(|e| unreadable(&e))?;
    analysis::register(&index);
    Ok(OpenIndex {
        index,
        fields,
        meta,
        generation,
    })
}
