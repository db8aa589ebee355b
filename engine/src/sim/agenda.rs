//! The agenda: what is due when, in simulated time. Tasks at the same
//! instant run in the order they were scheduled, so a run is deterministic.
//! Every scheduled task has a [`TimerId`], and is cancelled by it.

use alloc::collections::BTreeMap;

use crate::time::SimTime;

/// An actor's index in its world.
pub type ActorId = usize;

/// What an actor's timer is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// A producer's next message is due.
    Produce,
    /// A producer sends a failed message again.
    Retry,
    /// A worker finishes processing its current message.
    ProcessingDone,
    /// A consumer's XAUTOCLAIM is due.
    Claim,
    /// A client tries its connection again (the broker was down).
    Reconnect,
    /// A client has waited its timeout for a reply that will not come.
    ReplyTimeout,
    /// A worker waits a moment after an error before trying again.
    Backoff,
    /// A Kafka consumer's next `poll()` is due.
    Poll,
}

/// A scheduled task, to cancel it or to recognise it when it fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimerId {
    at: SimTime,
    seq: u64,
}

impl TimerId {
    /// When it is due.
    pub fn at(self) -> SimTime {
        self.at
    }
}

/// Something due at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// An actor's timer fires.
    Timer(ActorId, Timer),
    /// An actor reads the replies another client's command got it (a
    /// blocked read was served, a message was published).
    Wake(ActorId),
    /// A worker connects and starts.
    Start(ActorId),
    /// A worker leaves for good.
    Stop(ActorId),
    /// Service `n`'s consumer group is created.
    CreateGroup(usize),
    /// Fault `n` of the scenario happens.
    Fault(usize),
    /// Fault `n` of the scenario (a slowdown, a network drop, a broker
    /// crash) ends.
    FaultEnd(usize),
    /// The user's injection `n` (a fault) ends.
    InjectedFaultEnd(usize),
    /// Script step `n` runs.
    Script(usize),
    /// Production stops and faults heal.
    Drain,
    /// The run ends: the ledger sorts what was not processed.
    Finish,
}

/// Tasks by due time.
#[derive(Clone, Debug, Default)]
pub struct Agenda {
    queue: BTreeMap<TimerId, Task>,
    next_seq: u64,
}

impl Agenda {
    /// Schedules `task` at `at`.
    pub fn schedule(&mut self, at: SimTime, task: Task) -> TimerId {
        let id = TimerId {
            at,
            seq: self.next_seq,
        };
        self.next_seq += 1;
        self.queue.insert(id, task);
        id
    }

    /// Cancels a task; `false` if it already ran or was cancelled.
    pub fn cancel(&mut self, id: TimerId) -> bool {
        self.queue.remove(&id).is_some()
    }

    /// The next task, without taking it.
    pub fn peek(&self) -> Option<(TimerId, Task)> {
        self.queue.first_key_value().map(|(id, t)| (*id, *t))
    }

    /// Takes the next task.
    pub fn pop(&mut self) -> Option<(TimerId, Task)> {
        self.queue.pop_first()
    }

    /// Drops every task (the run is over).
    pub fn clear(&mut self) {
        self.queue.clear();
    }
}
