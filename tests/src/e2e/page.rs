//! What a test does with the page: find, wait, click, read accessible names,
//! take screenshots.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::json;

/// How long to wait for the page to show something. Generous: the release
/// wasm loads on a two-core machine that may be compiling meanwhile.
const WAIT: Duration = Duration::from_secs(30);

/// The site open in a browser, at [`super::site::MOUNT`].
pub struct Page {
    client: Client,
    offline: Arc<AtomicBool>,
    downloads: PathBuf,
}

impl Page {
    pub(super) fn new(client: Client, offline: Arc<AtomicBool>, downloads: PathBuf) -> Page {
        Page {
            client,
            offline,
            downloads,
        }
    }

    /// Waits until the browser has saved the download `name` (no partial
    /// `.crdownload` left) and returns its bytes.
    pub async fn download(&self, name: &str) -> Result<Vec<u8>> {
        let path = self.downloads.join(name);
        let partial = self.downloads.join(format!("{name}.crdownload"));
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if path.is_file() && !partial.exists() {
                return std::fs::read(&path).with_context(|| format!("reading {}", path.display()));
            }
            if tokio::time::Instant::now() > deadline {
                let saved: Vec<String> = std::fs::read_dir(&self.downloads)
                    .map(|d| {
                        d.flatten()
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                anyhow::bail!("no download {name} after {WAIT:?}; saved: {saved:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Takes the site off the network for good: from now on the server
    /// answers every request, the service worker's too, with bytes that are
    /// not HTTP, which the browser reports as a failed request. (DevTools'
    /// offline emulation leaves a service worker online.)
    pub fn go_offline(&self) {
        self.offline.store(true, Ordering::SeqCst);
    }

    /// The WebDriver client, for what these helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The first element matching `css`, waiting until there is one.
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no `{css}` on the page after {WAIT:?}"))
    }

    /// Every element matching `css` now (after one of them appeared).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        self.find(css).await?;
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    /// Whether an element matches `css` now, without waiting.
    pub async fn exists(&self, css: &str) -> Result<bool> {
        Ok(!self.client.find_all(Locator::Css(css)).await?.is_empty())
    }

    /// The rendered text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.find(css).await?.text().await?)
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.find(css)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking `{css}`"))
    }

    /// Waits until the text of `css` satisfies `ready`, and returns it: a
    /// click is handled by the app after WebDriver returns.
    pub async fn wait_for_text(&self, css: &str, ready: impl Fn(&str) -> bool) -> Result<String> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let text = self.text(css).await?;
            if ready(&text) {
                return Ok(text);
            }
            ensure!(
                tokio::time::Instant::now() < deadline,
                "`{css}` still reads {text:?} after {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The accessible name Chromium computes for `element` (from its text,
    /// `aria-label`, `<label>`…), as a screen reader would announce it.
    pub async fn accessible_name(&self, element: &Element) -> Result<String> {
        // WebDriver's "Get Computed Label".
        let name = self
            .client
            .issue_cmd(SessionCommand {
                path: format!("element/{}/computedlabel", element.element_id()),
                body: None,
            })
            .await?;
        name.as_str()
            .map(str::to_string)
            .context("the computed label is a string")
    }

    /// The console's errors and warnings since the last call (the browser's
    /// own messages too: a failed request, a Content-Security-Policy
    /// violation), each as `LEVEL message`.
    pub async fn console_errors(&self) -> Result<Vec<String>> {
        let log = self
            .client
            .issue_cmd(SessionCommand {
                path: "se/log".into(),
                body: Some(json!({ "type": "browser" })),
            })
            .await
            .context("reading the browser's console")?;
        let entries = log.as_array().context("the console log is a list")?;
        Ok(entries
            .iter()
            .filter(|entry| matches!(entry["level"].as_str(), Some("SEVERE" | "WARNING")))
            .map(|entry| {
                let level = entry["level"].as_str().unwrap_or_default();
                let message = entry["message"].as_str().unwrap_or_default();
                format!("{level} {message}")
            })
            .collect())
    }

    /// Resizes the viewport (not the window) to `width`×`height` CSS pixels,
    /// waits for the page to lay out again, and saves a PNG of it as
    /// `target/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str, width: u32, height: u32) -> Result<PathBuf> {
        self.set_viewport(width, height).await?;
        let png = self.client.screenshot().await?;
        ensure!(
            png_size(&png) == Some((width, height)),
            "screenshot `{name}` is {:?}, not {width}×{height}",
            png_size(&png)
        );
        self.keep(&format!("{name}.png"), &png)
    }

    /// Saves `bytes` as `target/screenshots/<file>`, for a person to look
    /// at after the run (a screenshot, an exported picture).
    pub fn keep(&self, file: &str, bytes: &[u8]) -> Result<PathBuf> {
        let dir = super::workspace().join("target").join("screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(file);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// Sets the viewport to `width`×`height` CSS pixels at a device pixel
    /// ratio of 1. WebDriver can only size the window, which headless Chromium
    /// keeps within its virtual screen and pads with simulated browser chrome,
    /// so this asks Chromium's DevTools protocol for the exact metrics instead.
    pub async fn set_viewport(&self, width: u32, height: u32) -> Result<()> {
        self.devtools(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": false,
            }),
        )
        .await
        .context("setting the viewport size")?;
        let viewport = self.viewport().await?;
        ensure!(
            viewport == (width, height),
            "viewport is {viewport:?}, not {width}×{height}"
        );
        self.settle().await
    }

    /// Sends one Chrome DevTools protocol command (`Domain.method`) through
    /// ChromeDriver and returns its result.
    pub async fn devtools(
        &self,
        command: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let reply = self
            .client
            .issue_cmd(SessionCommand {
                path: "goog/cdp/execute".into(),
                body: Some(json!({ "cmd": command, "params": params })),
            })
            .await
            .with_context(|| format!("DevTools command {command}"))?;
        Ok(reply)
    }

    async fn viewport(&self) -> Result<(u32, u32)> {
        let size = self
            .client
            .execute("return [window.innerWidth, window.innerHeight];", vec![])
            .await?;
        let dimension = |i: usize| size[i].as_u64().and_then(|n| u32::try_from(n).ok());
        dimension(0)
            .zip(dimension(1))
            .with_context(|| format!("viewport size {size}"))
    }

    /// Resolves once fonts have loaded and two frames have been drawn, so a
    /// screenshot shows the page as laid out after the last change.
    pub async fn settle(&self) -> Result<()> {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 document.fonts.ready.then(() =>
                     requestAnimationFrame(() => requestAnimationFrame(() => done(true))));",
                vec![],
            )
            .await?;
        Ok(())
    }
}

/// A session command that fantoccini does not wrap: a GET without a body, or
/// a POST of `body`, to `session/<id>/<path>` on ChromeDriver.
#[derive(Debug)]
struct SessionCommand {
    path: String,
    body: Option<serde_json::Value>,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        match &self.body {
            None => (http::Method::GET, None),
            Some(body) => (http::Method::POST, Some(body.to_string())),
        }
    }
}

/// Width and height from a PNG's header (its IHDR chunk).
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let signature = b"\x89PNG\r\n\x1a\n";
    if png.get(..8)? != signature || png.get(12..16)? != b"IHDR" {
        return None;
    }
    let word = |at: usize| Some(u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?));
    Some((word(16)?, word(20)?))
}

#[cfg(test)]
mod tests {
    use super::png_size;

    #[test]
    fn reads_png_dimensions() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(1280u32.to_be_bytes());
        png.extend(800u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((1280, 800)));
        assert_eq!(png_size(b"GIF89a"), None);
        assert_eq!(png_size(&png[..20]), None);
    }
}
