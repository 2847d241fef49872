//! Reading the corpus directory: every `*.txt`, `*.pdf` and `*.docx` file under it becomes a [`Document`], described
//! by `manifest.toml` where it has an entry and by its own text otherwise.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{load_manifest, Manifest};
use super::metadata::{extract, infer_year};
use super::{Document, Metadata};
use crate::read::{read_text, Format};
use crate::repair::repair;
use crate::{Error, Result};

const MANIFEST: &str = "manifest.toml";

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Load the good files and list the bad ones in [`LoadReport::skipped`], instead of failing.
    pub skip_bad_files: bool,
}

#[derive(Debug)]
pub struct LoadReport {
    /// The documents, sorted by file.
    pub documents: Vec<Document>,
    /// Why each bad file was left out (only with [`LoadOptions::skip_bad_files`]).
    pub skipped: Vec<Error>,
    /// Size of the loaded documents' files.
    pub bytes: u64,
}

/// Reads every `*.txt`, `*.pdf` and `*.docx` file under `dir`, and `dir/manifest.toml` if
/// present.
///
/// A file must have a UTF-8 name, an id no other file has, and be non-empty UTF-8 text (a
/// byte-order mark is allowed, and removed). Bad files fail the whole load with
/// [`Error::BadCorpusFiles`] naming every one of them, unless `opts.skip_bad_files`. A corpus
/// in which no file could be read as a document is an error either way, and so is a manifest
/// entry for a file that does not exist.
pub fn load_corpus(dir: &Path, opts: &LoadOptions) -> Result<LoadReport> {
    let loaded = Listing::new(dir)?.read_all(load_document);
    let (documents, skipped, bytes) = sort_out(dir, loaded, opts)?;
    Ok(LoadReport {
        documents,
        skipped,
        bytes,
    })
}

/// The corpus listed, not yet read: its files in order, each one's id (or why it has none)
/// and size, and the manifest. A build reads its files a few at a time ([`Listing::load`]),
/// each once, in any order: the index orders the passages itself.
#[derive(Debug)]
pub struct Listing {
    files: Vec<CorpusFile>,
    /// Each file's id, or why it cannot have one.
    ids: Vec<std::result::Result<String, String>>,
    manifest: Manifest,
}

