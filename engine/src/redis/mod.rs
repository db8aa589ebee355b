//! The Redis 7.0 model: commands in, replies and events out, byte for byte
//! as a real redis-server and `redis-cli --no-raw` would give them.
//!
//! It knows nothing of the simulation around it: the simulated processes
//! (in [`crate::sim`]) talk to it only through commands and replies, as real
//! clients do, and move its clock.

pub mod client;
pub mod cmd;
pub mod db;
pub mod event;
pub mod parse;
pub mod pubsub;
pub mod repl;
pub mod reply;
mod scan;
pub mod server;

pub use event::{ClientId, Event};
pub use reply::Reply;
pub use server::Server;
