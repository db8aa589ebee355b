//! The trace in words: one sentence per event, for the event log, an
//! entry's life story and screen readers.
//!
//! The sentence's words come from the catalogue of the page's language;
//! every name and number in it comes from the event itself (or, for a
//! message's or a connection's name, from the engine's world).

use ackscope_engine::redis::event::{End, TxAbort, UnblockReason};
use ackscope_engine::redis::{ClientId, Event};
use ackscope_engine::sim::actor::Worker;
use ackscope_engine::sim::actor::worker::Kind;
use ackscope_engine::sim::{EventRef, SimEvent, What, World};
use ackscope_engine::{SimDuration, SimTime};

use crate::i18n::Words;

/// A piece of a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Catalogue words; `` `term` `` marks a literal Redis term.
    Words(&'static str),
    /// A name, ID or number from the engine, shown as written.
    Value(String),
}

/// One sentence, in pieces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentence(pub Vec<Piece>);

impl Sentence {
    /// The sentence as plain text (for tests and titles).
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|piece| match piece {
                Piece::Words(words) => words.replace('`', ""),
                Piece::Value(value) => value.clone(),
            })
            .collect()
    }
}

/// Fills `template`'s `{name}` holes with `values`. A hole without a
/// value stays as written, so a catalogue typo shows instead of vanishing.
pub fn fill(template: &'static str, values: &[(&str, String)]) -> Sentence {
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        let Some((_, value)) = values.iter().find(|(n, _)| *n == name) else {
            pieces.push(Piece::Words(&rest[..=close]));
            rest = &rest[close + 1..];
            continue;
        };
        if open > 0 {
            pieces.push(Piece::Words(&rest[..open]));
        }
        pieces.push(Piece::Value(value.clone()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Words(rest));
    }
    Sentence(pieces)
}

/// Simulated time since the start, as the clock prints it.
pub fn time_text(at: SimTime) -> String {
    at.since_start().to_string()
}

