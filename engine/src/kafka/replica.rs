//! A replica: one broker's copy of a partition (its log and its high
//! watermark), and what a leader knows of each follower.

use crate::kafka::log::Log;
use crate::time::SimTime;

/// One broker's copy of a partition.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Replica {
    /// Its log; the log end offset (LEO) is `log.end_offset()`.
    pub log: Log,
    /// Its high watermark: on the leader, the ISR's smallest LEO; on a
    /// follower, what the last fetch response said (a round trip behind).
    pub hw: u64,
}

impl Replica {
    /// The log end offset.
    pub fn leo(&self) -> u64 {
        self.log.end_offset()
    }
}

/// What the leader knows of a follower, from its fetch requests (Kafka's
/// `Replica` state on the leader).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FollowerState {
    /// The follower's LEO as its last fetch offset said; `None` until it
    /// fetches from this leader (a new leader knows nothing yet, so its HW
    /// waits for every ISR member's first fetch).
    pub leo: Option<u64>,
    /// The last time it had caught up to the leader's log end: the clock
    /// `replica.lag.time.max.ms` is measured from.
    pub last_caught_up: SimTime,
    /// When it last fetched.
    pub last_fetch: SimTime,
    /// The leader's LEO at that fetch.
    pub leader_end_at_last_fetch: u64,
}

impl FollowerState {
    /// A follower state at leader election: caught up "now" if in the ISR,
    /// as Kafka's `resetReplicaState` does, so the new leader does not
    /// shrink its ISR at once.
    pub fn new(now: SimTime) -> Self {
        FollowerState {
            leo: None,
            last_caught_up: now,
            last_fetch: now,
            leader_end_at_last_fetch: 0,
        }
    }

    /// Records a fetch at `fetch_offset` while the leader's LEO is
    /// `leader_end` (Kafka's `Replica.updateFetchState`): caught up now if
    /// it reached the leader's end, or as of its previous fetch if it
    /// reached what the leader had then.
    pub fn on_fetch(&mut self, fetch_offset: u64, leader_end: u64, now: SimTime) {
        if fetch_offset >= leader_end {
            self.last_caught_up = self.last_caught_up.max(now);
        } else if fetch_offset >= self.leader_end_at_last_fetch {
            self.last_caught_up = self.last_caught_up.max(self.last_fetch);
        }
        self.leo = Some(fetch_offset);
        self.leader_end_at_last_fetch = leader_end;
        self.last_fetch = now;
    }
}
