//! The simulated-clock bar: Play/Pause, Step back, Step, Reset, Speed, the
//! time, the timeline, and the run's seed and trace fingerprint.

use ackscope_engine::SimDuration;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{Glyph, Icon, Scrubber};
use crate::clock::{Clock, Speed};
use crate::hooks::use_sampled;
use crate::i18n::use_catalogue;
use crate::marks::Marks;
use crate::shared::Shared;
use crate::state::Action;
use crate::words::ms_text;

/// The id of the "No scenario loaded" hint the run buttons point to.
const HINT_ID: &str = "clock-hint";
/// The id of the Speed control, for its label.
const SPEED_ID: &str = "clock-speed";
/// How often the time and the thumb move while the clock plays (ms of
/// wall time).
const SHOWN_MS: f64 = 100.0;

/// What the clock bar says about the run it drives.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFacts {
    /// The run's seed.
    pub seed: u64,
    /// Its trace fingerprint, as the engine prints it.
    pub fingerprint: String,
    /// What the timeline marks (and where the run ends).
    pub marks: Shared<Marks>,
}

/// Props of [`ClockBar`]. The clock itself comes from the page's
/// context (a [`Clock`]), not from these: while it plays it changes on
/// every frame, and a lab that holds the bar among its children would
/// render again with it sixty times a second, for nothing it draws.
#[derive(Properties, PartialEq)]
pub struct ClockBarProps {
    /// Whether there is a run for Play, Step and Reset to drive.
    pub can_run: bool,
    /// Called with what the user asked the clock to do.
    pub on_action: Callback<Action>,
    /// The run, when there is one.
    #[prop_or_default]
    pub run: Option<RunFacts>,
}

/// The controls of simulated time.
///
/// Without a run the buttons stay focusable but are marked
/// `aria-disabled` and described by a visible hint, so that keyboard and
/// screen-reader users find them and learn why they do nothing; the reducer
/// refuses what they send.
#[component]
pub fn ClockBar(props: &ClockBarProps) -> Html {
    let text = use_catalogue();
    let clock = use_context::<Clock>().unwrap_or_default();
    // While playing, the time and the timeline's thumb show the clock as
    // sampled ten times a second, the rate at which the Guarantees and
    // Kafka labs draw their stages: a new text is laid out and a moved
    // thumb restyled, and doing both sixty times a second (milliseconds no
    // one can read) cost a third of every frame's main-thread work in a
    // Chromium trace. Paused, both stand exactly at the clock.
    let shown = *use_sampled(clock.playing, SHOWN_MS, || clock.elapsed());
    html! {
        <div class="clock" role="group" aria-label={text.clock} data-testid="clock">
            <ClockControls
                playing={clock.playing}
                speed={clock.speed}
                can_run={props.can_run}
                on_action={props.on_action.clone()}
            />
            if !props.can_run {
                <p class="clock__hint" id={HINT_ID}>{ text.no_scenario }</p>
            }
            <ClockFace {shown} run={props.run.clone()} on_action={props.on_action.clone()} />
        </div>
    }
}

/// Props of [`ClockFace`].
#[derive(Properties, PartialEq)]
struct ClockFaceProps {
    shown: SimDuration,
    run: Option<RunFacts>,
    on_action: Callback<Action>,
}

/// The time, the timeline and the run's facts: rendered when the shown
/// time moves (ten times a second while playing), not on every frame.
#[component]
fn ClockFace(props: &ClockFaceProps) -> Html {
    let text = use_catalogue();
    let elapsed = props.shown.to_string();
    // The time's box fits the longest time of the run: its end.
    let chars = props
        .run
        .as_ref()
        .map(|run| SimDuration::from_ms(run.marks.end_ms).to_string().len())
        .unwrap_or(0)
        .max(elapsed.len());
    html! {
        <>
            <p class="clock__time">
                <span class="clock__label">{ text.sim_time }</span>
                // The engine formats the number; the UI only places it.
                <span class="clock__value" data-testid="sim-time" style={format!("--chars: {}", chars)}>
                    { elapsed }
                </span>
                if let Some(run) = &props.run {
                    <span class="clock__end">{ "/ " }{ ms_text(run.marks.end_ms) }</span>
                }
            </p>
            if let Some(run) = &props.run {
                <span class="clock__break" aria-hidden="true"></span>
                <Scrubber now_ms={props.shown.as_ms()} marks={run.marks.clone()} on_seek={props.on_action.reform(Action::Seek)} />
                <p class="clock__facts">
                    <span class="clock__label">{ text.run.seed }</span>
                    <span class="clock__fact" data-testid="seed">{ run.seed.to_string() }</span>
                    <span class="clock__label" title={text.run.trace_help}>{ text.run.trace }</span>
                    <span class="clock__fact" data-testid="fingerprint" title={text.run.trace_help}>{ &run.fingerprint }</span>
                </p>
            }
        </>
    }
}

/// Props of [`ClockControls`].
#[derive(Properties, PartialEq)]
struct ClockControlsProps {
    playing: bool,
    speed: Speed,
    can_run: bool,
    on_action: Callback<Action>,
}

/// Play/Pause, Step back, Step, Reset and Speed: a component of their
/// own because the bar renders on every frame while the clock plays, and
/// these change only when the reader presses one.
#[component]
fn ClockControls(props: &ClockControlsProps) -> Html {
    let text = use_catalogue();
    let (play_glyph, play_name) = match props.playing {
        true => (Glyph::Pause, text.pause),
        false => (Glyph::Play, text.play),
    };
    let run_button = |class: &'static str,
                      glyph: Glyph,
                      name: &'static str,
                      keys: &'static str,
                      action: Action| {
        html! {
            <button
                type="button"
                class={classes!("button", class)}
                aria-disabled={(!props.can_run).to_string()}
                aria-describedby={(!props.can_run).then_some(HINT_ID)}
                aria-keyshortcuts={keys}
                onclick={props.on_action.reform(move |_: MouseEvent| action.clone())}
            >
                <Icon {glyph} />
                <span>{ name }</span>
            </button>
        }
    };
    let on_speed = props.on_action.reform(|event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        Action::SetSpeed(Speed::from_label(&select.value()).unwrap_or_default())
    });
    html! {
        <div class="clock__controls">
            { run_button("button--primary clock__play", play_glyph, play_name, "Space", Action::TogglePlay) }
            { run_button("", Glyph::StepBack, text.step_back, "ArrowLeft", Action::StepBack) }
            { run_button("", Glyph::Step, text.step, "ArrowRight", Action::Step) }
            { run_button("", Glyph::Reset, text.reset, "Home", Action::Reset) }
            // A sibling label, not a wrapping one: a wrapping label would
            // add the chosen option to the name ("Speed 1×").
            <div class="clock__speed">
                <label class="clock__label" for={SPEED_ID}>{ text.speed }</label>
                // The wrapper draws the chevron: a <select> cannot.
                <span class="select-wrap">
                    <select class="select" id={SPEED_ID} onchange={on_speed} aria-keyshortcuts="+ -">
                        for speed in Speed::ALL {
                            <option value={speed.label()} selected={speed == props.speed}>
                                { speed.label() }
                            </option>
                        }
                    </select>
                </span>
            </div>
        </div>
    }
}
