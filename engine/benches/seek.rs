//! Seek benchmark: run the 100,000-message scenario once, then jump to
//! random moments of it and measure how long restoring the world takes;
//! then the same workload with 1,000,000 messages, for the engine's
//! throughput (trace events a second) and memory at scale. `cargo xtask
//! bench` runs it (and the browser benchmarks); it prints one JSON object
//! per run, which the README's performance section quotes.
//!
//! `cargo bench -p ackscope-engine --bench seek -- --small` runs only the
//! 100,000-message run.

use std::time::{Duration, Instant};

use ackscope_engine::rng::Rng;
use ackscope_engine::scenario::Scenario;
use ackscope_engine::sim::{Timeline, What};
use ackscope_engine::time::{SimDuration, SimTime};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The process's peak resident memory so far, in MB (Linux's `VmHWM`);
/// `None` elsewhere.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb / 1024.0).round())
}

/// Runs `scenario`, seeks 200 random moments, prints the figures as JSON.
fn measure(scenario: Scenario, messages: u64) {
    let seed = scenario.seed;
    let started = Instant::now();
    let timeline = Timeline::run(scenario, seed);
    let run_time = started.elapsed();
    let peak = peak_rss_mb();
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
    // Reading every event once, decoded, as the web's scrubber marks and
    // stage sizes do when a run loads.
    let t = Instant::now();
    let sim = timeline
        .events()
        .iter()
        .filter(|e| matches!(&*e.what, What::Sim(_)))
        .count();
    let read = t.elapsed();
    let events = timeline.events().len();
    println!(
        "{{\"bench\": \"engine-native\", \"messages\": {messages}, \"actions\": {}, \"events\": {events}, \
         \"run_ms\": {:.0}, \"events_per_s\": {:.0}, \"peak_rss_mb\": {}, \
         \"seek_p50_ms\": {}, \"seek_p95_ms\": {}, \"seek_max_ms\": {}, \"read_ms\": {:.0}, \"sim_events\": {sim}}}",
        timeline.actions(),
        ms(run_time),
        events as f64 / run_time.as_secs_f64(),
        peak.map_or("null".to_owned(), |p| p.to_string()),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().unwrap()),
        ms(read),
    );
}

fn main() {
    let small = std::env::args().any(|a| a == "--small");
    let text = include_str!("large.json");
    let scenario = Scenario::from_json(text).expect("valid bench scenario");
    measure(scenario.clone(), 100_000);
    if small {
        return;
    }
    // The same workload, ten times as long: one message a millisecond.
    let mut million = scenario;
    million.name = "bench-1m".into();
    million.duration_ms = 1_000_000;
    million.producers[0].count = Some(1_000_000);
    million
        .validate()
        .expect("valid 1,000,000-message scenario");
    measure(million, 1_000_000);
}
