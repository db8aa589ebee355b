//! A lane's broker, drawn small: its stream's length, the group's pending
//! entries, each consumer's share and whether its worker is up.

use ackscope_engine::view::StageView;
use yew::prelude::*;

use crate::components::stage::{status_class, status_word};
use crate::i18n::use_catalogue;
use crate::shared::Shared;
use crate::words::fill;

/// Props of [`BrokerLine`].
#[derive(Properties, PartialEq)]
pub struct BrokerLineProps {
    /// The lane's world at the cursor.
    pub view: Shared<StageView>,
}

/// The stream, the group, and one line per consumer.
#[component]
pub fn BrokerLine(props: &BrokerLineProps) -> Html {
    let text = use_catalogue();
    let t = &text.guarantees_stage;
    let view = &*props.view;
    let workers: Vec<_> = view
        .services
        .iter()
        .flat_map(|s| s.workers.iter())
        .collect();
    html! {
        <div class="mini" data-testid="broker" data-up={view.broker_up.to_string()}>
            if !view.broker_up {
                <p class="mini__down">{ t.broker_down }</p>
            }
            for s in view.streams.iter().filter(|s| !s.dead_letter) {
                <p class="mini__stream" data-key={s.key.clone()} data-length={s.length.to_string()}>
                    { fill(t.stream, &[("key", s.key.clone()), ("n", s.length.to_string())]).plain() }
                </p>
                for g in s.groups.iter() {
                    <p class="mini__group" data-group={g.name.clone()} data-pending={g.pending.to_string()}>
                        { fill(t.group, &[("group", g.name.clone()), ("n", g.pending.to_string())]).plain() }
                    </p>
                    <ul class="mini__consumers">
                        for c in g.consumers.iter() {
                            <li
                                class="mini__consumer"
                                data-consumer={c.name.clone()}
                                data-pending={c.pending_count.to_string()}
                                data-status={c.worker.as_ref().map(|w| status_class(w.status))}
                            >
                                <span class="mini__who">{ fill(t.pending, &[("consumer", c.name.clone()), ("n", c.pending_count.to_string())]).plain() }</span>
                                if let Some(w) = &c.worker {
                                    <span class="mini__status">{ status_word(w.status, &text.stage) }</span>
                                }
                            </li>
                        }
                    </ul>
                }
            }
            // Workers that never joined a group yet.
            if view.streams.iter().all(|s| s.groups.is_empty()) {
                <ul class="mini__consumers">
                    for w in workers {
                        <li class="mini__consumer" data-status={status_class(w.status)}>
                            <span class="mini__who">{ &w.name }</span>
                            <span class="mini__status">{ status_word(w.status, &text.stage) }</span>
                        </li>
                    }
                </ul>
            }
        </div>
    }
}
