//! A worker: one process of a service. What every kind shares lives here —
//! its life (started, crashed, stopped), its link to the broker, the step
//! it is on (idle, waiting for one reply, processing, backing off), the
//! messages it holds, processing in simulated time — and what differs is
//! asked of its [`Kind`]: a stream consumer, a list worker, a subscriber.
//!
//! A worker has at most one command out at a time and acts only on its
//! reply, so every reply is read knowing what it answers.

use alloc::collections::VecDeque;

use super::list_worker::ListWorker;
use super::reader::StreamReader;
use super::step::{
    GroupRequest, Link, Parts, Prepared, Request, Running, Step, Tx, processed, wait,
};
use super::stream_consumer::StreamConsumer;
use super::subscriber::Subscriber;
use super::{Cx, Item, Speed, Timer};
use crate::msg::{MsgCatalog, MsgRef};
use crate::name::Name;
use crate::redis::reply::Reply;
use crate::rng::Rng;
use crate::scenario::WorkerSpec;
use crate::sim::agenda::TimerId;
use crate::sim::trace::SimEvent;
use crate::time::SimTime;

/// How long a worker waits before trying a refused connection again.
pub const RECONNECT_MS: u64 = 500;

/// A worker's life.
#[derive(Clone, Debug)]
pub enum Life {
    /// Not started yet.
    NotStarted,
    /// Its process runs.
    Running(Running),
    /// Its process died; a restart brings it back.
    Crashed,
    /// It left for good.
    Stopped,
}

/// What kind of worker it is, with that kind's own state.
#[derive(Clone, Debug)]
pub enum Kind {
    /// A consumer of a group (XREADGROUP, XACK, XAUTOCLAIM…).
    Stream(StreamConsumer),
    /// A worker popping a list with BLPOP.
    List(ListWorker),
    /// A pub/sub subscriber.
    Subscriber(Subscriber),
    /// A plain stream reader (XREAD).
    Reader(StreamReader),
}

/// A worker: a consumer, a list worker or a subscriber.
#[derive(Clone, Debug)]
pub struct Worker {
    /// Client (and consumer) name; its role in the workload.
    pub name: Name,
    /// Its service's index.
    pub service: u16,
    spec: WorkerSpec,
    kind: Kind,
    rng: Rng,
    catalog: MsgCatalog,
    life: Life,
    /// Processing speed.
    speed: Speed,
}

impl Worker {
    /// A worker of service `service`, not started yet.
    pub fn new(service: u16, spec: WorkerSpec, kind: Kind, rng: Rng, catalog: MsgCatalog) -> Self {
        Worker {
            name: spec.name.as_str().into(),
            service,
            spec,
            kind,
            rng,
            catalog,
            life: Life::NotStarted,
            speed: Speed::default(),
        }
    }

    /// Its timeout for a reply.
    pub fn timeout_ms(&self) -> u64 {
        self.spec.timeout_ms
    }

    /// Its kind.
    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// Its life.
    pub fn life(&self) -> &Life {
        &self.life
    }

    /// Processing speed in percent of normal time.
    pub fn slow_pct(&self) -> u32 {
        self.speed.pct()
    }

    /// Whether its process runs.
    pub fn is_running(&self) -> bool {
        matches!(self.life, Life::Running(_))
    }

    /// The message it is processing and until when.
    pub fn processing(&self) -> Option<(&Item, SimTime)> {
        match &self.life {
            Life::Running(Running {
                step: Step::Processing { item, until, .. },
                ..
            }) => Some((item, *until)),
            _ => None,
        }
    }

    /// The message whose exactly-once transaction it sent EXEC for and
    /// awaits the answer to. When the broker runs that EXEC the effect
    /// happens, whether or not the reply ever reaches the worker.
    pub fn committing(&self) -> Option<MsgRef> {
        match &self.life {
            Life::Running(Running {
                step:
                    Step::Waiting {
                        request: Request::Stream(GroupRequest::Tx(item, Tx::Exec)),
                        ..
                    },
                ..
            }) => item.msg,
            _ => None,
        }
    }

