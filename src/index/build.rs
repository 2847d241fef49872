//! Building an index generation from the corpus: list the files, then stream them, read and
//! split in parallel (rayon) a chunk at a time, each file once, analyze and write with
//! tantivy's own indexing threads, which sort every segment into corpus order; merge into few
//! segments; then swap it in atomically.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::Facet;
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use super::{fingerprint, Fields, IndexMeta, CURRENT, META, SCHEMA_VERSION};
use crate::corpus::{self, citations, Document, Listing, LoadOptions, Passage};
use crate::{analysis, Error, Result};

const BUILD_LOCK: &str = ".build.lock";
const STAGING_PREFIX: &str = ".build-";
/// `CURRENT` is written under this name first, then renamed.
const CURRENT_STAGING_PREFIX: &str = "CURRENT.tmp-";

/// Memory budget of tantivy's writer per indexing thread.
const WRITER_MEMORY_PER_THREAD: usize = 128 << 20;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Index the readable files and report the others instead of failing.
    pub skip_bad_files: bool,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
}

/// What a build did, for the one-line summary.
#[derive(Debug)]
pub struct BuildSummary {
    pub documents: u64,
    pub passages: u64,
    pub bytes: u64,
    pub seconds: f64,
    /// Files that were not indexed, with the reason (only with `skip_bad_files`).
    pub skipped: Vec<Error>,
}

impl std::fmt::Display for BuildSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = self.bytes as f64 / 1e6;
        write!(
            f,
            "indexed {}, {} ({mb:.2} MB) in {:.2} s, {:.1} MB/s",
            crate::output::counted(self.documents, "document", "documents"),
            crate::output::counted(self.passages, "passage", "passages"),
            self.seconds,
            mb / self.seconds.max(1e-9)
        )?;
        if !self.skipped.is_empty() {
            let files = crate::output::counted(
                self.skipped.len() as u64,
                "unreadable file",
                "unreadable files",
            );
            write!(f, "; skipped {files}")?;
        }
        Ok(())
    }
}

/// Builds a new generation of the index of `corpus_dir` in `index_dir` and makes it current.
pub fn build(corpus_dir: &Path, index_dir: &Path, options: &BuildOptions) -> Result<BuildSummary> {
    let _lock = lock_builds(index_dir, options)?;
    build_locked(corpus_dir, index_dir, options)
}

