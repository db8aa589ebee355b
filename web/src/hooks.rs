//! The page's ties to the browser: animation frames, keys, the reader's
//! motion preference, the URL fragment and the document's language. Each
//! hook turns a browser event into an [`Action`] and cleans up after
//! itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_render::{AnimationFrame, request_animation_frame};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::link::Link;
use crate::shared::Shared;
use crate::state::Action;
use crate::theme::Theme;

/// While `active`, emits every animation frame's timestamp (ms).
#[hook]
pub fn use_frames(active: bool, on_frame: Callback<f64>) {
    let on_frame = use_mut_ref(|| on_frame.clone()).tap(on_frame);
    use_effect_with(active, move |active| {
        let running = Rc::new(Cell::new(*active));
        let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::default();
        if *active {
            next_frame(Rc::clone(&handle), Rc::clone(&running), on_frame);
        }
        move || {
            running.set(false);
            handle.borrow_mut().take();
        }
    });
}

/// Asks for the next frame; each frame emits its time and asks again,
/// until the effect that started the loop is cleaned up.
fn next_frame(
    handle: Rc<RefCell<Option<AnimationFrame>>>,
    running: Rc<Cell<bool>>,
    on_frame: Rc<RefCell<Callback<f64>>>,
) {
    let again = Rc::clone(&handle);
    let frame = request_animation_frame(move |time| {
        if !running.get() {
            return;
        }
        let callback = on_frame.borrow().clone();
        // Only a benchmark times the frame's work: the page does not pay
        // for a clock read and a queued task every frame otherwise.
        let started = crate::bench::measuring_work().then(crate::bench::now);
        callback.emit(time);
        if let Some(started) = started {
            // Yew renders in a task it queues now; this one runs right
            // after, so it measures the reducer and the render together.
            yew::platform::spawn_local(async move {
                crate::bench::record_work(crate::bench::now() - started);
            });
        }
        if running.get() {
            next_frame(again, running, on_frame);
        }
    });
    *handle.borrow_mut() = Some(frame);
}

/// Keeps the latest callback in a cell, so a running loop always calls
/// the current one.
trait Tap<T> {
    fn tap(self, value: T) -> Self;
}

impl<T> Tap<T> for Rc<RefCell<T>> {
    fn tap(self, value: T) -> Self {
        *self.borrow_mut() = value;
        self
    }
}

/// The page's keys, anywhere on it: Space plays or pauses, ← and →
/// step, + and − change speed, Home resets, Escape closes the
/// inspector, `?` opens the help and F turns projection mode on or off
/// (the help dialog lists them all: keep `i18n::ClassroomText` in step).
/// They stay out of the way of fields being typed in and of an open
/// dialog, and Space leaves focused buttons to do their own thing.
#[hook]
pub fn use_clock_keys(on_action: Callback<Action>) {
    let on_action = use_mut_ref(|| on_action.clone()).tap(on_action);
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            // Not passive: a key the page handles must not also scroll it.
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&window, "keydown", options, move |event| {
                let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if let Some(action) = clock_key(event) {
                    event.prevent_default();
                    on_action.borrow().emit(action);
                }
            })
        });
        move || drop(listener)
    });
}

fn clock_key(event: &KeyboardEvent) -> Option<Action> {
    if event.default_prevented() || event.ctrl_key() || event.meta_key() || event.alt_key() {
        return None;
    }
    let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
    let tag = target
        .as_ref()
        .map(|t| t.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(tag.as_str(), "input" | "textarea" | "select") {
        return None;
    }
    // A modal dialog handles its own keys (Escape closes it).
    if target
        .as_ref()
        .is_some_and(|t| t.closest("dialog").ok().flatten().is_some())
    {
        return None;
    }
    let on_button = tag == "button"
        || target
            .as_ref()
            .and_then(|t| t.get_attribute("role"))
            .as_deref()
            == Some("button");
    Some(match event.key().as_str() {
        " " if on_button => return None,
        " " => Action::TogglePlay,
        "ArrowRight" => Action::Step,
        "ArrowLeft" => Action::StepBack,
        "+" | "=" => Action::Faster,
        "-" | "_" => Action::Slower,
        "Home" => Action::Reset,
        "Escape" => Action::Select(None),
        "?" => Action::ToggleHelp,
        "f" | "F" => Action::ToggleProjection,
        _ => return None,
    })
}

/// Reports the reader's `prefers-reduced-motion` now and when it changes.
#[hook]
pub fn use_reduced_motion(on_change: Callback<bool>) {
    use_effect_with((), move |_| {
        let query = web_sys::window().and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        });
        let listener = query.map(|query| {
            on_change.emit(query.matches());
            let target = query.clone();
            EventListener::new(&target, "change", move |_| on_change.emit(query.matches()))
        });
        move || drop(listener)
    });
}

/// The URL fragment, without its `#`.
pub fn fragment() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_owned()
}

/// Writes `link` into the URL fragment whenever it changes and the clock
/// is paused (a playing clock would rewrite it sixty times a second), and
/// restores a fragment the reader edits or pastes.
#[hook]
pub fn use_link(link: Link, playing: bool, on_action: Callback<Action>) {
    use_effect_with((link, playing), |(link, playing)| {
        let wanted = format!("#{}", link.to_fragment());
        let window = web_sys::window();
        let current = window.as_ref().and_then(|w| w.location().hash().ok());
        let stale = !*playing && current.as_deref() != Some(wanted.as_str());
        // replaceState: reading a run is not navigation, Back should
        // leave the page, not rewind the clock.
        if let Some(history) = window.filter(|_| stale).and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&wanted));
        }
    });
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|window| {
            EventListener::new(&window, "hashchange", move |_| {
                on_action.emit(Action::Restore(Link::parse(&fragment())));
            })
        });
        move || drop(listener)
    });
}

