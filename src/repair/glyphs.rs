//! Glyph maps: a font whose map from glyphs to characters is broken writes one letter for
//! another, and a filler letter where a tatweel stretches a word (`الأككذاا المتعةقذة` for
//! `الأحكام المتعلقة`: ح as ك, ل as ة, a final م as ا, ذ for the tatweel). No map is written
//! here: each document teaches its own. Its words spelled as no Arabic word is are the sign,
//! and must teach something by themselves; a font covers whole runs (a heading, a bold
//! phrase), so the map is then learned from the lines that hold them: a letter is a filler
//! where leaving it out makes several different words known, and a letter is misread where
//! several different words are one known word but for it. A word is rewritten only where the
//! map reads it as one known word, and only in a line that shows the font.

use memchr::memmem;
use rustc_hash::{FxHashMap, FxHashSet};

use super::model::WordModel;
use crate::analysis::{fold, fold_char};

/// Misspelled words a document must have before its glyph map is learned: one or two are a
/// typing slip or two words glued together, which any document may have.
const MISSPELLED_WORDS: usize = 3;
/// Different words that must show a filler or a misread letter before it is learned: one or
/// two are rare words a letter away from known ones, which any line may hold.
const WITNESSES: usize = 3;
/// How many times as often as a known word the word it is read as must be seen: a broken word
/// repeated in the corpus is known to the model too (`التعاوو`, seen 4 times, for `التعاون`,
/// 140), and so is a rare word a letter away from a frequent one, which must stay.
const DOMINANCE: u32 = 8;
/// A word the model has seen this often is a word, whatever the map makes of it.
const SEEN_FOR_SURE: u32 = 8;
/// Readings of one word at most: each letter the map misreads doubles them.
const MAX_READINGS: usize = 256;
/// Rounds of learning at most: each learns what the map of the round before lets words show.
const ROUNDS: usize = 6;

/// Whether a word is spelled as no Arabic word is: a sign of a broken glyph map (the signs
/// of [`signs`], two alefs running, and a letter written three times running).
fn is_misspelled(word: &str) -> bool {
    let (mut before, mut prev) = (None, None);
    for c in word.chars() {
        let misspelled = match prev {
            // Taa marbuta and alef maqsura end a word; two alefs never meet.
            Some('ة' | 'ى') => is_letter(c),
            Some('ا') if c == 'ا' => true,
            // No letter is written three times running (a doubled one takes a shadda).
            Some(p) => p == c && before == Some(c) && is_letter(c),
            None => false,
        };
        if misspelled {
            return true;
        }
        (before, prev) = (prev, Some(c));
    }
    false
}

/// Whether a text has misspelled words enough for its glyph map to be learned, by the signs a
/// fast search finds (every document is checked).
// Kept out of `Damage::of`, whose loop it slows when inlined there.
#[inline(never)]
pub(super) fn shows_misspellings(text: &str) -> bool {
    let mut words = FxHashSet::default();
    signs(text).any(|at| {
        words.insert(word_around(text, at));
        words.len() >= MISSPELLED_WORDS
    })
}

/// Where a text misspells a word as a fast search finds it: a taa marbuta or an alef maqsura
/// followed by a letter.
fn signs(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    // The sign's second byte and the next letter's first: a pair that the words ending with
    // either letter, most of them, do not make.
    let signs = ["ة", "ى"].map(|sign| sign.as_bytes());
    signs.into_iter().flat_map(move |sign| {
        [0xD8, 0xD9].into_iter().flat_map(move |lead| {
            memmem::find_iter(bytes, &[sign[1], lead])
                .filter(move |&at| {
                    at > 0
                        && bytes[at - 1] == sign[0]
                        && text[at + 1..].chars().next().is_some_and(is_letter)
                })
                .map(|at| at - 1)
                .collect::<Vec<_>>()
        })
    })
}

/// The Arabic word around a byte offset of a text.
fn word_around(text: &str, at: usize) -> &str {
    &text[super::text::run_around(text, at, super::text::is_arabic_letter)]
}

/// A letter as a font writes it: no tatweel, no vowel marks.
fn is_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
}

