//! Run order: a line whose runs an extractor emitted left to right.
//!
//! MuPDF (1.24 and later) keeps the characters of each run in logical order but writes the
//! runs of a line from left to right, so a right-to-left line comes out last run first:
//! `  20والعملية والتنفيذية بشأن تنفيذ المادة ` for `والعملية والتنفيذية بشأن تنفيذ المادة 20`.
//! Where the runs begin is not marked, so the pass cuts the line into atoms (words, numbers,
//! Latin runs, punctuation) and finds, by dynamic programming, the cuts whose runs, put in
//! reverse order, the [`WordModel`] likes best; the line as it is competes with it and wins
//! ties. A cut costs more where nothing marks a run boundary (a single space) than where
//! something does (two spaces, a tatweel edge, a digit glued to a letter, a comma glued to the
//! next word). Words cut at a run boundary are joined again when the join is a known word. A
//! line whose last piece and first piece are one word was begun inside, and is turned round
//! the point where its text began before it is read ([`rotate_line`]).

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::hash::{Hash, Hasher};
use std::sync::{LazyLock, Mutex};

use regex::Regex;
use rustc_hash::{FxHashMap, FxHasher};
use thread_local::ThreadLocal;

use super::model::{token_key, WordModel};
use super::text::{
    ends_with_tatweel, is_arabic_letter, is_diacritic, is_digit, starts_with_tatweel, TATWEEL,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Number,
    Latin,
    Punct,
}

/// A piece of a line that moves as a whole.
#[derive(Debug, Clone)]
struct Atom<'a> {
    kind: Kind,
    text: &'a str,
    /// Whitespace characters before it in the line.
    gap: usize,
    /// A known word (set for words only, once the unknown ones are split).
    known: bool,
}

/// Costs and rewards of the search, in nats of the model's scores. The defaults were chosen
/// on the development lines restored by hand and the MuPDF-damaged copies (see the README's
/// repair section, and `examples/repair_tune.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Costs {
    /// A cut at a single space between words.
    pub cut_single_space: f64,
    /// A cut at a single space between words, in a line already read with its runs reversed:
    /// the extractor's spans of such a line may begin at any space, marked or not.
    pub cut_space_reversed: f64,
    /// A cut at two spaces or more, or at a spaced slash.
    pub cut_wide_space: f64,
    /// A cut where a word piece ends or starts with a tatweel.
    pub cut_tatweel_edge: f64,
    /// A cut inside an unknown word.
    pub cut_inside_word: f64,
    /// A cut where a number, a word or a Latin run is glued to another kind.
    pub cut_glued_kinds: f64,
    /// A cut at a single space between a number or a Latin run and a word: each is a run of
    /// its own in a right-to-left line, so the boundary is a run boundary.
    pub cut_spaced_kinds: f64,
    /// Two pieces of a cut word written together.
    pub join: f64,
    /// A word piece with a tatweel edge next to a whole word, or at a line end.
    pub tatweel_edge: f64,
    /// A number glued to a word, as extracted (and, where a turned line is read as it is, a
    /// mark glued to the next word).
    pub glued_digit: f64,
    /// A pair with a fragment of a word in it, as extracted.
    pub fragment_pair: f64,
    /// A line that starts with a closing mark or ends with an opening one.
    pub punct_at_edge: f64,
    /// A list label at the end of a line.
    pub label_at_end: f64,
    /// The reversed reading must beat the line as it is by this much.
    pub margin: f64,
}

impl Default for Costs {
    fn default() -> Costs {
        Costs {
            cut_single_space: 5.0,
            cut_space_reversed: 3.5,
            cut_wide_space: -3.0,
            cut_tatweel_edge: -3.0,
            cut_inside_word: 1.0,
            cut_glued_kinds: -1.0,
            cut_spaced_kinds: 2.0,
            join: 4.0,
            tatweel_edge: 6.0,
            glued_digit: 5.0,
            fragment_pair: -4.0,
            punct_at_edge: 6.0,
            label_at_end: 6.0,
            margin: 2.0,
        }
    }
}

const CUT_NEVER: f64 = 99.0;
/// Lines with more atoms are left alone (the search is cubic in atoms).
const MAX_ATOMS: usize = 80;

/// Punctuation written against the word before it, and against the word after it.
fn closes(text: &str) -> bool {
    matches!(
        text,
        "،" | "؛" | ":" | "." | "!" | "؟" | "," | ";" | ")" | "]" | "»"
    )
}
fn opens(text: &str) -> bool {
    matches!(text, "(" | "[" | "«")
}
fn ends_sentence_part(text: &str) -> bool {
    matches!(text, "،" | "؛" | ":" | "." | "!" | "؟" | "," | ";")
}

/// The readings of lines already found in one document: a line met again (in the check of a
/// reading, in a later round of the stage, repeated in the document) is not searched again.
/// Shared by the threads that repair the document's lines; each holds the lock only to look
/// up or to store, never while it searches.
#[derive(Default)]
pub struct Readings {
    found: Mutex<FxHashMap<String, Option<Reading>>>,
    /// The document's numbers are runs of their own (see [`Readings::new`]).
    numbers_apart: bool,
    splits: Splits,
}

/// Where [`split_unknown_words`] split each unknown word (`None`: nowhere), by the word and
/// the words of its line, which decide it: every turn of a line holds the same words, and the
/// search reads many. Kept per thread, under a 64-bit hash of both.
#[derive(Default)]
struct Splits(ThreadLocal<RefCell<FxHashMap<u64, Option<usize>>>>);

impl Splits {
    fn remember(&self, key: u64, decide: impl FnOnce() -> Option<usize>) -> Option<usize> {
        let cache = self.0.get_or_default();
        if let Some(&at) = cache.borrow().get(&key) {
            return at;
        }
        let at = decide();
        cache.borrow_mut().insert(key, at);
        at
    }
}

/// A line's best reading with its runs reversed, and how much better than the line as it is
/// the model finds it.
#[derive(Debug, Clone)]
struct Reading {
    text: String,
    gain: f64,
}

impl Readings {
    /// The readings of a document whose numbers are runs of their own (`numbers_apart`), or
    /// parts of the right-to-left runs around them. An extractor that wrote the document's
    /// Arabic-Indic numbers backwards took them for right-to-left text, inside the runs of
    /// the words beside them; one that kept them in order took each number for a
    /// left-to-right run of its own, so in a line it reversed, every number is a run.
    pub fn new(numbers_apart: bool) -> Readings {
        Readings {
            found: Mutex::default(),
            numbers_apart,
            splits: Splits::default(),
        }
    }

