//! The Queue vs Stream vs Pub/Sub lab in a real browser: each built-in
//! opened at a known moment, and every service's counts on the stage
//! compared with the ledger the engine computes natively for the same
//! scenario, seed and time; then screenshots for a class.

use ackscope_engine::scenario::{RedisSetting, Setting, builtin};
use ackscope_engine::sim::Timeline;
use ackscope_engine::{SimDuration, SimTime};
use ackscope_tests::e2e;
use ackscope_tests::e2e::Page;
use ackscope_tests::lab::{
    attr, lanes_at_stage, moment, open, open_at, screenshot_fits, wait_attr,
};
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

/// Every service card shows the ledger counts and waits the engine
/// computes for `timeline` at `ms`.
async fn services_match(page: &Page, timeline: &Timeline, ms: u64) -> anyhow::Result<()> {
    let at = SimTime::START + SimDuration::from_ms(ms);
    let lanes = timeline.at(at);
    let world = lanes.lane(0);
    let scenario = &world.scenario().name;
    let waits = ackscope_engine::view::latency::latencies(
        timeline.events().slice(..timeline.events_until(at)),
        0,
        world.scenario().services.len(),
    );
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
            let shown = attr(page, &card, name).await?;
            ensure!(
                shown == want.to_string(),
                "{scenario} at {ms} ms: {} {name} shows {shown}, the engine says {want}",
                service.name
            );
        }
    }
    Ok(())
}

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
            open_at(&page, &link(scenario, seed, ms, "en"), ms).await?;
            services_match(&page, &timeline, ms).await?;
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
            let events = timeline.events().slice(..timeline.events_until(at));
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

const TOGGLE: &str = "[data-testid=cluster-toggle]";
const CLUSTER_ON: Setting = Setting::Redis(RedisSetting::ClusterEnabled(true));

/// The cluster panel shows what the engine's `ClusterView` says for
/// `scenario` run on a cluster with `seed`, at `ms`: the bus counts, the
/// nodes, where each key and channel lives, and how many subscribers the
/// latest PUBLISH and SPUBLISH reached on which node.
async fn cluster_matches_engine(
    page: &Page,
    scenario: &str,
    seed: u64,
    ms: u64,
) -> anyhow::Result<()> {
    let on = builtin::by_name(scenario)
        .context("a built-in")?
        .with_settings(&[CLUSTER_ON])
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let timeline = Timeline::run(on, seed);
    let at = SimTime::START + SimDuration::from_ms(ms);
    let lanes = timeline.at(at);
    let events = timeline.events().slice(..timeline.events_until(at));
    let view = lanes.lane(0).cluster_view(events).context("a cluster")?;
    let css = "[data-testid=cluster]";
    for (name, want) in [
        ("data-bus-publish", view.bus_publish),
        ("data-bus-spublish", view.bus_spublish),
    ] {
        let shown = attr(page, css, name).await?;
        ensure!(
            shown == want.to_string(),
            "{scenario} at {ms} ms: {name} shows {shown}, the engine says {want}"
        );
    }
    let nodes = page
        .find_all("[data-testid=cluster] [data-testid=node]")
        .await?;
    ensure!(nodes.len() == view.nodes.len(), "{} nodes", nodes.len());
    for h in &view.homes {
        let kind = match h.kind {
            ackscope_engine::view::cluster::HomeKind::Key => "key",
            ackscope_engine::view::cluster::HomeKind::ShardChannel => "shard-channel",
            ackscope_engine::view::cluster::HomeKind::Channel => "channel",
        };
        let css = format!(
            "[data-testid=home][data-kind={kind}][data-name=\"{}\"]",
            h.name
        );
        let node = page.find(&css).await?.attr("data-node").await?;
        ensure!(
            node == h.node.map(|n| n.to_string()),
            "{scenario} at {ms} ms: {} {kind} on node {node:?}, the engine says {:?}",
            h.name,
            h.node
        );
    }
    for (testid, publish) in [
        ("last-publish", &view.last_publish),
        ("last-spublish", &view.last_spublish),
    ] {
        let css = format!("[data-testid={testid}]");
        let Some(p) = publish else {
            ensure!(
                !page.exists(&css).await?,
                "{scenario} at {ms} ms: {testid} shown"
            );
            continue;
        };
        let reached: Vec<String> = p.reached.iter().map(|(n, c)| format!("{n}:{c}")).collect();
        ensure!(attr(page, &css, "data-bus").await? == p.bus.to_string());
        let shown = attr(page, &css, "data-reached-on").await?;
        ensure!(
            shown == reached.join(","),
            "{scenario} at {ms} ms: {testid} reached {shown}, the engine says {reached:?}"
        );
    }
    Ok(())
}

