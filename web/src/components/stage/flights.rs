//! Events in flight: one moving chip per trace event that just happened.

use ackscope_engine::view::StageView;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;
use yew::prelude::*;

use super::refs::Shared;
use crate::hooks::use_px_per_unit;
use crate::i18n::use_catalogue;
use crate::layout::StageLayout;
use crate::motion::{Flight, FlightKind};

/// Props of [`Flights`].
#[derive(Properties, PartialEq)]
pub struct FlightsProps {
    /// The world at the cursor.
    pub view: Shared<StageView>,
    /// Where everything is.
    pub layout: Shared<StageLayout>,
    /// The flights, oldest first.
    pub flights: Shared<Vec<Flight>>,
}

/// The flights layer, laid over the stage: one [`FlightChip`] per flight,
/// keyed by its serial, so each is animated exactly once; a landed flight
/// stays, invisible, until newer ones push it out.
#[component]
pub fn Flights(props: &FlightsProps) -> Html {
    let text = use_catalogue();
    let layer = use_node_ref();
    let layout = &props.layout;
    use_px_per_unit(layer.clone(), layout.width);
    // Where a point of the drawing is, in percent of the stage's size.
    let at = |(x, y): (f64, f64)| {
        (
            x * 100.0 / layout.width.max(1.0),
            y * 100.0 / layout.height.max(1.0),
        )
    };
    // Only flights whose both ends are on the stage; resolved before the
    // list is built, so every child is keyed and Yew never re-creates a
    // flight (which would restart its animation).
    let placed = props.flights.iter().filter_map(|flight| {
        let from = layout.point(&props.view, &flight.from)?;
        let to = layout.point(&props.view, &flight.to)?;
        Some((flight, from, to))
    });
    html! {
        <div ref={layer} class="stage__flights" aria-hidden="true">
            for (flight, from, to) in placed {
                <FlightChip key={flight.serial} kind={flight.kind} label={label(flight, text.stage.ack_word)} count={flight.delivery_count.filter(|c| *c > 1)} from={at(from)} to={at(to)} travel_ms={flight.travel_ms} />
            }
        </div>
    }
}

/// Props of [`FlightChip`].
#[derive(Properties, PartialEq)]
pub struct FlightChipProps {
    /// What it shows.
    pub kind: FlightKind,
    /// Its words.
    pub label: AttrValue,
    /// The delivery count it carries, when it is news (above one).
    pub count: Option<u64>,
    /// Start, in percent of the stage's width and height.
    pub from: (f64, f64),
    /// End, in percent of the stage's width and height.
    pub to: (f64, f64),
    /// How long it travels (ms).
    pub travel_ms: u32,
}

/// One chip, animated once when it appears with the Web Animations API:
/// from its start to its end anchor on the stage as drawn. Transform and
/// opacity animations run on the browser's compositor, so a flight costs
/// the page neither script, style, layout nor repaint per frame.
#[component]
pub fn FlightChip(props: &FlightChipProps) -> Html {
    let chip = use_node_ref();
    {
        let (chip, from, to, travel) = (chip.clone(), props.from, props.to, props.travel_ms);
        use_effect_with((), move |_| {
            if let Some(el) = chip.cast::<Element>() {
                fly(&el, from, to, travel);
            }
        });
    }
    html! {
        <div ref={chip} class={classes!("flight", format!("flight--{}", props.kind.slug()))} data-kind={props.kind.slug()}>
            <span class="flight__chip">
                { &props.label }
                if let Some(count) = props.count {
                    <span class="flight__badge">{ format!("×{count}") }</span>
                }
            </span>
        </div>
    }
}

/// Starts `el`'s flight from `from` to `to` (percent of the stage). The
/// element covers the whole stage, so a translation in percent of its own
/// size is one of the stage's: nothing is measured, no layout is forced,
/// and the compositor can run it (it cannot resolve container units).
fn fly(el: &Element, from: (f64, f64), to: (f64, f64), travel_ms: u32) {
    let at = |(x, y): (f64, f64)| format!("translate({x:.3}%, {y:.3}%)");
    let frame = |offset: f64, transform: Option<String>, opacity: f64| {
        let f = Object::new();
        let _ = Reflect::set(&f, &"offset".into(), &offset.into());
        if let Some(t) = transform {
            let _ = Reflect::set(&f, &"transform".into(), &JsValue::from(t));
        }
        let _ = Reflect::set(&f, &"opacity".into(), &opacity.into());
        f
    };
    let frames = Array::of4(
        &frame(0.0, Some(at(from)), 0.0),
        &frame(0.1, None, 1.0),
        &frame(0.86, None, 1.0),
        &frame(1.0, Some(at(to)), 0.0),
    );
    let options = Object::new();
    let _ = Reflect::set(&options, &"duration".into(), &f64::from(travel_ms).into());
    let _ = Reflect::set(
        &options,
        &"easing".into(),
        &"cubic-bezier(0.45, 0, 0.25, 1)".into(),
    );
    let _ = Reflect::set(&options, &"fill".into(), &"both".into());
    // `Element.animate` is stable in every browser but still behind
    // web-sys's unstable-API flag, so it is called through js-sys.
    let animate = Reflect::get(el, &"animate".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(animate) = animate {
        let _ = animate.call2(el, &frames, &options);
    }
}

/// The chip's words: the entry's ID, or for an XACK the command.
fn label(flight: &Flight, ack: &str) -> AttrValue {
    match flight.kind {
        FlightKind::Ack => AttrValue::from(ack.to_owned()),
        _ => AttrValue::from(flight.id.to_text()),
    }
}
