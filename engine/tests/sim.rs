//! The simulation: determinism, the built-ins' stories, seeking.

use ackscope_engine::redis::Event;
use ackscope_engine::scenario::{Scenario, builtin};
use ackscope_engine::sim::{Injection, Lanes, SimEvent, Timeline, What, World};
use ackscope_engine::time::{SimDuration, SimTime};

fn run(name: &str) -> Timeline {
    let scenario = builtin::by_name(name).expect("built-in exists");
    let seed = scenario.seed;
    let t = Timeline::run(scenario, seed);
    assert!(
        t.violation().is_none(),
        "{name}: {}",
        t.violation().unwrap()
    );
    t
}

/// The one lane of a run, at its end.
fn end(t: &Timeline) -> &World {
    t.end().lane(0)
}

fn at(ms: u64) -> SimTime {
    SimTime::START + SimDuration::from_ms(ms)
}

#[test]
fn the_same_seed_gives_the_same_trace() {
    for (name, _) in builtin::SOURCES {
        let (a, b) = (run(name), run(name));
        assert_eq!(a.fingerprint(), b.fingerprint(), "{name}");
        assert_eq!(a.events(), b.events(), "{name}");
    }
}

#[test]
fn another_seed_gives_another_trace() {
    let scenario = builtin::by_name("stream-consumer-crash-claim").unwrap();
    let a = Timeline::run(scenario.clone(), 1);
    let b = Timeline::run(scenario, 2);
    assert_ne!(a.fingerprint(), b.fingerprint());
}

fn actor_events(t: &Timeline) -> impl Iterator<Item = SimEvent> + '_ {
    t.events().iter().filter_map(|e| match e.what.into_owned() {
        What::Sim(a) => Some(a),
        What::Redis(_) | What::Kafka(_) => None,
    })
}

#[test]
fn dead_letter_moves_exactly_the_poison_message() {
    let t = run("stream-dead-letter");
    let moved: Vec<u32> = actor_events(&t)
        .filter_map(|e| match e {
            SimEvent::DeadLettered(d) => {
                assert_eq!(d.deliveries, 4, "moved on the delivery after the third");
                Some(d.msg.seq)
            }
            _ => None,
        })
        .collect();
    assert_eq!(moved, vec![4]);
    let c = end(&t).service_counts(0);
    assert_eq!(
        (c.produced, c.processed_unique, c.dead_lettered, c.lost),
        (12, 11, 1, 0)
    );
}

#[test]
fn a_crashed_consumers_entries_are_claimed_and_nothing_is_lost() {
    let t = run("stream-consumer-crash-claim");
    let claimed_from_w1 = t
        .events()
        .iter()
        .filter(|e| matches!(&*e.what, What::Redis(Event::EntryClaimed(c)) if c.from == b"w1" && c.to == b"w2"))
        .count();
    assert!(
        claimed_from_w1 >= 2,
        "w2 claimed {claimed_from_w1} of w1's entries"
    );
    let c = end(&t).service_counts(0);
    assert_eq!(
        (c.produced, c.processed_unique, c.lost, c.duplicates),
        (30, 30, 0, 0)
    );
}

#[test]
fn queues_and_channels_forget_what_streams_keep() {
    let t = run("queue-vs-stream-vs-pubsub");
    let services = &t.end().scenario().services;
    let lost: Vec<(&str, u64)> = services
        .iter()
        .enumerate()
        .map(|(i, l)| (l.name.as_str(), end(&t).service_counts(i).lost))
        .collect();
    for (name, lost) in &lost {
        if name.starts_with("pubsub") {
            assert!(*lost > 0, "{name} should miss messages");
        } else {
            assert_eq!(*lost, 0, "{name}");
        }
    }
}

