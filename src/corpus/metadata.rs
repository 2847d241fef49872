//! Metadata a document states about itself: date, session, year, symbol, job number, issuing
//! body, title and kind.
//!
//! Session, date, body, title and kind are read from the header only (the first 40 lines): a report's body names other sessions ("في دورته الثانية عشرة" is the
//! next one) and other meetings' dates. A field the header does not state clearly stays `None`;
//! a wrong session is worse than none, and the manifest can fill the gap.

use std::sync::LazyLock;

use regex::Regex;

use super::passage::paragraph_number;
use super::Metadata;
use crate::analysis::fold;

/// How far down the header of a UN document reaches (symbol block, session, venue, agenda item,
/// title) with some room for the blank lines of PDF extraction.
const HEADER_LINES: usize = 40;

/// Sessions of the Conference of the Parties and the years they were held.
const SESSION_YEARS: [u64; 12] = [
    2004, 2005, 2006, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024,
];

/// Month names as they appear after [`fold`]: the Levantine and the Egyptian name of each
/// (UN Arabic writes both, `تشرين الأول/أكتوبر`; either may come alone). Every table of Arabic
/// words below is written folded too (`ا` for every alef, `ه` for `ة`, `ي` for `ى`), since it is
/// matched against folded header lines.
const ARABIC_MONTHS: &[(&str, u32)] = &[
    ("كانون الثاني", 1),
    ("يناير", 1),
    ("شباط", 2),
    ("فبراير", 2),
    ("اذار", 3),
    ("مارس", 3),
    ("نيسان", 4),
    ("ابريل", 4),
    ("ايار", 5),
    ("مايو", 5),
    ("حزيران", 6),
    ("يونيه", 6),
    ("يونيو", 6),
    ("تموز", 7),
    ("يوليه", 7),
    ("يوليو", 7),
    ("اب", 8),
    ("اغسطس", 8),
    ("ايلول", 9),
    ("سبتمبر", 9),
    ("تشرين الاول", 10),
    ("اكتوبر", 10),
    ("تشرين الثاني", 11),
    ("نوفمبر", 11),
    ("كانون الاول", 12),
    ("ديسمبر", 12),
];

/// English month names, folded (lowercase).
const ENGLISH_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Ordinal adjectives (after `ال`), masculine and feminine, and their values.
const ORDINAL_UNITS: &[(&str, u64)] = &[
    ("اول", 1),
    ("اولي", 1),
    ("حادي", 1),
    ("حاديه", 1),
    ("ثاني", 2),
    ("ثانيه", 2),
    ("ثالث", 3),
    ("ثالثه", 3),
    ("رابع", 4),
    ("رابعه", 4),
    ("خامس", 5),
    ("خامسه", 5),
    ("سادس", 6),
    ("سادسه", 6),
    ("سابع", 7),
    ("سابعه", 7),
    ("ثامن", 8),
    ("ثامنه", 8),
    ("تاسع", 9),
    ("تاسعه", 9),
    ("عاشر", 10),
    ("عاشره", 10),
];

/// The word that makes a unit ordinal a teen: `الحادي عشر`, `الحادية عشرة`.
const TEEN_WORDS: &[&str] = &["عشر", "عشره"];

/// Unit ordinals that only exist in compounds (`الحادية عشرة`); alone they are not ordinals.
const COMPOUND_ONLY: &[&str] = &["حادي", "حاديه"];

const ORDINAL_TENS: &[(&str, u64)] = &[
    ("عشرون", 20),
    ("عشرين", 20),
    ("ثلاثون", 30),
    ("ثلاثين", 30),
    ("اربعون", 40),
    ("اربعين", 40),
    ("خمسون", 50),
    ("خمسين", 50),
];

/// Names of the Conference's working groups as the documents write them, with the symbol
/// series each one's documents carry (pairs read off the documents' own citations).
const WORKING_GROUPS: &[(&str, &str)] = &[
    ("المعني بالمساعده التقنيه", "WG.2"),
    ("المعني بالتعاون الدولي", "WG.3"),
    ("المعني بالاتجار بالاشخاص", "WG.4"),
    ("المعني بالاسلحه الناريه", "WG.6"),
    ("المعني بتهريب المهاجرين", "WG.7"),
];