    fn best(&self, line: &str, model: &dyn WordModel, costs: &Costs) -> Option<Reading> {
        if let Some(reading) = self.lock().get(line) {
            return reading.clone();
        }
        let reading = best_reading(line, model, costs, self.numbers_apart, &self.splits);
        self.lock().insert(line.to_owned(), reading.clone());
        reading
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<String, Option<Reading>>> {
        // A thread that panicked left at worst a reading missing, never a wrong one.
        self.found
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The line with its runs in logical order, or `None` when it reads best as it is. A line
/// may have been begun inside (see [`rotate_line`]) when `may_turn`: not when it starts with
/// the rest of a word the line before cut, which explains its first piece.
pub fn reorder_line(
    line: &str,
    may_turn: bool,
    model: &dyn WordModel,
    costs: &Costs,
    readings: &Readings,
) -> Option<String> {
    let reordered = reorder_runs(line, model, costs, readings);
    if !may_turn {
        return reordered;
    }
    rotate_line(line, reordered.as_deref(), model, costs, readings).or(reordered)
}

/// The line's runs reversed, or `None` when it reads best as it is.
fn reorder_runs(
    line: &str,
    model: &dyn WordModel,
    costs: &Costs,
    readings: &Readings,
) -> Option<String> {
    let reordered = readings.best(line, model, costs)?;
    // A reading that the pass would reorder again by as much is not sure enough to keep (a
    // line that reads as well both ways is left as it is); one it would reorder by less is
    // kept, and a later round of the stage takes the next step.
    match readings.best(&reordered.text, model, costs) {
        Some(again) if again.gain >= reordered.gain => None,
        _ => Some(reordered.text),
    }
}

/// A line the extractor began inside: its last piece and its first are one word cut in two
/// (` لوطنية التي تضر بالبيئة الجريمة … عبر ا`), because the text of the line was written
/// from a point inside it on and then from its start. Each space that something marks, or
/// whose pair of words the model does not expect together, is tried as that point: the
/// line is turned round it, the word made whole, and its runs read as any line's; the
/// likeliest reading is kept if it reads better than `reordered`, the line's best reading
/// without turning it (the line itself when that is `None`), by the margin. A reading the
/// pass would read otherwise once more is not kept.
fn rotate_line(
    line: &str,
    reordered: Option<&str>,
    model: &dyn WordModel,
    costs: &Costs,
    readings: &Readings,
) -> Option<String> {
    let atoms = atoms(line);
    let (first, last) = (atoms.first()?, atoms.last()?);
    if atoms.len() < 3
        || atoms.len() > MAX_ATOMS
        || first.kind != Kind::Word
        || last.kind != Kind::Word
        || !joins(last.text, first.text, model)
    {
        return None;
    }
    let base_line = reordered.unwrap_or(line);
    let base = reads(base_line, model, costs, readings)?;
    // Readings are compared by how the model reads them, which only means something between
    // readings of the same words: the line's, with the cut word whole (a reading that glues
    // two words together escapes the pair between them).
    let words = words_in(line) - 1;
    // The line turned at each space, read as it is; where the extractor may have begun a
    // run (two spaces, a tatweel edge, a number beside a word) of a line read better
    // reversed, also with its runs reversed: a line begun inside is a line of runs too, and
    // searching every turn costs too much.
    let mut turns: Vec<(f64, String)> = Vec::new();
    for (k, atom) in atoms.iter().enumerate().skip(1) {
        let prev = &atoms[k - 1];
        // An extractor that began a run at a mark glued to the next word need not have
        // written a space there.
        let glued_mark = mark_glued_to_word(prev, atom);
        if atom.gap == 0 && !glued_mark {
            continue;
        }
        let marked = glued_mark
            || atom.gap > 1
            || ends_with_tatweel(prev.text)
            || starts_with_tatweel(atom.text)
            || prev.kind != atom.kind;
        // A run boundary that nothing marks is a pair of words the model does not expect
        // together; a pair it does expect is read on as it is.
        if !marked && model.follows(&token_key(prev.text), &token_key(atom.text)) > 0.0 {
            continue;
        }
        let at = atom.text.as_ptr() as usize - line.as_ptr() as usize;
        let turned = format!("{}{}", line[at..].trim_end(), line[..at].trim());
        // Its best reading, whose stability is checked only if it is chosen.
        let reversed = (marked && reordered.is_some())
            .then(|| readings.best(&turned, model, costs))
            .flatten()
            .map(|reading| reading.text);
        for reading in [Some(turned), reversed].into_iter().flatten() {
            if words_in(&reading) == words {
                if let Some(score) = reads(&reading, model, costs, readings) {
                    turns.push((score, reading));
                }
            }
        }
    }
    // The likeliest turn the pass would leave as it is.
    turns.sort_by(|a, b| b.0.total_cmp(&a.0));
    turns
        .into_iter()
        .take_while(|(score, _)| *score > base + costs.margin)
        .map(|(_, reading)| reading)
        .find(|reading| reorder_runs(reading, model, costs, readings).is_none())
}

/// A mark that ends a part of a sentence glued to the word after it (`،صنع`), where logical
/// text writes a space.
fn mark_glued_to_word(mark: &Atom, word: &Atom) -> bool {
    word.gap == 0
        && word.kind == Kind::Word
        && mark.kind == Kind::Punct
        && ends_sentence_part(mark.text)
}

/// How many words, numbers and Latin runs a line has.
fn words_in(line: &str) -> usize {
    atoms(line).iter().filter(|a| a.kind != Kind::Punct).count()
}

/// How well the model reads a line as it is: every pair of neighbours and its two ends, as
/// the search scores them. `None` for a line too long to search.
fn reads(line: &str, model: &dyn WordModel, costs: &Costs, readings: &Readings) -> Option<f64> {
    let atoms = split_unknown_words(atoms(line), model, &readings.splits);
    if atoms.is_empty() || atoms.len() > MAX_ATOMS {
        return None;
    }
    let search = Search::new(&atoms, model, costs, readings.numbers_apart);
    let n = atoms.len();
    let pairs: f64 = (1..n).map(|i| search.pair(i - 1, i, true)).sum();
    // A mark glued to the next word is as sure a sign of a run boundary as a number glued to
    // a word.
    let glued_marks = atoms
        .windows(2)
        .filter(|w| mark_glued_to_word(&w[0], &w[1]))
        .count();
    Some(
        search.start(0) + pairs + search.end(n - 1, n.checked_sub(2))
            - glued_marks as f64 * costs.glued_digit,
    )
}

fn best_reading(
    line: &str,
    model: &dyn WordModel,
    costs: &Costs,
    numbers_apart: bool,
    splits: &Splits,
) -> Option<Reading> {
    let line = &*attach_lone_tatweels(line);
    // Splitting only adds atoms, so a line too long to search is left before the model is asked.
    let atoms = atoms(line);
    if atoms.len() > MAX_ATOMS {
        return None;
    }
    let atoms = split_unknown_words(atoms, model, splits);
    if atoms.len() < 2 || atoms.len() > MAX_ATOMS {
        return None;
    }
    let mut search = Search::new(&atoms, model, costs, numbers_apart);
    let (as_is, (mut score, mut runs)) = search.best_reversal()?;
    if score <= as_is + costs.margin && !search.holds_cut_word() {
        return None;
    }
    // The line reads better reversed, or holds the pieces of a word in reverse order, which
    // logical text never does: its runs may then begin at any space, so the search is made
    // again with every space a possible cut. What that reading gains is weighed by the costs
    // of the first search: that a reversed line's numbers are runs of their own is no sign
    // that a line is reversed.
    search.reversed = true;
    if let Some((_, (_, again_runs))) = search.best_reversal() {
        search.weighing = true;
        let again = search.score_of(&again_runs);
        if again > as_is + costs.margin && again_runs != runs {
            (score, runs) = (again, again_runs);
        }
    }
    if score <= as_is + costs.margin {
        return None;
    }
    Some(Reading {
        text: turn_label(&marks_after_letters(&search.render(&runs))),
        gain: score - as_is,
    })
}

/// `تلقّ ـ` → `تلقّـ`: a tatweel standing alone after a word stretches that word's last
/// letter, and the extractor wrote it apart (it is drawn as a glyph of its own). Put back, the
/// word ends in a tatweel, a run boundary where the rest of the word may join it.
fn attach_lone_tatweels(line: &str) -> Cow<'_, str> {
    static LONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"([\x{0621}-\x{063F}\x{0641}-\x{065F}])[ \t]+(\x{0640}+)([ \t]|$)")
            .expect("valid lone tatweel regex")
    });
    LONE.replace_all(line, "$1$2$3")
}

