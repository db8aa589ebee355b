//! The Guarantees lab in a real browser: the built-in opened at a moment
//! in the middle of the run and at its end, every lane's counters and fate
//! cells compared with the ledger the engine computes natively for the same
//! scenario, seed and time; a cell's story told in every lane; then
//! screenshots for a class.

use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::{Lanes, Timeline};
use ackscope_engine::view::Fate;
use ackscope_engine::{SimDuration, SimTime};
use ackscope_tests::e2e;
use ackscope_tests::lab::{
    attr, click_centered as click, emulate, moment, open, open_at, screenshot_fits, wait_attr,
};
use anyhow::{Context, ensure};

const SCENARIO: &str = "guarantees-side-by-side";

/// The Kafka comparison the lab offers.
const KAFKA: &str = "guarantees-side-by-side-kafka";

fn link(seed: u64, ms: u64, lang: &str) -> String {
    format!("lab=guarantees&scenario={SCENARIO}&seed={seed}&t={ms}&lang={lang}")
}

/// Every lane's counters and fate cells show what the engine's ledger says
/// for `lanes` (the same scenario and seed, at the page's moment).
async fn counters_match(page: &e2e::Page, lanes: &Lanes, when: &str) -> anyhow::Result<()> {
    for world in lanes.worlds() {
        let tally = world.tally();
        let s = &tally.services[0];
        let c = s.counts;
        let css = format!("[data-testid=counters][data-lane=\"{}\"]", tally.name);
        for (name, want) in [
            ("data-guarantee", s.guarantee.to_owned()),
            ("data-produced", c.produced.to_string()),
            ("data-delivered", c.delivered.to_string()),
            ("data-processed", c.processed_unique.to_string()),
            ("data-duplicates", c.duplicates.to_string()),
            ("data-lost", c.lost.to_string()),
            ("data-dead-lettered", c.dead_lettered.to_string()),
            ("data-in-flight", c.in_flight.to_string()),
        ] {
            let shown = attr(page, &css, name).await?;
            ensure!(
                shown == want,
                "{when}: {} {name} shows {shown}, the engine says {want}",
                tally.name
            );
        }
        // One cell per produced message, each with its fate.
        let grid = format!("[data-testid=fates][data-lane=\"{}\"]", tally.name);
        let cells = page.find_all(&format!("{grid} [data-testid=fate]")).await?;
        ensure!(cells.len() == s.fates.len(), "{when}: {} cells", tally.name);
        for (cell, m) in cells.iter().zip(&s.fates) {
            let shown = (cell.attr("data-msg").await?, cell.attr("data-fate").await?);
            let want = (Some(m.name.clone()), Some(m.fate.slug().to_owned()));
            ensure!(shown == want, "{when}: {} {shown:?} ≠ {want:?}", tally.name);
        }
    }
    Ok(())
}

/// The promise, read off the page at the end: at-most-once loses
/// and never duplicates, at-least-once duplicates and never loses,
/// exactly-once (where the scenario has it) does neither.
async fn promise_kept(page: &e2e::Page, when: &str) -> anyhow::Result<()> {
    let lane = |g: &str| format!("[data-testid=counters][data-guarantee=\"{g}\"]");
    for (guarantee, loses, duplicates) in [
        ("at-most-once", true, false),
        ("at-least-once", false, true),
        ("exactly-once", false, false),
    ] {
        if !page.exists(&lane(guarantee)).await? {
            continue;
        }
        let lost = attr(page, &lane(guarantee), "data-lost").await? != "0";
        let doubled = attr(page, &lane(guarantee), "data-duplicates").await? != "0";
        ensure!(
            (lost, doubled) == (loses, duplicates),
            "{when}: {guarantee} lost {lost}, duplicated {doubled}"
        );
    }
    Ok(())
}

/// Every lane's counters and cells carry the engine's ledger at the cursor:
/// in the middle of the run (after w1's crash and the lost XACK) and at
/// its end, for two seeds.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn every_counter_shows_the_engines_ledger() {
    e2e::run(|page| async move {
        for seed in [11, 3] {
            let timeline = Timeline::run(builtin::by_name(SCENARIO).context("a built-in")?, seed);
            let end = timeline.end_time().since_start().as_ms();
            for ms in [5_600, end] {
                let lanes = timeline.at(SimTime::START + SimDuration::from_ms(ms));
                open(&page, &link(seed, ms, "en")).await?;
                wait_attr(&page, "[data-testid=stage]", "data-time-ms", |t| {
                    t == ms.to_string()
                })
                .await?;
                ensure!(lanes.worlds().len() == 3);
                counters_match(&page, &lanes, &format!("seed {seed} at {ms} ms")).await?;
            }
            promise_kept(&page, &format!("seed {seed}")).await?;
        }
        Ok(())
    });
}