/// Header lines that say what kind of document this is.
const KIND_LINES: &[(&str, &str)] = &[("تقرير الامانه", "report"), ("مذكره من الامانه", "note")];

/// How titles of each kind begin, for documents that have no kind line.
const KIND_TITLES: &[(&str, &str)] = &[
    ("تقرير", "report"),
    ("مذكره", "note"),
    ("جدول الاعمال", "agenda"),
];

/// Boilerplate header lines that open like this are never the title.
const NOT_TITLES: &[&str] = &["موتمر الاطراف", "الدوره"];

fn month_alternation() -> String {
    let mut names: Vec<&str> = ARABIC_MONTHS.iter().map(|(name, _)| *name).collect();
    // Longest first, so `ابريل` is not read as `اب` (August).
    names.sort_by_key(|name| std::cmp::Reverse(name.chars().count()));
    names.join("|")
}

/// `١٥-١٩ تشرين الأول/أكتوبر ٢٠١٨`, `من 17 إلى 21 …`, `يومي 29 و30 أيار/مايو 2023`.
static ARABIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let m = month_alternation();
    Regex::new(&format!(
        r"(?:^|[^0-9])([0-9]{{1,2}})(?:\s*(?:-|–|الي|و)\s*[0-9]{{1,2}})?\s*({m})(?:\s*/\s*(?:{m}))?\s*،?\s*((?:19|20)[0-9]{{2}})(?:[^0-9]|$)"
    ))
    .expect("valid date regex")
});

/// The same date extracted in visual order: `2012أكتوبر / تشرين الأول19-15`.
static VISUAL_ARABIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let m = month_alternation();
    Regex::new(&format!(
        r"(?:^|[^0-9])((?:19|20)[0-9]{{2}})\s*({m})(?:\s*/\s*(?:{m}))?\s*([0-9]{{1,2}})(?:\s*(?:-|–|الي)\s*([0-9]{{1,2}}))?(?:[^0-9]|$)"
    ))
    .expect("valid date regex")
});

/// `9 July 2018`, matched on folded (lowercase) lines.
static ENGLISH_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let months = ENGLISH_MONTHS.join("|");
    Regex::new(&format!(
        r"\b([0-9]{{1,2}})\s+({months})\s+((?:19|20)[0-9]{{2}})\b"
    ))
    .expect("valid date regex")
});

static SESSION_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("الدوره|دورته|دوره الموتمر").expect("valid session regex"));

static JOB_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bV\.[0-9]{2}-[0-9]{5}\b").expect("valid job number regex"));

/// A line holding nothing but a UN symbol, as in the running head of every page.
static SYMBOL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Z][A-Z0-9.]*(?:/[A-Za-z0-9.]*[A-Za-z0-9])+$").expect("valid symbol regex")
});

/// Extracts what the text states about itself; see the module documentation.
pub fn extract(text: &str) -> Metadata {
    let header: Vec<HeaderLine> = text
        .lines()
        .take(HEADER_LINES)
        .map(HeaderLine::new)
        .collect();
    let date = header
        .iter()
        .find_map(|line| english_date(&line.folded))
        .or_else(|| header.iter().find_map(|line| arabic_date(&line.folded)));
    let session = header.iter().find_map(|line| session(&line.folded));
    let symbol = own_symbol(text);
    let title = title(&header);
    Metadata {
        year: infer_year(date.as_deref(), session),
        body: body(symbol.as_deref(), session, &header),
        kind: kind(&header, title.as_deref()),
        job_number: JOB_NUMBER.find(text).map(|m| m.as_str().to_owned()),
        symbol,
        session,
        date,
        title,
    }
}

/// The year a session of the Conference was held in.
pub fn session_year(session: u64) -> Option<u64> {
    let index = usize::try_from(session.checked_sub(1)?).ok()?;
    SESSION_YEARS.get(index).copied()
}

