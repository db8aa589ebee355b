//! Kafka events in words, for the event log and a record's life story.
//! Every name and number comes from the event or the engine's world (a
//! send's message, a producer's or consumer's name).

use ackscope_engine::kafka::event::{LeaveReason, RecordRef, TxnEndReason};
use ackscope_engine::kafka::log::Marker;
use ackscope_engine::kafka::{
    ConsumerHandle, ErrorCode, Event, ProducerHandle, SendId, TopicPartition,
};
use ackscope_engine::sim::World;
use ackscope_engine::sim::actor::Actor;

use crate::i18n::Words;
use crate::words::{Sentence, fill, time_text};

/// `event` in words, or `None` for bookkeeping a reader need not follow
/// (a follower's fetch that brought nothing).
pub fn describe(event: &Event, world: &World, w: &Words) -> Option<Sentence> {
    let k = w.kafka;
    let b = |id: &u32| id.to_string();
    let tp = |topic: &str, p: &u32| format!("{topic}-{p}");
    Some(match event {
        Event::BrokerKilled { broker } => fill(k.broker_killed, &[("broker", b(broker))]),
        Event::BrokerRestarted { broker } => fill(k.broker_restarted, &[("broker", b(broker))]),
        Event::BrokerIsolated { broker } => fill(k.broker_isolated, &[("broker", b(broker))]),
        Event::BrokerReconnected { broker } => fill(k.broker_reconnected, &[("broker", b(broker))]),
        Event::BrokerFenced { broker } => fill(k.broker_fenced, &[("broker", b(broker))]),
        Event::FollowerSlowed {
            broker,
            interval_ms,
        } => fill(
            k.follower_slowed,
            &[
                ("broker", b(broker)),
                ("ms", crate::words::ms_text(*interval_ms)),
            ],
        ),
        Event::TopicCreated { topic, .. } => fill(k.topic_created, &[("topic", topic.clone())]),
        Event::RecordAppended {
            topic,
            partition,
            broker,
            record,
            ..
        } if record.control.is_some() => fill(
            k.marker_appended,
            &[
                ("broker", b(broker)),
                ("marker", marker_name(record.control)),
                ("tp", tp(topic, partition)),
                ("offset", record.offset.to_string()),
            ],
        ),
        Event::RecordAppended {
            topic,
            partition,
            broker,
            record,
            ..
        } => fill(
            k.appended,
            &[
                ("broker", b(broker)),
                ("msg", record.value.clone()),
                ("offset", record.offset.to_string()),
                ("tp", tp(topic, partition)),
                ("epoch", record.leader_epoch.to_string()),
            ],
        ),
        Event::FollowerFetched { records, .. } if records.is_empty() => return None,
        Event::FollowerFetched {
            topic,
            partition,
            follower,
            leader,
            fetch_offset,
            records,
            ..
        } => fill(
            k.fetched,
            &[
                ("follower", b(follower)),
                ("leader", b(leader)),
                ("msgs", values(records, k.nothing)),
                ("tp", tp(topic, partition)),
                ("offset", fetch_offset.to_string()),
            ],
        ),
        Event::HighWatermarkAdvanced {
            topic,
            partition,
            broker,
            from,
            to,
        } => fill(
            k.hw_advanced,
            &[
                ("broker", b(broker)),
                ("tp", tp(topic, partition)),
                ("from", from.to_string()),
                ("to", to.to_string()),
            ],
        ),
        Event::IsrShrunk {
            topic,
            partition,
            removed,
            isr,
        } => fill(
            k.isr_shrunk,
            &[
                ("broker", b(removed)),
                ("tp", tp(topic, partition)),
                ("isr", ids(isr)),
            ],
        ),
        Event::IsrExpanded {
            topic,
            partition,
            added,
            isr,
        } => fill(
            k.isr_expanded,
            &[
                ("broker", b(added)),
                ("tp", tp(topic, partition)),
                ("isr", ids(isr)),
            ],
        ),
        Event::LeaderElected {
            topic,
            partition,
            leader: None,
            leader_epoch,
            ..
        } => fill(
            k.offline,
            &[
                ("tp", tp(topic, partition)),
                ("epoch", leader_epoch.to_string()),
            ],
        ),
        Event::LeaderElected {
            topic,
            partition,
            leader: Some(leader),
            leader_epoch,
            clean,
            leader_log_end,
            ..
        } => fill(
            if *clean { k.elected } else { k.elected_unclean },
            &[
                ("broker", b(leader)),
                ("tp", tp(topic, partition)),
                ("epoch", leader_epoch.to_string()),
                ("offset", leader_log_end.to_string()),
            ],
        ),
        Event::LogTruncated {
            topic,
            partition,
            broker,
            to_offset,
            lost,
        } => fill(
            k.truncated,
            &[
                ("broker", b(broker)),
                ("tp", tp(topic, partition)),
                ("offset", to_offset.to_string()),
                ("msgs", values(lost, k.nothing)),
            ],
        ),
        Event::ProducerIdAssigned {
            producer,
            producer_id,
        } => fill(
            k.producer_id,
            &[
                ("producer", producer_name(world, *producer)),
                ("pid", producer_id.to_string()),
            ],
        ),
        Event::ProduceSent {
            producer,
            send,
            broker,
            attempt,
            ..
        } => fill(
            k.produce_sent,
            &[
                ("producer", producer_name(world, *producer)),
                ("msg", send_msg(world, *producer, *send)),
                ("broker", b(broker)),
                ("n", attempt.to_string()),
            ],
        ),
        Event::ProduceAcked {
            producer,
            send,
            broker,
            offset,
            duplicate,
        } => fill(
            if *duplicate {
                k.produce_duplicate
            } else {
                k.produce_acked
            },
            &[
                ("broker", b(broker)),
                ("msg", send_msg(world, *producer, *send)),
                ("offset", offset_text(*offset)),
            ],
        ),
        Event::ProduceFailed {
            producer,
            send,
            broker,
            error,
            appended,
        } => fill(
            if *appended {
                k.produce_failed_appended
            } else {
                k.produce_failed
            },
            &[
                ("broker", b(broker)),
                ("msg", send_msg(world, *producer, *send)),
                ("error", error_text(*error)),
            ],
        ),
        Event::ProduceResponseLost {
            producer,
            send,
            broker,
        } => fill(
            k.response_lost,
            &[
                ("broker", b(broker)),
                ("msg", send_msg(world, *producer, *send)),
            ],
        ),
        Event::MetadataRefreshed {
            producer,
            topic,
            partition,
            leader,
            leader_epoch,
        } => fill(
            k.metadata,
            &[
                ("producer", producer_name(world, *producer)),
                ("broker", leader.map_or_else(|| "-".into(), |l| b(&l))),
                ("tp", tp(topic, partition)),
                ("epoch", leader_epoch.to_string()),
            ],
        ),
        Event::RetryScheduled {
            producer,
            send,
            error,
            at,
        } => fill(
            k.retry,
            &[
                ("producer", producer_name(world, *producer)),
                ("msg", send_msg(world, *producer, *send)),
                ("error", error_text(*error)),
                ("at", time_text(ackscope_engine::SimTime(*at))),
            ],
        ),
        Event::SendCompleted { value, result, .. } => match result {
            ackscope_engine::kafka::SendOutcome::Acked { offset } => fill(
                k.callback_ok,
                &[("msg", value.clone()), ("offset", offset_text(*offset))],
            ),
            ackscope_engine::kafka::SendOutcome::Failed { error } => fill(
                k.callback_failed,
                &[("msg", value.clone()), ("error", error_text(*error))],
            ),
        },
        Event::MemberJoined { group, member, .. } => fill(
            k.member_joined,
            &[("member", member.clone()), ("group", group.clone())],
        ),
        Event::MemberLeft {
            group,
            member,
            reason,
        } => fill(
            k.member_left,
            &[
                ("member", member.clone()),
                ("group", group.clone()),
                (
                    "reason",
                    match reason {
                        LeaveReason::Left => k.reason_left,
                        LeaveReason::SessionTimeout => k.reason_session,
                        LeaveReason::PollTimeout => k.reason_poll,
                        LeaveReason::RebalanceTimeout => k.reason_rebalance,
                    }
                    .replace('`', ""),
                ),
            ],
        ),
        Event::RebalanceStarted { group, generation } => fill(
            k.rebalance,
            &[
                ("group", group.clone()),
                ("generation", generation.to_string()),
            ],
        ),
        Event::PartitionsRevoked {
            member, partitions, ..
        } => fill(
            k.revoked,
            &[
                ("member", member.clone()),
                ("partitions", tps(partitions, k.nothing)),
            ],
        ),
        Event::PartitionsAssigned {
            member,
            generation,
            partitions,
            ..
        } => fill(
            k.assigned,
            &[
                ("member", member.clone()),
                ("partitions", tps(partitions, k.nothing)),
                ("generation", generation.to_string()),
            ],
        ),
        Event::OffsetReset {
            member,
            topic,
            partition,
            offset,
            ..
        } => fill(
            k.offset_reset,
            &[
                ("member", member.clone()),
                ("tp", tp(topic, partition)),
                ("offset", offset.to_string()),
            ],
        ),
        Event::RecordsPolled {
            member,
            topic,
            partition,
            records,
            ..
        } => fill(
            k.polled,
            &[
                ("member", member.clone()),
                ("tp", tp(topic, partition)),
                ("msgs", values(records, k.nothing)),
            ],
        ),
        Event::OffsetsCommitted {
            member,
            offsets,
            auto,
            ..
        } => fill(
            if *auto { k.committed_auto } else { k.committed },
            &[
                ("member", member.clone()),
                ("offsets", offsets_text(offsets.iter().map(|(t, o)| (t, o)))),
            ],
        ),
        Event::CommitFailed { member, error, .. } => fill(
            k.commit_failed,
            &[("member", member.clone()), ("error", error_text(*error))],
        ),
        Event::ConsumerCrashed { consumer } => fill(
            k.consumer_crashed,
            &[("consumer", consumer_name(world, *consumer))],
        ),
        Event::TransactionsInitialized {
            transactional_id,
            producer_id,
            epoch,
            ..
        } => fill(
            k.txn_initialized,
            &[
                ("txn", transactional_id.clone()),
                ("pid", producer_id.to_string()),
                ("epoch", epoch.to_string()),
            ],
        ),
        Event::PartitionAddedToTransaction {
            transactional_id,
            topic,
            partition,
        } => fill(
            k.txn_partition,
            &[
                ("txn", transactional_id.clone()),
                ("tp", tp(topic, partition)),
            ],
        ),
        Event::OffsetsAddedToTransaction {
            transactional_id,
            group,
            offsets,
        } => fill(
            k.txn_offsets,
            &[
                ("txn", transactional_id.clone()),
                ("group", group.clone()),
                ("offsets", offsets_text(offsets.iter().map(|(t, o)| (t, o)))),
            ],
        ),
        Event::TransactionFailed {
            transactional_id,
            error,
            ..
        } => fill(
            k.txn_failed,
            &[
                ("txn", transactional_id.clone()),
                ("error", error_text(*error)),
            ],
        ),
        Event::TransactionEnded {
            transactional_id,
            epoch,
            reason,
            values,
            offsets,
            ..
        } => fill(
            match reason {
                TxnEndReason::Committed => k.txn_committed,
                TxnEndReason::Aborted => k.txn_aborted,
                TxnEndReason::Fenced => k.txn_fenced,
                TxnEndReason::TimedOut => k.txn_timed_out,
            },
            &[
                ("txn", transactional_id.clone()),
                ("epoch", epoch.to_string()),
                (
                    "msgs",
                    if values.is_empty() {
                        k.nothing.into()
                    } else {
                        values.join(", ")
                    },
                ),
                (
                    "offsets",
                    offsets_text(offsets.iter().map(|(_, t, o)| (t, o))),
                ),
            ],
        ),
        Event::ProducerFenced {
            transactional_id, ..
        } => fill(k.producer_fenced, &[("txn", transactional_id.clone())]),
    })
}

