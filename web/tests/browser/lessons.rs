//! A lesson in a real browser: a link opens its step on its lab, the card
//! offers the engine's choices, the part pointed at is outlined, and a
//! prediction starts the reveal. The walk through every lesson to its end
//! is the end-to-end test's (`tests/tests/e2e/lessons.rs`).

use crate::common::Page;
use ackscope_engine::lesson::builtin;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
async fn a_lesson_link_opens_its_step_with_the_engines_choices() {
    let lesson = builtin::by_id("004").unwrap();
    let page = Page::open_at("lesson=004&step=2&lang=en").await;
    assert_eq!(page.attr("[data-testid=lesson]", "data-step"), "2");
    assert_eq!(page.attr("[data-testid=stage]", "data-lab"), "guarantees");
    let step = &lesson.steps[1];
    assert_eq!(page.text("[data-testid=lesson-text]"), step.text.en);
    let asked = step
        .question
        .as_ref()
        .unwrap()
        .asked(&lesson.timeline(1).unwrap())
        .unwrap();
    let offered: Vec<String> = page
        .all("[data-testid=lesson-choice]")
        .iter()
        .map(|c| c.get_attribute("data-answer").unwrap())
        .collect();
    let keys: Vec<String> = asked.choices.iter().map(|c| c.key()).collect();
    assert_eq!(offered, keys);
    // Nothing says which is right before the reveal.
    assert!(
        page.find("[data-testid=lesson-verdict]")
            .get_attribute("data-answer")
            .is_none()
    );
    let point = step.point.as_ref().unwrap().selector();
    assert_eq!(page.all(&format!("{point}[data-lesson-point]")).len(), 1);
    page.click("[data-testid=lesson-choice]").await;
    assert_eq!(
        page.attr("[data-testid=lesson-verdict]", "data-verdict"),
        "playing"
    );
    // Next goes on; the menu lists every lesson.
    page.click("[data-testid=lesson-next]").await;
    assert_eq!(page.attr("[data-testid=lesson]", "data-step"), "3");
    assert_eq!(
        page.all("[data-testid=lesson-open]").len(),
        builtin::SOURCES.len()
    );
}
