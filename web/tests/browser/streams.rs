//! The Streams lab in a real browser: a share link opens the run at its
//! moment, the clock's buttons and keys move it one event at a time, the
//! console and the fault buttons change the run, and the inspector tells an
//! entry's story. Run by `cargo xtask test` in headless Chromium; the
//! rules behind each are tested natively in `src/`.

use crate::common::Page;
use wasm_bindgen_test::wasm_bindgen_test;

const OFFSET: &str = "lab=streams&scenario=seed-offset-vs-pending&seed=2";
const CRASH: &str = "lab=streams&scenario=stream-consumer-crash-claim&seed=7";

fn readers_cursor(page: &Page) -> String {
    page.attr(
        "[data-testid=group][data-group=readers]",
        "data-last-delivered-id",
    )
}

#[wasm_bindgen_test]
async fn a_link_opens_the_run_at_its_moment() {
    let page = Page::open_at(&format!("{OFFSET}&t=12000")).await;
    assert_eq!(page.text("[data-testid=sim-time]"), "12.000 s");
    assert_eq!(readers_cursor(&page), "1700000003000-0");
    assert_eq!(
        page.attr(
            "[data-testid=consumer][data-consumer=reader-1]",
            "data-pending"
        ),
        "3"
    );
    assert_eq!(page.text("[data-testid=seed]"), "2");
    // XGROUP SETID at 17 s moves the cursor back to chapter 1.
    let page = Page::open_at(&format!("{OFFSET}&t=17000")).await;
    assert_eq!(readers_cursor(&page), "1700000001000-0");
}

#[wasm_bindgen_test]
async fn step_and_step_back_move_one_event_and_keys_do_too() {
    let page = Page::open_at(&format!("{OFFSET}&t=7500")).await;
    assert_eq!(readers_cursor(&page), "0-0");
    page.click("[data-testid=clock] button[aria-keyshortcuts=ArrowRight]")
        .await;
    assert_eq!(page.text("[data-testid=sim-time]"), "8.000 s");
    assert_eq!(readers_cursor(&page), "1700000001000-0");
    page.press(None, "ArrowLeft").await;
    assert_eq!(readers_cursor(&page), "0-0");
    page.press(None, "ArrowRight").await;
    assert_eq!(readers_cursor(&page), "1700000001000-0");
    page.press(None, "Home").await;
    assert_eq!(page.text("[data-testid=sim-time]"), "0.000 s");
    page.press(None, "+").await;
    assert_eq!(
        page.find("select#clock-speed option:checked")
            .text_content()
            .unwrap(),
        "2×"
    );
    page.press(None, " ").await;
    assert_eq!(page.text("[data-testid=clock] button"), "Pause");
    page.press(None, " ").await;
    assert_eq!(page.text("[data-testid=clock] button"), "Play");
}

/// A step delivers chapter 1: its pending row waits for the flight that
/// carries it; opened at that moment instead, it is simply there.
#[wasm_bindgen_test]
async fn a_stepped_delivery_appears_when_its_flight_lands() {
    let row = "[data-testid=pending-entry][data-id=\"1700000001000-0\"]";
    let class = |page: &Page| page.find(row).get_attribute("class").unwrap_or_default();
    let page = Page::open_at(&format!("{OFFSET}&t=7500")).await;
    page.click("[data-testid=clock] button[aria-keyshortcuts=ArrowRight]")
        .await;
    assert!(
        class(&page).split(' ').any(|c| c == "arrive"),
        "{}",
        class(&page)
    );
    let page = Page::open_at(&format!("{OFFSET}&t=8000")).await;
    assert!(
        !class(&page).split(' ').any(|c| c == "arrive"),
        "{}",
        class(&page)
    );
}

#[wasm_bindgen_test]
async fn the_console_runs_commands_at_the_current_time() {
    let page = Page::open_at(&format!("{OFFSET}&t=12000")).await;
    page.run_command("XADD mybook * chapter 6").await;
    assert_eq!(
        page.text("[data-testid=stream][data-key=mybook] [data-testid=xlen]"),
        "6"
    );
    assert_eq!(page.text("[data-testid=sim-time]"), "12.000 s");
    let transcript = page.text("[data-testid=transcript]");
    assert!(
        transcript.contains("XADD mybook * chapter 6"),
        "{transcript}"
    );
    assert!(transcript.contains("\"1700000012000-0\""), "{transcript}");
    page.run_command("XREADGROUP GROUP readers console COUNT 9 STREAMS mybook >")
        .await;
    assert_eq!(
        page.attr(
            "[data-testid=consumer][data-consumer=console]",
            "data-pending"
        ),
        "3"
    );
    assert_eq!(
        page.text("[data-testid=changes]")
            .trim_end_matches("Remove")
            .trim(),
        "Your changes: 2"
    );
}

#[wasm_bindgen_test]
async fn a_crash_button_greys_out_the_consumer_and_keeps_its_pending_entries() {
    let page = Page::open_at(&format!("{CRASH}&t=2000")).await;
    let w2 = "[data-testid=consumer][data-consumer=w2]";
    let before = page.attr(w2, "data-pending");
    page.click("[data-testid=faults] [data-worker=w2] [data-fault=crash]")
        .await;
    assert_eq!(page.attr(w2, "data-status"), "crashed");
    assert_eq!(page.attr(w2, "data-pending"), before);
    assert!(page.find(w2).text_content().unwrap().contains("crashed"));
}

#[wasm_bindgen_test]
async fn picking_an_entry_shows_it_as_redis_does_and_its_story() {
    let page = Page::open_at(&format!("{CRASH}&t=6000")).await;
    page.click("[data-testid=entry][data-id=\"1700000002900-0\"]")
        .await;
    let inspector = page.text("[data-testid=inspector]");
    assert!(
        inspector.contains("XRANGE orders 1700000002900-0 1700000002900-0"),
        "{inspector}"
    );
    assert!(inspector.contains("\"order-30\""), "{inspector}");
    assert!(!page.all("[data-testid=story] li").is_empty());
}

#[wasm_bindgen_test]
async fn a_broken_link_says_why_and_shows_the_default_run() {
    let page = Page::open_at("lab=streams&scenario=no-such-thing&t=5").await;
    assert!(page.text("[data-testid=notice]").contains("scenario"));
    assert_eq!(
        page.attr("[data-testid=stage]", "data-scenario"),
        "seed-offset-vs-pending"
    );
    assert_eq!(page.text("[data-testid=sim-time]"), "0.000 s");
    // Nothing has happened yet at 0 s: the stage says how to begin.
    assert!(page.text("[data-testid=stage-empty]").contains("Play"));
}

#[wasm_bindgen_test]
async fn korean_relabels_the_lab_but_keeps_redis_terms() {
    let page = Page::open_at(&format!("{OFFSET}&t=12000")).await;
    page.click("[data-testid=lang] button[lang=ko]").await;
    assert_eq!(page.text("#narration-title"), "지금 일어나는 일");
    let row = page
        .find("[data-testid=group][data-group=readers]")
        .text_content()
        .unwrap();
    assert!(
        row.contains("그룹") && row.contains("entries-read"),
        "{row}"
    );
    assert_eq!(readers_cursor(&page), "1700000003000-0");
}
