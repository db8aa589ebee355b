//! The built-in lessons, one per seed note. They live as JSON in
//! `engine/lessons/` and are compiled in.

use alloc::vec::Vec;

use super::Lesson;

/// Id and JSON text of every lesson, in the order the site lists them.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "000",
        include_str!("../../lessons/000-queue-stream-pubsub.json"),
    ),
    (
        "002",
        include_str!("../../lessons/002-offset-and-pending.json"),
    ),
    (
        "003",
        include_str!("../../lessons/003-kafka-two-losses.json"),
    ),
    (
        "004",
        include_str!("../../lessons/004-three-guarantees.json"),
    ),
];

/// The lesson with `id` (`004`).
pub fn by_id(id: &str) -> Option<Lesson> {
    let (_, text) = SOURCES.iter().find(|(i, _)| *i == id)?;
    Lesson::from_json(text).ok()
}

/// Every built-in lesson, in order.
pub fn all() -> Vec<Lesson> {
    SOURCES
        .iter()
        .filter_map(|(_, text)| Lesson::from_json(text).ok())
        .collect()
}
