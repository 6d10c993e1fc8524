//! `cchc serve`: builds the site, serves it on 127.0.0.1, watches `content/` and `themes/`,
//! rebuilds on change and tells open pages to reload (server-sent events).
//!
//! A build with errors keeps the last good site on screen and shows the errors (file:line) in
//! an overlay drawn by `/__cchc/reload.js` (a file, because the pages' CSP forbids inline
//! script). Requests never reach outside the published site: paths are looked up in the set
//! of published paths before a file is read, so `..`, encoded dots and backslashes simply
//! find nothing.
//!
//! This module is the HTTP/SSE server; `engine` is the incremental rebuild it drives,
//! `quick` its quick pass and `store` the published files (on disk in a temporary
//! folder, with only their lengths and hashes in memory).
//!
//! Rebuilds are incremental ([`Incremental`]): the watcher's changed paths go to the quick
//! pass, which patches the edited documents into the last good site and publishes their
//! pages at once (the browser reloads then); the full pass follows: only files changed on
//! disk are read again, only documents whose text or context changed are parsed, extracted
//! and rendered to HTML again, and only the files whose bytes changed are written; pages
//! showing one of those reload too. The result is always what a full build of the same
//! content gives. Every rebuild ends with a `changed` event (possibly with no paths).

use std::collections::HashSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::site::AssembleOptions;

mod engine;
mod quick;
mod store;

pub use engine::{Files, Incremental, Rebuilt, Store};

/// Options of `cchc serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub assemble: AssembleOptions,
}

/// The site as served: the published paths and the folder their files are in (the
/// engine's [`Store`]), plus the errors of the last build.
#[derive(Default)]
struct State {
    files: HashSet<String>,
    dir: PathBuf,
    errors: Vec<String>,
}

/// Open event streams, each fed the messages `reload`, `status` or `changed <json paths>`.
type Clients = Mutex<Vec<mpsc::Sender<String>>>;

/// More changed paths than this and pages are simply told to reload.
const MAX_LISTED_CHANGES: usize = 2_000;

/// The live-reload client: listens to `/__cchc/events`, reloads the page or shows the errors.
/// A file of the default theme (outside `templates/` and `static/`, so never published).
const RELOAD_JS: &str = include_str!("../../themes/default/serve/reload.js");

/// Serves until the process is stopped.
pub fn serve(opts: ServeOptions) -> std::io::Result<()> {
    let addr = free_addr(opts.bind, opts.port)?;
    let state = Arc::new(RwLock::new(State::default()));
    let clients: Arc<Clients> = Arc::default();
    let mut inc = Incremental::default();
    rebuild(&opts, &mut inc, &state, &clients, None);
    let server = tiny_http::Server::http(addr).map_err(|e| std::io::Error::other(e.to_string()))?;
    eprintln!("Đang phục vụ tại http://{addr}/ — sửa tệp trong content/ hoặc themes/ để dựng lại; Ctrl+C để dừng.");
    let (tx, rx) = mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(20),
        None,
        move |res: notify_debouncer_full::DebounceEventResult| {
            // Reading a file (our own rebuilds do) raises access events: only changes count.
            // The changed paths go along (`None`: unknown, look at everything).
            let changes = res.map(|events| {
                let changes: Vec<_> = events
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.event.kind,
                            notify::EventKind::Create(_)
                                | notify::EventKind::Modify(_)
                                | notify::EventKind::Remove(_)
                                | notify::EventKind::Any
                        )
                    })
                    .collect();
                let known = changes.iter().all(|e| !e.event.paths.is_empty());
                let paths: Vec<PathBuf> =
                    changes.iter().flat_map(|e| e.event.paths.clone()).collect();
                (!changes.is_empty()).then_some(known.then_some(paths))
            });
            match changes {
                Ok(Some(paths)) => {
                    let _ = tx.send(paths);
                }
                Ok(None) => {}
                Err(_) => {
                    let _ = tx.send(None);
                }
            }
        },
    )
    .map_err(|e| std::io::Error::other(e.to_string()))?;
    for dir in ["content", "themes"] {
        let path = opts.root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, notify::RecursiveMode::Recursive)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
    }
    {
        let (opts, state, clients) = (opts.clone(), state.clone(), clients.clone());
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                // Every batch waiting is one rebuild; the paths are known only if all are.
                let mut hint = first;
                while let Ok(more) = rx.try_recv() {
                    hint = hint.zip(more).map(|(mut a, b)| {
                        a.extend(b);
                        a
                    });
                }
                rebuild(&opts, &mut inc, &state, &clients, hint.as_deref());
            }
        });
    }
    for request in server.incoming_requests() {
        let (state, clients) = (state.clone(), clients.clone());
        std::thread::spawn(move || handle(request, &state, &clients));
    }
    Ok(())
}