/// Letters that join the letter after them, so that a tatweel may follow them.
fn joins_next(c: char) -> bool {
    is_letter(c)
        && !matches!(
            c,
            'ء' | 'آ' | 'أ' | 'ؤ' | 'إ' | 'ا' | 'ة' | 'د' | 'ذ' | 'ر' | 'ز' | 'و' | 'ى'
        )
}

fn is_alef(c: char) -> bool {
    matches!(c, 'ا' | 'أ' | 'إ' | 'آ')
}

fn fold_letter(c: char) -> char {
    fold_char(c).unwrap_or(c)
}

fn text_of(letters: &[char]) -> String {
    letters.iter().collect()
}

/// The Arabic words of a text, as the passes split them.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !super::text::is_arabic_letter(c))
        .filter(|w| !w.is_empty())
}

/// Whether the map may have written a word: letters only, three at least.
fn is_letters(word: &str) -> bool {
    word.chars().all(is_letter) && word.chars().nth(2).is_some()
}

/// The letters of a word the map may have written.
fn letters(word: &str) -> Option<Vec<char>> {
    is_letters(word).then(|| word.chars().collect())
}

/// A letter one font writes for another (`meant` folded, as the model spells words), in one
/// of its forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Misreading {
    written: char,
    meant: char,
    form: Form,
}

/// How a letter is drawn in its word: joined to the letter before it, to the one after it, to
/// both or to neither. A font draws each form apart, so a broken map may misread one form of a
/// letter and not another (`عاا` for `عام`, and `عليهم` as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Form {
    Isolated,
    Initial,
    Medial,
    Final,
}

/// The form of the letter at `i` of a word of these letters.
fn form(letters: &[char], i: usize) -> Form {
    let before = i > 0 && joins_next(letters[i - 1]);
    let after = i + 1 < letters.len() && joins_next(letters[i]);
    match (before, after) {
        (false, false) => Form::Isolated,
        (false, true) => Form::Initial,
        (true, true) => Form::Medial,
        (true, false) => Form::Final,
    }
}

/// The fillers and misread letters a document shows.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct GlyphMap {
    fillers: Vec<char>,
    misreadings: Vec<Misreading>,
}

impl GlyphMap {
    fn is_empty(&self) -> bool {
        self.fillers.is_empty() && self.misreadings.is_empty()
    }

    /// Whether the map may read a word otherwise: it has a filler, or a letter the map
    /// misreads in some form.
    fn may_read(&self, word: &str) -> bool {
        word.chars()
            .any(|c| self.fillers.contains(&c) || self.misreadings.iter().any(|m| m.written == c))
    }

    fn learn(&mut self, lesson: Lesson) {
        match lesson {
            Lesson::Filler(c) => self.fillers.push(c),
            Lesson::Misreading(m) => self.misreadings.push(m),
        }
    }
}

/// What one word may teach: a letter it shows as a filler, or a letter it shows misread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Lesson {
    Filler(char),
    Misreading(Misreading),
}

impl Lesson {
    fn written(self) -> char {
        match self {
            Lesson::Filler(c) => c,
            Lesson::Misreading(m) => m.written,
        }
    }
}

/// How well the model knows a word as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Not known, or spelled as no word is.
    Unknown,
    /// Known, and seen so many times as a whole word.
    Seen(u32),
}

fn standing(word: &str, model: &dyn WordModel) -> Standing {
    if is_misspelled(word) || !model.known(word) {
        Standing::Unknown
    } else {
        Standing::Seen(model.seen(word))
    }
}

/// Whether a word of this standing may be a misreading of `meant`: `meant` is spelled as a word
/// is and known, and seen far more often than the word, where the word is known too.
fn may_mean(standing: Standing, meant: &str, model: &dyn WordModel) -> bool {
    !is_misspelled(meant)
        && model.known(meant)
        && match standing {
            Standing::Unknown => true,
            Standing::Seen(n) => n < SEEN_FOR_SURE && model.seen(meant) >= DOMINANCE * n.max(1),
        }
}

/// The only word meant, or the one seen far more often than any other.
fn only_or_dominant<T>(
    mut meant: Vec<T>,
    folded: impl Fn(&T) -> &str,
    model: &dyn WordModel,
) -> Option<T> {
    if meant.len() > 1 {
        meant.sort_by_cached_key(|m| std::cmp::Reverse(model.seen(folded(m))));
        let second = model.seen(folded(&meant[1]));
        if model.seen(folded(&meant[0])) < DOMINANCE * second.max(1) {
            return None;
        }
    }
    meant.into_iter().next()
}

