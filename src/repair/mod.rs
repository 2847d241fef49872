//! Repair: the text of a document as a person reads it, where extraction damaged it.
//!
//! Runs between reading a file and splitting it into passages, for every format. Each pass
//! undoes one kind of damage and is a function of one line or of the document's lines; the
//! order of the passes is written once, in [`repair_with`]. Clean text passes unchanged.
//! The stage never loses text: [`Repaired`] maps every repaired line back to the extracted
//! lines it came from, and lists every line it changed.

mod blank_lines;
mod brackets;
mod cut_words;
mod digits;
mod glyphs;
mod lam_alef;
pub mod model;
mod runs;
mod text;

use std::ops::Range;
use std::sync::{LazyLock, Mutex, MutexGuard, OnceLock};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use model::{WordModel, CORPUS_MODEL};
pub use runs::Costs;

/// Bumped whenever a pass changes what it writes, so that indexes are rebuilt.
const PASSES_VERSION: u32 = 10;

/// Names what the stage writes: changes whenever its passes or its model do. The index's
/// fingerprint includes it, so an index built by another repair is rebuilt.
pub static STAGE_VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{PASSES_VERSION}-{}",
        blake3::hash(model::MODEL_TEXT.as_bytes()).to_hex()
    )
});

/// One kind of damage a pass undoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pass {
    /// Brackets around right-to-left text written mirrored: `)أ(` for `(أ)`.
    Brackets,
    /// Arabic-Indic numbers written backwards: `٨١٠٢` for `٢٠١٨`.
    Digits,
    /// The runs of a line emitted left to right: the line's words in visual order.
    RunOrder,
    /// A blank line inside a sentence, removed so that its paragraph is one passage.
    BlankLines,
    /// A word cut at a line end, joined again (words cut at a run boundary inside a line are
    /// joined by the run-order pass).
    CutWords,
    /// The two letters of a lam-alef ligature written in reversed order.
    LamAlef,
    /// Letters a font with a broken glyph map wrote for others, in words the document's own
    /// map makes known.
    Glyphs,
}

impl Pass {
    pub fn name(self) -> &'static str {
        match self {
            Pass::Brackets => "brackets",
            Pass::Digits => "digits",
            Pass::RunOrder => "run order",
            Pass::CutWords => "cut words",
            Pass::BlankLines => "blank lines",
            Pass::LamAlef => "lam-alef",
            Pass::Glyphs => "glyph map",
        }
    }
}

/// A line the stage changed: where it was, what it was and what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    /// Line number in the extracted text, from 1.
    pub line: usize,
    pub before: String,
    /// Empty for a line removed (a stray blank line) or wholly joined to the line before it.
    pub after: String,
    pub passes: Vec<Pass>,
}

/// Where one line of the repaired text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineOrigin {
    /// Byte offset of the line in the repaired text.
    start: usize,
    /// Number of its (first) extracted line, from 1.
    number: usize,
    /// Byte range of its extracted line (or lines) in the extracted text.
    extracted: Range<usize>,
}

/// Where each line of a repaired text came from in the extracted text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap(Vec<LineOrigin>);

impl LineMap {
    /// The byte range of the extracted text that `range` of the repaired text came from:
    /// the whole extracted lines of the repaired lines it touches.
    pub fn extracted_range(&self, range: Range<usize>) -> Range<usize> {
        let origins = &self.0;
        if origins.is_empty() {
            return 0..0;
        }
        let line_of = |offset: usize| {
            origins
                .partition_point(|o| o.start <= offset)
                .saturating_sub(1)
        };
        let first = &origins[line_of(range.start)];
        let last = &origins[line_of(range.end.saturating_sub(1).max(range.start))];
        first.extracted.start..last.extracted.end.max(first.extracted.start)
    }
}

/// A document's text after repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// What a person reads: the text with every repair applied.
    pub text: String,
    /// Every line that changed, in order.
    pub changes: Vec<LineChange>,
    lines: LineMap,
}

impl Repaired {
    /// The extracted text as it is, when repair is switched off for a document.
    pub fn unchanged(extracted: &str) -> Repaired {
        let mut origins = Vec::new();
        let mut start = 0;
        for (number, line) in (1..).zip(extracted.split_inclusive('\n')) {
            origins.push(LineOrigin {
                start,
                number,
                extracted: start..start + line.len(),
            });
            start += line.len();
        }
        Repaired {
            text: extracted.to_owned(),
            changes: Vec::new(),
            lines: LineMap(origins),
        }
    }

