//! Seek benchmark: run the 100,000-message scenario once, then jump to
//! random moments of it and measure how long restoring the world takes.
//! `cargo xtask bench` runs it (and the browser benchmarks); the README's
//! performance section quotes its output.

use std::time::{Duration, Instant};

use ackscope_engine::rng::Rng;
use ackscope_engine::scenario::Scenario;
use ackscope_engine::sim::Timeline;
use ackscope_engine::time::{SimDuration, SimTime};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let text = include_str!("large.json");
    let scenario = Scenario::from_json(text).expect("valid bench scenario");
    let seed = scenario.seed;
    let started = Instant::now();
    let timeline = Timeline::run(scenario, seed);
    let run_time = started.elapsed();
    let end_ms = timeline.end_time().since_start().as_ms();

    let mut rng = Rng::new(42);
    let mut times = Vec::new();
    for _ in 0..200 {
        let at = SimTime::START + SimDuration::from_ms(rng.below(end_ms + 1));
        let t = Instant::now();
        let lanes = timeline.at(at);
        let view = lanes.lane(0).view();
        times.push(t.elapsed());
        assert_eq!(view.time_ms, at.since_start().as_ms());
    }
    times.sort();
    println!(
        "scenario: 100,000 messages, {} actions, {} events",
        timeline.actions(),
        timeline.events().len()
    );
    println!(
        "full run (native): {:.0} ms",
        run_time.as_secs_f64() * 1000.0
    );
    println!(
        "seek + view (native, 200 random targets): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.95).as_secs_f64() * 1000.0,
        times.last().unwrap().as_secs_f64() * 1000.0
    );
}
