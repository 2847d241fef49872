//! Following the corpus while serving: a watcher on the corpus folder, a build in the
//! background once its changes settle, and the new generation served as soon as it is
//! complete. Until then, and when a build fails, the previous generation keeps serving.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::PoisonError;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use serde::Serialize;

use super::Shared;
use crate::index::{self, BuildOptions};
use crate::{Error, Result};

/// How long the corpus must be quiet before a build starts: a copy of many files, or an
/// editor's save (write aside, rename over), is one change, not many.
const SETTLE: Duration = Duration::from_millis(400);
/// A corpus that never stops changing is still rebuilt this often.
const MAX_WAIT: Duration = Duration::from_secs(10);

/// The corpus a server follows.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub dir: PathBuf,
    /// Index the readable files and report the others instead of failing the build.
    pub skip_bad_files: bool,
}

/// What `/api/stats` tells of the builds the server made itself.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildStatus {
    /// Whether the server follows a corpus folder at all.
    pub following: bool,
    /// A build is running now (the previous generation serves meanwhile).
    pub building: bool,
    /// Builds completed since the server started.
    pub builds: u64,
    /// Builds that failed since the server started.
    pub failed_builds: u64,
    /// Why the last build failed, while the corpus is still in that state; `null` otherwise.
    pub error: Option<String>,
    /// When the last build ended (success or failure), in seconds since 1970.
    pub finished_at: Option<u64>,
}

type Change = notify::Result<Event>;

/// Watches `corpus.dir` and rebuilds into the server's index after each settled change.
/// The watcher stops when the returned value is dropped.
pub(super) fn start(shared: Shared, corpus: Corpus) -> Result<RecommendedWatcher> {
    let watch_error = |e: notify::Error| Error::CorpusDir {
        path: corpus.dir.clone(),
        reason: format!("it cannot be watched for changes ({e})"),
    };
    let (events, changes) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(events).map_err(watch_error)?;
    // Events name absolute paths then, comparable with the index folder's.
    let dir = std::fs::canonicalize(&corpus.dir).unwrap_or_else(|_| corpus.dir.clone());
    watcher
        .watch(&dir, RecursiveMode::Recursive)
        .map_err(watch_error)?;
    shared.update_status(|status| status.following = true);
    std::thread::Builder::new()
        .name("corpus-follower".into())
        .spawn(move || follow(&shared, &corpus, &changes))
        .map_err(|e| Error::Index(format!("cannot start following the corpus ({e})")))?;
    Ok(watcher)
}

/// Waits for changes, lets a burst of them settle, then builds once.
fn follow(shared: &Shared, corpus: &Corpus, changes: &Receiver<Change>) {
    let index_dir = std::fs::canonicalize(&*shared.index_dir)
        .unwrap_or_else(|_| shared.index_dir.to_path_buf());
    // A change made after the server's first build but before the watch began is no event.
    rebuild(shared, corpus);
    loop {
        // The first change, then the rest of its burst: until the corpus is quiet for
        // SETTLE (or has kept changing for MAX_WAIT).
        match changes.recv() {
            Ok(change) if changes_corpus(&change, &index_dir) => {}
            Ok(_) => continue,
            Err(_) => return,
        }
        let started = Instant::now();
        while started.elapsed() < MAX_WAIT {
            match changes.recv_timeout(SETTLE) {
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        rebuild(shared, corpus);
    }
}

/// Whether an event may change what the corpus holds. Reading a file is no change (every
/// build reads them all), nor is anything inside an index kept in the corpus folder.
fn changes_corpus(change: &Change, index_dir: &Path) -> bool {
    match change {
        Ok(event) => {
            !matches!(event.kind, EventKind::Access(_))
                && event.paths.iter().any(|path| !path.starts_with(index_dir))
        }
        Err(error) => {
            // A lost event (an overflowing queue) may hide a change: look at the corpus.
            tracing::warn!("watching the corpus: {error}");
            true
        }
    }
}

/// Builds when the corpus no longer matches the index, then serves the new generation.
fn rebuild(shared: &Shared, corpus: &Corpus) {
    shared.update_status(|status| status.building = true);
    let options = BuildOptions {
        skip_bad_files: corpus.skip_bad_files,
        progress: false,
    };
    let built = index::ensure_fresh(&corpus.dir, &shared.index_dir, &options);
    let finished_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    match built {
        Ok(None) => shared.update_status(|status| {
            // The corpus is back to what is served (a bad file removed again, say).
            status.building = false;
            status.error = None;
        }),
        Ok(Some(summary)) => {
            for skipped in &summary.skipped {
                tracing::warn!("skipped {}", skipped.with_causes());
            }
            tracing::info!("the corpus changed; {summary}");
            match shared.reload_if_rebuilt() {
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!("cannot open the rebuilt index: {}", error.with_causes())
                }
            }
            shared.update_status(|status| {
                status.building = false;
                status.builds += 1;
                status.error = None;
                status.finished_at = Some(finished_at);
            });
        }
        Err(error) => {
            let reason = format!(
                "cannot index {}: {}",
                corpus.dir.display(),
                error.with_causes()
            );
            tracing::error!("the corpus changed but the index was not rebuilt, the previous one still serves: {reason}");
            shared.update_status(|status| {
                status.building = false;
                status.failed_builds += 1;
                status.error = Some(reason);
                status.finished_at = Some(finished_at);
            });
        }
    }
}

impl Shared {
    pub(super) fn update_status(&self, change: impl FnOnce(&mut BuildStatus)) {
        change(&mut self.build.lock().unwrap_or_else(PoisonError::into_inner));
    }

    pub(super) fn build_status(&self) -> BuildStatus {
        self.build
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