    /// Whether the text is exactly the extracted text.
    pub fn is_unchanged(&self) -> bool {
        self.changes.is_empty()
    }

    /// See [`LineMap::extracted_range`].
    pub fn extracted_range(&self, range: Range<usize>) -> Range<usize> {
        self.lines.extracted_range(range)
    }

    /// The text, the changed lines and the line map, for a holder that keeps them apart.
    pub fn into_parts(self) -> (String, Vec<LineChange>, LineMap) {
        (self.text, self.changes, self.lines)
    }
}

/// Repairs a document's extracted text with the model learned from the bundled corpus.
pub fn repair(extracted: &str) -> Repaired {
    repair_with(extracted, &*CORPUS_MODEL, &Costs::default())
}

/// Repairs a document's extracted text, asking `model` about words and their order and
/// weighing run boundaries by `costs`.
///
/// The passes, in order: glyph map (in a document whose misspelled words teach a consistent
/// misreading), brackets (in a mirrored document), digits (in a document whose
/// numbers read backwards), lam-alef (where the document has
/// such words), run order (in a document that shows visual-order damage), then words cut at
/// line ends and stray blank lines. Each pass runs
/// only where the document shows its kind of damage, so clean text passes through unchanged.
pub fn repair_with(extracted: &str, model: &dyn WordModel, costs: &Costs) -> Repaired {
    let model = &model::Remembering::new(model);
    let memo = Memo::default();
    let mut repaired = repair_once(extracted, model, costs, &memo);
    // A pass can make damage another pass reads (a join makes a word the lam-alef check
    // counts), so the stage runs again on its own output until that changes nothing: then
    // repairing repaired text changes nothing either.
    for _ in 1..MAX_ROUNDS {
        if repaired.is_unchanged() {
            break;
        }
        let again = repair_once(&repaired.text, model, costs, &memo);
        if again.is_unchanged() {
            break;
        }
        repaired = repaired.then(again);
    }
    repaired
}

/// Rounds of the stage at most; two settle every document seen so far.
const MAX_ROUNDS: usize = 8;

/// Lines a thread takes at a time: enough that handing them over costs little.
const LINES_PER_TASK: usize = 64;

/// What the stage learned of one document, kept through its rounds: the readings of lines,
/// and what the passes of one line made of each line they saw. A later round meets mostly
/// lines the round before left as they are, and repairs only the others. What a round finds
/// depends only on the text it reads, as if the stage were started on that text: so the
/// stage stops where starting it again would change nothing, and is idempotent.
#[derive(Default)]
struct Memo {
    /// Readings of lines, for texts whose numbers read backwards and for the others (see
    /// [`runs::Readings::new`]): a round whose digits pass turned them round reads the
    /// numbers as runs of their own in the next.
    readings: [OnceLock<runs::Readings>; 2],
    lines: Mutex<LinesSeen>,
}

/// A line as a round met it, under the damage the round saw (which says how it read numbers)
/// and whether the line continues the one before, and what its passes made of it.
type LinesSeen = FxHashMap<(Damage, bool, String), (String, Vec<Pass>)>;

impl Memo {
    /// The readings for a round whose text shows `damage`, made when a round first needs
    /// them: a clean document never does.
    fn readings(&self, damage: Damage) -> &runs::Readings {
        let numbers_apart = !damage.reversed_digits;
        self.readings[usize::from(numbers_apart)].get_or_init(|| runs::Readings::new(numbers_apart))
    }

