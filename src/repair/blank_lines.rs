//! Stray blank lines: PDF extraction leaves a blank line where a paragraph runs on past a
//! page or column break, so one paragraph would become two passages. A blank line is removed
//! when the sentence before it evidently goes on after it: the line before does not end a
//! sentence and ends with a comma, or its last word and the next line's first are a word cut
//! in two or a pair the model has seen together — and the next line does not start a
//! paragraph of its own (a number, a label, a heading).

use std::sync::LazyLock;

use regex::Regex;

use super::model::{token_key, WordModel};
use super::runs::joins;
use super::text::is_arabic_letter;
use super::{Line, Pass};

/// How much likelier the next line's first word must be after the last word than anywhere.
const GOES_ON: f64 = 2.0;

/// What starts a paragraph: a number or label (`12-`, `١٢-`, `-`, `(أ)`, `(2)`), a heading, a
/// bullet, a rule of underscores.
static STARTS_PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[0-9٠-٩]+\s*[-–.)]|[-–•#_*]|\(\S{1,3}\))").expect("valid paragraph regex")
});

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn last_word(text: &str) -> &str {
    text.rsplit(|c: char| !is_arabic_letter(c))
        .next()
        .unwrap_or("")
}

fn first_word(text: &str) -> &str {
    text.split(|c: char| !is_arabic_letter(c))
        .next()
        .unwrap_or("")
}

/// Whether the sentence of `before` goes on in `after`.
fn goes_on(before: &str, after: &str, model: &dyn WordModel) -> bool {
    let (before, after) = (before.trim(), after.trim());
    if before.ends_with(['.', ':', '؛', '!', '؟', '?', ';']) || STARTS_PARAGRAPH.is_match(after) {
        return false;
    }
    if before.ends_with(['،', ',']) {
        return true;
    }
    let (last, first) = (last_word(before), first_word(after));
    if last.is_empty() || first.is_empty() {
        return false;
    }
    joins(last, first, model) || model.follows(&token_key(last), &token_key(first)) > GOES_ON
}

/// Marks the blank lines inside a sentence removed.
pub(crate) fn join_paragraphs(lines: &mut [Line], model: &dyn WordModel) {
    let mut i = 1;
    while i < lines.len() {
        if !is_blank(&lines[i].text) || is_blank(&lines[i - 1].text) {
            i += 1;
            continue;
        }
        let Some(next) = (i..lines.len()).find(|&k| !is_blank(&lines[k].text)) else {
            break;
        };
        if goes_on(&lines[i - 1].text, &lines[next].text, model) {
            for line in &mut lines[i..next] {
                line.removed = true;
                line.passes.push(Pass::BlankLines);
            }
        }
        i = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::model::CORPUS_MODEL;

    #[test]
    fn a_sentence_that_goes_on_keeps_its_paragraph() {
        assert!(goes_on(
            "وتُدعى جميع الدول إلى إبداء اعتزامها،",
            "مخاطبة المؤتمر",
            &*CORPUS_MODEL
        ));
        assert!(goes_on(
            "تنفيذ اتفاقية الأمم",
            "المتحدة لمكافحة الجريمة",
            &*CORPUS_MODEL
        ));
    }

    #[test]
    fn a_sentence_that_ends_or_a_paragraph_that_starts_keeps_its_blank_line() {
        assert!(!goes_on(
            "واعتمد المؤتمر القرار.",
            "وقرر المؤتمر",
            &*CORPUS_MODEL
        ));
        assert!(!goes_on("تنفيذ اتفاقية الأمم", "٢- المتحدة", &*CORPUS_MODEL));
        assert!(!goes_on(
            "تنفيذ اتفاقية الأمم،",
            "(ب) المتحدة",
            &*CORPUS_MODEL
        ));
    }
}