impl Listing {
    /// Lists the corpus in `dir` as [`load_corpus`] does, reading no document.
    pub fn new(dir: &Path) -> Result<Listing> {
        let files = corpus_file_list(dir)?;
        let manifest_path = dir.join(MANIFEST);
        let manifest = if manifest_path.is_file() {
            let manifest = load_manifest(&manifest_path)?;
            check_manifest_files(&manifest_path, &manifest, &files)?;
            manifest
        } else {
            Manifest::default()
        };
        let ids = document_ids(&files);
        Ok(Listing {
            files,
            ids,
            manifest,
        })
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The id of file `i` (`None` for a file that cannot have one: loading it says why).
    pub fn id(&self, i: usize) -> Option<&str> {
        self.ids[i].as_deref().ok()
    }

    /// The id of file `i`, or the error of a file that cannot have one.
    fn id_of(&self, i: usize) -> Result<String> {
        self.ids[i].clone().map_err(|reason| Error::BadCorpusFile {
            path: self.files[i].path.clone(),
            reason,
        })
    }

    /// The path of file `i`.
    pub fn path(&self, i: usize) -> &Path {
        &self.files[i].path
    }

    /// The session of file `i`'s document, as loading it gives it: the manifest's, known
    /// without reading the file, else what its repaired text says (the file is read for it;
    /// `None` also when it cannot be read: loading it says why).
    pub fn session(&self, i: usize) -> Option<u64> {
        let file = &self.files[i];
        match self.manifest.session(&file.rel) {
            Some(session) => Some(session),
            None => self.load(i).ok()?.0.metadata.session,
        }
    }

    /// The size of file `i` on disk now (0 if it cannot be read: loading it says why).
    pub fn size(&self, i: usize) -> u64 {
        fs::metadata(&self.files[i].path).map_or(0, |m| m.len())
    }

    /// File `i` read and repaired, and its size: exactly what [`load_corpus`] makes of it.
    pub fn load(&self, i: usize) -> Result<(Document, u64)> {
        load_document(&self.files[i], self.id_of(i)?, &self.manifest)
    }

    /// `read` applied to every file that has an id, in parallel, in file order.
    fn read_all<T: Send>(
        &self,
        read: impl Fn(&CorpusFile, String, &Manifest) -> Result<(T, u64)> + Sync,
    ) -> Vec<Result<(T, u64)>> {
        (0..self.files.len())
            .into_par_iter()
            .map(|i| read(&self.files[i], self.id_of(i)?, &self.manifest))
            .collect()
    }
}

/// Whether the files loaded make a corpus: at least one good file, and no bad one unless
/// `opts.skip_bad_files`. `skipped` are the bad files' errors, in file order.
pub fn check_loaded(
    dir: &Path,
    good: usize,
    skipped: Vec<Error>,
    opts: &LoadOptions,
) -> Result<Vec<Error>> {
    if good == 0 {
        let reasons: Vec<String> = skipped.iter().map(|e| format!("\n  {e}")).collect();
        return Err(Error::CorpusDir {
            path: dir.to_owned(),
            reason: format!("no document could be read from it:{}", reasons.concat()),
        });
    }
    if !skipped.is_empty() && !opts.skip_bad_files {
        return Err(Error::BadCorpusFiles(skipped));
    }
    Ok(skipped)
}

/// The one document of the corpus in `dir` whose id or file name (relative to `dir`, as the
/// index and the manifest name it) is `key`, read and repaired as a build reads it; `None`
/// when no file has that id or name. Only that file is read.
pub fn find_document(dir: &Path, key: &str) -> Result<Option<Document>> {
    let listing = Listing::new(dir)?;
    for (i, file) in listing.files.iter().enumerate() {
        if file.rel == key || listing.id(i) == Some(key) {
            // A file named by `key` whose id is taken or not UTF-8 fails with that reason.
            let (document, _) = listing.load(i)?;
            return Ok(Some(document));
        }
    }
    Ok(None)
}

/// The good files' values and total size, and the bad files' errors (see [`check_loaded`]).
fn sort_out<T>(
    dir: &Path,
    results: Vec<Result<(T, u64)>>,
    opts: &LoadOptions,
) -> Result<(Vec<T>, Vec<Error>, u64)> {
    let mut good = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    let mut bytes = 0;
    for result in results {
        match result {
            Ok((value, size)) => {
                bytes += size;
                good.push(value);
            }
            Err(e) => skipped.push(e),
        }
    }
    let skipped = check_loaded(dir, good.len(), skipped, opts)?;
    Ok((good, skipped, bytes))
}

/// A `*.txt`, `*.pdf` or `*.docx` file under the corpus directory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct CorpusFile {
    /// The path relative to the corpus directory, `/`-separated; lossy if not `utf8`.
    rel: String,
    path: PathBuf,
    /// Whether the relative path is valid UTF-8, so that `rel` really names the file.
    utf8: bool,
    format: Format,
}

/// The files that make up the corpus, as (path relative to `dir` with `/` separators, path),
/// sorted: the `*.txt`, `*.pdf` and `*.docx` files and `manifest.toml` if present. What changes here changes the
/// index.
pub fn corpus_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    // A file whose name is not UTF-8 is listed under its lossy name: the loader reports it
    // (or skips it when asked), and renaming it must still change the corpus.
    let mut files: Vec<(String, PathBuf)> = corpus_file_list(dir)?
        .into_iter()
        .map(|file| (file.rel, file.path))
        .collect();
    let manifest = dir.join(MANIFEST);
    if manifest.is_file() {
        files.push((MANIFEST.to_owned(), manifest));
        files.sort();
    }
    Ok(files)
}

/// The `*.txt`, `*.pdf` and `*.docx` files under `dir`, sorted by relative path. Hidden files and directories
/// (`.git`, editor backups) are not corpus; symlinks are followed, except into a directory
/// the walk is already inside.
fn corpus_file_list(dir: &Path) -> Result<Vec<CorpusFile>> {
    let unusable = |reason: &str| Error::CorpusDir {
        path: dir.to_owned(),
        reason: reason.to_owned(),
    };
    if !dir.exists() {
        return Err(unusable("it does not exist"));
    }
    if !dir.is_dir() {
        return Err(unusable("it is not a directory"));
    }
    let mut files = Vec::new();
    walk(dir, "", true, &mut Vec::new(), &mut files)?;
    if files.is_empty() {
        return Err(unusable("it contains no .txt, .pdf or .docx files"));
    }
    files.sort();
    Ok(files)
}

