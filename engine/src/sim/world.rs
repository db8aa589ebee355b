//! The world: the simulated server, the simulated processes around it
//! (producers, workers, scripted clients), a discrete-event agenda in
//! simulated time, the ledger and the RNG.
//!
//! [`World::step`] runs one *action* — the next task on the agenda, or a
//! blocked client's timeout — and records what happened as trace events.
//! Everything is deterministic: tasks at the same instant run in the order
//! they were scheduled, and all randomness comes from the seeded RNG.

use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use super::Injection;
use super::ledger::{LaneCounts, Ledger};
use super::trace::{ActorEvent, MsgRef, TraceEvent, What};
use super::worker::Worker;
use crate::redis::event::{Bytes, ClientId, Event};
use crate::redis::parse::Arg;
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::rng::Rng;
use crate::scenario::{FaultKind, FaultSpec, Scenario, Source, Target};
use crate::time::{SimDuration, SimTime};

/// Something scheduled to happen at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Task {
    /// Producer `n` sends its next message.
    Produce(usize),
    /// Lane `n`'s consumer group is created.
    CreateGroup(usize),
    /// Worker `n` connects and starts.
    StartWorker(usize),
    /// Worker `n` leaves for good.
    StopWorker(usize),
    /// Worker `n` looks at what it received and carries on (`epoch` guards
    /// against tasks scheduled before a crash).
    Wake(usize, u32),
    /// Worker `n` finishes processing its current message.
    ProcessDone(usize, u32),
    /// Worker `n`'s XAUTOCLAIM timer fires.
    ClaimTick(usize, u32),
    /// Fault `n` of the scenario happens.
    Fault(usize),
    /// Fault `n` (a slowdown or network drop) ends.
    FaultEnd(usize),
    /// Injected fault `n` (a slowdown or network drop) ends.
    InjectedFaultEnd(usize),
    /// Script step `n` runs.
    Script(usize),
    /// The drain phase begins.
    Drain,
    /// The run ends: the ledger counts what was lost.
    Finish,
}

/// A producer's progress.
#[derive(Clone, Debug)]
pub(crate) struct Producer {
    /// Its connections, by cluster node (one without a cluster).
    pub clients: Vec<(u16, ClientId)>,
    /// Messages sent so far.
    pub sent: u32,
}

/// The world of one run.
#[derive(Clone, Debug)]
pub struct World {
    pub(crate) scenario: Rc<Scenario>,
    seed: u64,
    pub(crate) server: Server,
    pub(crate) rng: Rng,
    agenda: BTreeMap<(SimTime, u64), Task>,
    next_seq: u64,
    pub(crate) producers: Vec<Producer>,
    pub(crate) workers: Vec<Worker>,
    /// Connections of script steps (and of the UI's console), by name.
    script_clients: Vec<(Bytes, ClientId)>,
    /// The connection used to create groups.
    admin: ClientId,
    pub(crate) ledger: Ledger,
    /// What the user added to the run (console commands, fault buttons),
    /// by time.
    injections: Rc<Vec<Injection>>,
    next_injection: usize,
    /// Actions run so far.
    actions: u64,
    out: Vec<TraceEvent>,
    pub(crate) draining: bool,
    finished: bool,
}

impl World {
    /// A world ready to run `scenario` with `seed` and the user's
    /// `injections` (sorted by time; see [`Injection`]).
    pub fn new(scenario: Rc<Scenario>, seed: u64, injections: Rc<Vec<Injection>>) -> World {
        let mut server = Server::new(SimTime::START);
        if let Some(c) = scenario.cluster {
            // Validated by the scenario: a shape the cluster accepts.
            if let Ok(pubsub) = crate::redis::pubsub::PubSub::with_cluster(c.primaries, c.replicas)
            {
                server.pubsub = pubsub;
            }
        }
        let admin = server.connect(b"setup");
        let producers = scenario
            .producers
            .iter()
            .map(|_| Producer {
                clients: Vec::new(),
                sent: 0,
            })
            .collect();
        let workers = scenario
            .workers()
            .map(|(lane, spec)| Worker::new(lane, spec))
            .collect();
        let mut world = World {
            ledger: Ledger::new(scenario.lanes.len()),
            injections,
            next_injection: 0,
            scenario: scenario.clone(),
            seed,
            server,
            rng: Rng::new(seed),
            agenda: BTreeMap::new(),
            next_seq: 0,
            producers,
            workers,
            script_clients: Vec::new(),
            admin,
            actions: 0,
            out: Vec::new(),
            draining: false,
            finished: false,
        };
        world.schedule_initial();
        world
    }

