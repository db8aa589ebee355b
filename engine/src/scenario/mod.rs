//! Scenarios: what a run simulates, as JSON (see `docs/scenarios.md`).
//!
//! A scenario names one workload — producers (who writes what, when) and
//! services (who consumes: a consumer group, a list's workers or a pub/sub
//! subscriber, with its delivery guarantee) — one fault schedule, and one or
//! more *lanes*: copies of the same run side by side on one clock, each
//! with its own broker and its own policy (a guarantee, when to
//! acknowledge, the broker's persistence). Then a scripted walk-through and
//! narration in English and Korean. Parsing rejects unknown fields, and
//! [`Scenario::validate`] rejects values that cannot run, with a message
//! that names the field and says what is allowed.

pub mod builtin;
mod cluster_setting;
pub mod kafka;
mod settings;
pub mod swarm;
mod validate;
pub mod workload;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

pub use cluster_setting::{CLUSTER_SHAPE, RedisSetting};
pub use settings::{KafkaSetting, RETRIES_DEFAULT, Setting, SettingKind};
pub use workload::{WorkloadKind, WorkloadSetting};

/// Text in both languages of the UI.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English.
    pub en: String,
    /// Korean.
    pub ko: String,
}

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short identifier (`stream-dead-letter`): lowercase, digits, dashes.
    pub name: String,
    /// Title shown in the UI.
    pub title: Text,
    /// One sentence: what it shows.
    pub summary: Text,
    /// The default seed (a run may override it).
    #[serde(default)]
    pub seed: u64,
    /// How long producers produce and faults happen.
    pub duration_ms: u64,
    /// After `duration_ms`: no new production, faults healed, time for
    /// recovery to finish.
    pub drain_ms: u64,
    /// A simulated Redis Cluster (sharded pub/sub); none by default.
    #[serde(default)]
    pub cluster: Option<ClusterSpec>,
    /// The Redis server's persistence (a lane may change it).
    #[serde(default)]
    pub redis: RedisSpec,
    /// A Kafka cluster instead of Redis: every lane runs it, producers
    /// write to its topics and services are its consumer groups.
    #[serde(default)]
    pub kafka: Option<kafka::KafkaSpec>,
    /// Who writes messages.
    #[serde(default)]
    pub producers: Vec<ProducerSpec>,
    /// Who consumes them, and how.
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    /// The same workload and faults run side by side, one lane per policy;
    /// none means one lane with the services' own policies.
    #[serde(default)]
    pub lanes: Vec<LaneSpec>,
    /// Crashes, restarts, slowdowns, network faults, broker crashes: the
    /// same schedule in every lane.
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    /// Explicit commands at explicit times (a walk-through).
    #[serde(default)]
    pub script: Vec<ScriptStep>,
    /// Explanations shown from a given time on.
    #[serde(default)]
    pub narration: Vec<Narration>,
}

/// A Redis Cluster: `primaries` shards, each with `replicas` replicas.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// Number of primaries (slot ranges split evenly among them).
    pub primaries: u16,
    /// Replicas per primary.
    #[serde(default)]
    pub replicas: u16,
}

/// Redis persistence, as `redis.conf` names it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSpec {
    /// `appendonly yes`: every write goes to the append-only file. Without
    /// it (and without RDB snapshots, which ackscope does not model) a
    /// crash loses everything.
    #[serde(default)]
    pub appendonly: bool,
    /// `appendfsync`: when the file is flushed to disk.
    #[serde(default)]
    pub appendfsync: Fsync,
}

/// `appendfsync`: what a crash of the broker's machine keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fsync {
    /// Flushed before the reply: nothing acknowledged is lost.
    Always,
    /// Flushed once a second (Redis's default): up to the last second of
    /// writes may be lost.
    #[default]
    Everysec,
    /// Left to the operating system, which flushes every 30 seconds.
    No,
}

impl Fsync {
    /// How often the file reaches the disk, in ms (0: on every write).
    pub fn interval_ms(self) -> u64 {
        match self {
            Fsync::Always => 0,
            Fsync::Everysec => 1000,
            Fsync::No => 30_000,
        }
    }
}

