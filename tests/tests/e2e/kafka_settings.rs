//! The Kafka lab's settings in a real browser: seed 003's first loss,
//! `acks` switched to `all` from its select — the ledger's lost count at
//! the end is the engine's for the same scenario, settings and seed (0),
//! the note above the narration says the narration is the scenario's own,
//! and the share link brings the setting back; a combination Kafka
//! refuses is a notice and changes nothing; then screenshots.

use ackscope_engine::kafka::Acks;
use ackscope_engine::scenario::{KafkaSetting, builtin};
use ackscope_engine::sim::Timeline;
use ackscope_tests::e2e;
use ackscope_tests::lab::{attr, open, screenshot_fits, wait_attr};
use anyhow::{Context, ensure};

const SCENARIO: &str = "kafka-acks1-leader-crash";
const END_MS: u64 = 32_000;
const BILLING: &str = "[data-testid=service][data-service=billing]";
const ACKS: &str = "[data-testid=kafka-settings] [data-setting=acks]";

fn link(seed: u64, ms: u64, lang: &str) -> String {
    format!("lab=kafka&scenario={SCENARIO}&seed={seed}&t={ms}&lang={lang}")
}

/// The engine's lost count for billing at the end, with `settings`.
fn engine_lost(settings: &[KafkaSetting], seed: u64) -> anyhow::Result<u64> {
    let scenario = builtin::by_name(SCENARIO)
        .context("a built-in")?
        .with_kafka_settings(settings)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let timeline = Timeline::run(scenario, seed);
    Ok(timeline.end().lane(0).service_counts(0).lost)
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn acks_all_from_the_panel_saves_the_record_and_the_link_keeps_it() {
    e2e::run(|page| async move {
        let seed = 3;
        open(&page, &link(seed, END_MS, "en")).await?;
        wait_attr(&page, "[data-testid=stage]", "data-time-ms", |t| {
            t == END_MS.to_string()
        })
        .await?;
        ensure!(attr(&page, BILLING, "data-lost").await? == engine_lost(&[], seed)?.to_string());
        ensure!(attr(&page, ACKS, "data-value").await? == "1");
        ensure!(!page.exists("[data-testid=settings-note]").await?);

        page.find(&format!("{ACKS} select"))
            .await?
            .select_by_value("all")
            .await?;
        wait_attr(&page, ACKS, "data-value", |v| v == "all").await?;
        ensure!(attr(&page, ACKS, "data-changed").await? == "true");
        // Same seed, same moment: the ledger is the engine's for acks=all.
        let want = engine_lost(&[KafkaSetting::Acks(Acks::All)], seed)?;
        ensure!(want == 0, "the engine loses {want} with acks=all");
        wait_attr(&page, BILLING, "data-lost", |l| l == want.to_string()).await?;
        ensure!(attr(&page, "[data-testid=stage]", "data-time-ms").await? == END_MS.to_string());
        ensure!(page.exists("[data-testid=settings-note]").await?);

        // The share link carries the setting; opened afresh, it is back.
        let url = page.client().current_url().await?.to_string();
        let fragment = url.split_once('#').context("a fragment")?.1.to_owned();
        ensure!(fragment.contains("set=acks:all"), "{fragment}");
        open(&page, "lab=kafka").await?;
        open(&page, &fragment).await?;
        wait_attr(&page, ACKS, "data-value", |v| v == "all").await?;
        ensure!(attr(&page, BILLING, "data-lost").await? == "0");
        ensure!(page.exists("[data-testid=settings-note]").await?);

        for (width, height) in [(1280, 800), (1920, 1080)] {
            screenshot_fits(&page, "kafka-settings", width, height).await?;
        }
        // Back to the scenario's own: the loss, and no note.
        page.click("[data-testid=settings-own]").await?;
        wait_attr(&page, ACKS, "data-value", |v| v == "1").await?;
        wait_attr(&page, BILLING, "data-lost", |l| l == "1").await?;
        ensure!(!page.exists("[data-testid=settings-note]").await?);
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_combination_kafka_refuses_is_a_notice_and_changes_nothing() {
    e2e::run(|page| async move {
        open(&page, &link(3, 5_000, "ko")).await?;
        let idempotence = "[data-testid=kafka-settings] [data-setting=\"enable.idempotence\"]";
        ensure!(attr(&page, idempotence, "data-value").await? == "false");
        let actions = attr(&page, "[data-testid=stage]", "data-actions").await?;
        page.find(&format!("{idempotence} select"))
            .await?
            .select_by_value("true")
            .await?;
        let notice = page
            .wait_for_text("[data-testid=notice]", |t| {
                t.contains("Must set acks to all")
            })
            .await?;
        ensure!(notice.contains("Kafka"), "{notice}");
        ensure!(attr(&page, idempotence, "data-value").await? == "false");
        ensure!(attr(&page, "[data-testid=stage]", "data-actions").await? == actions);
        ensure!(!page.exists("[data-testid=settings-note]").await?);
        // Told where the reader is: inside the settings panel.
        ensure!(
            page.exists("[data-testid=kafka-settings] [data-testid=notice]")
                .await?
        );
        screenshot_fits(&page, "kafka-settings-refused-ko", 1280, 800).await?;
        Ok(())
    });
}
