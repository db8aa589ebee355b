//! Pub/sub: channels, patterns and shard channels, and the shape of the
//! simulated cluster that decides where a published message travels.

use crate::event::ClientId;

/// The pub/sub registry.
#[derive(Clone, Debug, Default)]
pub struct PubSub {}

impl PubSub {
    /// Drops every subscription of a disconnected client.
    pub fn forget_client(&mut self, _client: ClientId) {}
}
