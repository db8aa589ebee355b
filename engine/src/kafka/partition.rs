//! A partition across the cluster: its assignment, its leader and leader
//! epoch, its ISR, every replica's log and HW, what the leader knows of its
//! followers, and the acks=all writes waiting for the ISR (Kafka's produce
//! purgatory).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::election::{self, Choice};
use crate::kafka::error::ErrorCode;
use crate::kafka::event::{BrokerId, Event, ProducerHandle, RecordRef, SendId};
use crate::kafka::isr;
use crate::kafka::replica::{FollowerState, Replica};
use crate::time::SimTime;

/// An acks=all write appended by the leader, waiting until the HW passes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAck {
    /// Who sent it.
    pub producer: ProducerHandle,
    /// Which send.
    pub send: SendId,
    /// Which attempt of it.
    pub attempt: u32,
    /// Its offset: answered once the HW is above it.
    pub offset: u64,
    /// `request.timeout.ms` after arrival: then REQUEST_TIMED_OUT.
    pub expires_at: SimTime,
}

/// The answer to a waiting acks=all write.
pub type AckResult = (PendingAck, Result<u64, ErrorCode>);

/// One partition.
#[derive(Clone, Debug)]
pub struct Partition {
    /// Its topic.
    pub topic: String,
    /// Its index.
    pub index: u32,
    /// Its replicas, preferred leader first (`Replicas:` in describe).
    pub assignment: Vec<BrokerId>,
    /// The leader, or `None` while offline (`Leader: none`).
    pub leader: Option<BrokerId>,
    /// Bumped on every leader change; stamps records; fences old leaders.
    pub leader_epoch: u32,
    /// The in-sync replicas (`Isr:`), in the order the controller keeps:
    /// the assignment's at creation, broker id order after an expansion
    /// (as recorded from Kafka 4.4).
    pub isr: Vec<BrokerId>,
    /// The eligible leader replicas (KIP-966, `Elr:`): replicas that left
    /// the ISR while it was below `min.insync.replicas`, so they still hold
    /// everything up to the high watermark, in broker id order. Empty
    /// whenever the ISR is at `min.insync.replicas`.
    pub elr: Vec<BrokerId>,
    /// The last known ELR (`LastKnownElr:`): with ELR on, the last ISR
    /// member when the controller fenced it and emptied the ISR; cleared
    /// when a leader is elected from outside the ISR. Shown, not elected.
    pub last_known_elr: Vec<BrokerId>,
    /// Every replica's log and HW, by broker.
    pub replicas: BTreeMap<BrokerId, Replica>,
    /// The leader's view of each follower.
    pub followers: BTreeMap<BrokerId, FollowerState>,
    /// The leader's LEO when it became leader (Kafka's
    /// `leaderEpochStartOffset`): a follower rejoins the ISR only past it.
    pub epoch_start_offset: u64,
    /// acks=all writes waiting for the ISR.
    pub pending: Vec<PendingAck>,
}

impl Partition {
    /// A new partition: the first replica leads in epoch 0, all in sync.
    pub fn new(topic: &str, index: u32, assignment: Vec<BrokerId>, now: SimTime) -> Self {
        let replicas = assignment
            .iter()
            .map(|b| (*b, Replica::default()))
            .collect();
        let followers = assignment
            .iter()
            .skip(1)
            .map(|b| {
                let mut f = FollowerState::new(now);
                f.leo = Some(0);
                (*b, f)
            })
            .collect();
        Partition {
            topic: String::from(topic),
            index,
            leader: assignment.first().copied(),
            leader_epoch: 0,
            isr: assignment.clone(),
            elr: Vec::new(),
            last_known_elr: Vec::new(),
            assignment,
            replicas,
            followers,
            epoch_start_offset: 0,
            pending: Vec::new(),
        }
    }

    /// The leader's replica.
    pub fn leader_replica(&self) -> Option<&Replica> {
        self.leader.and_then(|l| self.replicas.get(&l))
    }

