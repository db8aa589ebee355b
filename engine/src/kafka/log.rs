//! A replica's log: records at consecutive offsets, each stamped with the
//! leader epoch it was written in. The epochs are what KIP-101 truncation
//! reads: a follower cuts its log where its epochs stop agreeing with the
//! leader's, never merely at its high watermark.

use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::event::RecordRef;

/// One record (a batch of one: the model sends every record alone).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Record {
    /// Its offset.
    pub offset: u64,
    /// The leader epoch it was appended in.
    pub leader_epoch: u32,
    /// Its payload.
    pub value: String,
    /// The idempotent producer's id and sequence number, when it has them:
    /// carried in the log so that a new leader rebuilds the producer state
    /// from its own log, as Kafka does.
    pub producer_id: Option<u64>,
    /// The batch's sequence number (with `producer_id`).
    pub sequence: Option<u32>,
    /// The producer's epoch (with `producer_id`): a transactional
    /// producer's epoch grows each time an instance with its
    /// `transactional.id` starts, so writes from an older one are refused.
    #[serde(default)]
    pub producer_epoch: u16,
    /// Part of a transaction: invisible to `read_committed` consumers until
    /// its producer's commit marker follows it, and for good if an abort
    /// marker does.
    #[serde(default)]
    pub transactional: bool,
    /// A control record (a transaction's COMMIT or ABORT marker, written
    /// by the transaction coordinator): it takes an offset but no consumer
    /// is ever handed it.
    #[serde(default)]
    pub control: Option<Marker>,
}

/// A transaction marker's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Marker {
    /// The transaction committed: its records become readable.
    Commit,
    /// The transaction aborted: `read_committed` consumers skip its records.
    Abort,
}

impl Record {
    /// The record as events show it.
    pub fn as_ref(&self) -> RecordRef {
        RecordRef {
            offset: self.offset,
            leader_epoch: self.leader_epoch,
            value: self.value.clone(),
            control: self.control,
        }
    }
}

/// A log (offsets start at 0; no retention, no compaction).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Log {
    records: Vec<Record>,
}

impl Log {
    /// The log end offset (LEO): the offset the next record gets.
    pub fn end_offset(&self) -> u64 {
        self.records.len() as u64
    }

    /// The first offset still in the log.
    pub fn start_offset(&self) -> u64 {
        0
    }

    /// Every record, oldest first.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The record at `offset`.
    pub fn get(&self, offset: u64) -> Option<&Record> {
        usize::try_from(offset)
            .ok()
            .and_then(|i| self.records.get(i))
    }

    /// Records from `from` (inclusive) to `to` (exclusive), clamped.
    pub fn range(&self, from: u64, to: u64) -> &[Record] {
        let end = self.records.len();
        let a = usize::try_from(from).unwrap_or(end).min(end);
        let b = usize::try_from(to).unwrap_or(end).min(end).max(a);
        &self.records[a..b]
    }

    /// Appends `value` in `leader_epoch`; returns its offset.
    pub fn append(
        &mut self,
        leader_epoch: u32,
        value: String,
        producer_id: Option<u64>,
        sequence: Option<u32>,
    ) -> u64 {
        let offset = self.end_offset();
        self.append_record(Record {
            offset,
            leader_epoch,
            value,
            producer_id,
            sequence,
            producer_epoch: 0,
            transactional: false,
            control: None,
        })
    }

    /// Appends `record` at the log's end (its offset is set here); returns
    /// the offset.
    pub fn append_record(&mut self, mut record: Record) -> u64 {
        let offset = self.end_offset();
        record.offset = offset;
        self.records.push(record);
        offset
    }

    /// The last stable offset under `high_watermark`: the first offset of
    /// the oldest transaction no marker has closed yet, or the high
    /// watermark if every transaction below it is closed. `read_committed`
    /// consumers read no further.
    pub fn last_stable_offset(&self, high_watermark: u64) -> u64 {
        let mut open: alloc::collections::BTreeMap<u64, u64> = alloc::collections::BTreeMap::new();
        for r in self.range(0, high_watermark) {
            let Some(pid) = r.producer_id else { continue };
            if r.control.is_some() {
                open.remove(&pid);
            } else if r.transactional {
                open.entry(pid).or_insert(r.offset);
            }
        }
        open.values()
            .copied()
            .min()
            .unwrap_or(high_watermark)
            .min(high_watermark)
    }

    /// Whether transactional record `r` belongs to a transaction that
    /// aborted (the first marker its producer wrote after it is ABORT).
    pub fn aborted(&self, r: &Record) -> bool {
        r.transactional
            && self
                .records
                .iter()
                .skip(usize::try_from(r.offset).unwrap_or(usize::MAX))
                .find(|m| m.control.is_some() && m.producer_id == r.producer_id)
                .is_some_and(|m| m.control == Some(Marker::Abort))
    }

    /// Copies a leader's record (a follower's fetch).
    pub fn append_copy(&mut self, record: &Record) {
        let mut r = record.clone();
        r.offset = self.end_offset();
        self.records.push(r);
    }

    /// The epoch of the last record, if any (the fetch's
    /// `LastFetchedEpoch`).
    pub fn last_epoch(&self) -> Option<u32> {
        self.records.last().map(|r| r.leader_epoch)
    }

    /// OffsetsForLeaderEpoch: the end offset of `epoch` in this log — the
    /// start offset of the first later epoch, or the log end if no later
    /// epoch was written here — and the largest epoch ≤ `epoch` this log
    /// knows (`None` if it knows none).
    pub fn end_offset_for_epoch(&self, epoch: u32) -> (Option<u32>, u64) {
        let known = self
            .records
            .iter()
            .rev()
            .map(|r| r.leader_epoch)
            .find(|&e| e <= epoch);
        let end = self
            .records
            .iter()
            .find(|r| r.leader_epoch > epoch)
            .map_or(self.end_offset(), |r| r.offset);
        (known, end)
    }

    /// Removes every record at or above `offset`; returns them.
    pub fn truncate_to(&mut self, offset: u64) -> Vec<Record> {
        let keep = usize::try_from(offset)
            .unwrap_or(self.records.len())
            .min(self.records.len());
        self.records.split_off(keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(epochs: &[u32]) -> Log {
        let mut l = Log::default();
        for (i, e) in epochs.iter().enumerate() {
            l.append(*e, alloc::format!("v{i}"), None, None);
        }
        l
    }

    #[test]
    fn end_offset_for_epoch_is_the_next_epochs_start() {
        let l = log(&[0, 0, 1, 1, 3]);
        assert_eq!(l.end_offset_for_epoch(0), (Some(0), 2));
        assert_eq!(l.end_offset_for_epoch(1), (Some(1), 4));
        assert_eq!(l.end_offset_for_epoch(2), (Some(1), 4));
        assert_eq!(l.end_offset_for_epoch(3), (Some(3), 5));
        assert_eq!(Log::default().end_offset_for_epoch(7), (None, 0));
    }

    #[test]
    fn truncation_returns_what_it_removed_and_ranges_clamp() {
        let mut l = log(&[0, 0, 0]);
        let lost = l.truncate_to(1);
        assert_eq!(lost.len(), 2);
        assert_eq!(l.end_offset(), 1);
        assert!(l.truncate_to(10).is_empty());
        assert_eq!(l.range(0, 99).len(), 1);
        assert!(l.range(5, 2).is_empty());
    }
}
