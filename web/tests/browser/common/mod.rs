//! What the browser tests share: a freshly rendered app and ways to look
//! at it and poke it as a reader would.
#![allow(dead_code)]

use ackscope_web::App;
use wasm_bindgen::JsCast;
use web_sys::{
    Element, Event, EventInit, HtmlInputElement, HtmlSelectElement, KeyboardEvent,
    KeyboardEventInit, MouseEvent, MouseEventInit,
};
use yew::AppHandle;

/// A freshly rendered app, in English whatever the browser's language.
pub struct Page {
    pub root: Element,
    app: Option<AppHandle<App>>,
}

impl Page {
    pub async fn open() -> Page {
        Page::open_at("").await
    }

    /// The app opened at `fragment` (a share link's part after `#`).
    pub async fn open_at(fragment: &str) -> Page {
        // The page reads and writes its state in the URL fragment; every
        // test sets its own, so one test's run does not leak into the next.
        let window = web_sys::window().unwrap();
        let path = window.location().pathname().unwrap();
        let url = match fragment {
            "" => path,
            _ => format!("{path}#{fragment}"),
        };
        window
            .history()
            .unwrap()
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            .unwrap();
        let document = window.document().unwrap();
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

    pub fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().unchecked_into())
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.find(selector)
            .text_content()
            .unwrap()
            .trim()
            .to_owned()
    }

    /// Clicks the first element matching `selector` — HTML or SVG, the
    /// way a mouse does: with a bubbling `click` event.
    pub async fn click(&self, selector: &str) {
        let init = MouseEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
        self.find(selector).dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    /// Chooses `value` in the `<select>` matching `selector` the way a
    /// reader does: the value set, then a bubbling `change` event.
    pub async fn choose(&self, selector: &str, value: &str) {
        let select: HtmlSelectElement = self.find(selector).unchecked_into();
        select.set_value(value);
        let init = EventInit::new();
        init.set_bubbles(true);
        select
            .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
            .unwrap();
        yew::scheduler::flush().await;
    }

    pub fn nav_labels(&self) -> Vec<String> {
        self.all("[data-testid=labs] button[data-lab]")
            .iter()
            .map(|button| button.text_content().unwrap().trim().to_owned())
            .collect()
    }
}

impl Page {
    /// The attribute `name` of the first element matching `selector`.
    pub fn attr(&self, selector: &str, name: &str) -> String {
        self.find(selector)
            .get_attribute(name)
            .unwrap_or_else(|| panic!("{selector} has no {name}"))
    }

    /// Presses `key` with the focus on `selector` (the whole page if
    /// `None`), and lets the app react.
    pub async fn press(&self, selector: Option<&str>, key: &str) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        match selector {
            Some(selector) => self.find(selector).dispatch_event(&event).unwrap(),
            None => web_sys::window().unwrap().dispatch_event(&event).unwrap(),
        };
        yew::scheduler::flush().await;
    }

    /// Types `line` into the console and presses Enter.
    pub async fn run_command(&self, line: &str) {
        let field: HtmlInputElement = self.find("[data-testid=console-input]").unchecked_into();
        field.set_value(line);
        self.press(Some("[data-testid=console-input]"), "Enter")
            .await;
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
