//! The Streams lab in a real browser: the three stream scenarios played and
//! sought, the console, share links, Korean, and screenshots for a class.
//!
//! The stage carries the engine's values in `data-*` attributes
//! (`data-last-delivered-id`, `data-pending`, `data-length`…); the tests
//! compare them with literal values from the seed notes' stories and with
//! the engine itself, run natively with the same scenario, seed and time.

use std::time::Duration;

use ackscope_engine::redis::Event;
use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::{EventRef, Timeline, What};
use ackscope_tests::e2e;
use ackscope_tests::lab::{
    attr, emulate, open, screenshot_fits, stage_matches_engine, stage_ms, wait_attr,
};
use anyhow::ensure;

const OFFSET: &str = "seed-offset-vs-pending";
const CRASH: &str = "stream-consumer-crash-claim";
const DEAD: &str = "stream-dead-letter";

fn link(scenario: &str, seed: u64, ms: u64) -> String {
    format!("lab=streams&scenario={scenario}&seed={seed}&t={ms}&lang=en")
}

fn group(key: &str, group: &str) -> String {
    format!("[data-testid=group][data-key=\"{key}\"][data-group=\"{group}\"]")
}

/// When (ms) w2 first claims w1's entries in `scenario` run with `seed`,
/// and how many it claims then — read from the engine's trace.
fn first_claim(scenario: &str, seed: u64) -> (u64, usize) {
    let scenario = builtin::by_name(scenario).expect("a built-in");
    let t = Timeline::run(scenario, seed);
    let claims: Vec<EventRef<'_>> = t
        .events()
        .iter()
        .filter(|e| {
            matches!(&*e.what, What::Redis(Event::EntryClaimed(c))
                if c.from == b"w1" && c.to == b"w2")
        })
        .collect();
    let first = claims.first().expect("w2 claims");
    let at_once = claims.iter().filter(|e| e.action == first.action).count();
    (first.at.since_start().as_ms(), at_once)
}

fn consumer(name: &str) -> String {
    format!("[data-testid=consumer][data-consumer=\"{name}\"]")
}

/// Seed 002's walk-through: the offset (`last-delivered-id`) belongs to the
/// group and only moves on delivery or SETID; pending is per consumer and
/// only XACK clears it.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn offset_vs_pending_at_each_step() {
    e2e::run(|page| async move {
        let readers = group("mybook", "readers");
        // (time, last-delivered-id, reader-1 pending, reader-2 pending)
        let steps = [
            (7_000, "0-0", None, None),
            (9_000, "1700000001000-0", Some("1"), None),
            (12_000, "1700000003000-0", Some("3"), None),
            (14_000, "1700000003000-0", Some("2"), None),
            (16_000, "1700000004000-0", Some("2"), Some("1")),
            (17_000, "1700000001000-0", Some("2"), Some("1")),
            (18_000, "1700000002000-0", Some("2"), Some("1")),
        ];
        for (ms, cursor, r1, r2) in steps {
            open(&page, &link(OFFSET, 2, ms)).await?;
            let shown = attr(&page, &readers, "data-last-delivered-id").await?;
            ensure!(
                shown == cursor,
                "at {ms} ms the cursor is {shown}, not {cursor}"
            );
            for (name, want) in [("reader-1", r1), ("reader-2", r2)] {
                if let Some(want) = want {
                    let pending = attr(&page, &consumer(name), "data-pending").await?;
                    ensure!(
                        pending == want,
                        "at {ms} ms {name} holds {pending}, not {want}"
                    );
                }
            }
            stage_matches_engine(&page, OFFSET, 2, ms).await?;
        }
        // Every chapter is still in the stream after the ACKs.
        ensure!(
            attr(
                &page,
                "[data-testid=stream][data-key=mybook]",
                "data-length"
            )
            .await?
                == "5"
        );
        Ok(())
    });
}

