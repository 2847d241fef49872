//! Building an index generation from the corpus: list the files and plan them in corpus
//! order, in chunks; each thread takes the next chunk, reads, repairs and splits its files,
//! and writes their passages in corpus order into a segment of its own; the segments, runs
//! of corpus order one after the other, are stacked into few by tantivy's merge; then the
//! generation is swapped in atomically.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use tantivy::indexer::{AddOperation, NoMergePolicy, SegmentWriter};
use tantivy::schema::Facet;
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

use super::{fingerprint, Fields, IndexMeta, CURRENT, META, SCHEMA_VERSION};
use crate::corpus::{self, citations, Document, Listing, LoadOptions, Passage};
use crate::{analysis, Error, Result};

const BUILD_LOCK: &str = ".build.lock";
const STAGING_PREFIX: &str = ".build-";
/// `CURRENT` is written under this name first, then renamed.
const CURRENT_STAGING_PREFIX: &str = "CURRENT.tmp-";

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
    // No index sorting: the build writes every segment in corpus order itself (see
    // `write_segments`), where tantivy's sorting wrote each segment's stored text twice and
    // merged segments passage by passage.
    let index = Index::builder()
        .schema(schema)
        .create_in_dir(staging.path())?;
    // The build's tokenizers analyze each passage once for its three analyzed fields.
    analysis::register_for_build(&index);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    // It commits and merges the segments written below; its own indexing thread is given
    // no passage, so it never allocates its budget.
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MIN_MEMORY)?;
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
    let chunks = plan_chunks(&listing, &places, threads, CHUNK_BYTES);
    let written = write_segments(
        &index, &listing, &places, &fields, &chunks, threads, &progress,
    )?;
    let skipped = corpus::check_loaded(
        corpus_dir,
        written.documents,
        written.skipped.into_iter().map(|(_, e)| e).collect(),
        &LoadOptions {
            skip_bad_files: options.skip_bad_files,
        },
    )?;
    let passages = written.passages;
    for segment in &written.segments {
        writer.add_segment(segment.meta.clone())?;
    }
    writer.commit()?;
    // Few segments: a search looks its terms up and sets up its scorers once a segment, and
    // block-WAND's threshold, once reached, holds for the whole segment. Merged a bounded
    // group at a time, one after the other: a merge maps all of its segments into memory,
    // and one merge of a 1 GB corpus's segments took the build's peak to 1.8 GB.
    for group in merge_groups(&written.segments) {
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
        documents: written.documents as u64,
        passages,
        bytes: written.bytes,
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
/// larger segment stays as it is); only groups of two or more. A group's segments hold
/// runs of corpus order one after the other, so that merging them in the group's order,
/// which stacks them, keeps the merged segment in corpus order; a segment whose run
/// overlaps its neighbour's starts a group of its own.
fn merge_groups(segments: &[WrittenSegment]) -> Vec<Vec<tantivy::index::SegmentId>> {
    let mut by_place: Vec<&WrittenSegment> = segments.iter().collect();
    by_place.sort_by_key(|segment| segment.first);
    let mut groups: Vec<(u32, u64, Vec<tantivy::index::SegmentId>)> = Vec::new();
    for segment in by_place {
        let docs = segment.meta.num_docs();
        match groups.last_mut() {
            Some((size, last, ids))
                if *size + docs <= MERGED_SEGMENT_PASSAGES && *last < segment.first =>
            {
                *size += docs;
                *last = segment.last;
                ids.push(segment.meta.id());
            }
            _ => groups.push((docs, segment.last, vec![segment.meta.id()])),
        }
    }
    groups
        .into_iter()
        .map(|(_, _, ids)| ids)
        .filter(|ids| ids.len() > 1)
        .collect()
}

/// Text read and written into one segment by one thread at a time: enough that a 1 GB
/// corpus makes few segments to merge, little enough that a build's memory does not grow
/// with the corpus.
const CHUNK_BYTES: u64 = 32 << 20;

/// Memory budget of one segment being written: past it, the segment is closed and the
/// chunk goes on in a new one.
const SEGMENT_MEMORY: usize = 128 << 20;

/// What the writer needs when it is given no passage itself (tantivy's least budget).
const WRITER_MIN_MEMORY: usize = 15 << 20;

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

/// The files of `listing` in chunks of about `chunk_bytes`, in the order the index holds
/// them: by session (files of none first), then by id. A session the manifest does not
/// give is read from the file's text, which costs a second reading of that file (the bench's
/// corpus: its working-group reports, one file in 12): a plan by the manifest alone put
/// those files first, and every chunk then held passages of every session, so that no two
/// segments could be stacked. As many chunks as a multiple of `threads`, of
/// even size, so that the threads finish together.
fn plan_chunks(
    listing: &Listing,
    places: &CorpusPlaces,
    threads: usize,
    chunk_bytes: u64,
) -> Vec<Vec<usize>> {
    // In parallel: a file whose session the manifest does not give is read for it.
    let mut files: Vec<(u64, usize, u64)> = (0..listing.len())
        .into_par_iter()
        .map(|i| {
            let place = places.key(i, listing.session(i), 0).unwrap_or(u64::MAX);
            (place, i, listing.size(i))
        })
        .collect();
    files.sort_unstable();
    let total: u64 = files.iter().map(|&(_, _, size)| size).sum();
    let count = total
        .div_ceil(chunk_bytes.max(1))
        .max(1)
        .next_multiple_of(threads as u64);
    let target = total.div_ceil(count).max(1);
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    let mut bytes = target;
    for (_, i, size) in files {
        if bytes >= target {
            chunks.push(Vec::new());
            bytes = 0;
        }
        chunks.last_mut().expect("a chunk was just pushed").push(i);
        bytes += size;
    }
    chunks
}

/// What [`write_segments`] (or one chunk) indexed: good documents, their passages and
/// bytes, the bad files with their place in the listing, and the segments written.
#[derive(Default)]
struct Written {
    documents: usize,
    passages: u64,
    bytes: u64,
    skipped: Vec<(usize, Error)>,
    segments: Vec<WrittenSegment>,
}

/// A segment written and closed, not yet added to the index, and the `order` keys of its
/// first and last passages (its passages are in key order).
struct WrittenSegment {
    meta: tantivy::index::SegmentMeta,
    first: u64,
    last: u64,
}

/// Writes the segments of every chunk: each of `threads` threads takes the next chunk,
/// reads, repairs and splits its files, sorts their passages into corpus order and writes
/// them into a segment of its own (tantivy's segment writer, as its indexing threads use
/// it). Chunks are planned in corpus order, so the segments hold runs of it one after the
/// other, and merging them needs no sorting. A bad file is set aside and the others go on
/// (the caller decides whether the build fails); the first other error stops the build.
fn write_segments(
    index: &Index,
    listing: &Listing,
    places: &CorpusPlaces,
    fields: &Fields,
    chunks: &[Vec<usize>],
    threads: usize,
    progress: &ProgressBar,
) -> Result<Written> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let mut done: Vec<(usize, Result<Written>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(chunks.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        let Some(chunk) = chunks.get(c) else { break };
                        let written = write_chunk(index, listing, places, fields, chunk);
                        match &written {
                            Ok(written) => progress.inc(written.bytes),
                            Err(_) => failed.store(true, Ordering::Relaxed),
                        }
                        done.push((c, written));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_unstable_by_key(|(c, _)| *c);
    let mut written = Written::default();
    for (_, chunk) in done {
        let chunk = chunk?;
        written.documents += chunk.documents;
        written.passages += chunk.passages;
        written.bytes += chunk.bytes;
        written.segments.extend(chunk.segments);
        written.skipped.extend(chunk.skipped);
    }
    // Bad files are reported in file order, as a load reports them.
    written.skipped.sort_unstable_by_key(|(i, _)| *i);
    Ok(written)
}

/// The files `chunk` read, their passages sorted by place and written into segments.
fn write_chunk(
    index: &Index,
    listing: &Listing,
    places: &CorpusPlaces,
    fields: &Fields,
    chunk: &[usize],
) -> Result<Written> {
    let mut written = Written::default();
    let mut placed: Vec<(u64, TantivyDocument)> = Vec::new();
    for &i in chunk {
        match prepare(listing, places, fields, i) {
            Ok(file) => {
                written.documents += 1;
                written.bytes += file.bytes;
                placed.extend(file.passages);
            }
            Err(e) => written.skipped.push((i, e)),
        }
    }
    // Sorted here, a segment is in corpus order even when a file changed since it was
    // planned.
    placed.sort_unstable_by_key(|&(key, _)| key);
    written.passages = placed.len() as u64;
    let mut open: Option<OpenSegment> = None;
    for (key, document) in placed {
        let segment = match &mut open {
            Some(segment) => segment,
            None => open.insert(OpenSegment::new(index, key)?),
        };
        segment.add(key, document)?;
        if segment.writer.mem_usage() >= SEGMENT_MEMORY {
            written
                .segments
                .extend(open.take().map(OpenSegment::close).transpose()?);
        }
    }
    written
        .segments
        .extend(open.map(OpenSegment::close).transpose()?);
    Ok(written)
}

/// A segment being written, and the keys of its first and last passages so far.
struct OpenSegment {
    segment: tantivy::index::Segment,
    writer: SegmentWriter,
    first: u64,
    last: u64,
}

impl OpenSegment {
    fn new(index: &Index, first: u64) -> Result<OpenSegment> {
        let segment = index.new_segment();
        let writer = SegmentWriter::for_segment(SEGMENT_MEMORY, segment.clone())?;
        Ok(OpenSegment {
            segment,
            writer,
            first,
            last: first,
        })
    }

    fn add(&mut self, key: u64, document: TantivyDocument) -> Result<()> {
        // Opstamps order deletes against additions; a build deletes nothing.
        self.writer.add_document(AddOperation {
            opstamp: 0,
            document,
        })?;
        self.last = key;
        Ok(())
    }

    /// The segment written to disk, as tantivy's indexing threads close theirs.
    fn close(self) -> Result<WrittenSegment> {
        let max_doc = self.writer.max_doc();
        self.writer.finalize()?;
        let meta = self.segment.with_max_doc(max_doc).meta().clone();
        Ok(WrittenSegment {
            meta,
            first: self.first,
            last: self.last,
        })
    }
}

/// A file made into the tantivy documents of its passages, each with its `order` key, and
/// its size.
struct PreparedFile {
    passages: Vec<(u64, TantivyDocument)>,
    bytes: u64,
}

/// File `i` read, repaired and split, made into the tantivy documents of its passages.
fn prepare(
    listing: &Listing,
    places: &CorpusPlaces,
    fields: &Fields,
    i: usize,
) -> Result<PreparedFile> {
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
            Ok((key, passage_document(fields, &document, passage, key)))
        })
        .collect::<Result<_>>()?;
    Ok(PreparedFile { passages, bytes })
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

    /// Chunks written by different threads, merged by stacking: every segment of a build
    /// holds its passages in corpus order (what ties and session runs rely on), and chunks
    /// planned by session give segments that stack into one.
    #[test]
    fn a_build_writes_its_segments_in_corpus_order() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let listing = Listing::new(&corpus).unwrap();
        let places = CorpusPlaces::new(&corpus, &listing).unwrap();
        // Small chunks: one file each, as a large corpus's chunks hold many.
        let chunks = plan_chunks(&listing, &places, 2, 1);
        assert_eq!(chunks.len(), listing.len());
        let index_dir = tempfile::tempdir().unwrap();
        build(&corpus, index_dir.path(), &BuildOptions::default()).unwrap();
        let index = super::super::open(index_dir.path()).unwrap().index;
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        for segment in searcher.segment_readers() {
            let order = segment.fast_fields().u64("order").unwrap();
            let keys: Vec<u64> = (0..segment.max_doc())
                .map(|doc| order.first(doc).unwrap())
                .collect();
            assert!(keys.len() > 100, "{} passages", keys.len());
            assert!(keys.windows(2).all(|w| w[0] < w[1]));
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
