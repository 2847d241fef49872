//! The library's error type: every failure a user can cause is one of these, with a
//! message that names the file, the query position or the directory involved.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a usable corpus directory: {reason}")]
    CorpusDir { path: PathBuf, reason: String },
    #[error("{path} is not usable corpus text: {reason}")]
    BadCorpusFile { path: PathBuf, reason: String },
    #[error("{} corpus files could not be read (pass --skip-bad-files to index the rest):\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    BadCorpusFiles(Vec<Error>),
    #[error("manifest {path} is invalid: {reason}")]
    Manifest { path: PathBuf, reason: String },
    #[error("bad query: {0}")]
    Query(String),
    #[error("{0}")]
    Index(String),
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