    /// The leader's high watermark (0 while offline): what consumers may read.
    pub fn high_watermark(&self) -> u64 {
        self.leader_replica().map_or(0, |r| r.hw)
    }

    /// The leader's log end offset (0 while offline).
    pub fn log_end_offset(&self) -> u64 {
        self.leader_replica().map_or(0, Replica::leo)
    }

    /// Moves the leader's HW to the ISR's smallest LEO if that is higher —
    /// unless `strict` and the ISR is smaller than `min_isr` (KAFKA-15583).
    pub fn maybe_advance_hw(&mut self, min_isr: usize, strict: bool, events: &mut Vec<Event>) {
        let Some(leader) = self.leader else { return };
        if strict && self.isr.len() < min_isr {
            return;
        }
        let Some(leader_leo) = self.replicas.get(&leader).map(Replica::leo) else {
            return;
        };
        let mut hw = leader_leo;
        for b in &self.isr {
            if *b == leader {
                continue;
            }
            match self.followers.get(b).and_then(|f| f.leo) {
                Some(leo) => hw = hw.min(leo),
                None => return,
            }
        }
        if let Some(r) = self.replicas.get_mut(&leader).filter(|r| hw > r.hw) {
            {
                events.push(Event::HighWatermarkAdvanced {
                    topic: self.topic.clone(),
                    partition: self.index,
                    broker: leader,
                    from: r.hw,
                    to: hw,
                });
                r.hw = hw;
            }
        }
    }

    /// Answers the waiting acks=all writes that can be answered (Kafka's
    /// `checkEnoughReplicasReachOffset`): the HW passed them — success, or
    /// NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR is now below `min_isr` —
    /// or their request timed out.
    pub fn take_answered(&mut self, min_isr: usize, now: SimTime) -> Vec<AckResult> {
        let hw = self.high_watermark();
        let isr_ok = self.isr.len() >= min_isr;
        let mut out = Vec::new();
        let mut keep = Vec::new();
        for p in core::mem::take(&mut self.pending) {
            if hw > p.offset {
                let r = if isr_ok {
                    Ok(p.offset)
                } else {
                    Err(ErrorCode::NotEnoughReplicasAfterAppend)
                };
                out.push((p, r));
            } else if now >= p.expires_at {
                out.push((p, Err(ErrorCode::RequestTimedOut)));
            } else {
                keep.push(p);
            }
        }
        self.pending = keep;
        out
    }

    /// Fails every waiting write with `error` (leadership moved, or the
    /// leader died and the connection dropped).
    pub fn fail_pending(&mut self, error: ErrorCode) -> Vec<AckResult> {
        core::mem::take(&mut self.pending)
            .into_iter()
            .map(|p| (p, Err(error)))
            .collect()
    }

    /// One fetch round of `follower` from the leader: KIP-101 truncation if
    /// its epochs diverge, the leader's bookkeeping (follower LEO, caught-up
    /// time, ISR expansion, HW), then the copy and the follower's new HW.
    /// The caller checks that both brokers are up and connected.
    pub fn follower_fetch(
        &mut self,
        follower: BrokerId,
        now: SimTime,
        min_isr: usize,
        strict: bool,
        events: &mut Vec<Event>,
    ) {
        let Some(leader) = self.leader else { return };
        if follower == leader || !self.replicas.contains_key(&follower) {
            return;
        }
        self.truncate_divergence(follower, events);
        let Some(leader_rep) = self.replicas.get(&leader) else {
            return;
        };
        let leader_end = leader_rep.leo();
        let fetch_offset = self.replicas.get(&follower).map_or(0, Replica::leo);
        self.followers
            .entry(follower)
            .or_insert_with(|| FollowerState::new(now))
            .on_fetch(fetch_offset, leader_end, now);
        // ISR expansion (goes through the controller; instantaneous here).
        let leader_hw = self.high_watermark();
        if !self.isr.contains(&follower)
            && isr::may_rejoin(fetch_offset, leader_hw, self.epoch_start_offset)
        {
            self.isr.push(follower);
            self.isr.sort_unstable();
            if self.isr.len() >= min_isr {
                self.elr.clear();
            }
            events.push(Event::IsrExpanded {
                topic: self.topic.clone(),
                partition: self.index,
                added: follower,
                isr: self.isr.clone(),
            });
        }
        self.maybe_advance_hw(min_isr, strict, events);
        let hw = self.high_watermark();
        let copied: Vec<_> = self
            .replicas
            .get(&leader)
            .map(|r| r.log.range(fetch_offset, leader_end).to_vec())
            .unwrap_or_default();
        let Some(rep) = self.replicas.get_mut(&follower) else {
            return;
        };
        for r in &copied {
            rep.log.append_copy(r);
        }
        events.push(Event::FollowerFetched {
            topic: self.topic.clone(),
            partition: self.index,
            follower,
            leader,
            fetch_offset,
            records: copied.iter().map(|r| r.as_ref()).collect(),
            leader_hw: hw,
        });
        let new_hw = hw.min(rep.leo());
        if new_hw > rep.hw {
            events.push(Event::HighWatermarkAdvanced {
                topic: self.topic.clone(),
                partition: self.index,
                broker: follower,
                from: rep.hw,
                to: new_hw,
            });
            rep.hw = new_hw;
        }
    }