/// `ًأولا` → `أولاً`: a mark that the reversal left before its word's first letter belongs
/// after its last (a tanwin is written on the last letter).
fn marks_after_letters(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let marks: String = word.chars().take_while(|&c| is_diacritic(c)).collect();
            if marks.is_empty() || marks.len() == word.len() {
                word.to_owned()
            } else {
                format!("{}{marks}", &word[marks.len()..])
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cuts a line into atoms. Digits joined by `/ . , :` stay one number, and so do Western
/// digits joined by `-` or `+`: the bidi algorithm keeps those together (rule W4), while
/// Arabic-Indic digits around `-` are separate runs.
fn atoms(line: &str) -> Vec<Atom<'_>> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(line.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let (mut i, mut gap) = (0, 0);
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            gap += 1;
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let kind = if is_arabic_letter(c) {
            while j < chars.len() && is_arabic_letter(chars[j].1) {
                j += 1;
            }
            Kind::Word
        } else if is_digit(c) {
            let western = c.is_ascii_digit();
            while j < chars.len() {
                let d = chars[j].1;
                if is_digit(d) {
                    j += 1;
                    continue;
                }
                let next = chars.get(j + 1).map(|&(_, n)| n);
                let joins = next.is_some_and(|n| {
                    is_digit(n)
                        && (matches!(d, '/' | '.' | ',' | ':')
                            || (matches!(d, '-' | '+') && western && n.is_ascii_digit()))
                });
                if !joins {
                    break;
                }
                j += 2;
            }
            Kind::Number
        } else if c.is_ascii_alphabetic() {
            while j < chars.len()
                && (chars[j].1.is_ascii_alphanumeric()
                    || matches!(chars[j].1, '/' | '.' | '_' | '-' | ':'))
            {
                j += 1;
            }
            Kind::Latin
        } else {
            Kind::Punct
        };
        let text = &line[byte(i)..byte(j)];
        out.push(Atom {
            kind,
            text,
            gap,
            known: false,
        });
        gap = 0;
        i = j;
    }
    out
}

/// The tokens of a line in runs that are surely in logical order, for learning the model: the
/// whole line when `whole`, else broken wherever a run may begin (two spaces, a tatweel edge,
/// kinds glued together).
pub fn token_runs(line: &str, whole: bool) -> Vec<Vec<String>> {
    let mut runs: Vec<Vec<String>> = vec![Vec::new()];
    let mut prev: Option<Atom> = None;
    for atom in atoms(line) {
        if let Some(p) = &prev {
            let boundary = atom.gap > 1
                || starts_with_tatweel(atom.text)
                || ends_with_tatweel(p.text)
                || (atom.gap == 0
                    && p.kind != atom.kind
                    && p.kind != Kind::Punct
                    && atom.kind != Kind::Punct);
            if !whole && boundary {
                runs.push(Vec::new());
            }
        }
        runs.last_mut()
            .expect("never empty")
            .push(token_key(atom.text));
        prev = Some(atom);
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// Splits an unknown word in two where both halves are known, or one is and the other is a
/// short fragment: two runs written without a space between them (`السادسةالدورة`); or where
/// each half makes a word with another piece of the line. A piece of a word the line cut in
/// two stays whole.
fn split_unknown_words<'a>(
    atoms: Vec<Atom<'a>>,
    model: &dyn WordModel,
    splits: &Splits,
) -> Vec<Atom<'a>> {
    // The words of the line that may be the other piece of a cut word: short, stretched at an
    // edge, or unknown (a whole known word joined to a piece is mostly a word and a suffix).
    // Both asked only for a line with an unknown word of four letters or more.
    let pieces: OnceCell<Vec<usize>> = OnceCell::new();
    let pieces = || {
        pieces.get_or_init(|| {
            (0..atoms.len())
                .filter(|&j| {
                    let atom = &atoms[j];
                    atom.kind == Kind::Word
                        && (letters(atom.text) <= 3
                            || starts_with_tatweel(atom.text)
                            || ends_with_tatweel(atom.text)
                            || !model.known(atom.text))
                })
                .collect::<Vec<usize>>()
        })
    };
    let words: OnceCell<Vec<usize>> = OnceCell::new();
    let words = || {
        words.get_or_init(|| {
            (0..atoms.len())
                .filter(|&j| atoms[j].kind == Kind::Word)
                .collect::<Vec<usize>>()
        })
    };
    // The words of the line, in an order of their own: what, besides the word, decides where
    // it splits.
    let line_words = OnceCell::new();
    let line_words = || {
        *line_words.get_or_init(|| {
            let mut texts: Vec<&str> = words().iter().map(|&j| atoms[j].text).collect();
            texts.sort_unstable();
            let mut hasher = FxHasher::default();
            texts.hash(&mut hasher);
            hasher.finish()
        })
    };
    let joined = RefCell::new(String::new());
    let mut out = Vec::with_capacity(atoms.len());
    for (i, atom) in atoms.iter().enumerate() {
        let atom = atom.clone();
        if atom.kind != Kind::Word {
            out.push(atom);
            continue;
        }
        let known = model.known(atom.text);
        if known || atom.text.chars().count() < 4 {
            out.push(Atom { known, ..atom });
            continue;
        }
        // Whether `piece` and another word of the line (of `among`) make a word, as `known`
        // asks, or (when `whole`) a word the model has seen whole.
        let completes = |piece: &str, among: &[usize], whole: bool| {
            let word = |a: &str, b: &str| {
                let mut w = joined.borrow_mut();
                w.clear();
                w.push_str(a);
                w.push_str(b);
                if whole {
                    model.seen(&w) >= 2
                } else {
                    model.known(&w)
                }
            };
            among.iter().any(|&j| {
                let other = atoms[j].text;
                j != i && (word(piece, other) || word(other, piece))
            })
        };
        let decide = || {
            // A piece of a word the line cut in two (`المنظّ` … `مـــة`) is no two runs glued
            // together: with its other piece, wherever the line holds it, it is a known word.
            if completes(atom.text, pieces(), false) {
                return None;
            }
            split_point(atom.text, model, |left, right| {
                // The longer piece with a piece of the line, the shorter (often a letter of
                // ending) with any word of it.
                let (long, short) = if letters(left) >= letters(right) {
                    (left, right)
                } else {
                    (right, left)
                };
                completes(long, pieces(), true) && completes(short, words(), true)
            })
        };
        let mut hasher = FxHasher::default();
        (line_words(), atom.text).hash(&mut hasher);
        match splits.remember(hasher.finish(), decide) {
            Some(at) => {
                let (left, right) = atom.text.split_at(at);
                out.push(Atom {
                    kind: Kind::Word,
                    text: left,
                    gap: atom.gap,
                    known: model.known(left),
                });
                out.push(Atom {
                    kind: Kind::Word,
                    text: right,
                    gap: 0,
                    known: model.known(right),
                });
            }
            None => out.push(atom),
        }
    }
    out
}