/// Each Kafka lane draws its own cluster once, with the engine's numbers:
/// every broker's state, every partition's leader, epoch, high watermark,
/// log end and the group's committed offset, every consumer's state and
/// what it holds.
/// Every flag of a lane's strips (the high watermark, the last stable
/// offset, the group's committed offset) lies within its partition's
/// box: a partition is painted alone (`contain: content`), so a flag
/// running past its edge would be cut short ("▲ com").
async fn flags_drawn_whole(page: &e2e::Page, lane: &str, when: &str) -> anyhow::Result<()> {
    let cut = page
        .client()
        .execute(
            "return [...document.querySelectorAll(arguments[0] + ' [data-flag]')]
                .filter(flag => {
                    const box = flag.closest('[data-tp]').getBoundingClientRect();
                    const at = flag.getBoundingClientRect();
                    return at.left < box.left - 0.5 || at.right > box.right + 0.5;
                })
                .map(flag => flag.closest('[data-tp]').dataset.tp + ': ' + flag.textContent);",
            vec![serde_json::json!(lane)],
        )
        .await?;
    ensure!(
        cut.as_array().is_some_and(Vec::is_empty),
        "{when}: flags cut at their partition's edge: {cut}"
    );
    Ok(())
}

async fn clusters_match(page: &e2e::Page, lanes: &Lanes, when: &str) -> anyhow::Result<()> {
    let drawings = page
        .find_all("[data-testid=broker][data-kind=kafka]")
        .await?;
    ensure!(
        drawings.len() == lanes.worlds().len(),
        "{when}: {} Kafka drawings for {} lanes",
        drawings.len(),
        lanes.worlds().len()
    );
    for world in lanes.worlds() {
        let name = world.tally().name;
        let glance = world.kafka_glance(0).context("a Kafka lane")?;
        let mine = format!("[data-testid=broker][data-kind=kafka][data-lane=\"{name}\"]");
        let opt = |o: Option<u64>| o.map_or_else(String::new, |o| o.to_string());
        let mut checks: Vec<(String, &str, String)> = Vec::new();
        for b in &glance.brokers {
            let css = format!("{mine} [data-testid=mini-broker][data-broker=\"{}\"]", b.id);
            checks.push((css, "data-state", b.state.as_str().to_owned()));
        }
        for p in &glance.partitions {
            let css = format!("{mine} [data-testid=mini-partition][data-tp=\"{}\"]", p.tp);
            checks.push((css.clone(), "data-leader", opt(p.leader.map(u64::from))));
            checks.push((css.clone(), "data-epoch", p.epoch.to_string()));
            checks.push((css.clone(), "data-hw", p.hw.to_string()));
            checks.push((css.clone(), "data-leo", p.leo.to_string()));
            checks.push((css.clone(), "data-committed", opt(p.committed)));
            checks.push((css, "data-lso", opt(p.lso)));
        }
        for c in &glance.consumers {
            let css = format!(
                "{mine} [data-testid=mini-consumer][data-consumer=\"{}\"]",
                c.name
            );
            checks.push((css.clone(), "data-status", c.status.to_owned()));
            checks.push((css, "data-queued", c.queued.to_string()));
        }
        for (css, name, want) in checks {
            let shown = attr(page, &css, name).await?;
            ensure!(
                shown == want,
                "{when}: {css} {name} shows {shown}, the engine says {want}"
            );
        }
        flags_drawn_whole(page, &mine, when).await?;
        // The records the consumers hold are the ones marked held.
        let css = format!("{mine} .strip__cell[data-held-by]");
        let want = glance
            .partitions
            .iter()
            .flat_map(|p| &p.records)
            .filter(|r| r.held_by.is_some())
            .count();
        let held = match want {
            0 => usize::from(page.exists(&css).await?),
            _ => page.find_all(&css).await?.len(),
        };
        ensure!(
            held == want,
            "{when}: {name} marks {held} held records, the engine {want}"
        );
    }
    Ok(())
}

