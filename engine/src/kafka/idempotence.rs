//! The broker's duplicate check for idempotent producers. The broker keeps,
//! per producer id and partition, the last five batches' sequence numbers
//! (hence `max.in.flight.requests.per.connection` ≤ 5). The model reads
//! them from the log itself — records carry their producer id and sequence,
//! as batches do — so a new leader knows exactly what its own log holds.

use crate::kafka::log::Log;

/// How many batches per producer the broker remembers
/// (`ProducerStateEntry.NUM_BATCHES_TO_RETAIN`).
pub const BATCHES_RETAINED: usize = 5;

/// The broker's verdict on an idempotent batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceCheck {
    /// Next in sequence (or a producer this log has never seen, whose
    /// first batch Kafka accepts at any sequence): append it.
    Append,
    /// Already in the log at `offset`: answer success, append nothing.
    Duplicate { offset: u64 },
    /// A gap, or a sequence older than the retained batches.
    OutOfOrder,
    /// The producer's epoch is older than one this log has seen for its
    /// producer id (INVALID_PRODUCER_EPOCH): a fenced instance's write.
    StaleEpoch,
}

/// Checks `sequence` from `producer_id` at `epoch` against the last
/// retained batches in `log`. A newer epoch starts its sequences afresh;
/// an older one is refused (a transaction marker written for a newer
/// epoch counts too: the coordinator bumps the epoch when it aborts a
/// fenced instance's transaction).
pub fn check(log: &Log, producer_id: u64, epoch: u16, sequence: u32) -> SequenceCheck {
    let mine = || {
        log.records()
            .iter()
            .rev()
            .filter(move |r| r.producer_id == Some(producer_id))
    };
    match mine().map(|r| r.producer_epoch).max() {
        Some(newest) if epoch < newest => return SequenceCheck::StaleEpoch,
        Some(newest) if epoch > newest => return SequenceCheck::Append,
        _ => {}
    }
    let mut last_seq: Option<u32> = None;
    for r in mine()
        .filter(|r| r.control.is_none() && r.producer_epoch == epoch)
        .take(BATCHES_RETAINED)
    {
        let Some(seq) = r.sequence else { continue };
        if seq == sequence {
            return SequenceCheck::Duplicate { offset: r.offset };
        }
        last_seq = Some(last_seq.map_or(seq, |l| l.max(seq)));
    }
    match last_seq {
        None => SequenceCheck::Append,
        Some(l) if l.checked_add(1) == Some(sequence) => SequenceCheck::Append,
        Some(_) => SequenceCheck::OutOfOrder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kafka::log::{Marker, Record};
    use alloc::string::String;

    #[test]
    fn duplicates_gaps_and_strangers() {
        let mut log = Log::default();
        assert_eq!(
            check(&log, 7, 0, 3),
            SequenceCheck::Append,
            "unknown producer"
        );
        log.append(0, String::from("a"), Some(7), Some(0));
        log.append(0, String::from("x"), Some(9), Some(0));
        log.append(0, String::from("b"), Some(7), Some(1));
        assert_eq!(check(&log, 7, 0, 1), SequenceCheck::Duplicate { offset: 2 });
        assert_eq!(check(&log, 7, 0, 2), SequenceCheck::Append);
        assert_eq!(check(&log, 7, 0, 4), SequenceCheck::OutOfOrder);
        for s in 2..8 {
            log.append(0, String::from("c"), Some(7), Some(s));
        }
        assert_eq!(
            check(&log, 7, 0, 0),
            SequenceCheck::OutOfOrder,
            "too old to remember"
        );
    }

    #[test]
    fn a_fencing_marker_makes_the_old_epoch_stale() {
        let mut log = Log::default();
        log.append(0, String::from("zombie-0"), Some(7), Some(0));
        assert_eq!(check(&log, 7, 0, 1), SequenceCheck::Append);
        // The coordinator aborts the zombie's transaction with the bumped
        // epoch, as `initTransactions()` of a new instance makes it do.
        log.append_record(Record {
            offset: 0,
            leader_epoch: 0,
            value: String::new(),
            producer_id: Some(7),
            sequence: None,
            producer_epoch: 1,
            transactional: true,
            control: Some(Marker::Abort),
        });
        assert_eq!(check(&log, 7, 0, 1), SequenceCheck::StaleEpoch);
        assert_eq!(check(&log, 7, 1, 0), SequenceCheck::Append, "the new one");
    }
}
