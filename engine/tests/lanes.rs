//! Lanes in lockstep and faults by role: the same workload and the same
//! fault schedule in every lane, each lane with its own broker and policy.

use ackscope_engine::name::Name;
use ackscope_engine::redis::Event;
use ackscope_engine::redis::db::fields::Fields;
use ackscope_engine::scenario::{Scenario, builtin};
use ackscope_engine::sim::{EventRef, SimEvent, Timeline, What};
use ackscope_engine::time::{SimDuration, SimTime};

fn at(ms: u64) -> SimTime {
    SimTime::START + SimDuration::from_ms(ms)
}

fn run(scenario: Scenario) -> Timeline {
    let seed = scenario.seed;
    let t = Timeline::run(scenario, seed);
    assert!(t.violation().is_none(), "{}", t.violation().unwrap());
    t
}

fn in_lane(t: &Timeline, lane: u16) -> impl Iterator<Item = EventRef<'_>> {
    t.events().iter().filter(move |e| e.lane == lane)
}

/// What a lane's producers sent and what the broker appended for them:
/// (time, message, target, entry ID, accepted, retry) and (time, key, ID,
/// fields).
type Send = (SimTime, Name, u32, Name, Option<String>, bool, u32);
type Append = (SimTime, Name, String, Fields);

fn sends(t: &Timeline, lane: u16) -> (Vec<Send>, Vec<Append>) {
    let mut sends = Vec::new();
    let mut appends = Vec::new();
    for e in in_lane(t, lane) {
        match &*e.what {
            What::Sim(SimEvent::Produced {
                producer,
                msg,
                target,
                id,
                accepted,
                retry,
            }) => sends.push((
                e.at,
                producer.clone(),
                msg.seq,
                target.clone(),
                id.get().map(|id| id.to_text()),
                *accepted,
                *retry,
            )),
            What::Redis(Event::EntryAdded {
                key, id, fields, ..
            }) if key == b"orders" => {
                appends.push((e.at, key.clone(), id.to_text(), (**fields).clone()))
            }
            _ => {}
        }
    }
    (sends, appends)
}

#[test]
fn every_lane_makes_the_same_sends_whatever_its_policy() {
    let scenario = builtin::by_name("guarantees-side-by-side").unwrap();
    assert_eq!(scenario.lane_count(), 3);
    let t = run(scenario);
    let (first_sends, first_appends) = sends(&t, 0);
    assert_eq!(first_sends.len(), 30);
    assert_eq!(first_appends.len(), 30);
    for lane in 1..3 {
        let (s, a) = sends(&t, lane);
        assert_eq!(s, first_sends, "lane {lane}'s producer sent otherwise");
        assert_eq!(a, first_appends, "lane {lane}'s stream got other entries");
    }
    // The same faults hit every lane, at the same instant…
    for lane in 0..3 {
        let crashed = in_lane(&t, lane).any(|e| {
            e.at == at(2500)
                && matches!(&*e.what, What::Sim(SimEvent::Crashed { worker }) if worker == b"w1")
        });
        assert!(crashed, "w1 did not crash in lane {lane}");
        let lost_ack = in_lane(&t, lane).any(|e| {
            matches!(&*e.what, What::Sim(SimEvent::CommandLost { client, command }) if client == b"w2" && command.starts_with("XACK"))
        });
        assert!(lost_ack, "w2's XACK was not lost in lane {lane}");
    }
    // …and the policies made three different runs of them.
    let counts: Vec<_> = t
        .end()
        .worlds()
        .iter()
        .map(|w| w.service_counts(0))
        .collect();
    assert!(counts[0].lost + counts[0].in_flight > 0, "{counts:?}");
    assert_eq!(
        counts[0].duplicates, 0,
        "at-most-once never processes twice"
    );
    assert_eq!(counts[1].lost + counts[1].in_flight, 0, "{counts:?}");
    assert!(counts[1].duplicates > 0, "the lost XACK makes a duplicate");
}

