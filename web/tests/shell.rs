//! The shell in a real browser: it renders, its labs switch, its controls are
//! named, and it speaks Korean. Run by `cargo xtask test` in headless
//! Chromium; the reducer's rules are tested natively in `src/state.rs`.
#![cfg(target_arch = "wasm32")]

use ackscope_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlSelectElement};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

/// A freshly rendered app, in English whatever the browser's language.
struct Page {
    root: Element,
    app: Option<AppHandle<App>>,
}

impl Page {
    async fn open() -> Page {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let app = yew::Renderer::<App>::with_root(root.clone()).render();
        yew::scheduler::flush().await;
        let page = Page {
            root,
            app: Some(app),
        };
        page.click("[data-testid=lang] button[lang=en]").await;
        page
    }

    fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().unchecked_into())
            .collect()
    }

    fn text(&self, selector: &str) -> String {
        self.find(selector)
            .text_content()
            .unwrap()
            .trim()
            .to_owned()
    }

    async fn click(&self, selector: &str) {
        self.find(selector).unchecked_into::<HtmlElement>().click();
        yew::scheduler::flush().await;
    }

    fn nav_labels(&self) -> Vec<String> {
        self.all("[data-testid=labs] button[data-lab]")
            .iter()
            .map(|button| button.text_content().unwrap().trim().to_owned())
            .collect()
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

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
    assert!(
        page.text("[data-testid=stage] [data-testid=lab-pending]")
            .contains("consumer group")
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
    let streams = page.text("[data-testid=lab-pending]");

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
    let kafka = page.text("[data-testid=lab-pending]");
    assert_ne!(kafka, streams);
    assert!(kafka.contains("min.insync.replicas"));
}

#[wasm_bindgen_test]
async fn clock_controls_are_named_and_honest_without_a_scenario() {
    let page = Page::open().await;
    let names: Vec<_> = page
        .all("[data-testid=clock] button")
        .iter()
        .map(|button| button.text_content().unwrap())
        .collect();
    assert_eq!(names, ["Play", "Step", "Reset"]);
    // The Speed <select> is named by its visible label, and by nothing else.
    let select = page.find("[data-testid=clock] select");
    let label = format!("label[for={}]", select.id());
    assert_eq!(page.text(&label), "Speed");
    assert_eq!(page.text("[data-testid=sim-time]"), "0.000 s");

    // Nothing can run, so the buttons say so, point at the visible reason,
    // and clicking them changes nothing.
    for button in page.all("[data-testid=clock] button") {
        assert_eq!(button.get_attribute("aria-disabled").unwrap(), "true");
        let hint = button.get_attribute("aria-describedby").unwrap();
        assert_eq!(page.text(&format!("#{hint}")), "No scenario loaded");
    }
    page.click("[data-testid=clock] button").await;
    assert_eq!(page.text("[data-testid=clock] button"), "Play");
    assert_eq!(page.text("[data-testid=sim-time]"), "0.000 s");
}

#[wasm_bindgen_test]
async fn speed_can_be_chosen() {
    let page = Page::open().await;
    let select: HtmlSelectElement = page.find("[data-testid=clock] select").unchecked_into();
    let options: Vec<_> = page
        .all("select option")
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(options, ["0.25×", "0.5×", "1×", "2×", "4×", "8×", "16×"]);
    assert_eq!(select.value(), "1×");

    select.set_value("4×");
    let init = EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    let selected = page.find("select option:checked");
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
