//! The simulated-clock bar: Play/Pause, Step, Reset, Speed and the time.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{Glyph, Icon};
use crate::clock::{Clock, Speed};
use crate::i18n::use_catalogue;
use crate::state::Action;

/// The id of the "No scenario loaded" hint the run buttons point to.
const HINT_ID: &str = "clock-hint";
/// The id of the Speed control, for its label.
const SPEED_ID: &str = "clock-speed";

/// Props of [`ClockBar`].
#[derive(Properties, PartialEq)]
pub struct ClockBarProps {
    /// What to show.
    pub clock: Clock,
    /// Whether there is a scenario for Play, Step and Reset to run.
    pub can_run: bool,
    /// Called with what the user asked the clock to do.
    pub on_action: Callback<Action>,
}

/// The controls of simulated time.
///
/// Without a scenario the run buttons stay focusable but are marked
/// `aria-disabled` and described by a visible hint, so that keyboard and
/// screen-reader users find them and learn why they do nothing; the reducer
/// refuses what they send.
#[component]
pub fn ClockBar(props: &ClockBarProps) -> Html {
    let text = use_catalogue();
    let (play_glyph, play_name) = match props.clock.playing {
        true => (Glyph::Pause, text.pause),
        false => (Glyph::Play, text.play),
    };
    let run_button = |class: &'static str, glyph: Glyph, name: &'static str, action: Action| {
        html! {
            <button
                type="button"
                class={classes!("button", class)}
                aria-disabled={(!props.can_run).to_string()}
                aria-describedby={(!props.can_run).then_some(HINT_ID)}
                onclick={props.on_action.reform(move |_: MouseEvent| action)}
            >
                <Icon {glyph} />
                <span>{ name }</span>
            </button>
        }
    };
    let on_speed = {
        let on_action = props.on_action.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            if let Some(speed) = Speed::from_label(&select.value()) {
                on_action.emit(Action::SetSpeed(speed));
            }
        })
    };
    html! {
        <div class="clock" role="group" aria-label={text.clock} data-testid="clock">
            <div class="clock__controls">
                { run_button("button--primary clock__play", play_glyph, play_name, Action::TogglePlay) }
                { run_button("", Glyph::Step, text.step, Action::Step) }
                { run_button("", Glyph::Reset, text.reset, Action::Reset) }
                // A sibling label, not a wrapping one: a wrapping label would
                // add the chosen option to the name ("Speed 1×").
                <div class="clock__speed">
                    <label class="clock__label" for={SPEED_ID}>{ text.speed }</label>
                    // The wrapper draws the chevron: a <select> cannot.
                    <span class="select-wrap">
                        <select class="select" id={SPEED_ID} onchange={on_speed}>
                            for speed in Speed::ALL {
                                <option value={speed.label()} selected={speed == props.clock.speed}>
                                    { speed.label() }
                                </option>
                            }
                        </select>
                    </span>
                </div>
            </div>
            if !props.can_run {
                <p class="clock__hint" id={HINT_ID}>{ text.no_scenario }</p>
            }
            <p class="clock__time">
                <span class="clock__label">{ text.sim_time }</span>
                // The engine formats the number; the UI only places it.
                <span class="clock__value" data-testid="sim-time">
                    { props.clock.elapsed().to_string() }
                </span>
            </p>
        </div>
    }
}
