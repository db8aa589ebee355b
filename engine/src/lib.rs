//! ackscope's engine: a deterministic, simulated-time model of message brokers.
//!
//! See `ARCHITECTURE.md` at the repository root for the map of this crate.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod kafka;
pub mod lesson;
pub mod msg;
pub mod name;
pub mod redis;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod time;
pub mod vec_map;
pub mod view;

pub use time::{SimDuration, SimTime};
