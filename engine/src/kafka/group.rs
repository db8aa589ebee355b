//! Consumer groups, classic protocol with eager rebalancing: members join,
//! the group waits until every member has rejoined (or the rebalance timeout
//! passes), the leader's assignor hands out partitions, and a new generation
//! begins. Commits from an older generation are refused.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::config::{AssignorKind, ConsumerConfig};
use crate::kafka::event::{ConsumerHandle, TopicPartition};
use crate::time::SimTime;

/// A group's state (`Empty`, `PreparingRebalance`, `Stable`; Kafka's short
/// `CompletingRebalance`, while SyncGroup runs, is folded into the end of
/// `PreparingRebalance`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GroupState {
    /// No members.
    Empty,
    /// Waiting for every member to rejoin.
    PreparingRebalance,
    /// Every member has its partitions.
    Stable,
}

/// A group member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// Its member id (`CONSUMER-ID`).
    pub id: String,
    /// The consumer instance behind it.
    pub consumer: ConsumerHandle,
    /// Its `client.id`.
    pub client_id: String,
    /// Topics it subscribes to.
    pub subscription: Vec<String>,
    /// It has (re)joined in the current rebalance.
    pub rejoined: bool,
    /// Its partitions in the current generation.
    pub assignment: Vec<TopicPartition>,
    /// Its rebalance timeout (`max.poll.interval.ms`).
    pub rebalance_timeout_ms: u64,
}

/// A consumer group on its coordinator.
#[derive(Clone, Debug)]
pub struct Group {
    /// `group.id`.
    pub id: String,
    /// Its state.
    pub state: GroupState,
    /// Bumped by every completed rebalance.
    pub generation: u32,
    /// Members by member id.
    pub members: BTreeMap<String, Member>,
    /// The assignor the members asked for.
    pub assignor: AssignorKind,
    /// When a waiting rebalance gives up on members that did not rejoin.
    pub rebalance_deadline: Option<SimTime>,
    /// `group.initial.rebalance.delay.ms` (3000): a group rebalancing out
    /// of Empty waits this long for more members before assigning.
    pub initial_delay_until: Option<SimTime>,
}

impl Group {
    /// An empty group.
    pub fn new(id: &str, config: &ConsumerConfig) -> Self {
        Group {
            id: String::from(id),
            state: GroupState::Empty,
            generation: 0,
            members: BTreeMap::new(),
            assignor: config.partition_assignment_strategy,
            rebalance_deadline: None,
            initial_delay_until: None,
        }
    }

    /// Whether every member has rejoined.
    pub fn all_rejoined(&self) -> bool {
        self.members.values().all(|m| m.rejoined)
    }

    /// The member owning `tp` now.
    pub fn owner(&self, tp: &TopicPartition) -> Option<&Member> {
        self.members.values().find(|m| m.assignment.contains(tp))
    }
}

/// A consumer instance (the client side).
#[derive(Clone, Debug)]
pub struct Consumer {
    /// Its handle.
    pub handle: ConsumerHandle,
    /// Its settings.
    pub config: ConsumerConfig,
    /// Its member id while in the group.
    pub member_id: Option<String>,
    /// The generation its assignment is from.
    pub generation: u32,
    /// Topics it subscribed to.
    pub subscription: Vec<String>,
    /// Its partitions.
    pub assignment: Vec<TopicPartition>,
    /// Its position per partition: the next offset poll() returns — and
    /// what auto-commit commits, processed or not.
    pub positions: BTreeMap<TopicPartition, u64>,
    /// False once closed or crashed.
    pub alive: bool,
    /// When it crashed: its session expires `session.timeout.ms` later.
    pub crashed_at: Option<SimTime>,
    /// Its last poll(): `max.poll.interval.ms` counts from here.
    pub last_poll: SimTime,
    /// When auto-commit next runs (in poll()).
    pub next_auto_commit: SimTime,
}
