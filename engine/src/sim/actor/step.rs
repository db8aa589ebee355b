//! What a running worker is doing, shared by every kind of worker: its
//! link to the broker, its step (idle, waiting for one reply, processing,
//! backing off), what it holds, and what each command it sent was for.

use alloc::collections::VecDeque;

use super::list_worker::ListRequest;
use super::{Cx, Item, Timer};
use crate::msg::MsgCatalog;
use crate::name::Name;
use crate::redis::client::Command;
use crate::redis::db::stream_id::StreamId;
use crate::scenario::WorkerSpec;
use crate::sim::agenda::TimerId;
use crate::sim::trace::SimEvent;
use crate::time::SimTime;

/// How long a worker waits after an error reply before trying again.
pub const ERROR_BACKOFF_MS: u64 = 500;

/// A running worker's state.
#[derive(Clone, Debug)]
pub struct Running {
    /// Whether it can reach the broker.
    pub link: Link,
    /// What it is doing.
    pub step: Step,
    /// Messages received and not processed yet, oldest first.
    pub batch: VecDeque<Item>,
}

/// A worker's link to the broker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Connected (or connecting on its next command).
    Up,
    /// Its network is down until `until` (a fault): nothing gets through.
    Cut {
        /// When it comes back.
        until: SimTime,
    },
    /// The broker refused the connection; it tries again when `retry`
    /// fires.
    Refused {
        /// The reconnect timer.
        retry: TimerId,
    },
}

/// What a running worker is doing.
#[derive(Clone, Debug)]
pub enum Step {
    /// Nothing: it decides what to do next.
    Idle,
    /// A command is out; `timeout` is armed once its reply is known lost.
    Waiting {
        /// What the command was for.
        request: Request,
        /// The reply timeout, if armed.
        timeout: Option<TimerId>,
    },
    /// Processing `item` until `until` (timer `timer`).
    Processing {
        /// The message.
        item: Item,
        /// When it is done.
        until: SimTime,
        /// Its timer.
        timer: TimerId,
    },
    /// After an error reply: waiting for `timer` before trying again.
    Backoff(TimerId),
}

/// What a command a worker sent was for: how to read its reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// A consumer group's request.
    Stream(GroupRequest),
    /// A list worker's request.
    List(ListRequest),
    /// A plain reader's XREAD.
    Read,
}

/// What a consumer's command was for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupRequest {
    /// XGROUP CREATE, after NOGROUP.
    CreateGroup,
    /// XREADGROUP of its own pending entries, after this ID.
    ReadPending,
    /// XREADGROUP `>` with BLOCK.
    ReadNew,
    /// XACK.
    Ack,
    /// XAUTOCLAIM.
    Claim,
    /// XPENDING of a claimed entry: how often was it delivered?
    Deliveries(Item),
    /// XADD of an entry to the dead-letter stream.
    DeadLetter(Item, u64),
    /// XACK of an entry just dead-lettered (as `new_id`, after `n`
    /// deliveries).
    DeadLetterAck(Item, StreamId, u64),
    /// One step of the exactly-once transaction for `item`.
    Tx(Item, Tx),
}

/// The steps of the exactly-once check and commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tx {
    /// `WATCH done:…`
    Watch,
    /// `EXISTS done:…`
    Check,
    /// `WATCH done:…` again after processing, on a new connection: the
    /// first watch went with the old one.
    Rewatch,
    /// `EXISTS done:…` under the new watch.
    Recheck,
    /// `UNWATCH`: it was done already.
    Skip,
    /// `MULTI`
    Multi,
    /// `SET done:… 1 NX` queued.
    QueueDone,
    /// The effect queued.
    QueueEffect,
    /// `XACK` queued.
    QueueAck,
    /// `EXEC`
    Exec,
    /// `EXISTS done:…` with no watch (dedup without a transaction).
    Peek,
    /// `SET done:… 1 NX` after the effect, on its own (dedup without a
    /// transaction).
    Record,
}

impl GroupRequest {
    /// The command it answers, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            GroupRequest::CreateGroup => "XGROUP CREATE",
            GroupRequest::ReadPending | GroupRequest::ReadNew => "XREADGROUP",
            GroupRequest::Ack | GroupRequest::DeadLetterAck(..) => "XACK",
            GroupRequest::Claim => "XAUTOCLAIM",
            GroupRequest::Deliveries(_) => "XPENDING",
            GroupRequest::DeadLetter(..) => "XADD",
            GroupRequest::Tx(_, step) => match step {
                Tx::Watch | Tx::Rewatch => "WATCH",
                Tx::Check | Tx::Recheck | Tx::Peek => "EXISTS",
                Tx::Record => "SET",
                Tx::Skip => "UNWATCH",
                Tx::Multi => "MULTI",
                Tx::QueueDone => "SET",
                Tx::QueueEffect => "INCR",
                Tx::QueueAck => "XACK",
                Tx::Exec => "EXEC",
            },
        }
    }

    /// The message it concerns, if one.
    pub fn item(&self) -> Option<&Item> {
        match self {
            GroupRequest::Deliveries(i)
            | GroupRequest::DeadLetter(i, _)
            | GroupRequest::DeadLetterAck(i, ..)
            | GroupRequest::Tx(i, _) => Some(i),
            _ => None,
        }
    }
}

/// What a kind says to do with a message it is given.
pub enum Prepared {
    /// Process it now.
    Process(Item),
    /// A command must answer first (a dead-letter check, a dedup check).
    Ask(Command, Request),
    /// Nothing to do with it.
    Drop,
}

/// What a kind's handlers work on: the worker's fixed parts and its
/// running state, apart from the kind itself.
pub struct Parts<'w> {
    /// Its name.
    pub name: &'w Name,
    /// Its service's index.
    pub service: u16,
    /// Its spec.
    pub spec: &'w WorkerSpec,
    /// The run's messages.
    pub catalog: &'w MsgCatalog,
    /// Its running state.
    pub run: &'w mut Running,
}

impl Running {
    /// The timers its step holds.
    pub fn timers(&self) -> impl Iterator<Item = TimerId> {
        let step = match &self.step {
            Step::Processing { timer, .. } => Some(*timer),
            Step::Backoff(t) => Some(*t),
            Step::Waiting { timeout, .. } => *timeout,
            Step::Idle => None,
        };
        let link = match self.link {
            Link::Refused { retry } => Some(retry),
            _ => None,
        };
        step.into_iter().chain(link)
    }
}

impl Request {
    /// The command it answers, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Request::Stream(r) => r.name(),
            Request::List(r) => r.name(),
            Request::Read => "XREAD",
        }
    }
}

/// Sends `command` and waits for its reply.
pub fn wait(cx: &mut Cx<'_>, run: &mut Running, command: Command, request: Request) {
    cx.send(command);
    run.step = Step::Waiting {
        request,
        timeout: None,
    };
}

/// After an error reply: wait a moment before trying again.
pub fn back_off(cx: &mut Cx<'_>, run: &mut Running) {
    run.step = Step::Backoff(cx.timer(ERROR_BACKOFF_MS, Timer::Backoff));
}

/// Records that `item` was processed (`applied`: its effect took place).
pub fn processed(cx: &mut Cx<'_>, p: &Parts<'_>, item: &Item, applied: bool) {
    if let Some(msg) = item.msg {
        cx.record(SimEvent::Processed {
            worker: p.name.clone(),
            service: p.service,
            msg,
            id: item.id.into(),
            applied,
        });
    }
}