/// Where a producer writes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// XADD to this stream.
    Stream(String),
    /// RPUSH to this list.
    List(String),
    /// PUBLISH to this channel.
    Channel(String),
    /// SPUBLISH to this shard channel.
    ShardChannel(String),
    /// `producer.send()` to this Kafka topic; message `n` goes to
    /// partition `(n - 1) % partitions` (a key per message number).
    Topic(String),
}

/// A producer of messages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProducerSpec {
    /// Name (also the prefix of its message IDs: `orders-7`).
    pub name: String,
    /// Every message goes to each of these, in order.
    pub targets: Vec<Target>,
    /// When it starts.
    #[serde(default)]
    pub start_ms: u64,
    /// A message every so many milliseconds…
    #[serde(default)]
    pub every_ms: Option<u64>,
    /// …or this many per second on average (random, Poisson)…
    #[serde(default)]
    pub rate_per_s: Option<f64>,
    /// …or at exactly these times.
    #[serde(default)]
    pub at_ms: Option<Vec<u64>>,
    /// Stop after this many messages.
    #[serde(default)]
    pub count: Option<u32>,
    /// Extra fields of every message; `{n}` is replaced by its number.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Message numbers (1-based) that can never be processed.
    #[serde(default)]
    pub poison: Vec<u32>,
    /// XADD … MAXLEN ~ n: keep streams bounded.
    #[serde(default)]
    pub maxlen: Option<u64>,
    /// In a cluster, the node it publishes through (PUBLISH works on any
    /// node); keys and shard channels always go to the node serving their
    /// slot, as a cluster-aware client does.
    #[serde(default)]
    pub node: Option<u16>,
    /// How many times a send that failed or went unanswered is sent again
    /// (0: fire and forget). A retry after a lost reply writes the message
    /// twice: Redis keeps no producer state to notice.
    #[serde(default)]
    pub retries: u32,
    /// How long it waits for a reply before giving the send up (the client
    /// library's socket timeout).
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// A Kafka producer's client settings (`acks`, `retries`,
    /// `enable.idempotence`…): Kafka's defaults where absent. Kafka
    /// producers retry by these, not by `retries` above.
    #[serde(default)]
    pub config: Option<kafka::KafkaProducerConfig>,
}

fn default_timeout_ms() -> u64 {
    1000
}

/// The delivery guarantee a lane gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Guarantee {
    /// Acknowledge first (or never): nothing is processed twice, some may
    /// be lost.
    AtMostOnce,
    /// Acknowledge after processing: nothing is lost, some may be
    /// processed twice.
    AtLeastOnce,
    /// At-least-once delivery plus deduplication by message ID.
    ExactlyOnce,
    /// Deduplication without a transaction: check the `done:` key, process,
    /// record the key, acknowledge — four separate commands. A failure
    /// between the effect and the record processes the message twice:
    /// why seed 004 calls exactly-once hard.
    DedupWithoutTransaction,
}

impl Guarantee {
    /// Every guarantee, in the order the labs list them.
    pub const ALL: [Guarantee; 4] = [
        Guarantee::AtMostOnce,
        Guarantee::AtLeastOnce,
        Guarantee::ExactlyOnce,
        Guarantee::DedupWithoutTransaction,
    ];

    /// The guarantee named `name` (as [`Guarantee::as_str`] writes it).
    pub fn parse(name: &str) -> Option<Guarantee> {
        Guarantee::ALL.into_iter().find(|g| g.as_str() == name)
    }

    /// The name used in scenarios and in `ackscope run`'s output.
    pub fn as_str(self) -> &'static str {
        match self {
            Guarantee::AtMostOnce => "at-most-once",
            Guarantee::AtLeastOnce => "at-least-once",
            Guarantee::ExactlyOnce => "exactly-once",
            Guarantee::DedupWithoutTransaction => "dedup-without-transaction",
        }
    }
}

