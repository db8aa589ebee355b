//! The Kafka lab in a real browser: three built-ins opened at known
//! moments, and the partition's high watermark, leader and ISR, a
//! consumer's committed offset and each service's ledger (lost included)
//! read off the page and compared with the engine for the same scenario,
//! seed and time; a broker killed from its button; then screenshots.

use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::Timeline;
use ackscope_engine::{SimDuration, SimTime};
use ackscope_tests::e2e;
use ackscope_tests::lab::{attr, moment, open, open_at, screenshot_fits, wait_attr};
use anyhow::{Context, ensure};

fn link(scenario: &str, seed: u64, ms: u64, lang: &str) -> String {
    moment("kafka", scenario, seed, ms, lang)
}

/// (scenario, seed, moment in ms): before and after the election, inside
/// the min-ISR window, after the rebalance, at the end.
const MOMENTS: [(&str, u64, u64); 6] = [
    ("kafka-acks1-leader-crash", 3, 4_200),
    ("kafka-acks1-leader-crash", 3, 13_300),
    ("kafka-acks1-leader-crash", 3, 32_000),
    ("kafka-min-isr-blocks", 3, 16_000),
    ("kafka-rebalance", 2, 21_000),
    ("kafka-acksall-safe", 5, 32_000),
];

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_cluster_shows_the_engines_numbers() {
    e2e::run(|page| async move {
        for (scenario, seed, ms) in MOMENTS {
            let timeline = Timeline::run(builtin::by_name(scenario).context("a built-in")?, seed);
            let lanes = timeline.at(SimTime::START + SimDuration::from_ms(ms));
            let world = lanes.lane(0);
            let view = world.kafka_view().context("a Kafka lane")?;
            open_at(&page, &link(scenario, seed, ms, "en"), ms).await?;
            for p in &view.partitions {
                let css = format!(
                    "[data-testid=partition][data-tp=\"{}-{}\"]",
                    p.topic, p.index
                );
                let isr = p
                    .isr
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                for (name, want) in [
                    ("data-hw", p.hw.to_string()),
                    ("data-leo", p.leo.to_string()),
                    ("data-isr", isr),
                    (
                        "data-leader",
                        p.leader.map_or_else(String::new, |l| l.to_string()),
                    ),
                    ("data-epoch", p.epoch.to_string()),
                ] {
                    let shown = attr(&page, &css, name).await?;
                    ensure!(
                        shown == want,
                        "{scenario} at {ms} ms: {css} {name} shows {shown}, the engine says {want}"
                    );
                }
            }
            for c in &view.consumers {
                for a in &c.assigned {
                    let css = format!(
                        "[data-testid=kafka-consumer][data-consumer=\"{}\"] [data-testid=assigned][data-tp=\"{}\"]",
                        c.name, a.tp
                    );
                    let want = a.committed.map_or_else(String::new, |o| o.to_string());
                    let shown = attr(&page, &css, "data-committed").await?;
                    ensure!(
                        shown == want,
                        "{scenario} at {ms} ms: {} committed offset of {} shows {shown}, the engine says {want}",
                        c.name,
                        a.tp
                    );
                }
            }
            for (s, service) in world.scenario().services.iter().enumerate() {
                let counts = world.service_counts(s);
                let css = format!("[data-testid=service][data-service=\"{}\"]", service.name);
                for (name, want) in [
                    ("data-produced", counts.produced),
                    ("data-processed", counts.processed_unique),
                    ("data-duplicates", counts.duplicates),
                    ("data-lost", counts.lost),
                    (
                        "data-told-gone",
                        world.acknowledged_then_lost(s).len() as u64,
                    ),
                ] {
                    let shown = attr(&page, &css, name).await?;
                    ensure!(
                        shown == want.to_string(),
                        "{scenario} at {ms} ms: {} {name} shows {shown}, the engine says {want}",
                        service.name
                    );
                }
            }
        }
        // Seed 003's first loss, on the page at the end: one record the
        // producer was told was written, gone.
        open(&page, &link("kafka-acks1-leader-crash", 3, 32_000, "en")).await?;
        let billing = "[data-testid=service][data-service=billing]";
        ensure!(attr(&page, billing, "data-lost").await? == "1");
        ensure!(page.text(".kafka__told-gone").await?.contains("order-11"));
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn killing_the_leader_from_its_button_moves_leadership() {
    e2e::run(|page| async move {
        open(&page, &link("kafka-acksall-safe", 3, 2_000, "en")).await?;
        wait_attr(&page, "[data-testid=stage]", "data-time-ms", |t| {
            t == "2000"
        })
        .await?;
        let part = "[data-testid=partition][data-tp=\"orders-0\"]";
        ensure!(attr(&page, part, "data-leader").await? == "1");
        page.click("[data-testid=faults] [data-broker=\"1\"] [data-fault=kill]")
            .await?;
        wait_attr(
            &page,
            "[data-testid=broker][data-broker=\"1\"]",
            "data-state",
            |s| s == "dead",
        )
        .await?;
        // The run is the reader's now: the narration says it tells the
        // scenario as written.
        ensure!(page.exists("[data-testid=changes-note]").await?);
        // Past broker.session.timeout.ms the controller elects broker 2.
        let later = "lab=kafka&scenario=kafka-acksall-safe&seed=3&t=12000&lang=en&do=2000.broker-crash.broker-1";
        open(&page, later).await?;
        wait_attr(&page, part, "data-leader", |l| l == "2").await?;
        ensure!(attr(&page, part, "data-epoch").await? == "1");
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn kafka_screenshots() {
    e2e::run(|page| async move {
        let scenes = [
            (
                "kafka-acks1-election",
                "kafka-acks1-leader-crash",
                3,
                13_300,
                "en",
            ),
            ("kafka-min-isr", "kafka-min-isr-blocks", 3, 16_000, "en"),
            ("kafka-rebalance-ko", "kafka-rebalance", 3, 21_000, "ko"),
        ];
        for (name, scenario, seed, ms, lang) in scenes {
            open_at(&page, &link(scenario, seed, ms, lang), ms).await?;
            for (width, height) in [(1280, 800), (1920, 1080)] {
                screenshot_fits(&page, name, width, height).await?;
            }
        }
        Ok(())
    });
}
