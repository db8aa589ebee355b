//! The simulation a lab plays: lanes of worlds stepped in lockstep in
//! simulated time, the actors around each broker, faults, the ledger, the
//! properties checked after every step, the trace, and a timeline that can
//! seek to any moment.

pub mod actor;
pub mod agenda;
pub mod broker;
pub mod check;
pub mod events;
pub mod faults;
pub mod kafka;
pub mod lanes;
pub mod ledger;
pub mod timeline;
pub mod trace;
pub mod world;

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::scenario::FaultSpec;

pub use check::Violation;
pub use events::{EventRef, Events, Trace};
pub use lanes::Lanes;
pub use ledger::{Ledger, ServiceCounts};
pub use timeline::Timeline;
pub use trace::{CommandRun, DeadLetter, Fingerprint, MaybeEntryId, SimEvent, TraceEvent, What};
pub use world::World;

/// Something the user added to a run at a given time — a console command
/// or a fault button. Injections are part of the run: replaying or sharing
/// it applies them again at the same moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Injection {
    /// A command typed at the console, sent by connection `client` to the
    /// broker of lane `lane`.
    Console {
        /// When (ms since the start of the run).
        at_ms: u64,
        /// Which connection.
        client: String,
        /// The command line.
        line: String,
        /// Which lane's broker (0 when there is one).
        #[serde(default)]
        lane: u16,
    },
    /// A crash, restart, slowdown or network fault: like the scenario's
    /// own faults, it applies in every lane.
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

    /// Whether it applies in lane `lane`.
    pub fn applies_to(&self, lane: u16) -> bool {
        match self {
            Injection::Console { lane: l, .. } => *l == lane,
            Injection::Fault(_) => true,
        }
    }
}