/// The Kafka comparison: at a moment after the first fault and at the
/// end, for two seeds, every lane's counters and cells are the engine's
/// ledger, and every lane draws its own cluster with the engine's
/// numbers.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn kafka_lanes_show_the_engines_ledger_and_clusters() {
    e2e::run(|page| async move {
        let scenario = builtin::by_name(KAFKA).context("a built-in")?;
        let middle = scenario.faults.first().context("a fault")?.at_ms + 500;
        for seed in [scenario.seed, 7] {
            let timeline = Timeline::run(scenario.clone(), seed);
            let end = timeline.end_time().since_start().as_ms();
            for ms in [middle, end] {
                let lanes = timeline.at(SimTime::START + SimDuration::from_ms(ms));
                open_at(&page, &moment("guarantees", KAFKA, seed, ms, "en"), ms).await?;
                let when = format!("{KAFKA} seed {seed} at {ms} ms");
                counters_match(&page, &lanes, &when).await?;
                clusters_match(&page, &lanes, &when).await?;
            }
            promise_kept(&page, &format!("{KAFKA} seed {seed}")).await?;
        }
        Ok(())
    });
}

/// Played and paused, the lanes show the engine's ledger at the moment
/// and action where the clock stopped.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn playing_keeps_every_counter_the_engines() {
    e2e::run(|page| async move {
        let timeline = Timeline::run(builtin::by_name(SCENARIO).context("a built-in")?, 11);
        open(&page, &link(11, 0, "en")).await?;
        page.find("#clock-speed")
            .await?
            .select_by_value("4×")
            .await?;
        click(&page, "[data-testid=clock] button.clock__play").await?;
        wait_attr(&page, "[data-testid=stage]", "data-time-ms", |ms| {
            ms.parse::<u64>().is_ok_and(|ms| ms > 5_200)
        })
        .await?;
        click(&page, "[data-testid=clock] button.clock__play").await?;
        page.wait_for_text("[data-testid=clock] button.clock__play", |t| {
            t.contains("Play")
        })
        .await?;
        let ms: u64 = attr(&page, "[data-testid=stage]", "data-time-ms")
            .await?
            .parse()?;
        let actions: u64 = attr(&page, "[data-testid=stage]", "data-actions")
            .await?
            .parse()?;
        let mut lanes = timeline.after(actions);
        lanes.set_clock(SimTime::START + SimDuration::from_ms(ms));
        for world in lanes.worlds() {
            let tally = world.tally();
            let c = tally.services[0].counts;
            let css = format!("[data-testid=counters][data-lane=\"{}\"]", tally.name);
            for (name, want) in [
                ("data-produced", c.produced),
                ("data-delivered", c.delivered),
                ("data-processed", c.processed_unique),
                ("data-duplicates", c.duplicates),
                ("data-in-flight", c.in_flight),
            ] {
                let shown = attr(&page, &css, name).await?;
                ensure!(
                    shown == want.to_string(),
                    "paused at {ms} ms ({actions} actions): {} {name} shows {shown}, the engine says {want}",
                    tally.name
                );
            }
        }
        Ok(())
    });
}

/// Choosing a cell tells that message's story in all three lanes: the
/// duplicate at-least-once processed twice is processed once in
/// exactly-once.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_cell_tells_its_story_in_every_lane() {
    e2e::run(|page| async move {
        let timeline = Timeline::run(builtin::by_name(SCENARIO).context("a built-in")?, 11);
        let end = timeline.end_time().since_start().as_ms();
        let twice = timeline.end().lane(1).tally().services[0]
            .fates
            .iter()
            .find(|m| matches!(m.fate, Fate::Times(_)))
            .context("a duplicate in at-least-once")?
            .name
            .clone();
        open(&page, &link(11, end, "en")).await?;
        let cell =
            format!("[data-testid=fates][data-lane=\"at-least-once\"] [data-msg=\"{twice}\"]");
        ensure!(attr(&page, &cell, "data-fate").await? == "times");
        click(&page, &cell).await?;
        wait_attr(&page, "[data-testid=story]", "data-msg", |m| m == twice).await?;
        let lanes = page.find_all("[data-testid=story] .story__lane").await?;
        ensure!(lanes.len() == 3, "a story column per lane");
        let story = page.text("[data-testid=story]").await?;
        for lane in ["at-most-once", "at-least-once", "exactly-once"] {
            ensure!(
                story.contains(lane),
                "{lane} missing from the story: {story}"
            );
        }
        let exactly =
            format!("[data-testid=fates][data-lane=\"exactly-once\"] [data-msg=\"{twice}\"]");
        ensure!(attr(&page, &exactly, "data-fate").await? == "once");
        Ok(())
    });
}

