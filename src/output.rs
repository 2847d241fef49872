//! Printers over the one result type: JSON (the stable contract) and human text (colour on
//! a terminal, plain when piped).

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
        "{} passages match ({:.1} ms)",
        results.total_hits, results.took_ms
    )?;
    if !sessions.is_empty() {
        write!(out, "; by session {}", sessions.join(", "))?;
    }
    writeln!(out)?;
    for (rank, hit) in (offset + 1..).zip(&results.hits) {
        writeln!(out)?;
        writeln!(out, "{heading}{rank}. {}{heading:#}", describe(hit))?;
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
            hits: vec![Hit {
                doc: "004".into(),
                symbol: None,
                session: Some(10),
                year: None,
                title: None,
                passage: 3,
                score: 2.0,
                text: String::new(),
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
        assert!(plain.starts_with("1 passages match (0.5 ms); by session 10: 1\n"));
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