/// w1 crashes holding pending entries; they stay pending, owned by w1,
/// until w2's XAUTOCLAIM takes them with their delivery count raised.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_crashed_consumers_entries_are_claimed() {
    e2e::run(|page| async move {
        open(&page, &link(CRASH, 7, 3_000)).await?;
        ensure!(attr(&page, &consumer("w1"), "data-status").await? == "crashed");
        let held = attr(&page, &consumer("w1"), "data-pending").await?;
        ensure!(held != "0", "w1 crashed holding nothing");
        stage_matches_engine(&page, CRASH, 7, 3_000).await?;

        // w2's first XAUTOCLAIM moves all of w1's entries to w2, each with
        // a delivery count of 2: when, and how many, the engine says.
        let (claim_ms, claimed) = first_claim(CRASH, 7);
        ensure!(claimed >= 2, "the engine claims {claimed} entries at once");
        let ms = claim_ms + 30;
        open(&page, &link(CRASH, 7, ms)).await?;
        ensure!(
            attr(&page, &consumer("w1"), "data-pending").await? == "0",
            "w1's entries were not claimed"
        );
        let twice = page
            .find_all(&format!(
                "{} [data-testid=pending-entry][data-delivery-count=\"2\"]",
                consumer("w2")
            ))
            .await?;
        ensure!(
            twice.len() == claimed,
            "w2 holds {} entries delivered twice, the engine claimed {claimed}",
            twice.len()
        );
        stage_matches_engine(&page, CRASH, 7, ms).await?;
        Ok(())
    });
}

/// Played, not sought: at 16× the clock runs through each story — the
/// offset's steps, the crash and the claims, the dead letter — and paused
/// wherever it stops, the stage shows what the engine says at that moment.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn playing_shows_the_engines_world_wherever_it_pauses() {
    e2e::run(|page| async move {
        for (scenario, seed, past_ms) in [(OFFSET, 2, 13_000), (CRASH, 7, 5_000), (DEAD, 4, 9_500)]
        {
            open(&page, &link(scenario, seed, 0)).await?;
            page.find("#clock-speed")
                .await?
                .select_by_value("16×")
                .await?;
            page.click("[data-testid=clock] button.clock__play").await?;
            wait_attr(
                &page,
                "[data-testid=stage] .stage__canvas",
                "data-time-ms",
                |ms| ms.parse::<u64>().is_ok_and(|ms| ms > past_ms),
            )
            .await?;
            page.click("[data-testid=clock] button.clock__play").await?;
            page.wait_for_text("[data-testid=clock] button.clock__play", |t| {
                t.contains("Play")
            })
            .await?;
            let ms = stage_ms(&page).await?;
            let clock = page.text("[data-testid=sim-time]").await?;
            ensure!(
                clock == format!("{}.{:03} s", ms / 1000, ms % 1000),
                "clock {clock} vs stage {ms} ms"
            );
            stage_matches_engine(&page, scenario, seed, ms).await?;
        }
        // The dead letter arrived while playing (it shows once its flight
        // lands, which may be just after the pause), and the timeline
        // marks the crash in the other run.
        let dead = "[data-testid=stream][data-key=\"payments:dead\"] [data-testid=entry]";
        page.wait_for_text(dead, |t| t.contains("payment-4"))
            .await?;
        open(&page, &link(CRASH, 7, 0)).await?;
        ensure!(
            page.exists("[data-testid=timeline] [data-kind=crash]")
                .await?
        );
        Ok(())
    });
}

/// The poison payment's delivery count climbs; the claim that makes it 4
/// copies it to payments:dead and acknowledges it, and only it.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_poison_message_moves_to_the_dead_letter_stream() {
    e2e::run(|page| async move {
        open(&page, &link(DEAD, 4, 8_000)).await?;
        ensure!(
            !page
                .exists("[data-testid=stream][data-key=\"payments:dead\"]")
                .await?
        );
        let poison = "[data-testid=pending-entry][data-id=\"1700000001500-0\"]";
        ensure!(attr(&page, poison, "data-delivery-count").await? == "3");

        open(&page, &link(DEAD, 4, 9_000)).await?;
        let dead = "[data-testid=stream][data-key=\"payments:dead\"]";
        ensure!(attr(&page, dead, "data-dead-letter").await? == "true");
        ensure!(attr(&page, dead, "data-length").await? == "1");
        let entry = page.text(&format!("{dead} [data-testid=entry]")).await?;
        ensure!(
            entry.contains("payment-4"),
            "the dead letter reads {entry:?}"
        );
        ensure!(
            !page.exists(poison).await?,
            "the poison entry is still pending"
        );
        stage_matches_engine(&page, DEAD, 4, 9_000).await?;
        Ok(())
    });
}