/// Learns the document's glyph map, and the words it rewrites. The misspelled words (as the
/// fast search finds them, and with two alefs running, which takes longer to search) must
/// teach something by themselves, else the document is read no further (its misspellings are
/// slips, or words another damage glued together: a clean document costs no more). The map
/// is then learned from the lines that hold them, and again from those and the lines that
/// show the font, until no more do.
pub(super) fn learn(text: &str, model: &dyn WordModel) -> Rewrites {
    let alefs = memmem::find_iter(text.as_bytes(), "اا".as_bytes());
    let misspelled: FxHashSet<&str> = signs(text)
        .chain(alefs)
        .map(|at| word_around(text, at))
        .collect();
    let alone: Vec<(Vec<char>, Standing)> = misspelled
        .iter()
        .filter_map(|word| letters(word))
        .map(|letters| (letters, Standing::Unknown))
        .collect();
    if learn_map(GlyphMap::default(), &alone, model).is_empty() {
        return Rewrites::default();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut showing: Vec<bool> = lines
        .iter()
        .map(|l| words_of(l).any(|w| misspelled.contains(w)))
        .collect();
    let shown = |showing: &[bool]| {
        lines
            .iter()
            .zip(showing)
            .filter(|(_, &s)| s)
            .map(|(l, _)| *l)
            .collect::<Vec<_>>()
    };
    let seed_lines = shown(&showing);
    let mut seed = Words::of(&seed_lines, false);
    let mut map = learn_map(
        GlyphMap::default(),
        &seed.suspects_in(&seed_lines, model),
        model,
    );
    if map.is_empty() {
        return Rewrites::default();
    }
    let mut words = Words::of(&lines, true);
    let mut rewrites = words.rewrite(&map, model);
    for _ in 0..ROUNDS {
        let wider: Vec<bool> = lines
            .iter()
            .zip(&showing)
            .map(|(line, &shows)| shows || rewrites.shows_font(line))
            .collect();
        if wider == showing {
            break;
        }
        showing = wider;
        let suspects = words.suspects_in(&shown(&showing), model);
        let wider_map = learn_map(map.clone(), &suspects, model);
        if wider_map == map {
            break;
        }
        map = wider_map;
        rewrites = words.rewrite(&map, model);
    }
    rewrites
}

/// The words of some lines of a document the map may have written (letters only, three at
/// least), with how often they are written there, and how the model knows each one it was
/// asked about.
struct Words<'a> {
    counts: FxHashMap<&'a str, usize>,
    /// Whether the lines are all the document's: then a known word written here as often as
    /// the model has seen it is known from this document alone, which cannot vouch for its
    /// own words (a broken word repeated), and is suspect.
    whole: bool,
    standings: FxHashMap<&'a str, Option<Standing>>,
}

