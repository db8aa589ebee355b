//! A Kafka record's life story, read from the trace: produced (each
//! attempt and what the broker answered), appended at offset N on the
//! leader, copied by each follower, committed (the leader's high watermark
//! passed it), consumed, its offset committed — or truncated away.

use alloc::vec::Vec;

use crate::kafka::{BrokerId, Event, ProducerHandle, SendId};
use crate::sim::Events;

/// What identifies one message's record in a Kafka trace: its sends and
/// where the leader appended it.
#[derive(Clone, Debug, Default)]
pub struct RecordTrail {
    sends: Vec<(ProducerHandle, SendId)>,
    /// (topic, partition, leader, offset) of each append.
    appends: Vec<(alloc::string::String, u32, BrokerId, u64)>,
}

impl RecordTrail {
    /// The trail of the record whose value is `value`.
    pub fn find(events: Events<'_>, value: &str) -> RecordTrail {
        let mut trail = RecordTrail::default();
        for e in events {
            match e.what.kafka() {
                Some(Event::SendCompleted {
                    producer,
                    send,
                    value: v,
                    ..
                }) if v == value => trail.sends.push((*producer, *send)),
                Some(Event::RecordAppended {
                    topic,
                    partition,
                    broker,
                    record,
                    producer,
                    send,
                }) if record.value == value => {
                    if let (Some(p), Some(s)) = (producer, send) {
                        trail.sends.push((*p, *s));
                    }
                    trail
                        .appends
                        .push((topic.clone(), *partition, *broker, record.offset));
                }
                _ => {}
            }
        }
        trail
    }

    /// Whether Kafka event `k` is part of the record's story.
    pub fn concerns(&self, k: &Event, value: &str) -> bool {
        let on = |topic: &str, partition: u32| -> Vec<(BrokerId, u64)> {
            self.appends
                .iter()
                .filter(|(t, p, _, _)| t == topic && *p == partition)
                .map(|(_, _, b, o)| (*b, *o))
                .collect()
        };
        match k {
            Event::ProduceSent { producer, send, .. }
            | Event::ProduceAcked { producer, send, .. }
            | Event::ProduceFailed { producer, send, .. }
            | Event::ProduceResponseLost { producer, send, .. }
            | Event::RetryScheduled { producer, send, .. }
            | Event::SendCompleted { producer, send, .. } => {
                self.sends.contains(&(*producer, *send))
            }
            Event::RecordAppended { record, .. } => record.value == value,
            Event::FollowerFetched { records, .. }
            | Event::RecordsPolled { records, .. }
            | Event::LogTruncated { lost: records, .. } => records.iter().any(|r| r.value == value),
            Event::HighWatermarkAdvanced {
                topic,
                partition,
                broker,
                from,
                to,
            } => on(topic, *partition)
                .iter()
                .any(|(leader, offset)| leader == broker && (*from..*to).contains(offset)),
            Event::OffsetsCommitted { offsets, .. } => offsets.iter().any(|(tp, next)| {
                on(&tp.topic, tp.partition)
                    .iter()
                    .any(|(_, offset)| *offset + 1 == *next)
            }),
            _ => false,
        }
    }
}
