//! A worker that takes values from a list, the queue of seed 000, in one of
//! three ways:
//!
//! - **blocking**: BLPOP waits inside Redis until a value arrives, so the
//!   worker hears of it at once. The value is gone from the list once
//!   popped: a crash while processing loses it (at-most-once).
//! - **polling**: LPOP answers at once, nil when the list is empty; the
//!   worker then sleeps its poll interval and asks again. A value that
//!   arrives meanwhile waits for the next poll, and every empty answer is
//!   a wasted round trip (seed 000's argument for blocking).
//! - **reliable**: BLMOVE hands the value over *and* keeps it, in the
//!   worker's own processing list; LREM removes it from there once the
//!   work is done. After a crash the worker finds in its processing list
//!   what it was working on and does it again (at-least-once).

use alloc::vec::Vec;

use super::step::{Parts, Request, Step, back_off};
use super::{Cx, Gate, Item};
use crate::msg::MsgRef;
use crate::redis::client::{self, Command};
use crate::redis::event::Bytes;
use crate::redis::reply::Reply;
use crate::scenario::WorkerSpec;
use crate::sim::agenda::Timer;
use crate::sim::trace::SimEvent;

/// How it takes values from the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// BLPOP.
    Blocking,
    /// LPOP, then a pause of this many ms when the list was empty.
    Polling(u64),
    /// BLMOVE into this processing list, LREM from it when done.
    Reliable(Bytes),
}

/// What a list worker's command was for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListRequest {
    /// BLPOP.
    Pop,
    /// LPOP.
    Poll,
    /// BLMOVE into the processing list.
    Move,
    /// LRANGE of its processing list, after (re)connecting.
    Recover,
    /// LREM of a finished value from the processing list.
    Done,
}

impl ListRequest {
    /// The command it answers, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            ListRequest::Pop => "BLPOP",
            ListRequest::Poll => "LPOP",
            ListRequest::Move => "BLMOVE",
            ListRequest::Recover => "LRANGE",
            ListRequest::Done => "LREM",
        }
    }
}

/// A list worker's own state: the list, how it takes from it, and whether
/// its processing list still has to be read after a (re)connect.
#[derive(Clone, Debug)]
pub struct ListWorker {
    key: Bytes,
    mode: Mode,
    recover: bool,
    /// The values it took and has not finished (a reliable worker removes
    /// each, byte for byte, from its processing list when done).
    taken: Vec<Bytes>,
}

impl ListWorker {
    /// A worker taking from `key`: reliably into its own processing list
    /// (named after the list and `worker`) when `reliable`, else polling
    /// every `poll_ms` if set, else blocking.
    pub fn new(key: &str, worker: &str, reliable: bool, poll_ms: Option<u64>) -> Self {
        let mode = match (reliable, poll_ms) {
            (true, _) => Mode::Reliable(crate::scenario::processing_list(key, worker).into_bytes()),
            (false, Some(ms)) => Mode::Polling(ms.max(1)),
            (false, None) => Mode::Blocking,
        };
        ListWorker {
            key: key.as_bytes().to_vec(),
            mode,
            recover: false,
            taken: Vec::new(),
        }
    }

    /// The list it takes from.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// How it takes values.
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// A new connection: a reliable worker first reads back what its
    /// processing list holds (what it was doing when it went down).
    pub fn connected(&mut self) {
        self.recover = matches!(self.mode, Mode::Reliable(_));
        self.taken.clear();
    }

    /// When it holds nothing: recover, or take the next value.
    pub fn fetch(&self, spec: &WorkerSpec) -> Option<(Command, Request)> {
        let (command, request) = match &self.mode {
            Mode::Reliable(processing) if self.recover => {
                (client::lrange_all(processing), ListRequest::Recover)
            }
            Mode::Reliable(processing) => (
                client::blmove(&self.key, processing, spec.block_ms),
                ListRequest::Move,
            ),
            Mode::Polling(_) => (client::lpop(&self.key), ListRequest::Poll),
            Mode::Blocking => (client::blpop(&self.key, spec.block_ms), ListRequest::Pop),
        };
        Some((command, Request::List(request)))
    }

    /// Processing `msg` succeeded: a reliable worker clears its value from
    /// its processing list; `None` when there is nothing to send.
    pub fn complete(&mut self, p: &Parts<'_>, msg: MsgRef) -> Option<(Command, Request)> {
        let at = self
            .taken
            .iter()
            .position(|v| p.catalog.parse(v) == Some(msg))?;
        let value = self.taken.remove(at);
        match &self.mode {
            Mode::Reliable(processing) => Some((
                client::lrem_one(processing, &value),
                Request::List(ListRequest::Done),
            )),
            _ => None,
        }
    }

    /// Holds `value` and queues it for processing.
    fn take(&mut self, p: &mut Parts<'_>, value: Bytes) {
        p.run.batch.push_back(Item {
            msg: p.catalog.parse(&value),
            id: None,
            gate: Gate::Ready,
        });
        self.taken.push(value);
    }

    /// The reply to `request`.
    pub fn on_reply(
        &mut self,
        cx: &mut Cx<'_>,
        p: &mut Parts<'_>,
        request: ListRequest,
        reply: &Reply,
    ) {
        let taken = match request {
            ListRequest::Pop => client::popped(reply).map(|v| v.map(|(_, value)| value)),
            ListRequest::Move | ListRequest::Poll => client::value(reply),
            _ => Ok(None),
        };
        match request {
            ListRequest::Pop | ListRequest::Move => match taken {
                Ok(Some(value)) => self.take(p, value),
                Ok(None) => {}
                Err(_) => back_off(cx, p.run),
            },
            ListRequest::Poll => match taken {
                Ok(Some(value)) => self.take(p, value),
                Ok(None) => {
                    cx.record(SimEvent::PolledEmpty {
                        worker: p.name.clone(),
                        service: p.service,
                    });
                    if let Mode::Polling(ms) = self.mode {
                        p.run.step = Step::Backoff(cx.timer(ms, Timer::Backoff));
                    }
                }
                Err(_) => back_off(cx, p.run),
            },
            ListRequest::Recover => match client::values(reply) {
                Ok(values) => {
                    self.recover = false;
                    for value in values {
                        self.take(p, value);
                    }
                }
                Err(_) => back_off(cx, p.run),
            },
            ListRequest::Done => {
                if client::integer(reply).is_err() {
                    back_off(cx, p.run);
                }
            }
        }
    }
}