impl<'a> Words<'a> {
    fn of(lines: &[&'a str], whole: bool) -> Words<'a> {
        let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
        for word in lines.iter().flat_map(|l| words_of(l)) {
            if is_letters(word) {
                *counts.entry(word).or_default() += 1;
            }
        }
        Words {
            counts,
            whole,
            standings: FxHashMap::default(),
        }
    }

    /// How the model knows a word of these lines that the map may have written; `None` for a
    /// word it knows for sure.
    fn suspect(&mut self, word: &'a str, model: &dyn WordModel) -> Option<Standing> {
        let count = *self.counts.get(word)?;
        let whole = self.whole;
        *self
            .standings
            .entry(word)
            .or_insert_with(|| match standing(word, model) {
                Standing::Seen(n) if n >= SEEN_FOR_SURE || (whole && n as usize > count) => None,
                standing => Some(standing),
            })
    }

    /// The suspects of these lines, each once, in the order the lines hold them.
    fn suspects_in(
        &mut self,
        lines: &[&'a str],
        model: &dyn WordModel,
    ) -> Vec<(Vec<char>, Standing)> {
        let mut taken = FxHashSet::default();
        let mut out = Vec::new();
        for word in lines.iter().flat_map(|l| words_of(l)) {
            if taken.insert(word) {
                if let (Some(standing), Some(letters)) = (self.suspect(word, model), letters(word))
                {
                    out.push((letters, standing));
                }
            }
        }
        out
    }

    /// The words the map reads as one known word (the only one, or one seen far more often
    /// than the others: a broken word repeated is known too), written as the document writes
    /// that word elsewhere (with its hamza and its taa marbuta), else letter by letter as read.
    fn rewrite(&mut self, map: &GlyphMap, model: &dyn WordModel) -> Rewrites {
        let mut words: Vec<&str> = self.counts.keys().copied().collect();
        words.retain(|w| map.may_read(w));
        let mut rewrites: FxHashMap<String, (String, String, usize)> = FxHashMap::default();
        for word in words {
            let Some(standing) = self.suspect(word, model) else {
                continue;
            };
            let Some(letters) = letters(word) else {
                continue;
            };
            let mut meant: Vec<(String, String, usize)> = Vec::new();
            for reading in readings(&letters, map) {
                let text = text_of(&reading.letters);
                if reading.changes == 0 || !may_mean(standing, &text, model) {
                    continue;
                }
                let folded = fold(&text);
                match meant.iter_mut().find(|m| m.0 == folded) {
                    Some(m) => m.2 = m.2.min(reading.changes),
                    None => meant.push((folded, text, reading.changes)),
                }
            }
            if let Some(best) = only_or_dominant(meant, |m| &m.0, model) {
                rewrites.insert(word.to_owned(), best);
            }
        }
        let spelled = self.spellings(rewrites.values().map(|(folded, text, _)| (folded, text)));
        let words = rewrites
            .into_iter()
            .map(|(word, (folded, text, changes))| {
                let text = spelled.get(&folded).map_or(text, |&w| w.to_owned());
                (word, Rewrite { text, changes })
            })
            .collect();
        Rewrites { words }
    }

    /// How the lines write these words (folded) most often, where they write them otherwise
    /// than as read.
    fn spellings<'w>(
        &self,
        wanted: impl Iterator<Item = (&'w String, &'w String)>,
    ) -> FxHashMap<String, &'a str> {
        let wanted: FxHashSet<&String> = wanted
            .filter(|(folded, text)| folded != text)
            .map(|(folded, _)| folded)
            .collect();
        let mut best: FxHashMap<String, (&str, usize)> = FxHashMap::default();
        if wanted.is_empty() {
            return FxHashMap::default();
        }
        // Folding keeps a letter's length in bytes, and a word of letters has no marks.
        let lengths: FxHashSet<usize> = wanted.iter().map(|w| w.len()).collect();
        for (&word, &count) in &self.counts {
            if !lengths.contains(&word.len()) {
                continue;
            }
            let folded = fold(word);
            if wanted.contains(&folded) {
                let spelling = best.entry(folded).or_insert((word, 0));
                if count > spelling.1 {
                    *spelling = (word, count);
                }
            }
        }
        best.into_iter().map(|(f, (w, _))| (f, w)).collect()
    }
}

fn learn_map(
    mut map: GlyphMap,
    suspects: &[(Vec<char>, Standing)],
    model: &dyn WordModel,
) -> GlyphMap {
    let mut shown: Vec<Shown> = suspects
        .iter()
        .map(|(word, standing)| lessons_of(word, *standing, &map, model))
        .collect();
    for _ in 0..ROUNDS {
        let mut witnesses: FxHashMap<Lesson, usize> = FxHashMap::default();
        let mut plain: FxHashMap<(char, Form), usize> = FxHashMap::default();
        for word in &shown {
            for &lesson in &word.lessons {
                *witnesses.entry(lesson).or_default() += 1;
            }
            for &letter in &word.plain {
                *plain.entry(letter).or_default() += 1;
            }
        }
        // A letter is a filler or misread, not both: where words show both, the lesson more
        // of them show is learned.
        let beaten = |lesson: &Lesson, n: usize| {
            witnesses.iter().any(|(other, &m)| {
                other.written() == lesson.written()
                    && matches!(other, Lesson::Filler(_)) != matches!(lesson, Lesson::Filler(_))
                    && m >= n
            })
        };
        // A letter the font's words write as itself as often as they show it misread is
        // rather a word of the language a letter away from another (`للمخدرات`, `المخدرات`).
        let refuted = |lesson: &Lesson, n: usize| match lesson {
            Lesson::Misreading(m) => plain.get(&(m.meant, m.form)).is_some_and(|&p| p >= n),
            Lesson::Filler(_) => false,
        };
        let mut learned: Vec<Lesson> = witnesses
            .iter()
            .filter(|&(lesson, &n)| n >= WITNESSES && !beaten(lesson, n) && !refuted(lesson, n))
            .map(|(&lesson, _)| lesson)
            .collect();
        if learned.is_empty() {
            break;
        }
        learned.sort_unstable();
        for &lesson in &learned {
            map.learn(lesson);
        }
        // Only a word with a letter just learned reads otherwise now.
        for ((word, standing), shown) in suspects.iter().zip(&mut shown) {
            if word
                .iter()
                .any(|&c| learned.iter().any(|l| l.written() == c))
            {
                *shown = lessons_of(word, *standing, &map, model);
            }
        }
    }
    map
}

/// What a word shows of the font: the lessons it teaches beyond the map, and its letters the
/// font wrote as themselves (folded, with their forms), which tell against misreading them.
#[derive(Debug, Default)]
struct Shown {
    lessons: Vec<Lesson>,
    plain: Vec<(char, Form)>,
}

impl Shown {
    /// The letters of a word as read, but those at `misread`.
    fn plain(letters: &[char], misread: impl Fn(usize) -> bool) -> Vec<(char, Form)> {
        let mut plain: Vec<(char, Form)> = (0..letters.len())
            .filter(|&i| !misread(i))
            .map(|i| (fold_letter(letters[i]), form(letters, i)))
            .collect();
        plain.sort_unstable();
        plain.dedup();
        plain
    }
}

/// What a word shows: nothing where it may be read in two ways, or where nothing reads it;
/// its letters only, where the map reads it already; else a filler (which changes no letter,
/// so it is taken first), or the letters it shows misread: those of the known word nearest to
/// a reading the model does not know (the only one, or one seen far more often than others).
fn lessons_of(word: &[char], standing: Standing, map: &GlyphMap, model: &dyn WordModel) -> Shown {
    let mut unread = Vec::new();
    for reading in readings(word, map) {
        let text = text_of(&reading.letters);
        if reading.changes == 0 {
            unread.push((reading, text));
        } else if may_mean(standing, &text, model) {
            return Shown {
                lessons: Vec::new(),
                plain: Shown::plain(&reading.letters, |i| reading.misread[i]),
            };
        } else if !model.known(&text) {
            unread.push((reading, text));
        }
    }
    let mut fillers = Vec::new();
    let mut kept_as = Vec::new();
    for (reading, _) in unread.iter().filter(|(r, _)| !r.misread.contains(&true)) {
        for &c in &reading.letters {
            if fillers.contains(&c) || map.fillers.contains(&c) {
                continue;
            }
            let kept = without_fillers(&reading.letters, &[c], map);
            let text = text_of(&kept);
            // Seen whole: a word the model knows only by a clitic it strips is no witness.
            if kept.len() >= 3
                && kept.len() < reading.letters.len()
                && model.seen(&text) >= 2
                && may_mean(standing, &text, model)
            {
                fillers.push(c);
                kept_as = kept;
            }
        }
    }
    match fillers.as_slice() {
        [] => {}
        &[filler] => {
            return Shown {
                lessons: vec![Lesson::Filler(filler)],
                plain: Shown::plain(&kept_as, |_| false),
            }
        }
        _ => return Shown::default(),
    }
    let mut taught: Option<Shown> = None;
    for (reading, text) in &unread {
        let letters = &reading.letters;
        let nearest: Vec<String> = model
            .nearest(text, (letters.len() / 3).max(1))
            .into_iter()
            .filter(|w| may_mean(standing, w, model))
            .collect();
        if nearest.is_empty() {
            continue;
        }
        let Some(meant) = only_or_dominant(nearest, |w| w, model) else {
            return Shown::default();
        };
        let meant: Vec<char> = meant.chars().collect();
        let apart: Vec<usize> = (0..letters.len())
            .filter(|&i| fold_letter(letters[i]) != meant[i])
            .collect();
        // A letter the map read otherwise is another reading's to put right.
        if apart.iter().any(|&i| reading.misread[i]) {
            continue;
        }
        let mut lessons: Vec<Lesson> = apart
            .iter()
            .map(|&i| Misreading {
                written: letters[i],
                meant: meant[i],
                form: form(&meant, i),
            })
            .filter(|m| !map.misreadings.contains(m))
            .map(Lesson::Misreading)
            .collect();
        lessons.sort_unstable();
        lessons.dedup();
        if lessons.is_empty() {
            continue;
        }
        match &taught {
            Some(t) if t.lessons != lessons => return Shown::default(),
            _ => {
                let plain = Shown::plain(&meant, |i| apart.contains(&i) || reading.misread[i]);
                taught = Some(Shown { lessons, plain });
            }
        }
    }
    taught.unwrap_or_default()
}

/// The word without the fillers that stand where a tatweel could: inside the word, after a
/// letter that joins the next one (as written, or as the map may read it) or after a filler,
/// and not between a lam and an alef (they make one ligature, which no tatweel parts).
fn without_fillers(word: &[char], fillers: &[char], map: &GlyphMap) -> Vec<char> {
    let joins = |c: char| {
        joins_next(c)
            || map
                .misreadings
                .iter()
                .any(|m| m.written == c && joins_next(m.meant))
    };
    let mut kept: Vec<char> = Vec::with_capacity(word.len());
    for (i, &c) in word.iter().enumerate() {
        let filler = fillers.contains(&c)
            && i > 0
            && i + 1 < word.len()
            && (joins(word[i - 1]) || word[i - 1] == c)
            && !(kept.last() == Some(&'ل') && is_alef(word[i + 1]));
        if !filler {
            kept.push(c);
        }
    }
    kept
}

/// A word as the map may read it.
struct Reading {
    letters: Vec<char>,
    /// Which letters the map read otherwise.
    misread: Vec<bool>,
    /// Fillers left out and letters read otherwise.
    changes: usize,
}

/// Every reading the map allows of a word: its fillers left out, and each letter the map
/// misreads either kept or read as meant.
fn readings(word: &[char], map: &GlyphMap) -> Vec<Reading> {
    let kept = without_fillers(word, &map.fillers, map);
    if kept.len() < 3 {
        return Vec::new();
    }
    let mut out = vec![Reading {
        misread: vec![false; kept.len()],
        changes: word.len() - kept.len(),
        letters: kept.clone(),
    }];
    for (i, &c) in kept.iter().enumerate() {
        let mut more = Vec::new();
        for m in map.misreadings.iter().filter(|m| m.written == c) {
            for reading in &out {
                let mut letters = reading.letters.clone();
                letters[i] = m.meant;
                // The form of the letter meant, among the letters read before it.
                if form(&letters, i) != m.form {
                    continue;
                }
                let mut misread = reading.misread.clone();
                misread[i] = true;
                more.push(Reading {
                    letters,
                    misread,
                    changes: reading.changes + 1,
                });
            }
        }
        if out.len() + more.len() > MAX_READINGS {
            return Vec::new();
        }
        out.extend(more);
    }
    out
}

/// The words of a document its broken glyph map is undone in. Empty where the document shows
/// no consistent misreading.
#[derive(Debug, Default)]
pub(super) struct Rewrites {
    words: FxHashMap<String, Rewrite>,
}

/// A word as the map reads it.
#[derive(Debug)]
struct Rewrite {
    text: String,
    /// Fillers left out and letters read otherwise.
    changes: usize,
}

impl Rewrites {
    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether a line shows the broken font: it holds a word the map reads that is misspelled
    /// or has two changes or more, or words the map reads make a third of its words. One word
    /// read with one change is as likely a rare word a letter away from a known one.
    fn shows_font(&self, line: &str) -> bool {
        let mut words = 0;
        let mut read = 0;
        for word in words_of(line) {
            words += 1;
            if let Some(rewrite) = self.words.get(word) {
                if rewrite.changes >= 2 || is_misspelled(word) {
                    return true;
                }
                read += 1;
            }
        }
        read >= 2 && read * 3 >= words
    }

