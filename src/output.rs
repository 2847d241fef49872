//! Printers over the one result type: JSON (the stable contract) and human text (colour on
//! a terminal, plain when piped).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::analysis::AnalyzedToken;
use crate::repair::LineChange;
use crate::search::articles::{ArticleCount, ArticleReport};
use crate::search::browse::{DocumentOutline, OutlineEntry};
use crate::search::{Hit, SearchResults};

/// Right-to-left isolate around Arabic snippets, so bidi-aware terminals lay them out RTL
/// without disturbing the left-to-right metadata line.
const RLI: char = '\u{2067}';
const PDI: char = '\u{2069}';

const MATCH: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const HEADING: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
const NONE: Style = Style::new();

/// `n` and the noun phrase that agrees with it: "1 passage", "3 passages".
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn print_json<T: serde::Serialize>(value: &T, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Ranked hits, each with where it comes from and its snippet; ranks count from `offset`.
pub fn print_results(
    results: &SearchResults,
    offset: usize,
    out: &mut impl Write,
    color: bool,
) -> io::Result<()> {
    let (matched, heading) = if color {
        (MATCH, HEADING)
    } else {
        (NONE, NONE)
    };
    let sessions: Vec<String> = results
        .by_session
        .iter()
        .map(|(session, count)| format!("{session}: {count}"))
        .collect();
    write!(
        out,
        "{} ({:.1} ms)",
        counted(results.total_hits, "passage matches", "passages match"),
        results.took_ms
    )?;
    if !sessions.is_empty() {
        write!(out, "; by session {}", sessions.join(", "))?;
    }
    writeln!(out)?;
    for (rank, hit) in (offset + 1..).zip(&results.hits) {
        writeln!(out)?;
        writeln!(out, "{heading}{rank}. {}{heading:#}", describe(hit, true))?;
        write!(out, "   ")?;
        if color {
            write!(out, "{RLI}")?;
        }
        let mut at = 0;
        for &[start, end] in &hit.snippet_highlights {
            write!(out, "{}", one_line(&hit.snippet[at..start]))?;
            write!(
                out,
                "{matched}{}{matched:#}",
                one_line(&hit.snippet[start..end])
            )?;
            at = end;
        }
        write!(out, "{}", one_line(&hit.snippet[at..]))?;
        if color {
            write!(out, "{PDI}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `doc · link · session N · year · passage P ¶N · score S`, leaving out what is unknown;
/// a place alone (`ranked` false) is `doc · link · passage P ¶N`.
fn describe(hit: &Hit, ranked: bool) -> String {
    let mut parts = vec![hit.doc.clone()];
    // The symbol as a link to the document on the UN's document system.
    parts.extend(hit.url.clone().or_else(|| hit.symbol.clone()));
    if ranked {
        parts.extend(hit.session.map(|s| format!("session {s}")));
        parts.extend(hit.year.map(|y| y.to_string()));
    }
    let mut passage = format!("passage {}", hit.passage);
    if let Some(paragraph) = hit.paragraph {
        passage.push_str(&format!(" ¶{paragraph}"));
    }
    parts.push(passage);
    if ranked {
        parts.push(format!("score {:.2}", hit.score));
    }
    parts.join(" · ")
}

/// Snippets span line breaks and justification runs of spaces; shown on one line with
/// single spaces (the JSON keeps the original).
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    let mut after_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !after_space {
                line.push(' ');
            }
            after_space = true;
        } else {
            line.push(c);
            after_space = false;
        }
    }
    line
}

/// The passages citing an article, session by session.
pub fn print_article(report: &ArticleReport, out: &mut impl Write) -> io::Result<()> {
    let title = &report.title;
    writeln!(
        out,
        "Article {} · {} · {}{}",
        title.article,
        title.english,
        title.arabic,
        if title.arabic_is_translation {
            " (our translation)"
        } else {
            ""
        }
    )?;
    let sessions = report
        .sessions
        .iter()
        .filter(|s| s.session.is_some())
        .count();
    writeln!(
        out,
        "{} it, in {}",
        counted(report.total_passages, "passage cites", "passages cite"),
        counted(sessions as u64, "session", "sessions")
    )?;
    for group in &report.sessions {
        writeln!(out)?;
        let passages = counted(group.passages.len() as u64, "passage", "passages");
        match group.session {
            Some(session) => writeln!(out, "Session {session} ({passages})")?,
            None => writeln!(out, "Outside the sessions ({passages})")?,
        }
        for hit in &group.passages {
            writeln!(out, "  {}", describe(hit, false))?;
            writeln!(out, "     {}", one_line(&hit.snippet))?;
        }
    }
    Ok(())
}

/// Articles by citations: one row per article, one column per session.
pub fn print_article_counts(counts: &[ArticleCount], out: &mut impl Write) -> io::Result<()> {
    let sessions: std::collections::BTreeSet<u64> = counts
        .iter()
        .flat_map(|c| c.by_session.keys().copied())
        .collect();
    // Passages of no session get a column of their own when there are any.
    let sessionless = counts.iter().any(|c| c.without_session > 0);
    write!(out, "article\ttotal")?;
    for session in &sessions {
        write!(out, "\ts{session}")?;
    }
    if sessionless {
        write!(out, "\tno session")?;
    }
    writeln!(out, "\ttitle")?;
    for count in counts {
        write!(out, "{}\t{}", count.title.article, count.total_passages)?;
        for session in &sessions {
            write!(
                out,
                "\t{}",
                count.by_session.get(session).copied().unwrap_or(0)
            )?;
        }
        if sessionless {
            write!(out, "\t{}", count.without_session)?;
        }
        writeln!(out, "\t{} · {}", count.title.english, count.title.arabic)?;
    }
    Ok(())
}

/// A document's metadata, outline and citations.
pub fn print_outline(outline: &DocumentOutline, out: &mut impl Write) -> io::Result<()> {
    let meta = &outline.meta;
    writeln!(out, "{}", meta.doc)?;
    let facts = [
        ("symbol", meta.symbol.clone()),
        ("url", meta.url.clone()),
        ("title", meta.title.clone()),
        ("session", meta.session.map(|s| s.to_string())),
        ("year", meta.year.map(|y| y.to_string())),
        ("date", meta.date.clone()),
        ("body", meta.body.clone()),
        ("kind", meta.kind.clone()),
        ("passages", Some(outline.passages.to_string())),
    ];
    for (name, value) in facts {
        if let Some(value) = value {
            writeln!(out, "  {name}: {value}")?;
        }
    }
    writeln!(out, "\noutline")?;
    for entry in &outline.outline {
        match entry {
            OutlineEntry::Heading { passage, text } => {
                writeln!(out, "  {}  (passage {passage})", one_line(text))?
            }
            OutlineEntry::Paragraphs {
                first,
                last,
                passage,
            } if first == last => writeln!(out, "    ¶{first}  (passage {passage})")?,
            OutlineEntry::Paragraphs {
                first,
                last,
                passage,
            } => writeln!(out, "    ¶{first}–¶{last}  (from passage {passage})")?,
        }
    }
    let cited = |counts: Vec<String>| {
        if counts.is_empty() {
            "none".to_owned()
        } else {
            counts.join(", ")
        }
    };
    let articles = outline
        .articles
        .iter()
        .map(|(article, n)| format!("{article} ×{n}"))
        .collect();
    writeln!(
        out,
        "\narticles of the Convention cited: {}",
        cited(articles)
    )?;
    let decisions = outline
        .decisions
        .iter()
        .map(|(d, n)| format!("{d} ×{n}"))
        .collect();
    writeln!(out, "decisions cited: {}", cited(decisions))?;
    let symbols = outline
        .symbols
        .iter()
        .map(|(s, n)| format!("{s} ×{n}"))
        .collect();
    writeln!(out, "documents cited: {}", cited(symbols))?;
    Ok(())
}

/// The sentence that says the manifest switched repair off for `file`.
pub fn repair_off(file: &str) -> String {
    format!(
        "repair is off for {file} (`repair = false` in manifest.toml): it is indexed as extracted"
    )
}

/// The lines repair changed in `file`: `line N (passes)`, then `- before` and `+ after`.
pub fn print_repair(
    file: &str,
    repair: bool,
    changes: &[LineChange],
    out: &mut impl Write,
) -> io::Result<()> {
    if !repair {
        return writeln!(out, "{}", repair_off(file));
    }
    match changes.len() {
        0 => return writeln!(out, "{file}: repair changed no line"),
        1 => writeln!(out, "{file}: repair changed 1 line")?,
        n => writeln!(out, "{file}: repair changed {n} lines")?,
    }
    for change in changes {
        let passes: Vec<&str> = change.passes.iter().map(|pass| pass.name()).collect();
        writeln!(out)?;
        writeln!(out, "line {} ({})", change.line, passes.join(", "))?;
        writeln!(out, "- {}", change.before)?;
        writeln!(out, "+ {}", change.after)?;
    }
    Ok(())
}

/// One row per token: what the analyzer made of the text, and why something matches.
pub fn print_tokens(tokens: &[AnalyzedToken], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "pos\tbytes\tsurface\tfolded\tstems")?;
    for token in tokens {
        writeln!(
            out,
            "{}\t{}..{}\t{}\t{}\t{}",
            token.position,
            token.offset_from,
            token.offset_to,
            token.surface,
            token.folded,
            token.stems.join(" ")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn results() -> SearchResults {
        let snippet = "…تسليم   المجرمين\nوالمساعدة";
        let start = "…".len();
        SearchResults {
            query: "تسليم".into(),
            total_hits: 1,
            took_ms: 0.5,
            by_session: BTreeMap::from([(10, 1)]),
            by_year: BTreeMap::from([(2020, 1)]),
            by_article: BTreeMap::new(),
            hits: vec![Hit {
                doc: "004".into(),
                symbol: None,
                url: None,
                session: Some(10),
                year: None,
                title: None,
                passage: 3,
                score: 2.0,
                text: String::new(),
                extracted: None,
                snippet: snippet.into(),
                highlights: Vec::new(),
                paragraph: Some(12),
                snippet_highlights: vec![[start, start + "تسليم".len()]],
            }],
        }
    }

    fn printed(color: bool) -> String {
        let mut out = Vec::new();
        print_results(&results(), 4, &mut out, color).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_output_has_no_escapes_and_one_line_snippets() {
        let plain = printed(false);
        assert!(plain.starts_with("1 passage matches (0.5 ms); by session 10: 1\n"));
        assert!(plain.contains("\n5. 004 · session 10 · passage 3 ¶12 · score 2.00\n"));
        assert!(plain.contains("   …تسليم المجرمين والمساعدة\n"), "{plain}");
        assert!(!plain.contains('\x1b') && !plain.contains(RLI));
    }

    #[test]
    fn terminal_output_colours_matches_inside_a_right_to_left_isolate() {
        let coloured = printed(true);
        assert!(
            coloured.contains(&format!("{RLI}…{MATCH}تسليم{MATCH:#} المجرمين")),
            "{coloured}"
        );
        assert!(coloured.contains(PDI));
    }
}