#[test]
fn seeking_restores_the_world_at_any_time() {
    let t = run("stream-consumer-crash-claim");
    let end_time = t.end_time();
    for ms in [0, 1234, 2500, 4470, 9000, 15000] {
        let at = SimTime::START + SimDuration::from_ms(ms);
        if at > end_time {
            continue;
        }
        let seeked = t.at(at);
        // Reference: a fresh run stepped up to the same point.
        let scenario = builtin::by_name("stream-consumer-crash-claim").unwrap();
        let mut fresh = Lanes::new(std::rc::Rc::new(scenario), 7, Default::default());
        while fresh.actions() < t.actions_until(at) {
            fresh.step();
        }
        fresh.set_clock(at);
        assert_eq!(seeked.actions(), fresh.actions());
        assert_eq!(seeked.now(), fresh.now());
        let (seeked, fresh) = (seeked.lane(0), fresh.lane(0));
        assert_eq!(
            seeked.service_counts(0),
            fresh.service_counts(0),
            "at {ms} ms"
        );
        let xinfo = |w: &World| {
            format!(
                "{:?}",
                w.server()
                    .expect("a Redis lane")
                    .db
                    .stream(b"orders")
                    .ok()
                    .flatten()
                    .map(|s| (s.len(), s.groups.clone()))
            )
        };
        assert_eq!(xinfo(seeked), xinfo(fresh), "at {ms} ms");
    }
}

#[test]
fn an_injected_crash_changes_the_run_from_then_on() {
    let mut t = run("stream-dead-letter");
    let before = t.fingerprint();
    let prefix = t.events_until(SimTime::START + SimDuration::from_ms(3000));
    let kept: Vec<_> = t.events().slice(..prefix).to_vec();
    t.inject(Injection::Fault(ackscope_engine::scenario::FaultSpec {
        at_ms: 3000,
        kind: ackscope_engine::scenario::FaultKind::Crash,
        role: Some("p1".into()),
        until_ms: None,
        factor: None,
        command: None,
    }))
    .unwrap();
    assert_ne!(t.fingerprint(), before);
    assert_eq!(
        t.events().slice(..prefix).to_vec(),
        kept,
        "the past is unchanged"
    );
    // Replaying from scratch with the same injection gives the same run.
    let scenario = builtin::by_name("stream-dead-letter").unwrap();
    let again = Timeline::run_with(scenario, 4, t.injections().to_vec());
    assert_eq!(again.fingerprint(), t.fingerprint());
}

