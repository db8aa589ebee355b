//! Driving a lab in the browser: open a share link, read the engine values
//! the stage carries in `data-*` attributes, and compare them with what the
//! engine itself computes for the same run and moment.

use std::time::Duration;

use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::{Lanes, Timeline};
use ackscope_engine::{SimDuration, SimTime};
use anyhow::{Context, Result, bail, ensure};
use serde_json::json;

use crate::e2e::Page;

/// How long to wait for the page to reach a state.
const WAIT: Duration = Duration::from_secs(30);

/// Opens the site at `#fragment` (a share link's part after `#`), as a
/// reader pasting the link would: a fresh load.
pub async fn open(page: &Page, fragment: &str) -> Result<()> {
    let url = page.client().current_url().await?.to_string();
    let base = url.split('#').next().unwrap_or(&url).to_string();
    page.client().goto(&format!("{base}#{fragment}")).await?;
    page.client().refresh().await?;
    page.find("[data-testid=stage]").await?;
    Ok(())
}

/// The share link of `lab`'s built-in `scenario` with `seed`, paused at
/// `ms`, in `lang`.
pub fn moment(lab: &str, scenario: &str, seed: u64, ms: u64, lang: &str) -> String {
    format!("lab={lab}&scenario={scenario}&seed={seed}&t={ms}&lang={lang}")
}

/// Opens `fragment` and waits until the stage shows moment `ms`.
pub async fn open_at(page: &Page, fragment: &str, ms: u64) -> Result<()> {
    open(page, fragment).await?;
    wait_attr(page, "[data-testid=stage]", "data-time-ms", |t| {
        t == ms.to_string()
    })
    .await?;
    Ok(())
}

/// Clicks `css` after scrolling it to the middle of the window, clear of
/// what stays at the window's foot (the clock bar, a lesson's card).
pub async fn click_centered(page: &Page, css: &str) -> Result<()> {
    let element = page.find(css).await?;
    page.client()
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&element)?],
        )
        .await?;
    page.click(css).await
}

/// The attribute `name` of the first element matching `css`.
pub async fn attr(page: &Page, css: &str, name: &str) -> Result<String> {
    page.find(css)
        .await?
        .attr(name)
        .await?
        .with_context(|| format!("`{css}` has no {name}"))
}

/// Waits until the attribute `name` of `css` satisfies `ready`; returns it.
pub async fn wait_attr(
    page: &Page,
    css: &str,
    name: &str,
    ready: impl Fn(&str) -> bool,
) -> Result<String> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if page.exists(css).await? {
            let value = attr(page, css, name).await?;
            if ready(&value) {
                return Ok(value);
            }
        }
        if tokio::time::Instant::now() > deadline {
            bail!("`{css}` {name} never became ready within {WAIT:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The simulated time the stage shows, in ms since the start (its view's
/// own time, which a paused clock keeps equal to the clock's).
pub async fn stage_ms(page: &Page) -> Result<u64> {
    let ms = attr(page, "[data-testid=stage] .stage__canvas", "data-time-ms").await?;
    ms.parse().with_context(|| format!("data-time-ms {ms:?}"))
}

/// The engine's lanes of `timeline` at exactly the moment the stage
/// shows: its simulated time and the actions applied at it (a Step may
/// stop inside a millisecond).
pub async fn lanes_at_stage(page: &Page, timeline: &Timeline) -> Result<Lanes> {
    let stage = "[data-testid=stage]";
    let ms: u64 = attr(page, stage, "data-time-ms").await?.parse()?;
    let actions: u64 = attr(page, stage, "data-actions").await?.parse()?;
    let mut lanes = timeline.after(actions);
    lanes.set_clock(SimTime::START + SimDuration::from_ms(ms));
    Ok(lanes)
}

/// Checks that the stage shows what the engine computes for `scenario`
/// run with `seed` at `ms`: every stream's length, every group's
/// `last-delivered-id` and pending count, every consumer's pending count
/// and worker status. The engine runs natively, here, in the test.
pub async fn stage_matches_engine(page: &Page, scenario: &str, seed: u64, ms: u64) -> Result<()> {
    let timeline = Timeline::run(builtin::by_name(scenario).context("a built-in")?, seed);
    let view = timeline
        .at(SimTime::START + SimDuration::from_ms(ms))
        .lane(0)
        .view();
    for stream in &view.streams {
        let css = format!("[data-testid=stream][data-key=\"{}\"]", stream.key);
        let length = attr(page, &css, "data-length").await?;
        ensure!(
            length == stream.length.to_string(),
            "{scenario} at {ms} ms: {css} length {length}, engine {}",
            stream.length
        );
        for group in &stream.groups {
            let css = format!(
                "[data-testid=group][data-key=\"{}\"][data-group=\"{}\"]",
                stream.key, group.name
            );
            let cursor = attr(page, &css, "data-last-delivered-id").await?;
            let engine = group.last_delivered_id.to_text();
            ensure!(
                cursor == engine,
                "{scenario} at {ms} ms: {css} last-delivered-id {cursor}, engine {engine}"
            );
            let pending = attr(page, &css, "data-pending").await?;
            ensure!(
                pending == group.pending.to_string(),
                "{scenario} at {ms} ms: {css} pending {pending}, engine {}",
                group.pending
            );
            for consumer in &group.consumers {
                let css = format!(
                    "[data-testid=consumer][data-key=\"{}\"][data-group=\"{}\"][data-consumer=\"{}\"]",
                    stream.key, group.name, consumer.name
                );
                // The count, not the rows the view lists (at most 16).
                let pending = attr(page, &css, "data-pending").await?;
                ensure!(
                    pending == consumer.pending_count.to_string(),
                    "{scenario} at {ms} ms: {css} pending {pending}, engine {}",
                    consumer.pending_count
                );
            }
        }
    }
    Ok(())
}

/// Makes the page see `prefers-color-scheme: dark` (or light) and, if
/// `reduced`, `prefers-reduced-motion: reduce`.
pub async fn emulate(page: &Page, dark: bool, reduced: bool) -> Result<()> {
    let scheme = if dark { "dark" } else { "light" };
    let motion = if reduced { "reduce" } else { "no-preference" };
    page.devtools(
        "Emulation.setEmulatedMedia",
        json!({ "features": [
            { "name": "prefers-color-scheme", "value": scheme },
            { "name": "prefers-reduced-motion", "value": motion },
        ] }),
    )
    .await
    .context("emulating media features")?;
    Ok(())
}

/// Takes the screenshot `<name>-<width>x<height>` and checks that the page
/// does not scroll sideways at that size.
pub async fn screenshot_fits(page: &Page, name: &str, width: u32, height: u32) -> Result<()> {
    let path = page
        .screenshot(&format!("{name}-{width}x{height}"), width, height)
        .await?;
    let overflow = page
        .client()
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await?;
    ensure!(
        overflow.as_i64() == Some(0),
        "{name} at {width}×{height} scrolls sideways by {overflow}px ({})",
        path.display()
    );
    Ok(())
}