/// Where an unknown word of four letters or more splits into two runs glued together, if
/// anywhere; `pieces_of_cut_words` says whether two halves are the pieces of two cut words
/// the line holds the rest of.
fn split_point(
    word: &str,
    model: &dyn WordModel,
    pieces_of_cut_words: impl Fn(&str, &str) -> bool,
) -> Option<usize> {
    // A tatweel between two letters stretches one word across the line's width: what a
    // justifier draws as one piece is no two runs glued together (but a piece of a letter
    // or two may have been glued to it, see below).
    let stretched = word.trim_matches(TATWEEL).contains(TATWEEL);
    let mut best: Option<((usize, i64), usize)> = None;
    for (at, c) in word.char_indices().skip(1) {
        let (left, right) = word.split_at(at);
        if ends_with_tatweel(left) || starts_with_tatweel(right) || is_diacritic(c) {
            continue;
        }
        let (kl, kr) = (model.known(left), model.known(right));
        let short = |s: &str| token_key(s).chars().count() <= 2;
        // A stretched word is split only where a piece of a letter or two, unstretched,
        // was glued to it.
        let split = if stretched {
            (kr && short(left) && !left.contains(TATWEEL))
                || (kl && short(right) && !right.contains(TATWEEL))
        } else {
            (kl && (kr || short(right))) || (kr && short(left))
        };
        if !split {
            continue;
        }
        let score = (
            usize::from(kl) + usize::from(kr),
            -(left.len() as i64 - right.len() as i64).abs(),
        );
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, at));
        }
    }
    // Two pieces of two cut words glued together (`ي` of `الجنســــاني` and `لمنظور` of
    // `المنظور`, as `يلمنظور`): each makes a word seen whole with another piece of the line.
    if best.is_none() && !stretched {
        best = word
            .char_indices()
            .skip(1)
            .filter(|&(_, c)| !is_diacritic(c) && c != TATWEEL)
            .map(|(at, _)| at)
            .find(|&at| {
                let (left, right) = word.split_at(at);
                pieces_of_cut_words(left, right)
            })
            .map(|at| ((0, 0), at));
    }
    best.map(|(_, at)| at)
}

/// How many letters a word has, without its tatweels and diacritics.
fn letters(word: &str) -> usize {
    word.chars()
        .filter(|&c| c != TATWEEL && !is_diacritic(c))
        .count()
}

/// A conjunction or preposition of one letter, which is a word of its own.
pub(super) fn is_one_letter_particle(word: &str) -> bool {
    matches!(word, "و" | "ف" | "ب" | "ل" | "ك")
}

/// Whether two word pieces, the first written before the second, are one word cut in two.
pub(super) fn joins(left: &str, right: &str, model: &dyn WordModel) -> bool {
    joins_known(
        left,
        right,
        || model.known(left),
        || model.known(right),
        model,
    )
}

/// [`joins`], with whether each piece is known asked only when needed (a line's atoms know it).
fn joins_known(
    left: &str,
    right: &str,
    left_known: impl Fn() -> bool,
    right_known: impl Fn() -> bool,
    model: &dyn WordModel,
) -> bool {
    if ends_with_tatweel(left) && starts_with_tatweel(right) {
        return true;
    }
    // A taa marbuta and an alef maqsura end a word: nothing is written after them (`ة` +
    // `مـــة` is no `همه`, whatever folding makes of it).
    if left
        .trim_end_matches(|c| is_diacritic(c) || c == TATWEEL)
        .ends_with(['ة', 'ى'])
    {
        return false;
    }
    // A conjunction or preposition of one letter before a known word is written apart on
    // purpose (`و تقرير` is no cut word), or moved there by a reading; either way not joined.
    if is_one_letter_particle(left) && right_known() {
        return false;
    }
    // A tatweel on one side only is the run's own stretch: `حالـــ` + `ة`.
    if left_known() && right_known() {
        return false;
    }
    let mut joined = String::with_capacity(left.len() + right.len());
    joined.push_str(left);
    joined.push_str(right);
    model.known(&joined)
}

struct Search<'s, 'a> {
    atoms: &'s [Atom<'a>],
    model: &'s dyn WordModel,
    costs: &'s Costs,
    /// Each atom's token number in the model, looked up when first asked.
    keys: Vec<OnceCell<Option<u32>>>,
    /// Each atom's token as the pairs into it and out of it read it (see
    /// [`Search::key_before`], [`Search::key_after`]), looked up when first asked.
    keys_before: Vec<OnceCell<Option<u32>>>,
    keys_after: Vec<OnceCell<Option<u32>>>,
    /// [`Search::junction`]s asked so far, atom by atom (`NaN` for one not asked yet), made
    /// when the first is asked: a search that reads a line as it is asks none.
    junctions: OnceCell<Vec<Cell<f64>>>,
    /// The line is known to read better reversed: every space may be a cut.
    reversed: bool,
    /// A reading of the reversed line is being weighed: the cuts at its numbers, which the
    /// search is drawn to, cost nothing (they make no line likelier reversed).
    weighing: bool,
    /// See [`Readings::new`]: in a reversed line, a number and a word beside it are two runs.
    numbers_apart: bool,
}