/// When a stream consumer acknowledges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AckPolicy {
    /// XACK as soon as entries arrive, then process.
    BeforeProcessing,
    /// XACK each entry after processing it.
    AfterEach,
    /// XACK the whole batch after processing all of it.
    AfterBatch,
    /// XREADGROUP … NOACK: entries never enter the pending list.
    Noack,
    /// Kafka's `enable.auto.commit=true`: a later poll commits what the
    /// earlier polls returned, every `auto.commit.interval.ms`, processed
    /// or not.
    Auto,
}

/// Where a service's messages come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Source {
    /// A consumer group of a stream.
    Group(GroupSource),
    /// A list popped with BLPOP (or polled with LPOP: see
    /// [`WorkerSpec::poll_ms`]): each value goes to one worker and is gone
    /// from the list once popped — at-most-once.
    List(String),
    /// A reliable queue on a list: each worker moves a value into its own
    /// processing list (`<list>:processing:<worker>`) with BLMOVE, and
    /// removes it from there with LREM once the work is done. A worker that
    /// crashes finds the value in its processing list when it comes back —
    /// at-least-once.
    ReliableList(String),
    /// Pub/sub subscriptions.
    Subscriber(SubscriberSource),
    /// A plain stream reader (XREAD, no group): every reader gets every
    /// entry, and remembers where it is itself.
    Reader(ReaderSource),
    /// A Kafka consumer group: each partition is read by one member, which
    /// commits its offsets as the service's `ack` says.
    Topic(kafka::TopicSource),
}

/// The processing list of `worker` on the reliable queue `list`: where
/// its BLMOVE puts what it takes, and where it finds it after a crash.
pub fn processing_list(list: &str, worker: &str) -> String {
    format!("{list}:processing:{worker}")
}

/// A plain XREAD reader of a stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderSource {
    /// The stream.
    pub stream: String,
    /// Where a reader starts, and starts again after a restart (its
    /// position lives in its memory): `$` for what arrives from then on,
    /// `0` for the whole history.
    #[serde(default = "default_reader_from")]
    pub from: String,
}

fn default_reader_from() -> String {
    "$".into()
}

/// A consumer group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSource {
    /// The stream.
    pub stream: String,
    /// The group's name.
    pub group: String,
    /// XGROUP CREATE's ID: `0` (whole history) or `$` (new entries only).
    #[serde(default = "default_group_start")]
    pub start: String,
    /// When the group is created (a group may join late).
    #[serde(default)]
    pub create_at_ms: u64,
}

fn default_group_start() -> String {
    "0".into()
}

/// What a subscriber listens to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriberSource {
    /// SUBSCRIBE channels.
    #[serde(default)]
    pub channels: Vec<String>,
    /// PSUBSCRIBE patterns.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// SSUBSCRIBE shard channels.
    #[serde(default)]
    pub shard_channels: Vec<String>,
}

/// A consuming service: a consumer group, a list's workers or a pub/sub
/// subscriber, and the processes that do its work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Name shown in the UI and the ledger.
    pub name: String,
    /// Where its messages come from.
    pub source: Source,
    /// Its delivery guarantee (a lane may set another).
    pub guarantee: Guarantee,
    /// When stream consumers acknowledge (default: before processing for
    /// at-most-once, after each entry otherwise).
    #[serde(default)]
    pub ack: Option<AckPolicy>,
    /// The processes doing the work.
    pub workers: Vec<WorkerSpec>,
    /// Park entries that keep failing in another stream.
    #[serde(default)]
    pub dead_letter: Option<DeadLetterSpec>,
}

/// One lane of a side-by-side run: its own broker, the same workload and
/// faults, and a policy of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaneSpec {
    /// Name shown in the UI and in `ackscope run`.
    pub name: String,
    /// The guarantee every consumer-group service gives in this lane (list
    /// and subscriber services are at-most-once whatever the lane says).
    #[serde(default)]
    pub guarantee: Option<Guarantee>,
    /// When those services acknowledge in this lane.
    #[serde(default)]
    pub ack: Option<AckPolicy>,
    /// The Redis server's persistence in this lane.
    #[serde(default)]
    pub redis: Option<RedisSpec>,
    /// In a Kafka scenario, the producer settings of this lane (Kafka's
    /// names), in place of every producer's `config`: how the lane's
    /// guarantee reaches the producer (`enable.idempotence=false` lets a
    /// retry write a record twice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kafka_producer: Option<kafka::KafkaProducerConfig>,
}

