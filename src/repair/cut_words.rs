//! Words cut at a line end: the piece that starts the next line (`الرســـ` | `ــالتين`) goes
//! back to the end of the line it was cut from, when the two pieces make a known word (or
//! were cut inside a stretched letter). Words cut at a run boundary inside a line are joined by
//! the run-order pass where its reading puts the pieces side by side; pieces left a space
//! apart inside a line (`من ن ظامه`, `إقليم ية`) are joined by [`join_pieces`].

use super::model::WordModel;
use super::runs::{is_one_letter_particle, joins, reorder_line, Costs, Readings};
use super::text::is_arabic_letter;
use super::{Line, Pass};

/// The Arabic word a line ends with, and where it starts.
fn last_word(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_end();
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_arabic_letter(c))
        .last()?
        .0;
    Some((start, &trimmed[start..]))
}

/// The Arabic word a line starts with (after its indentation), and where it ends.
fn first_word(line: &str) -> Option<(usize, &str)> {
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    let len: usize = rest
        .chars()
        .take_while(|&c| is_arabic_letter(c))
        .map(char::len_utf8)
        .sum();
    (len > 0).then(|| (lead + len, &rest[..len]))
}

/// Whether `line` starts with the rest of a word that `before`, the line above it, ends with.
pub(crate) fn continues(before: &str, line: &str, model: &dyn WordModel) -> bool {
    match (last_word(before), first_word(line)) {
        (Some((_, left)), Some((_, right))) => joins(left, right, model),
        _ => false,
    }
}

pub(crate) fn join_across_lines(
    lines: &mut [Line],
    model: &dyn WordModel,
    costs: &Costs,
    readings: &Readings,
) {
    for i in 0..lines.len().saturating_sub(1) {
        let Some((_, left)) = last_word(&lines[i].text) else {
            continue;
        };
        let Some((end, right)) = first_word(&lines[i + 1].text) else {
            continue;
        };
        if !joins(left, right, model) {
            continue;
        }
        let (left_text, right_text) = (
            lines[i].text.trim_end().to_owned(),
            lines[i + 1].text.clone(),
        );
        let joined = format!("{left_text}{}", &right_text[..end].trim_start());
        let rest = right_text[end..].trim_start().to_owned();
        // A line that would be left empty would split its paragraph in two at a new blank line.
        if rest.is_empty() {
            continue;
        }
        // Lines the run-order pass would read otherwise once joined are left as they are, so
        // that repairing the repaired text changes nothing.
        let joined_continues = i > 0 && continues(&lines[i - 1].text, &joined, model);
        if reorder_line(&joined, !joined_continues, model, costs, readings).is_some()
            || reorder_line(
                &rest,
                !continues(&joined, &rest, model),
                model,
                costs,
                readings,
            )
            .is_some()
        {
            continue;
        }
        lines[i].apply(Pass::CutWords, joined);
        lines[i + 1].apply(Pass::CutWords, rest);
        lines[i].extracted.end = lines[i + 1].extracted.end;
    }
}

/// The line with each piece of a cut word joined to its neighbour: a piece of one or two
/// letters the model does not know, next to a word (a space apart), when the two make a known
/// word. A one-letter conjunction or preposition is a word of its own, and is left.
pub(crate) fn join_pieces(line: &str, model: &dyn WordModel) -> String {
    let is_piece = |w: &str| {
        w.chars().filter(|&c| is_arabic_letter(c)).count() <= 2
            && !is_one_letter_particle(w)
            && !model.known(w)
    };
    let arabic = |w: &str| !w.is_empty() && w.chars().all(is_arabic_letter);
    let mut out = String::with_capacity(line.len());
    let mut words = line.split(' ').peekable();
    while let Some(word) = words.next() {
        out.push_str(word);
        if let Some(&next) = words.peek() {
            let joined = arabic(word)
                && arabic(next)
                && (is_piece(word) || is_piece(next))
                && joins(word, next, model);
            if !joined {
                out.push(' ');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::model::CORPUS_MODEL;

    #[test]
    fn a_line_continues_the_word_the_line_before_cut() {
        let m = &*CORPUS_MODEL;
        assert!(continues(
            "وقرر المؤتمر أن يعقد دورته ا",
            "لمقبلة في فيينا",
            m
        ));
        assert!(!continues(
            "وقرر المؤتمر أن يعقد دورته",
            "المقبلة في فيينا",
            m
        ));
        assert!(!continues("", "لمقبلة في فيينا", m));
    }

    fn line(text: &str) -> Line<'static> {
        Line {
            text: text.to_owned(),
            ending: "\n",
            extracted: 0..0,
            number: 1,
            passes: Vec::new(),
            removed: false,
        }
    }

    #[test]
    fn a_word_stretched_across_a_line_end_is_joined() {
        let mut lines = vec![
            line("أعرب عن قلقه إزاء الرســـ"),
            line("ــالتين المتعلقتين بتمثيل"),
        ];
        join_across_lines(
            &mut lines,
            &*CORPUS_MODEL,
            &Costs::default(),
            &Readings::default(),
        );
        assert_eq!(lines[0].text, "أعرب عن قلقه إزاء الرســـــالتين");
        assert_eq!(lines[1].text, "المتعلقتين بتمثيل");
        assert_eq!(lines[0].passes, [Pass::CutWords]);
    }

    #[test]
    fn whole_words_at_line_ends_stay() {
        let mut lines = vec![line("تنفيذ الاتفاقية"), line("والبروتوكولات الملحقة بها")];
        join_across_lines(
            &mut lines,
            &*CORPUS_MODEL,
            &Costs::default(),
            &Readings::default(),
        );
        assert_eq!(lines[0].text, "تنفيذ الاتفاقية");
        assert!(lines[1].passes.is_empty());
    }

    #[test]
    fn pieces_a_space_apart_are_joined_and_whole_words_stay() {
        let model = &*CORPUS_MODEL;
        assert_eq!(
            join_pieces("المادة ١٨ من ن ظامه الداخلي", model),
            "المادة ١٨ من نظامه الداخلي"
        );
        for whole in ["في هذا البند", "و تقرير عن الدورة", "من الاتفاقية"]
        {
            assert_eq!(join_pieces(whole, model), whole);
        }
    }
}
