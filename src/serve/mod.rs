//! `fahras serve`: the search engine as a small HTTP service and a web page. One reader of
//! the index is shared by every request; a rebuilt index (a new generation named by
//! `CURRENT`) is picked up without a restart, and the corpus folder is followed (`follow`).

mod api;
mod assets;
mod follow;

pub use follow::{BuildStatus, Corpus};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use crate::index;
use crate::search::Engine;
use crate::{Error, Result};

/// How often the server looks for a rebuilt index.
const RELOAD_INTERVAL: Duration = Duration::from_secs(1);
/// How long shutdown waits for open connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// No request may hold a worker longer than this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The engine over the current generation, replaced when the index is rebuilt.
#[derive(Clone)]
struct Shared {
    index_dir: Arc<PathBuf>,
    engine: Arc<RwLock<Arc<Engine>>>,
    /// The builds the server made after corpus changes.
    build: Arc<Mutex<BuildStatus>>,
}

impl Shared {
    fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Opens the generation `CURRENT` names when it is not the one being served.
    fn reload_if_rebuilt(&self) -> Result<bool> {
        let current = index::current_generation(&self.index_dir)?;
        if current.is_none_or(|g| g == self.engine().generation()) {
            return Ok(false);
        }
        let engine = Arc::new(Engine::new(index::open(&self.index_dir)?)?);
        *self.engine.write().unwrap_or_else(PoisonError::into_inner) = engine;
        Ok(true)
    }

    async fn watch_for_rebuilds(self) {
        let mut ticks = tokio::time::interval(RELOAD_INTERVAL);
        loop {
            ticks.tick().await;
            let shared = self.clone();
            match tokio::task::spawn_blocking(move || shared.reload_if_rebuilt()).await {
                Ok(Ok(true)) => tracing::info!("reloaded the rebuilt index"),
                Ok(Ok(false)) => {}
                Ok(Err(error)) => {
                    tracing::warn!("cannot reload the index: {}", error.with_causes())
                }
                Err(error) => tracing::warn!("index reload failed: {error}"),
            }
        }
    }
}

/// Serves the index in `index_dir` on `addr` until Ctrl-C or SIGTERM, rebuilding it from
/// `corpus` whenever that changes.
pub fn run(addr: SocketAddr, index_dir: &Path, corpus: Option<Corpus>) -> Result<()> {
    let engine = Engine::new(index::open(index_dir)?)?;
    let shared = Shared {
        index_dir: Arc::new(index_dir.to_path_buf()),
        engine: Arc::new(RwLock::new(Arc::new(engine))),
        build: Arc::default(),
    };
    let _watcher = match corpus {
        Some(corpus) => Some(follow::start(shared.clone(), corpus)?),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Listen {
            addr: addr.to_string(),
            source: e,
        })?;
    runtime.block_on(async {
        let listen_error = |source| Error::Listen {
            addr: addr.to_string(),
            source,
        };
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(listen_error)?;
        let local = listener.local_addr().map_err(listen_error)?;
        // Tests and scripts wait for this line to know the port.
        eprintln!("fahras: listening on http://{local}");
        tokio::spawn(shared.clone().watch_for_rebuilds());
        // Graceful shutdown waits for open connections; a client that never finishes its
        // request must not keep the process alive, so the wait is bounded.
        let (stopping, stop) = tokio::sync::watch::channel(());
        let mut stop = stop;
        let server = axum::serve(listener, router(shared)).with_graceful_shutdown(async move {
            let _ = stop.changed().await;
        });
        tokio::select! {
            served = server => served.map_err(listen_error),
            () = async {
                shutdown_signal().await;
                let _ = stopping.send(());
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                tracing::warn!("closed connections still open {SHUTDOWN_GRACE:?} after the signal");
                Ok(())
            }
        }
    })
}

fn router(shared: Shared) -> Router {
    Router::new()
        .route("/", get(assets::page))
        .route("/doc/{*id}", get(assets::page))
        .route("/articles", get(assets::page))
        .route("/articles/{n}", get(assets::page))
        .route("/docs", get(assets::page))
        .route("/static/app.js", get(assets::script))
        .route("/static/app.css", get(assets::style))
        .route("/favicon.ico", get(assets::favicon))
        .route("/static/favicon.svg", get(assets::favicon))
        .route("/api/search", get(api::search))
        .route("/api/export", get(api::export))
        .route("/api/doc/{*id}", get(api::document))
        .route("/api/docs", get(api::documents))
        .route("/api/articles", get(api::articles))
        .route("/api/articles/{n}", get(api::article))
        .route("/api/stats", get(api::stats))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(shared)
        .layer(CatchPanicLayer::custom(api::panicked))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(log_request))
}

/// One line per request: method, path, status, milliseconds.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(
        "{method} {path} {} {:.2}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