    fn schedule_initial(&mut self) {
        let scenario = self.scenario.clone();
        let at = |ms: u64| SimTime::START + SimDuration::from_ms(ms);
        for (i, lane) in scenario.lanes.iter().enumerate() {
            if let Source::Group(g) = &lane.source {
                self.schedule(at(g.create_at_ms), Task::CreateGroup(i));
            }
        }
        // Consumers are ready before the first message of the same instant.
        for (i, (lane, spec)) in scenario.workers().enumerate() {
            let group_at = match &scenario.lanes[lane].source {
                Source::Group(g) => g.create_at_ms,
                _ => 0,
            };
            self.schedule(at(spec.start_ms.max(group_at)), Task::StartWorker(i));
            if let Some(stop) = spec.stop_ms {
                self.schedule(at(stop), Task::StopWorker(i));
            }
        }
        for (i, p) in scenario.producers.iter().enumerate() {
            let first = p
                .at_ms
                .as_ref()
                .and_then(|v| v.first().copied())
                .unwrap_or(p.start_ms);
            if first < scenario.duration_ms {
                self.schedule(at(first), Task::Produce(i));
            }
        }
        for (i, f) in scenario.faults.iter().enumerate() {
            self.schedule(at(f.at_ms), Task::Fault(i));
        }
        for (i, s) in scenario.script.iter().enumerate() {
            self.schedule(at(s.at_ms), Task::Script(i));
        }
        self.schedule(at(scenario.duration_ms), Task::Drain);
        self.schedule(at(scenario.end_ms()), Task::Finish);
    }

    /// Puts `task` on the agenda at `at`.
    pub(crate) fn schedule(&mut self, at: SimTime, task: Task) {
        self.agenda.insert((at, self.next_seq), task);
        self.next_seq += 1;
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The seed of this run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The simulated server, to inspect.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.server.now()
    }

    /// Moves the clock forward to `t` without running anything: the
    /// caller knows no action is due before `t` (the timeline does).
    pub fn set_clock(&mut self, t: SimTime) {
        if self.next_time().is_none_or(|next| next > t) {
            self.server.advance_to(t);
        }
    }

    /// How many actions ran.
    pub fn actions(&self) -> u64 {
        self.actions
    }

    /// Whether the run is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The ledger counts of lane `lane`.
    pub fn lane_counts(&self, lane: usize) -> LaneCounts {
        self.ledger.counts(lane)
    }

