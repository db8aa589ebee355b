//! Peaks of a run, read from its trace: the most pending entries any one
//! consumer of a group holds at once, and the most consumers a group has
//! at once. The stage sizes a group's consumer cards, and how many stand
//! side by side, by them, so that the drawing keeps one shape while the
//! run plays.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;

use crate::redis::event::{Event, Name};
use crate::sim::{Events, What};

/// A consumer, as (stream key, group name, consumer name). (Names, not
/// slices of the events: the trace decodes each event as it is read.)
type Holder = (Name, Name, Name);
/// A group, as (stream key, group name).
type Group = (Name, Name);

/// The peak in lane `lane`, per (stream key, group name) as the stage view spells them;
/// groups whose consumers never held an entry are left out.
pub fn peak_pending(events: Events<'_>, lane: u16) -> BTreeMap<(String, String), u64> {
    // Pending entries held now, per (key, group, consumer).
    let mut held: BTreeMap<Holder, u64> = BTreeMap::new();
    let mut peak: BTreeMap<Group, u64> = BTreeMap::new();
    for event in events.iter().filter(|e| e.lane == lane) {
        // Owned: the keys below are made of the event's own names.
        let What::Redis(event) = event.what.into_owned() else {
            continue;
        };
        let mut change = |holder: Holder, up: bool| {
            let group = (holder.0.clone(), holder.1.clone());
            let count = held.entry(holder).or_default();
            if !up {
                *count = count.saturating_sub(1);
                return;
            }
            *count += 1;
            let top = peak.entry(group).or_default();
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
            Event::EntryClaimed(c) if c.from != c.to => {
                change((c.key.clone(), c.group.clone(), c.from), false);
                change((c.key, c.group, c.to), true);
            }
            Event::ConsumerDeleted {
                key,
                group,
                consumer,
                ..
            } => {
                held.remove(&(key, group, consumer));
            }
            Event::GroupDestroyed { key, group } => {
                held.retain(|(k, g, _), _| (k, g) != (&key, &group));
            }
            Event::KeyDeleted { key } => held.retain(|(k, _, _), _| *k != key),
            Event::Flushed => held.clear(),
            _ => {}
        }
    }
    spelled(peak)
}

/// The most consumers each group of lane `lane` has at once, per (stream key, group name)
/// as the stage view spells them; groups that never had one are left out.
pub fn peak_consumers(events: Events<'_>, lane: u16) -> BTreeMap<(String, String), u64> {
    let mut members: BTreeMap<Group, BTreeSet<Name>> = BTreeMap::new();
    let mut peak: BTreeMap<Group, u64> = BTreeMap::new();
    for event in events.iter().filter(|e| e.lane == lane) {
        let What::Redis(event) = event.what.into_owned() else {
            continue;
        };
        match event {
            Event::ConsumerCreated {
                key,
                group,
                consumer,
            } => {
                let group = (key, group);
                let now = members.entry(group.clone()).or_default();
                now.insert(consumer);
                let top = peak.entry(group).or_default();
                *top = (*top).max(now.len() as u64);
            }
            Event::ConsumerDeleted {
                key,
                group,
                consumer,
                ..
            } => {
                if let Some(now) = members.get_mut(&(key, group)) {
                    now.remove(&consumer);
                }
            }
            Event::GroupDestroyed { key, group } => {
                members.remove(&(key, group));
            }
            Event::KeyDeleted { key } => members.retain(|(k, _), _| *k != key),
            Event::Flushed => members.clear(),
            _ => {}
        }
    }
    spelled(peak)
}

/// Keys and group names as the stage view spells them.
fn spelled(peak: BTreeMap<Group, u64>) -> BTreeMap<(String, String), u64> {
    peak.into_iter()
        .map(|((key, group), n)| ((lossy(&key), lossy(&group)), n))
        .collect()
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;
    use crate::sim::TraceEvent;
    use crate::time::SimTime;

    fn trace(events: Vec<Event>) -> Vec<TraceEvent> {
        events
            .into_iter()
            .enumerate()
            .map(|(action, event)| TraceEvent {
                at: SimTime::START,
                action: action as u32,
                lane: 0,
                what: What::Redis(event),
            })
            .collect()
    }

    fn created(key: &str, group: &str, consumer: &str) -> Event {
        Event::ConsumerCreated {
            key: key.into(),
            group: group.into(),
            consumer: consumer.into(),
        }
    }

    /// Consumers that left, groups destroyed and keys removed no longer
    /// count: only consumers that exist together make a peak.
    #[test]
    fn consumers_count_while_they_exist() {
        let events = trace(alloc::vec![
            created("s", "g", "a"),
            created("s", "g", "b"),
            created("s", "g", "b"),
            Event::ConsumerDeleted {
                key: "s".into(),
                group: "g".into(),
                consumer: "a".into(),
                pending_dropped: 0,
            },
            created("s", "g", "c"),
            Event::GroupDestroyed {
                key: "s".into(),
                group: "g".into(),
            },
            created("s", "g", "d"),
            created("t", "h", "a"),
            Event::KeyDeleted { key: "t".into() },
            created("t", "h", "b"),
            Event::Flushed,
            created("t", "h", "c"),
        ]);
        let peaks = peak_consumers(Events::of(&events), 0);
        assert_eq!(peaks.get(&("s".into(), "g".into())), Some(&2));
        assert_eq!(peaks.get(&("t".into(), "h".into())), Some(&1));
        assert_eq!(peaks.len(), 2);
    }
}
