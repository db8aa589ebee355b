//! A world: one lane of a run — its broker, the simulated processes around
//! it (producers and workers as [`Actor`]s, scripted clients), an agenda in
//! simulated time and the ledger.
//!
//! [`World::step_into`] runs one *action* — the next task on the agenda, or a
//! blocked client's timeout — and records what happened as trace events.
//! Everything is deterministic: tasks at the same instant run in the order
//! they were scheduled, and every actor draws from its own random stream.

use crate::sim::actor::reader::StreamReader;
use crate::sim::actor::worker::Life;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use super::Injection;
use super::actor::list_worker::ListWorker;
use super::actor::stream_consumer::StreamConsumer;
use super::actor::subscriber::Subscriber;
use super::actor::worker::Kind;
use super::actor::{Actor, ActorId, Cx, Effect, Producer, Worker};
use super::agenda::{Agenda, Task, TimerId};
use super::broker::{Broker, KafkaBroker, RedisBroker};
use super::faults::NetFault;
use super::ledger::{Ledger, ServiceCounts};
use super::trace::{CommandRun, SimEvent, TraceEvent, What};
use crate::msg::{MsgCatalog, MsgRef};
use crate::name::Name;
use crate::redis::client::{self, Command};
use crate::redis::event::{Bytes, ClientId, Event};
use crate::redis::reply::Reply;
use crate::rng::Rng;
use crate::scenario::{Scenario, Source};
use crate::time::{SimDuration, SimTime};

/// What redis-cli prints when there is no server to talk to.
pub const CONNECTION_REFUSED: &str =
    "Could not connect to Redis at 127.0.0.1:6379: Connection refused\n";

/// What a Redis command gets in a lane that runs Kafka.
pub const NOT_REDIS: &str = "This lane runs Kafka, not Redis: there is no redis-cli here.\n";

/// An actor's connections and mailbox.
#[derive(Clone, Debug, Default)]
pub(crate) struct Links {
    /// Open connections, by cluster node.
    pub conns: Vec<(u16, ClientId)>,
    /// The node keyless commands go to.
    pub home: u16,
    /// Its network is cut by a fault, until then.
    pub cut: Option<SimTime>,
    /// A wake-up is on the agenda.
    wake: bool,
    /// The next reply that arrives is lost on the network.
    drop_next_reply: bool,
    /// Replies received and not read yet.
    inbox: VecDeque<Reply>,
}

/// The world of one lane.
#[derive(Clone, Debug)]
pub struct World {
    pub(crate) scenario: Rc<Scenario>,
    pub(crate) lane: u16,
    pub(crate) seed: u64,
    pub(crate) broker: Broker,
    pub(crate) agenda: Agenda,
    pub(crate) actors: Vec<Actor>,
    pub(crate) links: Vec<Links>,
    /// Which actor each connection belongs to.
    clients: BTreeMap<ClientId, ActorId>,
    /// Connections of script steps and of the UI's console, by name.
    script_clients: Vec<(Bytes, ClientId)>,
    pub(crate) catalog: MsgCatalog,
    pub(crate) ledger: Ledger,
    pub(crate) net_faults: Vec<NetFault>,
    /// What the user added to the run (console commands, fault buttons),
    /// by time.
    injections: Rc<Vec<Injection>>,
    next_injection: usize,
    /// Actions this lane ran.
    actions: u64,
    /// The number (in the whole run) of the action running now, as the
    /// trace stamps it.
    pub(crate) action: u32,
    pub(crate) out: Vec<TraceEvent>,
    /// A buffer for the broker's events on their way into `out`, kept
    /// between collections so that collecting allocates nothing.
    collected: Vec<Event>,
    /// Pub/sub messages found lost while counting a broker event, told
    /// right after it.
    lost_now: Vec<(u16, MsgRef)>,
    pub(crate) draining: bool,
    finished: bool,
    /// A console or scripted command ran: the broker may have been changed
    /// by hand, so the guarantees' properties are not checked.
    pub(crate) by_hand: bool,
    /// Effects waiting their turn, a buffer reused from one action to the
    /// next (empty between actions).
    pub(crate) queue: VecDeque<Effect>,
}

impl World {
    /// Lane `lane` of `scenario`, ready to run with `seed` and the user's
    /// `injections` (sorted by time; see [`Injection`]).
    pub fn new(
        scenario: Rc<Scenario>,
        lane: u16,
        seed: u64,
        injections: Rc<Vec<Injection>>,
    ) -> World {
        let broker = match &scenario.kafka {
            Some(k) => Broker::Kafka(KafkaBroker::new(
                SimTime::START,
                k,
                &scenario.producers,
                scenario
                    .lanes
                    .get(usize::from(lane))
                    .and_then(|l| l.kafka_producer.as_ref()),
            )),
            None => Broker::Redis(RedisBroker::new(
                SimTime::START,
                scenario.cluster,
                scenario.redis_in(usize::from(lane)),
            )),
        };
        let catalog = MsgCatalog::new(
            scenario
                .producers
                .iter()
                .map(|p| (p.name.clone(), p.poison.clone())),
        );
        let mut world = World {
            ledger: Ledger::new(scenario.services.len()),
            scenario: scenario.clone(),
            lane,
            seed,
            broker,
            agenda: Agenda::default(),
            actors: Vec::new(),
            links: Vec::new(),
            clients: BTreeMap::new(),
            script_clients: Vec::new(),
            catalog,
            net_faults: Vec::new(),
            injections,
            next_injection: 0,
            actions: 0,
            action: 0,
            out: Vec::new(),
            collected: Vec::new(),
            lost_now: Vec::new(),
            draining: false,
            finished: false,
            by_hand: false,
            queue: VecDeque::new(),
        };
        if world.scenario.kafka.is_some() {
            world.cast_kafka();
        } else {
            world.cast();
        }
        world.schedule_initial();
        world
    }

