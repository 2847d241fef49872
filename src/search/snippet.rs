//! Snippets and highlights in the original passage text, made by tantivy's snippet
//! generator over the stored text (which it re-tokenizes with our analyzer, so folded and
//! stemmed matches land on the original letters).

use std::ops::Range;

use tantivy::query::Query;
// Several stems of one token highlight it more than once: ranges are collapsed.
use tantivy::snippet::{collapse_overlapped_ranges, SnippetGenerator};
use tantivy::{Searcher, TantivyError};

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

pub struct Snippets {
    window: SnippetGenerator,
    whole: SnippetGenerator,
}

impl Snippets {
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> Result<Self, TantivyError> {
        let window = {
            let mut generator = SnippetGenerator::create(searcher, query, fields.text)?;
            generator.set_max_num_chars(SNIPPET_BYTES);
            generator
        };
        // One fragment as large as any passage: its highlights cover the whole text.
        let mut whole = SnippetGenerator::create(searcher, query, fields.text)?;
        whole.set_max_num_chars(usize::MAX / 2);
        Ok(Snippets { window, whole })
    }

    pub fn snippet(&self, text: &str) -> Snippet {
        let whole = self.whole.snippet(text);
        let passage_highlights = collapse_overlapped_ranges(whole.highlighted());
        // A passage that fits in the window is cut into the same single fragment by both
        // generators: the second pass (another analysis of the text) is skipped.
        let window = if text.len() <= SNIPPET_BYTES {
            whole
        } else {
            self.window.snippet(text)
        };
        let (range, highlights) = if window.is_empty() {
            (leading_window(text), Vec::new())
        } else {
            (
                window.fragment_range(),
                collapse_overlapped_ranges(window.highlighted()),
            )
        };
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
