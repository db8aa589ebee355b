//! Values a lesson's texts name. A sentence that states a count or an
//! outcome of the run does not write it: it says `{name}`, and the step's
//! `values` map that name to a [`Query`], which the engine answers on the
//! step's run — at the step's moment in its narration and point label, at
//! the reveal moment in its question's explanation. So the narration
//! stays true whatever the run does.

use alloc::string::String;
use alloc::vec::Vec;

use super::{Answer, Step};
use crate::sim::Timeline;
use crate::time::SimTime;

/// The name `{answer}` stands for in a question's explanation; no value
/// may take it.
pub const ANSWER: &str = "answer";

/// The names of the `{name}` holes of `text`, in order. A name is a plain
/// word (ASCII letters, digits, `-`, `_`); braces around anything else are
/// text.
pub fn hole_names(text: &str) -> impl Iterator<Item = &str> {
    holes(text).map(|(_, name)| name)
}

/// `text` with every hole `value` knows replaced by it; the others are
/// left as written.
pub fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, name) in holes(text) {
        if let Some(v) = value(name) {
            out.push_str(&text[last..range.start]);
            out.push_str(&v);
            last = range.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Every `{name}` hole: its byte range and its name.
fn holes(text: &str) -> impl Iterator<Item = (core::ops::Range<usize>, &str)> {
    let mut from = 0;
    core::iter::from_fn(move || {
        loop {
            let open = from + text[from..].find('{')?;
            let close = open + text[open..].find('}')?;
            from = open + 1;
            let name = &text[open + 1..close];
            if is_name(name) {
                from = close + 1;
                return Some((open..close + 1, name));
            }
        }
    })
}

/// A value's name: 1 to 32 ASCII letters, digits, `-` or `_`.
pub(super) fn is_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Step {
    /// The moment the step shows.
    pub fn moment(&self) -> SimTime {
        SimTime::START + crate::time::SimDuration::from_ms(self.at_ms)
    }

    /// The step's values in `timeline` at `at`: each name with the
    /// engine's answer, or why one cannot be read.
    pub fn values_at(
        &self,
        timeline: &Timeline,
        at: SimTime,
    ) -> Result<Vec<(String, Answer)>, String> {
        self.values
            .iter()
            .map(|(name, query)| {
                let asked = query.evaluate(timeline, at)?;
                Ok((name.clone(), asked.right().clone()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_plain_names_and_the_unknown_stay() {
        let text = "held {r1}, {r2} and {not a hole} {answer}";
        let names: Vec<&str> = hole_names(text).collect();
        assert_eq!(names, ["r1", "r2", "answer"]);
        let filled = fill(text, |n| (n == "r1").then(|| "2".into()));
        assert_eq!(filled, "held 2, {r2} and {not a hole} {answer}");
        assert_eq!(fill("{", |_| None), "{");
    }
}
