//! A Kafka lane at a glance (`World::kafka_glance`), what the Guarantees
//! lab draws small per lane: it agrees with the Kafka lab's full
//! `KafkaView` and with the cluster's own answers at every moment, marks
//! what the consumers hold, and follows a leader crash.

use ackscope_engine::scenario::{FaultKind, FaultSpec, builtin};
use ackscope_engine::sim::{Injection, Timeline, World};
use ackscope_engine::view::kafka::BrokerState;
use ackscope_engine::view::kafka_glance::{ControlMark, KafkaGlance, MAX_STRIP_RECORDS};
use ackscope_engine::{SimDuration, SimTime};

const NAME: &str = "kafka-commit-before-processing";

fn at(ms: u64) -> SimTime {
    SimTime::START + SimDuration::from_ms(ms)
}

/// Every number of the glance against the full view of the same world.
fn check(world: &World, when: &str) {
    let glance = world.kafka_glance(0).expect("a Kafka lane");
    let full = world.kafka_view().expect("a Kafka lane");
    assert_eq!(glance.brokers, full.brokers, "{when}");
    assert_eq!(glance.group, "billing");
    // Every partition, but an output topic only where the lane writes it.
    let eos = world.tally().services[0].guarantee == "exactly-once";
    let shown: Vec<_> = full
        .partitions
        .iter()
        .filter(|p| p.topic == "orders" || eos || p.leo > 0)
        .collect();
    assert_eq!(glance.partitions.len(), shown.len(), "{when}");
    let committed = &full.groups[0].committed;
    for (strip, p) in glance.partitions.iter().zip(shown) {
        let tp = format!("{}-{}", p.topic, p.index);
        assert_eq!(strip.tp, tp);
        assert_eq!((strip.leader, strip.epoch), (p.leader, p.epoch), "{when}");
        assert_eq!(strip.isr, p.isr, "{when}");
        if p.leader.is_some() {
            assert_eq!((strip.hw, strip.leo), (p.hw, p.leo), "{when} {tp}");
        }
        assert_eq!(strip.read, p.topic == "orders", "{when} {tp}");
        let want = committed.iter().find(|(t, _)| *t == tp).map(|(_, o)| *o);
        assert_eq!(strip.committed, want, "{when} {tp}");
        if let Some(lso) = strip.lso {
            assert!(lso <= strip.hw, "{when} {tp}: LSO {lso} above HW");
        }
        // The window covers the log between what it leaves out, and
        // starts no later than the committed offset it can show.
        let shown = strip.records.len() as u64;
        assert_eq!(
            strip.earlier + shown + strip.later,
            strip.leo,
            "{when} {tp}"
        );
        if let Some(c) = strip.committed.filter(|c| *c < strip.leo) {
            assert!(
                strip.earlier <= c && c < strip.earlier + shown,
                "{when} {tp}"
            );
        }
        assert!(shown as usize <= MAX_STRIP_RECORDS);
        for (i, r) in strip.records.iter().enumerate() {
            assert_eq!(r.offset, strip.earlier + i as u64);
            assert_eq!(r.committed, r.offset < strip.hw, "{when} {tp}@{}", r.offset);
            if r.control.is_some() || r.transactional {
                assert!(
                    strip.lso.is_some(),
                    "{when} {tp}: a transactional log has an LSO"
                );
            }
            assert!(!r.aborted || r.transactional, "{when} {tp}@{}", r.offset);
        }
    }
    // What each consumer holds is marked on the strip, and nothing else.
    for c in &glance.consumers {
        let held: Vec<_> = glance
            .partitions
            .iter()
            .flat_map(|p| &p.records)
            .filter(|r| r.held_by.as_deref() == Some(c.name.as_str()))
            .collect();
        let working: Vec<_> = held.iter().filter(|r| r.working).collect();
        assert_eq!(
            held.len(),
            c.queued + usize::from(c.working.is_some()),
            "{when} {}",
            c.name
        );
        assert_eq!(
            working.iter().map(|r| r.value.clone()).collect::<Vec<_>>(),
            c.working.iter().cloned().collect::<Vec<_>>(),
            "{when} {}",
            c.name
        );
    }
    assert_eq!(
        glance.consumers, full.consumers,
        "one service: every consumer"
    );
}

/// Every moment of `name`'s run, every lane, checked; returns the glances.
fn every_moment(name: &str, seed: u64, step_ms: usize) -> Vec<KafkaGlance> {
    let t = Timeline::run(builtin::by_name(name).unwrap(), seed);
    let end = t.end_time().since_start().as_ms();
    let mut glances = Vec::new();
    for ms in (0..=end).step_by(step_ms) {
        for world in t.at(at(ms)).worlds() {
            check(world, &format!("{name} lane {} at {ms} ms", world.lane()));
            glances.push(world.kafka_glance(0).unwrap());
        }
    }
    glances
}