/// A duration in milliseconds, as the clock prints it.
pub fn ms_text(ms: u64) -> String {
    SimDuration::from_ms(ms).to_string()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn client_name(world: &World, client: ClientId) -> String {
    world
        .server()
        .and_then(|s| s.client_name(client))
        .map_or_else(|| format!("#{}", client.0), text)
}

/// `event` in words, or `None` for bookkeeping a reader need not follow
/// (a client starting or ending a wait).
pub fn describe(event: &EventRef<'_>, world: &World, w: &Words) -> Option<Sentence> {
    match &*event.what {
        What::Redis(broker) => broker_words(broker, event.at, world, w),
        What::Sim(actor) => actor_words(actor, world, w),
        What::Kafka(k) => crate::kafka_words::describe(k, world, w),
    }
}

fn broker_words(event: &Event, at: SimTime, world: &World, w: &Words) -> Option<Sentence> {
    let s = |t: &[u8]| text(t);
    Some(match event {
        Event::EntryAdded {
            key, id, fields, ..
        } => match fields.iter().find(|(f, _)| f == b"msg") {
            Some((_, msg)) => fill(
                w.added_msg,
                &[("id", id.to_text()), ("key", s(key)), ("msg", s(msg))],
            ),
            None => fill(w.added, &[("id", id.to_text()), ("key", s(key))]),
        },
        Event::EntryDelivered {
            group,
            consumer,
            id,
            delivery_count,
            new,
            noack,
            ..
        } => {
            let template = match (new, noack) {
                (_, true) => w.delivered_noack,
                (true, false) => w.delivered,
                (false, false) => w.redelivered,
            };
            let values = [
                ("id", id.to_text()),
                ("group", s(group)),
                ("consumer", s(consumer)),
                ("n", delivery_count.to_string()),
            ];
            fill(template, &values)
        }
        Event::EntryAcked {
            key, consumer, id, ..
        } => fill(
            w.acked,
            &[
                ("id", id.to_text()),
                ("consumer", s(consumer)),
                ("key", s(key)),
            ],
        ),
        Event::EntryClaimed(c) => fill(
            w.claimed,
            &[
                ("id", c.id.to_text()),
                ("from", s(&c.from)),
                ("to", s(&c.to)),
                ("n", c.delivery_count.to_string()),
            ],
        ),
        Event::PendingDropped {
            key, consumer, id, ..
        } => fill(
            w.pending_dropped,
            &[
                ("id", id.to_text()),
                ("key", s(key)),
                ("consumer", s(consumer)),
            ],
        ),
        Event::GroupCreated {
            key,
            group,
            last_id,
        } => fill(
            w.group_created,
            &[
                ("group", s(group)),
                ("key", s(key)),
                ("id", last_id.to_text()),
            ],
        ),
        Event::GroupDestroyed { key, group } => {
            fill(w.group_destroyed, &[("group", s(group)), ("key", s(key))])
        }
        Event::GroupCursorSet {
            group, from, to, ..
        } => fill(
            w.cursor_set,
            &[
                ("group", s(group)),
                ("from", from.to_text()),
                ("to", to.to_text()),
            ],
        ),
        Event::ConsumerCreated {
            group, consumer, ..
        } => fill(
            w.consumer_created,
            &[("consumer", s(consumer)), ("group", s(group))],
        ),
        Event::ConsumerDeleted {
            group,
            consumer,
            pending_dropped,
            ..
        } => fill(
            w.consumer_deleted,
            &[
                ("consumer", s(consumer)),
                ("group", s(group)),
                ("n", pending_dropped.to_string()),
            ],
        ),
        Event::StreamTrimmed { key, removed, .. } => {
            fill(w.trimmed, &[("key", s(key)), ("n", removed.to_string())])
        }
        Event::EntriesDeleted { key, ids } => {
            fill(w.deleted, &[("key", s(key)), ("ids", ids_text(ids))])
        }
        Event::StreamIdSet { key, last_id } => fill(
            w.stream_id_set,
            &[("key", s(key)), ("id", last_id.to_text())],
        ),
        Event::EntriesRead { key, client, ids } => fill(
            w.entries_read,
            &[
                ("client", client_name(world, *client)),
                ("key", s(key)),
                ("ids", ids_text(ids)),
            ],
        ),
        Event::KeyDeleted { key } => fill(w.key_deleted, &[("key", s(key))]),
        Event::Flushed => fill(w.flushed, &[]),
        Event::KeyExpired { key } => fill(w.key_expired, &[("key", s(key))]),
        Event::ExpirySet {
            key,
            at: Some(deadline),
        } => fill(
            w.expiry_set,
            &[
                ("key", s(key)),
                ("ms", deadline.saturating_sub(at.as_ms()).to_string()),
            ],
        ),
        Event::ExpirySet { key, at: None } => fill(w.expiry_removed, &[("key", s(key))]),
        Event::StringSet { key, value, by } => fill(
            w.string_set,
            &[
                ("client", client_name(world, *by)),
                ("key", s(key)),
                ("value", s(value)),
            ],
        ),
        Event::TransactionExecuted { client, commands } => fill(
            w.tx_executed,
            &[
                ("client", client_name(world, *client)),
                ("n", commands.to_string()),
            ],
        ),
        Event::TransactionAborted { client, why } => fill(
            match why {
                TxAbort::Watch => w.tx_aborted_watch,
                TxAbort::Queue => w.tx_aborted_queue,
                TxAbort::Discard => w.tx_discarded,
            },
            &[("client", client_name(world, *client))],
        ),
        Event::ListPushed {
            key, values, end, ..
        } => fill(
            w.list_pushed,
            &[
                ("key", s(key)),
                ("n", values.len().to_string()),
                ("end", end_text(*end).into()),
            ],
        ),
        Event::ListPopped { key, value, by, .. } => fill(
            w.list_popped,
            &[
                ("key", s(key)),
                ("value", s(value)),
                ("client", client_name(world, *by)),
            ],
        ),
        Event::ListRemoved {
            key,
            value,
            count,
            by,
        } => fill(
            w.list_removed,
            &[
                ("client", client_name(world, *by)),
                ("value", s(value)),
                ("key", s(key)),
                ("n", count.to_string()),
            ],
        ),
        Event::ListMoved {
            from, to, value, ..
        } => fill(
            w.list_moved,
            &[("from", s(from)), ("to", s(to)), ("value", s(value))],
        ),
        Event::Published {
            channel,
            receivers,
            node,
            sharded,
            ..
        } => {
            let template = match (
                sharded,
                world.server().and_then(|s| s.pubsub.cluster()).is_some(),
            ) {
                (true, _) => w.spublished,
                (false, true) => w.published_node,
                (false, false) => w.published,
            };
            fill(
                template,
                &[
                    ("channel", s(channel)),
                    ("n", receivers.to_string()),
                    ("node", node.to_string()),
                ],
            )
        }
        Event::MessageDelivered { channel, to, .. } => fill(
            w.message_delivered,
            &[("channel", s(channel)), ("client", client_name(world, *to))],
        ),
        Event::Subscribed { client, name, .. } => fill(
            w.subscribed,
            &[
                ("client", client_name(world, *client)),
                ("channel", s(name)),
            ],
        ),
        Event::Unsubscribed { client, name, .. } => fill(
            w.unsubscribed,
            &[
                ("client", client_name(world, *client)),
                ("channel", s(name)),
            ],
        ),
        Event::ClientUnblocked {
            client,
            reason: UnblockReason::Timeout,
        } => fill(w.timed_out, &[("client", client_name(world, *client))]),
        Event::ClusterForwarded { .. }
        | Event::ClientBlocked { .. }
        | Event::ClientUnblocked { .. } => {
            return None;
        }
    })
}

fn actor_words(event: &SimEvent, world: &World, w: &Words) -> Option<Sentence> {
    let s = |t: &[u8]| text(t);
    Some(match event {
        // An accepted message is told by its XADD (or RPUSH, PUBLISH).
        SimEvent::Produced { accepted: true, .. } => return None,
        SimEvent::Produced {
            producer,
            msg,
            target,
            ..
        } => fill(
            w.refused,
            &[
                ("producer", s(producer)),
                ("msg", world.msg_name(*msg)),
                ("key", s(target)),
            ],
        ),
        SimEvent::PolledEmpty { worker, .. } => fill(w.polled_empty, &[("worker", s(worker))]),
        SimEvent::ProcessingStarted {
            worker, msg, until, ..
        } => fill(
            w.processing,
            &[
                ("worker", s(worker)),
                ("msg", world.msg_name(*msg)),
                ("until", time_text(*until)),
            ],
        ),
        SimEvent::Processed {
            worker,
            msg,
            applied,
            ..
        } => {
            let template = if *applied { w.processed } else { w.skipped };
            fill(
                template,
                &[("worker", s(worker)), ("msg", world.msg_name(*msg))],
            )
        }
        SimEvent::ProcessingFailed {
            worker,
            msg,
            poison,
            ..
        } => {
            // Only a consumer group keeps what failed (pending).
            let template = match (pending_kept(world, worker), poison) {
                (true, true) => w.failed_poison,
                (true, false) => w.failed,
                (false, _) => w.failed_gone,
            };
            fill(
                template,
                &[("worker", s(worker)), ("msg", world.msg_name(*msg))],
            )
        }
        SimEvent::DeadLettered(d) => fill(
            w.dead_lettered,
            &[
                ("worker", s(&d.worker)),
                ("id", d.id.to_text()),
                ("to", s(&d.to)),
                ("new_id", d.new_id.to_text()),
                ("n", d.deliveries.to_string()),
            ],
        ),
        SimEvent::Crashed { worker } => {
            let template = match world.worker(worker).map(Worker::kind) {
                Some(Kind::List(_)) => w.crashed_list,
                Some(Kind::Subscriber(_)) => w.crashed_subscriber,
                _ => w.crashed,
            };
            fill(template, &[("worker", s(worker))])
        }
        SimEvent::Restarted { worker } => fill(w.restarted, &[("worker", s(worker))]),
        SimEvent::Stopped { worker } => fill(w.stopped, &[("worker", s(worker))]),
        SimEvent::Slowed {
            worker,
            factor_pct,
            until,
        } => fill(
            w.slowed,
            &[
                ("worker", s(worker)),
                ("pct", factor_pct.to_string()),
                ("until", time_text(*until)),
            ],
        ),
        SimEvent::SpeedRestored { worker } => fill(w.speed_restored, &[("worker", s(worker))]),
        SimEvent::NetworkDown { client, until } => fill(
            w.network_down,
            &[("client", s(client)), ("until", time_text(*until))],
        ),
        SimEvent::NetworkUp { client } => fill(w.network_up, &[("client", s(client))]),
        SimEvent::CommandLost { client, command } => fill(
            w.command_lost,
            &[("client", s(client)), ("command", command.clone())],
        ),
        SimEvent::ReplyLost { client, command } => fill(
            w.reply_lost,
            &[("client", s(client)), ("command", command.clone())],
        ),
        SimEvent::TimedOut { client, command } => fill(
            w.gave_up,
            &[("client", s(client)), ("command", command.clone())],
        ),
        SimEvent::BrokerCrashed {
            flushed_at: Some(at),
            ..
        } => fill(w.broker_crashed_disk, &[("at", time_text(*at))]),
        SimEvent::BrokerCrashed { .. } => fill(w.broker_crashed, &[]),
        SimEvent::BrokerRestarted { keys } => fill(w.broker_restarted, &[("n", keys.to_string())]),
        SimEvent::EffectLost { msg, .. } => fill(w.effect_lost, &[("msg", world.msg_name(*msg))]),
        SimEvent::Command(c) if c.line.is_empty() => fill(w.answered, &[("client", s(&c.name))]),
        SimEvent::Command(c) => fill(
            w.command,
            &[("client", s(&c.name)), ("line", c.line.clone())],
        ),
        SimEvent::DrainStarted => fill(w.drain, &[]),
        SimEvent::Lost { msg, .. } => fill(w.lost, &[("msg", world.msg_name(*msg))]),
        SimEvent::InFlight { msg, .. } => fill(w.in_flight, &[("msg", world.msg_name(*msg))]),
    })
}

/// Whether worker `name` reads a consumer group, whose pending list keeps
/// what it failed to process.
fn pending_kept(world: &World, name: &[u8]) -> bool {
    matches!(world.worker(name).map(Worker::kind), Some(Kind::Stream(_)))
}

fn ids_text(ids: &[ackscope_engine::redis::db::stream_id::StreamId]) -> String {
    ids.iter()
        .map(|id| id.to_text())
        .collect::<Vec<_>>()
        .join(", ")
}

fn end_text(end: End) -> &'static str {
    match end {
        End::Left => "LPUSH",
        End::Right => "RPUSH",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::run::Run;

    #[test]
    fn holes_are_filled_and_unknown_holes_stay() {
        let sentence = fill(
            "`XACK` by {who} of {id} {nope}.",
            &[("who", "w1".into()), ("id", "1-0".into())],
        );
        assert_eq!(sentence.plain(), "XACK by w1 of 1-0 {nope}.");
        assert_eq!(sentence.0[1], Piece::Value("w1".into()));
        assert_eq!(fill("{x", &[("x", "1".into())]).plain(), "{x");
    }

    #[test]
    fn every_event_of_every_offered_scenario_reads_without_holes_in_both_languages() {
        for name in crate::run::STREAM_SCENARIOS {
            let mut run = Run::builtin(name, 3, Vec::new()).unwrap();
            run.move_to(run.cursor_at(u64::MAX));
            for lang in Lang::ALL {
                let words = &lang.catalogue().words;
                for event in run.timeline().events() {
                    if let Some(sentence) = describe(&event, &run.world(), words) {
                        let plain = sentence.plain();
                        assert!(!plain.contains('{'), "{name}: {plain}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_claim_reads_with_its_numbers() {
        let mut run = Run::builtin("stream-consumer-crash-claim", 7, Vec::new()).unwrap();
        run.move_to(run.cursor_at(6000));
        let claim = run
            .applied()
            .iter()
            .find(|e| matches!(&*e.what, What::Redis(Event::EntryClaimed(_))))
            .unwrap();
        let words = &Lang::En.catalogue().words;
        let plain = describe(&claim, &run.world(), words).unwrap().plain();
        assert_eq!(
            plain,
            "w2 claimed 1700000001400-0 from w1: delivery count 2"
        );
    }
}