    /// The line with its words rewritten, where it shows the broken font.
    pub(super) fn line(&self, line: &str) -> String {
        if !self.shows_font(line) {
            return line.to_owned();
        }
        super::map_words(line, |w| self.words.get(w).map(|r| r.text.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::model::{token_key, CorpusModel};

    #[test]
    fn words_no_arabic_spelling_writes_are_misspelled() {
        for word in ["المتعةقة", "الأككاا", "السذذذجات", "لةدول"] {
            assert!(is_misspelled(word), "{word}");
        }
        for word in ["المتعلقة", "الأمم", "للدول", "مستوى", "الـــدول"]
        {
            assert!(!is_misspelled(word), "{word}");
        }
    }

    #[test]
    fn three_misspelled_words_switch_the_learning_on() {
        assert!(shows_misspellings(
            "الأحكام المتعةقة\nالمسائل المةحقة بها، وتسةيم المجرمين"
        ));
        // The same word again, a final taa marbuta or alef maqsura, and two alefs (which the
        // learning looks for, not this check), are not more signs.
        assert!(!shows_misspellings(
            "المتعةقة المتعةقة المادة إلى مستوى عاا"
        ));
        assert_eq!(word_around("في المتعةقة بها", "في المتع".len()), "المتعةقة");
    }

    #[test]
    fn fillers_are_left_out_only_where_a_tatweel_could_stand() {
        let kept = |w: &str| {
            let chars: Vec<char> = w.chars().collect();
            text_of(&without_fillers(&chars, &['ذ'], &GlyphMap::default()))
        };
        assert_eq!(kept("المتحذدة"), "المتحدة");
        assert_eq!(kept("السذذذجات"), "السجات");
        for word in ["ولذا", "تنفيذ", "ذلك", "تأذن"] {
            assert_eq!(kept(word), word);
        }
    }

    /// A model that knows the words of these lines, each seen `times` times.
    fn model_of(lines: &[&str], times: usize) -> CorpusModel {
        CorpusModel::learn(lines.iter().flat_map(|line| {
            std::iter::repeat_n(line.split(' ').map(token_key).collect::<Vec<_>>(), times)
        }))
    }

    const KNOWN: [&str; 4] = [
        "تعزيز التعاون الدولي على منع صنع الأسلحة النارية",
        "المسائل المتعلقة بالميزانية وتسليم المجرمين",
        "تنفيذ الأحكام المتعلقة بالتعاون الدولي",
        "بروتوكول مكافحة صنع الأسلحة والمسائل المالية",
    ];

    #[test]
    fn a_map_several_words_show_rewrites_the_lines_that_show_it() {
        let model = model_of(&KNOWN, 3);
        // ل written as ة inside a word, and ذ for a tatweel.
        let text = "تعزيز التعاون الدولي عةى منع صذذنع الأسذذةحة النارية\n\
                    المسائل المتعةقة بالميزانية وتسةيم المجرمين\n\
                    تنفيذ الأحكذام المتعةقة بالتعاون الذدولي\n\
                    بروتوكول مكافحة صنع الأسلحة\n";
        let rewrites = learn(text, &model);
        let repaired: Vec<String> = text.lines().map(|l| rewrites.line(l)).collect();
        assert_eq!(
            repaired,
            [
                "تعزيز التعاون الدولي على منع صنع الأسلحة النارية",
                "المسائل المتعلقة بالميزانية وتسليم المجرمين",
                "تنفيذ الأحكام المتعلقة بالتعاون الدولي",
                "بروتوكول مكافحة صنع الأسلحة",
            ]
        );
    }

    #[test]
    fn one_word_read_with_one_change_is_not_a_sign_of_the_font() {
        let rewrites = Rewrites {
            words: [("تدور", "بدور"), ("تجعل", "بجعل")]
                .into_iter()
                .map(|(w, r)| {
                    let rewrite = Rewrite {
                        text: r.to_owned(),
                        changes: 1,
                    };
                    (w.to_owned(), rewrite)
                })
                .collect(),
        };
        assert_eq!(rewrites.line("الأرض تدور حول الشمس"), "الأرض تدور حول الشمس");
        assert_eq!(rewrites.line("تدور تجعل"), "بدور بجعل");
    }

    #[test]
    fn misspelled_words_that_teach_nothing_consistent_are_left() {
        let model = model_of(&KNOWN, 3);
        let text = "المسائل المتعلقةبالميزانية\nتعزيز الأسلحةالنارية على\nمنع صننن الأسلحة\n";
        assert!(learn(text, &model).is_empty());
    }
}
