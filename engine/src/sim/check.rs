//! Properties checked after every step of every run, in every build (the
//! checkers sit outside the system they check, as TigerBeetle's do). A
//! broken one names itself, the lane, the action and the seed, so the run
//! can be replayed to the step that broke it.
//!
//! - `consumer-groups`: each pending entry is owned by exactly one
//!   consumer, and a group's pending list is the union of its consumers'.
//! - `ledger-conservation`: every message the broker took is exactly one
//!   of processed, dead-lettered, in flight or lost — counted per message
//!   at the end, and the counts agree at every step.
//! - `exactly-once`: a service that deduplicates never applies an effect
//!   twice.
//! - `at-least-once`: a service that acknowledges after processing loses
//!   nothing the broker still has: a lost message's entry must be gone
//!   from the stream (trimmed, deleted, or lost with the broker); for a
//!   Kafka group that commits after processing, from every replica's log.
//!
//! The last two speak of what the simulated processes do, so they are not
//! checked once a command was typed at the console or scripted: the broker
//! may then have been changed by hand.

use alloc::format;
use alloc::string::String;
use smallvec::SmallVec;

use super::World;
use super::trace::{TraceEvent, What};
use crate::msg::MsgRef;
use crate::redis::Event;
use crate::redis::db::Value;
use crate::scenario::{Guarantee, Source};

/// A broken property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Its name.
    pub property: &'static str,
    /// The lane it broke in.
    pub lane: u16,
    /// The action (of the whole run) after which it broke.
    pub action: u64,
    /// The run's seed.
    pub seed: u64,
    /// What was wrong.
    pub detail: String,
}

impl core::fmt::Display for Violation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "property `{}` broken in lane {} after action {} (seed {}): {}",
            self.property, self.lane, self.action, self.seed, self.detail
        )
    }
}

/// Checks every property of `world`, just stepped as action `action` with
/// `events`.
pub fn check(world: &World, action: u64, events: &[TraceEvent]) -> Result<(), Violation> {
    let broken = |property: &'static str, detail: String| Violation {
        property,
        lane: world.lane(),
        action,
        seed: world.seed(),
        detail,
    };
    consumer_groups(world, events).map_err(|d| broken("consumer-groups", d))?;
    conservation(world).map_err(|d| broken("ledger-conservation", d))?;
    if !world.by_hand {
        exactly_once(world).map_err(|d| broken("exactly-once", d))?;
        if world.is_finished() {
            at_least_once(world).map_err(|d| broken("at-least-once", d))?;
        }
    }
    Ok(())
}

/// The groups whose pending lists the step changed (every group at the
/// end of the run): a group's invariants can only break where it changed,
/// and each change is an event.
fn consumer_groups(world: &World, events: &[TraceEvent]) -> Result<(), String> {
    // Inline: an action touches one or two groups, and this runs after
    // every action.
    let mut touched: SmallVec<[(&[u8], &[u8]); 4]> = SmallVec::new();
    for e in events {
        let (key, group) = match &e.what {
            What::Redis(
                Event::EntryDelivered { key, group, .. }
                | Event::EntryAcked { key, group, .. }
                | Event::PendingDropped { key, group, .. }
                | Event::ConsumerCreated { key, group, .. }
                | Event::ConsumerDeleted { key, group, .. }
                | Event::GroupCreated { key, group, .. }
                | Event::GroupCursorSet { key, group, .. },
            ) => (key, group),
            What::Redis(Event::EntryClaimed(c)) => (&c.key, &c.group),
            _ => continue,
        };
        if !touched.contains(&(key.as_slice(), group.as_slice())) {
            touched.push((key, group));
        }
    }
    let every = world.is_finished();
    for (key, value) in world.server().into_iter().flat_map(|s| s.db.iter()) {
        if let Value::Stream(s) = value {
            for (name, g) in &s.groups {
                if !every && !touched.contains(&(key.as_slice(), name.as_slice())) {
                    continue;
                }
                g.check_invariants().map_err(|e| {
                    format!(
                        "{}/{}: {e}",
                        String::from_utf8_lossy(key),
                        String::from_utf8_lossy(name)
                    )
                })?;
            }
        }
    }
    Ok(())
}

fn conservation(world: &World) -> Result<(), String> {
    let ledger = world.ledger();
    for s in 0..ledger.services() {
        let c = ledger.counts(s);
        let fates = c.processed_unique + c.dead_lettered + c.in_flight + c.lost;
        if fates != c.produced {
            return Err(format!(
                "service {s}: produced {} but processed {} + dead-lettered {} + in flight {} + lost {} = {fates}",
                c.produced, c.processed_unique, c.dead_lettered, c.in_flight, c.lost
            ));
        }
        if !world.is_finished() {
            continue;
        }
        // Once, at the end: count the fates message by message.
        let (mut processed, mut dead, mut lost, mut open, mut extra) = (0, 0, 0, 0, 0);
        for (_, m) in ledger.messages(s) {
            extra += u64::from(m.processed.saturating_sub(1));
            match (m.processed > 0, m.dead, m.lost) {
                (true, ..) => processed += 1,
                (false, true, _) => dead += 1,
                (false, false, true) => lost += 1,
                (false, false, false) => open += 1,
            }
        }
        let counted = (processed, dead, lost, open, extra);
        let kept = (
            c.processed_unique,
            c.dead_lettered,
            c.lost,
            c.in_flight,
            c.duplicates,
        );
        if counted != kept {
            return Err(format!(
                "service {s}: messages say (processed, dead, lost, in flight, duplicates) = {counted:?}, counts say {kept:?}"
            ));
        }
    }
    Ok(())
}