#[test]
fn bad_scenarios_are_rejected_with_the_field_named() {
    let cases = [
        (r#"{"name":"x"}"#, "missing field"),
        (
            r#"{"name":"x","title":{"en":"","ko":""},"summary":{"en":"","ko":""},"duration_ms":0,"drain_ms":0}"#,
            "duration_ms:",
        ),
        (
            r#"{"name":"X Y","title":{"en":"","ko":""},"summary":{"en":"","ko":""},"duration_ms":10,"drain_ms":0}"#,
            "name:",
        ),
        ("[]", "not a valid scenario"),
        ("", "not a valid scenario"),
    ];
    for (text, expected) in cases {
        let e = Scenario::from_json(text).unwrap_err().0;
        assert!(e.contains(expected), "{text}: {e}");
    }
}

#[test]
fn the_view_shows_a_crashed_consumer_still_holding_its_entries() {
    use ackscope_engine::view::WorkerStatus;
    let t = run("stream-consumer-crash-claim");
    let lanes = t.at(at(4000));
    let view = lanes.lane(0).view();
    assert_eq!(view.time_ms, 4000);
    let orders = &view.streams[0];
    assert_eq!(orders.key, "orders");
    let group = &orders.groups[0];
    assert_eq!(group.name, "billing");
    let w1 = group.consumers.iter().find(|c| c.name == "w1").unwrap();
    assert_eq!(w1.worker.as_ref().unwrap().status, WorkerStatus::Crashed);
    assert!(!w1.pending.is_empty(), "w1 still holds entries");
    assert!(
        w1.pending
            .iter()
            .all(|p| p.idle_ms >= 1500 && p.delivery_count == 1)
    );
    assert_eq!(
        group.pending,
        group.consumers.iter().map(|c| c.pending_count).sum::<u64>()
    );
    // The story of one of them, up to the end: added, delivered to w1 (who
    // started on it, then crashed), claimed by w2, processed, acknowledged.
    let id = w1.pending[0].id;
    let story = end(&t).entry_story(t.events(), b"orders", id);
    type Is = fn(&What) -> bool;
    let expected: [Is; 8] = [
        |w| matches!(w, What::Redis(Event::EntryAdded { .. })),
        |w| matches!(w, What::Sim(SimEvent::Produced { .. })),
        |w| matches!(w, What::Redis(Event::EntryDelivered { .. })),
        |w| matches!(w, What::Sim(SimEvent::ProcessingStarted { worker, .. }) if worker == b"w1"),
        |w| matches!(w, What::Redis(Event::EntryClaimed(c)) if c.to == b"w2"),
        |w| matches!(w, What::Sim(SimEvent::ProcessingStarted { worker, .. }) if worker == b"w2"),
        |w| matches!(w, What::Sim(SimEvent::Processed { applied: true, .. })),
        |w| matches!(w, What::Redis(Event::EntryAcked { .. })),
    ];
    assert_eq!(story.len(), expected.len(), "{story:#?}");
    for (e, is) in story.iter().zip(expected) {
        assert!(is(&e.what), "{story:#?}");
    }
}

#[test]
fn the_inspector_sees_what_redis_would_report_without_changing_the_world() {
    let t = run("seed-offset-vs-pending");
    let lanes = t.at(at(12_500));
    let world = lanes.lane(0);
    let before = world.view();
    let groups = world.query("XINFO GROUPS mybook");
    assert!(
        groups.contains("\"last-delivered-id\"\n") && groups.contains("\"1700000003000-0\""),
        "{groups}"
    );
    assert!(
        groups.contains("\"pending\"\n    6) (integer) 3"),
        "{groups}"
    );
    assert_eq!(
        world
            .query("XPENDING mybook readers - + 10 reader-1")
            .lines()
            .filter(|l| l.contains("reader-1"))
            .count(),
        3
    );
    assert_eq!(world.view(), before);
    let (from, text) = world.scenario().narration_at(12_500).unwrap();
    assert_eq!(from, 12_000);
    assert!(text.en.contains("Pending: 3"));
}

#[test]
fn publish_reaches_every_node_spublish_only_its_shard() {
    let t = run("sharded-pubsub");
    let forwards = |sharded: bool| {
        t.events()
            .iter()
            .filter(|e| matches!(&*e.what, What::Redis(Event::ClusterForwarded { sharded: s, .. }) if *s == sharded))
            .count()
    };
    // 6 nodes (3 primaries, 3 replicas): PUBLISH goes to the 5 others,
    // SPUBLISH only to the shard's replica; 5 messages each.
    assert_eq!(forwards(false), 5 * 5);
    assert_eq!(forwards(true), 5);
    for service in 0..2 {
        assert_eq!(end(&t).service_counts(service).lost, 0);
    }
}

/// The fingerprints of the built-ins, checked in: the wasm build checks the
/// same file (web/tests/browser/determinism.rs), so native and wasm must agree.
/// After an intended change of the trace, regenerate it with
/// `ACKSCOPE_UPDATE_FINGERPRINTS=1 cargo test -p ackscope-engine --test sim`.
#[test]
fn built_in_fingerprints_match_the_checked_in_ones() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fingerprints.txt");
    let actual: String = builtin::SOURCES
        .iter()
        .map(|(name, _)| {
            let scenario = builtin::by_name(name).unwrap();
            let seed = scenario.seed;
            format!(
                "{name} {seed} {}\n",
                Timeline::run(scenario, seed).fingerprint().to_hex()
            )
        })
        .collect();
    if std::env::var_os("ACKSCOPE_UPDATE_FINGERPRINTS").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual,
        expected,
        "the trace changed: if that was intended, regenerate {}",
        path.display()
    );
}

#[test]
fn seeking_after_an_injection_sees_it() {
    let mut t = run("stream-consumer-crash-claim");
    let console = |at_ms| Injection::Console {
        at_ms,
        client: "console".into(),
        line: "XADD orders * hello world".into(),
        lane: 0,
    };
    t.inject(console(1500)).unwrap();
    let lanes = t.after(t.actions_until(at(1500)));
    assert!(
        lanes
            .lane(0)
            .query("XREVRANGE orders + - COUNT 1")
            .contains("\"hello\"")
    );
    // At the very end of the run an injection still applies; after, never.
    let end_ms = t.end().scenario().end_ms();
    t.inject(console(end_ms)).unwrap();
    assert!(
        end(&t)
            .query("XREVRANGE orders + - COUNT 1")
            .contains("\"hello\"")
    );
    assert!(t.inject(console(end_ms + 1)).is_err());
}

