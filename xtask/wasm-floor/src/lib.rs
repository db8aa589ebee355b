//! The engine alone, for measuring how small a wasm holding it can be.
//! `cargo xtask bench floor` (and `cargo xtask bench`) builds this crate
//! as the site is built — the `web-release` profile, the engine without
//! `std`, then `wasm-opt -Oz` — and prints its size gzipped
//! (`engine-wasm-floor`). It does what a lab's first screen asks of the
//! engine — parse one scenario, run it, restore a moment, draw the Streams
//! stage, read the fingerprint — with no UI, no other built-in scenario,
//! no lesson and no catalogue. The site-size target is read against it:
//! no single lab's wasm can be smaller than the engine it draws.

use ackscope_engine::scenario::Scenario;
use ackscope_engine::sim::Timeline;
use ackscope_engine::time::{SimDuration, SimTime};

/// One scenario's JSON, as a lab's own built-ins would be compiled in.
const SCENARIO: &str = include_str!("../../../engine/scenarios/stream-consumer-crash-claim.json");

/// Runs the scenario with `seed` and draws its stage at `ms`; returns how
/// many streams the stage draws mixed with the length of the fingerprint's
/// hex text (always 16), so that the drawing and the fingerprint's
/// formatting are kept in the wasm. 0 if the scenario does not parse.
#[unsafe(no_mangle)]
pub extern "C" fn run(seed: u64, ms: u64) -> u64 {
    let Ok(scenario) = Scenario::from_json(SCENARIO) else {
        return 0;
    };
    let timeline = Timeline::run(scenario, seed);
    let lanes = timeline.at(SimTime::START + SimDuration::from_ms(ms));
    let view = lanes.lane(0).view();
    let fingerprint = timeline.fingerprint().to_hex();
    view.streams.len() as u64 ^ fingerprint.len() as u64
}

#[cfg(test)]
mod tests {
    /// The scenario parses and runs: the wasm measured is one that works.
    #[test]
    fn the_scenario_runs_and_draws_a_stream() {
        assert_eq!(super::run(1, 5_000), 1 ^ 16);
    }
}