fn exactly_once(world: &World) -> Result<(), String> {
    let scenario = world.scenario();
    for s in 0..scenario.services.len() {
        let policy = scenario.policy(usize::from(world.lane()), s);
        let c = world.ledger().counts(s);
        if policy.dedup() && c.duplicates > 0 {
            let twice = world
                .ledger()
                .messages(s)
                .find(|(_, m)| m.processed > 1)
                .map(|(msg, _)| world.catalog().text(msg));
            return Err(format!(
                "{} applied {} effect(s) twice (first: {})",
                scenario.services[s].name,
                c.duplicates,
                twice.unwrap_or_default()
            ));
        }
    }
    Ok(())
}

fn at_least_once(world: &World) -> Result<(), String> {
    let scenario = world.scenario();
    for (s, service) in scenario.services.iter().enumerate() {
        let policy = scenario.policy(usize::from(world.lane()), s);
        if let Source::Topic(t) = &service.source {
            kafka_at_least_once(world, s, &service.name, t, policy)?;
            continue;
        }
        let Source::Group(g) = &service.source else {
            continue;
        };
        if policy.guarantee == Guarantee::AtMostOnce {
            continue;
        }
        let Some(Ok(Some(stream))) = world.server().map(|s| s.db.stream(g.stream.as_bytes()))
        else {
            continue;
        };
        let lost = |msg: MsgRef| world.ledger().state(s, msg).lost;
        for (id, fields) in stream.range_shared(
            crate::redis::db::stream_id::StreamId::ZERO,
            crate::redis::db::stream_id::StreamId::MAX,
        ) {
            let msg = fields
                .iter()
                .find(|(f, _)| f == b"msg")
                .and_then(|(_, v)| world.catalog().parse(v));
            if let Some(msg) = msg
                && lost(msg)
            {
                return Err(format!(
                    "{} lost {} though the stream still holds it as {}",
                    service.name,
                    world.catalog().text(msg),
                    id.to_text()
                ));
            }
        }
    }
    Ok(())
}

/// A Kafka service that commits after processing loses nothing a replica
/// still holds: what it committed past it processed, and what is above
/// its committed offset it may still read. (A group that starts at
/// `latest` skips what was written before it joined, by its own choice.)
fn kafka_at_least_once(
    world: &World,
    s: usize,
    name: &str,
    source: &crate::scenario::kafka::TopicSource,
    policy: crate::scenario::Policy,
) -> Result<(), String> {
    use crate::kafka::AutoOffsetReset;
    if policy.guarantee == Guarantee::AtMostOnce
        || source.config.auto_offset_reset == AutoOffsetReset::Latest
    {
        return Ok(());
    }
    let Some(k) = world.broker().kafka() else {
        return Ok(());
    };
    let Some(topic) = k.cluster.topics.get(&source.topic) else {
        return Ok(());
    };
    for part in &topic.partitions {
        for replica in part.replicas.values() {
            for record in replica.log.records() {
                let Some(msg) = world.catalog().parse(record.value.as_bytes()) else {
                    continue;
                };
                if world.ledger().state(s, msg).lost {
                    return Err(format!(
                        "{name} lost {} though broker {}'s log still holds it at offset {}",
                        record.value,
                        replica_id(part, replica),
                        record.offset
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The broker whose replica `r` is.
fn replica_id(p: &crate::kafka::partition::Partition, r: &crate::kafka::replica::Replica) -> u32 {
    p.replicas
        .iter()
        .find(|(_, x)| core::ptr::eq(*x, r))
        .map_or(0, |(b, _)| *b)
}

/// Runs swarm case `seed`: `Err` says which property broke (or that the
/// run was not deterministic), with the seed to replay it.
pub fn swarm_case(seed: u64, twice: bool) -> Result<(), String> {
    let s = crate::scenario::swarm::scenario(seed);
    let timeline = super::Timeline::run(s.clone(), seed);
    if let Some(v) = timeline.violation() {
        return Err(format!("swarm seed {seed}: {v}"));
    }
    if !timeline.end().is_finished() {
        return Err(format!("swarm seed {seed}: the run did not finish"));
    }
    if twice {
        let again = super::Timeline::run(s, seed);
        if again.fingerprint() != timeline.fingerprint() {
            return Err(format!("swarm seed {seed}: two runs gave two traces"));
        }
    }
    Ok(())
}