/// Commands typed at the console run at the current simulated time: an
/// XADD lengthens the stream, an XREADGROUP leaves a new pending entry.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_console_adds_and_reads_entries() {
    e2e::run(|page| async move {
        open(&page, &link(OFFSET, 2, 12_000)).await?;
        let input = page.find("[data-testid=console-input]").await?;
        input
            .send_keys("XADD mybook * chapter 6 title epilogue\u{E007}")
            .await?;
        wait_attr(
            &page,
            "[data-testid=stream][data-key=mybook]",
            "data-length",
            |n| n == "6",
        )
        .await?;
        let input = page.find("[data-testid=console-input]").await?;
        input
            .send_keys("XREADGROUP GROUP readers teacher COUNT 1 STREAMS mybook >\u{E007}")
            .await?;
        let teacher = consumer("teacher");
        wait_attr(&page, &teacher, "data-pending", |n| n == "1").await?;
        let pending = attr(
            &page,
            &format!("{teacher} [data-testid=pending-entry]"),
            "data-id",
        )
        .await?;
        ensure!(
            pending == "1700000004000-0",
            "teacher got {pending}, not chapter 4"
        );
        ensure!(page.text("[data-testid=sim-time]").await? == "12.000 s");
        let transcript = page.text("[data-testid=transcript]").await?;
        ensure!(
            transcript.contains("\"1700000012000-0\""),
            "no XADD reply in {transcript:?}"
        );
        // ↑ recalls the last command.
        let input = page.find("[data-testid=console-input]").await?;
        input.send_keys("\u{E013}").await?;
        let recalled = input.prop("value").await?.unwrap_or_default();
        ensure!(recalled.starts_with("XREADGROUP"), "↑ gave {recalled:?}");
        Ok(())
    });
}

/// A link copied from the address bar brings back the same run — scenario,
/// seed, the user's faults — at the same moment.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_shared_link_restores_the_same_moment() {
    e2e::run(|page| async move {
        open(&page, &link(CRASH, 7, 1_000)).await?;
        let seed = page.find("[data-testid=seed-input]").await?;
        seed.clear().await?;
        seed.send_keys("11\u{E007}").await?;
        page.wait_for_text("[data-testid=seed]", |s| s == "11")
            .await?;
        page.click("[data-testid=faults] [data-worker=w2] [data-fault=crash]")
            .await?;
        for _ in 0..5 {
            page.click("[data-testid=clock] button[aria-keyshortcuts=ArrowRight]")
                .await?;
        }
        wait_attr(&page, &consumer("w2"), "data-status", |s| s == "crashed").await?;
        let time = page.text("[data-testid=sim-time]").await?;
        let fingerprint = page.text("[data-testid=fingerprint]").await?;
        let actions = attr(&page, "[data-testid=stage]", "data-actions").await?;
        let url = page.client().current_url().await?.to_string();
        ensure!(
            url.contains("seed=11") && url.contains(".crash.w2"),
            "the URL is {url}"
        );

        page.client().goto("about:blank").await?;
        page.client().goto(&url).await?;
        page.wait_for_text("[data-testid=sim-time]", |t| t == time)
            .await?;
        ensure!(page.text("[data-testid=seed]").await? == "11");
        ensure!(page.text("[data-testid=fingerprint]").await? == fingerprint);
        ensure!(attr(&page, "[data-testid=stage]", "data-actions").await? == actions);
        ensure!(attr(&page, &consumer("w2"), "data-status").await? == "crashed");
        Ok(())
    });
}

/// A broken or hostile link says what is wrong and shows the default run.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_hostile_link_falls_back_with_a_message() {
    e2e::run(|page| async move {
        let long = "x".repeat(10_000);
        for fragment in [
            "lab=streams&scenario=stream-dead-letter&t=99999999999999999999999".to_string(),
            "lab=streams&do=1.cmd.console.%00".to_string(),
            format!("lab=streams&scenario={long}"),
            "%%%&&==".to_string(),
        ] {
            open(&page, &fragment).await?;
            let notice = page.text("[data-testid=notice]").await?;
            ensure!(
                notice.contains("could not be shown"),
                "{fragment:.40}: {notice:?}"
            );
            ensure!(attr(&page, "[data-testid=stage]", "data-scenario").await? == OFFSET);
            ensure!(page.exists("[data-testid=clock]").await?);
        }
        Ok(())
    });
}