    /// KIP-101: asks the leader where the follower's last epoch ends, and
    /// cuts the follower's log there, until the two agree.
    fn truncate_divergence(&mut self, follower: BrokerId, events: &mut Vec<Event>) {
        let Some(leader) = self.leader else { return };
        for _ in 0..64 {
            let (Some(l), Some(f)) = (self.replicas.get(&leader), self.replicas.get(&follower))
            else {
                return;
            };
            let Some(epoch) = f.log.last_epoch() else {
                return;
            };
            let (known, end) = l.log.end_offset_for_epoch(epoch);
            let target = match known {
                Some(k) if k == epoch => end,
                Some(k) => end.min(f.log.end_offset_for_epoch(k).1),
                None => 0,
            };
            if target >= f.leo() {
                return;
            }
            let Some(f) = self.replicas.get_mut(&follower) else {
                return;
            };
            let lost: Vec<RecordRef> = f
                .log
                .truncate_to(target)
                .iter()
                .map(|r| r.as_ref())
                .collect();
            f.hw = f.hw.min(target);
            events.push(Event::LogTruncated {
                topic: self.topic.clone(),
                partition: self.index,
                broker: follower,
                to_offset: target,
                lost,
            });
        }
    }

    /// The leader's ISR-expiration check: drops followers that have not
    /// caught up for `lag_max_ms`. Returns whether the ISR changed. With
    /// `elr_min_isr` (ELR on: the topic's min ISR), a follower dropped
    /// below it joins the ELR.
    pub fn shrink_isr(
        &mut self,
        now: SimTime,
        lag_max_ms: u64,
        elr_min_isr: Option<usize>,
        events: &mut Vec<Event>,
    ) -> bool {
        let Some(leader) = self.leader else {
            return false;
        };
        let leader_end = self.log_end_offset();
        let out: Vec<BrokerId> = self
            .isr
            .iter()
            .copied()
            .filter(|b| *b != leader)
            .filter(|b| {
                self.followers
                    .get(b)
                    .is_some_and(|f| isr::is_out_of_sync(f, leader_end, now, lag_max_ms))
            })
            .collect();
        for b in &out {
            self.isr.retain(|x| x != b);
            self.enter_elr(*b, elr_min_isr);
            events.push(Event::IsrShrunk {
                topic: self.topic.clone(),
                partition: self.index,
                removed: *b,
                isr: self.isr.clone(),
            });
        }
        !out.is_empty()
    }