/// The switch puts seed 000's contrast on three primaries at the same
/// moment; the link carries it and brings it back; the DOM's bus counts,
/// homes and per-node reach are the engine's, and so are the ledgers
/// (computed here, natively, for the same scenario, seed and time).
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_cluster_switch_runs_seed_000_on_three_primaries() {
    e2e::run(|page| async move {
        let (scenario, seed, ms) = ("queue-vs-stream-vs-pubsub", 0, 7_000);
        open_at(&page, &link(scenario, seed, ms, "en"), ms).await?;
        ensure!(attr(&page, TOGGLE, "data-value").await? == "no");
        ensure!(!page.exists("[data-testid=cluster]").await?);

        page.click("[data-testid=topology-cluster]").await?;
        wait_attr(&page, TOGGLE, "data-value", |v| v == "yes").await?;
        ensure!(attr(&page, TOGGLE, "data-changed").await? == "true");
        ensure!(attr(&page, "[data-testid=stage]", "data-time-ms").await? == ms.to_string());
        cluster_matches_engine(&page, scenario, seed, ms).await?;
        let on = builtin::by_name(scenario)
            .context("a built-in")?
            .with_settings(&[CLUSTER_ON])
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        services_match(&page, &Timeline::run(on.clone(), seed), ms).await?;

        // The share link carries the switch; opened afresh, it is back.
        let url = page.client().current_url().await?.to_string();
        let fragment = url.split_once('#').context("a fragment")?.1.to_owned();
        ensure!(fragment.contains("set=cluster-enabled:yes"), "{fragment}");
        open(&page, "lab=compare").await?;
        open_at(&page, &fragment, ms).await?;
        ensure!(attr(&page, TOGGLE, "data-value").await? == "yes");
        cluster_matches_engine(&page, scenario, seed, ms).await?;

        // Other moments, by link: before the first PUBLISH, mid-run, end.
        for at in [0, 3_200, 13_000] {
            let fragment = format!("{}&set=cluster-enabled:yes", link(scenario, seed, at, "ko"));
            open_at(&page, &fragment, at).await?;
            cluster_matches_engine(&page, scenario, seed, at).await?;
            services_match(&page, &Timeline::run(on.clone(), seed), at).await?;
        }
        open_at(
            &page,
            &format!("{}&set=cluster-enabled:yes", link(scenario, seed, ms, "en")),
            ms,
        )
        .await?;
        for (width, height) in [(1280, 800), (1920, 1080)] {
            page.client()
                .execute(
                    "window.scrollTo(0, 0); document.querySelector('[data-testid=stage]').scrollTop = 0;",
                    vec![],
                )
                .await?;
            screenshot_fits(&page, "compare-cluster", width, height).await?;
            // The panel sits under the columns, inside the stage's scroll box.
            page.set_viewport(width, height).await?;
            page.client()
                .execute(
                    "document.querySelector('[data-testid=cluster]').scrollIntoView({block: 'start'});",
                    vec![],
                )
                .await?;
            screenshot_fits(&page, "compare-cluster-panel", width, height).await?;
        }
        open_at(
            &page,
            &format!("{}&set=cluster-enabled:yes", link(scenario, seed, ms, "ko")),
            ms,
        )
        .await?;
        screenshot_fits(&page, "compare-cluster-ko", 1280, 800).await?;

        // Back to one server: no cluster, nothing carried.
        page.click("[data-testid=topology-single]").await?;
        wait_attr(&page, TOGGLE, "data-value", |v| v == "no").await?;
        ensure!(!page.exists("[data-testid=cluster]").await?);
        let url = page.client().current_url().await?.to_string();
        ensure!(!url.contains("set="), "{url}");
        ensure!(page.console_errors().await?.is_empty());
        Ok(())
    });
}