/// The year of a document: from its date, else from its session.
pub(super) fn infer_year(date: Option<&str>, session: Option<u64>) -> Option<u64> {
    date.and_then(parse_iso_date)
        .map(|(year, _, _)| year)
        .or_else(|| session.and_then(session_year))
}

/// `YYYY-MM-DD` with a real month and day, as (year, month, day).
pub(super) fn parse_iso_date(date: &str) -> Option<(u64, u32, u32)> {
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let (year, month, day) = (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    iso_date(year, month, day).map(|_| (year, month, day))
}

struct HeaderLine<'a> {
    original: &'a str,
    /// The line [`fold`]ed: what every table and pattern of this module is matched against.
    folded: String,
}

impl<'a> HeaderLine<'a> {
    fn new(line: &'a str) -> Self {
        let original = line.trim();
        HeaderLine {
            original,
            folded: fold(original),
        }
    }

    /// The line without markdown heading marks, or `None` if it is not a heading.
    fn heading(&self) -> Option<&'a str> {
        self.original
            .strip_prefix('#')
            .map(|rest| rest.trim_start_matches('#').trim())
    }
}

fn iso_date(year: u64, month: u32, day: u32) -> Option<String> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn arabic_month(name: &str) -> Option<u32> {
    ARABIC_MONTHS
        .iter()
        .find(|(month, _)| *month == name)
        .map(|(_, number)| *number)
}

/// The date on a folded line written the English way.
fn english_date(line: &str) -> Option<String> {
    let caps = ENGLISH_DATE.captures(line)?;
    let month = ENGLISH_MONTHS.iter().position(|m| *m == &caps[2])? as u32 + 1;
    iso_date(caps[3].parse().ok()?, month, caps[1].parse().ok()?)
}

/// The first day of the date or date range on this line. Visual order puts the range's days
/// backwards (`21إلى 17`), and ranges within a month ascend, so the opening day is the smaller.
fn arabic_date(line: &str) -> Option<String> {
    if let Some(caps) = ARABIC_DATE.captures(line) {
        return iso_date(
            caps[3].parse().ok()?,
            arabic_month(&caps[2])?,
            caps[1].parse().ok()?,
        );
    }
    let caps = VISUAL_ARABIC_DATE.captures(line)?;
    let first: u32 = caps[3].parse().ok()?;
    let day = match caps.get(4) {
        Some(other) => first.min(other.as_str().parse().ok()?),
        None => first,
    };
    iso_date(caps[1].parse().ok()?, arabic_month(&caps[2])?, day)
}

/// The session named on this line: `الدورة التاسعة`, `دورته الحادية عشرة`, `دورة المؤتمر
/// السادسة`, or the same in visual order with the ordinal first (`السادسةالدورة`).
fn session(line: &str) -> Option<u64> {
    SESSION_WORD.find_iter(line).find_map(|m| {
        let after = &line[m.end()..];
        let logical = after
            .starts_with(char::is_whitespace)
            .then(|| ordinal(&words(after).take(3).collect::<Vec<_>>()))
            .flatten();
        // Visual order: the ordinal comes right before the keyword, nothing in between.
        let before = &line[..m.start()];
        let visual = || {
            before
                .trim_end()
                .ends_with(char::is_alphabetic)
                .then(|| ordinal(&words(before).rev().take(3).collect::<Vec<_>>()))
                .flatten()
        };
        logical.or_else(visual)
    })
}

fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
}

/// The value of the ordinal adjective the folded `words` begin with: `التاسعه`, `الحاديه
/// عشره`, `الثاني والعشرون`.
fn ordinal(words: &[&str]) -> Option<u64> {
    let (first, rest) = words.split_first()?;
    let first = first.strip_prefix("ال")?;
    if let Some(tens) = tens(first) {
        return Some(tens);
    }
    let unit = ORDINAL_UNITS
        .iter()
        .find(|(s, _)| *s == first)
        .map(|(_, value)| *value)?;
    let next = rest.first().copied();
    if unit < 10 {
        if next.is_some_and(|w| TEEN_WORDS.contains(&w)) {
            return Some(unit + 10);
        }
        let tens = next
            .and_then(|w| w.strip_prefix('و'))
            .and_then(|w| tens(w.strip_prefix("ال").unwrap_or(w)));
        if let Some(tens) = tens {
            return Some(tens + unit);
        }
    }
    (!COMPOUND_ONLY.contains(&first)).then_some(unit)
}

