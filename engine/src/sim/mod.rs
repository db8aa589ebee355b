//! The simulation a lab plays: a world stepped in simulated time, its
//! trace, its ledger, and a timeline that can seek to any moment.

pub mod ledger;
pub mod peak;
pub mod producer;
pub mod timeline;
pub mod trace;
pub mod view;
pub mod worker;
pub mod world;

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::scenario::FaultSpec;

pub use ledger::{LaneCounts, Ledger};
pub use timeline::Timeline;
pub use trace::{ActorEvent, Fingerprint, MsgRef, TraceEvent, What};
pub use world::World;

/// Something the user added to a run at a given time — a console command
/// or a fault button. Injections are part of the run: replaying or sharing
/// it applies them again at the same moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Injection {
    /// A command typed at the console, sent by connection `client`.
    Console {
        /// When (ms since the start of the run).
        at_ms: u64,
        /// Which connection.
        client: String,
        /// The command line.
        line: String,
    },
    /// A crash, restart, slowdown or network drop.
    Fault(FaultSpec),
}

impl Injection {
    /// When it applies (ms since the start of the run).
    pub fn at_ms(&self) -> u64 {
        match self {
            Injection::Console { at_ms, .. } => *at_ms,
            Injection::Fault(f) => f.at_ms,
        }
    }
}
