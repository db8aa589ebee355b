//! In-sync replica rules. Membership is about time, not distance: a
//! follower leaves when it has not caught up to the leader's log end for
//! `replica.lag.time.max.ms`, and comes back once its log end reaches the
//! high watermark (and the current leader epoch's start offset).

use crate::kafka::replica::FollowerState;
use crate::time::SimTime;

/// Whether a follower in the ISR has fallen out of sync (Kafka's
/// `!isCaughtUp`): behind the leader's LEO and not caught up for longer
/// than `lag_max_ms`.
pub fn is_out_of_sync(f: &FollowerState, leader_end: u64, now: SimTime, lag_max_ms: u64) -> bool {
    f.leo != Some(leader_end) && now.saturating_since(f.last_caught_up).as_ms() > lag_max_ms
}

/// Whether a follower outside the ISR may rejoin it (Kafka's
/// `isFollowerInSync`): its LEO has reached the HW and the epoch's start.
pub fn may_rejoin(follower_leo: u64, leader_hw: u64, epoch_start_offset: u64) -> bool {
    follower_leo >= leader_hw && follower_leo >= epoch_start_offset
}

/// `min(min.insync.replicas, replication factor)`: the ISR size below which
/// acks=all is refused and (strict min ISR) the HW stands still.
pub fn effective_min_isr(min_insync_replicas: u32, replication_factor: usize) -> usize {
    (min_insync_replicas as usize)
        .min(replication_factor)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration;

    #[test]
    fn lag_is_time_since_last_caught_up() {
        let t0 = SimTime::START;
        let mut f = FollowerState::new(t0);
        f.on_fetch(5, 5, t0);
        let later = t0 + SimDuration::from_ms(30_001);
        assert!(!is_out_of_sync(&f, 5, later, 30_000), "at the end: in sync");
        assert!(is_out_of_sync(&f, 6, later, 30_000));
        assert!(!is_out_of_sync(
            &f,
            6,
            t0 + SimDuration::from_ms(30_000),
            30_000
        ));
        assert!(may_rejoin(4, 4, 2) && !may_rejoin(3, 4, 0) && !may_rejoin(4, 4, 5));
        assert_eq!(effective_min_isr(2, 1), 1);
    }
}