/// Lists the text files under `dir`, whose path relative to the corpus directory is `prefix`;
/// `prefix_utf8` says whether that path is valid UTF-8 (else `prefix` is lossy).
fn walk(
    dir: &Path,
    prefix: &str,
    prefix_utf8: bool,
    ancestors: &mut Vec<PathBuf>,
    files: &mut Vec<CorpusFile>,
) -> Result<()> {
    let canonical = fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if ancestors.contains(&canonical) {
        return Ok(()); // a symlink loop: its files are already being listed
    }
    ancestors.push(canonical);
    for entry in fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let Some(os_name) = path.file_name() else {
            continue;
        };
        let name = os_name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        // Follows symlinks. A broken one named like a corpus file is still listed, so that reading it fails
        // with an error naming it rather than it vanishing from the corpus.
        let is_dir = fs::metadata(&path).is_ok_and(|m| m.is_dir());
        let format = Format::of(&name);
        if !is_dir && format.is_none() {
            continue;
        }
        let utf8 = prefix_utf8 && os_name.to_str().is_some();
        let rel = format!("{prefix}{name}");
        match format {
            Some(format) if !is_dir => files.push(CorpusFile {
                rel,
                path,
                utf8,
                format,
            }),
            _ => walk(&path, &format!("{rel}/"), utf8, ancestors, files)?,
        }
    }
    ancestors.pop();
    Ok(())
}

