//! Knowing when the corpus changed: a fingerprint of file names, sizes and content hashes.
//!
//! Hashing a large corpus on every search would be wasteful, so each file's stamp keeps
//! its size and modification time; a file whose size and mtime are unchanged reuses the
//! hash recorded at the last build.

use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::{corpus, Result};

/// What was seen of one corpus file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub path: String,
    pub size: u64,
    pub mtime_ns: u128,
    pub hash: String,
}

/// Stamps every corpus file, hashing only those whose size or mtime differ from `known`.
pub fn stamp_corpus(dir: &Path, known: &[FileStamp]) -> Result<Vec<FileStamp>> {
    let known: HashMap<&str, &FileStamp> = known.iter().map(|s| (s.path.as_str(), s)).collect();
    Ok(corpus::load::corpus_files(dir)?
        .into_iter()
        .map(|(path, abs)| {
            // A file that cannot be read is still stamped: the loader reports it by name
            // (or skips it when asked), and it must not stop the fingerprint first.
            let Ok(meta) = std::fs::metadata(&abs) else {
                return unreadable(path);
            };
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            let size = meta.len();
            let hash = match known.get(path.as_str()) {
                Some(k) if k.size == size && k.mtime_ns == mtime_ns && mtime_ns != 0 => {
                    k.hash.clone()
                }
                _ => match std::fs::read(&abs) {
                    Ok(bytes) => blake3::hash(&bytes).to_hex().to_string(),
                    Err(_) => return unreadable(path),
                },
            };
            FileStamp {
                path,
                size,
                mtime_ns,
                hash,
            }
        })
        .collect())
}

fn unreadable(path: String) -> FileStamp {
    FileStamp {
        path,
        size: 0,
        mtime_ns: 0,
        hash: "unreadable".into(),
    }
}

/// One hash for the whole corpus, the schema it is indexed with and the repair stage that
/// read it; mtimes are left out so that touching a file does not force a rebuild.
pub fn fingerprint(stamps: &[FileStamp], schema_version: u32) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&schema_version.to_le_bytes());
    hasher.update(crate::repair::STAGE_VERSION.as_bytes());
    for stamp in stamps {
        hasher.update(stamp.path.as_bytes());
        hasher.update(&[0]);
        hasher.update(&stamp.size.to_le_bytes());
        hasher.update(stamp.hash.as_bytes());
    }
    hasher.finalize().to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(path: &str, size: u64, hash: &str) -> FileStamp {
        FileStamp {
            path: path.into(),
            size,
            mtime_ns: 1,
            hash: hash.into(),
        }
    }

    #[test]
    fn fingerprint_changes_with_name_size_content_and_schema() {
        let base = vec![stamp("a.txt", 3, "h1")];
        let fp = fingerprint(&base, 1);
        assert_eq!(fp, fingerprint(&base, 1));
        assert_ne!(fp, fingerprint(&[stamp("b.txt", 3, "h1")], 1));
        assert_ne!(fp, fingerprint(&[stamp("a.txt", 4, "h1")], 1));
        assert_ne!(fp, fingerprint(&[stamp("a.txt", 3, "h2")], 1));
        assert_ne!(fp, fingerprint(&base, 2));
    }

    #[test]
    fn unchanged_files_reuse_their_hash_and_changed_files_are_rehashed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "نص").unwrap();
        let first = stamp_corpus(dir.path(), &[]).unwrap();
        assert_eq!(first.len(), 1);
        let mut forged = first.clone();
        forged[0].hash = "remembered".into();
        assert_eq!(
            stamp_corpus(dir.path(), &forged).unwrap()[0].hash,
            "remembered"
        );
        std::fs::write(dir.path().join("a.txt"), "نص آخر").unwrap();
        let changed = stamp_corpus(dir.path(), &forged).unwrap();
        assert_ne!(changed[0].hash, "remembered");
        assert_ne!(changed[0].hash, first[0].hash);
    }
}
