//! A Kafka lane's cluster, drawn small: the Kafka lab's parts shrunk to
//! fit a lane stacked with two others. The brokers up or down (the
//! leader's marked), the service's consumers and what they hold, and each
//! partition as one strip of the leader's newest records: solid below the
//! high watermark, dashed above it, the records a consumer polled and has
//! not processed underlined, the HW flagged above the strip and the
//! group's committed offset below it, a transaction's commit and abort
//! markers as C and A. Every number is a field of the engine's
//! [`KafkaGlance`], and rides in `data-*` attributes for the tests.

use ackscope_engine::view::kafka::{BrokerState, BrokerView, KafkaConsumerView};
use ackscope_engine::view::kafka_glance::{ControlMark, KafkaGlance, PartitionStrip, StripRecord};
use yew::prelude::*;

use crate::components::{Said, broker_state, consumer_status};
use crate::i18n::kafka::KafkaWords;
use crate::i18n::{StageText, use_catalogue};
use crate::shared::Shared;
use crate::words::fill;

/// Props of [`KafkaLine`].
#[derive(Properties, PartialEq)]
pub struct KafkaLineProps {
    /// The lane's name.
    pub lane: AttrValue,
    /// The service's cluster at the cursor.
    pub glance: Shared<KafkaGlance>,
}

/// Brokers and consumers on one line, then a strip per partition. Drawn
/// on the frame its sample comes, with the other lanes: drawing the lanes
/// on frames of their own (one a frame, tried on 2026-12-02) made more
/// frames lay out and paint, each at the same fixed cost, and dropped
/// more frames at 2× and 4×, not fewer (docs/performance.md).
#[component]
pub fn KafkaLine(props: &KafkaLineProps) -> Html {
    let text = use_catalogue();
    let k = text.words.kafka;
    let g = &*props.glance;
    html! {
        <div
            class="mini mini--kafka"
            data-testid="broker"
            data-kind="kafka"
            data-lane={props.lane.clone()}
            data-group={g.group.clone()}
            role="group"
            aria-label={fill(k.glance, &[("lane", props.lane.to_string())]).plain()}
        >
            <div class="kline__who">
                <ul class="kline__brokers">
                    for b in g.brokers.iter() {
                        { broker(b, g.partitions.iter().any(|p| p.leader == Some(b.id)), k) }
                    }
                </ul>
                <ul class="kline__consumers">
                    for c in g.consumers.iter() {
                        { consumer(c, k, &text.stage) }
                    }
                </ul>
            </div>
            <div class="kline__partitions">
                for p in g.partitions.iter() {
                    { partition(p, k) }
                }
            </div>
        </div>
    }
}

/// A broker: ● up, ✕ dead, ⌁ cut off; ★ where it leads a partition.
fn broker(b: &BrokerView, leads: bool, k: &KafkaWords) -> Html {
    let (glyph, state) = broker_state(b.state, k);
    html! {
        <li
            class="kline__broker"
            data-testid="mini-broker"
            data-broker={b.id.to_string()}
            data-state={b.state.as_str()}
            data-leader={leads.to_string()}
        >
            <span class="kline__glyph" aria-hidden="true">{ glyph }</span>
            <Said sentence={fill(k.broker, &[("id", b.id.to_string())])} />
            if leads {
                <span class="kline__lead">{ format!("★ {}", k.leader_mark) }</span>
            }
            if b.state != BrokerState::Up {
                <span class="kline__state">{ state }</span>
            }
        </li>
    }
}

/// A consumer: its name and state, what it processes and how many
/// records it polled and has not processed.
fn consumer(c: &KafkaConsumerView, k: &KafkaWords, stage: &StageText) -> Html {
    let status = consumer_status(c.status, k);
    html! {
        <li
            class="kline__consumer"
            data-testid="mini-consumer"
            data-consumer={c.name.clone()}
            data-status={c.status}
            data-queued={c.queued.to_string()}
            data-working={c.working.clone().unwrap_or_default()}
        >
            <span class="kline__name">{ &c.name }</span>
            <span class="kline__status">{ status }</span>
            if c.slow_pct != 100 {
                <span class="kline__slow"><Said sentence={fill(stage.slow_pct, &[("pct", c.slow_pct.to_string())])} /></span>
            }
            if let Some(msg) = &c.working {
                <span class="kline__working"><Said sentence={fill(k.working, &[("msg", msg.clone())])} /></span>
            }
            if c.queued > 0 {
                <span><Said sentence={fill(k.queued, &[("n", c.queued.to_string())])} /></span>
            }
        </li>
    }
}

