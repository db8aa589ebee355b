//! A static file server for the built site, on 127.0.0.1 and a free port.
//!
//! It serves `dist/` under a subpath ([`MOUNT`]), never at the root: a page
//! that asked for `/app.wasm` instead of `./app.wasm` would then fail in the
//! tests, as it would on a static host that puts the site in a folder.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use anyhow::{Context, Result, anyhow, ensure};
use tiny_http::{Header, Method, Request, Response, Server};

/// The subpath the site is served under.
pub const MOUNT: &str = "/some/subpath/";

/// A running server; it stops when dropped.
pub struct Site {
    server: Arc<Server>,
    offline: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    url: String,
}

impl Site {
    /// Serves `dist` until the returned value is dropped.
    pub fn serve(dist: &Path) -> Result<Site> {
        ensure!(
            dist.join("index.html").is_file(),
            "{} has no index.html: build the site first (`cargo xtask build`)",
            dist.display()
        );
        let server =
            Server::http("127.0.0.1:0").map_err(|e| anyhow!("starting the server: {e}"))?;
        let addr = server
            .server_addr()
            .to_ip()
            .context("the server listens on TCP")?;
        let server = Arc::new(server);
        let offline = Arc::new(AtomicBool::new(false));
        let thread = std::thread::spawn({
            let server = Arc::clone(&server);
            let offline = Arc::clone(&offline);
            let dist = dist.to_path_buf();
            move || {
                for request in server.incoming_requests() {
                    if offline.load(Ordering::SeqCst) {
                        refuse(request);
                    } else {
                        respond(&dist, request);
                    }
                }
            }
        });
        Ok(Site {
            server,
            offline,
            thread: Some(thread),
            url: format!("http://{addr}{MOUNT}"),
        })
    }

    /// The switch that takes the site off the network (see
    /// [`super::Page::go_offline`]).
    pub fn offline(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.offline)
    }

    /// The site's address, ending in `/`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            // A panic in the server thread has already been printed.
            let _ = thread.join();
        }
    }
}

fn respond(dist: &Path, request: Request) {
    let response = match request.method() {
        Method::Get | Method::Head => file_response(dist, request.url()),
        _ => Response::from_string("method not allowed").with_status_code(405),
    };
    // The browser may have gone away mid-response; nothing to do about it.
    let _ = request.respond(response);
}

/// Answers with bytes that are not HTTP: the browser drops the connection
/// and fails the request, as it would with no network.
fn refuse(request: Request) {
    use std::io::Write;
    let mut writer = request.into_writer();
    let _ = writer.write_all(b"offline\r\n\r\n");
    let _ = writer.flush();
}

fn file_response(dist: &Path, url: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let Some(path) = file_for(dist, url) else {
        return Response::from_string("not found").with_status_code(404);
    };
    let Ok(body) = std::fs::read(&path) else {
        return Response::from_string("not found").with_status_code(404);
    };
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    Response::from_data(body)
        .with_header(header("Content-Type", mime.as_ref()))
        // Every test must see the build it is testing, never a cached one.
        .with_header(header("Cache-Control", "no-store"))
        // Cross-origin isolation gives `performance.now()` and animation
        // frame timestamps 5 µs resolution instead of 100 µs, so the frame
        // benchmark reads a 16.67 ms frame as 16.67, not as 16.6 or 16.8.
        // The site loads nothing from other origins, so it runs the same.
        .with_header(header("Cross-Origin-Opener-Policy", "same-origin"))
        .with_header(header("Cross-Origin-Embedder-Policy", "require-corp"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("ASCII header")
}

/// The file under `dist` that `url` names: only below [`MOUNT`], never
/// outside `dist`, and `index.html` for a folder.
fn file_for(dist: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next()?.strip_prefix(MOUNT)?;
    let mut file = dist.to_path_buf();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => file.push(part),
            _ => return None,
        }
    }
    if path.is_empty() || path.ends_with('/') {
        file.push("index.html");
    }
    Some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, expected: Option<&str>) {
        let dist = Path::new("/dist");
        assert_eq!(
            file_for(dist, url),
            expected.map(|file| dist.join(file)),
            "{url}"
        );
    }

    #[test]
    fn urls_map_to_files_below_the_mount() {
        check("/some/subpath/", Some("index.html"));
        check("/some/subpath/app-1a2b_bg.wasm", Some("app-1a2b_bg.wasm"));
        check("/some/subpath/style.css?v=2", Some("style.css"));
        check("/some/subpath/assets/", Some("assets/index.html"));
        check("/", None);
        check("/app.wasm", None);
        check("/some/subpath/../secret", None);
    }

    #[test]
    fn served_types_are_what_browsers_require() {
        // Browsers refuse to stream-compile wasm or run module scripts
        // served under another type.
        let cases = [
            ("a.wasm", "application/wasm"),
            ("a.js", "text/javascript"),
            ("a.css", "text/css"),
            ("index.html", "text/html"),
        ];
        for (file, mime) in cases {
            assert_eq!(mime_guess::from_path(file).first_or_octet_stream(), mime);
        }
    }

    #[test]
    fn serves_the_files_of_dist() -> Result<()> {
        let dist = tempfile::tempdir()?;
        std::fs::write(dist.path().join("index.html"), "<h1>hi</h1>")?;
        let site = Site::serve(dist.path())?;
        let (status, body) = get(&site.url)?;
        assert_eq!((status.as_str(), body.as_str()), ("200", "<h1>hi</h1>"));
        let root = site.url.trim_end_matches(MOUNT).to_string() + "/index.html";
        assert_eq!(get(&root)?.0, "404");
        Ok(())
    }

    /// A bare HTTP/1.0 GET, enough to check the server without a client crate.
    fn get(url: &str) -> Result<(String, String)> {
        use std::io::{Read, Write};
        let rest = url.strip_prefix("http://").context("http URL")?;
        let (host, path) = rest.split_at(rest.find('/').context("URL has a path")?);
        let mut stream = std::net::TcpStream::connect(host)?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n")?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        let status = response
            .split(' ')
            .nth(1)
            .context("status line")?
            .to_string();
        let body = response
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .to_string();
        Ok((status, body))
    }
}