    /// Every message it holds: the one it processes and those waiting.
    pub fn held(&self) -> impl Iterator<Item = &Item> {
        let run = match &self.life {
            Life::Running(run) => Some(run),
            _ => None,
        };
        run.into_iter().flat_map(|r| {
            let current = match &r.step {
                Step::Processing { item, .. } => Some(item),
                Step::Waiting {
                    request: Request::Stream(r),
                    ..
                } => r.item(),
                _ => None,
            };
            current.into_iter().chain(r.batch.iter())
        })
    }

    fn parts(&mut self) -> Option<(Parts<'_>, &mut Kind)> {
        let Life::Running(run) = &mut self.life else {
            return None;
        };
        Some((
            Parts {
                name: &self.name,
                service: self.service,
                spec: &self.spec,
                catalog: &self.catalog,
                run,
            },
            &mut self.kind,
        ))
    }

    /// It connects and starts.
    pub fn start(&mut self, cx: &mut Cx<'_>) {
        if !matches!(self.life, Life::NotStarted) {
            return;
        }
        self.life = Life::Running(Running {
            link: Link::Up,
            step: Step::Idle,
            batch: VecDeque::new(),
        });
        self.connected(cx);
        self.next(cx);
    }

    /// A (new) connection: the kind sets itself up on it.
    fn connected(&mut self, cx: &mut Cx<'_>) {
        let Some((p, kind)) = self.parts() else {
            return;
        };
        match kind {
            Kind::Stream(s) => s.connected(cx, &p),
            Kind::Subscriber(s) => s.connected(cx),
            Kind::List(l) => l.connected(),
            Kind::Reader(_) => {}
        }
    }

    /// A reply or push arrived.
    pub fn on_reply(&mut self, cx: &mut Cx<'_>, reply: &Reply) {
        let Some((mut p, kind)) = self.parts() else {
            return;
        };
        match kind {
            Kind::Subscriber(s) => s.on_push(&mut p, reply),
            _ => {
                let Step::Waiting { request, timeout } =
                    core::mem::replace(&mut p.run.step, Step::Idle)
                else {
                    return;
                };
                if let Some(t) = timeout {
                    cx.cancel(t);
                }
                match (kind, request) {
                    (Kind::Stream(s), Request::Stream(r)) => s.on_reply(cx, &mut p, r, reply),
                    (Kind::List(l), Request::List(r)) => l.on_reply(cx, &mut p, r, reply),
                    (Kind::Reader(r), Request::Read) => r.on_reply(cx, &mut p, reply),
                    _ => {}
                }
            }
        }
        self.next(cx);
    }

    /// A timer fired.
    pub fn on_timer(&mut self, cx: &mut Cx<'_>, id: TimerId, timer: Timer) {
        let Life::Running(run) = &mut self.life else {
            return;
        };
        match (timer, &run.step, run.link) {
            (Timer::ProcessingDone, Step::Processing { timer, .. }, _) if *timer == id => {
                let Step::Processing { item, .. } = core::mem::replace(&mut run.step, Step::Idle)
                else {
                    return;
                };
                self.finish_processing(cx, item);
            }
            (Timer::Backoff, Step::Backoff(t), _) if *t == id => run.step = Step::Idle,
            (Timer::ReplyTimeout, Step::Waiting { timeout, .. }, _) if *timeout == Some(id) => {
                let Step::Waiting { request, .. } = core::mem::replace(&mut run.step, Step::Idle)
                else {
                    return;
                };
                cx.record(SimEvent::TimedOut {
                    client: self.name.clone(),
                    command: request.name().into(),
                });
                // The client library raised: the loop starts over with a
                // new connection, and what it held in memory is dropped.
                run.batch.clear();
                cx.close();
                self.connected(cx);
            }
            (Timer::Reconnect, _, Link::Refused { retry }) if retry == id => {
                run.link = Link::Up;
                self.connected(cx);
            }
            (Timer::Claim, ..) => {
                if let Kind::Stream(s) = &mut self.kind {
                    s.claim_timer_fired(id);
                }
            }
            _ => return,
        }
        self.next(cx);
    }

