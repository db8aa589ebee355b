//! The console: a redis-cli prompt on the simulated server, under the stage.

use ackscope_engine::sim::{SimEvent, What};
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use super::{CliExchange, cli::PROMPT};
use crate::history::History;
use crate::hooks::use_sampled;
use crate::i18n::use_catalogue;
use crate::link::MAX_LINE;
use crate::run::Run;

/// Exchanges the transcript keeps.
const KEPT: usize = 40;
/// While playing, how often the transcript is redrawn (wall-clock ms).
const SAMPLE_MS: f64 = 250.0;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The run, at the cursor.
    pub run: Run,
    /// Whether the clock is playing (the transcript is then redrawn a few
    /// times a second, not every frame).
    pub playing: bool,
    /// Called with a command line to run at the current time.
    pub on_run: Callback<String>,
}

/// A redis-cli console. What it runs joins the run at the current
/// simulated time, animates like the scenario's own commands, and is kept
/// in the share link; its transcript shows every command up to the cursor,
/// the scenario's scripted ones included, with replies as redis-cli prints
/// them. ↑ and ↓ recall earlier lines.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let text = use_catalogue();
    let input = use_node_ref();
    let history = use_mut_ref(History::default);
    let transcript = use_node_ref();
    let on_key = {
        let (input, history, on_run) = (input.clone(), history.clone(), props.on_run.clone());
        Callback::from(move |event: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let recalled = match event.key().as_str() {
                "Enter" => {
                    let line = field.value();
                    history.borrow_mut().push(&line);
                    field.set_value("");
                    on_run.emit(line);
                    None
                }
                "ArrowUp" => history
                    .borrow_mut()
                    .older(&field.value())
                    .map(str::to_owned),
                "ArrowDown" => history.borrow_mut().newer().map(str::to_owned),
                _ => return,
            };
            event.prevent_default();
            if let Some(line) = recalled {
                field.set_value(&line);
            }
        })
    };
    let every = use_memo(props.run.id(), |_| every_command(&props.run));
    let exchanges = use_sampled(props.playing, SAMPLE_MS, || {
        commands(&every, props.run.applied().len())
    });
    {
        // Keep the newest exchange in view, as a terminal does.
        let transcript = transcript.clone();
        use_effect_with(exchanges.len(), move |_| {
            if let Some(el) = transcript.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="panel console" aria-labelledby="console-title" data-testid="console">
            <h3 class="panel__title" id="console-title">{ text.panels.console }</h3>
            <p class="panel__hint">{ text.panels.console_help }</p>
            <div class="cli cli--console" ref={transcript} data-testid="transcript">
                for (client, line, reply) in exchanges.iter() {
                    <CliExchange client={Some(AttrValue::from(client.clone()))} line={line.clone()} reply={reply.clone()} />
                }
            </div>
            <div class="console__input">
                <label class="console__prompt" for="console-line">{ PROMPT }</label>
                <input
                    id="console-line"
                    ref={input}
                    class="console__field"
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    maxlength={MAX_LINE.to_string()}
                    placeholder={text.panels.console_placeholder}
                    aria-label={text.panels.console_label}
                    data-testid="console-input"
                    onkeydown={on_key}
                />
            </div>
        </section>
    }
}

/// One command and its reply, as (client, line, reply).
type Exchange = (String, String, String);

/// Every command of the run, with the index of its event in the trace:
/// found once per run (a run may hold none, and reading every event the
/// cursor passed, a few times a second, to find them cost more than the
/// transcript).
fn every_command(run: &Run) -> Vec<(usize, Exchange)> {
    run.timeline()
        .events()
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match &*e.what {
            What::Sim(SimEvent::Command(c)) => Some((
                i,
                (
                    String::from_utf8_lossy(&c.name).into_owned(),
                    c.line.clone(),
                    c.reply.clone(),
                ),
            )),
            _ => None,
        })
        .collect()
}

/// The commands up to the cursor (those of the `applied` first events of
/// the trace), the last [`KEPT`] of them.
fn commands(every: &[(usize, Exchange)], applied: usize) -> Vec<Exchange> {
    let end = every.partition_point(|(i, _)| *i < applied);
    every[end.saturating_sub(KEPT)..end]
        .iter()
        .map(|(_, exchange)| exchange.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(n: usize) -> Exchange {
        (format!("c{n}"), format!("PING {n}"), "PONG".to_owned())
    }

    #[test]
    fn the_transcript_holds_the_last_commands_the_cursor_passed() {
        // A command every other event.
        let every: Vec<(usize, Exchange)> = (0..50).map(|n| (2 * n, exchange(n))).collect();
        assert!(commands(&every, 0).is_empty());
        assert_eq!(commands(&every, 1), vec![exchange(0)]);
        assert_eq!(commands(&every, 11).len(), 6);
        let all = commands(&every, 1000);
        assert_eq!(all.len(), KEPT);
        assert_eq!(all.first(), Some(&exchange(50 - KEPT)));
        assert_eq!(all.last(), Some(&exchange(49)));
    }
}
