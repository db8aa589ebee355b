//! The swarm test: random scenarios with random faults (see
//! `scenario::swarm`), every property checked after every step. A failure
//! names the seed that reproduces it:
//! `SWARM_SEED=<seed> SWARM_CASES=1 cargo test -p ackscope-engine --test swarm`.
//! `cargo xtask fuzz` runs ten thousand cases and more.

use ackscope_engine::sim::check::swarm_case;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_scenarios_with_random_faults_keep_every_property() {
    let first = env("SWARM_SEED", 0);
    let cases = env("SWARM_CASES", 300);
    let failures: Vec<String> = (first..first + cases)
        .filter_map(|seed| swarm_case(seed, seed.is_multiple_of(10)).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}\n(the first one's scenario: `ackscope swarm <seed>` prints it)",
        failures.len(),
        failures.join("\n")
    );
}