/// A marker's name as Kafka's tools print it (`COMMIT`, `ABORT`).
fn marker_name(marker: Option<Marker>) -> String {
    match marker {
        Some(Marker::Commit) => "COMMIT".into(),
        Some(Marker::Abort) => "ABORT".into(),
        None => String::new(),
    }
}

/// Offsets as `topic-partition@offset`, comma-separated.
fn offsets_text<'a>(offsets: impl Iterator<Item = (&'a TopicPartition, &'a u64)>) -> String {
    offsets
        .map(|(t, o)| format!("{t}@{o}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A record list as its messages' names.
fn values(records: &[RecordRef], nothing: &str) -> String {
    if records.is_empty() {
        return nothing.into();
    }
    records
        .iter()
        .map(|r| r.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn tps(partitions: &[TopicPartition], nothing: &str) -> String {
    if partitions.is_empty() {
        return nothing.into();
    }
    partitions
        .iter()
        .map(TopicPartition::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn ids(isr: &[u32]) -> String {
    format!(
        "[{}]",
        isr.iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn offset_text(offset: Option<u64>) -> String {
    offset.map_or_else(|| "-1".into(), |o| o.to_string())
}

/// Kafka's error name, as its exceptions and the tools print it.
pub fn error_text(error: ErrorCode) -> String {
    error.name().into()
}

/// The scenario producer behind Kafka producer `p`.
fn producer_name(world: &World, p: ProducerHandle) -> String {
    world
        .broker()
        .kafka()
        .and_then(|k| k.producers.iter().position(|h| *h == Some(p)))
        .and_then(|i| world.scenario().producers.get(i))
        .map_or_else(|| format!("producer-{}", p.0), |s| s.name.clone())
}

/// The message send `s` of producer `p` carries.
fn send_msg(world: &World, p: ProducerHandle, s: SendId) -> String {
    world
        .broker()
        .kafka()
        .and_then(|k| k.sends.get(&(p, s)))
        .map_or_else(|| format!("#{}", s.0), |m| world.msg_name(*m))
}

/// The worker whose consumer is `c` (now, or when it last ran).
fn consumer_name(world: &World, c: ConsumerHandle) -> String {
    world
        .broker()
        .kafka()
        .and_then(|k| k.cluster.consumers.get(&c))
        .map(|con| con.config.client_id.clone())
        .or_else(|| {
            world.actors().iter().find_map(|a| match a {
                Actor::KafkaConsumer(k) if k.handle() == Some(c) => {
                    Some(String::from_utf8_lossy(&k.name).into_owned())
                }
                _ => None,
            })
        })
        .unwrap_or_else(|| format!("consumer-{}", c.0))
}
