//! The swarm test at scale: random scenarios with random faults (see
//! `scenario::swarm`), every property checked after every step, one in ten
//! run twice to check that it is deterministic. Run by `cargo xtask fuzz`:
//!
//! ```text
//! cargo run --profile fuzz -p ackscope-engine --example swarm -- [--cases N] [--seed S]
//! ```
//!
//! A failure prints the seed that reproduces it; `ackscope swarm <seed>`
//! prints that case's scenario, and `ackscope run` on it shows the
//! property that broke.

use std::time::Instant;

use ackscope_engine::sim::check::swarm_case;

fn main() {
    let mut cases: u64 = 10_000;
    let mut first: u64 = 0;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (args[i].as_str(), value) {
            ("--cases", Some(n)) => cases = n,
            ("--seed", Some(s)) => first = s,
            _ => {
                eprintln!("usage: swarm [--cases N] [--seed S]");
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let started = Instant::now();
    let mut failures = Vec::new();
    for seed in first..first.saturating_add(cases) {
        if let Err(e) = swarm_case(seed, seed.is_multiple_of(10)) {
            eprintln!("{e}");
            failures.push(seed);
        }
        let done = seed - first + 1;
        if done.is_multiple_of(1000) {
            println!(
                "swarm: {done} of {cases} cases, {} failed, {:.0} s",
                failures.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "swarm: {cases} cases from seed {first} in {:.1} s: {} failed{}",
        started.elapsed().as_secs_f64(),
        failures.len(),
        if failures.is_empty() {
            String::new()
        } else {
            format!(" (seeds {failures:?})")
        }
    );
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
