//! The timeline: where the clock stands in the run, every moment with
//! events as a tick and every fault as a labelled mark; drag or click to
//! jump anywhere.

use std::fmt::Write;

use web_sys::{HtmlElement, PointerEvent};
use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::marks::Marks;
use crate::shared::Shared;
use crate::words::{fill, ms_text};

/// Props of [`Scrubber`].
#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    /// The clock as the clock bar shows it (ms since the start).
    pub now_ms: u64,
    /// What to mark, and where the run ends.
    pub marks: Shared<Marks>,
    /// Called with the moment the reader points at.
    pub on_seek: Callback<u64>,
}

/// A slider over the run. The arrow keys step event by event (the page's
/// own keys, which work anywhere); pointer drags seek, which the engine
/// answers from its snapshots within a frame.
#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let text = use_catalogue();
    let track = use_node_ref();
    let end = props.marks.end_ms;
    let seek_at = {
        let (track, on_seek) = (track.clone(), props.on_seek.clone());
        move |event: &PointerEvent| {
            let Some(el) = track.cast::<HtmlElement>() else {
                return;
            };
            let rect = el.get_bounding_client_rect();
            let fraction = ((f64::from(event.client_x()) - rect.left()) / rect.width().max(1.0))
                .clamp(0.0, 1.0);
            on_seek.emit((fraction * end as f64).round() as u64);
        }
    };
    let on_down = {
        let seek_at = seek_at.clone();
        Callback::from(move |event: PointerEvent| {
            if let Some(el) = event
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(t).ok())
            {
                let _ = el.set_pointer_capture(event.pointer_id());
                let _ = el.focus();
            }
            seek_at(&event);
        })
    };
    let on_move = Callback::from(move |event: PointerEvent| {
        if event.buttons() & 1 == 1 {
            seek_at(&event);
        }
    });
    let path = use_memo(props.marks.clone(), |marks| AttrValue::from(ticks(marks)));
    let pct = |ms: u64| percent(ms, end);
    let value_text = fill(
        text.run.timeline_value,
        &[("now", ms_text(props.now_ms)), ("end", ms_text(end))],
    )
    .plain();
    html! {
        <div
            class="scrubber"
            role="slider"
            tabindex="0"
            aria-label={text.run.timeline}
            aria-valuemin="0"
            aria-valuemax={end.to_string()}
            aria-valuenow={props.now_ms.to_string()}
            aria-valuetext={value_text}
            data-testid="timeline"
            onpointerdown={on_down}
            onpointermove={on_move}
        >
            <div class="scrubber__track" ref={track} aria-hidden="true">
                <svg class="scrubber__ticks" viewBox="0 0 1000 10" preserveAspectRatio="none">
                    <path d={(*path).clone()} />
                </svg>
                // The clock moves by transforms, which the browser applies
                // without laying the page out again.
                <div class="scrubber__done" style={format!("transform: scaleX({:.5})", pct(props.now_ms) / 100.0)}></div>
                <FaultMarks marks={props.marks.clone()} />
                <div class="scrubber__at" style={format!("transform: translateX({:.3}%)", pct(props.now_ms))}>
                    <span class="scrubber__thumb"></span>
                </div>
            </div>
        </div>
    }
}

/// Props of [`FaultMarks`].
#[derive(Properties, PartialEq)]
struct FaultMarksProps {
    marks: Shared<Marks>,
}

/// Every fault of the run as a labelled mark on the track: drawn when the
/// run changes, not on every frame the clock moves.
#[component]
fn FaultMarks(props: &FaultMarksProps) -> Html {
    let end = props.marks.end_ms;
    html! {
        <>
            for mark in props.marks.faults.iter() {
                <span
                    class={classes!("scrubber__mark", format!("scrubber__mark--{}", mark.kind), mark.yours.then_some("is-yours"))}
                    style={format!("left: {:.3}%", percent(mark.ms, end))}
                    title={format!("{} · {} {}", ms_text(mark.ms), mark.kind, mark.who)}
                    data-kind={mark.kind}
                ></span>
            }
        </>
    }
}

/// Where `ms` falls on a run that ends at `end`, in percent of the track.
fn percent(ms: u64, end: u64) -> f64 {
    100.0 * ms.min(end) as f64 / end as f64
}

fn ticks(marks: &Marks) -> String {
    let mut d = String::new();
    for ms in &marks.ticks {
        let x = 1000.0 * *ms as f64 / marks.end_ms as f64;
        let _ = write!(d, "M{x:.1} 0v10");
    }
    d
}
