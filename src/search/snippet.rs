//! Snippets and highlights in the original passage text, made by tantivy's snippet
//! generator over the stored text (which it re-tokenizes with our analyzer, so folded and
//! stemmed matches land on the original letters).

use std::collections::HashSet;
use std::ops::Range;

use tantivy::query::Query;
// Several stems of one token highlight it more than once: ranges are collapsed.
use tantivy::snippet::{collapse_overlapped_ranges, SnippetGenerator};
use tantivy::{Searcher, TantivyError};

use crate::analysis::{self, AnalyzedToken};
use crate::index::Fields;

/// Snippet size in bytes (tantivy counts bytes): about 150 Arabic letters.
pub const SNIPPET_BYTES: usize = 300;
const ELLIPSIS: &str = "…";

/// The snippet of a passage, with its highlights both in the passage and in the snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges into the snippet's own text.
    pub highlights: Vec<Range<usize>>,
    /// Byte ranges into the whole passage text.
    pub passage_highlights: Vec<Range<usize>>,
}

/// The words of a query as a snippet marks them. tantivy's generator marks every term
/// of the highlight query wherever it occurs; a phrase's words are marked only where the
/// whole phrase occurs, so when a query has phrases the marks are made here.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Stems of the words outside phrases: marked wherever they occur.
    words: HashSet<String>,
    /// Each phrase: the stems of each of its words, and its slop.
    phrases: Vec<(Vec<Vec<String>>, u32)>,
}

impl Marks {
    /// Adds a clause of the query: one word, or several (a phrase, or a word the analyzer
    /// splits, such as `و17`).
    pub fn add(&mut self, tokens: &[AnalyzedToken], slop: u32) {
        match tokens {
            [] => {}
            [word] => self.words.extend(word.stems.iter().cloned()),
            _ => self
                .phrases
                .push((tokens.iter().map(|t| t.stems.clone()).collect(), slop)),
        }
    }

    /// The byte ranges to mark in `text`: every occurrence of a word, and the words of
    /// every occurrence of a phrase.
    fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let tokens = analysis::analyze(text);
        let matches =
            |token: &AnalyzedToken, stems: &[String]| token.stems.iter().any(|s| stems.contains(s));
        let mut marked = vec![false; tokens.len()];
        for (i, token) in tokens.iter().enumerate() {
            if token.stems.iter().any(|s| self.words.contains(s)) {
                marked[i] = true;
            }
        }
        for (words, slop) in &self.phrases {
            for start in 0..tokens.len() {
                if !matches(&tokens[start], &words[0]) {
                    continue;
                }
                // Each next word within the slop left, in order (as a sloppy phrase
                // query matches in the common case).
                let mut found = vec![start];
                let mut spare = *slop as usize;
                for stems in &words[1..] {
                    let last = *found.last().expect("a first word");
                    let next = (last + 1..tokens.len().min(last + 2 + spare))
                        .find(|&j| matches(&tokens[j], stems));
                    match next {
                        Some(j) => {
                            spare -= j - last - 1;
                            found.push(j);
                        }
                        None => break,
                    }
                }
                if found.len() == words.len() {
                    for i in found {
                        marked[i] = true;
                    }
                }
            }
        }
        tokens
            .iter()
            .zip(marked)
            .filter(|(_, marked)| *marked)
            .map(|(token, _)| token.offset_from..token.offset_to)
            .collect()
    }
}

pub struct Snippets {
    window: SnippetGenerator,
    whole: SnippetGenerator,
    marks: Marks,
}

impl Snippets {
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
        marks: Marks,
    ) -> Result<Self, TantivyError> {
        let window = {
            let mut generator = SnippetGenerator::create(searcher, query, fields.text)?;
            generator.set_max_num_chars(SNIPPET_BYTES);
            generator
        };
        // One fragment as large as any passage: its highlights cover the whole text.
        let mut whole = SnippetGenerator::create(searcher, query, fields.text)?;
        whole.set_max_num_chars(usize::MAX / 2);
        Ok(Snippets {
            window,
            whole,
            marks,
        })
    }

    pub fn snippet(&self, text: &str) -> Snippet {
        let whole = self.whole.snippet(text);
        let passage_highlights = if self.marks.phrases.is_empty() {
            collapse_overlapped_ranges(whole.highlighted())
        } else {
            self.marks.ranges(text)
        };
        // A passage that fits in the window is cut into the same single fragment by both
        // generators: the second pass (another analysis of the text) is skipped.
        let window = if text.len() <= SNIPPET_BYTES {
            whole
        } else {
            self.window.snippet(text)
        };
        let range = if window.is_empty() {
            leading_window(text)
        } else {
            window.fragment_range()
        };
        // The snippet marks what the passage marks, inside its window.
        let highlights: Vec<Range<usize>> = passage_highlights
            .iter()
            .filter(|r| range.start <= r.start && r.end <= range.end)
            .map(|r| r.start - range.start..r.end - range.start)
            .collect();
        // Only words left out earn an ellipsis: punctuation before or after the window is
        // kept instead, and highlights move with the window's start.
        let window_start = range.start;
        let mut range = range;
        let has_words = |s: &str| s.chars().any(char::is_alphanumeric);
        if !has_words(&text[..range.start]) {
            range.start = 0;
        }
        if !has_words(&text[range.end..]) {
            range.end = text.len();
        }
        let prefix = if range.start > 0 { ELLIPSIS } else { "" };
        let suffix = if range.end < text.len() { ELLIPSIS } else { "" };
        let shift = prefix.len() + window_start - range.start;
        Snippet {
            text: format!("{prefix}{}{suffix}", &text[range]),
            highlights: highlights
                .into_iter()
                .map(|r| r.start + shift..r.end + shift)
                .collect(),
            passage_highlights,
        }
    }
}

/// The start of the passage, when nothing in it is highlighted (a filter-only query).
fn leading_window(text: &str) -> Range<usize> {
    let mut end = text.len().min(SNIPPET_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    0..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(clauses: &[(&str, u32)]) -> Marks {
        let mut marks = Marks::default();
        for (text, slop) in clauses {
            marks.add(&analysis::analyze(text), *slop);
        }
        marks
    }

    fn marked<'a>(marks: &Marks, text: &'a str) -> Vec<&'a str> {
        marks.ranges(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_phrase_is_marked_only_where_it_is_whole() {
        let text = "تسليم المجرمين أولا، ثم تسليم الوثائق إلى المجرمين";
        let phrase = marks(&[("تسليم المجرمين", 0)]);
        assert_eq!(marked(&phrase, text), ["تسليم", "المجرمين"]);
        // A word beside it is marked wherever it is.
        let both = marks(&[("تسليم المجرمين", 0), ("الوثائق", 0)]);
        assert_eq!(marked(&both, text), ["تسليم", "المجرمين", "الوثائق"]);
    }

    #[test]
    fn a_sloppy_phrase_allows_its_slop_and_no_more() {
        let text = "تسليم سريع للمجرمين، وتسليم سريع جدا للمجرمين";
        assert_eq!(
            marked(&marks(&[("تسليم المجرمين", 1)]), text),
            ["تسليم", "للمجرمين"]
        );
        assert_eq!(
            marked(&marks(&[("تسليم المجرمين", 2)]), text),
            ["تسليم", "للمجرمين", "وتسليم", "للمجرمين"]
        );
        assert!(marked(&marks(&[("تسليم المجرمين", 0)]), text).is_empty());
    }
}