/// `compute()`, but while `playing` at most once every `every_ms` of wall
/// time: between samples the same value is returned — the same `Rc`, so a
/// component given it as [`Shared`] skips its render. Text panels (the
/// event log, the inspector) are read, not watched frame by frame, and
/// every change to them costs a repaint.
#[hook]
pub fn use_sampled<T, F>(playing: bool, every_ms: f64, compute: F) -> Shared<T>
where
    T: 'static,
    F: FnOnce() -> T,
{
    let last = use_mut_ref(|| None::<(f64, Shared<T>)>);
    let now = crate::bench::now();
    let mut last = last.borrow_mut();
    match &*last {
        Some((at, value)) if playing && now - at < every_ms => value.clone(),
        _ => {
            let value = Shared(Rc::new(compute()));
            *last = Some((now, value.clone()));
            value
        }
    }
}

/// Keeps the document's `lang` attribute and title in the page's language,
/// so that screen readers pick the right voice and the browser the right
/// fonts and line breaking.
#[hook]
pub fn use_document_language(lang: Lang) {
    use_effect_with(lang, |lang| {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        if let Some(root) = document.document_element() {
            // Failing to set an attribute on <html> is not something a
            // reader could act on; the page stays usable either way.
            let _ = root.set_attribute("lang", lang.tag());
        }
        document.set_title(lang.catalogue().page_title);
    });
}

/// Keeps the root element's `data-projection` (`on` or `off`) and
/// `data-theme` (`system`, `light` or `dark`) in step with the page, which
/// the stylesheet reads, and stores the theme for the next visit.
/// Turning projection mode on also asks for full screen (a room sees the
/// page, not the browser around it), turning it off leaves full screen.
#[hook]
pub fn use_root_modes(projection: bool, theme: Theme) {
    let was_on = use_mut_ref(|| false);
    use_effect_with(projection, move |projection| {
        let before = std::mem::replace(&mut *was_on.borrow_mut(), *projection);
        if before != *projection {
            full_screen(*projection);
        }
    });
    use_effect_with((projection, theme), |(projection, theme)| {
        let root = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element());
        if let Some(root) = root {
            // As with `lang`: a failure leaves the default look, still usable.
            let _ = root.set_attribute("data-projection", if *projection { "on" } else { "off" });
            let _ = root.set_attribute("data-theme", theme.attr());
        }
    });
    let first = use_mut_ref(|| true);
    use_effect_with(theme, move |theme| {
        // The first run is the stored choice itself: nothing to write.
        if !std::mem::replace(&mut *first.borrow_mut(), false) {
            theme.store();
        }
    });
}

/// Keeps the CSS property `--px` of `node`'s element at its width in
/// pixels over `units`, the width it stands for in drawing units, so the
/// HTML laid over a scaled drawing can size its type in the drawing's
/// units without container-query units (which would make the browser
/// restyle every animated chip on the main thread, every frame).
#[hook]
pub fn use_px_per_unit(node: NodeRef, units: f64) {
    use_effect_with((node, units), move |(node, units)| {
        let units = *units;
        let element = node.cast::<web_sys::HtmlElement>();
        let observer = element.as_ref().and_then(|element| {
            let target = element.clone();
            let on_resize = Closure::<dyn FnMut()>::new(move || {
                let px = f64::from(target.client_width()) / units;
                let _ = target.style().set_property("--px", &format!("{px:.4}"));
            });
            let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
            observer.observe(element);
            Some((observer, on_resize))
        });
        move || {
            if let Some((observer, _on_resize)) = observer {
                observer.disconnect();
            }
        }
    });
}

/// Enters (`on`) or leaves full screen. The browser may refuse (no recent
/// key press or click, a frame that forbids it, a browser without the
/// API): projection mode then stays in the window, and the refusal is
/// swallowed rather than logged as an unhandled rejection.
fn full_screen(on: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let in_full = js_sys::Reflect::get(&document, &"fullscreenElement".into())
        .is_ok_and(|e| !e.is_null() && !e.is_undefined());
    let (target, method): (wasm_bindgen::JsValue, &str) = match (on, in_full) {
        (true, false) => match document.document_element() {
            Some(root) => (root.into(), "requestFullscreen"),
            None => return,
        },
        (false, true) => (document.into(), "exitFullscreen"),
        _ => return,
    };
    let call = js_sys::Reflect::get(&target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&target).ok());
    if let Some(promise) = call.and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}

/// The name of the performance mark set when a lab's stage is first in the
/// document: `cargo xtask bench` reads it to time the first render
/// (navigation start to the stage).
pub const STAGE_MARK: &str = "ackscope-stage";

/// Marks [`STAGE_MARK`] once, after the first render that drew a stage
/// (`drawn`): effects run once the DOM is committed.
#[hook]
pub fn use_stage_mark(drawn: bool) {
    let marked = use_mut_ref(|| false);
    use_effect_with(drawn, move |drawn| {
        if *drawn && !*marked.borrow() {
            *marked.borrow_mut() = true;
            if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                // A browser without User Timing just goes unmeasured.
                let _ = performance.mark(STAGE_MARK);
            }
        }
    });
}
