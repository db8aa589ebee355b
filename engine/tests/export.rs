//! Exports: the trace file is what `ackscope trace` prints, and the ledger
//! CSV read back gives the engine's ledger counts, for Redis and Kafka
//! scenarios and at moments before, during and after their faults.

use std::collections::BTreeMap;
use std::process::Command;

use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::{ServiceCounts, Timeline};
use ackscope_engine::view::export::{
    counts_of, expected_counts, ledger_csv, read_ledger, trace_lines,
};
use ackscope_engine::{SimDuration, SimTime};

/// Each (lane, service)'s counts read back from the CSV.
fn counts_from_csv(text: &str) -> BTreeMap<(u16, String), ServiceCounts> {
    counts_of(&read_ledger(text).unwrap())
}

#[test]
fn the_ledger_csv_sums_to_the_engines_counts_at_any_moment() {
    for name in [
        "guarantees-side-by-side",
        "stream-dead-letter",
        "queue-vs-stream-vs-pubsub",
        "kafka-acks1-leader-crash",
        "kafka-auto-commit",
    ] {
        let scenario = builtin::by_name(name).unwrap();
        let timeline = Timeline::run(scenario, 3);
        let end_ms = timeline.end_time().since_start().as_ms();
        for ms in [0, end_ms / 3, end_ms / 2, end_ms] {
            let lanes = timeline.at(SimTime::START + SimDuration::from_ms(ms));
            let csv = ledger_csv(&lanes);
            let expected = expected_counts(&lanes);
            assert_eq!(counts_from_csv(&csv), expected, "{name} at {ms} ms");
            let rows: u64 = expected.values().map(|c| c.produced).sum();
            let read = read_ledger(&csv).unwrap();
            assert_eq!(read.len() as u64, rows, "{name} at {ms} ms");
            assert!(read.iter().all(|r| r.at_ms == ms), "every row says when");
        }
    }
}

#[test]
fn the_ledger_at_the_end_names_losses_and_duplicates() {
    let timeline = Timeline::run(builtin::by_name("guarantees-side-by-side").unwrap(), 3);
    let csv = ledger_csv(timeline.end());
    let counts = counts_from_csv(&csv);
    assert!(counts.values().any(|c| c.lost > 0), "at-most-once loses");
    assert!(
        counts.values().any(|c| c.duplicates > 0),
        "at-least-once duplicates"
    );
}

#[test]
fn the_trace_file_is_what_ackscope_trace_prints() {
    for (name, seed) in [
        ("stream-consumer-crash-claim", 7),
        ("kafka-acks1-leader-crash", 3),
    ] {
        let timeline = Timeline::run(builtin::by_name(name).unwrap(), seed);
        let file = trace_lines(timeline.events());
        let cli = Command::new(env!("CARGO_BIN_EXE_ackscope"))
            .args(["trace", name, "--seed", &seed.to_string()])
            .output()
            .unwrap();
        assert!(cli.status.success());
        assert_eq!(String::from_utf8(cli.stdout).unwrap(), file, "{name}");
        let lines: Vec<&str> = file.lines().collect();
        assert_eq!(lines.len(), timeline.events().len());
        for (line, event) in lines.iter().zip(timeline.events()) {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["action"], event.action, "{line}");
            assert_eq!(value["lane"], event.lane, "{line}");
        }
    }
}

#[test]
fn byte_strings_read_as_text() {
    let timeline = Timeline::run(builtin::by_name("seed-offset-vs-pending").unwrap(), 1);
    let file = trace_lines(timeline.events());
    assert!(
        file.contains("\"key\":\"mybook\""),
        "a stream's key as text"
    );
    assert!(!file.contains("[109,121,98"), "no key left as bytes");
}