    fn lines(&self) -> MutexGuard<'_, LinesSeen> {
        // A thread that panicked left at worst an entry missing, never a wrong one.
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn repair_once(extracted: &str, model: &dyn WordModel, costs: &Costs, memo: &Memo) -> Repaired {
    let mut damage = Damage::of(extracted, model);
    // Misspelled words only say that a font may have a broken map; the map the document
    // teaches says whether it has.
    let glyphs = if damage.glyphs {
        glyphs::learn(extracted, model)
    } else {
        glyphs::Rewrites::default()
    };
    damage.glyphs = !glyphs.is_empty();
    if !damage.any() {
        return Repaired::unchanged(extracted);
    }
    let readings = memo.readings(damage);
    let mut lines: Vec<Line> = Vec::new();
    let mut start = 0;
    for (number, raw) in (1..).zip(extracted.split_inclusive('\n')) {
        let body = raw.trim_end_matches(['\n', '\r']);
        lines.push(Line {
            text: body.to_owned(),
            ending: &raw[body.len()..],
            extracted: start..start + raw.len(),
            number,
            passes: Vec::new(),
            removed: false,
        });
        start += raw.len();
    }
    // Whether each line starts with the rest of a word the line before cut: such a line is
    // no line begun inside (see `runs::reorder_line`).
    let continued: Vec<bool> = (0..lines.len())
        .map(|i| {
            damage.visual_order
                && i > 0
                && cut_words::continues(&lines[i - 1].text, &lines[i].text, model)
        })
        .collect();
    // The passes of one line read that line (and whether it continues the line before)
    // alone, so the lines of a long document are repaired on every thread at once (a corpus
    // is often one long document and a few short).
    lines
        .par_iter_mut()
        .zip(continued.par_iter())
        .with_min_len(LINES_PER_TASK)
        .for_each(|(line, &continued)| {
            // First, so that the other passes read the words as meant. Outside what is
            // remembered of a line: the map is learned again each round.
            if damage.glyphs {
                line.apply(Pass::Glyphs, glyphs.line(&line.text));
            }
            // The passes of one line do not read the glyph map: a round that learns none
            // finds what the round before made of the line.
            let key = (
                Damage {
                    glyphs: false,
                    ..damage
                },
                continued,
                line.text.clone(),
            );
            let remembered = memo.lines().get(&key).cloned();
            match remembered {
                Some((text, passes)) => {
                    line.text = text;
                    for pass in passes {
                        line.add_pass(pass);
                    }
                }
                None => {
                    let before = line.passes.len();
                    line_passes(line, continued, damage, model, costs, readings);
                    let passes = line.passes[before..].to_vec();
                    memo.lines().insert(key, (line.text.clone(), passes));
                }
            }
        });
    if damage.visual_order {
        cut_words::join_across_lines(&mut lines, model, costs, readings);
        blank_lines::join_paragraphs(&mut lines, model);
    }
    Repaired::from_lines(extracted, lines)
}

/// The passes that read one line alone, in their order; `continued` when the line starts
/// with the rest of a word the line before cut.
fn line_passes(
    line: &mut Line,
    continued: bool,
    damage: Damage,
    model: &dyn WordModel,
    costs: &Costs,
    readings: &runs::Readings,
) {
    if damage.mirrored {
        line.apply(Pass::Brackets, brackets::unmirror_line(&line.text));
    }
    if damage.reversed_digits {
        line.apply(Pass::Digits, digits::unreverse_line(&line.text));
    }
    if damage.lam_alef {
        line.apply(
            Pass::LamAlef,
            map_words(&line.text, |w| lam_alef::fix_word(w, model)),
        );
    }
    if damage.visual_order {
        let reordered = may_be_visual(&line.text)
            .then(|| runs::reorder_line(&line.text, !continued, model, costs, readings))
            .flatten();
        if let Some(reordered) = reordered {
            line.apply(Pass::RunOrder, reordered);
        }
        line.apply(Pass::CutWords, cut_words::join_pieces(&line.text, model));
    }
}

/// The model of word order learned from these documents' text: whole lines of clean
/// documents, and only the runs surely in order of documents that show visual-order damage.
pub fn learn_model<'a>(documents: impl IntoIterator<Item = &'a str>) -> model::CorpusModel {
    let (mut sure, mut unsure) = (Vec::new(), Vec::new());
    for text in documents {
        let damage = Damage::of(text, &model::CorpusModel::default());
        let whole = !(damage.visual_order || damage.mirrored || damage.reversed_digits);
        for line in text.lines() {
            let runs = runs::token_runs(line, whole);
            if whole {
                sure.extend(runs);
            } else {
                unsure.push(runs);
            }
        }
    }
    model::CorpusModel::learn_from(sure, unsure)
}

/// The kinds of damage a document shows, each switching its passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Damage {
    mirrored: bool,
    reversed_digits: bool,
    visual_order: bool,
    lam_alef: bool,
    /// Words spelled as no word is; once the document's glyph map is learned, whether it
    /// rewrites any word.
    glyphs: bool,
}

