//! The event log: what just happened, in words, newest first.

use yew::prelude::*;

use super::Said;
use crate::i18n::use_catalogue;
use crate::run::Run;
use crate::words::{describe, time_text};

/// How many events the log shows: enough to follow the last few steps,
/// few enough that building it never costs a frame.
const SHOWN: usize = 30;

/// Props of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The run, at the cursor.
    pub run: Run,
}

/// The log of the last events before the cursor. It is an ARIA log, so
/// screen readers announce new events politely as the clock passes them.
#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let text = use_catalogue();
    let world = props.run.world();
    let said: Vec<_> = props
        .run
        .applied()
        .iter()
        .rev()
        .filter_map(|e| Some((e.at, e.action, describe(e, &world, &text.words)?)))
        .take(SHOWN)
        .collect();
    html! {
        <section class="panel log" aria-labelledby="log-title">
            <h3 class="panel__title" id="log-title">{ text.panels.log }</h3>
            if said.is_empty() {
                <p class="panel__hint">{ text.panels.log_empty }</p>
            }
            <ol class="log__list" role="log" aria-live="polite" aria-relevant="additions" data-testid="event-log">
                for (at, action, sentence) in said {
                    <li class="log__item" key={format!("{action}-{}", sentence.plain())}>
                        <span class="log__time">{ time_text(at) }</span>
                        <span class="log__text"><Said {sentence} /></span>
                    </li>
                }
            </ol>
        </section>
    }
}
