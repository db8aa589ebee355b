//! Committed offsets: what `__consumer_offsets` holds, per group and
//! partition — the offset of the next record the group should read.
//! (Modelled as a map on an always-available coordinator, not as a
//! replicated topic.)

use alloc::collections::BTreeMap;
use alloc::string::String;

use crate::kafka::event::TopicPartition;
use crate::time::SimTime;

/// One committed offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Committed {
    /// The next offset to read.
    pub offset: u64,
    /// When it was committed.
    pub at: SimTime,
}

/// The committed offsets of every group.
#[derive(Clone, Debug, Default)]
pub struct Offsets {
    map: BTreeMap<(String, TopicPartition), Committed>,
}

impl Offsets {
    /// The group's committed offset for `tp`.
    pub fn get(&self, group: &str, tp: &TopicPartition) -> Option<Committed> {
        self.map.get(&(String::from(group), tp.clone())).copied()
    }

    /// Commits `offset` for `tp`.
    pub fn commit(&mut self, group: &str, tp: TopicPartition, offset: u64, at: SimTime) {
        self.map
            .insert((String::from(group), tp), Committed { offset, at });
    }

    /// Every committed partition of `group`, in order.
    pub fn of_group<'a>(
        &'a self,
        group: &'a str,
    ) -> impl Iterator<Item = (&'a TopicPartition, Committed)> + 'a {
        self.map
            .iter()
            .filter(move |((g, _), _)| g == group)
            .map(|((_, tp), c)| (tp, *c))
    }
}
