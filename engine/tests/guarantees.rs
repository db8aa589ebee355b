//! The Guarantees lab's views: every message's fate per lane, read from the
//! ledger; lost and duplicates over time; and the promise of the built-in
//! `guarantees-side-by-side` over seeds 1–20.

use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::{SimEvent, Timeline, What};
use ackscope_engine::time::{SimDuration, SimTime};
use ackscope_engine::view::{Fate, LaneTally, loss_series};

const NAME: &str = "guarantees-side-by-side";

fn run(seed: u64) -> Timeline {
    let t = Timeline::run(builtin::by_name(NAME).unwrap(), seed);
    assert!(t.violation().is_none(), "{}", t.violation().unwrap());
    t
}

fn at(ms: u64) -> SimTime {
    SimTime::START + SimDuration::from_ms(ms)
}

fn tallies(t: &Timeline, ms: u64) -> Vec<LaneTally> {
    t.at(at(ms)).worlds().iter().map(|w| w.tally()).collect()
}

/// The promise, lane by lane, at the end of every seed's run.
#[test]
fn each_guarantee_keeps_its_promise_over_seeds_1_to_20() {
    for seed in 1..=20 {
        let t = run(seed);
        let end = tallies(&t, u64::MAX);
        let names: Vec<&str> = end.iter().map(|l| l.services[0].guarantee).collect();
        assert_eq!(names, ["at-most-once", "at-least-once", "exactly-once"]);
        let c: Vec<_> = end.iter().map(|l| l.services[0].counts).collect();
        assert!(
            c[0].lost > 0 && c[0].duplicates == 0,
            "seed {seed}: {:?}",
            c[0]
        );
        assert!(
            c[1].lost == 0 && c[1].duplicates > 0,
            "seed {seed}: {:?}",
            c[1]
        );
        assert!(
            c[2].lost == 0 && c[2].duplicates == 0,
            "seed {seed}: {:?}",
            c[2]
        );
        assert!(
            c.iter()
                .all(|x| x.produced == c[0].produced && x.produced > 0)
        );
    }
}

/// Fates are the ledger's states, and they add up to its counts at every
/// moment: once + times = processed, the extra effects = duplicates.
#[test]
fn fates_add_up_to_the_ledgers_counts_at_every_moment() {
    let t = run(11);
    for ms in (0..=t.end_time().since_start().as_ms()).step_by(250) {
        for lane in tallies(&t, ms) {
            for s in &lane.services {
                let c = s.counts;
                let count =
                    |f: fn(&Fate) -> bool| s.fates.iter().filter(|m| f(&m.fate)).count() as u64;
                assert_eq!(s.fates.len() as u64, c.produced, "{ms} ms, {}", lane.name);
                assert_eq!(count(|f| f.processed() > 0), c.processed_unique);
                assert_eq!(count(|f| *f == Fate::Lost), c.lost);
                assert_eq!(count(|f| *f == Fate::InFlight), c.in_flight);
                assert_eq!(count(|f| *f == Fate::DeadLettered), c.dead_lettered);
                let extra: u64 = s
                    .fates
                    .iter()
                    .map(|m| u64::from(m.fate.processed().saturating_sub(1)))
                    .sum();
                assert_eq!(extra, c.duplicates);
                assert!(
                    s.fates
                        .iter()
                        .all(|m| m.fate != Fate::Times(1) && m.fate != Fate::Times(0))
                );
            }
        }
    }
}

/// The series says, at any moment, what the ledger says then; its points
/// sit only where a count changed.
#[test]
fn the_series_agrees_with_the_ledger_and_keeps_only_changes() {
    let t = run(11);
    let series = loss_series(&t);
    let end = t.end_time().since_start().as_ms();
    assert_eq!(series.end_ms, end);
    assert_eq!(series.lanes.len(), 3);
    for ms in (0..=end).step_by(100).chain([end]) {
        for (lane, s) in tallies(&t, ms).iter().zip(&series.lanes) {
            let c = lane.services[0].counts;
            let p = s.at(ms);
            assert_eq!(
                (p.lost, p.duplicates),
                (c.lost, c.duplicates),
                "{ms} ms, {}",
                s.name
            );
            assert!(series.top >= c.lost.max(c.duplicates));
        }
    }
    for s in &series.lanes {
        assert_eq!(s.points[0].ms, 0);
        for w in s.points.windows(2) {
            assert!(w[0].ms < w[1].ms);
            assert_ne!((w[0].lost, w[0].duplicates), (w[1].lost, w[1].duplicates));
        }
    }
    // At-least-once's duplicate appears during the run, not only at its end.
    let dup = series.lanes[1]
        .points
        .iter()
        .find(|p| p.duplicates > 0)
        .unwrap();
    assert!(dup.ms < end);
}

/// A message's story in one lane holds only that lane's events, and tells
/// of the message: at-least-once's duplicate was processed twice there.
#[test]
fn a_lane_story_is_told_from_that_lane_alone() {
    let t = run(11);
    let end = t.end();
    let twice = end.lane(1).tally().services[0]
        .fates
        .iter()
        .find(|m| matches!(m.fate, Fate::Times(2)))
        .map(|m| m.msg)
        .expect("a duplicate in at-least-once");
    for world in end.worlds() {
        let story = world.lane_story(t.events(), twice);
        assert!(story.iter().all(|e| e.lane == world.lane()));
        let processed = story
            .iter()
            .filter(
                |e| matches!(&e.what, What::Sim(SimEvent::Processed { msg, .. }) if *msg == twice),
            )
            .count();
        let want = world.tally().services[0]
            .fates
            .iter()
            .find(|m| m.msg == twice)
            .unwrap()
            .fate
            .processed();
        assert_eq!(processed as u32, want, "lane {}", world.lane());
    }
}
