//! A plain stream reader: XREAD, no consumer group (seed 000). Every
//! reader gets every entry — the stream keeps them after reading — and
//! each remembers for itself where it is. Nothing is acknowledged and
//! nothing is pending: a reader that restarts begins again from where its
//! scenario says (`$`: only what arrives from then on; `0`: everything).

use alloc::vec::Vec;

use super::step::{Parts, Request, back_off};
use super::{Cx, Gate, Item};
use crate::redis::client::{self, Command};
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::Bytes;
use crate::redis::reply::Reply;
use crate::scenario::{ReaderSource, WorkerSpec};

/// A reader's own state: its stream and how far it has read.
#[derive(Clone, Debug)]
pub struct StreamReader {
    key: Bytes,
    from: Bytes,
    /// The last ID it read, since it (re)started.
    last: Option<StreamId>,
}

impl StreamReader {
    /// A reader of `source`'s stream.
    pub fn new(source: &ReaderSource) -> Self {
        StreamReader {
            key: source.stream.as_bytes().to_vec(),
            from: source.from.as_bytes().to_vec(),
            last: None,
        }
    }

    /// The stream it reads.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// The last ID it read, if it read any since it (re)started.
    pub fn last(&self) -> Option<StreamId> {
        self.last
    }

    /// A new connection after a restart: where it was is forgotten.
    pub fn restarted(&mut self) {
        self.last = None;
    }

    /// When it holds nothing: XREAD after the last ID it read.
    pub fn fetch(&self, spec: &WorkerSpec) -> Option<(Command, Request)> {
        let after: Vec<u8> = match self.last {
            Some(id) => id.to_bytes(),
            None => self.from.clone(),
        };
        Some((
            client::xread(&self.key, spec.count, spec.block_ms, &after),
            Request::Read,
        ))
    }

    /// XREAD's reply: entries to process, or nil after the block time.
    pub fn on_reply(&mut self, cx: &mut Cx<'_>, p: &mut Parts<'_>, reply: &Reply) {
        match client::read_entries(reply) {
            Ok(entries) => {
                if let Some(last) = entries.iter().map(|e| e.id).max() {
                    self.last = Some(last);
                }
                p.run.batch.extend(entries.iter().map(|e| Item {
                    msg: e.field(b"msg").and_then(|m| p.catalog.parse(m)),
                    id: Some(e.id),
                    gate: Gate::Ready,
                }));
            }
            Err(_) => back_off(cx, p.run),
        }
    }
}