    /// When the next action will happen, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        if self.finished {
            return None;
        }
        let task = self.agenda.keys().next().map(|(t, _)| *t);
        match (task, self.server.next_timeout()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Replaces the injections not applied yet (the UI added one at the
    /// current time, which is after every applied one).
    pub fn set_injections(&mut self, injections: Rc<Vec<Injection>>) {
        self.injections = injections;
    }

    /// Runs the next action and returns its events (empty when the run is
    /// over). An injection at `t` runs once every action at or before `t`
    /// has run, as it did when the user added it at that moment.
    pub fn step(&mut self) -> Vec<TraceEvent> {
        let Some(next) = self.next_time() else {
            return Vec::new();
        };
        if let Some(injection) = self.injections.get(self.next_injection).cloned() {
            let at = SimTime::START + SimDuration::from_ms(injection.at_ms());
            // At the run's last instant the injection still comes first.
            let finishing =
                matches!(self.agenda.first_key_value(), Some(((t, _), Task::Finish)) if *t == at);
            if next > at || finishing {
                self.next_injection += 1;
                self.server.advance_to(at);
                self.inject(self.next_injection - 1, &injection);
                return self.end_action();
            }
        }
        let timeout_first = self.server.next_timeout().is_some_and(|t| t <= next);
        self.server.advance_to(next);
        if !timeout_first {
            let (&key, _) = self
                .agenda
                .iter()
                .next()
                .expect("next_time came from the agenda");
            let task = self.agenda.remove(&key).expect("key exists");
            self.run_task(task);
        }
        self.end_action()
    }

    /// Closes an action: broker events into the trace, receivers woken.
    fn end_action(&mut self) -> Vec<TraceEvent> {
        self.collect_broker_events();
        self.wake_receivers();
        self.actions += 1;
        #[cfg(debug_assertions)]
        self.check_invariants();
        core::mem::take(&mut self.out)
    }

    fn inject(&mut self, index: usize, injection: &Injection) {
        match injection {
            Injection::Console { client, line, .. } => {
                self.console_command(client.as_bytes(), line)
            }
            Injection::Fault(spec) => self.apply_fault(spec, Task::InjectedFaultEnd(index)),
        }
    }

    fn run_task(&mut self, task: Task) {
        match task {
            Task::Produce(p) => self.produce(p),
            Task::CreateGroup(lane) => self.create_group(lane),
            Task::StartWorker(w) => self.start_worker(w),
            Task::StopWorker(w) => self.stop_worker(w),
            Task::Wake(w, epoch) => {
                if self.workers[w].epoch == epoch {
                    self.advance_worker(w);
                }
            }
            Task::ProcessDone(w, epoch) => {
                if self.workers[w].epoch == epoch {
                    self.finish_processing(w);
                }
            }
            Task::ClaimTick(w, epoch) => {
                if self.workers[w].epoch == epoch {
                    self.claim_due(w);
                }
            }
            Task::Fault(f) => {
                let spec = self.scenario.faults[f].clone();
                self.apply_fault(&spec, Task::FaultEnd(f));
            }
            Task::FaultEnd(f) => {
                let spec = self.scenario.faults[f].clone();
                self.fault_end(&spec);
            }
            Task::InjectedFaultEnd(i) => {
                if let Some(Injection::Fault(spec)) = self.injections.get(i).cloned() {
                    self.fault_end(&spec);
                }
            }
            Task::Script(s) => self.script_step(s),
            Task::Drain => self.drain(),
            Task::Finish => self.finish(),
        }
    }

    /// Records an actor event, after the broker events that led to it.
    pub(crate) fn record(&mut self, event: ActorEvent) {
        self.collect_broker_events();
        self.out.push(TraceEvent {
            at: self.server.now(),
            action: self.actions,
            what: What::Actor(event),
        });
    }

    /// Moves the server's events into the trace, counting deliveries in
    /// the ledger.
    fn collect_broker_events(&mut self) {
        for event in self.server.take_events() {
            if let Some(lane) = self.delivery_lane(&event) {
                self.ledger.delivered(lane);
            }
            self.out.push(TraceEvent {
                at: self.server.now(),
                action: self.actions,
                what: What::Broker(event),
            });
        }
    }

    /// The lane a broker event delivers to, if it is a delivery.
    fn delivery_lane(&self, event: &Event) -> Option<usize> {
        match event {
            Event::EntryDelivered { key, group, .. } | Event::EntryClaimed { key, group, .. } => {
                self.scenario.lanes.iter().position(|l| {
                    matches!(&l.source, Source::Group(g) if g.stream.as_bytes() == key.as_slice() && g.group.as_bytes() == group.as_slice())
                })
            }
            Event::ListPopped { by, .. } | Event::ListMoved { by, .. } => self.worker_of(*by).map(|w| self.workers[w].lane),
            Event::MessageDelivered { to, .. } => self.worker_of(*to).map(|w| self.workers[w].lane),
            _ => None,
        }
    }

    /// The worker called `name`.
    fn worker_named(&self, name: &str) -> Option<usize> {
        self.workers.iter().position(|w| w.name == name.as_bytes())
    }

    /// The worker connected as `client`.
    pub(crate) fn worker_of(&self, client: ClientId) -> Option<usize> {
        self.workers.iter().position(|w| w.client == Some(client))
    }

    /// Schedules a wake-up, now, for every worker with replies waiting.
    fn wake_receivers(&mut self) {
        let now = self.server.now();
        for i in 0..self.workers.len() {
            let w = &self.workers[i];
            let waiting = w.client.is_some_and(|c| self.server.has_replies(c));
            if waiting && !w.wake_scheduled {
                let epoch = w.epoch;
                self.workers[i].wake_scheduled = true;
                self.schedule(now, Task::Wake(i, epoch));
            }
        }
        let script: Vec<(Bytes, ClientId)> = self.script_clients.clone();
        for (name, client) in script {
            if self.server.has_replies(client) {
                let replies = self.server.take_replies(client);
                let reply = render(&replies);
                self.record(ActorEvent::Command {
                    client,
                    name,
                    line: String::new(),
                    reply,
                    step: None,
                });
            }
        }
    }

    /// Sends a command on `client` and returns its immediate replies.
    pub(crate) fn send(&mut self, client: ClientId, argv: &[Arg]) -> Vec<Reply> {
        self.server.execute(client, argv);
        self.server.take_replies(client)
    }

    fn produce(&mut self, p: usize) {
        if self.draining {
            return;
        }
        let spec = self.scenario.producers[p].clone();
        let seq = self.producers[p].sent + 1;
        self.producers[p].sent = seq;
        let msg = MsgRef {
            producer: p as u16,
            seq,
        };
        let text = super::trace::msg_text(&spec.name, seq);
        for target in &spec.targets {
            let node = match target {
                Target::Channel(_) => spec.node.unwrap_or(0),
                other => self.node_for(super::producer::target_key(other).as_bytes()),
            };
            let client = self.producer_client(p, node);
            let argv = super::producer::command(target, &spec, &text, seq);
            let replies = self.send(client, &argv);
            let reply = replies.first();
            let accepted = reply.is_some_and(|r| !r.is_error() && *r != Reply::Nil);
            let id = match (target, reply) {
                (Target::Stream(_), Some(Reply::Bulk(b))) => {
                    crate::redis::db::stream_id::parse_strict_id(b)
                }
                _ => None,
            };
            if accepted {
                self.mark_produced(target, msg);
            }
            self.record(ActorEvent::Produced {
                producer: spec.name.clone().into_bytes(),
                msg,
                target: super::producer::target_key(target).into_bytes(),
                id,
                accepted,
            });
        }
        if let Some(delay) = super::producer::next_delay(&spec, seq, &mut self.rng) {
            let at = self.server.now() + SimDuration::from_ms(delay);
            if at.since_start().as_ms() < self.scenario.duration_ms {
                self.schedule(at, Task::Produce(p));
            }
        }
    }

    /// The node serving `key`'s slot (0 without a cluster): where a
    /// cluster-aware client sends commands on that key.
    pub(crate) fn node_for(&self, key: &[u8]) -> u16 {
        self.server.pubsub.cluster().map_or(0, |c| {
            c.slot_owner(crate::redis::db::cluster::key_hash_slot(key))
        })
    }

    /// Producer `p`'s connection to `node`, opened on first use.
    fn producer_client(&mut self, p: usize, node: u16) -> ClientId {
        if let Some((_, c)) = self.producers[p].clients.iter().find(|(n, _)| *n == node) {
            return *c;
        }
        let name = self.scenario.producers[p].name.clone();
        let client = self.server.connect_to_node(name.as_bytes(), node);
        self.producers[p].clients.push((node, client));
        client
    }

    /// Marks `msg` produced for every lane that reads `target`.
    fn mark_produced(&mut self, target: &Target, msg: MsgRef) {
        for (i, lane) in self.scenario.lanes.iter().enumerate() {
            if super::producer::lane_reads(&lane.source, target) {
                self.ledger.produced(i, msg);
            }
        }
    }

    fn create_group(&mut self, lane: usize) {
        let Source::Group(g) = &self.scenario.lanes[lane].source else {
            return;
        };
        let argv = args(&[
            "XGROUP", "CREATE", &g.stream, &g.group, &g.start, "MKSTREAM",
        ]);
        let admin = self.admin;
        self.send(admin, &argv);
    }

    /// Applies a fault; `end` is the task that ends a slowdown or a
    /// network drop.
    fn apply_fault(&mut self, spec: &FaultSpec, end: Task) {
        let Some(w) = self.worker_named(&spec.worker) else {
            return;
        };
        let until = spec
            .until_ms
            .map(|ms| SimTime::START + SimDuration::from_ms(ms));
        match spec.kind {
            FaultKind::Crash => self.crash_worker(w),
            FaultKind::Restart => self.restart_worker(w),
            FaultKind::Slow => {
                // Scenario faults are validated; injected ones may come from
                // a hand-edited link, so the factor is kept in range here.
                let factor = spec
                    .factor
                    .filter(|f| f.is_finite())
                    .unwrap_or(1.0)
                    .clamp(1.0, 100.0);
                let pct = libm::round(factor * 100.0) as u32;
                self.workers[w].slow_pct = pct;
                let name = self.workers[w].name.clone();
                self.record(ActorEvent::Slowed {
                    worker: name,
                    factor_pct: pct,
                    until: until.unwrap_or_default(),
                });
                if let Some(t) = until {
                    self.schedule(t, end);
                }
            }
            FaultKind::Disconnect => {
                self.network_down(w, until.unwrap_or_default());
                if let Some(t) = until {
                    self.schedule(t, end);
                }
            }
        }
    }

    fn fault_end(&mut self, spec: &FaultSpec) {
        let Some(w) = self.worker_named(&spec.worker) else {
            return;
        };
        match spec.kind {
            FaultKind::Slow => self.restore_speed(w),
            FaultKind::Disconnect => self.network_up(w),
            _ => {}
        }
    }

    fn drain(&mut self) {
        self.draining = true;
        self.record(ActorEvent::DrainStarted);
        for w in 0..self.workers.len() {
            self.restore_speed(w);
            self.network_up(w);
            self.restart_worker(w);
        }
    }

    fn finish(&mut self) {
        for (lane, msg) in self.ledger.finish() {
            self.record(ActorEvent::Lost { lane, msg });
        }
        self.finished = true;
        self.agenda.clear();
    }

    fn script_step(&mut self, s: usize) {
        let step = self.scenario.script[s].clone();
        let client = self.script_client(step.client.as_bytes());
        let argv = crate::redis::parse::split_args(step.command.as_bytes()).unwrap_or_default();
        let replies = self.send(client, &argv);
        let reply = render(&replies);
        self.record(ActorEvent::Command {
            client,
            name: step.client.into_bytes(),
            line: step.command,
            reply,
            step: Some(s as u32),
        });
    }

    /// The connection named `name` for scripted commands, opened if new.
    pub fn script_client(&mut self, name: &[u8]) -> ClientId {
        if let Some((_, c)) = self.script_clients.iter().find(|(n, _)| n == name) {
            return *c;
        }
        let c = self.server.connect(name);
        self.script_clients.push((name.to_vec(), c));
        c
    }

    /// Runs a command typed at the UI's console, as client `name`.
    fn console_command(&mut self, name: &[u8], line: &str) {
        let client = self.script_client(name);
        let reply = match crate::redis::parse::split_args(line.as_bytes()) {
            None => String::from("Invalid argument(s)\n"),
            Some(argv) if argv.is_empty() => String::new(),
            Some(argv) => render(&self.send(client, &argv)),
        };
        self.record(ActorEvent::Command {
            client,
            name: name.to_vec(),
            line: line.into(),
            reply,
            step: None,
        });
    }

    /// Answers a command as Redis would at this moment — XINFO, XPENDING,
    /// XRANGE… for the inspector — without changing this world: it runs
    /// on a copy of the server. Returns the reply as redis-cli prints it.
    pub fn query(&self, line: &str) -> String {
        let mut server = self.server.clone();
        let client = server.connect(b"inspector");
        match crate::redis::parse::split_args(line.as_bytes()) {
            None => String::from("Invalid argument(s)\n"),
            Some(argv) if argv.is_empty() => String::new(),
            Some(argv) => {
                server.execute(client, &argv);
                render(&server.take_replies(client))
            }
        }
    }

    /// Checks the named invariants of every consumer group.
    #[cfg(debug_assertions)]
    fn check_invariants(&self) {
        for (key, value) in self.server.db.iter() {
            if let crate::redis::db::Value::Stream(s) = value {
                for (name, g) in &s.groups {
                    if let Err(e) = g.check_invariants() {
                        panic!(
                            "invariant broken in {}/{} after action {}: {e} (seed {})",
                            String::from_utf8_lossy(key),
                            String::from_utf8_lossy(name),
                            self.actions,
                            self.seed
                        );
                    }
                }
            }
        }
    }
}

/// Replies as redis-cli prints them, one after another.
fn render(replies: &[Reply]) -> String {
    let mut text = Vec::new();
    for r in replies {
        text.extend_from_slice(&r.to_cli());
    }
    String::from_utf8_lossy(&text).into_owned()
}

/// A command line from string arguments.
pub(crate) fn args(parts: &[&str]) -> Vec<Arg> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}
