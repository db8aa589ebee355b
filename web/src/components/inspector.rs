//! The inspector: what is selected on the stage, as Redis reports it, and
//! for an entry, its life so far in words.

use web_sys::{Element, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

use super::{CliExchange, Said};
use crate::hooks::use_sampled;
use crate::i18n::use_catalogue;
use crate::report::{Report, report};
use crate::run::Run;
use crate::state::Selection;
use crate::words::time_text;

/// Props of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The run, at the cursor.
    pub run: Run,
    /// What to show.
    pub selection: Option<Selection>,
    /// Whether the clock is playing (the replies are then asked for a few
    /// times a second, not every frame).
    pub playing: bool,
    /// Called to clear the selection.
    pub on_close: Callback<()>,
}

/// While playing, how often the replies are asked for again (ms).
const SAMPLE_MS: f64 = 250.0;

/// The inspector. Its replies are the engine's answers to real commands
/// (XRANGE, XINFO, XPENDING) run on a copy of the world at the cursor, so
/// they are what `redis-cli` would print at that moment.
#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let text = use_catalogue();
    let panel = use_node_ref();
    {
        // A pick on the stage brings the inspector into view (beside a
        // small stage the panels scroll).
        let panel = panel.clone();
        use_effect_with(props.selection.clone(), move |selection| {
            if let (Some(_), Some(el)) = (selection, panel.cast::<Element>()) {
                let options = ScrollIntoViewOptions::new();
                options.set_block(ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    let report = use_sampled(props.playing, SAMPLE_MS, || {
        props
            .selection
            .as_ref()
            .map(|s| report(&props.run, s, text))
    });
    html! {
        <div ref={panel} class="inspector__wrap">
            if let Some(report) = report.0.as_ref().clone() {
                <ReportView {report} on_close={props.on_close.clone()} />
            } else {
                <section class="panel inspector" aria-labelledby="inspector-title" data-testid="inspector">
                    <h3 class="panel__title" id="inspector-title">{ text.panels.inspector }</h3>
                    <p class="panel__hint">{ text.panels.inspector_hint }</p>
                </section>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ReportViewProps {
    report: Report,
    on_close: Callback<()>,
}

/// The report: it renders only when a new sample differs from the last.
#[component]
fn ReportView(props: &ReportViewProps) -> Html {
    let text = use_catalogue();
    let report = &props.report;
    html! {
        <section class="panel inspector" aria-labelledby="inspector-title" data-testid="inspector">
            <div class="panel__head">
                <h3 class="panel__title" id="inspector-title"><Said sentence={report.heading.clone()} /></h3>
                <button type="button" class="button button--quiet" onclick={props.on_close.reform(|_| ())}>
                    { text.panels.close }
                </button>
            </div>
            <div class="cli cli--inspector">
                for (line, reply) in report.exchanges.iter() {
                    <CliExchange line={line.clone()} reply={reply.clone()} />
                }
            </div>
            if let Some(story) = &report.story {
                <h4 class="panel__subtitle">{ text.panels.story }</h4>
                if story.is_empty() {
                    <p class="panel__hint">{ text.panels.story_empty }</p>
                }
                <ol class="story" data-testid="story">
                    for (at, sentence) in story.iter() {
                        <li class="story__item">
                            <span class="story__time">{ time_text(*at) }</span>
                            <span class="story__text"><Said sentence={sentence.clone()} /></span>
                        </li>
                    }
                </ol>
            }
        </section>
    }
}
