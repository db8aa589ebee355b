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

/// What the list of lessons shows of one: its id, title and summary.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct LessonHead {
    /// The seed note it follows (`004`).
    pub id: alloc::string::String,
    /// Its title.
    pub title: crate::scenario::Text,
    /// One sentence on what it teaches.
    pub summary: crate::scenario::Text,
}

/// Every built-in lesson's [`LessonHead`], in order, read without building
/// the steps (the menu is drawn on the page's first render).
pub fn heads() -> Vec<LessonHead> {
    SOURCES
        .iter()
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_what_the_whole_lessons_say() {
        let heads = heads();
        let lessons = all();
        assert_eq!(heads.len(), SOURCES.len());
        assert_eq!(heads.len(), lessons.len());
        for (h, l) in heads.iter().zip(&lessons) {
            assert_eq!((&h.id, &h.title, &h.summary), (&l.id, &l.title, &l.summary));
        }
    }
}
