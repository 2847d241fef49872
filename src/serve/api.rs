//! The JSON API: the same search as the CLI, a document view, figures, exports, and errors
//! as `{"error": {"code", "message"}}` with a status that fits.

use std::any::Any;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;

use super::{BuildStatus, Shared};
use crate::search::browse::{DocumentView, OutlineEntry, Stats};
use crate::search::{Engine, SearchRequest, SearchResults};
use crate::Error;

/// The largest page of hits one API request returns.
const MAX_API_LIMIT: usize = 100;
/// The most hits an export holds.
const MAX_EXPORT: usize = 1_000;

/// An error as the API reports it.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn bad_param(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_param",
            message: message.into(),
        }
    }

    fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
        }
    }

    fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: message.into(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::Query(message) => ApiError {
                status: StatusCode::BAD_REQUEST,
                code: "bad_query",
                message,
            },
            Error::Request(message) => ApiError::bad_param(message),
            other => {
                tracing::error!("{}", other.with_causes());
                ApiError::internal(other.with_causes())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// The parameters of a search, from a query string in which `session`, `year` and `doc`
/// may repeat.
fn search_request(
    raw: Option<&str>,
    default_limit: usize,
    max_limit: usize,
) -> Result<(SearchRequest, Option<String>), ApiError> {
    let mut request = SearchRequest {
        query: String::new(),
        sessions: Vec::new(),
        years: Vec::new(),
        docs: Vec::new(),
        articles: Vec::new(),
        limit: default_limit,
        offset: 0,
    };
    let mut format = None;
    let mut seen_query = false;
    let number = |name: &str, value: &str| {
        value.parse::<u64>().map_err(|_| {
            ApiError::bad_param(format!("`{name}` must be a whole number, not `{value}`"))
        })
    };
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "q" if seen_query => return Err(ApiError::bad_param("`q` may be given only once")),
            "q" => {
                seen_query = true;
                request.query = value.into_owned();
            }
            "session" => request.sessions.push(number("session", &value)?),
            "year" => request.years.push(number("year", &value)?),
            "doc" => request.docs.push(value.into_owned()),
            "article" => match number("article", &value)? {
                article @ 1..=41 => request.articles.push(article),
                _ => {
                    return Err(ApiError::bad_param(
                        "`article` must be an article of the Convention, 1 to 41",
                    ))
                }
            },
            "limit" => {
                let limit = number("limit", &value)?;
                if limit == 0 {
                    return Err(ApiError::bad_param("`limit` must be at least 1"));
                }
                request.limit = usize::try_from(limit).unwrap_or(usize::MAX).min(max_limit);
            }
            "offset" => {
                request.offset = usize::try_from(number("offset", &value)?).unwrap_or(usize::MAX)
            }
            "format" => format = Some(value.into_owned()),
            other => return Err(ApiError::bad_param(format!("unknown parameter `{other}`"))),
        }
    }
    Ok((request, format))
}

/// Runs `work` on the current engine off the async workers: tantivy's work is CPU-bound.
async fn with_engine<T: Send + 'static>(
    shared: &Shared,
    work: impl FnOnce(&Engine) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let engine = shared.engine();
    tokio::task::spawn_blocking(move || work(&engine))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(ApiError::from)
}

async fn run_search(shared: &Shared, request: SearchRequest) -> Result<SearchResults, ApiError> {
    with_engine(shared, move |engine| engine.search(&request)).await
}