/// A reading of a line: its runs in output order, each a range of atoms.
type Runs = Vec<(usize, usize)>;

impl<'s, 'a> Search<'s, 'a> {
    fn new(
        atoms: &'s [Atom<'a>],
        model: &'s dyn WordModel,
        costs: &'s Costs,
        numbers_apart: bool,
    ) -> Search<'s, 'a> {
        Search {
            atoms,
            model,
            costs,
            keys: vec![OnceCell::new(); atoms.len()],
            keys_before: vec![OnceCell::new(); atoms.len()],
            keys_after: vec![OnceCell::new(); atoms.len()],
            junctions: OnceCell::new(),
            reversed: false,
            weighing: false,
            numbers_apart,
        }
    }

    fn key(&self, i: usize) -> Option<u32> {
        *self.keys[i].get_or_init(|| self.model.token_id(&token_key(self.atoms[i].text)))
    }

    fn is_fragment(&self, atom: &Atom) -> bool {
        atom.kind == Kind::Word && !atom.known && letters(atom.text) <= 3
    }

    /// The score of atom `j` written right after atom `i`; `raw` when they are neighbours in
    /// the extracted line.
    fn pair(&self, i: usize, j: usize, raw: bool) -> f64 {
        let (a, b) = (&self.atoms[i], &self.atoms[j]);
        let mut score = 0.0;
        if a.kind == Kind::Word && b.kind == Kind::Word {
            let (cut_a, cut_b) = (ends_with_tatweel(a.text), starts_with_tatweel(b.text));
            if cut_a && cut_b {
                return self.costs.join;
            }
            if cut_a || cut_b {
                score -= self.costs.tatweel_edge;
            }
            if raw && b.gap == 0 {
                return 0.0; // a word this pass split: as extracted, it is one word
            }
            if !raw && self.joins_at(i, j) {
                return self.costs.join;
            }
        }
        if raw && (self.is_fragment(a) || self.is_fragment(b)) {
            return self.costs.fragment_pair;
        }
        let kinds = [a.kind, b.kind];
        if raw
            && b.gap == 0
            && a.text != "و"
            && kinds.contains(&Kind::Number)
            && (kinds.contains(&Kind::Word) || kinds.contains(&Kind::Latin))
        {
            score -= self.costs.glued_digit;
        }
        score
            + self
                .model
                .follows_ids(self.key_after(i), self.key_before(j))
    }

    /// The token a pair into atom `j` scores: a piece that begins a word the line cut in two
    /// (`المنظّ` of `المنظّ` … `مـــة`) is read as that word, which is what follows the word
    /// before it (`الجريمـــة المنظّمـــة`).
    fn key_before(&self, j: usize) -> Option<u32> {
        *self.keys_before[j].get_or_init(|| self.whole_word(j, true).or_else(|| self.key(j)))
    }

    /// The token a pair out of atom `i` scores: a piece that ends a cut word (`ة` of `حالـــ`
    /// … `ة`) is read as that word (`حالـــة التـــصديق`).
    fn key_after(&self, i: usize) -> Option<u32> {
        *self.keys_after[i].get_or_init(|| self.whole_word(i, false).or_else(|| self.key(i)))
    }

    /// Whether the line holds a word cut in two with its second piece written first and other
    /// atoms between them (`مـــة عـــبر … المنظّ`): the sign of runs written in reverse order.
    fn holds_cut_word(&self) -> bool {
        (2..self.atoms.len()).any(|j| {
            let first = &self.atoms[j];
            first.kind == Kind::Word
                && (ends_with_tatweel(first.text) || !first.known)
                && (0..j - 1).any(|i| {
                    let second = &self.atoms[i];
                    let open = starts_with_tatweel(second.text) || !second.known;
                    let short = letters(first.text) >= 2 && letters(second.text) <= 3;
                    second.kind == Kind::Word && (open || short) && self.joins_at(j, i)
                })
        })
    }

    /// The token of the likeliest word that atom `i`, a piece open on that side (unknown, or
    /// stretched by a tatweel there), makes with another piece of the line: the piece first
    /// when `first`. A known word lengthened by a piece of one letter is no such word (any
    /// word takes a letter of ending: `التقريـر` + `يُ`).
    fn whole_word(&self, i: usize, first: bool) -> Option<u32> {
        let piece = &self.atoms[i];
        let stretched = |atom: &Atom, at_end: bool| {
            if at_end {
                ends_with_tatweel(atom.text)
            } else {
                starts_with_tatweel(atom.text)
            }
        };
        // A whole word closed on that side is no piece; a conjunction or preposition of one
        // letter is a word of its own.
        let closed = piece.known && !stretched(piece, first);
        if piece.kind != Kind::Word || closed || is_one_letter_particle(piece.text) {
            return None;
        }
        let long = letters(piece.text) >= 2;
        let mut best: Option<((bool, u32), Option<u32>)> = None;
        for (j, other) in self.atoms.iter().enumerate() {
            if j == i || other.kind != Kind::Word {
                continue;
            }
            let (left, right) = if first { (i, j) } else { (j, i) };
            // The other piece is open too, or short beside a piece of two letters or more.
            let open = stretched(other, !first) || !other.known;
            if !(open || (long && letters(other.text) <= 3)) || !self.joins_at(left, right) {
                continue;
            }
            let word = format!("{}{}", self.atoms[left].text, self.atoms[right].text);
            let rank = (open, self.model.seen(&word));
            if best.is_none_or(|(r, _)| rank > r) {
                best = Some((rank, self.model.token_id(&token_key(&word))));
            }
        }
        best.and_then(|(_, key)| key)
    }

    /// Whether atom `j`, written after atom `i` where they are not neighbours as extracted,
    /// ends the word `i` begins (what [`Search::pair`] scores as a join).
    fn joins_at(&self, i: usize, j: usize) -> bool {
        let (a, b) = (&self.atoms[i], &self.atoms[j]);
        if a.kind != Kind::Word || b.kind != Kind::Word {
            return false;
        }
        if (ends_with_tatweel(a.text) && starts_with_tatweel(b.text))
            || (!(a.known && b.known)
                && joins_known(a.text, b.text, || a.known, || b.known, self.model))
        {
            return true;
        }
        // A word cut in three, whose last two pieces were glued together in reverse order
        // (`المن` … `مةظّ`, `مة` written before `ظّ`): `b` and the piece glued before it end
        // the word `a` begins.
        let glued = j
            .checked_sub(1)
            .map(|k| &self.atoms[k])
            .filter(|c| b.gap == 0 && c.kind == Kind::Word && !b.known && i + 1 != j);
        glued.is_some_and(|c| self.model.known(&format!("{}{}{}", a.text, b.text, c.text)))
    }

    /// [`Search::pair`] of two atoms that are not neighbours as extracted (the last atom of a
    /// run, the first of another), remembered: the search asks each many times, and the
    /// search of a reversed line asks again what the first search asked.
    fn junction(&self, i: usize, j: usize) -> f64 {
        let n = self.atoms.len();
        let cells = self
            .junctions
            .get_or_init(|| vec![Cell::new(f64::NAN); n * n]);
        let cell = &cells[i * n + j];
        if cell.get().is_nan() {
            cell.set(self.pair(i, j, false));
        }
        cell.get()
    }

    /// The cost of a run boundary just before atom `c`.
    fn cut(&self, c: usize) -> f64 {
        let (prev, atom) = (&self.atoms[c - 1], &self.atoms[c]);
        if atom.gap == 0 {
            if prev.kind == Kind::Word && atom.kind == Kind::Word {
                return self.costs.cut_inside_word;
            }
            // `.)` at a line's start is `).` written backwards: two marks, each a run.
            if prev.kind == Kind::Punct && atom.kind == Kind::Punct {
                return 0.0;
            }
            if matches!(prev.text, "/" | "(") || matches!(atom.text, "/" | ")") {
                return CUT_NEVER;
            }
            if prev.kind == Kind::Punct && ends_sentence_part(prev.text) && atom.kind != Kind::Punct
            {
                return self.costs.cut_glued_kinds;
            }
            // A mark against a number that is a run of its own belongs to the words' run.
            let kinds = [prev.kind, atom.kind];
            if self.reversed
                && self.numbers_apart
                && kinds.contains(&Kind::Number)
                && kinds.contains(&Kind::Punct)
            {
                return if self.weighing {
                    0.0
                } else {
                    self.costs.cut_glued_kinds
                };
            }
            if (atom.kind == Kind::Punct && closes(atom.text))
                || (prev.kind == Kind::Punct && opens(prev.text))
            {
                return self.costs.cut_single_space;
            }
            // `و5` and `وCTOC/…` are how logical text writes "and 5": as dear to cut as a space.
            if prev.text == "و" && matches!(atom.kind, Kind::Number | Kind::Latin) {
                return self.costs.cut_single_space;
            }
            let punct = prev.kind == Kind::Punct || atom.kind == Kind::Punct;
            return if prev.kind != atom.kind && !punct {
                self.costs.cut_glued_kinds
            } else {
                0.0
            };
        }
        if starts_with_tatweel(atom.text) || ends_with_tatweel(prev.text) {
            return self.costs.cut_tatweel_edge;
        }
        // A list label (`-١`) starts a run of its own.
        let label = atom.text == "-"
            && self
                .atoms
                .get(c + 1)
                .is_some_and(|n| n.kind == Kind::Number && n.gap == 0);
        if label {
            return self.costs.cut_wide_space;
        }
        if atom.text == "/" || prev.text == "/" {
            return self.costs.cut_wide_space;
        }
        let kinds = [prev.kind, atom.kind];
        if atom.gap == 1
            && kinds.contains(&Kind::Word)
            && (kinds.contains(&Kind::Number) || kinds.contains(&Kind::Latin))
        {
            return if self.reversed && self.numbers_apart {
                if self.weighing {
                    0.0
                } else {
                    self.costs.cut_wide_space
                }
            } else {
                self.costs.cut_spaced_kinds
            };
        }
        if atom.gap >= 2 {
            // Two spaces after an unknown word that one more letter would make known are a
            // dropped letter, not a run boundary.
            if prev.kind == Kind::Word && !prev.known && self.lost_a_letter(prev.text) {
                return self.costs.cut_single_space;
            }
            return self.costs.cut_wide_space;
        }
        if self.reversed {
            return self.costs.cut_space_reversed;
        }
        self.costs.cut_single_space
    }

    /// Whether an unknown word is a known one with a letter lost at its end.
    fn lost_a_letter(&self, word: &str) -> bool {
        let mut longer = String::with_capacity(word.len() + 2);
        ('\u{0621}'..='\u{064A}')
            .filter(|&c| c != TATWEEL)
            .any(|c| {
                longer.clear();
                longer.push_str(word);
                longer.push(c);
                self.model.known(&longer)
            })
    }

    fn start(&self, first: usize) -> f64 {
        let atom = &self.atoms[first];
        let mut score = 0.0;
        if atom.kind == Kind::Punct && closes(atom.text) {
            score -= self.costs.punct_at_edge;
        }
        if starts_with_tatweel(atom.text) {
            score -= self.costs.tatweel_edge;
        }
        score
    }

    /// The score of ending the output with atom `last`, written after atom `before`.
    fn end(&self, last: usize, before: Option<usize>) -> f64 {
        let atom = &self.atoms[last];
        let mut score = 0.0;
        // A list label (`-١`, `-27`) at the end of a line: labels come first. As extracted,
        // the dash must stand apart from a number before it, so that a range (`١٥-١٩`) is not
        // taken for one; against a word (`بتنفيذ-٢`) it is a label.
        let dash = before.filter(|&b| self.atoms[b].text == "-");
        let label = dash.is_some_and(|b| {
            b + 1 != last
                || b == 0
                || self.atoms[b].gap > 0
                || self.atoms[b - 1].kind != Kind::Number
        });
        if atom.kind == Kind::Number && label && atom.text.chars().count() <= 3 {
            score -= self.costs.label_at_end;
        }
        // An opening mark, or a conjunction that logical text writes against its word.
        if (atom.kind == Kind::Punct && opens(atom.text)) || atom.text == "و" {
            score -= self.costs.punct_at_edge;
        }
        score
    }

    /// The score [`Search::best_reversal`] gives a reading: `runs` in output order.
    fn score_of(&self, runs: &Runs) -> f64 {
        let cut = |c: usize| self.cut(c) + self.pair(c - 1, c, true);
        let Some((&(first, _), &(_, last_end))) = runs.first().zip(runs.last()) else {
            return f64::NEG_INFINITY;
        };
        let mut total = self.start(first) - cut(first);
        for pair in runs.windows(2) {
            let ((_, end), (next, _)) = (pair[0], pair[1]);
            total += self.junction(end - 1, next);
            if next > 0 {
                total -= cut(next);
            }
        }
        let before = if last_end >= 2 {
            last_end - 2
        } else {
            runs[runs.len().saturating_sub(2)].1 - 1
        };
        total + self.end(last_end - 1, Some(before))
    }

    /// The line as it is, and its best reading with at least two runs reversed.
    fn best_reversal(&self) -> Option<(f64, (f64, Runs))> {
        let n = self.atoms.len();
        // Only where a cut may pay: a marked boundary, a change of kind, a fragment; and, in a
        // line already read better reversed, any space (an earlier version that tried every
        // space in every line restored one more hand-restored line at half the speed).
        let cut: Vec<f64> = (0..n)
            .map(|c| if c == 0 { 0.0 } else { self.cut(c) })
            .collect();
        let starts: Vec<usize> = (1..n)
            .filter(|&c| {
                let (prev, atom) = (&self.atoms[c - 1], &self.atoms[c]);
                prev.kind != atom.kind
                    || self.is_fragment(prev)
                    || self.is_fragment(atom)
                    || cut[c] < self.costs.cut_single_space
                    || (self.reversed && atom.gap > 0)
            })
            .collect();
        if starts.is_empty() {
            return None;
        }
        // Every reading keeps the pairs of neighbours of the line as extracted except where it
        // cuts, so scores leave those pairs out and a cut costs the pair it breaks: the line
        // as it is scores its edges alone.
        let mut cuts = vec![0.0; n];
        for &c in &starts {
            cuts[c] = cut[c] + self.pair(c - 1, c, true);
        }
        let as_is = self.start(0) + self.end(n - 1, Some(n - 2));
        let mut ends = starts.clone();
        ends.push(n);
        // best[s][e]: the best output so far, whose latest run is atoms s..e; the runs before
        // it in the output are the atoms after e.
        let at = |s: usize, e: usize| s * (n + 1) + e;
        let mut best = vec![f64::NEG_INFINITY; (n + 1) * (n + 1)];
        // back[at(s, e)]: where the best output ending with run s..e came from, as `at` of
        // its run before (`NONE` for none), small so that each search clears little memory.
        const NONE: u32 = u32::MAX;
        let mut back: Vec<u32> = vec![NONE; (n + 1) * (n + 1)];
        for &s in &starts {
            best[at(s, n)] = self.start(s) - cuts[s];
        }
        let mut found: Option<(f64, usize, usize)> = None;
        for (k, &s) in starts.iter().enumerate().rev() {
            for &e in ends.iter().filter(|&&e| e > s) {
                let current = best[at(s, e)];
                if current == f64::NEG_INFINITY {
                    continue;
                }
                let total = current
                    + self.junction(e - 1, 0)
                    + self.end(s - 1, Some(if s >= 2 { s - 2 } else { e - 1 }));
                if found.is_none_or(|(t, _, _)| total > t) {
                    found = Some((total, s, e));
                }
                for &s2 in &starts[..k] {
                    let v = current + self.junction(e - 1, s2) - cuts[s2];
                    if v > best[at(s2, s)] {
                        best[at(s2, s)] = v;
                        back[at(s2, s)] = at(s, e) as u32;
                    }
                }
            }
        }
        let (total, s, e) = found?;
        let mut runs = vec![(0, s)];
        let mut state = Some((s, e));
        while let Some((s, e)) = state {
            runs.push((s, e));
            state = match back[at(s, e)] {
                NONE => None,
                from => Some((from as usize / (n + 1), from as usize % (n + 1))),
            };
        }
        runs.reverse();
        Some((as_is, (total, runs)))
    }

    /// The atoms of `runs` as text: one space between words, punctuation against its word,
    /// pieces of a cut word joined, and atoms that were glued together kept glued.
    fn render(&self, runs: &Runs) -> String {
        let mut out = String::new();
        let mut prev: Option<usize> = None;
        for &(s, e) in runs {
            for i in s..e {
                let atom = &self.atoms[i];
                if let Some(p) = prev {
                    let before = &self.atoms[p];
                    let number_and_word = [before.kind, atom.kind].contains(&Kind::Number)
                        && [before.kind, atom.kind].contains(&Kind::Word);
                    let slash = atom.text == "/" || before.text == "/";
                    let glued = if i == p + 1 {
                        (atom.gap == 0 && !number_and_word) || slash
                    } else if i + 1 == p && before.gap == 0 {
                        !number_and_word || before.text == "و"
                    } else {
                        slash
                            || self.joins_at(p, i)
                            || (atom.kind == Kind::Punct && closes(atom.text))
                            || (before.kind == Kind::Punct && opens(before.text))
                            || (before.text == "و" && atom.kind == Kind::Number)
                    };
                    if !glued {
                        out.push(' ');
                    }
                }
                out.push_str(atom.text);
                prev = Some(i);
            }
        }
        out
    }
}

