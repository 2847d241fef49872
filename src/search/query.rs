//! The query language: words, `"phrases"` with optional `~N` slop, `-exclusions`, `OR`,
//! and the filters `session:N`, `year:N`, `doc:ID`, `article:N`, `decision:S/N` and
//! `symbol:SYMBOL` (`symbol:PREFIX*`).
//!
//! Parsing is separate from analysis: this module only finds the structure of what the
//! researcher typed and reports mistakes by character position; [`super::plan`] turns the
//! structure into tantivy queries.

/// Something that matches text: a bare word or a quoted phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    Word(String),
    Phrase { text: String, slop: u32 },
}

/// A metadata filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Session(u64),
    Year(u64),
    Doc(String),
    /// An article of the Convention cited by the passage.
    Article(u64),
    /// A resolution or decision, `session/number`.
    Decision(String),
    /// A document symbol, upper case; with `prefix`, every symbol that starts with it.
    Symbol {
        symbol: String,
        prefix: bool,
    },
}

impl Filter {
    /// Filters of the same kind are alternatives of one another.
    pub fn same_kind(&self, other: &Filter) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The parsed query. Every group must count toward the ranking; the clauses inside a group
/// are alternatives joined by `OR`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Clause>>,
    pub excluded: Vec<Clause>,
    pub filters: Vec<Filter>,
    pub excluded_filters: Vec<Filter>,
}

/// The longest query accepted, in characters: long enough for any real phrase.
pub const MAX_QUERY_CHARS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Clause(Clause),
    Filter(Filter),
    Or,
}

/// One item of the query and where it started (1-based character position).
struct Located {
    item: Item,
    negated: bool,
    at: usize,
}

/// Parses a query, or says what is wrong with it and where.
pub fn parse(query: &str) -> Result<ParsedQuery, String> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "the query is longer than {MAX_QUERY_CHARS} characters"
        ));
    }
    let items = lex(query)?;
    if items.is_empty() {
        return Err("the query is empty".into());
    }
    let mut parsed = ParsedQuery::default();
    let mut i = 0;
    while i < items.len() {
        let Located { item, negated, at } = &items[i];
        match item {
            Item::Or => {
                return Err(format!(
                    "OR at character {at} must stand between two words or phrases"
                ))
            }
            Item::Filter(filter) => {
                if items.get(i + 1).is_some_and(|next| next.item == Item::Or) {
                    return Err(format!(
                        "the filter at character {at} cannot be joined with OR; repeat the filter instead"
                    ));
                }
                let target = if *negated {
                    &mut parsed.excluded_filters
                } else {
                    &mut parsed.filters
                };
                target.push(filter.clone());
                i += 1;
            }
            Item::Clause(clause) if *negated => {
                if items.get(i + 1).is_some_and(|next| next.item == Item::Or) {
                    return Err(format!(
                        "the exclusion at character {at} cannot be joined with OR"
                    ));
                }
                parsed.excluded.push(clause.clone());
                i += 1;
            }
            Item::Clause(clause) => {
                let mut group = vec![clause.clone()];
                i += 1;
                while let Some(Located {
                    item: Item::Or, at, ..
                }) = items.get(i)
                {
                    match items.get(i + 1) {
                        Some(Located {
                            item: Item::Clause(next),
                            negated: false,
                            ..
                        }) => group.push(next.clone()),
                        _ => {
                            return Err(format!(
                                "OR at character {at} must stand between two words or phrases"
                            ))
                        }
                    }
                    i += 2;
                }
                parsed.groups.push(group);
            }
        }
    }
    if parsed.groups.is_empty() && parsed.filters.is_empty() {
        return Err("the query has only exclusions; add a word, a phrase or a filter".into());
    }
    Ok(parsed)
}

