//! What the Conference said about an article of the Convention: the passages citing it,
//! grouped by session (newest first), and how often each article is cited per session.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, FacetCollector};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::{numbered_facets, snippet::Snippets, Engine, Hit};
use crate::analysis;
use crate::corpus::citations;
use crate::Result;

/// The words a citation is written with, highlighted in the snippets of a report.
const CITATION_WORDS: &str = "المادة المادتين المادتان المواد";

/// An article of the Convention, as the table in `data/articles.tsv` names it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleTitle {
    pub article: u64,
    pub english: String,
    pub arabic: String,
    /// The Arabic title is our translation, not the documents' wording.
    pub arabic_is_translation: bool,
}

impl From<&citations::Article> for ArticleTitle {
    fn from(a: &citations::Article) -> Self {
        ArticleTitle {
            article: u64::from(a.number),
            english: a.english.to_owned(),
            arabic: a.arabic.to_owned(),
            arabic_is_translation: a.arabic_is_ours,
        }
    }
}

impl ArticleTitle {
    pub fn of(article: u64) -> Option<ArticleTitle> {
        citations::articles()
            .iter()
            .find(|a| u64::from(a.number) == article)
            .map(ArticleTitle::from)
    }
}

/// The passages citing one article.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleReport {
    #[serde(flatten)]
    pub title: ArticleTitle,
    pub total_passages: u64,
    /// Newest session first; passages of documents without a session last.
    pub sessions: Vec<SessionCitations>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionCitations {
    pub session: Option<u64>,
    pub passages: Vec<Hit>,
}

/// How often one article is cited: passages in all, and per session.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCount {
    #[serde(flatten)]
    pub title: ArticleTitle,
    pub total_passages: u64,
    pub by_session: BTreeMap<u64, u64>,
    /// Citing passages of documents of no session (working-group reports, say).
    pub without_session: u64,
}

impl Engine {
    /// Every passage citing `article`, in the given sessions (all when empty).
    pub fn article(&self, article: u64, sessions: &[u64]) -> Result<Option<ArticleReport>> {
        let Some(title) = ArticleTitle::of(article) else {
            return Ok(None);
        };
        let fields = &self.open.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            term(Term::from_field_u64(fields.articles, article)),
        )];
        if !sessions.is_empty() {
            let any_session = sessions
                .iter()
                .map(|&s| term(Term::from_field_u64(fields.session, s)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::union(any_session))));
        }
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?;

        let highlight = BooleanQuery::union(
            analysis::analyze(&format!("{CITATION_WORDS} {article}"))
                .iter()
                .flat_map(|t| t.stems.clone())
                .map(|stem| term(Term::from_field_text(fields.text, &stem)))
                .collect(),
        );
        let snippets = Snippets::new(&searcher, &highlight, fields, Default::default())?;
        let mut hits = addresses
            .into_iter()
            .map(|address| self.hit_at(&searcher, address, 0.0, &snippets))
            .collect::<Result<Vec<Hit>>>()?;
        // Newest session first (no session last), then in reading order.
        hits.sort_by(|a, b| {
            b.session
                .cmp(&a.session)
                .then_with(|| a.doc.cmp(&b.doc))
                .then(a.passage.cmp(&b.passage))
        });
        let total_passages = hits.len() as u64;
        let mut groups: Vec<SessionCitations> = Vec::new();
        for hit in hits {
            match groups.last_mut() {
                Some(group) if group.session == hit.session => group.passages.push(hit),
                _ => groups.push(SessionCitations {
                    session: hit.session,
                    passages: vec![hit],
                }),
            }
        }
        Ok(Some(ArticleReport {
            title,
            total_passages,
            sessions: groups,
        }))
    }

    /// Every article of the Convention with how often it is cited, per session.
    pub fn article_counts(&self) -> Result<Vec<ArticleCount>> {
        let fields = &self.open.fields;
        let searcher = self.reader.searcher();
        let count = |query: &dyn Query, facet: &str| -> Result<BTreeMap<u64, u64>> {
            let mut facets = FacetCollector::for_field("facets");
            facets.add_facet(facet);
            Ok(numbered_facets(&searcher.search(query, &facets)?, facet))
        };
        let totals = count(&AllQuery, "/article")?;
        let mut per_session: BTreeMap<u64, BTreeMap<u64, u64>> = BTreeMap::new();
        for session in count(&AllQuery, "/session")?.keys() {
            let in_session = TermQuery::new(
                Term::from_field_u64(fields.session, *session),
                IndexRecordOption::Basic,
            );
            per_session.insert(*session, count(&in_session, "/article")?);
        }
        Ok(citations::articles()
            .iter()
            .map(ArticleTitle::from)
            .map(|title| {
                let total_passages = totals.get(&title.article).copied().unwrap_or(0);
                let by_session: BTreeMap<u64, u64> = per_session
                    .iter()
                    .filter_map(|(s, counts)| Some((*s, *counts.get(&title.article)?)))
                    .collect();
                ArticleCount {
                    without_session: total_passages - by_session.values().sum::<u64>(),
                    total_passages,
                    by_session,
                    title,
                }
            })
            .collect())
    }
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}
