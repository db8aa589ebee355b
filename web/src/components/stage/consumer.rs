//! A consumer of a group: its worker's state and its pending entries.

use ackscope_engine::view::{ConsumerView, WorkerStatus};
use yew::prelude::*;

use super::pending::{PendingRow, tenths};
use super::refs::{Pick, fit, n};
use crate::i18n::{StageText, use_catalogue};
use crate::layout::{CARD_HEAD_H, Card, MORE_H, ROW_H};
use crate::motion::Anchor;
use crate::state::Selection;
use crate::words::fill;

/// Props of [`ConsumerCard`].
#[derive(Properties, PartialEq)]
pub struct ConsumerCardProps {
    /// The stream's key.
    pub stream: String,
    /// The group's name.
    pub group: String,
    /// The consumer, as the engine reports it.
    pub consumer: ConsumerView,
    /// Where its card is and how many rows it shows.
    pub card: Card,
    /// The idle time a full bar stands for.
    pub idle_full_ms: u64,
    /// The claim threshold marked on each bar, if any worker claims.
    pub idle_mark_ms: Option<u64>,
    /// Selection.
    pub pick: Pick,
}

/// A consumer's card. A crashed consumer is greyed, hatched and says
/// "crashed" — and still holds its pending entries, as Redis does.
#[component]
pub fn ConsumerCard(props: &ConsumerCardProps) -> Html {
    let text = use_catalogue();
    let c = &props.consumer;
    let r = props.card.rect;
    let status = c.worker.as_ref().map_or(WorkerStatus::Up, |w| w.status);
    let selection = Selection::Consumer {
        key: props.stream.clone(),
        group: props.group.clone(),
        consumer: c.name.clone(),
    };
    let selected = props.pick.is(&selection);
    let (on_click, on_key) = props.pick.handlers(selection);
    let label = fill(
        text.stage.consumer_label,
        &[
            ("consumer", c.name.clone()),
            ("status", status_line(c, status, &text.stage)),
            ("n", c.pending_count.to_string()),
        ],
    )
    .plain();
    let rows_y = r.y + CARD_HEAD_H;
    let holder = Anchor::Consumer(props.stream.clone(), props.group.clone(), c.name.clone());
    html! {
        <g
            class={classes!("consumer", status_class(status), selected.then_some("is-selected"))}
            data-testid="consumer"
            data-key={props.stream.clone()}
            data-group={props.group.clone()}
            data-consumer={c.name.clone()}
            data-pending={c.pending_count.to_string()}
            data-status={status_class(status)}
            role="button"
            tabindex="0"
            aria-label={label}
            aria-pressed={selected.to_string()}
            onclick={on_click}
            onkeydown={on_key}
        >
            <rect class="consumer__box" x={n(r.x)} y={n(r.y)} width={n(r.w)} height={n(r.h)} rx="10" />
            if status == WorkerStatus::Crashed {
                <rect class="consumer__hatch" x={n(r.x)} y={n(r.y)} width={n(r.w)} height={n(r.h)} rx="10" fill="url(#hatch)" />
            }
            <text class="consumer__name" x={n(r.x + 12.0)} y={n(r.y + 23.0)}>{ fit(&c.name, r.w * 0.45 - 12.0, 16.0) }</text>
            <text class="consumer__status" x={n(r.x + r.w - 12.0)} y={n(r.y + 23.0)} text-anchor="end">{ fit(&status_line(c, status, &text.stage), r.w * 0.55 - 16.0, 12.5) }</text>
            <text class="consumer__doing" x={n(r.x + 12.0)} y={n(r.y + 42.0)}>{ fit(&doing_line(c, &text.stage), r.w - 24.0, 12.5) }</text>
            <text class="consumer__pending" x={n(r.x + 12.0)} y={n(r.y + 60.0)}>
                // XINFO CONSUMERS's field name, never translated.
                { "pending " }<tspan class="consumer__count">{ c.pending_count.to_string() }</tspan>
            </text>
            if c.pending.is_empty() {
                <text class="consumer__none" x={n(r.x + 12.0)} y={n(rows_y + 17.0)}>{ text.stage.none_pending }</text>
            }
            for (i, p) in c.pending.iter().take(props.card.rows).enumerate() {
                <PendingRow key={p.id.to_text()} pending={p.clone()} holder={holder.clone()} x={r.x} y={rows_y + i as f64 * ROW_H} w={r.w} full_ms={props.idle_full_ms} mark_ms={props.idle_mark_ms} />
            }
            if props.card.more {
                <text class="consumer__more" x={n(r.x + 12.0)} y={n(rows_y + props.card.rows as f64 * ROW_H + MORE_H - 4.0)}>
                    { fill(text.stage.in_all, &[("n", c.pending_count.to_string())]).plain() }
                </text>
            }
        </g>
    }
}

/// A worker's condition in words ("● running", "✕ crashed"…).
pub fn status_word(status: WorkerStatus, t: &StageText) -> &'static str {
    match status {
        WorkerStatus::Up => t.up,
        WorkerStatus::Crashed => t.crashed,
        WorkerStatus::NetworkDown => t.network_down,
        WorkerStatus::NotStarted => t.not_started,
        WorkerStatus::Stopped => t.stopped,
    }
}

/// The worker's state as `data-status` carries it, for styles and tests.
pub fn status_class(status: WorkerStatus) -> &'static str {
    match status {
        WorkerStatus::Up => "up",
        WorkerStatus::Crashed => "crashed",
        WorkerStatus::NetworkDown => "network-down",
        WorkerStatus::NotStarted => "not-started",
        WorkerStatus::Stopped => "stopped",
    }
}

/// "● running", "✕ crashed"… with the slowdown, if any. A consumer that
/// no worker of the scenario drives (a script's or the console's) says
/// only how long it has been idle, as XINFO CONSUMERS does.
fn status_line(c: &ConsumerView, status: WorkerStatus, t: &StageText) -> String {
    let Some(worker) = &c.worker else {
        return format!("{} {}", t.client, tenths(c.idle_ms));
    };
    let word = status_word(status, t);
    match worker.slow_pct {
        100 => word.to_owned(),
        pct => format!(
            "{word} · {}",
            fill(t.slow_pct, &[("pct", pct.to_string())]).plain()
        ),
    }
}

fn doing_line(c: &ConsumerView, t: &StageText) -> String {
    match c.worker.as_ref().and_then(|w| w.processing.as_ref()) {
        Some((msg, _)) => fill(t.processing, &[("msg", msg.clone())]).plain(),
        None => String::new(),
    }
}
