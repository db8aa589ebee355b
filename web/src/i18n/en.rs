//! English.

use super::{Catalogue, LabText};

/// Every English string.
pub const CATALOGUE: Catalogue = Catalogue {
    page_title: "ackscope — see what your message broker does",
    tagline: "See what your message broker does — one message, one step at a time.",
    labs: "Labs",
    language: "Language",
    streams: LabText {
        name: "Streams",
        pending: "Watch producers append entries to a stream and consumer groups share them \
                  out: the group’s `last-delivered-id`, each consumer’s pending list, `XACK`, \
                  claims after a crash, and dead letters.",
    },
    compare: LabText {
        name: "Queue vs Stream vs Pub/Sub",
        pending: "Send the same messages through a Redis list used as a queue, a stream and a \
                  pub/sub channel, and see who receives each one, what is kept after reading, \
                  and what a consumer that joins late can still read.",
    },
    kafka: LabText {
        name: "Kafka",
        pending: "Follow a record into replicated partitions — leader, in‑sync replicas, `acks` \
                  and `min.insync.replicas` — then crash the leader to see which records survive \
                  and where consumers resume from their committed offsets.",
    },
    guarantees: LabText {
        name: "Guarantees",
        pending: "Send the same messages at‑most‑once, at‑least‑once and exactly‑once, then \
                  lose acks and crash consumers to see which messages vanish, which arrive \
                  twice, and which a consumer that deduplicates by message ID catches.",
    },
    not_built: "Not built yet",
    clock: "Simulated clock",
    play: "Play",
    pause: "Pause",
    step: "Step",
    reset: "Reset",
    speed: "Speed",
    sim_time: "Simulated time",
    no_scenario: "No scenario loaded",
};