    /// What to do next, when nothing is out: process what it holds, or ask
    /// for more.
    fn next(&mut self, cx: &mut Cx<'_>) {
        // Bounded: each pass either returns or consumes an item.
        for _ in 0..10_000 {
            let Some((mut p, kind)) = self.parts() else {
                return;
            };
            if !matches!(p.run.step, Step::Idle) {
                return;
            }
            if let Some(item) = p.run.batch.pop_front() {
                let prepared = match kind {
                    Kind::Stream(s) => s.prepare(&p, item),
                    _ => Prepared::Process(item),
                };
                match prepared {
                    Prepared::Process(item) => self.begin_processing(cx, item),
                    Prepared::Ask(command, request) => wait(cx, p.run, command, request),
                    Prepared::Drop => {}
                }
                continue;
            }
            if p.run.link != Link::Up {
                return;
            }
            let fetch = match kind {
                Kind::Stream(s) => s.fetch(&mut p),
                Kind::List(l) => l.fetch(p.spec),
                Kind::Reader(r) => r.fetch(p.spec),
                Kind::Subscriber(_) => None,
            };
            match fetch {
                Some((command, request)) => wait(cx, p.run, command, request),
                None => return,
            }
        }
    }

    /// Starts processing `item` (a message with no ID from a producer is
    /// not processed).
    fn begin_processing(&mut self, cx: &mut Cx<'_>, item: Item) {
        let Some(msg) = item.msg else { return };
        let ms = self
            .speed
            .processing_ms(self.spec.processing_ms, &mut self.rng);
        let timer = cx.timer(ms, Timer::ProcessingDone);
        let until = timer.at();
        cx.record(SimEvent::ProcessingStarted {
            worker: self.name.clone(),
            service: self.service,
            msg,
            id: item.id.into(),
            until,
        });
        if let Life::Running(run) = &mut self.life {
            run.step = Step::Processing { item, until, timer };
        }
    }

    /// Processing ended: it failed (a poison message, or bad luck), or the
    /// kind completes it (acknowledges, commits its effect).
    fn finish_processing(&mut self, cx: &mut Cx<'_>, item: Item) {
        let Some(msg) = item.msg else { return };
        let poison = self.catalog.is_poison(msg);
        if poison || self.rng.chance(self.spec.failure_probability) {
            cx.record(SimEvent::ProcessingFailed {
                worker: self.name.clone(),
                service: self.service,
                msg,
                id: item.id.into(),
                poison,
            });
            return;
        }
        let Some((mut p, kind)) = self.parts() else {
            return;
        };
        match kind {
            Kind::Stream(s) => s.complete(cx, &mut p, item),
            Kind::List(l) => {
                processed(cx, &p, &item, true);
                if let Some((command, request)) = l.complete(&p, msg) {
                    wait(cx, p.run, command, request);
                }
            }
            Kind::Subscriber(_) | Kind::Reader(_) => processed(cx, &p, &item, true),
        }
    }

    /// A command could not go out.
    pub fn on_send_failed(&mut self, cx: &mut Cx<'_>) {
        let Life::Running(run) = &mut self.life else {
            return;
        };
        if matches!(run.step, Step::Waiting { .. }) {
            run.step = Step::Idle;
        }
        if run.link == Link::Up {
            run.link = Link::Refused {
                retry: cx.timer(RECONNECT_MS, Timer::Reconnect),
            };
        }
    }

    /// The reply to its command was lost: arm the timeout.
    pub fn on_reply_lost(&mut self, cx: &mut Cx<'_>) {
        let after = self.spec.timeout_ms;
        if let Life::Running(Running {
            step: Step::Waiting { timeout, .. },
            ..
        }) = &mut self.life
        {
            *timeout = Some(cx.timer(after, Timer::ReplyTimeout));
        }
    }

