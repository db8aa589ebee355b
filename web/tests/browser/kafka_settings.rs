//! The Kafka lab's Settings panel in a real browser: one labelled select
//! per config with Kafka's name in code type, the value the run uses,
//! a change re-runs the scenario, a refusal leaves the select on the
//! run's value, and the words are Korean in Korean. The reducer's rules
//! are tested natively in `src/state.rs`.

use crate::common::Page;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlSelectElement;

const LINK: &str = "lab=kafka&scenario=kafka-acks1-leader-crash&seed=3&t=32000";

async fn choose(page: &Page, config: &str, value: &str) {
    page.choose(&format!("[data-setting=\"{config}\"] select"), value)
        .await;
}

fn shown(page: &Page, config: &str) -> String {
    let select: HtmlSelectElement = page
        .find(&format!("[data-setting=\"{config}\"] select"))
        .unchecked_into();
    select.value()
}

#[wasm_bindgen_test]
async fn each_config_has_a_labelled_select_showing_the_runs_value() {
    let page = Page::open_at(LINK).await;
    let names: Vec<_> = page
        .all("[data-testid=kafka-settings] label code")
        .iter()
        .map(|c| c.text_content().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "acks",
            "min.insync.replicas",
            "unclean.leader.election.enable",
            "retries",
            "enable.idempotence",
            "enable.auto.commit"
        ]
    );
    for label in page.all("[data-testid=kafka-settings] label") {
        let id = label.get_attribute("for").unwrap();
        assert!(
            page.root
                .query_selector(&format!("select#{id}"))
                .unwrap()
                .is_some()
        );
    }
    assert_eq!(shown(&page, "acks"), "1");
    assert_eq!(page.all("[data-testid=settings-note]").len(), 0);
    let lost = "[data-testid=service][data-service=billing]";
    assert_eq!(page.attr(lost, "data-lost"), "1");

    choose(&page, "acks", "all").await;
    assert_eq!(shown(&page, "acks"), "all");
    assert_eq!(page.attr("[data-setting=acks]", "data-changed"), "true");
    assert_eq!(page.attr(lost, "data-lost"), "0");
    assert_eq!(page.all("[data-testid=settings-note]").len(), 1);
    assert_eq!(page.attr("[data-testid=stage]", "data-time-ms"), "32000");
}

#[wasm_bindgen_test]
async fn a_refused_value_does_not_stay_in_its_select() {
    let page = Page::open_at(LINK).await;
    choose(&page, "enable.idempotence", "true").await;
    assert_eq!(shown(&page, "enable.idempotence"), "false");
    assert!(
        page.text("[data-testid=notice]")
            .contains("Must set acks to all")
    );
    assert_eq!(page.all("[data-testid=settings-note]").len(), 0);
}

#[wasm_bindgen_test]
async fn the_panel_speaks_korean() {
    let page = Page::open_at(LINK).await;
    page.click("[data-testid=lang] button[lang=ko]").await;
    assert_eq!(page.text("#settings-title"), "설정");
    choose(&page, "retries", "0").await;
    assert!(page.text("[data-testid=settings-note]").contains("해설"));
    assert!(
        page.text("[data-setting=retries] .settings__changed")
            .contains("바뀜")
    );
}