/// A lane's events are the ones that lane's world makes: stepping the
/// whole run and seeking it give the same lanes.
#[test]
fn seeking_a_run_seeks_every_lane_together() {
    let t = run(builtin::by_name("guarantees-side-by-side").unwrap());
    for ms in [0, 2500, 5000, 9000, 16000] {
        let lanes = t.at(at(ms));
        for (lane, world) in lanes.worlds().iter().enumerate() {
            assert_eq!(world.now(), at(ms), "lane {lane} at {ms} ms");
            let counted = t
                .events()
                .iter()
                .filter(|e| e.lane as usize == lane && e.at <= at(ms))
                .filter(|e| matches!(&*e.what, What::Redis(Event::EntryAdded { .. })))
                .count() as u64;
            let stream = world
                .server()
                .expect("a Redis lane")
                .db
                .stream(b"orders")
                .ok()
                .flatten();
            assert_eq!(
                stream.map_or(0, |s| s.entries_added),
                counted,
                "lane {lane} at {ms} ms"
            );
        }
    }
}

/// A broker crash keeps what persistence flushed: nothing without
/// `appendonly`, every write with `appendfsync always`, the state of the
/// last whole second with `everysec`.
#[test]
fn a_broker_crash_keeps_what_persistence_flushed() {
    let scenario = Scenario::from_json(
        r#"{
        "name": "broker-crash", "title": {"en": "", "ko": ""}, "summary": {"en": "", "ko": ""},
        "seed": 1, "duration_ms": 5000, "drain_ms": 5000,
        "producers": [{"name": "order", "targets": [{"stream": "orders"}], "every_ms": 100, "count": 40}],
        "services": [{"name": "billing", "guarantee": "at-least-once",
            "source": {"group": {"stream": "orders", "group": "billing"}},
            "workers": [{"name": "w1", "count": 10, "processing_ms": {"fixed": 300},
                         "claim": {"every_ms": 500, "min_idle_ms": 1000}}]}],
        "lanes": [
            {"name": "no persistence"},
            {"name": "always", "redis": {"appendonly": true, "appendfsync": "always"}},
            {"name": "everysec", "redis": {"appendonly": true, "appendfsync": "everysec"}}
        ],
        "faults": [{"at_ms": 2550, "kind": "broker-crash", "until_ms": 3000}]
    }"#,
    )
    .unwrap();
    let t = run(scenario);
    let restarted: Vec<u64> = (0..3)
        .map(|lane| {
            in_lane(&t, lane)
                .find_map(|e| match &*e.what {
                    What::Sim(SimEvent::BrokerRestarted { keys }) => Some(*keys),
                    _ => None,
                })
                .unwrap()
        })
        .collect();
    assert_eq!(restarted, [0, 1, 1], "keys loaded from disk");
    // Just before the restart: what the server will start from.
    let lanes = t.at(at(2999));
    let length = |lane: usize| {
        lanes
            .lane(lane)
            .server()
            .expect("a Redis lane")
            .db
            .stream(b"orders")
            .ok()
            .flatten()
            .map_or(0, |s| s.len())
    };
    // Messages at 0, 100, …, 2500 were appended before the crash; the
    // everysec flush at 2.000 s ran before that instant's write.
    assert_eq!((length(0), length(1), length(2)), (0, 26, 20));
    let flushed = |lane: u16| {
        in_lane(&t, lane)
            .find_map(|e| match &*e.what {
                What::Sim(SimEvent::BrokerCrashed { flushed_at, .. }) => Some(*flushed_at),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(flushed(0), None);
    assert_eq!(flushed(1), Some(at(2550)));
    assert_eq!(flushed(2), Some(at(2000)));
    // Without persistence the unprocessed messages are lost with the
    // broker; with `always` nothing is.
    let counts: Vec<_> = t
        .end()
        .worlds()
        .iter()
        .map(|w| w.service_counts(0))
        .collect();
    assert!(counts[0].lost > 0, "{counts:?}");
    assert_eq!(counts[1].lost, 0, "{counts:?}");
}

/// A lost reply to a producer that retries writes the message twice; the
/// ledger still counts it once, and processes it twice (at-least-once).
#[test]
fn a_lost_reply_and_a_retry_write_a_message_twice() {
    let scenario = Scenario::from_json(
        r#"{
        "name": "lost-reply", "title": {"en": "", "ko": ""}, "summary": {"en": "", "ko": ""},
        "seed": 1, "duration_ms": 3000, "drain_ms": 3000,
        "producers": [{"name": "order", "targets": [{"stream": "orders"}], "every_ms": 500,
                       "count": 4, "retries": 2, "timeout_ms": 200}],
        "services": [{"name": "billing", "guarantee": "at-least-once",
            "source": {"group": {"stream": "orders", "group": "billing"}},
            "workers": [{"name": "w1", "processing_ms": {"fixed": 50}}]}],
        "faults": [{"at_ms": 900, "kind": "lose-reply", "role": "order", "command": "XADD"}]
    }"#,
    )
    .unwrap();
    let t = run(scenario);
    let world = t.end().lane(0);
    assert_eq!(
        world
            .server()
            .expect("a Redis lane")
            .db
            .stream(b"orders")
            .unwrap()
            .unwrap()
            .len(),
        5
    );
    let retried = t.events().iter().any(|e| {
        matches!(&*e.what, What::Sim(SimEvent::Produced { retry: 1, accepted: true, msg, .. }) if msg.seq == 3)
    });
    assert!(retried, "order-3 was sent again after its reply was lost");
    let c = world.service_counts(0);
    assert_eq!((c.produced, c.processed_unique, c.duplicates), (4, 4, 1));
}

/// Seed 004's claim, over several seeds of the built-in comparison: the
/// same produced count in every lane; at-most-once loses and never
/// duplicates; at-least-once duplicates and never loses; exactly-once
/// does neither — and its effect counter in Redis says so too.
#[test]
fn the_three_guarantees_keep_their_promises_over_seeds() {
    for seed in [1, 7, 42, 2024] {
        let scenario = builtin::by_name("guarantees-side-by-side").unwrap();
        let t = Timeline::run(scenario.clone(), seed);
        assert!(
            t.violation().is_none(),
            "seed {seed}: {}",
            t.violation().unwrap()
        );
        let counts: Vec<_> = t
            .end()
            .worlds()
            .iter()
            .map(|w| w.ledger().counts(0))
            .collect();
        let [most, least, exactly] = counts.as_slice() else {
            panic!("three lanes")
        };
        assert!(
            most.produced > 0
                && most.produced == least.produced
                && least.produced == exactly.produced
        );
        assert!(
            most.lost > 0 && most.duplicates == 0,
            "seed {seed}: {most:?}"
        );
        assert!(
            least.lost == 0 && least.duplicates > 0,
            "seed {seed}: {least:?}"
        );
        assert!(
            exactly.lost == 0 && exactly.duplicates == 0,
            "seed {seed}: {exactly:?}"
        );
        let effects = t
            .end()
            .lane(2)
            .server()
            .expect("a Redis lane")
            .db
            .string(b"effects:billing")
            .unwrap();
        let effects: u64 = String::from_utf8_lossy(effects.unwrap()).parse().unwrap();
        assert_eq!(
            effects, exactly.processed_unique,
            "seed {seed}: one effect per message"
        );
    }
}

#[test]
fn the_cluster_view_counts_the_bus_and_where_each_publish_went() {
    let t = Timeline::run(builtin::by_name("sharded-pubsub").unwrap(), 3);
    let end = t.end();
    let w = end.lane(0);
    let v = w.cluster_view(t.events()).expect("a cluster");
    assert_eq!(v.nodes.len(), 6);
    assert_eq!(v.nodes[0].slots, (0, 5460));
    // Five PUBLISHes, each to the five other nodes; five SPUBLISHes, each
    // to its shard's one replica.
    assert_eq!((v.bus_publish, v.bus_spublish), (25, 5));
    let p = v.last_publish.expect("a PUBLISH");
    assert_eq!((p.bus, p.sharded), (5, false));
    assert_eq!(p.reached, vec![(2, 1)], "the reader on node 2");
    let s = v.last_spublish.expect("an SPUBLISH");
    assert_eq!(s.bus, 1);
    assert_eq!(s.reached.iter().map(|(_, n)| n).sum::<u64>(), 1);
}

#[test]
fn dedup_without_a_transaction_processes_twice_when_the_record_is_lost() {
    for seed in 1..=10 {
        let t = Timeline::run(
            builtin::by_name("guarantees-dedup-without-transaction").unwrap(),
            seed,
        );
        assert_eq!(t.violation(), None);
        let end = t.end();
        let exactly = end.lane(2).service_counts(0);
        let by_hand = end.lane(3).service_counts(0);
        assert_eq!((exactly.lost, exactly.duplicates), (0, 0), "seed {seed}");
        assert_eq!(by_hand.lost, 0, "seed {seed}");
        assert!(
            by_hand.duplicates > 0,
            "seed {seed}: the lost SET recorded nothing"
        );
        assert_eq!(exactly.produced, by_hand.produced);
    }
}

/// The cluster toggle: seed 000's three destinations on three primaries.
/// The ledger tells the same story (the cluster changes where things
/// live, not who gets what), while the bus carries every PUBLISH to the
/// five other nodes and the keys live on the primaries of their slots.
#[test]
fn queue_vs_stream_vs_pubsub_runs_on_a_cluster_of_three_primaries() {
    use ackscope_engine::scenario::{RedisSetting, Setting};
    use ackscope_engine::view::cluster::HomeKind;
    let own = builtin::by_name("queue-vs-stream-vs-pubsub").unwrap();
    let on = own
        .with_settings(&[Setting::Redis(RedisSetting::ClusterEnabled(true))])
        .unwrap();
    let single = Timeline::run(own, 0);
    let t = Timeline::run(on, 0);
    assert_eq!(t.violation(), None);
    let (end, single_end) = (t.end(), single.end());
    let w = end.lane(0);
    for s in 0..w.scenario().services.len() {
        assert_eq!(
            w.service_counts(s),
            single_end.lane(0).service_counts(s),
            "{}",
            w.scenario().services[s].name
        );
    }
    let v = w.cluster_view(t.events()).expect("a cluster");
    assert_eq!(v.nodes.len(), 6);
    let published = w.service_counts(0).produced;
    assert_eq!(published, 20);
    assert_eq!((v.bus_publish, v.bus_spublish), (5 * published, 0));
    let last = v.last_publish.expect("a PUBLISH");
    assert_eq!(last.node, 0);
    // The mobile subscriber (back since 6 s) and the dashboard's pattern,
    // both connected to node 0.
    assert_eq!(last.reached, vec![(0, 2)]);
    let home = |name: &str, kind| {
        v.homes
            .iter()
            .find(|h| h.name == name && h.kind == kind)
            .unwrap_or_else(|| panic!("{name}"))
            .clone()
    };
    let events = home("events", HomeKind::Key);
    let slot = ackscope_engine::redis::db::cluster::key_hash_slot(b"events");
    assert_eq!(events.slot, Some(slot));
    let (first, last) = v.nodes[usize::from(events.node.unwrap())].slots;
    assert!(first <= slot && slot <= last);
    assert_eq!(home("events", HomeKind::Channel).node, None);
    assert!(home("jobs", HomeKind::Key).node.is_some());
}

#[test]
fn an_injected_fault_strikes_every_lane_at_its_moment() {
    use ackscope_engine::scenario::{FaultKind, FaultSpec};
    use ackscope_engine::sim::Injection;
    let scenario = builtin::by_name("guarantees-side-by-side").unwrap();
    let crash = Injection::Fault(FaultSpec {
        at_ms: 1_000,
        kind: FaultKind::Crash,
        role: Some("w2".into()),
        until_ms: None,
        factor: None,
        command: None,
    });
    let t = Timeline::run_with(scenario, 11, vec![crash]);
    assert_eq!(t.violation(), None);
    let crashed: Vec<EventRef<'_>> = t
        .events()
        .iter()
        .filter(|e| matches!(&*e.what, What::Sim(SimEvent::Crashed { worker }) if worker == b"w2"))
        .collect();
    assert_eq!(crashed.len(), 3, "once in each lane");
    let last = crashed.iter().map(|e| e.action).max().unwrap();
    for e in &crashed {
        assert_eq!(e.at, at(1_000), "lane {} at its moment", e.lane);
    }
    // No lane runs anything later before every lane has taken the crash.
    assert!(
        t.events()
            .iter()
            .filter(|e| e.action < last)
            .all(|e| e.at <= at(1_000)),
        "a lane ran past 1 s before another took the crash"
    );
}
