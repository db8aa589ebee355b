//! What the inspector reports about a pick on the stage: the commands that
//! show it as Redis would (XRANGE, XINFO, XPENDING), the engine's replies
//! to them at the cursor, and for an entry its life so far in words.

use ackscope_engine::SimTime;

use crate::i18n::Catalogue;
use crate::run::Run;
use crate::state::Selection;
use crate::words::{Sentence, describe, fill};

/// What the inspector shows about a selection at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// What is shown, in words.
    pub heading: Sentence,
    /// Each command and the engine's reply.
    pub exchanges: Vec<(String, String)>,
    /// For an entry: its events so far, in words.
    pub story: Option<Vec<(SimTime, Sentence)>>,
}

/// The engine's answers about `selection` at the cursor.
pub fn report(run: &Run, selection: &Selection, text: &Catalogue) -> Report {
    let world = run.world();
    let heading = match selection {
        Selection::Entry { key, id } => fill(
            text.panels.entry_title,
            &[("id", id.to_text()), ("key", key.clone())],
        ),
        Selection::Group { key, group } => fill(
            text.panels.group_title,
            &[("group", group.clone()), ("key", key.clone())],
        ),
        Selection::Consumer {
            group, consumer, ..
        } => fill(
            text.panels.consumer_title,
            &[("consumer", consumer.clone()), ("group", group.clone())],
        ),
        Selection::Record { msg } => fill(text.words.kafka.story, &[("msg", msg.clone())]),
    };
    let exchanges = queries(selection)
        .into_iter()
        .map(|line| {
            let reply = world.query(&line);
            (line, reply)
        })
        .collect();
    let story = match selection {
        Selection::Entry { key, id } => Some(
            world
                .entry_story(run.applied(), key.as_bytes(), *id)
                .into_iter()
                .filter_map(|e| Some((e.at, describe(&e, &world, &text.words)?)))
                .collect(),
        ),
        Selection::Record { msg } => world.catalog().parse(msg.as_bytes()).map(|m| {
            world
                .message_story(run.applied(), m)
                .into_iter()
                .filter_map(|e| Some((e.at, describe(&e, &world, &text.words)?)))
                .collect()
        }),
        _ => None,
    };
    Report {
        heading,
        exchanges,
        story,
    }
}

/// The commands that show `selection` as Redis reports it.
fn queries(selection: &Selection) -> Vec<String> {
    match selection {
        Selection::Entry { key, id } => vec![format!("XRANGE {} {id} {id}", quote(key))],
        Selection::Group { key, group } => vec![
            format!("XINFO GROUPS {}", quote(key)),
            format!("XPENDING {} {}", quote(key), quote(group)),
        ],
        Selection::Consumer {
            key,
            group,
            consumer,
        } => vec![
            format!("XINFO CONSUMERS {} {}", quote(key), quote(group)),
            format!(
                "XPENDING {} {} - + 10 {}",
                quote(key),
                quote(group),
                quote(consumer)
            ),
        ],
        // A Kafka record has no redis-cli view; its story tells it.
        Selection::Record { .. } => Vec::new(),
    }
}

/// `arg` as one redis-cli argument: bare when it is plain, else in double
/// quotes with `"` and `\` escaped.
pub fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_alphanumeric() || "-_:.@/*+$".contains(c));
    match plain {
        true => arg.to_owned(),
        false => format!("\"{}\"", arg.replace('\\', "\\\\").replace('"', "\\\"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_quoted_only_when_needed() {
        assert_eq!(quote("payments:dead"), "payments:dead");
        assert_eq!(quote("my stream"), "\"my stream\"");
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn queries_answer_as_redis_at_the_cursor() {
        let mut run = Run::builtin("seed-offset-vs-pending", 2, Vec::new()).unwrap();
        run.move_to(run.cursor_at(14_000));
        let group = Selection::Group {
            key: "mybook".into(),
            group: "readers".into(),
        };
        let reply = run.world().query(&queries(&group)[0]);
        assert!(reply.contains("\"1700000003000-0\""), "{reply}");
        assert!(reply.contains("(integer) 2"), "{reply}");
    }
}
