//! The Kafka built-ins run through the simulation: over seeds 1–5 each
//! loses exactly where seed 003 (and the scenarios) say, the safe
//! configuration loses and duplicates nothing, and the same seed gives
//! the same trace.

use ackscope_engine::kafka::{ErrorCode, Event, SendOutcome};
use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::{Timeline, World};
use ackscope_engine::{SimDuration, SimTime};

fn run(name: &str, seed: u64) -> Timeline {
    let t = Timeline::run(builtin::by_name(name).expect(name), seed);
    assert_eq!(t.violation(), None, "{name} seed {seed}");
    t
}

fn names(world: &World, msgs: Vec<ackscope_engine::msg::MsgRef>) -> Vec<String> {
    msgs.into_iter().map(|m| world.msg_name(m)).collect()
}

fn told(world: &World, name: &str) -> Option<SendOutcome> {
    let msg = world
        .catalog()
        .parse(name.as_bytes())
        .expect("a message of the run");
    world.told(msg).cloned()
}

#[test]
fn acks_1_loses_the_acknowledged_record_the_followers_never_fetched() {
    for seed in 1..=5 {
        let t = run("kafka-acks1-leader-crash", seed);
        let w = t.end().lane(0);
        let gone = names(w, w.acknowledged_then_lost(0));
        assert_eq!(
            gone,
            ["order-11"],
            "seed {seed}: appended at 4000 ms, leader dead at 4250"
        );
        assert_eq!(names(w, w.lost_msgs(0)), gone);
        assert_eq!(w.service_counts(0).duplicates, 0);
    }
}

#[test]
fn acks_all_without_retries_loses_what_was_sent_during_the_election() {
    for seed in 1..=5 {
        let t = run("kafka-acksall-no-retry", seed);
        let w = t.end().lane(0);
        let lost = names(w, w.lost_msgs(0));
        assert!(!lost.is_empty());
        assert!(
            w.acknowledged_then_lost(0).is_empty(),
            "nothing acknowledged was lost"
        );
        for name in &lost {
            assert!(
                matches!(told(w, name), Some(SendOutcome::Failed { .. })),
                "seed {seed}: {name}'s callback got the error"
            );
        }
        // Only the window between the crash (4250) and the election
        // (13250): order-11 (sent at 4000, answered by the dying leader's
        // connection) to order-34 (13200).
        assert_eq!(lost.first().map(String::as_str), Some("order-11"));
        assert_eq!(lost.last().map(String::as_str), Some("order-34"));
    }
}

#[test]
fn the_safe_configuration_loses_nothing_and_duplicates_nothing() {
    for seed in 1..=5 {
        let t = run("kafka-acksall-safe", seed);
        let c = t.end().lane(0).service_counts(0);
        assert_eq!(
            (c.produced, c.lost, c.duplicates, c.in_flight),
            (36, 0, 0, 0),
            "seed {seed}"
        );
        assert_eq!(c.processed_unique, 36);
    }
}

#[test]
fn an_unclean_election_truncates_acknowledged_records_away() {
    for seed in 1..=5 {
        let t = run("kafka-unclean-election", seed);
        let unclean = t.events().iter().any(|e| {
            matches!(
                e.what.kafka(),
                Some(Event::LeaderElected {
                    clean: false,
                    leader: Some(2),
                    ..
                })
            )
        });
        assert!(unclean, "seed {seed}");
        let w = t.end().lane(0);
        let analytics = 1;
        let gone = w.acknowledged_then_lost(analytics);
        assert!(!gone.is_empty(), "seed {seed}");
        assert_eq!(gone.len() as u64, w.service_counts(analytics).lost);
    }
}

#[test]
fn below_min_isr_acks_all_is_refused_and_acks_1_waits_invisible() {
    let t = run("kafka-min-isr-blocks", 3);
    let w = t.end().lane(0);
    for name in names(w, w.lost_msgs(0)) {
        assert!(name.starts_with("audit-"), "{name}");
        assert_eq!(
            told(w, &name),
            Some(SendOutcome::Failed {
                error: ErrorCode::NotEnoughReplicas
            })
        );
    }
    // In the window the leader keeps appending click's records but the
    // high watermark stands still.
    let at = |ms| SimTime::START + SimDuration::from_ms(ms);
    let (early, late) = (t.at(at(14_000)), t.at(at(23_000)));
    let part = |l: &ackscope_engine::sim::Lanes| {
        let p = l
            .lane(0)
            .broker()
            .kafka()
            .unwrap()
            .cluster
            .partition("orders", 0)
            .unwrap()
            .clone();
        (p.isr.clone(), p.high_watermark(), p.log_end_offset())
    };
    let (isr_a, hw_a, leo_a) = part(&early);
    let (isr_b, hw_b, leo_b) = part(&late);
    assert_eq!((isr_a, isr_b), (vec![1], vec![1]));
    assert_eq!(
        hw_a, hw_b,
        "the high watermark does not advance below min ISR"
    );
    assert!(leo_b > leo_a, "acks=1 writes are still appended");
    assert_eq!(
        w.service_counts(0).in_flight,
        0,
        "the followers' return frees them"
    );
}

#[test]
fn commit_first_loses_and_process_first_repeats() {
    for seed in 1..=5 {
        let t = run("kafka-commit-before-processing", seed);
        let (first, after) = (
            t.end().lane(0).service_counts(0),
            t.end().lane(1).service_counts(0),
        );
        assert!(
            first.lost > 0 && first.duplicates == 0,
            "seed {seed}: {first:?}"
        );
        assert!(
            after.lost == 0 && after.duplicates > 0,
            "seed {seed}: {after:?}"
        );
        assert_eq!(first.produced, after.produced);
    }
}

#[test]
fn auto_commit_both_loses_and_repeats() {
    for seed in 1..=5 {
        let c = run("kafka-auto-commit", seed)
            .end()
            .lane(0)
            .service_counts(0);
        assert!(c.lost > 0 && c.duplicates > 0, "seed {seed}: {c:?}");
    }
}

#[test]
fn after_a_rebalance_the_survivor_resumes_from_the_committed_offsets() {
    for seed in 1..=5 {
        let t = run("kafka-rebalance", seed);
        let c = t.end().lane(0).service_counts(0);
        assert!(c.lost == 0 && c.duplicates > 0, "seed {seed}: {c:?}");
        let moved = t.events().iter().any(|e| {
            matches!(e.what.kafka(), Some(Event::PartitionsAssigned { member, partitions, .. })
                if member.starts_with("c2") && partitions.len() == 4)
        });
        assert!(
            moved,
            "seed {seed}: c2 owns all four partitions after the rebalance"
        );
    }
}

#[test]
fn kafka_runs_are_deterministic() {
    for name in ["kafka-acksall-safe", "kafka-rebalance"] {
        assert_eq!(run(name, 9).fingerprint(), run(name, 9).fingerprint());
    }
}