/// What a service does in one lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The guarantee it gives.
    pub guarantee: Guarantee,
    /// When its stream consumers acknowledge.
    pub ack: AckPolicy,
}

impl Policy {
    /// The default ack for a guarantee: before processing for
    /// at-most-once, after each entry otherwise.
    pub fn new(guarantee: Guarantee, ack: Option<AckPolicy>) -> Policy {
        Policy {
            guarantee,
            ack: ack.unwrap_or(match guarantee {
                Guarantee::AtMostOnce => AckPolicy::BeforeProcessing,
                _ => AckPolicy::AfterEach,
            }),
        }
    }

    /// Whether consumers record each message they processed in Redis, in
    /// one transaction with its effect and its XACK, and skip those already
    /// recorded (`SET done:… NX` under WATCH, MULTI/EXEC).
    pub fn dedup(self) -> bool {
        self.guarantee == Guarantee::ExactlyOnce
    }

    /// Whether consumers check a message's `done:` key before processing
    /// and record it afterwards as separate commands, without WATCH or
    /// MULTI (the "dedup without a transaction" lane).
    pub fn checks_without_transaction(self) -> bool {
        self.guarantee == Guarantee::DedupWithoutTransaction
    }
}

/// A distribution of durations, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Dist {
    /// Always this long.
    Fixed(u64),
    /// Uniformly between the two bounds.
    Uniform([u64; 2]),
    /// Exponentially distributed with this mean.
    Exponential(u64),
}

/// One worker of a service: a consumer, a list worker or a subscriber.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSpec {
    /// Consumer / client name (unique in the scenario).
    pub name: String,
    /// When it connects.
    #[serde(default)]
    pub start_ms: u64,
    /// When it leaves for good (a subscriber that disconnects, a consumer
    /// that is shut down): its connection closes, its pending entries stay
    /// with the group. Not a fault: the drain does not bring it back.
    #[serde(default)]
    pub stop_ms: Option<u64>,
    /// XREADGROUP COUNT.
    #[serde(default = "default_count")]
    pub count: u32,
    /// XREADGROUP / BLPOP BLOCK time.
    #[serde(default = "default_block_ms")]
    pub block_ms: u64,
    /// How long processing one message takes.
    #[serde(default = "default_processing")]
    pub processing_ms: Dist,
    /// Chance that processing a message fails (it is then not acked).
    #[serde(default)]
    pub failure_probability: f64,
    /// Periodically XAUTOCLAIM idle pending entries for itself.
    #[serde(default)]
    pub claim: Option<ClaimSpec>,
    /// In a cluster, the node a subscriber connects to (SUBSCRIBE and
    /// PSUBSCRIBE work on any node); streams, lists and shard channels
    /// always use the node serving their slot.
    #[serde(default)]
    pub node: Option<u16>,
    /// How long it waits for a non-blocking reply before it drops the
    /// connection and reconnects (the client library's socket timeout).
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
    /// A list worker that polls: LPOP, and when the list is empty, wait
    /// this long and try again (seed 000's polling loop), instead of
    /// waiting inside BLPOP.
    #[serde(default)]
    pub poll_ms: Option<u64>,
}

fn default_count() -> u32 {
    1
}

fn default_block_ms() -> u64 {
    1000
}

fn default_processing() -> Dist {
    Dist::Fixed(100)
}

/// XAUTOCLAIM every `every_ms` for entries idle at least `min_idle_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimSpec {
    /// How often.
    pub every_ms: u64,
    /// XAUTOCLAIM's min-idle-time.
    pub min_idle_ms: u64,
    /// XAUTOCLAIM's COUNT.
    #[serde(default = "default_claim_count")]
    pub count: u32,
}

fn default_claim_count() -> u32 {
    10
}

/// After `after_deliveries` failed deliveries, XADD the entry to `stream`
/// and XACK it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadLetterSpec {
    /// Deliveries allowed before parking.
    pub after_deliveries: u32,
    /// The dead-letter stream.
    pub stream: String,
}

