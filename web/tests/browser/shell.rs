//! The shell in a real browser: it renders, its labs switch, its controls are
//! named, and it speaks Korean. Run by `cargo xtask test` in headless
//! Chromium; the reducer's rules are tested natively in `src/state.rs`.

use crate::common::Page;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlSelectElement;

#[wasm_bindgen_test]
async fn shell_shows_the_name_tagline_labs_and_stage() {
    let page = Page::open().await;
    assert_eq!(page.text("header h1"), "ackscope");
    assert!(!page.text("header p").is_empty());
    let slugs: Vec<_> = page
        .all("nav[data-testid=labs] button")
        .iter()
        .map(|button| button.get_attribute("data-lab").unwrap())
        .collect();
    assert_eq!(slugs, ["streams", "compare", "kafka", "guarantees"]);
    assert_eq!(
        page.nav_labels(),
        [
            "Streams",
            "Queue vs Stream vs Pub/Sub",
            "Kafka",
            "Guarantees"
        ]
    );
    assert_eq!(
        page.find("nav[data-testid=labs]")
            .get_attribute("aria-label")
            .unwrap(),
        "Labs"
    );
    // The Streams lab is built: its stage draws a run.
    assert_eq!(page.all("[data-testid=stage] svg.stage__svg").len(), 1);
    // So is the Compare lab: its stage draws a column per destination.
    page.click("button[data-lab=compare]").await;
    let kinds: Vec<_> = page
        .all("[data-testid=stage] [data-testid=destination]")
        .iter()
        .map(|column| column.get_attribute("data-kind").unwrap())
        .collect();
    assert_eq!(kinds, ["channel", "list", "stream"]);
    // And the Kafka lab: a partition's replicas, one per broker.
    page.click("button[data-lab=kafka]").await;
    assert_eq!(
        page.all("[data-testid=stage] [data-testid=partition] [data-testid=replica]")
            .len(),
        3
    );
}

#[wasm_bindgen_test]
async fn clicking_a_lab_opens_it_and_marks_it_current() {
    let page = Page::open().await;
    let current = || {
        page.find("[aria-current=page]")
            .get_attribute("data-lab")
            .unwrap()
    };
    assert_eq!(current(), "streams");
    page.click("button[data-lab=guarantees]").await;
    assert_eq!(current(), "guarantees");
    assert_eq!(
        page.find("[data-testid=stage]")
            .get_attribute("data-lab")
            .unwrap(),
        "guarantees"
    );
    // A built lab: one set of counters per lane, no pending sentence.
    assert_eq!(page.all("[data-testid=counters]").len(), 3);
    assert!(page.all("[data-testid=lab-pending]").is_empty());

    page.click("button[data-lab=kafka]").await;
    assert_eq!(current(), "kafka");
    assert_eq!(page.all("[aria-current]").len(), 1);
    assert_eq!(
        page.find("[data-testid=stage]")
            .get_attribute("data-lab")
            .unwrap(),
        "kafka"
    );
    assert_eq!(page.text("h2"), "Kafka");
    // Built too: three brokers, no pending sentence.
    assert_eq!(page.all("[data-testid=broker]").len(), 3);
    assert!(page.all("[data-testid=lab-pending]").is_empty());
}

#[wasm_bindgen_test]
async fn clock_controls_are_named_and_usable_in_every_lab() {
    let page = Page::open().await;
    for lab in ["streams", "compare", "kafka", "guarantees"] {
        page.click(&format!("button[data-lab={lab}]")).await;
        let names: Vec<_> = page
            .all("[data-testid=clock] button")
            .iter()
            .map(|button| button.text_content().unwrap())
            .collect();
        assert_eq!(names, ["Play", "Step back", "Step", "Reset"], "{lab}");
        // Every lab has a run: Play can be pressed.
        let play = page.find("[data-testid=clock] button");
        assert_ne!(
            play.get_attribute("aria-disabled").as_deref(),
            Some("true"),
            "{lab}"
        );
        // The Speed <select> is named by its visible label, and by nothing else.
        let select = page.find("[data-testid=clock] select");
        let label = format!("label[for={}]", select.id());
        assert_eq!(page.text(&label), "Speed");
        assert_eq!(page.text("[data-testid=sim-time]"), "0.000 s");
    }
}

#[wasm_bindgen_test]
async fn speed_can_be_chosen() {
    let page = Page::open().await;
    let select: HtmlSelectElement = page.find("[data-testid=clock] select").unchecked_into();
    let options: Vec<_> = page
        .all("#clock-speed option")
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(options, ["0.25×", "0.5×", "1×", "2×", "4×", "8×", "16×"]);
    assert_eq!(select.value(), "1×");

    page.choose("[data-testid=clock] select", "4×").await;
    let selected = page.find("#clock-speed option:checked");
    assert_eq!(selected.text_content().unwrap(), "4×");
}

#[wasm_bindgen_test]
async fn korean_changes_the_words_but_not_the_hooks() {
    let page = Page::open().await;
    page.click("[data-testid=lang] button[lang=ko]").await;
    assert_eq!(
        page.find("[data-testid=lang] button[lang=ko]")
            .get_attribute("aria-pressed")
            .unwrap(),
        "true"
    );
    assert_eq!(
        page.nav_labels(),
        ["Streams", "큐 vs Stream vs Pub/Sub", "Kafka", "전달 보장"]
    );
    assert_eq!(
        page.find("nav[data-testid=labs]")
            .get_attribute("aria-label")
            .unwrap(),
        "실습"
    );
    assert_eq!(page.text("[data-testid=clock] button"), "재생");
    let lang = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(lang.get_attribute("lang").unwrap(), "ko");

    page.click("[data-testid=lang] button[lang=en]").await;
    assert_eq!(page.nav_labels()[3], "Guarantees");
}