#[test]
fn the_glance_agrees_with_the_full_view_at_every_moment() {
    let glances = every_moment(NAME, 3, 250);
    let held_somewhere = glances
        .iter()
        .flat_map(|g| &g.partitions)
        .flat_map(|p| &p.records)
        .any(|r| r.held_by.is_some());
    assert!(held_somewhere, "the consumers hold records at some moment");
    let t = Timeline::run(builtin::by_name(NAME).unwrap(), 3);
    // At the end every record is committed and the group has read them all.
    let world = t.end().lane(1);
    let strip = &world.kafka_glance(0).unwrap().partitions[0];
    assert_eq!(strip.hw, strip.leo);
    assert_eq!(strip.committed, Some(strip.leo));
}

#[test]
fn a_crashed_consumer_holds_nothing_and_its_group_keeps_the_committed_offset() {
    let t = Timeline::run(builtin::by_name(NAME).unwrap(), 3);
    let lanes = t.at(at(6_500));
    for world in lanes.worlds() {
        let g = world.kafka_glance(0).unwrap();
        assert_eq!(g.consumers[0].status, "crashed");
        assert!(g.partitions[0].records.iter().all(|r| r.held_by.is_none()));
        assert!(g.partitions[0].committed.is_some_and(|c| c > 0));
    }
    // Commit first: the group committed further than commit-after did.
    let first = lanes.lane(0).kafka_glance(0).unwrap().partitions[0].committed;
    let after = lanes.lane(1).kafka_glance(0).unwrap().partitions[0].committed;
    assert!(first > after, "{first:?} vs {after:?}");
}

#[test]
fn a_leader_crash_shows_a_dead_broker_and_a_new_leader() {
    let crash = Injection::Fault(FaultSpec {
        at_ms: 3_000,
        kind: FaultKind::BrokerCrash,
        role: Some("leader".into()),
        until_ms: None,
        factor: None,
        command: None,
    });
    let t = Timeline::run_with(builtin::by_name(NAME).unwrap(), 3, vec![crash]);
    let before = t.at(at(2_900)).lane(0).kafka_glance(0).unwrap();
    let old = before.partitions[0].leader.expect("a leader");
    // Killed, the broker is dead at once; the controller moves its
    // leadership only once its session (9 s) expires.
    let dead = |g: &ackscope_engine::view::kafka_glance::KafkaGlance| {
        g.brokers.iter().find(|b| b.id == old).unwrap().state
    };
    let soon = t.at(at(3_500));
    let g = soon.lane(0).kafka_glance(0).unwrap();
    assert_eq!(dead(&g), BrokerState::Dead);
    assert_eq!(g.partitions[0].leader, Some(old));
    let later = t.at(at(12_500));
    for world in later.worlds() {
        check(world, "after the leader's crash");
        let g = world.kafka_glance(0).unwrap();
        assert_eq!(dead(&g), BrokerState::Dead);
        assert_ne!(g.partitions[0].leader, Some(old));
        assert!(g.partitions[0].epoch > before.partitions[0].epoch);
    }
}

#[test]
fn a_redis_lane_has_no_kafka_glance() {
    let t = Timeline::run(builtin::by_name("guarantees-side-by-side").unwrap(), 11);
    assert!(t.end().lane(0).kafka_glance(0).is_none());
}

/// The exactly-once lane's transactions show on its output topic: its
/// records flagged transactional, commit markers, an open transaction
/// holding the LSO below the HW while c1 is dead, and the transaction it
/// left open aborted once it comes back. The other lanes write no
/// transaction.
#[test]
fn transactions_show_markers_and_the_last_stable_offset() {
    const SIDE: &str = "guarantees-side-by-side-kafka";
    let t = Timeline::run(builtin::by_name(SIDE).unwrap(), 11);
    let end = t.end_time().since_start().as_ms();
    let mut lso_below_hw = false;
    let mut eos = Vec::new();
    let invoices = |world: &World| {
        world
            .kafka_glance(0)
            .unwrap()
            .partitions
            .into_iter()
            .filter(|p| p.tp.starts_with("invoices"))
            .flat_map(|p| p.records)
            .collect::<Vec<_>>()
    };
    for ms in (0..=end).step_by(100) {
        let lanes = t.at(at(ms));
        for world in lanes.worlds() {
            check(world, &format!("{SIDE} lane {} at {ms} ms", world.lane()));
        }
        let g = lanes.lane(2).kafka_glance(0).unwrap();
        lso_below_hw |= g.partitions.iter().any(|p| p.lso.is_some_and(|l| l < p.hw));
        eos.extend(invoices(lanes.lane(2)));
    }
    assert!(
        lso_below_hw,
        "an open transaction holds the LSO back at some moment"
    );
    assert!(eos.iter().any(|r| r.control == Some(ControlMark::Commit)));
    assert!(eos.iter().any(|r| r.control == Some(ControlMark::Abort)));
    assert!(
        eos.iter().any(|r| r.aborted),
        "what c1 left open was aborted"
    );
    assert!(
        eos.iter()
            .filter(|r| r.control.is_none())
            .all(|r| r.transactional)
    );
    for lane in [0, 1] {
        assert!(
            invoices(t.end().lane(lane))
                .iter()
                .all(|r| r.control.is_none() && !r.transactional)
        );
    }
}