/// What a fault does. The same kinds serve every broker model: a worker's
/// process, a client's network, the broker itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The worker's process dies: in-flight work is lost, its pending
    /// entries stay with the group.
    Crash,
    /// A crashed worker starts again.
    Restart,
    /// The worker processes `factor` times slower until `until_ms`.
    Slow,
    /// The client's network drops until `until_ms`: its connection is
    /// lost, its commands do not arrive.
    Disconnect,
    /// The client's next command (named by `command`, or any) is lost on
    /// the network: the broker never runs it and the client never hears.
    LoseCommand,
    /// The broker runs the client's next command (named by `command`, or
    /// any) but the reply is lost: the client never hears.
    LoseReply,
    /// The broker's machine goes down (until `until_ms`, if given): every
    /// connection closes, and only what its persistence flushed to disk
    /// survives.
    BrokerCrash,
    /// A crashed broker starts again from what was on disk.
    BrokerRestart,
}

impl FaultKind {
    /// Whether it names a worker or client by `role`.
    pub fn needs_role(self) -> bool {
        !matches!(self, FaultKind::BrokerCrash | FaultKind::BrokerRestart)
    }

    /// Whether it targets a worker's process (not any client).
    pub fn targets_process(self) -> bool {
        matches!(
            self,
            FaultKind::Crash | FaultKind::Restart | FaultKind::Slow
        )
    }
}

/// A fault at a given time. It applies in every lane: `role` names a
/// worker or a producer of the workload, whose copy in each lane it hits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// When.
    pub at_ms: u64,
    /// What.
    pub kind: FaultKind,
    /// Which worker or producer (none for the broker's faults).
    #[serde(default, alias = "worker")]
    pub role: Option<String>,
    /// End of a slowdown, a network drop or a broker crash.
    #[serde(default)]
    pub until_ms: Option<u64>,
    /// Slowdown factor.
    #[serde(default)]
    pub factor: Option<f64>,
    /// The command a lost command or reply belongs to (`XACK`); any if
    /// absent.
    #[serde(default)]
    pub command: Option<String>,
}

/// One scripted command.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptStep {
    /// When.
    pub at_ms: u64,
    /// Which connection sends it.
    pub client: String,
    /// The command line, as typed at redis-cli.
    pub command: String,
    /// What to explain while it happens.
    #[serde(default)]
    pub say: Option<Text>,
}

/// An explanation shown from `at_ms` on. Where it states a count, it
/// says `{<service>.<count>}` and the count is read from the run shown at
/// that moment (see [`COUNTS`]), so it stays true whatever the reader did
/// to the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narration {
    /// From when.
    pub at_ms: u64,
    /// What.
    pub text: Text,
}

/// The ledger counts a narration may quote, as `{<service>.<count>}`.
pub const COUNTS: [&str; 8] = [
    "produced",
    "delivered",
    "processed",
    "duplicates",
    "dead_lettered",
    "in_flight",
    "lost",
    "empty_polls",
];

/// One `{<service>.<count>}` hole of a narration: where it is (byte
/// range, braces included), the service's name and the count's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hole<'a> {
    /// Byte range of `{…}` in the text.
    pub range: core::ops::Range<usize>,
    /// The service's name.
    pub service: &'a str,
    /// One of [`COUNTS`] (or a typo, which validation refuses).
    pub count: &'a str,
}

/// The holes of a narration text, in order.
pub fn holes(text: &str) -> Vec<Hole<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|i| from + i) {
        let Some(close) = text[open..].find('}').map(|i| open + i) else {
            break;
        };
        if let Some((service, count)) = text[open + 1..close].rsplit_once('.') {
            out.push(Hole {
                range: open..close + 1,
                service,
                count,
            });
        }
        from = close + 1;
    }
    out
}

/// Why a scenario cannot run: which field, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl core::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest run a scenario may ask for: one simulated day.
pub const MAX_RUN_MS: u64 = 24 * 60 * 60 * 1000;

/// The most lanes a scenario may run side by side.
pub const MAX_LANES: usize = 8;

/// The name of the one lane of a scenario that declares none.
pub const DEFAULT_LANE: &str = "main";

