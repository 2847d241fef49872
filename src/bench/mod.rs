//! `fahras bench`: for each requested size, generate a scaled corpus from the seed corpus
//! ([`corpus`]), build fahras's index in a child `fahras index` process (so its peak memory
//! is its own) and the peers' indexes ([`peers`]), time every query class on each engine
//! ([`queries`]), and write the record ([`report`]).
//!
//! Errors here are `anyhow`: the benchmark is run by a person, who needs context, not a
//! type to match on.

pub mod corpus;
pub mod peers;
pub mod queries;
pub mod report;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use crate::index;
use crate::search::Engine;
use queries::{BenchEngine, Class};
use report::{BenchReport, CorpusFacts, EngineRun, SizeRun};

#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The corpus the generated text is made from.
    pub seed_corpus: PathBuf,
    /// Corpus sizes to run, in MB (10^6 bytes).
    pub scales_mb: Vec<f64>,
    /// Where the dated Markdown record and the plot go.
    pub out: PathBuf,
    /// Scratch folder for the generated corpora and indexes (emptied after each size).
    pub work: PathBuf,
    pub seed: u64,
    /// The `fahras` binary that builds the index in a child process.
    pub fahras_exe: PathBuf,
    /// The command line, for the record.
    pub command: String,
}

/// Where a run's outputs were written.
#[derive(Debug)]
pub struct Written {
    pub record: PathBuf,
    pub plot: Option<PathBuf>,
}

pub fn run(options: &BenchOptions) -> anyhow::Result<(BenchReport, Written)> {
    anyhow::ensure!(
        !options.scales_mb.is_empty() && options.scales_mb.iter().all(|&mb| mb > 0.0),
        "--scale-mb needs sizes above 0"
    );
    let mut runs = Vec::new();
    for &mb in &options.scales_mb {
        runs.push(run_size(options, mb)?);
    }
    let report = BenchReport {
        date: utc_date(),
        machine: machine(),
        command: options.command.clone(),
        seed: options.seed,
        growth: report::growth(&runs),
        runs,
    };
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("cannot create {}", options.out.display()))?;
    let sizes: Vec<String> = options.scales_mb.iter().map(|mb| format!("{mb}")).collect();
    let record = options
        .out
        .join(format!("{}-{}mb.md", report.date, sizes.join("-")));
    std::fs::write(&record, report::markdown(&report))
        .with_context(|| format!("cannot write {}", record.display()))?;
    let plot = if report.runs.len() >= 2 {
        let path = options.out.join("latency.svg");
        std::fs::write(&path, report::svg(&report))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Some(path)
    } else {
        None
    };
    Ok((report, Written { record, plot }))
}

fn run_size(options: &BenchOptions, mb: f64) -> anyhow::Result<SizeRun> {
    let work = options.work.join(format!("{mb}mb"));
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .with_context(|| format!("cannot empty {}", work.display()))?;
    }
    let corpus_dir = work.join("corpus");
    eprintln!(
        "bench {mb} MB: generating the corpus in {}",
        corpus_dir.display()
    );
    let generated = corpus::generate(
        &options.seed_corpus,
        &corpus_dir,
        (mb * 1e6) as u64,
        options.seed,
    )?;

    eprintln!("bench {mb} MB: building the fahras index");
    let fahras_index = work.join("fahras-index");
    let (build_seconds, peak_rss_mb) =
        build_in_child(&options.fahras_exe, &corpus_dir, &fahras_index)?;
    let engine = peers::Fahras::new(Engine::new(index::open(&fahras_index)?)?);
    let mut engines = vec![measure_engine(
        "fahras",
        &engine,
        &generated,
        build_seconds,
        Some(peak_rss_mb),
        dir_bytes(&fahras_index),
    )?];
    drop(engine);

    eprintln!("bench {mb} MB: building tantivy with its default analyzer");
    let tantivy_dir = work.join("tantivy-default");
    let (tantivy, seconds) = peers::TantivyDefault::build(&corpus_dir, &tantivy_dir)?;
    engines.push(measure_engine(
        "tantivy default",
        &tantivy,
        &generated,
        seconds,
        None,
        dir_bytes(&tantivy_dir),
    )?);
    drop(tantivy);

    eprintln!("bench {mb} MB: building SQLite FTS5");
    let fts5_path = work.join("fts5.sqlite");
    let (fts5, seconds) = peers::Fts5::build(&corpus_dir, &fts5_path)?;
    engines.push(measure_engine(
        "sqlite fts5",
        &fts5,
        &generated,
        seconds,
        None,
        dir_bytes(&fts5_path),
    )?);
    drop(fts5);

    std::fs::remove_dir_all(&work).with_context(|| format!("cannot remove {}", work.display()))?;
    Ok(SizeRun {
        target_mb: mb,
        ratios: report::ratios(&engines),
        engines,
        corpus: CorpusFacts {
            bytes: generated.bytes,
            documents: generated.documents,
            passages: generated.passages,
            distinct_words: generated.distinct_words,
            rare_terms: generated.rare_names,
        },
    })
}

fn measure_engine(
    name: &str,
    engine: &dyn BenchEngine,
    generated: &corpus::GeneratedCorpus,
    build_seconds: f64,
    build_peak_rss_mb: Option<f64>,
    index_bytes: u64,
) -> anyhow::Result<EngineRun> {
    eprintln!("  timing {name}");
    let classes = Class::ALL
        .iter()
        .map(|&class| {
            let queries = queries::class_queries(class, &generated.rare_names);
            queries::measure(engine, class, &queries)
                .with_context(|| format!("{name}: {} queries", class.name()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(EngineRun {
        engine: name.to_owned(),
        build_seconds,
        mb_per_second: generated.bytes as f64 / 1e6 / build_seconds,
        build_peak_rss_mb,
        index_bytes,
        index_to_text: index_bytes as f64 / generated.bytes as f64,
        classes,
        variant_agreement: queries::variant_agreement(engine)?,
    })
}

/// Runs `fahras index` on the corpus in a child process; its wall time (reading the files
/// included) and peak resident memory (`ru_maxrss` of the waited-for children).
fn build_in_child(exe: &Path, corpus_dir: &Path, index_dir: &Path) -> anyhow::Result<(f64, f64)> {
    let started = Instant::now();
    let output = std::process::Command::new(exe)
        .arg("--corpus")
        .arg(corpus_dir)
        .arg("--index")
        .arg(index_dir)
        .arg("index")
        .output()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        output.status.success(),
        "`fahras index` failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    eprintln!("  {}", String::from_utf8_lossy(&output.stderr).trim());
    Ok((seconds, children_peak_rss_mb()))
}

/// The largest peak RSS of the child processes waited for so far, in MB.
fn children_peak_rss_mb() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    // Linux reports kilobytes.
    usage.ru_maxrss as f64 * 1024.0 / 1e6
}

/// Bytes of a file, or of every file under a directory.
fn dir_bytes(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| dir_bytes(&e.path()))
                .sum()
        })
        .unwrap_or(0)
}

/// The CPU model and the number of cores, as Linux names them.
fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{model}, {cores} cores")
}

/// Today's date in UTC, `YYYY-MM-DD` (civil-from-days, after Howard Hinnant).
fn utc_date() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (seconds / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