/// One rebuild: publishes the quick pass, then the full one, telling pages what changed.
/// `hint`: the paths the watcher saw change, when it knows them.
fn rebuild(
    opts: &ServeOptions,
    inc: &mut Incremental,
    state: &RwLock<State>,
    clients: &Clients,
    hint: Option<&[PathBuf]>,
) {
    let started = Instant::now();
    let mut publish_quick = |_: &Files, quick: &[String]| {
        if quick.is_empty() {
            return;
        }
        if let Ok(mut s) = state.write() {
            s.files.extend(quick.iter().cloned());
            s.errors.clear();
        }
        notify(clients, quick);
        eprintln!(
            "Trang văn bản đã sửa: {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
    };
    let r = inc.rebuild_hinted(&opts.root, &opts.assemble, hint, &mut publish_quick);
    for e in &r.errors {
        eprintln!("{e}");
    }
    if let Ok(mut s) = state.write() {
        if r.errors.is_empty() {
            // What the full pass added, changed or removed; the rest stays as published.
            let published = inc.store().index();
            for path in &r.changed {
                if published.contains_key(path) {
                    s.files.insert(path.clone());
                } else {
                    s.files.remove(path);
                }
            }
            s.dir = inc.store().site_dir();
        }
        s.errors = r.errors.clone();
    }
    if r.errors.is_empty() {
        // Even with nothing more changed: the event marks the end of the rebuild.
        notify(clients, &r.changed);
    } else {
        send(clients, "status".to_string());
    }
    eprintln!(
        "Dựng lại xong trong {:.0} ms ({} tệp đổi){}",
        started.elapsed().as_secs_f64() * 1000.0,
        r.quick.len() + r.changed.len(),
        if r.errors.is_empty() {
            ""
        } else {
            " (có lỗi; vẫn phục vụ bản cũ)"
        }
    );
}

/// Tells pages which paths changed (pages reload when theirs is among them).
fn notify(clients: &Clients, changed: &[String]) {
    let msg = if changed.len() > MAX_LISTED_CHANGES {
        "reload".to_string()
    } else {
        format!(
            "changed {}",
            serde_json::to_string(changed).unwrap_or_else(|_| "[]".into())
        )
    };
    send(clients, msg);
}

fn send(clients: &Clients, msg: String) {
    if let Ok(mut c) = clients.lock() {
        c.retain(|tx| tx.send(msg.clone()).is_ok());
    }
}

/// `port`, or the next free one (with a message) when it is taken.
fn free_addr(bind: IpAddr, port: u16) -> std::io::Result<SocketAddr> {
    for p in port..port.saturating_add(20) {
        let addr = SocketAddr::new(bind, p);
        if TcpListener::bind(addr).is_ok() {
            if p != port {
                eprintln!("Cổng {port} đang bận; dùng cổng {p} (chọn cổng khác bằng --port).");
            }
            return Ok(addr);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AddrInUse,
        format!(
            "cổng {port}–{} đều bận; chọn cổng khác bằng --port",
            port.saturating_add(19)
        ),
    ))
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "gz" => "application/gzip",
        "bin" => "application/octet-stream",
        _ => "application/octet-stream",
    }
}

/// Maps a request URL to a key of the site map: drops the query, decodes `%xx`, maps `/x/`
/// to `x/index.html`. Anything with `..`, `\` or NUL maps to nothing.
pub fn lookup_key(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = crate::text::percent_decode_strict(path)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let trimmed = decoded.trim_start_matches('/');
    let key = if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    };
    crate::write::is_safe_rel_path(&key).then_some(key)
}