    /// Creates the actors: producers, then every service's workers, each
    /// with its own random stream.
    fn cast(&mut self) {
        let scenario = self.scenario.clone();
        for (i, spec) in scenario.producers.iter().enumerate() {
            let rng = Rng::fork(self.seed, &alloc::format!("producer:{}", spec.name));
            let producer = Producer::new(i as u16, spec.clone(), rng, scenario.duration_ms);
            self.add_actor(Actor::Producer(Box::new(producer)), spec.node.unwrap_or(0));
        }
        let cluster = scenario.cluster.is_some();
        for (s, spec) in scenario.workers() {
            let service = &scenario.services[s];
            let policy = scenario.policy(usize::from(self.lane), s);
            let (kind, home, label) = match &service.source {
                // Kafka lanes cast their own (`cast_kafka`).
                Source::Topic(_) => continue,
                Source::Group(g) => (
                    Kind::Stream(StreamConsumer::new(
                        g,
                        policy,
                        spec.claim,
                        service.dead_letter.clone(),
                        cluster,
                    )),
                    self.node_for(g.stream.as_bytes()),
                    "consumer",
                ),
                Source::List(key) | Source::ReliableList(key) => (
                    Kind::List(ListWorker::new(
                        key,
                        &spec.name,
                        matches!(service.source, Source::ReliableList(_)),
                        spec.poll_ms,
                    )),
                    self.node_for(key.as_bytes()),
                    "worker",
                ),
                Source::Reader(r) => (
                    Kind::Reader(StreamReader::new(r)),
                    self.node_for(r.stream.as_bytes()),
                    "reader",
                ),
                Source::Subscriber(sub) => (
                    Kind::Subscriber(Subscriber::new(sub)),
                    match sub.shard_channels.first() {
                        Some(c) => self.node_for(c.as_bytes()),
                        None => spec.node.unwrap_or(0),
                    },
                    "subscriber",
                ),
            };
            let rng = Rng::fork(
                self.seed,
                &alloc::format!("{label}:{}/{}", service.name, spec.name),
            );
            let worker = Worker::new(s as u16, spec.clone(), kind, rng, self.catalog.clone());
            self.add_actor(Actor::Worker(Box::new(worker)), home);
        }
    }

    pub(crate) fn add_actor(&mut self, actor: Actor, home: u16) {
        self.actors.push(actor);
        self.links.push(Links {
            home,
            ..Links::default()
        });
    }

    fn schedule_initial(&mut self) {
        let scenario = self.scenario.clone();
        let at = |ms: u64| SimTime::START + SimDuration::from_ms(ms);
        for (i, service) in scenario.services.iter().enumerate() {
            if let Source::Group(g) = &service.source {
                self.agenda
                    .schedule(at(g.create_at_ms), Task::CreateGroup(i));
            }
        }
        // Consumers are ready before the first message of the same instant.
        let producers = scenario.producers.len();
        for (i, (s, spec)) in scenario.workers().enumerate() {
            let group_at = match &scenario.services[s].source {
                Source::Group(g) => g.create_at_ms,
                _ => 0,
            };
            let a = producers + i;
            self.agenda
                .schedule(at(spec.start_ms.max(group_at)), Task::Start(a));
            if let Some(stop) = spec.stop_ms {
                self.agenda.schedule(at(stop), Task::Stop(a));
            }
        }
        // A producer's start only sets its first timer: no action of its own.
        for a in 0..producers {
            self.activate(a, Actor::start);
        }
        for (i, f) in scenario.faults.iter().enumerate() {
            self.agenda.schedule(at(f.at_ms), Task::Fault(i));
        }
        for (i, s) in scenario.script.iter().enumerate() {
            self.agenda.schedule(at(s.at_ms), Task::Script(i));
        }
        self.agenda.schedule(at(scenario.duration_ms), Task::Drain);
        self.agenda.schedule(at(scenario.end_ms()), Task::Finish);
    }