/// `GET /api/search`: exactly the `search --json` object.
pub async fn search(
    State(shared): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResults>, ApiError> {
    let (request, format) = search_request(raw.as_deref(), 10, MAX_API_LIMIT)?;
    if format.is_some() {
        return Err(ApiError::bad_param("unknown parameter `format`"));
    }
    Ok(Json(run_search(&shared, request).await?))
}

/// `GET /api/export?format=csv|json&…`: up to a thousand hits of a search, as a download.
pub async fn export(
    State(shared): State<Shared>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (request, format) = search_request(raw.as_deref(), MAX_EXPORT, MAX_EXPORT)?;
    let csv = match format.as_deref() {
        Some("csv") => true,
        Some("json") => false,
        _ => return Err(ApiError::bad_param("`format` must be `csv` or `json`")),
    };
    let results = run_search(&shared, request).await?;
    let (content_type, extension, body) = if csv {
        (
            "text/csv; charset=utf-8",
            "csv",
            csv_of(&results).map_err(|e| ApiError::internal(e.to_string()))?,
        )
    } else {
        (
            "application/json",
            "json",
            serde_json::to_vec_pretty(&results).map_err(|e| ApiError::internal(e.to_string()))?,
        )
    };
    let disposition = format!("attachment; filename=\"fahras-results.{extension}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// One row per hit; a UTF-8 byte order mark first, so spreadsheet programs read Arabic.
fn csv_of(results: &SearchResults) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer("\u{FEFF}".as_bytes().to_vec());
    writer.write_record([
        "rank", "doc", "symbol", "session", "year", "title", "passage", "score", "snippet", "text",
    ])?;
    let optional = |value: Option<u64>| value.map(|v| v.to_string()).unwrap_or_default();
    for (rank, hit) in (1..).zip(&results.hits) {
        writer.write_record([
            rank.to_string(),
            hit.doc.clone(),
            hit.symbol.clone().unwrap_or_default(),
            optional(hit.session),
            optional(hit.year),
            hit.title.clone().unwrap_or_default(),
            hit.passage.to_string(),
            format!("{:.4}", hit.score),
            inert(&hit.snippet),
            inert(&hit.text),
        ])?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// A cell a spreadsheet would read as a formula (`- 11- …`, `=…`) is quoted with `'`.
fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// A document as the page shows it: its passages, and the outline `fahras show` prints.
#[derive(Serialize)]
struct DocumentPage {
    #[serde(flatten)]
    view: DocumentView,
    outline: Vec<OutlineEntry>,
}

/// `GET /api/doc/{id}`: a document's metadata, its passages in order and its outline.
pub async fn document(
    State(shared): State<Shared>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad_param(e.body_text()))?;
    let lookup = id.clone();
    let view = with_engine(&shared, move |engine| engine.document(&lookup)).await?;
    match view {
        Some(view) => {
            let outline = view.outline().outline;
            Ok(Json(DocumentPage { view, outline }).into_response())
        }
        None => Err(ApiError::not_found(format!(
            "no document `{id}` in the index"
        ))),
    }
}

/// `GET /api/docs`: every document with its metadata and number of passages.
pub async fn documents(State(shared): State<Shared>) -> Result<Response, ApiError> {
    let documents = with_engine(&shared, Engine::documents).await?;
    Ok(Json(documents).into_response())
}

/// `GET /api/articles`: each article of the Convention and how often it is cited, per
/// session — what `fahras article --json` prints.
pub async fn articles(State(shared): State<Shared>) -> Result<Response, ApiError> {
    let counts = with_engine(&shared, Engine::article_counts).await?;
    Ok(Json(counts).into_response())
}

/// `GET /api/articles/{n}?session=…`: the passages citing article `n`, by session, newest
/// first — what `fahras article N --json` prints.
pub async fn article(
    State(shared): State<Shared>,
    number: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let Path(number) = number.map_err(|e| ApiError::bad_param(e.body_text()))?;
    let article = match number.parse::<u64>() {
        Ok(article @ 1..=41) => article,
        _ => {
            return Err(ApiError::not_found(format!(
                "the Convention has no article `{number}` (it has articles 1 to 41)"
            )))
        }
    };
    let mut sessions = Vec::new();
    for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "session" => sessions.push(value.parse::<u64>().map_err(|_| {
                ApiError::bad_param(format!("`session` must be a whole number, not `{value}`"))
            })?),
            other => return Err(ApiError::bad_param(format!("unknown parameter `{other}`"))),
        }
    }
    let report = with_engine(&shared, move |engine| engine.article(article, &sessions)).await?;
    match report {
        Some(report) => Ok(Json(report).into_response()),
        None => Err(ApiError::not_found(format!(
            "the Convention has no article {article}"
        ))),
    }
}

/// The figures of the index served, and how the server's own builds went.
#[derive(Serialize)]
struct ServedStats {
    #[serde(flatten)]
    stats: Stats,
    build: BuildStatus,
}

/// `GET /api/stats`: documents, passages, passages per session and year, sizes, files left
/// out, and the state of the builds that follow the corpus.
pub async fn stats(State(shared): State<Shared>) -> Result<Response, ApiError> {
    let stats = with_engine(&shared, Engine::stats).await?;
    let build = shared.build_status();
    Ok(Json(ServedStats { stats, build }).into_response())
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such page or API route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: "only GET is served".into(),
    }
}

/// A handler that panicked answers 500 and the server goes on.
pub fn panicked(_: Box<dyn Any + Send + 'static>) -> Response {
    ApiError::internal("the request failed unexpectedly").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(inert("- 11- وقرر"), "'- 11- وقرر");
        assert_eq!(inert("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(inert("تسليم"), "تسليم");
    }

    #[test]
    fn repeated_filters_limits_and_unknown_parameters() {
        let (request, format) = search_request(
            Some("q=%D8%AA%D8%B3%D9%84%D9%8A%D9%85&session=10&session=11&limit=500&format=csv"),
            10,
            100,
        )
        .ok()
        .unwrap();
        assert_eq!(request.query, "تسليم");
        assert_eq!(request.sessions, vec![10, 11]);
        assert_eq!(request.limit, 100);
        assert_eq!(format.as_deref(), Some("csv"));
        for bad in [
            "limit=0",
            "limit=x",
            "session=-1",
            "offset=1.5",
            "page=2",
            "article=42",
            "q=a&q=b",
        ] {
            assert!(search_request(Some(bad), 10, 100).is_err(), "{bad}");
        }
    }
}