/// A partition's numbers in words, then its strip.
fn partition(p: &PartitionStrip, k: &KafkaWords) -> Html {
    let isr: Vec<String> = p.isr.iter().map(u32::to_string).collect();
    let leader = match p.leader {
        Some(id) => fill(
            k.leader_epoch,
            &[("id", id.to_string()), ("epoch", p.epoch.to_string())],
        ),
        None => fill(k.no_leader, &[("epoch", p.epoch.to_string())]),
    };
    let committed = match p.committed {
        Some(o) => fill(k.committed_offset, &[("offset", o.to_string())]),
        None => fill(k.no_committed_offset, &[]),
    };
    let opt = |o: Option<u64>| o.map_or_else(String::new, |o| o.to_string());
    html! {
        <div
            class="kline__partition"
            data-testid="mini-partition"
            data-tp={p.tp.clone()}
            data-leader={opt(p.leader.map(u64::from))}
            data-epoch={p.epoch.to_string()}
            data-hw={p.hw.to_string()}
            data-leo={p.leo.to_string()}
            data-read={p.read.to_string()}
            data-committed={opt(p.committed)}
            data-lso={opt(p.lso)}
        >
            <p class="kline__head">
                <span class="kline__tp">{ &p.tp }</span>
                <span><Said sentence={leader} /></span>
                <span><Said sentence={fill(k.isr, &[("isr", format!("[{}]", isr.join(", ")))])} /></span>
                <span><Said sentence={fill(k.hw_leo, &[("hw", p.hw.to_string()), ("leo", p.leo.to_string())])} /></span>
                if p.read {
                    <span class="kline__committed"><Said sentence={committed} /></span>
                }
                if let Some(lso) = p.lso {
                    <span><Said sentence={fill(k.lso_offset, &[("offset", lso.to_string())])} /></span>
                }
            </p>
            <ol class="strip">
                if p.earlier > 0 {
                    <li key="earlier" class="strip__more"><Said sentence={fill(k.earlier, &[("n", p.earlier.to_string())])} /></li>
                }
                for r in p.records.iter() {
                    { record(r, p, k) }
                }
                if p.later > 0 {
                    <li key="later" class="strip__more"><Said sentence={fill(k.later, &[("n", p.later.to_string())])} /></li>
                } else {
                    { next_slot(p, k) }
                }
            </ol>
        </div>
    }
}

/// The flags standing at offset `offset` of strip `p`: the high watermark
/// and the last stable offset above the strip, the group's committed
/// offset below it. Each marks the boundary before that offset.
fn flags(offset: u64, p: &PartitionStrip, k: &KafkaWords) -> Html {
    let lso = p.lso.filter(|lso| *lso != p.hw);
    html! {
        <>
            if offset == p.hw {
                <span class="strip__flag strip__flag--hw" data-flag="hw">{ k.hw_marker }</span>
            }
            if lso == Some(offset) {
                <span class="strip__flag strip__flag--lso" data-flag="lso">{ k.lso_flag }</span>
            }
            if p.committed == Some(offset) {
                if turns_back(offset, p) {
                    <span class="strip__flag strip__flag--group strip__flag--back" data-flag="committed">{ format!("{} ▲", k.committed_flag) }</span>
                } else {
                    <span class="strip__flag strip__flag--group" data-flag="committed">{ format!("▲ {}", k.committed_flag) }</span>
                }
            }
        </>
    }
}

/// How many cells the group's flag ("▲ committed") is wide, about.
const GROUP_FLAG_CELLS: u64 = 3;

/// Whether the group's flag at `offset` reads backwards from its mark
/// ("committed ▲"): on the last cells of a strip whose records reach the
/// log's end, where it would run past the partition's edge and be cut (a
/// partition is painted alone), and only when the cells before it leave
/// it room — a strip that short does not reach the edge anyway. The
/// "earlier" note counts as two cells.
fn turns_back(offset: u64, p: &PartitionStrip) -> bool {
    let first = p.records.first().map_or(p.leo, |r| r.offset);
    let before = offset.saturating_sub(first) + if p.earlier > 0 { 2 } else { 0 };
    p.later == 0 && p.leo.saturating_sub(offset) < GROUP_FLAG_CELLS && before >= GROUP_FLAG_CELLS
}

/// One record: its offset (or C / A for a transaction marker), solid or
/// dashed, underlined while a consumer holds it.
fn record(r: &StripRecord, p: &PartitionStrip, k: &KafkaWords) -> Html {
    let mut title = match r.control {
        Some(ControlMark::Commit) => k.commit_marker.to_owned(),
        Some(ControlMark::Abort) => k.abort_marker.to_owned(),
        None => fill(
            k.record_title,
            &[("offset", r.offset.to_string()), ("msg", r.value.clone())],
        )
        .plain(),
    };
    if r.transactional {
        title = format!("{title} · {}", k.transactional);
    }
    if r.aborted {
        title = format!("{title} · {}", k.aborted);
    }
    if let Some(who) = &r.held_by {
        let held = if r.working { k.worked_by } else { k.held_by };
        title = format!(
            "{title} · {}",
            fill(held, &[("consumer", who.clone())]).plain()
        );
    }
    let label = match r.control {
        Some(ControlMark::Commit) => k.commit_glyph.to_owned(),
        Some(ControlMark::Abort) => k.abort_glyph.to_owned(),
        None => r.offset.to_string(),
    };
    html! {
        // Keyed by offset: as records arrive the window slides, and a
        // cell keeps its element (and its attributes) while it is shown.
        <li
            key={r.offset}
            class={classes!(
                "strip__cell",
                (!r.committed).then_some("strip__cell--open"),
                r.held_by.is_some().then_some("strip__cell--held"),
                r.working.then_some("strip__cell--working"),
                r.transactional.then_some("strip__cell--txn"),
                r.aborted.then_some("strip__cell--aborted"),
                r.control.map(|c| format!("strip__cell--{}", c.slug())),
            )}
            data-offset={r.offset.to_string()}
            data-msg={r.value.clone()}
            data-committed={r.committed.to_string()}
            data-held-by={r.held_by.clone()}
            data-control={r.control.map(ControlMark::slug)}
            data-transactional={r.transactional.to_string()}
            data-aborted={r.aborted.to_string()}
            title={title}
        >
            <span class="strip__label">{ label }</span>
            { flags(r.offset, p, k) }
        </li>
    }
}