    /// Its connection closed under it (the broker went down): what it
    /// waited for will not come, what it held is dropped (its loop starts
    /// over); it reconnects shortly. A message being processed is
    /// finished, but its acknowledgement will not get through.
    pub fn on_link_lost(&mut self, cx: &mut Cx<'_>) {
        let Life::Running(run) = &mut self.life else {
            return;
        };
        run.batch.clear();
        if let Step::Waiting { timeout, .. } = &run.step {
            if let Some(t) = timeout {
                cx.cancel(*t);
            }
            run.step = Step::Idle;
        }
        if run.link == Link::Up {
            run.link = Link::Refused {
                retry: cx.timer(RECONNECT_MS, Timer::Reconnect),
            };
        }
    }

    /// The process dies (`stop`: it leaves for good): its connection
    /// closes, what it held in memory is gone, its pending entries stay
    /// with the group.
    pub fn crash(&mut self, cx: &mut Cx<'_>, stop: bool) {
        let Life::Running(run) = &mut self.life else {
            return;
        };
        for t in run.timers() {
            cx.cancel(t);
        }
        if let Kind::Stream(s) = &mut self.kind {
            s.cancel_claims(cx);
        }
        cx.close();
        let worker = self.name.clone();
        if stop {
            self.life = Life::Stopped;
            cx.record(SimEvent::Stopped { worker });
        } else {
            self.life = Life::Crashed;
            cx.record(SimEvent::Crashed { worker });
        }
    }

    /// A crashed worker starts again with a new connection.
    pub fn restart(&mut self, cx: &mut Cx<'_>) {
        if !matches!(self.life, Life::Crashed) {
            return;
        }
        cx.record(SimEvent::Restarted {
            worker: self.name.clone(),
        });
        // A new process: a plain reader's position was in its memory.
        if let Kind::Reader(r) = &mut self.kind {
            r.restarted();
        }
        self.life = Life::NotStarted;
        self.start(cx);
    }

    /// Its network drops until `until`: connection gone, commands lost,
    /// what it held dropped (as [`Worker::on_link_lost`]).
    pub fn network_down(&mut self, cx: &mut Cx<'_>, until: SimTime) {
        let Life::Running(run) = &mut self.life else {
            return;
        };
        if matches!(run.link, Link::Cut { .. }) {
            return;
        }
        run.batch.clear();
        if let Link::Refused { retry } = run.link {
            cx.cancel(retry);
        }
        if let Step::Waiting { timeout, .. } = &run.step {
            if let Some(t) = timeout {
                cx.cancel(*t);
            }
            run.step = Step::Idle;
        }
        run.link = Link::Cut { until };
        cx.close();
        cx.record(SimEvent::NetworkDown {
            client: self.name.clone(),
            until,
        });
    }

    /// The network is back: it reconnects and carries on.
    pub fn network_up(&mut self, cx: &mut Cx<'_>) {
        let Life::Running(run) = &mut self.life else {
            return;
        };
        if !matches!(run.link, Link::Cut { .. }) {
            return;
        }
        run.link = Link::Up;
        cx.record(SimEvent::NetworkUp {
            client: self.name.clone(),
        });
        self.connected(cx);
        self.next(cx);
    }

    /// Whether its network is cut by a fault.
    pub fn is_cut(&self) -> bool {
        matches!(
            self.life,
            Life::Running(Running {
                link: Link::Cut { .. },
                ..
            })
        )
    }

    /// It processes `pct`/100 times slower until `until`.
    pub fn slow(&mut self, cx: &mut Cx<'_>, pct: u32, until: SimTime) {
        self.speed.slow(cx, &self.name, pct, until);
    }

    /// A slowdown ends.
    pub fn restore_speed(&mut self, cx: &mut Cx<'_>) {
        self.speed.restore(cx, &self.name);
    }
}
