//! ackscope's engine: a deterministic, simulated-time model of message brokers.
//!
//! See `ARCHITECTURE.md` at the repository root for the map of this crate.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod cmd;
pub mod db;
pub mod event;
pub mod parse;
pub mod pubsub;
pub mod repl;
pub mod reply;
pub mod scenario;
pub mod server;
pub mod sim;
pub mod time;

pub use event::{ClientId, Event};
pub use reply::Reply;
pub use server::Server;
pub use time::{SimDuration, SimTime};
