//! The library's error type: every failure a user can cause is one of these, with a
//! message that names the file, the query position or the directory involved.
//!
//! Messages leave out their cause: printers walk the `source()` chain (anyhow's `{:#}` in
//! the binary, [`Error::with_causes`] elsewhere), so nothing is said twice.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot {action} {path}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a usable corpus directory: {reason}")]
    CorpusDir { path: PathBuf, reason: String },
    #[error("{path} is not usable corpus text: {reason}")]
    BadCorpusFile { path: PathBuf, reason: String },
    #[error("{} (pass --skip-bad-files to index the rest):\n{}", crate::output::counted(.0.len() as u64, "corpus file could not be read", "corpus files could not be read"), .0.iter().map(|e| format!("  {}", e.with_causes())).collect::<Vec<_>>().join("\n"))]
    BadCorpusFiles(Vec<Error>),
    #[error("manifest {path} is invalid: {reason}")]
    Manifest { path: PathBuf, reason: String },
    #[error("bad query: {0}")]
    Query(String),
    /// A search request whose paging or limits are out of range.
    #[error("{0}")]
    Request(String),
    #[error("{0}")]
    Index(String),
    #[error("cannot serve on {addr}")]
    Listen {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("index error")]
    Tantivy(#[from] tantivy::TantivyError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A file or directory that could not be read.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action: "read",
            path: path.into(),
            source,
        }
    }

    /// A file or directory that could not be created, written, renamed or locked.
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action: "write",
            path: path.into(),
            source,
        }
    }

    /// The message followed by its causes: `cannot read x: No such file or directory`.
    pub fn with_causes(&self) -> String {
        let mut message = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            message.push_str(&format!(": {error}"));
            cause = error.source();
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_told_once() {
        let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "not found");
        let error = Error::write("index/CURRENT", missing);
        assert_eq!(error.to_string(), "cannot write index/CURRENT");
        assert_eq!(error.with_causes(), "cannot write index/CURRENT: not found");
        let list = Error::BadCorpusFiles(vec![error]).to_string();
        assert!(
            list.ends_with("\n  cannot write index/CURRENT: not found"),
            "{list}"
        );
    }
}