fn tens(word: &str) -> Option<u64> {
    ORDINAL_TENS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, value)| *value)
}

/// The document's own symbol: the running head every page repeats on a line of its own. A
/// symbol in a footnote (`* CTOC/COP/2018/1`, the agenda) or in a sentence does not count.
fn own_symbol(text: &str) -> Option<String> {
    let mut seen: Vec<(&str, usize, usize)> = Vec::new(); // symbol, first line, count
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if !SYMBOL_LINE.is_match(line) {
            continue;
        }
        match seen.iter_mut().find(|(symbol, _, _)| *symbol == line) {
            Some((_, _, count)) => *count += 1,
            None => seen.push((line, index, 1)),
        }
    }
    seen.into_iter()
        .find(|&(_, first, count)| first < HEADER_LINES || count > 1)
        .map(|(symbol, _, _)| symbol.to_owned())
}

fn body(symbol: Option<&str>, session: Option<u64>, header: &[HeaderLine]) -> Option<String> {
    let from_symbol = symbol
        .and_then(|symbol| symbol.strip_prefix("CTOC/COP/"))
        .map(|rest| match rest.split('/').next() {
            Some(series) if series.starts_with("WG.") => series.to_owned(),
            _ => "COP".to_owned(),
        });
    from_symbol
        .or_else(|| session.map(|_| "COP".to_owned()))
        .or_else(|| {
            // A working group's own report says so in its title: "تقرير عن اجتماع فريق …".
            let line = header
                .iter()
                .find(|line| line.folded.contains("تقرير عن اجتماع"))?;
            WORKING_GROUPS
                .iter()
                .find(|(name, _)| line.folded.contains(name))
                .map(|(_, body)| (*body).to_owned())
        })
}

/// The first heading that is neither the Conference's name nor the session; without
/// markdown headings, the first line before the numbered paragraphs that opens like a title.
fn title(header: &[HeaderLine]) -> Option<String> {
    let is_boilerplate = |folded: &str| {
        let folded = folded.trim_start_matches('#').trim();
        NOT_TITLES.iter().any(|opening| folded.starts_with(opening))
            || KIND_LINES.iter().any(|(line, _)| folded == *line)
    };
    let title = if header.iter().any(|line| line.heading().is_some()) {
        header
            .iter()
            .filter(|line| !is_boilerplate(&line.folded))
            .find_map(HeaderLine::heading)?
    } else {
        header
            .iter()
            .take_while(|line| paragraph_number(line.original).is_none())
            .find(|line| {
                !is_boilerplate(&line.folded)
                    && KIND_TITLES
                        .iter()
                        .any(|(opening, _)| line.folded.starts_with(opening))
            })?
            .original
    };
    // Drop a footnote mark (`\*`) left by the markdown conversion.
    let title = title.trim_end_matches(['*', '\\']).trim();
    (!title.is_empty()).then(|| title.to_owned())
}

