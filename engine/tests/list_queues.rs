//! Seed 000's list queues in the simulation: a reliable queue loses nothing
//! to a crash, and a polling worker pays for every empty poll.

use ackscope_engine::redis::Event;
use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::{SimEvent, Timeline, What};

fn run(name: &str, seed: u64) -> Timeline {
    let t = Timeline::run(builtin::by_name(name).expect("a built-in"), seed);
    assert!(t.violation().is_none(), "{}", t.violation().unwrap());
    t
}

/// w1 crashes mid-job: the job stays in its processing list, and w1 does
/// it when it comes back. Every job is processed, none twice, none lost.
#[test]
fn a_reliable_queue_loses_nothing_to_a_crash() {
    for seed in [0, 3, 99] {
        let t = run("reliable-list-queue", seed);
        let c = t.end().lane(0).ledger().counts(0);
        assert!(c.produced > 0);
        assert_eq!(
            (c.processed_unique, c.lost, c.in_flight),
            (c.produced, 0, 0)
        );
        // The crash left a job in w1's processing list, and w1 took it
        // back from there when it restarted.
        let crashed_at = t
            .events()
            .iter()
            .find(
                |e| matches!(&*e.what, What::Sim(SimEvent::Crashed { worker }) if worker == b"w1"),
            )
            .expect("w1 crashes")
            .at;
        let then = t.at(crashed_at);
        let held = then
            .lane(0)
            .server()
            .expect("a Redis lane")
            .db
            .list(b"jobs:processing:w1");
        let held = held.ok().flatten().map_or(0, |l| l.len());
        assert_eq!(
            held, 1,
            "seed {seed}: one job waits in w1's processing list"
        );
        let cleared = t.events().iter().any(|e| {
            e.at > crashed_at
                && matches!(&*e.what, What::Redis(Event::ListRemoved { key, .. }) if key == b"jobs:processing:w1")
        });
        assert!(
            cleared,
            "seed {seed}: w1 finishes the job after its restart"
        );
    }
}

/// Both workers get every job; only the poller asks for nothing, and the
/// ledger's count of empty polls is the trace's.
#[test]
fn polling_wastes_round_trips_that_blocking_does_not() {
    let t = run("polling-vs-blocking", 0);
    let lane = t.end().lane(0);
    let (poller, blocker) = (lane.ledger().counts(0), lane.ledger().counts(1));
    assert_eq!(poller.processed_unique, poller.produced);
    assert_eq!(blocker.processed_unique, blocker.produced);
    let traced = t
        .events()
        .iter()
        .filter(|e| matches!(&*e.what, What::Sim(SimEvent::PolledEmpty { worker, .. }) if worker == b"poller"))
        .count() as u64;
    assert!(traced > 0);
    assert_eq!(poller.empty_polls, traced);
    assert_eq!(blocker.empty_polls, 0);
}

/// Seed 000's direction: every plain XREAD reader gets every entry, a
/// group's consumers split them, and a reader that starts late from 0
/// still reads the history the stream kept.
#[test]
fn readers_each_get_everything_and_a_group_splits_it() {
    let t = run("fanout-vs-group", 0);
    let lane = t.end().lane(0);
    let produced = lane.ledger().counts(0).produced;
    assert!(produced > 0);
    for s in 0..4 {
        let c = lane.ledger().counts(s);
        assert_eq!(
            (c.produced, c.processed_unique, c.lost),
            (produced, produced, 0),
            "service {s}"
        );
    }
    let by = |worker: &[u8]| {
        t.events()
            .iter()
            .filter(|e| matches!(&*e.what, What::Sim(SimEvent::Processed { worker: w, .. }) if w == worker))
            .count() as u64
    };
    assert_eq!(by(b"audit"), produced);
    assert_eq!(
        by(b"backfill"),
        produced,
        "the late reader read the history"
    );
    let (one, two) = (by(b"billing-1"), by(b"billing-2"));
    assert!(one > 0 && two > 0, "the group's consumers share the work");
    assert_eq!(one + two, produced, "each entry went to one consumer");
}

#[test]
fn a_polling_worker_waits_longer_than_a_blocked_one() {
    use ackscope_engine::view::latency::latencies;
    let t = Timeline::run(builtin::by_name("polling-vs-blocking").unwrap(), 0);
    let scenario = t.end().scenario().clone();
    let l = latencies(t.events(), 0, scenario.services.len());
    let find = |poll: bool| {
        scenario
            .services
            .iter()
            .position(|s| s.workers.iter().any(|w| w.poll_ms.is_some()) == poll)
            .unwrap()
    };
    let (polling, blocking) = (l[find(true)], l[find(false)]);
    assert!(polling.count > 0 && blocking.count > 0);
    assert!(
        polling.mean_ms > blocking.mean_ms,
        "polling waits for its next poll: {polling:?} vs {blocking:?}"
    );
}
