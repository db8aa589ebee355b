//! A worker that pops a list with BLPOP, the queue of seed 000: each
//! value goes to one worker and is gone from the list once popped, so a
//! crash while processing loses it (the service is at-most-once).

use super::step::{Parts, Request, back_off};
use super::{Cx, Gate, Item};
use crate::redis::client::{self, Command};
use crate::redis::event::Bytes;
use crate::redis::reply::Reply;
use crate::scenario::WorkerSpec;

/// A list worker's own state: the list it pops.
#[derive(Clone, Debug)]
pub struct ListWorker {
    key: Bytes,
}

impl ListWorker {
    /// A worker popping `key`.
    pub fn new(key: &str) -> Self {
        ListWorker {
            key: key.as_bytes().to_vec(),
        }
    }

    /// The list it pops.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// When it holds nothing: BLPOP with its block time as the timeout.
    pub fn fetch(&self, spec: &WorkerSpec) -> Option<(Command, Request)> {
        Some((client::blpop(&self.key, spec.block_ms), Request::Pop))
    }

    /// BLPOP's reply: a value to process, or a timeout (pop again).
    pub fn on_reply(&self, cx: &mut Cx<'_>, p: &mut Parts<'_>, reply: &Reply) {
        match client::popped(reply) {
            Ok(Some((_, value))) => p.run.batch.push_back(Item {
                msg: p.catalog.parse(&value),
                id: None,
                gate: Gate::Ready,
            }),
            Ok(None) => {}
            Err(_) => back_off(cx, p.run),
        }
    }
}
