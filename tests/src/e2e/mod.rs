//! The browser end-to-end harness: the built site, served on 127.0.0.1 under a
//! subpath, opened in headless Chromium through ChromeDriver.
//!
//! A test is a closure given to [`run`]:
//!
//! ```no_run
//! ackscope_tests::e2e::run(|page| async move {
//!     assert!(page.text("header h1").await?.contains("ackscope"));
//!     Ok(())
//! });
//! ```
//!
//! Each test is `#[ignore = "needs the built site and chromedriver: run
//! `cargo xtask test`"]`, so plain `cargo test` stays on the host;
//! `cargo xtask test` builds the site and runs them with `--ignored`.
//!
//! Every test gets its own server, ChromeDriver and browser profile, so tests
//! cannot leak state into each other; [`run`] ends them all even when the test
//! fails or panics.

mod driver;
mod page;
mod site;

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub use page::Page;
pub use site::MOUNT;

/// Serves `dist/`, opens it in a fresh headless Chromium, runs `test` on the
/// page, and tears everything down. A test error or panic fails the test
/// after cleanup; the browser is closed either way.
pub fn run<F, Fut>(test: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    run_on(&dist(), test)
}

/// As [`run`], serving the folder `dist` instead of the built site: a test
/// that changes the files served while it runs (a new deploy) serves a
/// copy of [`dist()`].
pub fn run_on<F, Fut>(dist: &Path, test: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let site = site::Site::serve(dist).unwrap_or_else(|e| panic!("{e:#}"));
    let driver = driver::Driver::start().unwrap_or_else(|e| panic!("{e:#}"));
    let client = runtime
        .block_on(open(&driver, site.url()))
        .unwrap_or_else(|e| panic!("{e:#}"));

    let page = Page::new(client.clone(), site.offline(), driver.downloads());
    let outcome = catch_unwind(AssertUnwindSafe(|| runtime.block_on(test(page))));
    // Ending the session quits Chromium cleanly; dropping `driver` then ends
    // ChromeDriver and whatever the session left behind.
    let _ = runtime.block_on(client.close());
    drop(driver);
    drop(site);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("{error:#}"),
        Err(panic) => resume_unwind(panic),
    }
}

async fn open(driver: &driver::Driver, url: &str) -> Result<fantoccini::Client> {
    let webdriver_json = workspace().join("web").join("webdriver.json");
    let client = driver.session(&webdriver_json).await?;
    client
        .goto(url)
        .await
        .with_context(|| format!("opening {url}"))?;
    Ok(client)
}

/// The built site, `dist/` (`cargo xtask build`).
pub fn dist() -> PathBuf {
    workspace().join("dist")
}

/// The workspace root, where `dist/`, `target/` and `web/` are.
fn workspace() -> PathBuf {
    // `cargo test` sets CARGO_MANIFEST_DIR for the tests it runs; the
    // compile-time value is only a fallback for running the binary by hand.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("tests/ lives in the workspace")
        .to_path_buf()
}
