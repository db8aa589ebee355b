//! The inspector: what is selected on the stage, as Redis reports it, and
//! for an entry, its life so far in words.

use ackscope_engine::SimTime;
use web_sys::{Element, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

use super::{CliExchange, Said};
use crate::hooks::use_sampled;
use crate::i18n::{Catalogue, use_catalogue};
use crate::run::Run;
use crate::state::Selection;
use crate::words::{Sentence, describe, fill, time_text};

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

/// What the inspector shows about a selection at one moment.
#[derive(Clone, PartialEq)]
struct Report {
    heading: Sentence,
    /// Each command and the engine's reply.
    exchanges: Vec<(String, String)>,
    /// For an entry: its events so far, in words.
    story: Option<Vec<(SimTime, Sentence)>>,
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

/// The engine's answers about `selection` at the cursor.
fn report(run: &Run, selection: &Selection, text: &Catalogue) -> Report {
    let world = run.world();
    let heading = match selection {
        Selection::Entry { key, id } => fill(
            text.panels.entry_title,
            &[("id", id.to_text()), ("key", key.clone())],
        ),
        Selection::Group { key, group } => fill(
            text.panels.group_title,
            &[("group", group.clone()), ("key", key.clone())],
        ),
        Selection::Consumer {
            group, consumer, ..
        } => fill(
            text.panels.consumer_title,
            &[("consumer", consumer.clone()), ("group", group.clone())],
        ),
    };
    let exchanges = queries(selection)
        .into_iter()
        .map(|line| {
            let reply = world.query(&line);
            (line, reply)
        })
        .collect();
    let story = match selection {
        Selection::Entry { key, id } => Some(
            world
                .entry_story(run.applied(), key.as_bytes(), *id)
                .into_iter()
                .filter_map(|e| Some((e.at, describe(e, &world, &text.words)?)))
                .collect(),
        ),
        _ => None,
    };
    Report {
        heading,
        exchanges,
        story,
    }
}

/// The commands that show `selection` as Redis reports it.
fn queries(selection: &Selection) -> Vec<String> {
    match selection {
        Selection::Entry { key, id } => vec![format!("XRANGE {} {id} {id}", quote(key))],
        Selection::Group { key, group } => vec![
            format!("XINFO GROUPS {}", quote(key)),
            format!("XPENDING {} {}", quote(key), quote(group)),
        ],
        Selection::Consumer {
            key,
            group,
            consumer,
        } => vec![
            format!("XINFO CONSUMERS {} {}", quote(key), quote(group)),
            format!(
                "XPENDING {} {} - + 10 {}",
                quote(key),
                quote(group),
                quote(consumer)
            ),
        ],
    }
}

/// `arg` as one redis-cli argument: bare when it is plain, else in double
/// quotes with `"` and `\` escaped.
pub fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || "-_:.@/*+$".contains(c));
    match plain {
        true => arg.to_owned(),
        false => format!("\"{}\"", arg.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_only_when_needed() {
        assert_eq!(quote("payments:dead"), "payments:dead");
        assert_eq!(quote("my stream"), "\"my stream\"");
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn queries_answer_as_redis_at_the_cursor() {
        let mut run = Run::builtin("seed-offset-vs-pending", 2, Vec::new()).unwrap();
        run.move_to(run.cursor_at(14_000));
        let group = Selection::Group {
            key: "mybook".into(),
            group: "readers".into(),
        };
        let reply = run.world().query(&queries(&group)[0]);
        assert!(reply.contains("\"1700000003000-0\""), "{reply}");
        assert!(reply.contains("(integer) 2"), "{reply}");
    }
}