/// `-١ المسائل` → `١- المسائل`: a list label reversed with its line.
fn turn_label(line: &str) -> String {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([-–])\s*([0-9٠-٩۰-۹]{1,3})(\s|$)").expect("valid label regex")
    });
    match LABEL.captures(line) {
        Some(caps) => format!(
            "{}{}{}",
            &caps[2],
            &caps[1],
            &line[caps[0].len() - caps[3].len()..]
        ),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::model::CORPUS_MODEL;

    fn reorder(line: &str) -> Option<String> {
        reorder_line(
            line,
            true,
            &*CORPUS_MODEL,
            &Costs::default(),
            &Readings::default(),
        )
    }

    #[test]
    fn numbers_glued_to_words_are_runs_of_their_own() {
        let kinds: Vec<Kind> = atoms("23المعني 9/1، ١٥-١٩ CTOC/COP/2012/1)")
            .iter()
            .map(|a| a.kind)
            .collect();
        use Kind::*;
        assert_eq!(
            kinds,
            [Number, Word, Number, Punct, Number, Punct, Number, Latin, Punct]
        );
    }

    #[test]
    fn a_reversed_line_of_a_number_and_words_is_put_back() {
        assert_eq!(
            reorder("  20والعملية والتنفيذية بشأن تنفيذ المادة ").as_deref(),
            Some("والعملية والتنفيذية بشأن تنفيذ المادة 20")
        );
    }

    #[test]
    fn list_labels_turn_round_with_their_line() {
        assert_eq!(
            reorder(" :المسائل التنظيمية -١").as_deref(),
            Some("١- المسائل التنظيمية:")
        );
    }

    #[test]
    fn lines_in_logical_order_stay_as_they_are() {
        for line in [
            "والعملية والتنفيذية بشأن تنفيذ المادة 20",
            "١- المسائل التنظيمية:",
            "وقرر المؤتمر أن يعقد دورته الثانية عشرة في فيينا.",
            "CTOC/COP/2018/1",
        ] {
            assert_eq!(reorder(line), None, "{line}");
        }
    }

    #[test]
    fn a_reading_scores_what_the_search_found_for_it() {
        for line in [
            "  20والعملية والتنفيذية بشأن تنفيذ المادة ",
            " :المسائل التنظيمية -١",
            "ــادية عند وضـ ــانية والاقتصـ",
            " مــن ٣٠، أن يتم تنفيذ المادة  ٥٥/٢٥رت الجمعية العامة، في قرارها قــرَّ ",
        ] {
            let atoms = split_unknown_words(atoms(line), &*CORPUS_MODEL, &Splits::default());
            for (reversed, numbers_apart) in [(false, false), (true, false), (true, true)] {
                let costs = Costs::default();
                let search = Search {
                    reversed,
                    ..Search::new(&atoms, &*CORPUS_MODEL, &costs, numbers_apart)
                };
                let (_, (score, runs)) = search.best_reversal().expect("a reading");
                assert!((search.score_of(&runs) - score).abs() < 1e-9, "{line}");
            }
        }
    }

    #[test]
    fn a_line_begun_inside_is_turned_round_its_cut_word() {
        // As written from `لمؤتمر` on, then from the line's start: `ا` + `لمؤتمر` is one word.
        assert_eq!(
            reorder(" لمؤتمر أن يعقد دورته الثانية عشرة في فيينا وقرر ا").as_deref(),
            Some("وقرر المؤتمر أن يعقد دورته الثانية عشرة في فيينا")
        );
        // The same with the runs of each part written left to right, a number a run of its own.
        assert_eq!(
            reorder("ــدة في المادة   وقرر المؤتمر  من الاتفاقية    12أن يعقد دورته الجديـــ")
                .as_deref(),
            Some("وقرر المؤتمر أن يعقد دورته الجديـــــدة في المادة 12 من الاتفاقية")
        );
        // Begun at a comma the extractor glued to the word after it (the cut word is a noun
        // ending in a taa marbuta, with a pronoun).
        assert_eq!(
            reorder(" جمتها ونشرها،وقرر المؤتمر أن يعقد دورته في فيينا والحد من تر ").as_deref(),
            Some("وقرر المؤتمر أن يعقد دورته في فيينا والحد من ترجمتها ونشرها،")
        );
    }

    #[test]
    fn a_tatweel_written_apart_goes_back_on_its_word() {
        assert_eq!(attach_lone_tatweels("ها من ـ ٣٦ من"), "ها منـ ٣٦ من");
        assert_eq!(attach_lone_tatweels("الـتي تلقّ ــ"), "الـتي تلقّــ");
        // A tatweel that starts a piece, and one between two numbers, stay where they are.
        assert_eq!(attach_lone_tatweels("من ــادية"), "من ــادية");
        assert_eq!(attach_lone_tatweels("١٢ ـ ١٥"), "١٢ ـ ١٥");
    }

    #[test]
    fn nothing_is_joined_after_a_taa_marbuta() {
        // Folded, the join would be a known word (`همه`, a pronoun with a suffix).
        assert!(CORPUS_MODEL.known("ةمـــة"));
        assert!(!joins("ة", "مـــة", &*CORPUS_MODEL));
        assert!(joins("حالـــ", "ة", &*CORPUS_MODEL));
    }

    #[test]
    fn two_pieces_of_two_cut_words_glued_together_are_split_apart() {
        // `ي` ends `الجنســــاني` and `لمنظور` is `المنظور` without its `ا`.
        let line = "الفريق المعني   يلمنظور الجنســــان تعميم مراعاة ا";
        let split = split_unknown_words(atoms(line), &*CORPUS_MODEL, &Splits::default());
        let texts: Vec<&str> = split.iter().map(|a| a.text).collect();
        assert!(texts.windows(2).any(|w| w == ["ي", "لمنظور"]), "{texts:?}");
        // A piece that makes a word with another piece of the line stays whole.
        let split = split_unknown_words(
            atoms("مـــة عـــبر الجريمـــة المنظّ"),
            &*CORPUS_MODEL,
            &Splits::default(),
        );
        assert!(split.iter().any(|a| a.text == "المنظّ"));
    }

    #[test]
    fn a_line_holding_a_word_cut_in_reverse_order_is_read_reversed() {
        // `الجريمة المنظّمة عبر الوطنية` in two runs, cut inside `المنظّمة`, the second run
        // written first: no pair of the line is unlikely enough on its own to turn it.
        let out =
            reorder("مة عبر الوطنية وتنفيذ اتفاقية الأمم المتحدة لمكافحة الجريمة المنظّ").unwrap();
        assert_eq!(
            out,
            "وتنفيذ اتفاقية الأمم المتحدة لمكافحة الجريمة المنظّمة عبر الوطنية"
        );
    }

    #[test]
    fn pieces_of_a_cut_word_are_read_as_the_word_and_show_the_line_reversed() {
        let costs = Costs::default();
        let line = "مـــة عـــبر الوطنيـــة وتنفيذ الجريمـــة المنظّ";
        let pieces = split_unknown_words(atoms(line), &*CORPUS_MODEL, &Splits::default());
        let search = Search::new(&pieces, &*CORPUS_MODEL, &costs, false);
        assert!(search.holds_cut_word());
        // The pair into `المنظّ` is the pair into `المنظّمة`; the pair out of it its own.
        let piece = pieces.iter().position(|a| a.text == "المنظّ").unwrap();
        let whole = CORPUS_MODEL.token_id(&token_key("المنظمة"));
        assert!(whole.is_some());
        assert_eq!(search.key_before(piece), whole);
        assert_eq!(search.key_after(piece), search.key(piece));
        // The same words in logical order hold no word cut in two.
        let logical = split_unknown_words(
            atoms("وتنفيذ الجريمـــة المنظّمـــة عـــبر الوطنيـــة"),
            &*CORPUS_MODEL,
            &Splits::default(),
        );
        assert!(!Search::new(&logical, &*CORPUS_MODEL, &costs, false).holds_cut_word());
    }

    #[test]
    fn a_word_cut_in_three_is_made_whole() {
        // `المنظّمة` as `المن` and `ظّمة` written `مةظّ` (its two runs glued, the second first).
        let out = reorder("مةظّ لمكافحة الجريمة المن   اتفاقية الأمم المتحدة").unwrap();
        assert_eq!(out, "اتفاقية الأمم المتحدة لمكافحة الجريمة المنظّمة");
    }

    #[test]
    fn tatweel_cut_words_are_joined() {
        let out = reorder("ــادية عند وضـ ــانية والاقتصـ").unwrap();
        assert!(out.contains("والاقتصـــادية"), "{out}");
    }
}
