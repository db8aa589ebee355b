//! Consumer groups: a cursor shared by the group (`last-delivered-id`), and
//! a pending entries list (PEL) of delivered-but-unacknowledged entries,
//! each owned by exactly one consumer.

use alloc::collections::{BTreeMap, BTreeSet};

use super::stream_id::StreamId;
use crate::redis::event::Name;
use crate::time::SimTime;
use crate::vec_map::VecMap;

/// A pending entry: delivered to `consumer`, not acknowledged yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingEntry {
    /// The consumer that owns it now.
    pub consumer: Name,
    /// When it was last delivered (or claimed); its idle time counts from here.
    pub delivery_time: SimTime,
    /// How many times it was delivered: XREADGROUP and XCLAIM raise it.
    pub delivery_count: u64,
}

/// A consumer of a group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Consumer {
    /// When the consumer was last seen (read or claimed); XINFO CONSUMERS'
    /// `idle` counts from here.
    pub seen_time: SimTime,
    /// The IDs of the pending entries it owns.
    pub pending: BTreeSet<StreamId>,
}

/// A consumer group of a stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConsumerGroup {
    /// `last-delivered-id`: the group-wide offset. `>` reads after it.
    pub last_id: StreamId,
    /// `entries-read`: the logical read counter of `last_id`, or `None`
    /// when Redis does not know it (it replies nil).
    pub entries_read: Option<i64>,
    /// The group's PEL by entry ID.
    pub pel: BTreeMap<StreamId, PendingEntry>,
    /// Consumers by name (shared with the PEL and the events).
    pub consumers: VecMap<Name, Consumer>,
}

impl ConsumerGroup {
    /// A group whose cursor is at `last_id`.
    pub fn new(last_id: StreamId, entries_read: Option<i64>) -> Self {
        ConsumerGroup {
            last_id,
            entries_read,
            ..Default::default()
        }
    }

    /// The consumer `name`, created (seen now) if missing. Returns whether
    /// it was created.
    pub fn ensure_consumer(&mut self, name: &[u8], now: SimTime) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(
            Name::from(name),
            Consumer {
                seen_time: now,
                pending: BTreeSet::new(),
            },
        );
        true
    }

    /// The stored name of consumer `name`, if it exists.
    pub fn consumer_name(&self, name: &[u8]) -> Option<&Name> {
        self.consumers.get_key_value(name).map(|(name, _)| name)
    }

    /// Marks consumer `name` as seen now, if it exists.
    pub fn touch(&mut self, name: &[u8], now: SimTime) {
        if let Some(consumer) = self.consumers.get_mut(name) {
            consumer.seen_time = now;
        }
    }

    /// Gives pending entry `id` to `consumer` (which must exist), creating
    /// it if needed, taking it from its previous owner otherwise. Returns
    /// the previous owner.
    pub fn assign(
        &mut self,
        id: StreamId,
        consumer: &[u8],
        delivery_time: SimTime,
        delivery_count: u64,
    ) -> Option<Name> {
        let name = self
            .consumer_name(consumer)
            .cloned()
            .unwrap_or_else(|| Name::from(consumer));
        let previous = self.pel.insert(
            id,
            PendingEntry {
                consumer: name,
                delivery_time,
                delivery_count,
            },
        );
        let previous_owner = previous.map(|p| p.consumer);
        if let Some(owner) = &previous_owner
            && owner.as_slice() != consumer
            && let Some(c) = self.consumers.get_mut(owner)
        {
            c.pending.remove(&id);
        }
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pending.insert(id);
        }
        previous_owner
    }

    /// Removes pending entry `id` from the group and its owner (XACK).
    /// Returns the owner it had.
    pub fn remove_pending(&mut self, id: StreamId) -> Option<Name> {
        let entry = self.pel.remove(&id)?;
        if let Some(c) = self.consumers.get_mut(&entry.consumer) {
            c.pending.remove(&id);
        }
        Some(entry.consumer)
    }

    /// Deletes consumer `name` and its pending entries. Returns how many
    /// pending entries it had, or `None` if it did not exist.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<u64> {
        let consumer = self.consumers.remove(name)?;
        for id in &consumer.pending {
            self.pel.remove(id);
        }
        Some(consumer.pending.len() as u64)
    }

    /// Checks that the PEL and the consumers' lists agree: every pending
    /// entry is owned by exactly one existing consumer, and the group's
    /// PEL is the union of its consumers'.
    pub fn check_invariants(&self) -> Result<(), &'static str> {
        let mut owned = 0usize;
        for (name, consumer) in &self.consumers {
            for id in &consumer.pending {
                match self.pel.get(id) {
                    Some(entry) if &entry.consumer == name => owned += 1,
                    _ => return Err("a consumer lists an entry the group's PEL gives to another"),
                }
            }
        }
        if owned != self.pel.len() {
            return Err("the group's PEL has entries no consumer owns");
        }
        Ok(())
    }
}