/// Splits the query into items, keeping the character position of each.
fn lex(query: &str) -> Result<Vec<Located>, String> {
    let chars: Vec<char> = query.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let at = i + 1;
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        if is_quote(chars[i]) {
            let close = (i + 1..chars.len())
                .find(|&j| is_quote(chars[j]))
                .ok_or_else(|| format!("the quote at character {} is never closed", i + 1))?;
            let text: String = chars[i + 1..close].iter().collect();
            if text.trim().is_empty() {
                return Err(format!("the phrase at character {at} is empty"));
            }
            i = close + 1;
            let mut slop = 0;
            if chars.get(i) == Some(&'~') {
                let digits: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                slop = digits
                    .parse::<u32>()
                    .ok()
                    .filter(|&s| s <= 100)
                    .ok_or_else(|| {
                        format!(
                            "`~` at character {} must be followed by a slop from 0 to 100",
                            i + 1
                        )
                    })?;
                i += 1 + digits.len();
            }
            if chars.get(i).is_some_and(|c| !c.is_whitespace()) {
                return Err(format!(
                    "the phrase ending at character {i} must be followed by a space"
                ));
            }
            items.push(Located {
                item: Item::Clause(Clause::Phrase { text, slop }),
                negated,
                at,
            });
            continue;
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            if is_quote(chars[i]) {
                return Err(format!(
                    "the quote at character {} must start a new word",
                    i + 1
                ));
            }
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let item = if word == "OR" && !negated {
            Item::Or
        } else if let Some(filter) = filter(&word, start + 1)? {
            Item::Filter(filter)
        } else {
            Item::Clause(Clause::Word(word))
        };
        items.push(Located { item, negated, at });
    }
    Ok(items)
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»')
}

/// `name:value` with an ASCII name is a filter; anything else with a colon is text, and so
/// are `Note:` (nothing after the colon) and `http://…` (a slash after it).
fn filter(word: &str, at: usize) -> Result<Option<Filter>, String> {
    let Some((name, value)) = word.split_once(':') else {
        return Ok(None);
    };
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_alphabetic())
        || value.is_empty()
        || value.starts_with('/')
    {
        return Ok(None);
    }
    let number = || {
        // Folding turns Arabic-Indic and Persian digits into ASCII ones.
        crate::analysis::fold(value)
            .parse::<u64>()
            .ok()
            .ok_or_else(|| format!("`{name}:` at character {at} expects a number, not `{value}`"))
    };
    match name.to_ascii_lowercase().as_str() {
        "session" => Ok(Some(Filter::Session(number()?))),
        "year" => Ok(Some(Filter::Year(number()?))),
        "doc" => Ok(Some(Filter::Doc(value.to_string()))),
        "article" => match number()? {
            article @ 1..=41 => Ok(Some(Filter::Article(article))),
            other => Err(format!(
                "`article:` at character {at} expects an article of the Convention (1 to 41), not {other}"
            )),
        },
        "decision" => decision(value)
            .map(|d| Some(Filter::Decision(d)))
            .ok_or_else(|| {
                format!("`decision:` at character {at} expects session/number such as 11/1, not `{value}`")
            }),
        "symbol" => {
            let symbol = value.to_uppercase();
            Ok(Some(match symbol.strip_suffix('*') {
                Some(prefix) => Filter::Symbol {
                    symbol: prefix.to_owned(),
                    prefix: true,
                },
                None => Filter::Symbol {
                    symbol,
                    prefix: false,
                },
            }))
        }
        _ => Err(format!(
            "unknown filter `{name}:` at character {at}; the filters are session:, year:, doc:, article:, decision: and symbol:"
        )),
    }
}