    /// The connections of scripted steps and of the console, by name.
    pub fn script_connections(&self) -> &[(Bytes, ClientId)] {
        &self.script_clients
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Which lane of the scenario this is.
    pub fn lane(&self) -> u16 {
        self.lane
    }

    /// The seed of this run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The broker, to inspect.
    pub fn broker(&self) -> &Broker {
        &self.broker
    }

    /// The simulated Redis server, to inspect.
    pub fn server(&self) -> Option<&crate::redis::Server> {
        self.broker.redis().map(|r| &r.server)
    }

    /// The simulated processes.
    pub fn actors(&self) -> &[Actor] {
        &self.actors
    }

    /// The run's messages (names, poison).
    pub fn catalog(&self) -> &MsgCatalog {
        &self.catalog
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.broker.now()
    }

    /// Moves the clock forward to `t` without running anything: the
    /// caller knows no action is due before `t` (the timeline does).
    pub fn set_clock(&mut self, t: SimTime) {
        if self.next_time().is_none_or(|next| next > t) {
            self.broker.set_clock(t);
        }
    }

    /// How many actions this lane ran.
    pub fn actions(&self) -> u64 {
        self.actions
    }

    /// Whether the run is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The ledger counts of service `service`.
    pub fn service_counts(&self, service: usize) -> ServiceCounts {
        self.ledger.counts(service)
    }

    /// When the next action will happen, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        if self.finished {
            return None;
        }
        let task = self.agenda.peek().map(|(id, _)| id.at());
        // An injection is due at its own time in every lane it applies
        // to, so the lanes take it at the same moment of the run (not at
        // each lane's next action after it).
        let injection = self.injections[self.next_injection.min(self.injections.len())..]
            .iter()
            .find(|i| i.applies_to(self.lane))
            .map(|i| SimTime::START + SimDuration::from_ms(i.at_ms()));
        [task, self.broker.next_due(), injection]
            .into_iter()
            .flatten()
            .min()
    }

    /// Replaces the injections not applied yet (the UI added one at the
    /// current time, which is after every applied one).
    pub fn set_injections(&mut self, injections: Rc<Vec<Injection>>) {
        self.injections = injections;
    }

    /// Runs the next action, as action `action` of the whole run, and
    /// appends its events to `out` (none when the run is over): a run of
    /// millions of actions reuses one buffer rather than allocating a
    /// vector for each. An injection at `t` runs once every action at or
    /// before `t` has run, as it did when the user added it at that moment.
    pub fn step_into(&mut self, action: u64, out: &mut Vec<TraceEvent>) {
        if self.finished {
            return;
        }
        // The trace numbers actions in 32 bits. No run comes near: a
        // timeline keeps every action's time, 32 GB for 2^32 of them. Past
        // that, events would share the last number, still in order,
        // rather than the engine panic.
        self.action = u32::try_from(action).unwrap_or(u32::MAX);
        let timeout = self.broker.next_due();
        let task = self.agenda.peek().map(|(id, _)| id.at());
        let Some(next) = [timeout, task].into_iter().flatten().min() else {
            return;
        };
        while let Some(injection) = self.injections.get(self.next_injection).cloned() {
            let at = SimTime::START + SimDuration::from_ms(injection.at_ms());
            // At the run's last instant the injection still comes first.
            let finishing = matches!(self.agenda.peek(), Some((id, Task::Finish)) if id.at() == at);
            if next <= at && !finishing {
                break;
            }
            self.next_injection += 1;
            if !injection.applies_to(self.lane) {
                continue;
            }
            self.broker.advance_to(at);
            self.inject(self.next_injection - 1, &injection);
            return self.end_action(out);
        }
        let timeout_first = timeout.is_some_and(|t| t <= next);
        self.broker.advance_to(next);
        if !timeout_first && let Some((id, task)) = self.agenda.pop() {
            self.run_task(id, task);
        }
        self.end_action(out)
    }

    /// Closes an action: broker events into the trace (moved to `out`;
    /// the world keeps its buffer's room for the next action), receivers
    /// woken.
    fn end_action(&mut self, out: &mut Vec<TraceEvent>) {
        self.collect_broker_events();
        self.wake_receivers();
        self.actions += 1;
        out.append(&mut self.out);
    }

    fn inject(&mut self, index: usize, injection: &Injection) {
        match injection {
            Injection::Console { client, line, .. } => {
                self.console_command(client.as_bytes(), line)
            }
            Injection::Fault(spec) => self.apply_fault(spec, Task::InjectedFaultEnd(index)),
        }
    }

    fn run_task(&mut self, id: TimerId, task: Task) {
        match task {
            Task::Timer(a, timer) if matches!(self.actors[a], Actor::KafkaConsumer(_)) => {
                self.kafka_timer(a, id, timer);
            }
            Task::Timer(a, timer) => self.activate(a, |actor, cx| actor.on_timer(cx, id, timer)),
            Task::Wake(a) => {
                self.links[a].wake = false;
                self.pull_replies(a);
                self.activate(a, |_, _| {});
            }
            Task::Start(a) => {
                if !self.with_kafka_consumer(a, |c, cx, cluster| c.start(cx, cluster)) {
                    self.join_reader(a);
                    self.activate(a, Actor::start);
                }
            }
            Task::Stop(a) => {
                if !self.with_kafka_consumer(a, |c, cx, cluster| c.crash(cx, cluster, true)) {
                    self.with_worker(a, |w, cx| w.crash(cx, true));
                }
            }
            Task::CreateGroup(s) => self.create_group(s),
            Task::Fault(f) => {
                let spec = self.scenario.faults[f].clone();
                self.apply_fault(&spec, Task::FaultEnd(f));
            }
            Task::FaultEnd(f) => {
                let spec = self.scenario.faults[f].clone();
                self.end_fault(&spec);
            }
            Task::InjectedFaultEnd(i) => {
                if let Some(Injection::Fault(spec)) = self.injections.get(i).cloned() {
                    self.end_fault(&spec);
                }
            }
            Task::Script(s) => self.script_step(s),
            Task::Drain => self.drain(),
            Task::Finish => self.finish(),
        }
    }

    // ----- actors -----

    /// Runs one of actor `a`'s handlers and carries out what it asks.
    pub(crate) fn activate(&mut self, a: ActorId, f: impl FnOnce(&mut Actor, &mut Cx<'_>)) {
        let mut queue = core::mem::take(&mut self.queue);
        self.handle(a, &mut queue, f);
        self.carry_out(a, &mut queue);
        self.queue = queue;
    }

    /// Runs a handler of worker `a` (nothing if `a` is a producer).
    pub(crate) fn with_worker(&mut self, a: ActorId, f: impl FnOnce(&mut Worker, &mut Cx<'_>)) {
        self.activate(a, |actor, cx| {
            if let Actor::Worker(w) = actor {
                f(w, cx);
            }
        });
    }

    /// Runs one of actor `a`'s handlers; what it asks joins `queue`.
    fn handle(
        &mut self,
        a: ActorId,
        queue: &mut VecDeque<Effect>,
        f: impl FnOnce(&mut Actor, &mut Cx<'_>),
    ) {
        let now = self.now();
        let mut cx = Cx::new(now, a, &mut self.agenda, queue);
        f(&mut self.actors[a], &mut cx);
    }

    /// Carries out `queue`, then hands actor `a` its replies one at a
    /// time, carrying out what each makes it do, until none is left.
    fn carry_out(&mut self, a: ActorId, queue: &mut VecDeque<Effect>) {
        // Bounded: an actor that keeps getting instant replies would
        // otherwise loop within one instant.
        for _ in 0..100_000 {
            if let Some(effect) = queue.pop_front() {
                self.apply(a, effect, queue);
                continue;
            }
            let Some(reply) = self.links[a].inbox.pop_front() else {
                return;
            };
            self.handle(a, queue, |actor, cx| actor.on_reply(cx, &reply));
        }
        queue.clear();
    }

    /// Carries out one effect; the effects of the handlers it runs join
    /// `queue`.
    fn apply(&mut self, a: ActorId, effect: Effect, queue: &mut VecDeque<Effect>) {
        match effect {
            Effect::Record(event) => {
                self.note(&event);
                self.record(event);
            }
            Effect::Close => self.close(a),
            Effect::Send(command) => self.send(a, &command, queue),
            Effect::Produce { topic, msg } => self.kafka_produce(&topic, msg),
        }
    }

    /// Sends actor `a`'s command over the network, as faults allow.
    fn send(&mut self, a: ActorId, command: &Command, queue: &mut VecDeque<Effect>) {
        // Only a lost command or reply names the actor: a send that goes
        // through (nearly every one) copies nothing.
        let name = |world: &World| Name::from(world.actors[a].name());
        if self.links[a].cut.is_some() || !self.broker.redis().is_some_and(RedisBroker::is_up) {
            self.record(SimEvent::CommandLost {
                client: name(self),
                command: command.to_line(),
            });
            return self.handle(a, queue, Actor::on_send_failed);
        }
        let lost = self.take_net_fault(a, command.name());
        if lost == Some(super::faults::Loss::Command) {
            self.record(SimEvent::CommandLost {
                client: name(self),
                command: command.to_line(),
            });
            return self.handle(a, queue, Actor::on_reply_lost);
        }
        let node = self.route(a, command);
        let Some(client) = self.connection(a, node) else {
            return;
        };
        if let Some(r) = self.broker.redis_mut() {
            r.execute(client, command.argv());
        }
        // What the command did is counted now, while the actor still
        // waits for it: an EXEC's effect counts even if its reply is lost.
        self.collect_broker_events();
        if lost == Some(super::faults::Loss::Reply) {
            let replies = self
                .broker
                .redis_mut()
                .map(|r| r.server.take_replies(client))
                .unwrap_or_default();
            if replies.is_empty() {
                // It waits: the reply that serves it will be lost.
                self.links[a].drop_next_reply = true;
            }
            self.record(SimEvent::ReplyLost {
                client: name(self),
                command: command.to_line(),
            });
            return self.handle(a, queue, Actor::on_reply_lost);
        }
        if let Some(r) = self.broker.redis_mut() {
            r.server.move_replies(client, &mut self.links[a].inbox);
        }
    }

    /// The node a cluster-aware client sends `command` to: its first key's
    /// slot owner, or the actor's home node for keyless commands.
    fn route(&self, a: ActorId, command: &Command) -> u16 {
        let Some(cluster) = self.server().and_then(|s| s.pubsub.cluster()) else {
            return 0;
        };
        let argv = command.argv();
        let key = crate::redis::cmd::lookup(argv)
            .ok()
            .and_then(|c| c.keys.positions(argv).first().copied())
            .and_then(|i| argv.get(i));
        match key {
            Some(key) => cluster.slot_owner(crate::redis::db::cluster::key_hash_slot(key)),
            None => self.links[a].home,
        }
    }

    /// Actor `a`'s connection to `node`, opened on first use.
    fn connection(&mut self, a: ActorId, node: u16) -> Option<ClientId> {
        if let Some((_, c)) = self.links[a].conns.iter().find(|(n, _)| *n == node) {
            return Some(*c);
        }
        let name = self.actors[a].name().to_vec();
        let redis = self.broker.redis_mut()?;
        let client = redis.server.connect_to_node(&name, node);
        self.links[a].conns.push((node, client));
        self.clients.insert(client, a);
        Some(client)
    }

    /// Closes actor `a`'s connections (the server forgets them).
    pub(crate) fn close(&mut self, a: ActorId) {
        let links = &mut self.links[a];
        links.inbox.clear();
        links.drop_next_reply = false;
        for (_, client) in core::mem::take(&mut links.conns) {
            if let Some(r) = self.broker.redis_mut() {
                r.server.disconnect(client);
            }
        }
    }

    /// Moves what the server holds for actor `a` into its inbox, straight
    /// from the server's outbox (this runs on every wake-up).
    fn pull_replies(&mut self, a: ActorId) {
        let Some(redis) = self.broker.redis_mut() else {
            return;
        };
        let links = &mut self.links[a];
        for &(_, client) in &links.conns {
            let from = links.inbox.len();
            redis.server.move_replies(client, &mut links.inbox);
            if links.drop_next_reply && links.inbox.len() > from {
                links.drop_next_reply = false;
                links.inbox.remove(from);
            }
        }
    }

    /// Schedules a wake-up, now, for every actor with replies waiting; and
    /// records what scripted connections got meanwhile.
    fn wake_receivers(&mut self) {
        let now = self.now();
        for a in 0..self.actors.len() {
            if self.links[a].wake {
                continue;
            }
            let Some(server) = self.server() else {
                break;
            };
            if self.links[a]
                .conns
                .iter()
                .any(|(_, c)| server.has_replies(*c))
            {
                self.links[a].wake = true;
                self.agenda.schedule(now, Task::Wake(a));
            }
        }
        for i in 0..self.script_clients.len() {
            let client = self.script_clients[i].1;
            // Checked before the name is cloned: this runs after every action.
            if self.server().is_some_and(|s| s.has_replies(client)) {
                let name = self.script_clients[i].0.clone();
                let replies = self
                    .broker
                    .redis_mut()
                    .map(|r| r.server.take_replies(client))
                    .unwrap_or_default();
                self.record(SimEvent::Command(Box::new(CommandRun {
                    client,
                    name: name.into(),
                    line: String::new(),
                    reply: render(&replies),
                    step: None,
                })));
            }
        }
    }

    /// The producer index and actor of every producer.
    pub(crate) fn producer(&self, index: u16) -> Option<&Producer> {
        match self.actors.get(usize::from(index)) {
            Some(Actor::Producer(p)) => Some(&**p),
            _ => None,
        }
    }

    /// The actor called `name` (a role of the workload).
    pub(crate) fn actor_named(&self, name: &str) -> Option<ActorId> {
        self.actors.iter().position(|a| a.name() == name.as_bytes())
    }

    /// The worker called `name`, if there is one.
    pub fn worker(&self, name: &[u8]) -> Option<&Worker> {
        self.actors.iter().find_map(|a| match a {
            Actor::Worker(w) if w.name == name => Some(&**w),
            _ => None,
        })
    }

    /// Every worker.
    pub fn workers(&self) -> impl Iterator<Item = &Worker> {
        self.actors.iter().filter_map(|a| match a {
            Actor::Worker(w) => Some(&**w),
            Actor::Producer(_) | Actor::KafkaConsumer(_) => None,
        })
    }

    /// The actor a connection belongs to.
    pub(crate) fn actor_of(&self, client: ClientId) -> Option<ActorId> {
        self.clients.get(&client).copied()
    }

    /// The node serving `key`'s slot (0 without a cluster): where a
    /// cluster-aware client sends commands on that key.
    pub(crate) fn node_for(&self, key: &[u8]) -> u16 {
        self.server()
            .and_then(|s| s.pubsub.cluster())
            .map_or(0, |c| {
                c.slot_owner(crate::redis::db::cluster::key_hash_slot(key))
            })
    }

    // ----- the trace and the ledger -----

    /// Records a simulation event, after the broker events that led to it.
    pub(crate) fn record(&mut self, event: SimEvent) {
        self.collect_broker_events();
        self.out.push(TraceEvent {
            at: self.now(),
            action: self.action,
            lane: self.lane,
            what: What::Sim(event),
        });
    }

    /// Whether `service` deduplicates in this lane (exactly-once).
    fn dedups(&self, service: usize) -> bool {
        self.scenario
            .policy(usize::from(self.lane), service)
            .dedup()
    }

    /// What a simulation event means for the ledger: a worker applied a
    /// message's effect. A deduplicating service's effect is counted when
    /// the broker commits it, and a dead letter when the dead-letter
    /// stream takes it (see `count`), not when a worker hears of it: the
    /// reply may be lost.
    pub(crate) fn note(&mut self, event: &SimEvent) {
        if let SimEvent::PolledEmpty { service, .. } = event {
            self.ledger.polled_empty(usize::from(*service));
        }
        if let SimEvent::Processed {
            service,
            msg,
            applied: true,
            ..
        } = event
            && !self.dedups(usize::from(*service))
        {
            self.ledger.processed(usize::from(*service), *msg);
        }
    }

    /// Moves the server's events into the trace, and into the ledger what
    /// they mean: a message the broker took (produced), one it handed out
    /// (delivered).
    pub(crate) fn collect_broker_events(&mut self) {
        self.collect_kafka_events();
        let mut events = core::mem::take(&mut self.collected);
        if let Some(r) = self.broker.redis_mut() {
            r.server.drain_events_into(&mut events);
        }
        for event in events.drain(..) {
            self.count(&event);
            self.out.push(TraceEvent {
                at: self.now(),
                action: self.action,
                lane: self.lane,
                what: What::Redis(event),
            });
            for (service, msg) in core::mem::take(&mut self.lost_now) {
                self.out.push(TraceEvent {
                    at: self.now(),
                    action: self.action,
                    lane: self.lane,
                    what: What::Sim(SimEvent::Lost { service, msg }),
                });
            }
        }
        self.collected = events;
    }

    /// Whether a worker of reader service `service` has ever started.
    fn reader_joined(&self, service: usize) -> bool {
        self.workers()
            .any(|w| usize::from(w.service) == service && !matches!(w.life(), Life::NotStarted))
    }

    /// Actor `a` is about to start: if it is the first reader of its
    /// service and the service reads from `0`, the stream's history so far
    /// is the service's to read.
    fn join_reader(&mut self, a: ActorId) {
        let Some(Actor::Worker(w)) = self.actors.get(a) else {
            return;
        };
        let s = usize::from(w.service);
        let scenario = self.scenario.clone();
        let Some(Source::Reader(r)) = scenario.services.get(s).map(|x| &x.source) else {
            return;
        };
        if r.from != "0" || self.reader_joined(s) {
            return;
        }
        let msgs: Vec<MsgRef> = match self.server().map(|s| s.db.stream(r.stream.as_bytes())) {
            Some(Ok(Some(stream))) => stream
                .range_shared(
                    crate::redis::db::stream_id::StreamId::ZERO,
                    crate::redis::db::stream_id::StreamId::MAX,
                )
                .filter_map(|(_, fields)| {
                    let (_, v) = fields.iter().find(|(f, _)| f == b"msg")?;
                    self.produced_msg(v)
                })
                .collect(),
            _ => Vec::new(),
        };
        for msg in msgs {
            self.ledger.produced(s, msg);
        }
    }

    /// Whether one of `service`'s workers is subscribed, right now, to
    /// something that hears `channel` (its connection is open).
    fn listening(&self, service: usize, channel: &[u8], sharded: bool) -> bool {
        let Some(server) = self.server() else {
            return false;
        };
        self.actors.iter().enumerate().any(|(a, actor)| {
            matches!(actor, Actor::Worker(w) if usize::from(w.service) == service)
                && self.links[a].conns.iter().any(|(_, c)| {
                    server.client(*c).is_some_and(|client| {
                        if sharded {
                            return client.shard_channels.contains(channel);
                        }
                        client.channels.contains(channel)
                            || client
                                .patterns
                                .iter()
                                .any(|p| crate::redis::db::glob::string_match(p, channel, false))
                    })
                })
        })
    }

    /// The message a payload names, if it is one the workload produced.
    fn produced_msg(&self, payload: &[u8]) -> Option<MsgRef> {
        let msg = self.catalog.parse(payload)?;
        let sent = self.producer(msg.producer)?.sent();
        (msg.seq <= sent).then_some(msg)
    }

    fn count(&mut self, event: &Event) {
        let scenario = self.scenario.clone();
        match event {
            Event::EntryAdded { key, fields, .. } => {
                // A service's dead-letter stream took the message: it is
                // dead-lettered from now on, even if the XACK that follows
                // (or its reply) is lost and the entry is moved again.
                let dead_letters = |s: &crate::scenario::ServiceSpec| {
                    s.dead_letter
                        .as_ref()
                        .is_some_and(|d| d.stream.as_bytes() == key.as_slice())
                };
                let read = |s: &crate::scenario::ServiceSpec| match &s.source {
                    Source::Group(g) => g.stream.as_bytes() == key.as_slice(),
                    Source::Reader(r) => r.stream.as_bytes() == key.as_slice(),
                    _ => false,
                };
                if !scenario.services.iter().any(|s| read(s) || dead_letters(s)) {
                    return;
                }
                let Some(msg) = fields
                    .iter()
                    .find(|(f, _)| f == b"msg")
                    .and_then(|(_, v)| self.produced_msg(v))
                else {
                    return;
                };
                for (s, service) in scenario.services.iter().enumerate() {
                    if dead_letters(service) {
                        self.ledger.dead_lettered(s, msg);
                    }
                    if let Source::Group(g) = &service.source
                        && g.stream.as_bytes() == key.as_slice()
                        && self.group_exists(key, g.group.as_bytes())
                    {
                        self.ledger.produced(s, msg);
                    }
                    // A reader service reads what is added once one of its
                    // readers has started.
                    if let Source::Reader(r) = &service.source
                        && r.stream.as_bytes() == key.as_slice()
                        && self.reader_joined(s)
                    {
                        self.ledger.produced(s, msg);
                    }
                }
            }
            Event::GroupCreated {
                key,
                group,
                last_id,
            } => self.count_history(key, group, *last_id),
            // The exactly-once transaction ran: its effect happened.
            Event::TransactionExecuted { client, .. } => {
                let committed = self.actor_of(*client).and_then(|a| match &self.actors[a] {
                    Actor::Worker(w) => Some((usize::from(w.service), w.committing()?)),
                    Actor::Producer(_) | Actor::KafkaConsumer(_) => None,
                });
                if let Some((service, msg)) = committed {
                    self.ledger.processed(service, msg);
                }
            }
            Event::ListPushed { key, values, .. } => {
                for value in values {
                    let Some(msg) = self.produced_msg(value) else {
                        continue;
                    };
                    for (s, service) in scenario.services.iter().enumerate() {
                        if matches!(&service.source, Source::List(k) | Source::ReliableList(k) if k.as_bytes() == key.as_slice())
                        {
                            self.ledger.produced(s, msg);
                        }
                    }
                }
            }
            Event::Published {
                channel,
                message,
                sharded,
                ..
            } => {
                if let Some(msg) = self.produced_msg(message) {
                    for (s, service) in scenario.services.iter().enumerate() {
                        if let Source::Subscriber(sub) = &service.source
                            && super::faults::hears(sub, channel, *sharded)
                        {
                            self.ledger.produced(s, msg);
                            // Pub/sub keeps nothing: a message published
                            // while none of the service's workers listens is
                            // lost now, not at the end of the run.
                            if !self.listening(s, channel, *sharded) {
                                self.ledger.lost_now(s, msg);
                                self.lost_now.push((s as u16, msg));
                            }
                        }
                    }
                }
            }
            Event::EntryDelivered { key, group, .. } => {
                if let Some(s) = self.group_service(key, group) {
                    self.ledger.delivered(s);
                }
            }
            Event::EntryClaimed(c) => {
                if let Some(s) = self.group_service(&c.key, &c.group) {
                    self.ledger.delivered(s);
                }
            }
            // A plain reader's XREAD hands it copies: one delivery each.
            Event::EntriesRead { client, ids, .. } => {
                if let Some(Actor::Worker(w)) = self.actor_of(*client).map(|a| &self.actors[a]) {
                    for _ in ids {
                        self.ledger.delivered(usize::from(w.service));
                    }
                }
            }
            Event::ListPopped { by, .. }
            | Event::ListMoved { by, .. }
            | Event::MessageDelivered { to: by, .. } => {
                if let Some(Actor::Worker(w)) = self.actor_of(*by).map(|a| &self.actors[a]) {
                    self.ledger.delivered(usize::from(w.service));
                }
            }
            _ => {}
        }
    }

    /// A group created from `last_id`: the entries after it are its to
    /// read (all of history from `0`, nothing from `$`).
    fn count_history(
        &mut self,
        key: &[u8],
        group: &[u8],
        last_id: crate::redis::db::stream_id::StreamId,
    ) {
        let Some(s) = self.group_service(key, group) else {
            return;
        };
        let Some(Ok(Some(stream))) = self.server().map(|s| s.db.stream(key)) else {
            return;
        };
        let msgs: Vec<MsgRef> = stream
            .range_shared(last_id, crate::redis::db::stream_id::StreamId::MAX)
            .filter(|(id, _)| *id > last_id)
            .filter_map(|(_, fields)| {
                let (_, v) = fields.iter().find(|(f, _)| f == b"msg")?;
                self.produced_msg(v)
            })
            .collect();
        for msg in msgs {
            self.ledger.produced(s, msg);
        }
    }

    fn group_exists(&self, key: &[u8], group: &[u8]) -> bool {
        matches!(self.server().map(|s| s.db.stream(key)), Some(Ok(Some(s))) if s.groups.contains_key(group))
    }

    /// The service that is the group `group` of stream `key`.
    fn group_service(&self, key: &[u8], group: &[u8]) -> Option<usize> {
        self.scenario.services.iter().position(|s| {
            matches!(&s.source, Source::Group(g) if g.stream.as_bytes() == key && g.group.as_bytes() == group)
        })
    }

    // ----- setup, script, console -----

    fn create_group(&mut self, service: usize) {
        let Source::Group(g) = &self.scenario.services[service].source else {
            return;
        };
        let command =
            client::xgroup_create(g.stream.as_bytes(), g.group.as_bytes(), g.start.as_bytes());
        let node = self.node_for(g.stream.as_bytes());
        if let Some(admin) = self.script_client_on(b"setup", node) {
            if let Some(r) = self.broker.redis_mut() {
                r.execute(admin, command.argv());
            }
            self.broker
                .redis_mut()
                .map(|r| r.server.take_replies(admin))
                .unwrap_or_default();
        }
    }

    fn script_step(&mut self, s: usize) {
        let step = self.scenario.script[s].clone();
        self.run_line(step.client.as_bytes(), &step.command, Some(s as u32));
    }

    /// Runs a command typed at the UI's console, as client `name`.
    fn console_command(&mut self, name: &[u8], line: &str) {
        self.run_line(name, line, None);
    }

    /// Runs a command line on the connection named `name`, and records it
    /// with its reply as redis-cli prints it.
    fn run_line(&mut self, name: &[u8], line: &str, step: Option<u32>) {
        self.by_hand = true;
        let client = self.script_client_on(name, 0);
        let reply = match (client, crate::redis::parse::split_args(line.as_bytes())) {
            (_, None) => String::from("Invalid argument(s)\n"),
            (_, Some(argv)) if argv.is_empty() => String::new(),
            (None, Some(_)) => String::from(CONNECTION_REFUSED),
            (Some(client), Some(argv)) => {
                if let Some(r) = self.broker.redis_mut() {
                    r.execute(client, &argv);
                }
                render(
                    &self
                        .broker
                        .redis_mut()
                        .map(|r| r.server.take_replies(client))
                        .unwrap_or_default(),
                )
            }
        };
        self.record(SimEvent::Command(Box::new(CommandRun {
            client: client.unwrap_or(ClientId(0)),
            name: name.into(),
            line: line.into(),
            reply,
            step,
        })));
    }

    /// The scripted connection named `name`, opened (to `node`) if new;
    /// none while the broker is down.
    fn script_client_on(&mut self, name: &[u8], node: u16) -> Option<ClientId> {
        if !self.broker.redis().is_some_and(RedisBroker::is_up) {
            return None;
        }
        if let Some((_, c)) = self.script_clients.iter().find(|(n, _)| n == name) {
            return Some(*c);
        }
        let c = self.broker.redis_mut()?.server.connect_to_node(name, node);
        self.script_clients.push((name.to_vec(), c));
        Some(c)
    }

    /// The broker restarted empty of connections: scripted ones reconnect
    /// on their next command.
    pub(crate) fn forget_connections(&mut self) {
        self.script_clients.clear();
        self.clients.clear();
        for links in &mut self.links {
            links.conns.clear();
            links.inbox.clear();
            links.drop_next_reply = false;
        }
    }

    /// Answers a command as Redis would at this moment — XINFO, XPENDING,
    /// XRANGE… for the inspector — without changing this world: it runs
    /// on a copy of the server. Returns the reply as redis-cli prints it.
    pub fn query(&self, line: &str) -> String {
        let Some(mut server) = self.server().cloned() else {
            return String::from(NOT_REDIS);
        };
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

    // ----- the run's phases -----

    /// Production has stopped: every fault heals, so that recovery can
    /// finish before the end.
    fn drain(&mut self) {
        self.draining = true;
        self.record(SimEvent::DrainStarted);
        self.heal();
    }

    /// The end: every produced message not processed nor dead-lettered is
    /// still in flight (the broker or a worker holds it) or lost.
    fn finish(&mut self) {
        let held = self.held();
        for (service, msg, in_flight) in self.ledger.finish(|s, m| held.contains(&(s, m))) {
            let service = service as u16;
            self.record(if in_flight {
                SimEvent::InFlight { service, msg }
            } else {
                SimEvent::Lost { service, msg }
            });
        }
        self.finished = true;
        self.agenda.clear();
    }

    /// Every (service, message) the broker or a worker still holds.
    pub(crate) fn held(&self) -> BTreeSet<(usize, MsgRef)> {
        if self.broker.kafka().is_some() {
            return self.held_kafka();
        }
        let mut held = BTreeSet::new();
        for w in self.workers() {
            for item in w.held() {
                if let Some(msg) = item.msg {
                    held.insert((usize::from(w.service), msg));
                }
            }
        }
        for (s, service) in self.scenario.services.iter().enumerate() {
            match &service.source {
                // What a running reader has not reached yet, it may still
                // read.
                Source::Reader(r) => {
                    let Some(Ok(Some(stream))) =
                        self.server().map(|s| s.db.stream(r.stream.as_bytes()))
                    else {
                        continue;
                    };
                    for w in self.workers().filter(|w| usize::from(w.service) == s) {
                        let Kind::Reader(reader) = w.kind() else {
                            continue;
                        };
                        let after = match (reader.last(), r.from.as_str()) {
                            (Some(id), _) => id,
                            (None, "0") => crate::redis::db::stream_id::StreamId::ZERO,
                            (None, _) => continue,
                        };
                        if !w.is_running() {
                            continue;
                        }
                        let unread = stream
                            .range_shared(after, crate::redis::db::stream_id::StreamId::MAX)
                            .filter(|(id, _)| *id > after);
                        for (_, fields) in unread {
                            if let Some((_, v)) = fields.iter().find(|(f, _)| f == b"msg")
                                && let Some(msg) = self.catalog.parse(v)
                            {
                                held.insert((s, msg));
                            }
                        }
                    }
                }
                Source::Group(g) => {
                    let Some(Ok(Some(stream))) =
                        self.server().map(|s| s.db.stream(g.stream.as_bytes()))
                    else {
                        continue;
                    };
                    let Some(group) = stream.groups.get(g.group.as_bytes()) else {
                        continue;
                    };
                    let after = stream
                        .range_shared(group.last_id, crate::redis::db::stream_id::StreamId::MAX)
                        .filter(|(id, _)| *id > group.last_id);
                    let pending = group
                        .pel
                        .keys()
                        .filter_map(|id| stream.range_shared(*id, *id).next());
                    for (_, fields) in after.chain(pending) {
                        if let Some((_, v)) = fields.iter().find(|(f, _)| f == b"msg")
                            && let Some(msg) = self.catalog.parse(v)
                        {
                            held.insert((s, msg));
                        }
                    }
                }
                // A reliable queue also holds what is in its workers'
                // processing lists.
                Source::List(key) | Source::ReliableList(key) => {
                    let processing = alloc::format!("{key}:processing:");
                    let lists = self.server().into_iter().flat_map(|s| s.db.iter());
                    let lists = lists.filter(|(k, _)| {
                        k.as_slice() == key.as_bytes()
                            || (matches!(service.source, Source::ReliableList(_))
                                && k.starts_with(processing.as_bytes()))
                    });
                    for (_, value) in lists {
                        let crate::redis::db::Value::List(list) = value else {
                            continue;
                        };
                        for value in list {
                            if let Some(msg) = self.catalog.parse(value) {
                                held.insert((s, msg));
                            }
                        }
                    }
                }
                Source::Subscriber(_) | Source::Topic(_) => {}
            }
        }
        held
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