impl Damage {
    fn of(text: &str, model: &dyn WordModel) -> Damage {
        let mut lines = 0;
        let mut visual = 0;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            lines += 1;
            visual += usize::from(shows_visual_order(line));
        }
        Damage {
            mirrored: brackets::is_mirrored(text),
            reversed_digits: digits::are_reversed(text),
            // One line in ten at least. A clean document has none, an extractor that wrote
            // right-to-left lines in visual order leaves a sign on a fifth of its lines or more
            // (19–41 % in the damaged seeds and copies measured), and a document made of
            // repaired text keeps a few lines repair could not read (3 % in the bench's
            // generated corpus), which searching again would not change.
            visual_order: visual >= 3 && visual * 10 >= lines,
            // Three different words, so that one rare word repeated does not switch the pass on.
            lam_alef: lam_alef::swapped_words(text, model, 3) >= 3,
            glyphs: glyphs::shows_misspellings(text),
        }
    }

    fn any(self) -> bool {
        self.mirrored || self.reversed_digits || self.visual_order || self.lam_alef || self.glyphs
    }
}

/// Signs of runs written left to right that logical text never shows: a number glued to the
/// word after it, a word piece that starts with a tatweel, a line that starts with a comma.
fn shows_visual_order(line: &str) -> bool {
    let trimmed = line.trim_start();
    if trimmed.starts_with(['،', '؛', ':', '.']) {
        return true;
    }
    let mut prev: Option<char> = None;
    for c in line.chars() {
        if let Some(p) = prev {
            if text::is_digit(p) && text::is_arabic_letter(c) && c != 'و' {
                return true;
            }
            if c == text::TATWEEL && (p.is_whitespace()) {
                return true;
            }
        } else if c == text::TATWEEL {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// Whether a line of a document that shows visual-order damage may itself be in visual order:
/// a sign of [`shows_visual_order`], a mark or bracket glued to the start of a word
/// (`.ومكافحته`, `(أ`), a number or bracket glued after a word, two spaces, or space at either
/// end (the extractor pads the lines it wrote from left to right). A line with none of these
/// is as logical text writes it, and is not searched: most lines of a repaired text.
fn may_be_visual(line: &str) -> bool {
    if line.trim() != line || line.contains("  ") || shows_visual_order(line) {
        return true;
    }
    let mut prev: Option<char> = None;
    for c in line.chars() {
        if let Some(p) = prev {
            let mark = matches!(p, '،' | '؛' | ':' | '.' | ')' | '(');
            if mark && text::is_arabic_letter(c) {
                return true;
            }
            if text::is_arabic_letter(p) && (text::is_digit(c) || c == '(') {
                return true;
            }
            // A taa marbuta or an alef maqsura ends its word: a letter right after it starts
            // another run (`ةبـــشأن`).
            let inside_word = c == text::TATWEEL || text::is_diacritic(c);
            if matches!(p, 'ة' | 'ى') && text::is_arabic_letter(c) && !inside_word {
                return true;
            }
        }
        prev = Some(c);
    }
    false
}

/// `text` with each Arabic word that `fix` changes replaced.
fn map_words(text: &str, fix: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (text::is_arabic_letter(c) && i < text.len(), word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(s)) => {
                let word = &text[s..i];
                out.push_str(&fix(word).unwrap_or_else(|| word.to_owned()));
                word_start = None;
                if i < text.len() {
                    out.push(c);
                }
            }
            (false, None) if i < text.len() => out.push(c),
            _ => {}
        }
    }
    out
}

/// A line on its way through the passes.
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub(crate) text: String,
    ending: &'a str,
    /// The extracted lines it comes from.
    pub(crate) extracted: Range<usize>,
    /// Its line number in the extracted text, from 1.
    number: usize,
    pub(crate) passes: Vec<Pass>,
    /// Left out of the repaired text (a stray blank line); the line before covers it.
    pub(crate) removed: bool,
}

impl Line<'_> {
    pub(crate) fn apply(&mut self, pass: Pass, text: String) {
        if text != self.text {
            self.text = text;
            self.add_pass(pass);
        }
    }

    fn add_pass(&mut self, pass: Pass) {
        if !self.passes.contains(&pass) {
            self.passes.push(pass);
        }
    }
}

