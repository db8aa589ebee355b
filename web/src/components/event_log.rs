//! The event log: what just happened, in words, newest first.

use ackscope_engine::SimTime;
use yew::prelude::*;

use super::Said;
use crate::hooks::use_sampled;
use crate::i18n::use_catalogue;
use crate::run::Run;
use crate::shared::Shared;
use crate::words::{Sentence, describe, time_text};

/// How many events the log shows: enough to follow the last few steps,
/// few enough that building it never costs a frame.
const SHOWN: usize = 15;
/// While playing, how often the log is redrawn (wall-clock ms).
const SAMPLE_MS: f64 = 400.0;

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The run, at the cursor.
    pub run: Run,
    /// Whether the clock is playing (the log is then redrawn a few times a
    /// second, not every frame).
    pub playing: bool,
}

/// The log of the last events before the cursor. It is an ARIA log, so
/// screen readers announce new events politely as the clock passes them.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let text = use_catalogue();
    let lines = use_sampled(props.playing, SAMPLE_MS, || {
        let world = props.run.world();
        props
            .run
            .applied()
            .iter()
            .rev()
            .filter_map(|e| Some((e.at, e.action, describe(&e, &world, &text.words)?)))
            .take(SHOWN)
            .collect::<Vec<Line>>()
    });
    html! {
        <section class="panel log" aria-labelledby="log-title">
            <h3 class="panel__title" id="log-title">{ text.panels.log }</h3>
            if lines.is_empty() {
                <p class="panel__hint">{ text.panels.log_empty }</p>
            }
            <LogLines {lines} />
        </section>
    }
}

/// One logged event: when, which action, and what happened.
type Line = (SimTime, u32, Sentence);

#[derive(Properties, PartialEq)]
struct LogLinesProps {
    lines: Shared<Vec<Line>>,
}

/// The list itself: it renders only when a new sample arrives.
#[component]
fn LogLines(props: &LogLinesProps) -> Html {
    html! {
        <ol class="log__list" role="log" aria-live="polite" aria-relevant="additions" data-testid="event-log">
            for (at, action, sentence) in props.lines.iter() {
                <li class="log__item" key={format!("{action}-{}", sentence.plain())}>
                    <span class="log__time">{ time_text(*at) }</span>
                    <span class="log__text"><Said sentence={sentence.clone()} /></span>
                </li>
            }
        </ol>
    }
}