/// Held for the whole of a build, so that a second build of the same index waits for the
/// first instead of racing it. The OS releases it if the process dies.
pub(super) fn lock_builds(index_dir: &Path, options: &BuildOptions) -> Result<File> {
    std::fs::create_dir_all(index_dir).map_err(|e| Error::write(index_dir, e))?;
    let path = index_dir.join(BUILD_LOCK);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::write(&path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            if options.progress {
                eprintln!(
                    "waiting for another build of {} to finish…",
                    index_dir.display()
                );
            }
            file.lock().map_err(|e| Error::write(&path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(Error::write(&path, e)),
    }
    Ok(file)
}

/// The build proper; the caller holds the build lock.
pub(super) fn build_locked(
    corpus_dir: &Path,
    index_dir: &Path,
    options: &BuildOptions,
) -> Result<BuildSummary> {
    let started = Instant::now();
    // Stamp before reading, so a file that changes during the build makes the next run
    // see a stale index rather than a fresh one.
    let stamps = fingerprint::stamp_corpus(corpus_dir, &[])?;
    let fingerprint = fingerprint::fingerprint(&stamps, SCHEMA_VERSION);
    let listing = Listing::new(corpus_dir)?;
    let places = CorpusPlaces::new(corpus_dir, &listing)?;
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(index_dir)
        .map_err(|e| Error::write(index_dir, e))?;
    let (schema, fields) = Fields::schema();
    // Passages sorted in corpus order within each segment, whichever indexing thread took
    // them: equal scores then rank in that order in every build (see `Segments::order`).
    // Measured on the bench's 250 MB, idle machine: build 26.4 and 28.2 s against 23.6 and
    // 23.7 s unsorted, peak RSS 1.13–1.18 GB against 0.88. Ties broken at query time
    // instead (every threshold a hair lower, a lookup per equal score) cost a common word's
    // first stage 0.18 → 0.27 ms there; searches matter more than builds.
    let settings = tantivy::IndexSettings {
        sort_by_field: Some(tantivy::IndexSortByField {
            field: "order".to_owned(),
            order: tantivy::Order::Asc,
        }),
        ..tantivy::IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(staging.path())?;
    // The build's tokenizers analyze each passage once for its three analyzed fields.
    analysis::register_for_build(&index);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)?;
    // The only merge is the explicit one below: a background merge would race it for the
    // same segments.
    writer.set_merge_policy(Box::new(NoMergePolicy));

    let progress = if options.progress {
        ProgressBar::new(stamps.iter().map(|stamp| stamp.size).sum())
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{spinner} indexing {bar:40} {bytes}/{total_bytes} {eta}")
            .expect("static progress template"),
    );
    let fed = feed(&listing, &places, &fields, &writer, &progress)?;
    let skipped = corpus::check_loaded(
        corpus_dir,
        fed.documents,
        fed.skipped,
        &LoadOptions {
            skip_bad_files: options.skip_bad_files,
        },
    )?;
    let passages = fed.passages;
    writer.commit()?;
    // Few segments: a search looks its terms up and sets up its scorers once a segment, and
    // block-WAND's threshold, once reached, holds for the whole segment. Merged a bounded
    // group at a time, one after the other: a merge maps all of its segments into memory,
    // and one merge of a 1 GB corpus's segments took the build's peak to 1.8 GB.
    for group in merge_groups(&index.searchable_segment_metas()?) {
        writer.merge(&group).wait()?;
    }
    // The merged segments' files stay on disk until collected: without this, a 1 GB
    // corpus's index held its 8 pre-merge segments beside the 4 merged ones (2.0 GB, not 1).
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    progress.finish_and_clear();

    let meta = IndexMeta {
        schema_version: SCHEMA_VERSION,
        fingerprint: fingerprint.clone(),
        files: stamps,
        documents: fed.documents as u64,
        passages,
        bytes: fed.bytes,
        skipped: skipped.iter().map(Error::with_causes).collect(),
    };
    let meta_path = staging.path().join(META);
    let json = serde_json::to_vec_pretty(&meta).expect("index meta serializes");
    std::fs::write(&meta_path, json).map_err(|e| Error::write(&meta_path, e))?;

    let generation = format!(
        "gen-{}-{}",
        &fingerprint[..16],
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    let generation_path = index_dir.join(&generation);
    std::fs::rename(staging.path(), &generation_path)
        .map_err(|e| Error::write(staging.path(), e))?;
    make_current(index_dir, &generation)?;
    remove_old_generations(index_dir, &generation);

    Ok(BuildSummary {
        documents: meta.documents,
        passages,
        bytes: meta.bytes,
        seconds: started.elapsed().as_secs_f64(),
        skipped,
    })
}

/// Most passages a merged segment is given: about 250 MB of text, which the bench's
/// corpus of that size merges into one segment.
const MERGED_SEGMENT_PASSAGES: u32 = 650_000;

/// The segments to merge, in groups of at most [`MERGED_SEGMENT_PASSAGES`] passages (a
/// larger segment stays as it is); only groups of two or more.
fn merge_groups(metas: &[tantivy::index::SegmentMeta]) -> Vec<Vec<tantivy::index::SegmentId>> {
    let mut groups: Vec<(u32, Vec<tantivy::index::SegmentId>)> = Vec::new();
    for meta in metas {
        let docs = meta.num_docs();
        match groups.last_mut() {
            Some((size, ids)) if *size + docs <= MERGED_SEGMENT_PASSAGES => {
                *size += docs;
                ids.push(meta.id());
            }
            _ => groups.push((docs, vec![meta.id()])),
        }
    }
    groups
        .into_iter()
        .map(|(_, ids)| ids)
        .filter(|ids| ids.len() > 1)
        .collect()
}

/// Text read and prepared per step of the pipeline below: enough to keep both cores busy,
/// little enough that a build's memory does not grow with the corpus.
const CHUNK_BYTES: u64 = 32 << 20;

/// Where each passage goes in corpus order, from its document's place: sessions in order
/// (a document of no known session first), a session's documents by id, a document's
/// passages in order. Its `order` key is that place as one number, so tantivy's index
/// sorting puts passages in corpus order whatever order the build reads the files in.
struct CorpusPlaces {
    /// Each file's rank among the ids, in file order (`None` for a file without an id).
    ranks: Vec<Option<u64>>,
}

/// Bits of the `order` key for a passage's place in its document, and for a document's
/// rank among the ids; the session takes the rest.
const PASSAGE_BITS: u32 = 26;
const RANK_BITS: u32 = 22;
const SESSION_BITS: u32 = 64 - PASSAGE_BITS - RANK_BITS;

impl CorpusPlaces {
    fn new(corpus_dir: &Path, listing: &Listing) -> Result<CorpusPlaces> {
        if listing.len() as u64 >= 1 << RANK_BITS {
            return Err(Error::CorpusDir {
                path: corpus_dir.to_owned(),
                reason: format!(
                    "it has {} files; an index holds at most {}",
                    listing.len(),
                    (1u64 << RANK_BITS) - 1
                ),
            });
        }
        let mut by_id: Vec<(&str, usize)> = (0..listing.len())
            .filter_map(|i| listing.id(i).map(|id| (id, i)))
            .collect();
        by_id.sort_unstable();
        let mut ranks = vec![None; listing.len()];
        for (rank, (_, i)) in by_id.into_iter().enumerate() {
            ranks[i] = Some(rank as u64);
        }
        Ok(CorpusPlaces { ranks })
    }

    /// The `order` key of passage `ordinal` of file `file`, whose document is of `session`;
    /// the reason as a bad file's when the place does not fit in the key.
    fn key(&self, file: usize, session: Option<u64>, ordinal: u64) -> Result<u64, String> {
        let session = match session {
            None => 0,
            Some(s) if s < (1 << SESSION_BITS) - 1 => s + 1,
            Some(s) => {
                return Err(format!(
                    "its session, {s}, is past the last an index can order"
                ))
            }
        };
        if ordinal >= 1 << PASSAGE_BITS {
            return Err(format!(
                "it has more than {} passages, more than an index can order",
                (1u64 << PASSAGE_BITS) - 1
            ));
        }
        let rank = self.ranks[file].unwrap_or_default();
        Ok(session << (RANK_BITS + PASSAGE_BITS) | rank << PASSAGE_BITS | ordinal)
    }
}

/// What [`feed`] indexed: good documents, their passages and bytes, and the bad files.
struct Fed {
    documents: usize,
    passages: u64,
    bytes: u64,
    skipped: Vec<Error>,
}

/// Indexes every file of `listing`: rayon's threads read, repair, split and describe a chunk
/// of files while this thread hands the previous chunk to tantivy's indexing threads. A bad
/// file is set aside and the others go on (the caller decides whether the build fails).
fn feed(
    listing: &Listing,
    places: &CorpusPlaces,
    fields: &Fields,
    writer: &IndexWriter,
    progress: &ProgressBar,
) -> Result<Fed> {
    let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for i in 0..listing.len() {
        bytes += listing.size(i);
        if bytes >= CHUNK_BYTES || i + 1 == listing.len() {
            chunks.push(start..i + 1);
            (start, bytes) = (i + 1, 0);
        }
    }
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Result<PreparedFile>>>(1);
        scope.spawn(move || {
            for chunk in chunks {
                // The receiver is gone when indexing failed: stop reading.
                if sender
                    .send(prepare(listing, places, chunk, fields))
                    .is_err()
                {
                    break;
                }
            }
        });
        let mut fed = Fed {
            documents: 0,
            passages: 0,
            bytes: 0,
            skipped: Vec::new(),
        };
        for files in receiver {
            for file in files {
                match file {
                    Ok(file) => {
                        fed.documents += 1;
                        fed.bytes += file.bytes;
                        fed.passages += file.passages.len() as u64;
                        for document in file.passages {
                            writer.add_document(document)?;
                        }
                        progress.inc(file.bytes);
                    }
                    Err(e) => fed.skipped.push(e),
                }
            }
        }
        Ok(fed)
    })
}

/// A file made into the tantivy documents of its passages, and its size.
struct PreparedFile {
    passages: Vec<TantivyDocument>,
    bytes: u64,
}

/// The files of `chunk` read, repaired and split in parallel, each made into the tantivy
/// documents of its passages or set aside with its error, in file order.
fn prepare(
    listing: &Listing,
    places: &CorpusPlaces,
    chunk: std::ops::Range<usize>,
    fields: &Fields,
) -> Vec<Result<PreparedFile>> {
    chunk
        .into_par_iter()
        .map(|i| {
            let (document, bytes) = listing.load(i)?;
            let passages = corpus::split_document(&document)
                .iter()
                .map(|passage| {
                    let key = places
                        .key(i, document.metadata.session, passage.ordinal)
                        .map_err(|reason| Error::BadCorpusFile {
                            path: listing.path(i).to_owned(),
                            reason,
                        })?;
                    Ok(passage_document(fields, &document, passage, key))
                })
                .collect::<Result<_>>()?;
            Ok(PreparedFile { passages, bytes })
        })
        .collect()
}

fn passage_document(
    fields: &Fields,
    document: &Document,
    passage: &Passage,
    order: u64,
) -> TantivyDocument {
    let meta = &document.metadata;
    let mut tantivy_doc = doc!(
        fields.doc => document.id.as_str(),
        fields.order => order,
        fields.passage => passage.ordinal,
        fields.text => passage.text.as_str(),
        fields.pairs => passage.text.as_str(),
        fields.words => word_count(&passage.text),
    );
    let texts = [
        (fields.symbol, &meta.symbol),
        (fields.title, &meta.title),
        (fields.date, &meta.date),
        (fields.body, &meta.body),
        (fields.kind, &meta.kind),
    ];
    for (field, value) in texts {
        if let Some(value) = value {
            tantivy_doc.add_text(field, value);
        }
    }
    if let Some(extracted) = &passage.extracted {
        tantivy_doc.add_text(fields.extracted, extracted);
    }
    if let Some(paragraph) = passage.paragraph {
        tantivy_doc.add_u64(fields.paragraph, paragraph);
    }
    if let Some(session) = meta.session {
        tantivy_doc.add_u64(fields.session, session);
        tantivy_doc.add_facet(
            fields.facets,
            Facet::from_path(["session", &session.to_string()]),
        );
    }
    let cited = citations::read(&passage.text);
    if !cited.articles.is_empty() {
        tantivy_doc.add_text(
            fields.citing,
            analysis::citing_value(&cited.articles, &passage.text),
        );
    }
    for article in cited.articles {
        let article = u64::from(article);
        tantivy_doc.add_u64(fields.articles, article);
        tantivy_doc.add_facet(
            fields.facets,
            Facet::from_path(["article", &article.to_string()]),
        );
    }
    for decision in cited.decisions {
        tantivy_doc.add_text(fields.decisions, decision);
    }
    let own_symbol = meta.symbol.as_deref().map(str::to_uppercase);
    let others = cited
        .symbols
        .iter()
        .filter(|s| Some(*s) != own_symbol.as_ref());
    for symbol in own_symbol.iter().chain(others) {
        tantivy_doc.add_text(fields.symbols, symbol);
    }
    if let Some(year) = meta.year {
        tantivy_doc.add_u64(fields.year, year);
        tantivy_doc.add_facet(fields.facets, Facet::from_path(["year", &year.to_string()]));
    }
    tantivy_doc
}

/// Words as a reader counts them: whitespace-separated runs with a letter or digit.
fn word_count(text: &str) -> u64 {
    // Arabic letters are checked first: the general Unicode lookup is slow on them.
    let letter_or_digit =
        |c: char| matches!(c, '\u{0621}'..='\u{064A}' | '0'..='9') || c.is_alphanumeric();
    text.split_whitespace()
        .filter(|w| w.chars().any(letter_or_digit))
        .count() as u64
}

/// Points `CURRENT` at `generation`: written aside, then renamed over the old one.
fn make_current(index_dir: &Path, generation: &str) -> Result<()> {
    let staged = index_dir.join(format!("{CURRENT_STAGING_PREFIX}{}", std::process::id()));
    std::fs::write(&staged, generation).map_err(|e| Error::write(&staged, e))?;
    let current = index_dir.join(CURRENT);
    std::fs::rename(&staged, &current).map_err(|e| Error::write(&current, e))
}

/// Best effort: an old generation that cannot be removed now is removed by a later build.
/// Staging directories left by a killed build go too: the build lock says none is in use.
fn remove_old_generations(index_dir: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if (name.starts_with("gen-") || name.starts_with(STAGING_PREFIX)) && name != keep {
            let _ = std::fs::remove_dir_all(entry.path());
        } else if name.starts_with(CURRENT_STAGING_PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::postings::Postings;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocSet, TERMINATED};

    use super::*;

    /// A field's terms, each with its postings: (doc, frequency, positions).
    type FieldContent = Vec<(Vec<u8>, Vec<(u32, u32, Vec<u32>)>)>;

    /// The bundled corpus indexed on one thread (so in the same order) with the analyzers
    /// `register` gives.
    fn bundled_index(register: fn(&Index)) -> Index {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let loaded = corpus::load_corpus(&corpus, &LoadOptions::default()).unwrap();
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_ram(schema);
        register(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 200 << 20).unwrap();
        for document in &loaded.documents {
            for passage in corpus::split_document(document) {
                writer
                    .add_document(passage_document(
                        &fields,
                        document,
                        &passage,
                        passage.ordinal,
                    ))
                    .unwrap();
            }
        }
        writer.commit().unwrap();
        index
    }

    /// Every term of `field` in every segment, with its postings, and every field norm.
    fn content(index: &Index, field: tantivy::schema::Field) -> (FieldContent, Vec<u8>) {
        let searcher = index.reader().unwrap().searcher();
        let (mut terms, mut norms) = (Vec::new(), Vec::new());
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).unwrap();
            let mut stream = inverted.terms().stream().unwrap();
            while stream.advance() {
                let info = stream.value();
                let option = IndexRecordOption::WithFreqsAndPositions;
                let mut postings = inverted.read_postings_from_terminfo(info, option).unwrap();
                let mut docs = Vec::new();
                while postings.doc() != TERMINATED {
                    let mut positions = Vec::new();
                    postings.positions(&mut positions);
                    docs.push((postings.doc(), postings.term_freq(), positions));
                    postings.advance();
                }
                terms.push((stream.key().to_vec(), docs));
            }
            let fieldnorms = segment.get_fieldnorms_reader(field).unwrap();
            norms.extend((0..segment.max_doc()).map(|doc| fieldnorms.fieldnorm_id(doc)));
        }
        (terms, norms)
    }

    /// The build's one-pass tokenizers index exactly what the registered analyzers index:
    /// the same terms of the three analyzed fields, in the same passages, as often, at the
    /// same positions, with the same field norms.
    #[test]
    fn order_keys_follow_sessions_then_ids_then_passages() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.txt", "a.txt", "c.txt"] {
            std::fs::write(dir.path().join(name), "نص\n").unwrap();
        }
        let listing = Listing::new(dir.path()).unwrap();
        let places = CorpusPlaces::new(dir.path(), &listing).unwrap();
        // Files are listed by name: a, b, c. No session first, then sessions in order,
        // then ids, then passages.
        let keys = [
            places.key(2, None, 7).unwrap(),
            places.key(0, Some(1), 1 << 20).unwrap(),
            places.key(1, Some(1), 0).unwrap(),
            places.key(1, Some(1), 1).unwrap(),
            places.key(0, Some(2), 0).unwrap(),
            places.key(2, Some(12), 0).unwrap(),
        ];
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        // A place past what the key holds is a bad file's reason, not a wrong order.
        assert!(places.key(0, Some(u64::MAX), 0).is_err());
        assert!(places.key(0, Some(1), 1 << PASSAGE_BITS).is_err());
    }

    #[test]
    fn one_pass_build_indexes_what_the_analyzers_index() {
        let analyzers = bundled_index(analysis::register);
        let one_pass = bundled_index(analysis::register_for_build);
        let (_, fields) = Fields::schema();
        for field in [fields.text, fields.pairs] {
            let expected = content(&analyzers, field);
            assert!(expected.0.len() > 1000, "{} terms", expected.0.len());
            assert!(content(&one_pass, field) == expected, "{field:?} differs");
        }
    }

    #[test]
    fn words_are_counted_as_a_reader_counts_them() {
        assert_eq!(word_count("الأمم المتحدة"), 2);
        assert_eq!(word_count("المادة 18 – (أ) ، CTOC/COP/2022/L.9"), 4);
        assert_eq!(word_count("— ... ،"), 0);
        assert_eq!(word_count("١٨ ٢٠٢٢ Überblick"), 3);
    }
}
