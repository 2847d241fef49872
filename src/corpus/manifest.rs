//! `corpus/manifest.toml`: what is known about each file, where the text does not say it or
//! says it badly. One table per file, keyed by its path relative to the corpus directory:
//!
//! ```toml
//! [documents."000_034d2fcbcf60e4e7.txt"]
//! symbol = "CTOC/COP/2022/9"
//! session = 11
//! year = 2022
//! date = "2022-10-17"
//! body = "COP"
//! title = "…"
//! kind = "report"
//! job_number = "V.22-25156"
//! repair = false
//! ```
//!
//! Every field is optional. Unknown keys are errors, so that a typo (`sesion = 11`) is not
//! silently ignored. `repair = false` switches the repair stage ([`crate::repair`]) off for
//! the file: it is indexed exactly as extracted (for a file that is already clean, or one the
//! stage would damage); repair is on by default.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::metadata::parse_iso_date;
use super::Metadata;
use crate::{Error, Result};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(default)]
    documents: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    symbol: Option<String>,
    session: Option<u64>,
    year: Option<u64>,
    date: Option<String>,
    body: Option<String>,
    title: Option<String>,
    kind: Option<String>,
    job_number: Option<String>,
    repair: Option<bool>,
}

impl Manifest {
    /// What the manifest says about `file` (a path relative to the corpus directory), as far
    /// as it says anything; fields it leaves out are `None`.
    pub fn metadata(&self, file: &str) -> Option<Metadata> {
        let entry = self.documents.get(file)?.clone();
        Some(Metadata {
            symbol: entry.symbol,
            session: entry.session,
            year: entry.year,
            date: entry.date,
            body: entry.body,
            title: entry.title,
            kind: entry.kind,
            job_number: entry.job_number,
        })
    }

    /// The session the manifest gives `file`, if any.
    pub fn session(&self, file: &str) -> Option<u64> {
        self.documents.get(file)?.session
    }

    /// Whether the repair stage runs on `file`: unless its entry says `repair = false`.
    pub fn repair(&self, file: &str) -> bool {
        self.documents
            .get(file)
            .and_then(|entry| entry.repair)
            .unwrap_or(true)
    }

    /// The files the manifest describes.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.documents.keys().map(String::as_str)
    }
}

pub fn load_manifest(path: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_manifest(&text).map_err(|reason| Error::Manifest {
        path: path.to_owned(),
        reason,
    })
}

fn parse_manifest(text: &str) -> Result<Manifest, String> {
    let manifest: Manifest = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start].matches('\n').count() + 1);
        let message = e.message().trim_end();
        match line {
            Some(line) => format!("line {line}: {message}"),
            None => message.to_owned(),
        }
    })?;
    for (file, entry) in &manifest.documents {
        if let Some(date) = entry
            .date
            .as_deref()
            .filter(|d| parse_iso_date(d).is_none())
        {
            return Err(format!(
                "{file:?} has date {date:?}; write dates as YYYY-MM-DD"
            ));
        }
        if entry.session == Some(0) {
            return Err(format!("{file:?} has session 0; sessions count from 1"));
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_become_partial_metadata() {
        let manifest = parse_manifest(
            r#"
            [documents."a.txt"]
            session = 11
            date = "2022-10-17"
            title = "تقرير"

            [documents."sub/b.txt"]
            body = "WG.2"
            "#,
        )
        .unwrap();
        let a = manifest.metadata("a.txt").unwrap();
        assert_eq!(a.session, Some(11));
        assert_eq!(a.date.as_deref(), Some("2022-10-17"));
        assert_eq!(a.title.as_deref(), Some("تقرير"));
        assert_eq!(a.year, None, "the manifest only says what it says");
        assert_eq!(
            manifest.metadata("sub/b.txt").unwrap().body.as_deref(),
            Some("WG.2")
        );
        assert_eq!(manifest.metadata("c.txt"), None);
        assert_eq!(manifest.files().collect::<Vec<_>>(), ["a.txt", "sub/b.txt"]);
    }

    #[test]
    fn repair_is_on_unless_the_entry_switches_it_off() {
        let manifest = parse_manifest(
            "[documents.\"a.txt\"]\nrepair = false\n[documents.\"b.txt\"]\nrepair = true\n\
             [documents.\"c.txt\"]\nsession = 9\n",
        )
        .unwrap();
        assert!(!manifest.repair("a.txt"));
        assert!(manifest.repair("b.txt") && manifest.repair("c.txt") && manifest.repair("d.txt"));
        assert_eq!(
            manifest.metadata("a.txt"),
            Some(Metadata::default()),
            "repair is not metadata"
        );
        let err = parse_manifest("[documents.\"a.txt\"]\nrepair = \"no\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn an_empty_manifest_is_fine() {
        assert_eq!(parse_manifest("").unwrap().files().count(), 0);
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_line() {
        let err = parse_manifest("[documents.\"a.txt\"]\nsession = 9\nsesion = 9\n").unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
        assert!(err.contains("sesion"), "{err}");
        let err = parse_manifest("[document.\"a.txt\"]\n").unwrap_err();
        assert!(err.contains("document"), "{err}");
    }

    #[test]
    fn wrong_types_and_dates_are_errors() {
        let err = parse_manifest("[documents.\"a.txt\"]\nsession = \"11\"\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        let err =
            parse_manifest("[documents.\"a.txt\"]\ndate = \"17 October 2022\"\n").unwrap_err();
        assert!(err.contains("YYYY-MM-DD"), "{err}");
        let err = parse_manifest("[documents.\"a.txt\"]\nsession = 0\n").unwrap_err();
        assert!(err.contains("session 0"), "{err}");
    }

    #[test]
    fn seed_manifest_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/manifest.toml");
        let manifest = load_manifest(&path).unwrap();
        assert_eq!(manifest.files().count(), 5);
        let agenda = manifest.metadata("003_2a7d7debe43666ee.txt").unwrap();
        assert_eq!(agenda.symbol.as_deref(), Some("CTOC/COP/2012/1"));
        assert_eq!(agenda.session, Some(6));
    }
}