fn check_manifest_files(
    manifest_path: &Path,
    manifest: &Manifest,
    files: &[CorpusFile],
) -> Result<()> {
    let known: HashSet<&str> = files
        .iter()
        .filter(|file| file.utf8)
        .map(|file| file.rel.as_str())
        .collect();
    let missing: Vec<String> = manifest
        .files()
        .filter(|file| !known.contains(file))
        .map(|file| format!("{file:?}"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::Manifest {
        path: manifest_path.to_owned(),
        reason: format!(
            "it describes files that are not in the corpus: {}",
            missing.join(", ")
        ),
    })
}

/// The id of each file (its relative path without the extension), in the order of `files`, or
/// why it cannot have one: its name is not UTF-8, or an earlier file already has that id
/// (`b.TXT` and `b.txt`).
fn document_ids(files: &[CorpusFile]) -> Vec<std::result::Result<String, String>> {
    let mut taken: HashMap<&str, &Path> = HashMap::new();
    files
        .iter()
        .map(|file| {
            // Ids are strings; a lossy one would not name the file.
            if !file.utf8 {
                return Err("its name is not valid UTF-8; rename it".to_owned());
            }
            let id = file
                .rel
                .rsplit_once('.')
                .map_or(&*file.rel, |(stem, _)| stem);
            match taken.get(id) {
                Some(first) => Err(format!(
                    "its document id {id:?} is already the id of {} (ids leave out the \
                     extension); rename one of them",
                    first.display()
                )),
                None => {
                    taken.insert(id, &file.path);
                    Ok(id.to_owned())
                }
            }
        })
        .collect()
}

fn load_document(file: &CorpusFile, id: String, manifest: &Manifest) -> Result<(Document, u64)> {
    let path = &file.path;
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    let size = bytes.len() as u64;
    let text = read_text(file.format, bytes).map_err(|reason| Error::BadCorpusFile {
        path: path.to_owned(),
        reason,
    })?;
    let document = if manifest.repair(&file.rel) {
        let repaired = repair(&text);
        let metadata = merge(extract(&repaired.text), manifest.metadata(&file.rel));
        Document::new(id, file.rel.clone(), metadata, text, repaired, true)
    } else {
        let metadata = merge(extract(&text), manifest.metadata(&file.rel));
        Document {
            id,
            file: file.rel.clone(),
            metadata,
            text,
            extracted: None,
            repair: false,
        }
    };
    Ok((document, size))
}

/// The manifest's fields over the extracted ones. The year is worked out again from the date
/// and session that won, so that a manifest date never sits beside an extracted year.
fn merge(extracted: Metadata, manifest: Option<Metadata>) -> Metadata {
    let Some(manifest) = manifest else {
        return extracted;
    };
    let date = manifest.date.or(extracted.date);
    let session = manifest.session.or(extracted.session);
    Metadata {
        year: manifest
            .year
            .or_else(|| infer_year(date.as_deref(), session)),
        symbol: manifest.symbol.or(extracted.symbol),
        session,
        date,
        body: manifest.body.or(extracted.body),
        title: manifest.title.or(extracted.title),
        kind: manifest.kind.or(extracted.kind),
        job_number: manifest.job_number.or(extracted.job_number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "مؤتمر الأطراف\n\nالدورة التاسعة\n\n١- نص الفقرة.\n";

    fn seed_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
    }

    fn corpus(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            let path = dir.path().join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        }
        dir
    }

    fn load(dir: &Path) -> Result<LoadReport> {
        load_corpus(dir, &LoadOptions::default())
    }

    fn reasons(errors: &[Error]) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn seed_corpus_with_its_manifest() {
        let report = load(&seed_dir()).unwrap();
        assert!(report.skipped.is_empty());
        let ids: Vec<&str> = report.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "000_034d2fcbcf60e4e7",
                "001_0a3dca724d5e52f4",
                "002_d76cc368b9f9cf3d",
                "003_2a7d7debe43666ee",
                "004_b8696f3eab3e24f5"
            ]
        );
        let on_disk: u64 = report
            .documents
            .iter()
            .map(|d| fs::metadata(seed_dir().join(&d.file)).unwrap().len())
            .sum();
        assert_eq!(report.bytes, on_disk);

        let meta = |i: usize| &report.documents[i].metadata;
        let sessions: Vec<_> = (0..5).map(|i| meta(i).session).collect();
        assert_eq!(sessions, [Some(11), Some(9), None, Some(6), Some(10)]);
        let years: Vec<_> = (0..5).map(|i| meta(i).year).collect();
        assert_eq!(
            years,
            [Some(2022), Some(2018), Some(2023), Some(2012), Some(2020)]
        );
        assert_eq!(meta(2).body.as_deref(), Some("WG.2"));
        assert_eq!(meta(3).symbol.as_deref(), Some("CTOC/COP/2012/1"));
        assert_eq!(meta(3).date.as_deref(), Some("2012-10-15"));
        assert_eq!(meta(3).kind.as_deref(), Some("agenda"));
        assert!((0..5).all(|i| meta(i).title.is_some() && meta(i).kind.is_some()));
    }

    #[test]
    fn corpus_files_lists_texts_and_manifest_sorted() {
        let files = corpus_files(&seed_dir()).unwrap();
        let names: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names.len(), 6);
        assert_eq!(names[5], "manifest.toml");
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(files.iter().all(|(f, p)| p.ends_with(f)));
    }

    #[test]
    fn nested_files_get_slash_separated_ids() {
        let dir = corpus(&[
            ("b.txt", GOOD.as_bytes()),
            ("wg2/2023/a.TXT", GOOD.as_bytes()),
            ("notes.md", b"not corpus"),
            (".hidden/x.txt", GOOD.as_bytes()),
            (".x.txt", GOOD.as_bytes()),
        ]);
        let report = load(dir.path()).unwrap();
        let ids: Vec<(&str, &str)> = report
            .documents
            .iter()
            .map(|d| (d.id.as_str(), d.file.as_str()))
            .collect();
        assert_eq!(ids, [("b", "b.txt"), ("wg2/2023/a", "wg2/2023/a.TXT")]);
    }

    #[test]
    fn bad_files_are_all_named() {
        let dir = corpus(&[
            ("a_good.txt", GOOD.as_bytes()),
            ("b_empty.txt", b""),
            ("c_latin1.txt", b"line one\nd\xe9cision\n"),
            ("d_binary.txt", b"%PDF-1.4\n\x00\x01\x02"),
            ("e_controls.txt", b"\x01\x02\x03\x04ab"),
            ("f_utf16.txt", b"\xff\xfe1\x00"),
            ("g_blank.txt", b" \n\t\n"),
        ]);
        let Err(Error::BadCorpusFiles(errors)) = load(dir.path()) else {
            panic!("bad files must fail the load");
        };
        let reasons = reasons(&errors);
        assert_eq!(reasons.len(), 6, "{reasons:#?}");
        let expected = [
            ("b_empty.txt", "the file is empty"),
            ("c_latin1.txt", "invalid UTF-8 at byte offset 10 (line 2)"),
            ("d_binary.txt", "NUL byte at byte offset 9"),
            (
                "e_controls.txt",
                "4 of its 6 characters are control characters",
            ),
            ("f_utf16.txt", "UTF-16"),
            ("g_blank.txt", "no text"),
        ];
        for (reason, (file, why)) in reasons.iter().zip(expected) {
            assert!(reason.contains(file) && reason.contains(why), "{reason}");
        }
        assert!(errors
            .iter()
            .all(|e| matches!(e, Error::BadCorpusFile { .. })));
    }

    #[test]
    fn skipping_bad_files_keeps_the_good_ones() {
        let dir = corpus(&[("a.txt", GOOD.as_bytes()), ("b.txt", b"\xc3(")]);
        let opts = LoadOptions {
            skip_bad_files: true,
        };
        let report = load_corpus(dir.path(), &opts).unwrap();
        assert_eq!(report.documents.len(), 1);
        assert_eq!(report.bytes, GOOD.len() as u64);
        let skipped = reasons(&report.skipped);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].contains("b.txt") && skipped[0].contains("byte offset 0"));
    }

    #[test]
    fn byte_order_mark_is_allowed_and_removed() {
        let dir = corpus(&[("a.txt", "\u{FEFF}نص\r\n".as_bytes())]);
        let report = load(dir.path()).unwrap();
        assert_eq!(report.documents[0].text, "نص\r\n");
    }

    #[test]
    fn manifest_wins_field_by_field_and_unlisted_files_are_loaded() {
        let manifest = r#"
            [documents."a.txt"]
            date = "2019-01-05"
            title = "عنوان من البيان"
        "#;
        let dir = corpus(&[
            ("a.txt", GOOD.as_bytes()),
            ("b.txt", GOOD.as_bytes()),
            ("manifest.toml", manifest.as_bytes()),
        ]);
        let report = load(dir.path()).unwrap();
        let a = &report.documents[0].metadata;
        assert_eq!(a.title.as_deref(), Some("عنوان من البيان"));
        assert_eq!(a.date.as_deref(), Some("2019-01-05"));
        assert_eq!(a.year, Some(2019), "the year follows the manifest's date");
        assert_eq!(a.session, Some(9), "extracted where the manifest is silent");
        let b = &report.documents[1].metadata;
        assert_eq!(
            (b.session, b.year, b.title.as_deref()),
            (Some(9), Some(2018), None)
        );
    }

    /// Text with the damage of visual-order PDF extraction: mirrored brackets, a line in
    /// visual order, a word cut by tatweel, a blank line inside a sentence.
    const DAMAGED: &str = "مؤتمر الأطراف\r\n\r\n)أ( افتتاح الدورة؛\n.الدورة أعمال جدول إقرار )ب(\n\n\
                           ١- يشجع المؤتمر الدول الأطرا\u{0640}\nف على التعاون في\n\nمكافحة الجريمة.\n";

    #[test]
    fn repair_off_in_the_manifest_gives_the_file_text_byte_for_byte() {
        let manifest = "[documents.\"off.txt\"]\nrepair = false\nsession = 9\n";
        let dir = corpus(&[
            ("manifest.toml", manifest.as_bytes()),
            ("off.txt", DAMAGED.as_bytes()),
            ("on.txt", DAMAGED.as_bytes()),
        ]);
        let listing = Listing::new(dir.path()).unwrap();
        let listed = (0..listing.len())
            .filter(|&i| listing.id(i).is_some())
            .map(|i| listing.load(i).unwrap().0)
            .collect();
        for documents in [load(dir.path()).unwrap().documents, listed] {
            let (off, on) = (&documents[0], &documents[1]);
            assert_eq!(off.file, "off.txt");
            assert!(!off.repair && on.repair);
            assert_eq!(off.text.as_bytes(), DAMAGED.as_bytes());
            assert!(off.extracted.is_none());
            assert!(crate::corpus::split_document(off)
                .iter()
                .all(|p| p.extracted.is_none()));
            assert_eq!(off.metadata.session, Some(9));
            // The same file with repair on: the repaired text, the extracted one kept
            // exactly when repair changed something.
            let repaired = repair(DAMAGED);
            assert_eq!(on.text, repaired.text);
            match &on.extracted {
                None => assert!(repaired.is_unchanged() && on.text == DAMAGED),
                Some(extracted) => {
                    assert_eq!(extracted.text, DAMAGED);
                    assert_eq!(extracted.changes, repaired.changes);
                    assert!(!extracted.changes.is_empty());
                }
            }
        }
    }

    #[test]
    fn a_listing_reads_a_file_only_when_it_is_loaded() {
        let dir = corpus(&[("a.txt", DAMAGED.as_bytes()), ("bad.txt", b"\xc3(")]);
        // Listing reads no document: a bad file is found out when it is loaded.
        let listing = Listing::new(dir.path()).unwrap();
        assert_eq!(listing.len(), 2);
        fs::write(dir.path().join("a.txt"), GOOD).unwrap();
        let (a, bytes) = listing.load(0).unwrap();
        assert_eq!((a.text.as_str(), bytes), (GOOD, GOOD.len() as u64));
        assert_eq!(listing.size(0), GOOD.len() as u64);
        let err = listing.load(1).unwrap_err();
        assert!(err.to_string().contains("bad.txt"), "{err}");
    }

    #[test]
    fn one_document_is_found_by_id_or_file_name() {
        let dir = corpus(&[
            ("a.txt", GOOD.as_bytes()),
            ("sub/b.txt", DAMAGED.as_bytes()),
            ("bad.txt", b"\xc3("),
        ]);
        for key in ["sub/b", "sub/b.txt"] {
            let document = find_document(dir.path(), key).unwrap().unwrap();
            assert_eq!(
                (document.id.as_str(), document.file.as_str()),
                ("sub/b", "sub/b.txt")
            );
            assert_eq!(document.text, repair(DAMAGED).text);
        }
        assert!(find_document(dir.path(), "b").unwrap().is_none());
        assert!(find_document(dir.path(), "c").unwrap().is_none());
        let err = find_document(dir.path(), "bad").unwrap_err();
        assert!(err.to_string().contains("bad.txt"), "{err}");
    }

    #[test]
    fn manifest_entry_for_a_missing_file_is_an_error() {
        let manifest =
            "[documents.\"a.txt\"]\nsession = 9\n[documents.\"gone.txt\"]\nsession = 1\n";
        let dir = corpus(&[
            ("a.txt", GOOD.as_bytes()),
            ("manifest.toml", manifest.as_bytes()),
        ]);
        let err = load(dir.path()).unwrap_err();
        assert!(matches!(err, Error::Manifest { .. }), "{err}");
        assert!(err.to_string().contains("\"gone.txt\""), "{err}");
    }

    #[test]
    fn manifest_with_an_unknown_key_is_an_error() {
        let manifest = "[documents.\"a.txt\"]\nsesion = 9\n";
        let dir = corpus(&[
            ("a.txt", GOOD.as_bytes()),
            ("manifest.toml", manifest.as_bytes()),
        ]);
        let err = load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("sesion"), "{err}");
    }

    #[test]
    fn missing_or_empty_corpus_directories_are_errors() {
        let dir = corpus(&[("notes.md", b"no text files")]);
        let err = load(dir.path()).unwrap_err();
        assert!(
            err.to_string()
                .contains("contains no .txt, .pdf or .docx files"),
            "{err}"
        );
        let err = load(&dir.path().join("nowhere")).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        let err = load(&dir.path().join("notes.md")).unwrap_err();
        assert!(err.to_string().contains("not a directory"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_not_followed_forever() {
        let dir = corpus(&[("sub/a.txt", GOOD.as_bytes())]);
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("missing.txt", dir.path().join("broken.txt")).unwrap();
        let files = corpus_files(dir.path()).unwrap();
        let names: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(names, ["broken.txt", "sub/a.txt"]);
        let report = load_corpus(
            dir.path(),
            &LoadOptions {
                skip_bad_files: true,
            },
        )
        .unwrap();
        assert_eq!(report.documents.len(), 1);
        assert!(reasons(&report.skipped)[0].contains("broken.txt"));
    }

    #[cfg(unix)]
    #[test]
    fn file_names_must_be_utf8_but_do_not_stop_the_load() {
        use std::os::unix::ffi::OsStrExt;
        let dir = corpus(&[("a.txt", GOOD.as_bytes())]);
        let name = std::ffi::OsStr::from_bytes(b"d\xe9cision.txt");
        fs::write(dir.path().join(name), GOOD).unwrap();
        let sub = dir.path().join(std::ffi::OsStr::from_bytes(b"wg\xff"));
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("c.txt"), GOOD).unwrap();

        let Err(Error::BadCorpusFiles(errors)) = load(dir.path()) else {
            panic!("a file name that is not UTF-8 must fail the load");
        };
        let errors = reasons(&errors);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("d\u{FFFD}cision.txt"), "{}", errors[0]);
        assert!(errors[1].contains("wg\u{FFFD}/c.txt"), "{}", errors[1]);
        assert!(errors.iter().all(|e| e.contains("not valid UTF-8")));

        let skip = LoadOptions {
            skip_bad_files: true,
        };
        let report = load_corpus(dir.path(), &skip).unwrap();
        let files: Vec<&str> = report.documents.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(files, ["a.txt"]);
        assert_eq!(reasons(&report.skipped), errors);

        // The fingerprint still sees them, so that renaming them changes the corpus.
        let names: Vec<String> = corpus_files(dir.path())
            .unwrap()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(names, ["a.txt", "d\u{FFFD}cision.txt", "wg\u{FFFD}/c.txt"]);
    }

    #[test]
    fn files_with_the_same_id_are_bad_files() {
        let dir = corpus(&[
            ("a.txt", GOOD.as_bytes()),
            ("b.TXT", GOOD.as_bytes()),
            ("b.txt", GOOD.as_bytes()),
            ("sub/c.txt", GOOD.as_bytes()),
            ("sub/c.Txt", GOOD.as_bytes()),
        ]);
        if fs::read_dir(dir.path()).unwrap().count() < 4 {
            return; // a case-insensitive file system: the names cannot collide
        }
        let Err(Error::BadCorpusFiles(errors)) = load(dir.path()) else {
            panic!("two files with one id must fail the load");
        };
        let errors = reasons(&errors);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        // The first file in path order keeps the id; the error names both.
        for (error, (second, first, id)) in errors.iter().zip([
            ("b.txt", "b.TXT", "\"b\""),
            ("sub/c.txt", "sub/c.Txt", "\"sub/c\""),
        ]) {
            let (second, first) = (dir.path().join(second), dir.path().join(first));
            let at = |path: &Path| error.find(&path.display().to_string());
            assert!(at(&second) < at(&first) && at(&second).is_some(), "{error}");
            assert!(error.contains(id), "{error}");
        }

        let skip = LoadOptions {
            skip_bad_files: true,
        };
        let report = load_corpus(dir.path(), &skip).unwrap();
        let ids: Vec<(&str, &str)> = report
            .documents
            .iter()
            .map(|d| (d.id.as_str(), d.file.as_str()))
            .collect();
        assert_eq!(
            ids,
            [("a", "a.txt"), ("b", "b.TXT"), ("sub/c", "sub/c.Txt")]
        );
        assert_eq!(reasons(&report.skipped), errors);
    }

    #[test]
    fn a_corpus_without_one_readable_document_is_an_error() {
        let dir = corpus(&[("a.txt", b""), ("b.txt", b"\xc3(")]);
        for skip_bad_files in [false, true] {
            let err = load_corpus(dir.path(), &LoadOptions { skip_bad_files }).unwrap_err();
            assert!(matches!(err, Error::CorpusDir { .. }), "{err}");
            let message = err.to_string();
            assert!(message.contains("no document could be read"), "{message}");
            assert!(message.contains("a.txt") && message.contains("the file is empty"));
            assert!(message.contains("b.txt") && message.contains("byte offset 0"));
        }
    }
}