/// The empty slot at the log end offset, where the next record goes: the
/// flags that stand at the end (everything committed, everything read)
/// stand on it.
fn next_slot(p: &PartitionStrip, k: &KafkaWords) -> Html {
    html! {
        <li
            key="next"
            class="strip__cell strip__cell--next"
            data-offset={p.leo.to_string()}
            title={fill(k.next_offset, &[("offset", p.leo.to_string())]).plain()}
        >
            <span class="strip__label" aria-hidden="true">{ "+" }</span>
            { flags(p.leo, p, k) }
        </li>
    }
}

/// Props of [`StripKey`].
#[derive(Properties, PartialEq)]
pub struct StripKeyProps {
    /// Whether some lane writes transactions (their cells and markers
    /// join the key).
    pub transactions: bool,
}

/// What the strips' cells and flags mean, once above the lanes.
#[component]
pub fn StripKey(props: &StripKeyProps) -> Html {
    let k = use_catalogue().words.kafka;
    html! {
        <ul class="strip-key" aria-label={k.key}>
            <li><span class="strip__cell strip__cell--key" aria-hidden="true"></span>{ k.key_committed }</li>
            <li><span class="strip__cell strip__cell--key strip__cell--open" aria-hidden="true"></span>{ k.key_open }</li>
            <li><span class="strip__cell strip__cell--key strip__cell--held" aria-hidden="true"></span>{ k.key_held }</li>
            <li><span class="strip-key__flag" aria-hidden="true">{ "▲" }</span>{ k.key_group }</li>
            if props.transactions {
                <li><span class="strip__cell strip__cell--key strip__cell--txn" aria-hidden="true"></span>{ k.transactional }</li>
                <li><span class="strip__cell strip__cell--key strip__cell--txn strip__cell--aborted" aria-hidden="true">{ "0" }</span>{ k.key_aborted }</li>
                <li>
                    <span class="strip__cell strip__cell--key strip__cell--commit" aria-hidden="true">{ k.commit_glyph }</span>
                    <span class="strip__cell strip__cell--key strip__cell--abort" aria-hidden="true">{ k.abort_glyph }</span>
                    { k.key_markers }
                </li>
                <li><span class="strip-key__flag strip-key__flag--lso" aria-hidden="true">{ k.lso_flag }</span>{ k.key_lso }</li>
            }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A strip of `offsets`, `earlier` records before them, the log's
    /// end right after the last, and the group's committed offset.
    fn strip(offsets: core::ops::Range<u64>, earlier: u64, committed: u64) -> PartitionStrip {
        PartitionStrip {
            tp: "orders-0".into(),
            leader: Some(1),
            epoch: 0,
            isr: vec![1, 2, 3],
            hw: offsets.end,
            leo: offsets.end,
            lso: None,
            read: true,
            committed: Some(committed),
            earlier,
            later: 0,
            records: offsets
                .map(|offset| StripRecord {
                    offset,
                    value: format!("order-{offset}"),
                    committed: true,
                    held_by: None,
                    working: false,
                    transactional: false,
                    aborted: false,
                    control: None,
                })
                .collect(),
        }
    }

    #[test]
    fn the_group_flag_reads_back_only_at_the_end_of_a_long_strip() {
        // The run's end: everything committed, the flag on the next slot.
        let full = strip(16..30, 16, 30);
        assert!(turns_back(30, &full));
        assert!(turns_back(28, &full));
        assert!(!turns_back(27, &full), "three cells of room after it");
        assert!(!turns_back(20, &full));
        // A short strip leaves the partition's edge far away.
        let short = strip(0..2, 0, 2);
        assert!(!turns_back(2, &short));
        // The "earlier" note is room too.
        assert!(turns_back(2, &strip(1..2, 1, 2)));
        // Records beyond the window: the note after them is room.
        let behind = PartitionStrip {
            later: 5,
            ..strip(16..30, 16, 29)
        };
        assert!(!turns_back(29, &behind));
    }
}
