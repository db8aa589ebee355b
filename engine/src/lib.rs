//! ackscope's engine: a deterministic, simulated-time model of message brokers.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;