#[test]
fn a_message_story_follows_it_through_every_target() {
    use ackscope_engine::msg::MsgRef;
    let t = run("queue-vs-stream-vs-pubsub");
    let msg = MsgRef {
        producer: 0,
        seq: 8,
    };
    let story = end(&t).message_story(t.events(), msg);
    type Is = fn(&What) -> bool;
    let has = |is: Is| story.iter().any(|e| is(&e.what));
    // Sent three ways; popped from the list, delivered from the stream to
    // both groups; published while mobile was offline, so lost there.
    let needed: [(&str, Is); 8] = [
        ("produced", |w| {
            matches!(w, What::Sim(SimEvent::Produced { .. }))
        }),
        ("pushed", |w| {
            matches!(w, What::Redis(Event::ListPushed { .. }))
        }),
        ("popped", |w| {
            matches!(w, What::Redis(Event::ListPopped { .. }))
        }),
        ("added", |w| {
            matches!(w, What::Redis(Event::EntryAdded { .. }))
        }),
        ("delivered", |w| {
            matches!(w, What::Redis(Event::EntryDelivered { .. }))
        }),
        ("published", |w| {
            matches!(w, What::Redis(Event::Published { .. }))
        }),
        ("processed", |w| {
            matches!(w, What::Sim(SimEvent::Processed { .. }))
        }),
        ("lost", |w| matches!(w, What::Sim(SimEvent::Lost { .. }))),
    ];
    for (name, is) in needed {
        assert!(has(is), "{name} missing from the story of event-8");
    }
}

#[test]
fn a_worker_that_leaves_stays_gone_through_the_drain() {
    let mut scenario = builtin::by_name("queue-vs-stream-vs-pubsub").unwrap();
    scenario.faults.clear();
    scenario.services[0].workers[0].stop_ms = Some(4000);
    scenario.validate().unwrap();
    let t = Timeline::run(scenario, 0);
    let stops = actor_events(&t)
        .filter(|e| matches!(e, SimEvent::Stopped { .. }))
        .count();
    let restarts = actor_events(&t)
        .filter(|e| matches!(e, SimEvent::Restarted { .. }))
        .count();
    assert_eq!((stops, restarts), (1, 0));
    // Events 9 to 20 were published after mobile left.
    assert_eq!(end(&t).service_counts(0).lost, 12);
}

/// The peaks of each group read from the trace (the most pending entries a
/// consumer holds, the most consumers the group has) are what the world's
/// own views reach when stepped action by action — never more.
#[test]
fn peaks_read_from_the_trace_are_what_the_world_reaches() {
    use ackscope_engine::view::peak::{peak_consumers, peak_pending};
    use std::collections::BTreeMap;
    for (name, _) in builtin::SOURCES {
        let t = run(name);
        let mut pending: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut consumers: BTreeMap<(String, String), u64> = BTreeMap::new();
        let top = |peaks: &mut BTreeMap<(String, String), u64>, group, n: u64| {
            let top = peaks.entry(group).or_default();
            *top = (*top).max(n);
        };
        // Stepped, not sought: one world carried through the run.
        let mut lanes = t.after(0);
        for n in 0..=t.actions() {
            lanes.replay_to(n);
            for stream in lanes.lane(0).view().streams {
                for group in stream.groups {
                    let most = group.consumers.iter().map(|c| c.pending_count).max();
                    let id = (stream.key.clone(), group.name.clone());
                    top(&mut pending, id.clone(), most.unwrap_or(0));
                    top(&mut consumers, id, group.consumers.len() as u64);
                }
            }
        }
        pending.retain(|_, n| *n > 0);
        consumers.retain(|_, n| *n > 0);
        assert_eq!(peak_pending(t.events(), 0), pending, "{name}");
        assert_eq!(peak_consumers(t.events(), 0), consumers, "{name}");
        assert!(
            !consumers.is_empty() || !name.starts_with("stream"),
            "{name}"
        );
    }
}
