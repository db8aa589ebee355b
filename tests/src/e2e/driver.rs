//! ChromeDriver and the headless Chromium it starts.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use tempfile::TempDir;

/// Where Debian's `chromium-driver` puts it; `cargo xtask install` installs it.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long ChromeDriver may take to listen on its port.
const STARTUP: Duration = Duration::from_secs(20);

/// The browser window a session starts with, before a test resizes it.
const WINDOW: (u32, u32) = (1280, 800);

/// A running ChromeDriver. Dropping it ends ChromeDriver and every browser it
/// started, even when a test panicked before closing its session.
pub struct Driver {
    child: Child,
    port: u16,
    /// The browser's profile, fresh for every session, its downloads and
    /// ChromeDriver's log.
    scratch: TempDir,
}

impl Driver {
    /// Starts ChromeDriver on a free port of 127.0.0.1 and waits until it
    /// accepts connections.
    pub fn start() -> Result<Driver> {
        let port = free_port()?;
        let scratch = tempfile::Builder::new().prefix("ackscope-e2e-").tempdir()?;
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!(
                "--log-path={}",
                scratch.path().join("chromedriver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that `Drop` can end the browsers with it.
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {CHROMEDRIVER}: run `cargo xtask install`"))?;
        let driver = Driver {
            child,
            port,
            scratch,
        };
        let deadline = Instant::now() + STARTUP;
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            if Instant::now() > deadline {
                bail!(
                    "ChromeDriver did not listen on port {port}{}",
                    driver.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// A new browser session with the flags the wasm tests use too
    /// (`web/webdriver.json`), a fresh profile and an English UI.
    pub async fn session(&self, webdriver_json: &Path) -> Result<Client> {
        let profile = self.scratch.path().join("profile");
        let capabilities = capabilities(webdriver_json, &profile, &self.downloads())?;
        let Value::Object(capabilities) = capabilities else {
            bail!("capabilities are a JSON object");
        };
        ClientBuilder::rustls()?
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .with_context(|| format!("opening a Chromium session{}", self.log_tail()))
    }

    /// Where the browser saves the files the page downloads.
    pub fn downloads(&self) -> std::path::PathBuf {
        self.scratch.path().join("downloads")
    }

    /// The end of ChromeDriver's log, to explain a failure to start.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.scratch.path().join("chromedriver.log"))
            .unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("\n--- end of chromedriver.log ---\n{tail}")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM to the whole group: ChromeDriver and the Chromium processes
        // it started, which would otherwise outlive a panicking test.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `goog:chromeOptions` from `web/webdriver.json`, plus what only the
/// end-to-end tests need: a profile of their own, a known window and
/// language, and downloads saved without asking into `downloads`.
fn capabilities(webdriver_json: &Path, profile: &Path, downloads: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(webdriver_json)
        .with_context(|| format!("reading {}", webdriver_json.display()))?;
    let mut capabilities: Value = serde_json::from_str(&text)
        .with_context(|| format!("parsing {}", webdriver_json.display()))?;
    let options = capabilities
        .get_mut("goog:chromeOptions")
        .and_then(Value::as_object_mut)
        .context("webdriver.json has no goog:chromeOptions object")?;
    let args = options
        .entry("args")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .context("goog:chromeOptions.args is a list")?;
    args.extend([
        json!(format!("--user-data-dir={}", profile.display())),
        json!(format!("--window-size={},{}", WINDOW.0, WINDOW.1)),
        json!("--lang=en-US"),
        json!("--hide-scrollbars"),
    ]);
    options.insert(
        "prefs".into(),
        json!({
            "intl.accept_languages": "en-US,en",
            "download.default_directory": downloads.display().to_string(),
            "download.prompt_for_download": false,
        }),
    );
    // The console, CSP violations included, for `Page::console_errors`.
    capabilities["goog:loggingPrefs"] = json!({ "browser": "ALL" });
    Ok(capabilities)
}

/// A port nobody listens on now. ChromeDriver binds it a moment later; another
/// process could take it in between, which would fail loudly, not silently.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_extend_webdriver_json() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let json = dir.path().join("webdriver.json");
        std::fs::write(
            &json,
            r#"{"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": ["--headless"]}}"#,
        )?;
        let caps = capabilities(&json, Path::new("/tmp/profile"), Path::new("/tmp/dl"))?;
        let options = &caps["goog:chromeOptions"];
        assert_eq!(options["binary"], "/usr/bin/chromium");
        assert_eq!(options["args"][0], "--headless");
        assert_eq!(options["args"][1], "--user-data-dir=/tmp/profile");
        assert_eq!(options["prefs"]["intl.accept_languages"], "en-US,en");
        assert_eq!(options["prefs"]["download.default_directory"], "/tmp/dl");
        Ok(())
    }

    #[test]
    fn webdriver_json_of_the_web_crate_is_usable() -> Result<()> {
        let json = Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/webdriver.json");
        let caps = capabilities(&json, Path::new("/tmp/profile"), Path::new("/tmp/dl"))?;
        let args = caps["goog:chromeOptions"]["args"].as_array().unwrap();
        assert!(args.contains(&json!("--headless")), "{args:?}");
        Ok(())
    }
}
