//! The Queue vs Stream vs Pub/Sub lab in a real browser: each built-in
//! opened at a known moment, and every service's counts on the stage
//! compared with the ledger the engine computes natively for the same
//! scenario, seed and time; then screenshots for a class.

use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::Timeline;
use ackscope_engine::{SimDuration, SimTime};
use ackscope_tests::e2e;
use ackscope_tests::lab::{attr, moment, open, open_at, screenshot_fits};
use anyhow::{Context, ensure};

fn link(scenario: &str, seed: u64, ms: u64, lang: &str) -> String {
    moment("compare", scenario, seed, ms, lang)
}

/// (scenario, seed, moment in ms): moments where seed 000's contrasts show.
const MOMENTS: [(&str, u64, u64); 6] = [
    ("queue-vs-stream-vs-pubsub", 0, 5_000),
    ("queue-vs-stream-vs-pubsub", 0, 13_000),
    ("fanout-vs-group", 0, 6_000),
    ("polling-vs-blocking", 0, 4_000),
    ("reliable-list-queue", 0, 3_000),
    ("sharded-pubsub", 3, 2_000),
];

/// Every service card carries the engine's ledger counts at the cursor.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn every_service_shows_the_engines_counts() {
    e2e::run(|page| async move {
        for (scenario, seed, ms) in MOMENTS {
            let timeline = Timeline::run(builtin::by_name(scenario).context("a built-in")?, seed);
            let at = SimTime::START + SimDuration::from_ms(ms);
            let lanes = timeline.at(at);
            let world = lanes.lane(0);
            let waits = ackscope_engine::view::latency::latencies(
                &timeline.events()[..timeline.events_until(at)],
                0,
                world.scenario().services.len(),
            );
            open_at(&page, &link(scenario, seed, ms, "en"), ms).await?;
            for (s, service) in world.scenario().services.iter().enumerate() {
                let c = world.service_counts(s);
                let card = format!("[data-testid=service][data-service=\"{}\"]", service.name);
                for (name, want) in [
                    ("data-produced", c.produced),
                    ("data-delivered", c.delivered),
                    ("data-processed", c.processed_unique),
                    ("data-duplicates", c.duplicates),
                    ("data-in-flight", c.in_flight),
                    ("data-lost", c.lost),
                    ("data-empty-polls", c.empty_polls),
                    ("data-wait-mean-ms", waits[s].mean_ms),
                    ("data-wait-max-ms", waits[s].max_ms),
                ] {
                    let shown = attr(&page, &card, name).await?;
                    ensure!(
                        shown == want.to_string(),
                        "{scenario} at {ms} ms: {} {name} shows {shown}, the engine says {want}",
                        service.name
                    );
                }
            }
            // Lists show the engine's lengths.
            for list in world.view().lists.iter() {
                let css = format!("[data-testid=list][data-key=\"{}\"]", list.key);
                if page.exists(&css).await? {
                    let shown = attr(&page, &css, "data-length").await?;
                    ensure!(
                        shown == list.values.len().to_string(),
                        "{scenario}: {} length",
                        list.key
                    );
                }
            }
        }
        // Seed 000's contrast, read off the page at the end of the run:
        // pub/sub lost what the offline subscriber missed, the list lost
        // nothing and kept nothing, the late group read the whole history.
        open(&page, &link("queue-vs-stream-vs-pubsub", 0, 13_000, "en")).await?;
        let card = |name: &str| format!("[data-testid=service][data-service=\"{name}\"]");
        ensure!(attr(&page, &card("pubsub: mobile"), "data-lost").await? != "0");
        ensure!(attr(&page, &card("list: job worker"), "data-lost").await? == "0");
        let late = card("stream: analytics (joins at 6 s)");
        ensure!(
            attr(&page, &late, "data-processed").await?
                == attr(&page, &late, "data-produced").await?
        );
        ensure!(attr(&page, "[data-testid=list][data-key=jobs]", "data-length").await? == "0");
        Ok(())
    });
}

/// The lab at a projector's and a laptop's size, in both languages.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn compare_screenshots() {
    e2e::run(|page| async move {
        let scenes = [
            (
                "compare-queue-stream-pubsub",
                "queue-vs-stream-vs-pubsub",
                0,
                7_000,
                "en",
            ),
            ("compare-fanout", "fanout-vs-group", 0, 6_000, "en"),
            (
                "compare-reliable-queue",
                "reliable-list-queue",
                0,
                3_000,
                "en",
            ),
            ("compare-polling-ko", "polling-vs-blocking", 0, 4_500, "ko"),
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

/// The cluster panel counts the bus and each publish's reach as the
/// engine does.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_cluster_panel_shows_the_engines_bus_counts() {
    e2e::run(|page| async move {
        for ms in [1_200, 4_600] {
            let timeline =
                Timeline::run(builtin::by_name("sharded-pubsub").context("a built-in")?, 3);
            let at = SimTime::START + SimDuration::from_ms(ms);
            let lanes = timeline.at(at);
            let events = &timeline.events()[..timeline.events_until(at)];
            let view = lanes.lane(0).cluster_view(events).context("a cluster")?;
            open_at(&page, &link("sharded-pubsub", 3, ms, "en"), ms).await?;
            let css = "[data-testid=cluster]";
            ensure!(attr(&page, css, "data-bus-publish").await? == view.bus_publish.to_string());
            ensure!(attr(&page, css, "data-bus-spublish").await? == view.bus_spublish.to_string());
            ensure!(
                page.find_all("[data-testid=cluster] [data-testid=node]")
                    .await?
                    .len()
                    == view.nodes.len()
            );
            if let Some(p) = &view.last_publish {
                ensure!(
                    attr(&page, "[data-testid=last-publish]", "data-bus").await?
                        == p.bus.to_string()
                );
            }
            if let Some(p) = &view.last_spublish {
                ensure!(
                    attr(&page, "[data-testid=last-spublish]", "data-bus").await?
                        == p.bus.to_string()
                );
            }
        }
        Ok(())
    });
}

/// Connections of the script appear on the stage with what they wait for,
/// as the server sees them.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn blocked_and_subscribed_connections_are_drawn() {
    e2e::run(|page| async move {
        for ms in [1_500, 2_200, 3_500] {
            let timeline = Timeline::run(
                builtin::by_name("list-blocking-and-rotation").context("a built-in")?,
                0,
            );
            let view = timeline
                .at(SimTime::START + SimDuration::from_ms(ms))
                .lane(0)
                .view();
            open_at(&page, &link("list-blocking-and-rotation", 0, ms, "en"), ms).await?;
            for c in &view.connections {
                let css = format!("[data-testid=connection][data-name=\"{}\"]", c.name);
                let shown = attr(&page, &css, "data-blocked").await?;
                ensure!(
                    shown == c.blocked_on.is_some().to_string(),
                    "at {ms} ms {} shows blocked={shown}",
                    c.name
                );
            }
        }
        Ok(())
    });
}