/// "Branch here" adds a lane replaying one lane without a fault still to
/// come; its counters are the engine's for that run; the link carries it
/// and restores it.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_branch_is_added_carried_in_the_link_and_restored() {
    e2e::run(|page| async move {
        let scenario = builtin::by_name(SCENARIO).context("a built-in")?;
        open(&page, &link(11, 2_000, "en")).await?;
        ensure!(!page.exists("[data-testid=lane][data-branch=true]").await?);
        // The first fault still to come is w1's crash; the first lane is
        // at-most-once.
        click(&page, "[data-testid=branch]").await?;
        let branch = "[data-testid=counters][data-lane=\"at-most-once/without-fault-0\"]";
        page.find(branch).await?;
        wait_url(&page, "branch=0.0").await?;
        // Restored from the link at the end, it shows the engine's ledger
        // of the run without the crash.
        let mut without = scenario.clone();
        without.faults.remove(0);
        let timeline = Timeline::run(without, 11);
        let end = timeline.end_time().since_start().as_ms();
        let own = Timeline::run(scenario, 11);
        let own_end = own.end_time().since_start().as_ms();
        open(&page, &format!("{}&branch=0.0", link(11, own_end, "en"))).await?;
        page.find(branch).await?;
        let world = timeline.at(SimTime::START + SimDuration::from_ms(end.min(own_end)));
        let c = world.lane(0).tally().services[0].counts;
        for (name, want) in [
            ("data-produced", c.produced),
            ("data-processed", c.processed_unique),
            ("data-duplicates", c.duplicates),
            ("data-lost", c.lost),
        ] {
            let shown = attr(&page, branch, name).await?;
            ensure!(
                shown == want.to_string(),
                "branch {name} shows {shown}, the engine says {want}"
            );
        }
        let lost_in_run = attr(
            &page,
            "[data-testid=counters][data-lane=\"at-most-once\"]",
            "data-lost",
        )
        .await?;
        ensure!(
            lost_in_run != "0" && c.lost == 0,
            "without the crash, nothing is lost"
        );
        click(&page, "[data-testid=unbranch]").await?;
        for _ in 0..100 {
            if !page.exists(branch).await? {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        anyhow::bail!("the branch is still there after its removal");
    });
}

/// "Branch here" can also add a crash at the cursor or give a lane another
/// guarantee: each branch's counters are the engine's for the changed
/// scenario, and the link carries the change.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_branch_can_add_a_crash_now_or_switch_the_guarantee() {
    e2e::run(|page| async move {
        let scenario = builtin::by_name(SCENARIO).context("a built-in")?;
        let own_end = Timeline::run(scenario.clone(), 11)
            .end_time()
            .since_start()
            .as_ms();
        // Lane 1 (at-least-once) given exactly-once, from the start.
        open(&page, &link(11, 2_000, "en")).await?;
        page.find("[data-testid=branch-lane]")
            .await?
            .select_by_value("1")
            .await?;
        page.find("[data-testid=branch-change]")
            .await?
            .select_by_value("gexactly-once")
            .await?;
        click(&page, "[data-testid=branch]").await?;
        let switched = "[data-testid=counters][data-lane=\"at-least-once/as-exactly-once\"]";
        page.find(switched).await?;
        wait_url(&page, "branch=1.g.exactly-once").await?;
        // w2 crashing now (2 s) in lane 0.
        page.find("[data-testid=branch-lane]")
            .await?
            .select_by_value("0")
            .await?;
        page.find("[data-testid=branch-change]")
            .await?
            .select_by_value("cw2")
            .await?;
        click(&page, "[data-testid=branch]").await?;
        let crashed = "[data-testid=counters][data-lane=\"at-most-once/with-Crash-w2-2000\"]";
        page.find(crashed).await?;
        wait_url(&page, "branch=0.f.2000.crash.w2").await?;
        // At the end, both branches show the engine's ledger of their runs.
        for (change, lane, css) in [
            ("&branch=1.g.exactly-once", 1usize, switched),
            ("&branch=0.f.2000.crash.w2", 0, crashed),
        ] {
            let mut changed = scenario.clone();
            if lane == 1 {
                changed.lanes[1].guarantee =
                    Some(ackscope_engine::scenario::Guarantee::ExactlyOnce);
                changed.lanes[1].ack = None;
            } else {
                changed.faults.insert(
                    0,
                    ackscope_engine::scenario::FaultSpec {
                        at_ms: 2_000,
                        kind: ackscope_engine::scenario::FaultKind::Crash,
                        role: Some("w2".into()),
                        until_ms: None,
                        factor: None,
                        command: None,
                    },
                );
            }
            let timeline = Timeline::run(changed, 11);
            let end = timeline.end_time().since_start().as_ms();
            open(&page, &format!("{}{change}", link(11, own_end, "en"))).await?;
            page.find(css).await?;
            let world = timeline.at(SimTime::START + SimDuration::from_ms(end.min(own_end)));
            let c = world.lane(lane).tally().services[0].counts;
            for (name, want) in [
                ("data-produced", c.produced),
                ("data-processed", c.processed_unique),
                ("data-duplicates", c.duplicates),
                ("data-lost", c.lost),
            ] {
                let shown = attr(&page, css, name).await?;
                ensure!(
                    shown == want.to_string(),
                    "{change}: {name} shows {shown}, the engine says {want}"
                );
            }
            if lane == 1 {
                ensure!(c.duplicates == 0, "exactly-once repeats nothing");
            }
        }
        Ok(())
    });
}