/// Adds the reload script to an HTML page (served pages only; never written to disk).
fn with_reload(html: &[u8]) -> Vec<u8> {
    let tag = b"<script src=\"/__cchc/reload.js\" defer></script>";
    match html.windows(7).rposition(|w| w == b"</body>") {
        Some(i) => [&html[..i], tag, &html[i..]].concat(),
        None => [html, tag].concat(),
    }
}

fn handle(request: tiny_http::Request, state: &RwLock<State>, clients: &Clients) {
    let url = request.url().to_string();
    let header = |k: &str, v: &str| tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).ok();
    match url.as_str() {
        "/__cchc/events" => return events(request, clients),
        "/__cchc/reload.js" => {
            let mut r = tiny_http::Response::from_string(RELOAD_JS);
            if let Some(h) = header("Content-Type", "text/javascript; charset=utf-8") {
                r.add_header(h);
            }
            let _ = request.respond(r);
            return;
        }
        "/__cchc/status" => {
            let errors = state.read().map(|s| s.errors.clone()).unwrap_or_default();
            let body = serde_json::json!({ "errors": errors }).to_string();
            let mut r = tiny_http::Response::from_string(body);
            if let Some(h) = header("Content-Type", "application/json") {
                r.add_header(h);
            }
            let _ = request.respond(r);
            return;
        }
        _ => {}
    }
    // Paths are looked up in the published set before the disk is read, so a request
    // never reaches a file outside the site.
    let read = |k: &str| -> Option<Vec<u8>> {
        let s = state.read().ok()?;
        s.files
            .contains(k)
            .then(|| std::fs::read(s.dir.join(k)).ok())
            .flatten()
    };
    let found = lookup_key(&url).and_then(|k| {
        // `/x` without a slash: serve `x/index.html` too, as static hosts do.
        read(&k).map(|b| (k.clone(), b)).or_else(|| {
            let dir = format!("{k}/index.html");
            read(&dir).map(|b| (dir, b))
        })
    });
    let (key, bytes, status) = match found {
        Some((k, b)) => (k, b, 200),
        None => match read("404.html") {
            Some(b) => ("404.html".to_string(), b, 404),
            None => ("404.txt".to_string(), b"404".to_vec(), 404),
        },
    };
    let body = if key.ends_with(".html") {
        with_reload(&bytes)
    } else {
        bytes
    };
    let mut r = tiny_http::Response::from_data(body).with_status_code(status);
    if let Some(h) = header("Content-Type", content_type(&key)) {
        r.add_header(h);
    }
    if let Some(h) = header("Cache-Control", "no-store") {
        r.add_header(h);
    }
    let _ = request.respond(r);
}

/// A server-sent event stream; written by hand because tiny_http's chunked encoder buffers
/// 8 KiB before sending, which would stall reload events.
fn events(request: tiny_http::Request, clients: &Clients) {
    let (tx, rx) = mpsc::channel();
    if let Ok(mut c) = clients.lock() {
        c.push(tx);
    }
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(m) => format!("data: {m}\n\n"),
            Err(mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_escape_the_site() {
        assert_eq!(lookup_key("/").as_deref(), Some("index.html"));
        assert_eq!(
            lookup_key("/van-ban/x/?q=1").as_deref(),
            Some("van-ban/x/index.html")
        );
        assert_eq!(
            lookup_key("/t%E1%BB%87p/a.pdf").as_deref(),
            Some("tệp/a.pdf")
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fb",
            "/a\\..\\b",
            "/%00",
            "/%zz",
        ] {
            assert_eq!(lookup_key(bad), None, "{bad}");
        }
        assert_eq!(content_type("lich.ics"), "text/calendar; charset=utf-8");
        assert_eq!(
            content_type("du-lieu/nhiem-vu.csv"),
            "text/csv; charset=utf-8"
        );
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let out = with_reload(b"<html><body>x</body></html>");
        assert_eq!(
            out,
            b"<html><body>x<script src=\"/__cchc/reload.js\" defer></script></body></html>"
                .to_vec()
        );
    }
}