fn kind(header: &[HeaderLine], title: Option<&str>) -> Option<String> {
    let from_line = header.iter().find_map(|line| {
        let folded = line.folded.trim_start_matches('#').trim();
        KIND_LINES
            .iter()
            .find(|(kind_line, _)| folded == *kind_line)
    });
    let from_title = || {
        let title = fold(title?);
        KIND_TITLES
            .iter()
            .find(|(opening, _)| title.starts_with(opening))
    };
    from_line
        .or_else(from_title)
        .map(|(_, kind)| (*kind).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn seed_000_report_of_the_eleventh_session() {
        // Starts mid-document, in visual order; only the running head names the symbol.
        let m = extract(&seed("000_034d2fcbcf60e4e7.txt"));
        assert_eq!(m.session, Some(11));
        assert_eq!(m.date, some("2022-10-17"));
        assert_eq!(m.year, Some(2022));
        assert_eq!(m.symbol, some("CTOC/COP/2022/9"));
        assert_eq!(m.body, some("COP"));
        assert_eq!(m.job_number, some("V.22-25156"));
        assert_eq!(m.title, None);
        assert_eq!(m.kind, None);
    }

    #[test]
    fn seed_001_technical_assistance_report() {
        let m = extract(&seed("001_0a3dca724d5e52f4.txt"));
        assert_eq!(m.session, Some(9));
        assert_eq!(m.date, some("2018-07-09"));
        assert_eq!(m.year, Some(2018));
        // `* CTOC/COP/2018/1` is the footnote naming the agenda, not this document.
        assert_eq!(m.symbol, None);
        assert_eq!(m.body, some("COP"));
        assert_eq!(m.job_number, some("V.18-04902"));
        assert_eq!(
            m.title,
            some("تقديم المساعدة التقنية إلى الدول في تنفيذ اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية والبروتوكولات الملحق بها")
        );
        assert_eq!(m.kind, some("report"));
    }

    #[test]
    fn seed_002_working_group_report() {
        let m = extract(&seed("002_d76cc368b9f9cf3d.txt"));
        assert_eq!(m.session, None);
        assert_eq!(m.date, some("2023-06-13"));
        assert_eq!(m.year, Some(2023));
        assert_eq!(m.symbol, None);
        assert_eq!(m.body, some("WG.2"));
        assert_eq!(m.job_number, None);
        assert_eq!(
            m.title,
            some("تقرير عن اجتماع فريق الخبراء الحكوميين العامل المعني بالمساعدة التقنية المعقود في فيينا يومي 29 و30 أيار/مايو 2023")
        );
        assert_eq!(m.kind, some("report"));
    }

    #[test]
    fn seed_003_visual_order_agenda() {
        let m = extract(&seed("003_2a7d7debe43666ee.txt"));
        assert_eq!(m.session, Some(6));
        assert_eq!(m.date, some("2012-10-15"));
        assert_eq!(m.year, Some(2012));
        // The symbol is only cited in the body; its title line is broken by visual order.
        assert_eq!(m.symbol, None);
        assert_eq!(m.body, some("COP"));
        assert_eq!(m.job_number, None);
        assert_eq!(m.title, None);
    }

    #[test]
    fn seed_004_note_on_subsidiary_bodies() {
        let m = extract(&seed("004_b8696f3eab3e24f5.txt"));
        assert_eq!(m.session, Some(10));
        assert_eq!(m.date, some("2020-07-01"));
        assert_eq!(m.year, Some(2020));
        assert_eq!(m.symbol, None);
        assert_eq!(m.body, some("COP"));
        assert_eq!(m.job_number, some("V.20-03347"));
        assert_eq!(
            m.title,
            some("تقارير اجتماعات الأجهزة الفرعية لمؤتمر الأطراف في اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية والبروتوكولات الملحق بها")
        );
        assert_eq!(m.kind, some("note"));
    }

    #[test]
    fn arabic_dates_in_both_calendars_and_digit_systems() {
        let date = |s: &str| arabic_date(&fold(s));
        assert_eq!(
            date("فيينا، ١٥-١٩ تشرين الأول/أكتوبر ٢٠١٨"),
            some("2018-10-15")
        );
        assert_eq!(
            date("فيينا، 17-21 تشرين الأول/أكتوبر 2022"),
            some("2022-10-17")
        );
        assert_eq!(date("من 9 إلى 11 أيلول/سبتمبر 2019"), some("2019-09-09"));
        assert_eq!(date("يومي 29 و30 أيار/مايو 2023"), some("2023-05-29"));
        assert_eq!(date("3 إبريل 2016"), some("2016-04-03"));
        assert_eq!(date("5 آب/أغسطس 2014"), some("2014-08-05"));
        assert_eq!(date("1 كانون الثاني/يناير 2010"), some("2010-01-01"));
        assert_eq!(date("16 كانون الأول/ديسمبر 2011"), some("2011-12-16"));
        assert_eq!(
            date("٢٠١٢أكتوبر / تشرين الأول١٩-١٥فيينا،"),
            some("2012-10-15")
        );
        assert_eq!(
            date("2022تشرين الأول/أكتوبر   21إلى  17أثناء"),
            some("2022-10-17")
        );
        assert_eq!(date("31 حزيران/يونيه 2020"), None, "June has 30 days");
        assert_eq!(date("في عام ٢٠١٨"), None);
        assert_eq!(date("الفترة 2018-2019"), None);
    }

    #[test]
    fn english_header_date() {
        assert_eq!(english_date(&fold("9 July 2018")), some("2018-07-09"));
        assert_eq!(
            english_date(&fold("Distr.: General 13 June 2023")),
            some("2023-06-13")
        );
        assert_eq!(english_date(&fold("30 February 2020")), None);
        assert_eq!(english_date(&fold("Original: English")), None);
    }

    #[test]
    fn session_ordinals() {
        let s = |line: &str| session(&fold(line));
        assert_eq!(s("الدورة الأولى"), Some(1));
        assert_eq!(s("## الدورة العاشرة"), Some(10));
        assert_eq!(s("الدورة التاسعة"), Some(9));
        assert_eq!(s("أثناء دورته الحادية عشرة، المعقودة في فيينا"), Some(11));
        assert_eq!(s("في دورته الثاني عشر"), Some(12));
        assert_eq!(s("الدورة الثانية عشرة"), Some(12));
        assert_eq!(s("افتتاح دورة المؤتمر السادسة؛"), Some(6));
        assert_eq!(s("الدورة الحادية والعشرون"), Some(21));
        assert_eq!(s("الدورة العشرون"), Some(20));
        assert_eq!(s("الـدورة الـسادسة"), Some(6), "tatweel");
        assert_eq!(s("   السادسةالدورة "), Some(6), "visual order, glued");
        assert_eq!(s("عشرة الثانية الدورة"), Some(12), "visual order compound");
        assert_eq!(
            s("وتقرير لجنة المخدرات عن أعمال دورتها الخامسة والستين"),
            None
        );
        assert_eq!(s("الدورة الاستثنائية"), None);
        assert_eq!(s("الدورة الحادية"), None);
        assert_eq!(s("بالدورة"), None);
        assert_eq!(s("الجلسة الثانية، الدورة الاستثنائية"), None);
    }

    #[test]
    fn only_the_header_names_the_session() {
        let mut text = "مؤتمر الأطراف\n\nالدورة التاسعة\n".to_owned();
        text.push_str(&"\n".repeat(HEADER_LINES));
        text.push_str("١- يقدم تقريرا إلى المؤتمر في دورته العاشرة.\n");
        assert_eq!(extract(&text).session, Some(9));
        let body_only = format!("{}١- في دورته العاشرة.\n", "\n".repeat(HEADER_LINES));
        assert_eq!(extract(&body_only).session, None);
    }

    #[test]
    fn session_table() {
        assert_eq!(session_year(1), Some(2004));
        assert_eq!(session_year(4), Some(2008));
        assert_eq!(session_year(12), Some(2024));
        assert_eq!(session_year(0), None);
        assert_eq!(session_year(13), None);
        let m = extract("الدورة السابعة\n");
        assert_eq!((m.session, m.year, m.date), (Some(7), Some(2014), None));
    }

    #[test]
    fn symbols_jobs_and_bodies() {
        let page = "CTOC/COP/WG.3/2021/4\n\nV.21-01234 2/10\n\nنص\n";
        let m = extract(page);
        assert_eq!(m.symbol, some("CTOC/COP/WG.3/2021/4"));
        assert_eq!(m.body, some("WG.3"));
        assert_eq!(m.job_number, some("V.21-01234"));
        assert_eq!(extract("\\* CTOC/COP/2018/1\n").symbol, None);
        assert_eq!(extract("في الوثيقة\nCTOC/COP/2012/6.\n").symbol, None);
    }

    #[test]
    fn plain_text_title_and_kind() {
        let text =
            "مؤتمر الأطراف في الاتفاقية\n\nمذكرة من الأمانة\n\nجدول الأعمال المؤقت وشروحه\n\n1- نص.\n";
        let m = extract(text);
        assert_eq!(m.title, some("جدول الأعمال المؤقت وشروحه"));
        assert_eq!(m.kind, some("note"));
        let untitled = "المساعدة التقنية\n\n1- تقرير المكتب.\n";
        assert_eq!(extract(untitled).title, None);
    }

    #[test]
    fn presentation_forms_read_like_plain_letters() {
        // What some PDF extractors produce: no letter of the Arabic block, only its
        // presentation forms.
        let header = "ﻡﺅﺕﻡﺭ ﺍﻝﺃﻁﺭﺍﻑ\n\nﺍﻟﺪﻭﺭﺓ ﺍﻟﺘﺎﺳﻌﺔ\nﻑﻱﻱﻥﺍ، ١٥-١٩ ﺕﺵﺭﻱﻥ ﺍﻝﺃﻭﻝ/ﺃﻙﺕﻭﺏﺭ ٢٠١٨\n\nﻡﺫﻙﺭﺓ ﻡﻥ ﺍﻝﺃﻡﺍﻥﺓ\n";
        assert!(!header
            .chars()
            .any(|c| c.is_alphabetic() && ('\u{0600}'..='\u{06FF}').contains(&c)));
        let m = extract(header);
        assert_eq!(m.session, Some(9));
        assert_eq!(m.date, some("2018-10-15"));
        assert_eq!(m.year, Some(2018));
        assert_eq!(m.body, some("COP"));
        assert_eq!(m.kind, some("note"));
    }

    #[test]
    fn all_spellings_of_the_header_words() {
        // ة typed as ه, ى as ي, hamza seats left out, tashkeel, any case of an English month.
        let m = extract("الدوره الحاديه عشره\nفيينا، 9 JULY 2018\n");
        assert_eq!((m.session, m.date), (Some(11), some("2018-07-09")));
        assert_eq!(extract("الدَّوْرَةُ الأُولَى\n").session, Some(1));
        assert_eq!(extract("دوره الموتمر الثانيه\n").session, Some(2));
    }

    /// Every table is matched against folded text, so an entry that folding would change
    /// (`ة`, `أ`, `ى`, uppercase) could never match.
    #[test]
    fn tables_are_written_folded() {
        let words = ARABIC_MONTHS
            .iter()
            .map(|(w, _)| *w)
            .chain(ENGLISH_MONTHS)
            .chain(ORDINAL_UNITS.iter().map(|(w, _)| *w))
            .chain(ORDINAL_TENS.iter().map(|(w, _)| *w))
            .chain(TEEN_WORDS.iter().copied())
            .chain(COMPOUND_ONLY.iter().copied())
            .chain(WORKING_GROUPS.iter().map(|(w, _)| *w))
            .chain(KIND_LINES.iter().map(|(w, _)| *w))
            .chain(KIND_TITLES.iter().map(|(w, _)| *w))
            .chain(NOT_TITLES.iter().copied())
            .chain(SESSION_WORD.as_str().split('|'));
        for word in words {
            assert_eq!(fold(word), word);
        }
    }

    proptest::proptest! {
        #[test]
        fn extraction_never_panics(text in "(?s).{0,400}") {
            extract(&text);
        }

        #[test]
        fn extraction_never_panics_on_header_like_text(
            text in "(الدورة|دورته|ال|عشرة|السادسة| |\n|#|-|/|[0-9]|[٠-٩]|تشرين الأول|أكتوبر|CTOC/COP/|V\\.){0,60}"
        ) {
            extract(&text);
        }
    }

    #[test]
    fn iso_dates_are_validated() {
        assert_eq!(parse_iso_date("2022-10-17"), Some((2022, 10, 17)));
        assert_eq!(parse_iso_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_iso_date("2023-02-29"), None);
        assert_eq!(parse_iso_date("2022-13-01"), None);
        assert_eq!(parse_iso_date("17-10-2022"), None);
        assert_eq!(parse_iso_date("2022-10-17T00"), None);
    }
}
