//! Browser benchmarks, run by `cargo xtask bench` (never by `cargo xtask
//! test`: timings are measured and reported, not asserted by tests).
//!
//! The site has a benchmark mode behind its URL fragment: `#bench=frames`
//! plays a Streams-lab scenario with 300 visible entries and 6 consumers
//! and measures frame times in requestAnimationFrame; `#bench=seek` runs a
//! 100,000-message scenario and seeks to random moments. Each writes its
//! figures as JSON into `[data-testid=bench-result]`.

use std::time::Duration;

use ackscope_tests::e2e::{self, Page};
use anyhow::{Context, Result, bail};

/// Benchmarks run long (the seek benchmark first simulates 100,000
/// messages in wasm).
const PATIENCE: Duration = Duration::from_secs(300);

async fn bench(page: &Page, which: &str) -> Result<String> {
    let url = page.client().current_url().await?;
    let mut url = url.to_string();
    if let Some(hash) = url.find('#') {
        url.truncate(hash);
    }
    page.client().goto(&format!("{url}#bench={which}")).await?;
    page.client().refresh().await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if page.exists("[data-testid=bench-result]").await? {
            let text = page.text("[data-testid=bench-result]").await?;
            if text.trim_start().starts_with('{') {
                return Ok(text);
            }
        }
        if tokio::time::Instant::now() > deadline {
            bail!("#bench={which} wrote no result within {PATIENCE:?}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Plays the frame benchmark in a viewport of `width`×`height` and prints
/// its figures.
fn frame_times_at(width: u32, height: u32) {
    e2e::run(|page| async move {
        page.set_viewport(width, height).await?;
        let result = bench(&page, "frames")
            .await
            .context("the frame benchmark")?;
        println!(
            "browser frames (Streams lab, 300 entries, 6 consumers, {width}x{height}): {result}"
        );
        Ok(())
    });
}

#[test]
#[ignore = "a benchmark: run `cargo xtask bench`"]
fn frame_times_while_animating_on_a_projector() {
    frame_times_at(1920, 1080);
}

#[test]
#[ignore = "a benchmark: run `cargo xtask bench`"]
fn frame_times_while_animating_on_a_laptop() {
    frame_times_at(1280, 800);
}

#[test]
#[ignore = "a benchmark: run `cargo xtask bench`"]
fn seeking_a_large_run() {
    e2e::run(|page| async move {
        let result = bench(&page, "seek").await.context("the seek benchmark")?;
        println!("browser seek (100,000 messages, wasm): {result}");
        Ok(())
    });
}