/// `11/1` (either digit system) as `11/1`.
fn decision(value: &str) -> Option<String> {
    let folded = crate::analysis::fold(value);
    let (session, number) = folded.split_once('/')?;
    let session: u64 = session.parse().ok()?;
    let number: u64 = number.parse().ok()?;
    Some(format!("{session}/{number}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Clause {
        Clause::Word(w.into())
    }

    #[test]
    fn words_phrases_slop_exclusions_and_or() {
        let q = parse(r#"تسليم "المادة 18 من الاتفاقية"~2 -بروتوكول الأسلحة OR الذخيرة"#).unwrap();
        assert_eq!(
            q.groups,
            vec![
                vec![word("تسليم")],
                vec![Clause::Phrase {
                    text: "المادة 18 من الاتفاقية".into(),
                    slop: 2
                }],
                vec![word("الأسلحة"), word("الذخيرة")],
            ]
        );
        assert_eq!(q.excluded, vec![word("بروتوكول")]);
    }

    #[test]
    fn filters_in_both_digit_systems_and_excluded_filters() {
        let q = parse("الجريمة session:11 year:٢٠٢٢ -session:6 doc:002_x").unwrap();
        assert_eq!(
            q.filters,
            vec![
                Filter::Session(11),
                Filter::Year(2022),
                Filter::Doc("002_x".into())
            ]
        );
        assert_eq!(q.excluded_filters, vec![Filter::Session(6)]);
        assert_eq!(
            parse("session:9").unwrap().filters,
            vec![Filter::Session(9)]
        );
    }

    proptest::proptest! {
        #[test]
        fn no_query_panics_the_parser_or_the_planner(
            query in "([\"~:ORsession0-9٠-٩ \\-]|[ء-ي]|\\PC){0,60}"
        ) {
            let (_, fields) = crate::index::Fields::schema();
            if let Ok(parsed) = parse(&query) {
                let _ = crate::search::plan::plan(&parsed, &fields);
            }
        }
    }

    #[test]
    fn citation_filters() {
        let q = parse("article:١٦ decision:١١/١ symbol:ctoc/cop/wg.2/* symbol:CTOC/COP/2012/1")
            .unwrap();
        assert_eq!(
            q.filters,
            vec![
                Filter::Article(16),
                Filter::Decision("11/1".into()),
                Filter::Symbol {
                    symbol: "CTOC/COP/WG.2/".into(),
                    prefix: true
                },
                Filter::Symbol {
                    symbol: "CTOC/COP/2012/1".into(),
                    prefix: false
                },
            ]
        );
        assert!(parse("article:42").unwrap_err().contains("1 to 41"));
        assert!(parse("decision:11").unwrap_err().contains("session/number"));
    }

    #[test]
    fn arabic_text_with_a_colon_is_a_word_not_a_filter() {
        assert_eq!(
            parse("ملاحظة:مهمة").unwrap().groups,
            vec![vec![word("ملاحظة:مهمة")]]
        );
    }

    #[test]
    fn latin_words_with_a_colon_are_text_unless_they_name_a_filter() {
        assert_eq!(
            parse("Note: http://undocs.org").unwrap().groups,
            vec![vec![word("Note:")], vec![word("http://undocs.org")]]
        );
    }

    #[test]
    fn a_lone_hyphen_is_text() {
        assert_eq!(parse("أ - ب").unwrap().groups.len(), 3);
    }

    #[test]
    fn mistakes_are_named_with_their_position() {
        let cases = [
            ("", "empty"),
            ("   ", "empty"),
            (
                r#"الجريمة "المنظمة"#,
                "quote at character 9 is never closed",
            ),
            (r#""""#, "phrase at character 1 is empty"),
            (r#""أ ب"~x"#, "slop"),
            ("foo:bar", "unknown filter `foo:` at character 1"),
            ("session:eleven", "expects a number"),
            ("OR الجريمة", "OR at character 1"),
            ("الجريمة OR", "OR at character 9"),
            ("-الجريمة", "only exclusions"),
            ("session:1 OR session:2", "cannot be joined with OR"),
            ("الجر\"يمة\"", "must start a new word"),
        ];
        for (query, expected) in cases {
            let err = parse(query).unwrap_err();
            assert!(
                err.contains(expected),
                "{query:?}: {err:?} lacks {expected:?}"
            );
        }
        let long = "ا ".repeat(MAX_QUERY_CHARS);
        assert!(parse(&long).unwrap_err().contains("longer than"));
    }
}