/// A scenario the cluster would refuse says why beside the switch, with
/// Redis's own error, and keeps its run; a bad value in a link is
/// explained.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_scenario_the_cluster_refuses_is_told_why() {
    e2e::run(|page| async move {
        open_at(&page, &link("reliable-list-queue", 0, 3_000, "en"), 3_000).await?;
        let actions = attr(&page, "[data-testid=stage]", "data-actions").await?;
        page.click("[data-testid=topology-cluster]").await?;
        let notice = page
            .wait_for_text(&format!("{TOGGLE} [data-testid=notice]"), |t| {
                t.contains("CROSSSLOT Keys in request don't hash to the same slot")
            })
            .await?;
        ensure!(
            notice.contains("BLMOVE jobs jobs:processing:w1"),
            "{notice}"
        );
        ensure!(attr(&page, TOGGLE, "data-value").await? == "no");
        ensure!(attr(&page, "[data-testid=stage]", "data-actions").await? == actions);
        screenshot_fits(&page, "compare-cluster-refused", 1280, 800).await?;

        open(
            &page,
            &format!(
                "{}&set=cluster-enabled:maybe",
                link("queue-vs-stream-vs-pubsub", 0, 0, "en")
            ),
        )
        .await?;
        let notice = page.text("[data-testid=notice]").await?;
        ensure!(notice.contains("setting number 1"), "{notice}");
        Ok(())
    });
}

/// Motion follows the trace forward only: stepping through the moment
/// XADD appends an entry draws that entry (the engine's newest) arriving;
/// a step back, or reduced motion, draws nothing arriving.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn arrivals_follow_the_trace_forward_only() {
    e2e::run(|page| async move {
        let scenario = "queue-vs-stream-vs-pubsub";
        let arrived = "[data-testid=stream] .tape__cell--arrived";
        let timeline = Timeline::run(builtin::by_name(scenario).context("a built-in")?, 0);
        for reduced in [false, true] {
            ackscope_tests::lab::emulate(&page, false, reduced).await?;
            open_at(&page, &link(scenario, 0, 1_300, "en"), 1_300).await?;
            ensure!(
                !page.exists(".tape__cell--arrived").await?,
                "arrived after a load"
            );
            let body = page.find("body").await?;
            let mut seen = false;
            for _ in 0..40 {
                let before = attr(&page, "[data-testid=stage]", "data-actions").await?;
                body.send_keys("\u{E014}").await?; // →: one step forward
                wait_attr(&page, "[data-testid=stage]", "data-actions", |a| {
                    a != before
                })
                .await?;
                if page.exists(arrived).await? {
                    seen = true;
                    break;
                }
            }
            ensure!(
                seen != reduced,
                "reduced motion {reduced}: an entry arrived: {seen}"
            );
            if seen {
                // The cell arriving is the entry the engine appended last.
                let n = attr(&page, "[data-testid=stage]", "data-actions").await?;
                let lanes = lanes_at_stage(&page, &timeline).await?;
                let view = lanes.lane(0).view();
                let newest = view
                    .streams
                    .iter()
                    .find(|s| s.key == "events")
                    .and_then(|s| s.entries.last())
                    .context("an entry")?
                    .id
                    .to_text();
                ensure!(attr(&page, arrived, "title").await? == newest);
                body.send_keys("\u{E012}").await?; // ←: one step back
                wait_attr(&page, "[data-testid=stage]", "data-actions", |a| a != n).await?;
                ensure!(
                    !page.exists(".tape__cell--arrived").await?,
                    "arrived stepping back"
                );
            }
        }
        ackscope_tests::lab::emulate(&page, false, false).await?;
        Ok(())
    });
}
