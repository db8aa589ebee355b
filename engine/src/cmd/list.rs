//! List commands: lists as queues.

use super::BlockKind;
use crate::event::{Bytes, ClientId};
use crate::server::Server;

/// Serves client `id`, blocked in BLPOP/BRPOP/BLMOVE/BRPOPLPUSH, after
/// `key` (a list) was written.
pub fn serve_blocked(_server: &mut Server, _id: ClientId, _key: &Bytes, _kind: &BlockKind) {}