impl Repaired {
    /// This repair followed by `next`, a repair of this one's text: the text of `next`, each
    /// line mapped through both to the extracted lines, each changed line listed once with
    /// the passes of both. Lines keep their numbers through every pass.
    fn then(self, next: Repaired) -> Repaired {
        let mine = &self.lines.0;
        let origins = next
            .lines
            .0
            .iter()
            .map(|o| LineOrigin {
                start: o.start,
                number: mine[o.number - 1].number,
                extracted: self.extracted_range(o.extracted.clone()),
            })
            .collect();
        let mut changes: Vec<LineChange> = self.changes;
        for mut change in next.changes {
            // `next` numbers the lines of this repair's text; name them as extracted.
            change.line = mine[change.line - 1].number;
            match changes.iter_mut().find(|c| c.line == change.line) {
                Some(earlier) => {
                    earlier.after = change.after;
                    for pass in change.passes {
                        if !earlier.passes.contains(&pass) {
                            earlier.passes.push(pass);
                        }
                    }
                }
                None => changes.push(change),
            }
        }
        changes.retain(|c| c.before != c.after || c.passes.contains(&Pass::BlankLines));
        changes.sort_by_key(|c| c.line);
        Repaired {
            text: next.text,
            changes,
            lines: LineMap(origins),
        }
    }

    fn from_lines(extracted: &str, lines: Vec<Line>) -> Repaired {
        let mut text = String::with_capacity(extracted.len());
        let mut origins: Vec<LineOrigin> = Vec::with_capacity(lines.len());
        let mut changes = Vec::new();
        for line in lines {
            let own = &extracted[line.extracted.clone()];
            let before = own
                .split_inclusive('\n')
                .next()
                .unwrap_or("")
                .trim_end_matches(['\n', '\r']);
            if !line.passes.is_empty() && (line.text != before || line.removed) {
                changes.push(LineChange {
                    line: line.number,
                    before: before.to_owned(),
                    after: if line.removed {
                        String::new()
                    } else {
                        line.text.clone()
                    },
                    passes: line.passes.clone(),
                });
            }
            if line.removed {
                if let Some(previous) = origins.last_mut() {
                    previous.extracted.end = line.extracted.end;
                    continue;
                }
            }
            origins.push(LineOrigin {
                start: text.len(),
                number: line.number,
                extracted: line.extracted,
            });
            text.push_str(&line.text);
            text.push_str(line.ending);
        }
        Repaired {
            text,
            changes,
            lines: LineMap(origins),
        }
    }
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

    #[test]
    fn only_lines_with_a_sign_of_visual_order_are_searched() {
        assert!(!may_be_visual(
            "وقرر المؤتمر أن يعقد دورته الثانية عشرة في فيينا."
        ));
        assert!(!may_be_visual(
            "افتتاح الدورة، وفقا للمادة 32 من الاتفاقية: البند 1"
        ));
        // A taa marbuta stretched, or carrying a vowel, still ends its word.
        assert!(!may_be_visual("حالـــةـ التصديق على اتفاقيةٍ"));
        for line in [
            " افتتاح دورة المؤتمر السادسة؛ )أ(",
            "23المعني بالتعاون",
            "الحماية أيضا وأكد المؤتمر  .ومكافحته",
            "تنفيذ المادة20 من",
            "على ةبشأن حالـ",
        ] {
            assert!(may_be_visual(line), "{line}");
        }
    }

    /// Lines that show visual-order damage, so that the passes for it run.
    const DAMAGED: &str = "23المعني بالتعاون\n19المؤرخ في\n9/3إلى قراره\n";

    #[test]
    fn a_blank_line_inside_a_sentence_is_removed_and_listed() {
        let text = format!("{DAMAGED}\nتنفيذ اتفاقية الأمم\n\nالمتحدة لمكافحة الجريمة\n\n٢- فقرة\n");
        let repaired = repair(&text);
        assert!(
            repaired
                .text
                .contains("تنفيذ اتفاقية الأمم\nالمتحدة لمكافحة الجريمة\n\n٢- فقرة"),
            "{}",
            repaired.text
        );
        let removed = repaired
            .changes
            .iter()
            .find(|c| c.passes == [Pass::BlankLines])
            .expect("listed");
        assert_eq!(text.lines().nth(removed.line - 1), Some(""));
        assert_eq!(removed.after, "");
        // The joined paragraph maps to all of its extracted lines, the blank one included.
        let start = repaired.text.find("تنفيذ").unwrap();
        let end = repaired.text.find("الجريمة").unwrap() + "الجريمة".len();
        let range = repaired.extracted_range(start..end);
        assert_eq!(
            &text[range],
            "تنفيذ اتفاقية الأمم\n\nالمتحدة لمكافحة الجريمة\n"
        );
        assert_eq!(repair(&repaired.text).text, repaired.text);
    }
}
