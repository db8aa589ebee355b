//! The most pending entries any one consumer of a group holds at once
//! during a run, read from its trace: what the stage sizes a group's
//! consumer cards for, so that they keep one size while the run plays.

use alloc::collections::BTreeMap;
use alloc::string::String;

use super::trace::{TraceEvent, What};
use crate::event::Event;

/// A consumer, as (stream key, group name, consumer name).
type Holder<'a> = (&'a [u8], &'a [u8], &'a [u8]);

/// The peak, per (stream key, group name) as the stage view spells them;
/// groups whose consumers never held an entry are left out.
pub fn peak_pending<'a>(events: &'a [TraceEvent]) -> BTreeMap<(String, String), u64> {
    // Pending entries held now, per (key, group, consumer).
    let mut held: BTreeMap<Holder<'a>, u64> = BTreeMap::new();
    let mut peak: BTreeMap<(&'a [u8], &'a [u8]), u64> = BTreeMap::new();
    for event in events {
        let What::Broker(event) = &event.what else {
            continue;
        };
        let mut change = |holder: Holder<'a>, up: bool| {
            let count = held.entry(holder).or_default();
            if !up {
                *count = count.saturating_sub(1);
                return;
            }
            *count += 1;
            let top = peak.entry((holder.0, holder.1)).or_default();
            *top = (*top).max(*count);
        };
        match event {
            Event::EntryDelivered {
                key,
                group,
                consumer,
                new: true,
                noack: false,
                ..
            } => change((key, group, consumer), true),
            Event::EntryAcked {
                key,
                group,
                consumer,
                ..
            }
            | Event::PendingDropped {
                key,
                group,
                consumer,
                ..
            } => change((key, group, consumer), false),
            Event::EntryClaimed {
                key,
                group,
                from,
                to,
                ..
            } if from != to => {
                change((key, group, from), false);
                change((key, group, to), true);
            }
            Event::ConsumerDeleted {
                key,
                group,
                consumer,
                ..
            } => {
                held.remove(&(key.as_slice(), group.as_slice(), consumer.as_slice()));
            }
            Event::GroupDestroyed { key, group } => {
                held.retain(|(k, g, _), _| (*k, *g) != (key.as_slice(), group.as_slice()));
            }
            Event::KeyDeleted { key } => held.retain(|(k, _, _), _| *k != key.as_slice()),
            _ => {}
        }
    }
    peak.into_iter()
        .map(|((key, group), n)| ((lossy(key), lossy(group)), n))
        .collect()
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
