//! Printers over the one result type: JSON (the stable contract) and human text (colour on
//! a terminal, plain when piped). The HTTP server is one more consumer of the same results.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::analysis::AnalyzedToken;
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

pub fn print_json<T: serde::Serialize>(value: &T, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// Ranked hits, each with where it comes from and its snippet.
pub fn print_results(results: &SearchResults, out: &mut impl Write, color: bool) -> io::Result<()> {
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
        "{} passages match ({:.1} ms)",
        results.total_hits, results.took_ms
    )?;
    if !sessions.is_empty() {
        write!(out, "; by session {}", sessions.join(", "))?;
    }
    writeln!(out)?;
    let first = results.hits.first().map_or(0, |_| 1);
    for (rank, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{heading}{}. {}{heading:#}",
            rank + first,
            describe(hit)
        )?;
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

/// `doc · symbol · session N · year · passage P ¶N · score S`, leaving out what is unknown.
fn describe(hit: &Hit) -> String {
    let mut parts = vec![hit.doc.clone()];
    parts.extend(hit.symbol.clone());
    parts.extend(hit.session.map(|s| format!("session {s}")));
    parts.extend(hit.year.map(|y| y.to_string()));
    let mut passage = format!("passage {}", hit.passage);
    if let Some(paragraph) = hit.paragraph {
        passage.push_str(&format!(" ¶{paragraph}"));
    }
    parts.push(passage);
    parts.push(format!("score {:.2}", hit.score));
    parts.join(" · ")
}

/// Snippets span line breaks of the original; shown on one line.
fn one_line(text: &str) -> String {
    text.replace(char::is_whitespace, " ")
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
