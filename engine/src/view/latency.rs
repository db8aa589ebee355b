//! How long messages waited: from the moment the broker took a message
//! (its producer's send accepted) to the moment a worker of a service
//! started processing it — polling against blocking, seed 000's point.
//! Read from the trace, per service of one lane.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use crate::msg::MsgRef;
use crate::sim::Events;
use crate::sim::trace::{SimEvent, What};

/// One service's waiting times so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Latency {
    /// Messages whose processing started.
    pub count: u64,
    /// Their mean wait, in ms (rounded down).
    pub mean_ms: u64,
    /// The longest wait, in ms.
    pub max_ms: u64,
}

/// Each of `services` services' latency in lane `lane`, from `events`:
/// a message counts once per service, at its first processing.
pub fn latencies(events: Events<'_>, lane: u16, services: usize) -> Vec<Latency> {
    let mut sent: BTreeMap<MsgRef, u64> = BTreeMap::new();
    let mut started: BTreeSet<(u16, MsgRef)> = BTreeSet::new();
    let mut total = alloc::vec![0u64; services];
    let mut out = alloc::vec![Latency::default(); services];
    for e in events.iter().filter(|e| e.lane == lane) {
        let at = e.at.as_ms();
        match &*e.what {
            What::Sim(SimEvent::Produced {
                msg,
                accepted: true,
                ..
            }) => {
                sent.entry(*msg).or_insert(at);
            }
            What::Sim(SimEvent::ProcessingStarted { service, msg, .. }) => {
                let (Some(from), Some(l)) = (sent.get(msg), out.get_mut(usize::from(*service)))
                else {
                    continue;
                };
                if !started.insert((*service, *msg)) {
                    continue;
                }
                let wait = at.saturating_sub(*from);
                l.count += 1;
                l.max_ms = l.max_ms.max(wait);
                total[usize::from(*service)] += wait;
            }
            _ => {}
        }
    }
    for (l, sum) in out.iter_mut().zip(total) {
        l.mean_ms = sum.checked_div(l.count).unwrap_or(0);
    }
    out
}