/// Korean from the language switch: the lab's words change, Redis's terms
/// and the engine's values do not, and the link remembers the language.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn korean_keeps_redis_terms_and_the_link_keeps_korean() {
    e2e::run(|page| async move {
        open(&page, &link(OFFSET, 2, 12_000)).await?;
        page.click("[data-testid=lang] button[lang=ko]").await?;
        page.wait_for_text("#narration-title", |t| t == "지금 일어나는 일")
            .await?;
        let row = page.text(&group("mybook", "readers")).await?;
        ensure!(
            row.contains("그룹") && row.contains("entries-read"),
            "{row}"
        );
        ensure!(page.text("[data-testid=clock] button.clock__play").await? == "재생");
        let url = page.client().current_url().await?.to_string();
        ensure!(url.contains("lang=ko"), "{url}");
        page.client().refresh().await?;
        page.wait_for_text("#narration-title", |t| t == "지금 일어나는 일")
            .await?;
        ensure!(attr(&page, "html", "lang").await? == "ko");
        Ok(())
    });
}

/// What a class sees, at the two common screen sizes, light and dark; one
/// of them mid-flight. Saved under target/screenshots/.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn streams_screenshots() {
    e2e::run(|page| async move {
        let scenes = [
            ("streams-offset-setid", OFFSET, 2, 17_000, false, None),
            (
                "streams-crash-claim",
                CRASH,
                7,
                3_000,
                false,
                Some(consumer("w1")),
            ),
            ("streams-dead-letter", DEAD, 4, 9_000, true, None),
        ];
        for (name, scenario, seed, ms, dark, pick) in scenes {
            emulate(&page, dark, false).await?;
            open(&page, &link(scenario, seed, ms)).await?;
            if let Some(css) = pick {
                page.click(&css).await?;
                page.find("[data-testid=inspector] .cli__reply").await?;
            }
            for (width, height) in [(1280, 800), (1920, 1080)] {
                screenshot_fits(&page, name, width, height).await?;
            }
        }
        // Mid-flight: step once at 0.25× and take the picture while the
        // XREADGROUP's copy travels to w2.
        emulate(&page, false, false).await?;
        open(&page, &link(CRASH, 7, 2_600)).await?;
        page.find("#clock-speed")
            .await?
            .select_by_value("0.25×")
            .await?;
        page.set_viewport(1920, 1080).await?;
        page.click("[data-testid=clock] button[aria-keyshortcuts=ArrowRight]")
            .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        page.screenshot("streams-in-flight-1920x1080", 1920, 1080)
            .await?;
        ensure!(
            page.exists(".stage__flights .flight").await?,
            "nothing was in flight"
        );
        let ko = link(DEAD, 4, 9_000).replace("lang=en", "lang=ko");
        open(&page, &ko).await?;
        page.screenshot("streams-dead-letter-ko-1280x800", 1280, 800)
            .await?;
        Ok(())
    });
}

/// Keys drive the clock from anywhere on the page; reduced motion turns
/// travel off.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn keys_drive_the_clock_and_reduced_motion_stops_travel() {
    e2e::run(|page| async move {
        emulate(&page, false, true).await?;
        open(&page, &link(OFFSET, 2, 7_500)).await?;
        let body = page.find("body").await?;
        body.send_keys("\u{E014}").await?; // →
        page.wait_for_text("[data-testid=sim-time]", |t| t == "8.000 s")
            .await?;
        ensure!(
            attr(&page, &group("mybook", "readers"), "data-last-delivered-id").await?
                == "1700000001000-0"
        );
        ensure!(
            attr(&page, "[data-testid=stage] .stage__canvas", "data-motion").await? == "instant"
        );
        ensure!(
            !page.exists(".stage__flights .flight").await?,
            "something travelled under reduced motion"
        );
        body.send_keys("\u{E012}").await?; // ←
        page.wait_for_text("[data-testid=sim-time]", |t| t != "8.000 s")
            .await?;
        ensure!(attr(&page, &group("mybook", "readers"), "data-last-delivered-id").await? == "0-0");
        body.send_keys("\u{E011}").await?; // Home
        page.wait_for_text("[data-testid=sim-time]", |t| t == "0.000 s")
            .await?;
        body.send_keys(" ").await?;
        page.wait_for_text("[data-testid=clock] button.clock__play", |t| {
            t.contains("Pause")
        })
        .await?;
        body.send_keys(" ").await?;
        page.wait_for_text("[data-testid=clock] button.clock__play", |t| {
            t.contains("Play")
        })
        .await?;
        Ok(())
    });
}