/// Types `value` into the number field `css` as a reader does (select
/// all, type over it, Tab away), which fires its change.
async fn type_number(page: &e2e::Page, css: &str, value: &str) -> anyhow::Result<()> {
    let field = page.find(css).await?;
    field
        .send_keys(&format!("\u{E009}a\u{E000}{value}\u{E004}"))
        .await?;
    Ok(())
}

/// The workload editor, used with the keyboard and the mouse: one
/// consumer is refused while a fault still names the other (the notice
/// says which), taking that fault out of the schedule lets it through,
/// a faster rate sends more; every lane's counters are then the engine's
/// for the reshaped scenario, and the link gives the same run back.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_workload_editor_reshapes_every_lane_and_the_link_keeps_it() {
    use ackscope_engine::scenario::{Setting, WorkloadSetting};
    e2e::run(|page| async move {
        let scenario = builtin::by_name(SCENARIO).context("a built-in")?;
        open(&page, &link(11, 0, "en")).await?;
        type_number(&page, "#workload-consumers", "1").await?;
        let notice = page
            .wait_for_text("[data-testid=notice]", |t| t.contains("faults[2]"))
            .await?;
        ensure!(notice.contains("unchanged"), "{notice}");
        let consumers = "[data-knob=consumers]";
        ensure!(attr(&page, consumers, "data-value").await? == "2");
        // The third fault is w2's lost XACK: out with it, then one
        // consumer, then ten messages a second.
        let removes = page.find_all("[data-testid=schedule-remove]").await?;
        ensure!(removes.len() == 3, "{} faults listed", removes.len());
        click(
            &page,
            "[data-testid=scheduled-fault]:nth-child(3) [data-testid=schedule-remove]",
        )
        .await?;
        wait_attr(&page, "[data-testid=workload]", "data-changed", |v| {
            v == "true"
        })
        .await?;
        type_number(&page, "#workload-consumers", "1").await?;
        wait_attr(&page, consumers, "data-value", |v| v == "1").await?;
        type_number(&page, "#workload-rate", "10").await?;
        wait_attr(&page, "[data-knob=rate]", "data-value", |v| v == "10").await?;
        ensure!(
            !page.exists("[data-testid=notice]").await?,
            "no refusal left"
        );
        wait_url(&page, "faults=").await?;
        let url = page.client().current_url().await?.to_string();
        ensure!(
            url.contains("consumers%3A1") || url.contains("consumers:1"),
            "{url}"
        );
        // The engine's run of the same changes, at its end, from the link.
        let reshaped = scenario
            .reshaped(
                &[
                    Setting::Workload(WorkloadSetting::Consumers(1)),
                    Setting::Workload(WorkloadSetting::Rate(10)),
                ],
                Some(&scenario.faults[..2]),
            )
            .map_err(|e| anyhow::anyhow!(e.0))?;
        let timeline = Timeline::run(reshaped, 11);
        let end = timeline.end_time().since_start().as_ms();
        let fragment = url.split_once('#').context("a fragment")?.1;
        let at_end: String = fragment
            .split('&')
            .map(|part| match part.starts_with("t=") {
                true => format!("t={end}"),
                false => part.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&");
        open(&page, &at_end).await?;
        wait_attr(&page, "[data-testid=stage]", "data-time-ms", |t| {
            t == end.to_string()
        })
        .await?;
        ensure!(page.find_all("[data-testid=scheduled-fault]").await?.len() == 2);
        let lanes = timeline.at(SimTime::START + SimDuration::from_ms(end));
        counters_match(&page, &lanes, "reshaped, at the end").await?;
        ensure!(
            attr(&page, "[data-testid=counters]", "data-produced").await? == "60",
            "ten a second over the same six seconds"
        );
        page.set_viewport(1280, 800).await?;
        page.client()
            .execute(
                "document.querySelector('[data-testid=workload]').scrollIntoView({block: 'center'});",
                vec![],
            )
            .await?;
        page.screenshot("guarantees-workload", 1280, 800).await?;
        Ok(())
    });
}

/// Waits until the page's URL holds `part` (the page writes the link after
/// the render).
async fn wait_url(page: &e2e::Page, part: &str) -> anyhow::Result<()> {
    let mut url = String::new();
    for _ in 0..100 {
        url = page.client().current_url().await?.to_string();
        if url.contains(part) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    anyhow::bail!("the link does not carry {part}: {url}")
}

/// The lab at a projector's and a laptop's size, in both languages, with a
/// story open.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn guarantees_screenshots() {
    e2e::run(|page| async move {
        let timeline = Timeline::run(builtin::by_name(SCENARIO).context("a built-in")?, 11);
        let end = timeline.end_time().since_start().as_ms();
        for (name, ms, lang, extra) in [
            ("guarantees-middle", 5_600, "en", ""),
            ("guarantees-end", end, "en", ""),
            ("guarantees-branch-ko", end, "ko", "&branch=0.0"),
        ] {
            open(&page, &format!("{}{extra}", link(11, ms, lang))).await?;
            page.find("[data-testid=counters]").await?;
            if ms == end {
                click(
                    &page,
                    "[data-testid=fates][data-lane=\"at-least-once\"] [data-fate=times]",
                )
                .await?;
                page.find("[data-testid=story][data-msg]").await?;
            }
            for (width, height) in [(1280, 800), (1920, 1080)] {
                screenshot_fits(&page, name, width, height).await?;
            }
        }
        // A dark room's projector.
        emulate(&page, true, true).await?;
        open(&page, &format!("{}&branch=1.2", link(11, end, "en"))).await?;
        page.find("[data-testid=counters]").await?;
        screenshot_fits(&page, "guarantees-dark", 1920, 1080).await?;
        emulate(&page, false, false).await?;
        open(&page, &format!("{}&branch=0.0", link(11, end, "ko"))).await?;
        click(
            &page,
            "[data-testid=fates][data-lane=\"at-least-once\"] [data-fate=times]",
        )
        .await?;
        // The story under the lanes, scrolled into view.
        let story = "document.querySelector('[data-testid=story]').scrollIntoView({block: 'end'});";
        for (width, height) in [(1280, 800), (1920, 1080)] {
            page.set_viewport(width, height).await?;
            page.client().execute(story, vec![]).await?;
            screenshot_fits(&page, "guarantees-story-ko", width, height).await?;
        }
        Ok(())
    });
}

/// The Kafka comparison at a laptop's and a projector's size: after the
/// first fault, and at the end with a duplicate's story open.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn kafka_guarantees_screenshots() {
    e2e::run(|page| async move {
        let scenario = builtin::by_name(KAFKA).context("a built-in")?;
        let seed = scenario.seed;
        let middle = scenario.faults.first().context("a fault")?.at_ms + 500;
        let end = Timeline::run(scenario, seed)
            .end_time()
            .since_start()
            .as_ms();
        for (name, ms, lang) in [
            ("guarantees-kafka-middle", middle, "en"),
            ("guarantees-kafka-end", end, "en"),
            ("guarantees-kafka-end-ko", end, "ko"),
        ] {
            open_at(&page, &moment("guarantees", KAFKA, seed, ms, lang), ms).await?;
            if ms == end {
                click(&page, "[data-testid=fates][data-lane] [data-fate=times]").await?;
                page.find("[data-testid=story][data-msg]").await?;
                page.client()
                    .execute("window.scrollTo(0, 0);", vec![])
                    .await?;
            }
            for (width, height) in [(1280, 800), (1920, 1080)] {
                screenshot_fits(&page, name, width, height).await?;
            }
        }
        Ok(())
    });
}
