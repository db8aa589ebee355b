//! The built-in scenarios, each reproducing an example of the seed notes.
//! They live as JSON in `engine/scenarios/` (the same format users write)
//! and are compiled in.

use alloc::vec::Vec;

use super::Scenario;

/// Name and JSON text of every built-in scenario, in menu order.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "seed-offset-vs-pending",
        include_str!("../../scenarios/seed-offset-vs-pending.json"),
    ),
    (
        "stream-consumer-crash-claim",
        include_str!("../../scenarios/stream-consumer-crash-claim.json"),
    ),
    (
        "stream-dead-letter",
        include_str!("../../scenarios/stream-dead-letter.json"),
    ),
    (
        "sharded-pubsub",
        include_str!("../../scenarios/sharded-pubsub.json"),
    ),
    (
        "queue-vs-stream-vs-pubsub",
        include_str!("../../scenarios/queue-vs-stream-vs-pubsub.json"),
    ),
    (
        "guarantees-side-by-side",
        include_str!("../../scenarios/guarantees-side-by-side.json"),
    ),
    (
        "guarantees-dedup-without-transaction",
        include_str!("../../scenarios/guarantees-dedup-without-transaction.json"),
    ),
    (
        "guarantees-side-by-side-kafka",
        include_str!("../../scenarios/guarantees-side-by-side-kafka.json"),
    ),
    (
        "polling-vs-blocking",
        include_str!("../../scenarios/polling-vs-blocking.json"),
    ),
    (
        "reliable-list-queue",
        include_str!("../../scenarios/reliable-list-queue.json"),
    ),
    (
        "list-blocking-and-rotation",
        include_str!("../../scenarios/list-blocking-and-rotation.json"),
    ),
    (
        "fanout-vs-group",
        include_str!("../../scenarios/fanout-vs-group.json"),
    ),
    (
        "kafka-acks1-leader-crash",
        include_str!("../../scenarios/kafka-acks1-leader-crash.json"),
    ),
    (
        "kafka-acksall-no-retry",
        include_str!("../../scenarios/kafka-acksall-no-retry.json"),
    ),
    (
        "kafka-acksall-safe",
        include_str!("../../scenarios/kafka-acksall-safe.json"),
    ),
    (
        "kafka-unclean-election",
        include_str!("../../scenarios/kafka-unclean-election.json"),
    ),
    (
        "kafka-min-isr-blocks",
        include_str!("../../scenarios/kafka-min-isr-blocks.json"),
    ),
    (
        "kafka-commit-before-processing",
        include_str!("../../scenarios/kafka-commit-before-processing.json"),
    ),
    (
        "kafka-auto-commit",
        include_str!("../../scenarios/kafka-auto-commit.json"),
    ),
    (
        "kafka-rebalance",
        include_str!("../../scenarios/kafka-rebalance.json"),
    ),
];

/// The built-in scenario called `name`.
pub fn by_name(name: &str) -> Option<Scenario> {
    let (_, text) = SOURCES.iter().find(|(n, _)| *n == name)?;
    Scenario::from_json(text).ok()
}

/// The title of the built-in scenario `name`: what a menu of scenarios
/// shows, read without building the rest of the scenario (a menu lists
/// several, and the page's first render shows one).
pub fn title(name: &str) -> Option<super::Text> {
    /// The one field read; serde skips the others.
    #[derive(serde::Deserialize)]
    struct Head {
        title: super::Text,
    }
    let (_, text) = SOURCES.iter().find(|(n, _)| *n == name)?;
    serde_json::from_str::<Head>(text).ok().map(|h| h.title)
}

/// Every built-in scenario.
pub fn all() -> Vec<Scenario> {
    SOURCES
        .iter()
        .filter_map(|(_, text)| Scenario::from_json(text).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_the_whole_scenarios() {
        for (name, _) in SOURCES {
            let whole = by_name(name).expect("a valid built-in");
            assert_eq!(title(name), Some(whole.title), "{name}");
        }
        assert_eq!(title("no-such-scenario"), None);
    }
}
