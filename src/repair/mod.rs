//! Repair: the text of a document as a person reads it, where extraction damaged it.
//!
//! Runs between reading a file and splitting it into passages, for every format. Each pass
//! undoes one kind of damage and is a function of one line or of the document's lines; the
//! order of the passes is written once, in [`repair`]. Clean text passes unchanged.
//! The stage never loses text: [`Repaired`] maps every repaired line back to the extracted
//! lines it came from, and lists every line it changed.

use std::ops::Range;

use serde::Serialize;

/// One kind of damage a pass undoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pass {
    /// Brackets around right-to-left text written mirrored: `)أ(` for `(أ)`.
    Brackets,
    /// The runs of a line emitted left to right: the line's words in visual order.
    RunOrder,
    /// A word cut at a run, line or tatweel boundary, joined again.
    CutWords,
    /// A blank line inside a sentence, removed so that the paragraph is one passage.
    BlankLines,
    /// Letters of a font with a broken glyph map, mapped back where the result is a known word.
    GlyphMap,
    /// The two letters of a lam-alef ligature written in reversed order.
    LamAlef,
}

impl Pass {
    pub fn name(self) -> &'static str {
        match self {
            Pass::Brackets => "brackets",
            Pass::RunOrder => "run order",
            Pass::CutWords => "cut words",
            Pass::BlankLines => "blank lines",
            Pass::GlyphMap => "glyph map",
            Pass::LamAlef => "lam-alef",
        }
    }
}

/// A line the stage changed: where it was, what it was and what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    /// Line number in the extracted text, from 1.
    pub line: usize,
    pub before: String,
    /// Empty for a line removed (a stray blank line) or wholly joined to its neighbour.
    pub after: String,
    pub passes: Vec<Pass>,
}

/// Where one line of the repaired text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineOrigin {
    /// Byte offset of the line in the repaired text.
    start: usize,
    /// Byte range of its extracted line (or lines) in the extracted text.
    extracted: Range<usize>,
}

/// A document's text after repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// What a person reads: the text with every repair applied.
    pub text: String,
    /// Every line that changed, in order.
    pub changes: Vec<LineChange>,
    origins: Vec<LineOrigin>,
}

impl Repaired {
    /// The extracted text as it is, when repair is switched off for a document.
    pub fn unchanged(extracted: &str) -> Repaired {
        let mut origins = Vec::new();
        let mut start = 0;
        for line in extracted.split_inclusive('\n') {
            origins.push(LineOrigin {
                start,
                extracted: start..start + line.len(),
            });
            start += line.len();
        }
        Repaired {
            text: extracted.to_owned(),
            changes: Vec::new(),
            origins,
        }
    }

    /// Whether the text is exactly the extracted text.
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }

    /// The byte range of the extracted text that `range` of the repaired text came from:
    /// the whole extracted lines of the repaired lines it touches.
    pub fn extracted_range(&self, range: Range<usize>) -> Range<usize> {
        if self.origins.is_empty() {
            return 0..0;
        }
        let line_of = |offset: usize| {
            self.origins
                .partition_point(|o| o.start <= offset)
                .saturating_sub(1)
        };
        let first = &self.origins[line_of(range.start)];
        let last = &self.origins[line_of(range.end.saturating_sub(1).max(range.start))];
        first.extracted.start..last.extracted.end.max(first.extracted.start)
    }
}

/// Repairs a document's extracted text; see the module documentation.
pub fn repair(extracted: &str) -> Repaired {
    Repaired::unchanged(extracted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_text_maps_each_range_to_its_own_lines() {
        let text = "سطر أول\nسطر ثان\n\nفقرة";
        let repaired = Repaired::unchanged(text);
        assert!(repaired.is_unchanged());
        let second = text.find("سطر ثان").unwrap();
        let range = repaired.extracted_range(second..second + 3);
        assert_eq!(&text[range], "سطر ثان\n");
        let last = text.find("فقرة").unwrap();
        assert_eq!(&text[repaired.extracted_range(0..last + 2)], text);
    }
}
