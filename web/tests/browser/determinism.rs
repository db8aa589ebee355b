//! The simulation in the browser gives the very traces it gives natively:
//! each built-in scenario's fingerprint equals the one checked in by the
//! engine's native tests (engine/tests/fingerprints.txt).

use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::Timeline;
use wasm_bindgen_test::wasm_bindgen_test;

const EXPECTED: &str = include_str!("../../../engine/tests/fingerprints.txt");

#[wasm_bindgen_test]
fn fingerprints_match_native_runs() {
    let mut checked = 0;
    for line in EXPECTED.lines() {
        let mut words = line.split_whitespace();
        let (Some(name), Some(seed), Some(expected)) = (words.next(), words.next(), words.next())
        else {
            panic!("malformed line in fingerprints.txt: {line:?}");
        };
        let scenario = builtin::by_name(name).unwrap_or_else(|| panic!("no built-in {name}"));
        let seed: u64 = seed.parse().expect("a seed");
        let actual = Timeline::run(scenario, seed).fingerprint().to_hex();
        assert_eq!(actual, expected, "{name} with seed {seed}");
        checked += 1;
    }
    assert_eq!(
        checked,
        builtin::SOURCES.len(),
        "every built-in has a checked-in fingerprint"
    );
}