impl Scenario {
    /// Parses and validates a scenario.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = serde_json::from_str(text)
            .map_err(|e| ScenarioError(format!("not a valid scenario: {e}")))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The scenario as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Total simulated time: duration plus drain.
    pub fn end_ms(&self) -> u64 {
        self.duration_ms.saturating_add(self.drain_ms)
    }

    /// The explanation to show at `ms`: the latest narration or script
    /// step's `say` at or before `ms`, and from when it applies.
    pub fn narration_at(&self, ms: u64) -> Option<(u64, &Text)> {
        let narration = self.narration.iter().map(|n| (n.at_ms, &n.text));
        let steps = self
            .script
            .iter()
            .filter_map(|s| Some((s.at_ms, s.say.as_ref()?)));
        narration
            .chain(steps)
            .filter(|(at, _)| *at <= ms)
            .max_by_key(|(at, _)| *at)
    }

    /// Every worker, with its service's index.
    pub fn workers(&self) -> impl Iterator<Item = (usize, &WorkerSpec)> {
        self.services
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.workers.iter().map(move |w| (i, w)))
    }

    /// How many lanes run side by side (at least one).
    pub fn lane_count(&self) -> usize {
        self.lanes.len().max(1)
    }

    /// Lane `lane`'s name.
    pub fn lane_name(&self, lane: usize) -> &str {
        self.lanes
            .get(lane)
            .map_or(DEFAULT_LANE, |l| l.name.as_str())
    }

    /// What service `service` does in lane `lane`: the lane's guarantee
    /// and ack for consumer groups, the service's own otherwise.
    pub fn policy(&self, lane: usize, service: usize) -> Policy {
        let Some(s) = self.services.get(service) else {
            return Policy::new(Guarantee::AtMostOnce, None);
        };
        match (self.lanes.get(lane), &s.source) {
            (Some(l), Source::Group(_) | Source::Topic(_))
                if l.guarantee.is_some() || l.ack.is_some() =>
            {
                let guarantee = l.guarantee.unwrap_or(s.guarantee);
                // A lane that only changes the guarantee does not inherit
                // an ack the service chose for its own guarantee.
                let ack = l.ack.or(s.ack.filter(|_| l.guarantee.is_none()));
                Policy::new(guarantee, ack)
            }
            _ => Policy::new(s.guarantee, s.ack),
        }
    }

    /// The broker's persistence in lane `lane`.
    pub fn redis_in(&self, lane: usize) -> RedisSpec {
        self.lanes
            .get(lane)
            .and_then(|l| l.redis)
            .unwrap_or(self.redis)
    }

    /// Whether `role` names a broker a fault can hit: in a Kafka scenario,
    /// `leader` or `broker-N` of one of its brokers.
    pub fn has_broker_role(&self, role: &str) -> bool {
        let Some(k) = &self.kafka else {
            return false;
        };
        match kafka::BrokerRole::parse(role) {
            Some(kafka::BrokerRole::Leader) => true,
            Some(kafka::BrokerRole::Id(id)) => k.brokers.iter().any(|b| b.id == id),
            None => false,
        }
    }

    /// Whether `role` names a worker or a producer.
    pub fn has_role(&self, role: &str) -> bool {
        self.workers().any(|(_, w)| w.name == role) || self.producers.iter().any(|p| p.name == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_are_valid() {
        for s in builtin::all() {
            s.validate().unwrap_or_else(|e| panic!("{}: {e}", s.name));
        }
    }

    #[test]
    fn errors_name_the_field() {
        let base = builtin::by_name("stream-dead-letter").unwrap().to_json();
        let bad = base.replacen("\"duration_ms\"", "\"duration\"", 1);
        let e = Scenario::from_json(&bad).unwrap_err().0;
        assert!(e.contains("unknown field `duration`"), "{e}");
        let bad = base
            .replacen("\"at-least-once\"", "\"at-most-once\"", 1)
            .replacen("\"ack\": null", "\"ack\": \"after-each\"", 1);
        let e = Scenario::from_json(&bad).unwrap_err().0;
        assert!(e.starts_with("services[0].ack:"), "{e}");
    }
}
