//! How much room the consumer cards of a run keep: pending rows per card
//! (the most that any consumer of its group holds at one moment of the
//! run) and cards side by side (the most consumers any group has at one
//! moment), as the engine reads them from the trace (`sim::peak`), once
//! per run.
//!
//! Cards never grow, shrink or wrap anew while the run plays: cards sized
//! to the moment would change the drawing's shape, and the whole stage —
//! text and all — would be rescaled each time an entry was read or
//! acknowledged or a consumer joined. That is movement with no event
//! behind it, and a full redraw for the browser. Sized once for the whole
//! run, the drawing is as small as the run allows and still holds every
//! card and row it will ever show.

use std::collections::BTreeMap;

use ackscope_engine::sim::Events;
use ackscope_engine::view::peak::{peak_consumers, peak_pending};

use crate::layout::MAX_ROWS;

/// Room per (stream key, group name), in rows, from 1 to [`MAX_ROWS`],
/// and across, in cards.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardRoom {
    rows: BTreeMap<(String, String), usize>,
    across: usize,
}

impl CardRoom {
    /// The room the cards of a run with these `events` need: the engine's
    /// peak per group, in rows the cards can show.
    pub fn of(events: Events<'_>) -> CardRoom {
        let rows = peak_pending(events, 0)
            .into_iter()
            .map(|(group, n)| (group, (n as usize).clamp(1, MAX_ROWS)))
            .collect();
        let across = peak_consumers(events, 0).into_values().max().unwrap_or(0);
        CardRoom {
            rows,
            across: usize::try_from(across).unwrap_or(usize::MAX),
        }
    }

    /// The most consumers any group of the run has at once: how many cards
    /// the stage makes room for side by side.
    pub fn across(&self) -> usize {
        self.across
    }

    /// The rows a card of `group` on `key` keeps room for.
    pub fn rows(&self, key: &str, group: &str) -> usize {
        self.rows
            .get(&(key.to_owned(), group.to_owned()))
            .copied()
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Run;

    #[test]
    fn cards_hold_the_most_pending_entries_any_consumer_holds_at_once() {
        // Played step by step, the engine's own pending counts reach the
        // room exactly, and never pass it: the crash-claim walk-through (w1
        // dies holding entries, XAUTOCLAIM hands them to w2) and the
        // dead-letter run.
        for (name, seed, key, group) in [
            ("stream-consumer-crash-claim", 7, "orders", "billing"),
            ("stream-dead-letter", 4, "payments", "ledger"),
        ] {
            let mut run = Run::builtin(name, seed, Vec::new()).unwrap();
            let room = CardRoom::of(run.timeline().events());
            let mut most = 0;
            while let Some(next) = run.next_step() {
                run.move_to(next);
                for stream in &run.view().streams {
                    for g in &stream.groups {
                        for consumer in &g.consumers {
                            let shown = (consumer.pending_count as usize).min(MAX_ROWS);
                            assert!(shown <= room.rows(&stream.key, &g.name), "{name}");
                            if (stream.key.as_str(), g.name.as_str()) == (key, group) {
                                most = most.max(shown);
                            }
                        }
                    }
                }
            }
            assert!(most >= 2, "{name}: {most}");
            assert_eq!(room.rows(key, group), most, "{name}");
        }
    }

    #[test]
    fn a_group_nobody_reads_from_keeps_room_for_one_row() {
        let run = Run::builtin("stream-dead-letter", 4, Vec::new()).unwrap();
        let room = CardRoom::of(run.timeline().events());
        assert_eq!(room.rows("payments", "no-such-group"), 1);
    }
}
