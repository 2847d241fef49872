//! The `fahras` command: parses flags and wires the stages of the library together.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use fahras::index::{self, BuildOptions};
use fahras::search::{Engine, SearchRequest, MAX_LIMIT};
use fahras::{analysis, bench, corpus, output};

/// Full-text search over the Arabic documents of the Conference of the Parties to the UN
/// Convention against Transnational Organized Crime.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Folder of the corpus documents (.txt, .pdf, .docx; with an optional manifest.toml).
    #[arg(long, global = true, default_value = "corpus")]
    corpus: PathBuf,
    /// Folder of the index.
    #[arg(long, global = true, default_value = "index")]
    index: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ranked passages matching QUERY; builds the index first when the corpus changed.
    ///
    /// Query language: words (ranked, every word counts), "quoted phrases" with optional
    /// ~N slop, -word to exclude, OR between alternatives, filters session:N year:N doc:ID
    /// article:N decision:S/N symbol:SYMBOL (or a prefix ending in *).
    Search {
        /// The query, e.g. "تسليم المجرمين" or '"المادة 18 من الاتفاقية" session:11'.
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Print the results as one JSON object.
        #[arg(long)]
        json: bool,
        /// Number of hits to show.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT as u64))]
        limit: u64,
        /// Number of hits to skip (for paging).
        #[arg(long, default_value_t = 0)]
        offset: u64,
        /// Only this session of the Conference (repeat for several).
        #[arg(long)]
        session: Vec<u64>,
        /// Only this year (repeat for several).
        #[arg(long)]
        year: Vec<u64>,
        /// Only this document id (repeat for several).
        #[arg(long)]
        doc: Vec<String>,
        /// Colour the matched words: auto (only on a terminal), always or never.
        #[arg(long, value_enum, default_value_t = Color::Auto)]
        color: Color,
        /// Index the readable corpus files and report the others instead of failing.
        #[arg(long)]
        skip_bad_files: bool,
    },
    /// Builds the index of the corpus (replacing the previous one only when complete).
    Index {
        /// Index the readable corpus files and report the others instead of failing.
        #[arg(long)]
        skip_bad_files: bool,
    },
    /// The passages citing article N of the Convention, by session, newest first; without
    /// N, how often each article is cited per session.
    Article {
        /// An article of the Convention, 1 to 41.
        #[arg(value_parser = clap::value_parser!(u64).range(1..=41))]
        number: Option<u64>,
        /// Only this session (repeat for several).
        #[arg(long)]
        session: Vec<u64>,
        /// Print the report as one JSON object (with N), or the table as one JSON array.
        #[arg(long)]
        json: bool,
    },
    /// A document's metadata, outline, and the articles, decisions and symbols it cites.
    Show {
        /// A document id (file name without .txt) or the document's own symbol.
        document: String,
        /// Print the metadata, outline and citations as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Every line the repair stage changes in a document of the corpus: its line number in
    /// the file as extracted, the passes that changed it, the line before and after.
    ///
    /// Reads only that document from the corpus folder (no index needed). Exits 0 when repair
    /// changed lines, 1 when it changed none or is switched off for the document
    /// (`repair = false` in manifest.toml).
    Repair {
        /// A document id (file name without its extension, e.g. 003_2a7d7debe43666ee) or its
        /// file name relative to the corpus folder (e.g. 003_2a7d7debe43666ee.txt).
        document: String,
        /// Print the changed lines as one JSON array of {line, before, after, passes}.
        #[arg(long)]
        json: bool,
    },
    /// Serves the search API and the web page on ADDR (until Ctrl-C or SIGTERM).
    ///
    /// Follows the corpus folder: once changes to it settle, the index is rebuilt in the
    /// background and served when complete; until then, and when a build fails, the previous
    /// index keeps serving.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Index the readable corpus files and report the others instead of failing.
        #[arg(long)]
        skip_bad_files: bool,
    },
    /// Generates a scaled corpus from the corpus folder, builds fahras, tantivy with its
    /// default analyzer and SQLite FTS5 on it, and times each query class on each.
    Bench {
        /// Corpus sizes in MB, comma-separated (e.g. 50,250,1000): one run per size.
        #[arg(long, value_delimiter = ',', default_value = "50")]
        scale_mb: Vec<f64>,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        /// Folder of the dated Markdown record (and the plot, with several sizes).
        #[arg(long, default_value = "benches/runs")]
        out: PathBuf,
        /// Scratch folder for generated corpora and indexes (emptied after each size).
        #[arg(long, default_value = "target/fahras-bench")]
        work: PathBuf,
        /// Seed of the corpus generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Shows the tokens the analyzer makes of TEXT: surface, folded form, stems, offsets.
    Analyze {
        /// The text to analyze, as a document's text or a query would be.
        text: String,
        /// Print the tokens as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(found) => ExitCode::from(if found { 0 } else { 1 }),
        Err(error) => {
            // Broken pipes (`fahras search … | head`) are not errors worth reporting.
            if error
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::from(0);
            }
            eprintln!("fahras: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs a command; `Ok(false)` means it ran but found nothing.
fn run(cli: Cli) -> anyhow::Result<bool> {
    let mut stdout = io::stdout().lock();
    match cli.command {
        Command::Search {
            query,
            json,
            limit,
            offset,
            session,
            year,
            doc,
            color,
            skip_bad_files,
        } => {
            prepare_index(&cli.corpus, &cli.index, skip_bad_files)?;
            let engine = Engine::new(index::open(&cli.index)?)?;
            let request = SearchRequest {
                query,
                sessions: session,
                years: year,
                docs: doc,
                articles: Vec::new(),
                limit: limit as usize,
                offset: usize::try_from(offset).unwrap_or(usize::MAX),
            };
            let results = engine.search(&request)?;
            if json {
                output::print_json(&results, &mut stdout)?;
            } else {
                let color = match color {
                    Color::Always => true,
                    Color::Never => false,
                    Color::Auto => io::stdout().is_terminal(),
                };
                output::print_results(&results, request.offset, &mut stdout, color)?;
            }
            stdout.flush()?;
            Ok(results.total_hits > 0)
        }
        Command::Index { skip_bad_files } => {
            let summary = index::build(&cli.corpus, &cli.index, &build_options(skip_bad_files))?;
            report_skipped(&summary.skipped);
            eprintln!("{summary}");
            Ok(true)
        }
        Command::Article {
            number,
            session,
            json,
        } => {
            prepare_index(&cli.corpus, &cli.index, false)?;
            let engine = Engine::new(index::open(&cli.index)?)?;
            let found = match number {
                Some(article) => {
                    let report = engine
                        .article(article, &session)?
                        .context("no such article of the Convention")?;
                    if json {
                        output::print_json(&report, &mut stdout)?;
                    } else {
                        output::print_article(&report, &mut stdout)?;
                    }
                    report.total_passages > 0
                }
                None => {
                    let counts = engine.article_counts()?;
                    if json {
                        output::print_json(&counts, &mut stdout)?;
                    } else {
                        output::print_article_counts(&counts, &mut stdout)?;
                    }
                    counts.iter().any(|c| c.total_passages > 0)
                }
            };
            stdout.flush()?;
            Ok(found)
        }
        Command::Show { document, json } => {
            prepare_index(&cli.corpus, &cli.index, false)?;
            let engine = Engine::new(index::open(&cli.index)?)?;
            let view = engine
                .find_document(&document)?
                .with_context(|| format!("no document has the id or symbol `{document}`"))?;
            let outline = view.outline();
            if json {
                output::print_json(&outline, &mut stdout)?;
            } else {
                output::print_outline(&outline, &mut stdout)?;
            }
            stdout.flush()?;
            Ok(true)
        }
        Command::Repair { document, json } => {
            let found = corpus::find_document(&cli.corpus, &document)?.with_context(|| {
                format!(
                    "no document in {} has the id or file name `{document}`",
                    cli.corpus.display()
                )
            })?;
            let changes = found
                .extracted
                .as_ref()
                .map_or(&[][..], |extracted| &extracted.changes[..]);
            if json {
                if !found.repair {
                    eprintln!("fahras: {}", output::repair_off(&found.file));
                }
                output::print_json(&changes, &mut stdout)?;
            } else {
                output::print_repair(&found.file, found.repair, changes, &mut stdout)?;
            }
            stdout.flush()?;
            Ok(!changes.is_empty())
        }
        Command::Serve {
            addr,
            skip_bad_files,
        } => {
            prepare_index(&cli.corpus, &cli.index, skip_bad_files)?;
            tracing_subscriber::fmt()
                .with_writer(io::stderr)
                .with_ansi(io::stderr().is_terminal())
                .with_target(false)
                .init();
            // Without a corpus folder there is nothing to follow: the index is served as it is.
            let follow = cli.corpus.is_dir().then(|| fahras::serve::Corpus {
                dir: cli.corpus.clone(),
                skip_bad_files,
            });
            fahras::serve::run(addr, &cli.index, follow)?;
            Ok(true)
        }
        Command::Bench {
            scale_mb,
            json,
            out,
            work,
            seed,
        } => {
            let options = bench::BenchOptions {
                seed_corpus: cli.corpus,
                scales_mb: scale_mb,
                out,
                work,
                seed,
                fahras_exe: std::env::current_exe().context("cannot find the fahras binary")?,
                command: std::env::args().collect::<Vec<_>>().join(" "),
            };
            let (report, written) = bench::run(&options)?;
            if json {
                output::print_json(&report, &mut stdout)?;
            } else {
                write!(stdout, "{}", bench::report::markdown(&report))?;
            }
            eprintln!("wrote {}", written.record.display());
            if let Some(plot) = written.plot {
                eprintln!("wrote {}", plot.display());
            }
            stdout.flush()?;
            Ok(true)
        }
        Command::Analyze { text, json } => {
            let tokens = analysis::analyze(&text);
            if json {
                output::print_json(&tokens, &mut stdout)?;
            } else {
                output::print_tokens(&tokens, &mut stdout)?;
            }
            Ok(!tokens.is_empty())
        }
    }
}

fn build_options(skip_bad_files: bool) -> BuildOptions {
    BuildOptions {
        skip_bad_files,
        progress: io::stderr().is_terminal(),
    }
}

/// Builds the index on first use and whenever the corpus changed. Without a corpus folder
/// an existing index is searched as it is, with a warning (a mistyped `--corpus` should not
/// pass unnoticed).
fn prepare_index(corpus: &Path, index_dir: &Path, skip_bad_files: bool) -> anyhow::Result<()> {
    if !corpus.is_dir() {
        anyhow::ensure!(
            index::exists(index_dir),
            "there is no index in {} and no corpus folder {} to build one from; run `fahras index --corpus DIR --index {}`",
            index_dir.display(),
            corpus.display(),
            index_dir.display()
        );
        eprintln!(
            "fahras: warning: there is no corpus folder {}, so the index in {} is used as it was last built",
            corpus.display(),
            index_dir.display()
        );
        report_left_out(&index::left_out(index_dir));
        return Ok(());
    }
    let built = index::ensure_fresh(corpus, index_dir, &build_options(skip_bad_files))
        .with_context(|| format!("cannot index {}", corpus.display()))?;
    match built {
        Some(summary) => {
            report_skipped(&summary.skipped);
            eprintln!("{summary}");
        }
        // An index built with --skip-bad-files says what it left out every time it is used.
        None => report_left_out(&index::left_out(index_dir)),
    }
    Ok(())
}

fn report_left_out(left_out: &[String]) {
    if left_out.is_empty() {
        return;
    }
    eprintln!(
        "fahras: warning: the index leaves out {} (fix or remove {}, and the next search rebuilds it):",
        output::counted(left_out.len() as u64, "unreadable corpus file", "unreadable corpus files"),
        if left_out.len() == 1 { "it" } else { "them" }
    );
    for file in left_out {
        eprintln!("  {file}");
    }
}

fn report_skipped(skipped: &[fahras::Error]) {
    for error in skipped {
        eprintln!("fahras: skipped {}", error.with_causes());
    }
}
