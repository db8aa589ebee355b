//! Life stories: the events of a trace that concern one stream entry, or
//! one message across every target it was sent to.

use alloc::vec::Vec;

use crate::msg::{MsgRef, first_word};
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::{Event, Name};
use crate::scenario::Source;
use crate::sim::{EventRef, Events, SimEvent, What, World};

impl World {
    /// The events of `events` that concern entry `id` of stream `key`:
    /// its life story (added, delivered, acknowledged, claimed, processed,
    /// dead-lettered, deleted).
    pub fn entry_story<'a>(
        &self,
        events: Events<'a>,
        key: &[u8],
        id: StreamId,
    ) -> Vec<EventRef<'a>> {
        let services: Vec<u16> = self
            .scenario()
            .services
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(&l.source, Source::Group(g) if g.stream.as_bytes() == key))
            .map(|(i, _)| i as u16)
            .collect();
        events
            .iter()
            .filter(|e| concerns(e, key, id, &services))
            .collect()
    }

    /// The ledger's story of message `msg`, across every target it was
    /// sent to: produced, appended or pushed or published, delivered,
    /// processed (how often), claimed, dead-lettered, lost.
    pub fn message_story<'a>(&self, events: Events<'a>, msg: MsgRef) -> Vec<EventRef<'a>> {
        let text = self.msg_name(msg);
        let word = text.as_bytes();
        // The stream entries that carry it (the Produced event comes after
        // the broker's EntryAdded it caused, so look them up first).
        let entries: Vec<(Name, StreamId)> = events
            .iter()
            .filter_map(|e| match &*e.what {
                What::Sim(SimEvent::Produced {
                    msg: m, target, id, ..
                }) if *m == msg => Some((target.clone(), id.get()?)),
                _ => None,
            })
            .collect();
        let trail = super::kafka_story::RecordTrail::find(events, &text);
        let mut story = Vec::new();
        for e in events {
            let relevant = match &*e.what {
                What::Kafka(k) => trail.concerns(k, &text),
                What::Sim(a) => match a {
                    SimEvent::Produced { msg: m, .. }
                    | SimEvent::ProcessingStarted { msg: m, .. }
                    | SimEvent::Processed { msg: m, .. }
                    | SimEvent::ProcessingFailed { msg: m, .. }
                    | SimEvent::Lost { msg: m, .. }
                    | SimEvent::InFlight { msg: m, .. }
                    | SimEvent::EffectLost { msg: m, .. } => *m == msg,
                    SimEvent::DeadLettered(d) => d.msg == msg,
                    _ => false,
                },
                What::Redis(b) => match b {
                    Event::ListPushed { values, .. } => {
                        values.iter().any(|v| first_word(v) == word)
                    }
                    Event::ListPopped { value, .. } | Event::ListMoved { value, .. } => {
                        first_word(value) == word
                    }
                    Event::Published { message, .. } | Event::MessageDelivered { message, .. } => {
                        first_word(message) == word
                    }
                    _ => entries.iter().any(|(key, id)| concerns(&e, key, *id, &[])),
                },
            };
            if relevant {
                story.push(e);
            }
        }
        story
    }
}

/// Whether event `e` concerns entry `id` of stream `key` (read by `services`).
fn concerns(e: &EventRef<'_>, key: &[u8], id: StreamId, services: &[u16]) -> bool {
    match &*e.what {
        What::Redis(b) => match b {
            Event::EntryAdded { key: k, id: i, .. }
            | Event::EntryDelivered { key: k, id: i, .. }
            | Event::EntryAcked { key: k, id: i, .. }
            | Event::PendingDropped { key: k, id: i, .. } => k == key && *i == id,
            Event::EntryClaimed(c) => c.key == key && c.id == id,
            Event::EntriesDeleted { key: k, ids } | Event::StreamTrimmed { key: k, ids, .. } => {
                k == key && ids.contains(&id)
            }
            Event::EntriesRead { key: k, ids, .. } => k == key && ids.contains(&id),
            _ => false,
        },
        What::Kafka(_) => false,
        What::Sim(a) => match a {
            SimEvent::Produced { target, id: i, .. } => target == key && i.get() == Some(id),
            SimEvent::ProcessingStarted { id: i, service, .. }
            | SimEvent::Processed { id: i, service, .. }
            | SimEvent::ProcessingFailed { id: i, service, .. } => {
                i.get() == Some(id) && services.contains(service)
            }
            SimEvent::DeadLettered(d) => d.from == key && d.id == id,
            _ => false,
        },
    }
}