    /// The controller fenced `broker`: out of the ISR, into the ELR if that
    /// leaves the ISR below `elr_min_isr`. Without ELR the last member stays
    /// (the ISR is never empty, as before KIP-966).
    /// Returns whether it was the leader, so the caller elects.
    pub fn remove_fenced(
        &mut self,
        broker: BrokerId,
        elr_min_isr: Option<usize>,
        events: &mut Vec<Event>,
    ) -> bool {
        if self.isr.contains(&broker) {
            let next = match elr_min_isr {
                // With ELR the last member leaves too: the ISR empties and
                // it is remembered in the ELR and as the last known ELR.
                Some(_) if self.isr == [broker] => {
                    self.last_known_elr = alloc::vec![broker];
                    Vec::new()
                }
                _ => election::isr_without(&self.isr, broker),
            };
            if next != self.isr {
                self.isr = next;
                self.enter_elr(broker, elr_min_isr);
                events.push(Event::IsrShrunk {
                    topic: self.topic.clone(),
                    partition: self.index,
                    removed: broker,
                    isr: self.isr.clone(),
                });
            }
        }
        self.leader == Some(broker)
    }

    /// `broker` restarts after a crash: an unclean shutdown takes it out of
    /// the ELR (KIP-966; recorded in
    /// `tests/fixtures/kafka/topics-orders-old-leader-back.txt`).
    pub fn forget_crashed(&mut self, broker: BrokerId) {
        self.elr.retain(|b| *b != broker);
    }

    /// `broker` just left the ISR: it joins the ELR if ELR is on and the
    /// ISR is now below the topic's min ISR (KIP-966).
    fn enter_elr(&mut self, broker: BrokerId, elr_min_isr: Option<usize>) {
        if elr_min_isr.is_some_and(|min| self.isr.len() < min) && !self.elr.contains(&broker) {
            self.elr.push(broker);
            self.elr.sort_unstable();
        }
    }

    /// The controller elects a leader among live brokers, as KIP-966 orders
    /// it: from the ISR, else from the ELR, else (unclean election allowed)
    /// any live replica. A leader from the ELR is the ISR alone. The last
    /// known ELR is not elected from: recorded, a live broker that is only
    /// that leaves the partition offline. Returns the waiting writes the
    /// old leader must now refuse (NOT_LEADER_OR_FOLLOWER).
    pub fn elect(
        &mut self,
        live: impl Fn(BrokerId) -> bool,
        unclean_allowed: bool,
        now: SimTime,
        events: &mut Vec<Event>,
    ) -> Vec<AckResult> {
        let clean = [&self.isr, &self.elr].into_iter().find_map(|from| {
            match election::choose(&self.assignment, from, &live, false) {
                Choice::Clean(b) => Some(Choice::Clean(b)),
                _ => None,
            }
        });
        let choice = clean
            .unwrap_or_else(|| election::choose(&self.assignment, &[], &live, unclean_allowed));
        if let Choice::Clean(b) = choice
            && !self.isr.contains(&b)
        {
            self.isr = alloc::vec![b];
            self.elr.retain(|x| *x != b);
            self.last_known_elr.clear();
        }
        let (leader, clean) = match choice {
            Choice::Clean(b) => (Some(b), true),
            Choice::Unclean(b) => (Some(b), false),
            Choice::None => (None, true),
        };
        if leader == self.leader {
            return Vec::new();
        }
        let failed = self.fail_pending(ErrorCode::NotLeaderOrFollower);
        self.leader = leader;
        self.leader_epoch += 1;
        if let (Some(b), false) = (leader, clean) {
            self.isr = alloc::vec![b];
            self.elr.clear();
            self.last_known_elr.clear();
        }
        self.followers = self
            .assignment
            .iter()
            .filter(|b| Some(**b) != leader)
            .map(|b| (*b, FollowerState::new(now)))
            .collect();
        let leo = leader
            .and_then(|b| self.replicas.get(&b))
            .map_or(0, Replica::leo);
        self.epoch_start_offset = leo;
        events.push(Event::LeaderElected {
            topic: self.topic.clone(),
            partition: self.index,
            leader,
            leader_epoch: self.leader_epoch,
            clean,
            isr: self.isr.clone(),
            leader_log_end: leo,
        });
        failed
    }
}
