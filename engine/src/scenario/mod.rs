//! Scenarios: what a run simulates, as JSON (see `docs/scenarios.md`).
//!
//! A scenario names producers (who writes what, when), lanes (a consuming
//! service: a consumer group, a list's workers or a pub/sub subscriber,
//! with its delivery guarantee), faults, a scripted walk-through, and
//! narration in English and Korean. Parsing rejects unknown fields, and
//! [`Scenario::validate`] rejects values that cannot run, with a message
//! that names the field and says what is allowed.

pub mod builtin;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

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
    /// Who writes messages.
    #[serde(default)]
    pub producers: Vec<ProducerSpec>,
    /// Who consumes them, and how.
    #[serde(default)]
    pub lanes: Vec<LaneSpec>,
    /// Crashes, restarts, slowdowns, network drops.
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
}

impl Guarantee {
    /// The name used in scenarios and in `ackscope run`'s output.
    pub fn as_str(self) -> &'static str {
        match self {
            Guarantee::AtMostOnce => "at-most-once",
            Guarantee::AtLeastOnce => "at-least-once",
            Guarantee::ExactlyOnce => "exactly-once",
        }
    }
}

/// When a stream worker acknowledges.
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
}

/// Where a lane's messages come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Source {
    /// A consumer group of a stream.
    Group(GroupSource),
    /// A list popped with BLPOP.
    List(String),
    /// Pub/sub subscriptions.
    Subscriber(SubscriberSource),
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

/// A consuming service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaneSpec {
    /// Name shown in the UI and the ledger.
    pub name: String,
    /// Where its messages come from.
    pub source: Source,
    /// Its delivery guarantee.
    pub guarantee: Guarantee,
    /// When stream workers acknowledge (default: before processing for
    /// at-most-once, after each entry otherwise).
    #[serde(default)]
    pub ack: Option<AckPolicy>,
    /// The processes doing the work.
    pub workers: Vec<WorkerSpec>,
    /// Park entries that keep failing in another stream.
    #[serde(default)]
    pub dead_letter: Option<DeadLetterSpec>,
}

impl LaneSpec {
    /// The ack policy in effect.
    pub fn ack_policy(&self) -> AckPolicy {
        self.ack.unwrap_or(match self.guarantee {
            Guarantee::AtMostOnce => AckPolicy::BeforeProcessing,
            _ => AckPolicy::AfterEach,
        })
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

/// One worker of a lane: a consumer, a list worker or a subscriber.
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

/// What a fault does.
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
    /// The worker's network drops until `until_ms`: its connection is
    /// lost, its commands do not arrive.
    Disconnect,
}

/// A fault at a given time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// When.
    pub at_ms: u64,
    /// What.
    pub kind: FaultKind,
    /// Which worker.
    pub worker: String,
    /// End of a slowdown or network drop.
    #[serde(default)]
    pub until_ms: Option<u64>,
    /// Slowdown factor.
    #[serde(default)]
    pub factor: Option<f64>,
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

/// An explanation shown from `at_ms` on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narration {
    /// From when.
    pub at_ms: u64,
    /// What.
    pub text: Text,
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

fn fail<T>(field: impl core::fmt::Display, problem: &str) -> Result<T, ScenarioError> {
    Err(ScenarioError(format!("{field}: {problem}")))
}

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

    /// Every worker, with its lane index.
    pub fn workers(&self) -> impl Iterator<Item = (usize, &WorkerSpec)> {
        self.lanes
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.workers.iter().map(move |w| (i, w)))
    }

    /// Checks everything serde cannot: ranges, references between parts,
    /// combinations that contradict a lane's guarantee.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !name_ok {
            return fail("name", "use 1 to 64 lowercase letters, digits and dashes");
        }
        if self.duration_ms == 0 || self.end_ms() > MAX_RUN_MS {
            return fail(
                "duration_ms",
                "must be more than 0, and duration_ms + drain_ms at most 86400000 (one day)",
            );
        }
        if let Some(c) = &self.cluster {
            if !(1..=16).contains(&c.primaries) {
                return fail("cluster.primaries", "must be between 1 and 16");
            }
            if c.replicas > 2 {
                return fail("cluster.replicas", "must be between 0 and 2");
            }
        }
        let nodes = self.cluster.map_or(1, |c| c.primaries * (1 + c.replicas));
        let nodes_used = self
            .producers
            .iter()
            .map(|p| p.node)
            .chain(self.workers().map(|(_, w)| w.node));
        if nodes_used.flatten().any(|n| n >= nodes) {
            return fail(
                "node",
                &format!(
                    "nodes are numbered from 0 to {} in this scenario",
                    nodes - 1
                ),
            );
        }
        self.validate_producers()?;
        self.validate_lanes()?;
        self.validate_faults()?;
        for (i, step) in self.script.iter().enumerate() {
            if step.at_ms > self.end_ms() {
                return fail(
                    format_args!("script[{i}].at_ms"),
                    "must be within duration_ms + drain_ms",
                );
            }
            if crate::redis::parse::split_args(step.command.as_bytes()).is_none_or(|a| a.is_empty())
            {
                return fail(
                    format_args!("script[{i}].command"),
                    "must be a command line redis-cli accepts",
                );
            }
        }
        Ok(())
    }

    fn validate_producers(&self) -> Result<(), ScenarioError> {
        let mut names = Vec::new();
        for (i, p) in self.producers.iter().enumerate() {
            let at = |f: &str| format!("producers[{i}].{f}");
            check_name(&at("name"), &p.name, &mut names)?;
            if p.targets.is_empty() {
                return fail(
                    at("targets"),
                    "name at least one stream, list, channel or shard_channel",
                );
            }
            let schedules = [
                p.every_ms.is_some(),
                p.rate_per_s.is_some(),
                p.at_ms.is_some(),
            ];
            if schedules.iter().filter(|s| **s).count() != 1 {
                return fail(
                    at("every_ms"),
                    "give exactly one of every_ms, rate_per_s or at_ms",
                );
            }
            if p.every_ms == Some(0) {
                return fail(at("every_ms"), "must be at least 1");
            }
            if let Some(r) = p.rate_per_s
                && !(r > 0.0 && r <= 10_000.0)
            {
                return fail(at("rate_per_s"), "must be more than 0 and at most 10000");
            }
            if p.count == Some(0) || p.count.is_some_and(|c| c > 1_000_000) {
                return fail(at("count"), "must be between 1 and 1000000");
            }
            if p.poison.contains(&0) {
                return fail(at("poison"), "message numbers start at 1");
            }
        }
        Ok(())
    }

    fn validate_lanes(&self) -> Result<(), ScenarioError> {
        let mut names = Vec::new();
        let mut workers = Vec::new();
        for (i, lane) in self.lanes.iter().enumerate() {
            let at = |f: &str| format!("lanes[{i}].{f}");
            if lane.name.trim().is_empty()
                || lane.name.chars().count() > 60
                || lane.name.chars().any(char::is_control)
            {
                return fail(at("name"), "use 1 to 60 printable characters");
            }
            if names.contains(&lane.name) {
                return fail(at("name"), &format!("\"{}\" is used twice", lane.name));
            }
            names.push(lane.name.clone());
            if lane.workers.is_empty() {
                return fail(at("workers"), "a lane needs at least one worker");
            }
            let ack = lane.ack_policy();
            let acks_first = matches!(ack, AckPolicy::BeforeProcessing | AckPolicy::Noack);
            match (&lane.source, lane.guarantee) {
                (Source::Group(g), _) => {
                    if g.start != "0" && g.start != "$" {
                        return fail(
                            at("source.group.start"),
                            "use \"0\" (whole history) or \"$\" (new entries only)",
                        );
                    }
                    if (lane.guarantee == Guarantee::AtMostOnce) != acks_first {
                        return fail(
                            at("ack"),
                            "at-most-once acks before processing (before-processing or noack); at-least-once and exactly-once ack after (after-each or after-batch)",
                        );
                    }
                }
                (Source::List(_) | Source::Subscriber(_), Guarantee::AtMostOnce) => {}
                (Source::List(_), _) => {
                    return fail(
                        at("guarantee"),
                        "a list lane pops messages before processing them, so it is at-most-once",
                    );
                }
                (Source::Subscriber(_), _) => {
                    return fail(
                        at("guarantee"),
                        "pub/sub is fire-and-forget, so a subscriber lane is at-most-once",
                    );
                }
            }
            if let Source::Subscriber(s) = &lane.source
                && s.channels.is_empty()
                && s.patterns.is_empty()
                && s.shard_channels.is_empty()
            {
                return fail(
                    at("source.subscriber"),
                    "subscribe to at least one channel, pattern or shard channel",
                );
            }
            if let Some(d) = &lane.dead_letter
                && (d.after_deliveries == 0 || !matches!(lane.source, Source::Group(_)))
            {
                return fail(
                    at("dead_letter"),
                    "needs a group source and after_deliveries of at least 1",
                );
            }
            for (j, w) in lane.workers.iter().enumerate() {
                self.validate_worker(&format!("lanes[{i}].workers[{j}]"), w, &mut workers)?;
            }
        }
        Ok(())
    }

    fn validate_worker(
        &self,
        at: &str,
        w: &WorkerSpec,
        names: &mut Vec<String>,
    ) -> Result<(), ScenarioError> {
        check_name(&format!("{at}.name"), &w.name, names)?;
        if w.stop_ms.is_some_and(|stop| stop <= w.start_ms) {
            return fail(format_args!("{at}.stop_ms"), "must be after start_ms");
        }
        if !(1..=1000).contains(&w.count) {
            return fail(format_args!("{at}.count"), "must be between 1 and 1000");
        }
        if !(0.0..=1.0).contains(&w.failure_probability) {
            return fail(
                format_args!("{at}.failure_probability"),
                "must be between 0 and 1",
            );
        }
        let (lo, hi) = match w.processing_ms {
            Dist::Fixed(v) | Dist::Exponential(v) => (v, v),
            Dist::Uniform([a, b]) => (a, b),
        };
        if lo > hi || hi > 600_000 {
            return fail(
                format_args!("{at}.processing_ms"),
                "use durations up to 600000 ms, the smaller bound first",
            );
        }
        if let Some(c) = w.claim {
            if c.every_ms == 0 || c.count == 0 {
                return fail(
                    format_args!("{at}.claim"),
                    "every_ms and count must be at least 1",
                );
            }
            if self.drain_ms < c.min_idle_ms + c.every_ms {
                return fail(
                    "drain_ms",
                    &format!(
                        "must be at least {} ms (claim.min_idle_ms + claim.every_ms of {}) so that recovery can finish",
                        c.min_idle_ms + c.every_ms,
                        w.name
                    ),
                );
            }
        }
        Ok(())
    }

    fn validate_faults(&self) -> Result<(), ScenarioError> {
        for (i, f) in self.faults.iter().enumerate() {
            let at = |field: &str| format!("faults[{i}].{field}");
            if !self.workers().any(|(_, w)| w.name == f.worker) {
                return fail(at("worker"), "must name a worker of a lane");
            }
            if f.at_ms > self.duration_ms {
                return fail(
                    at("at_ms"),
                    "faults happen before duration_ms (the drain heals them)",
                );
            }
            let needs_until = matches!(f.kind, FaultKind::Slow | FaultKind::Disconnect);
            match f.until_ms {
                Some(u) if needs_until && u <= f.at_ms => {
                    return fail(at("until_ms"), "must be after at_ms");
                }
                None if needs_until => {
                    return fail(at("until_ms"), "slow and disconnect faults need until_ms");
                }
                _ => {}
            }
            if f.kind == FaultKind::Slow && !f.factor.is_some_and(|x| (1.0..=100.0).contains(&x)) {
                return fail(at("factor"), "a slowdown factor between 1 and 100");
            }
        }
        Ok(())
    }
}

fn check_name(field: &str, name: &str, seen: &mut Vec<String>) -> Result<(), ScenarioError> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
    if !ok {
        return fail(field, "use 1 to 40 letters, digits, '-', '_', ':' or '.'");
    }
    if seen.iter().any(|s| s == name) {
        return fail(field, &format!("\"{name}\" is used twice"));
    }
    seen.push(name.to_string());
    Ok(())
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
        assert!(e.starts_with("lanes[0].ack:"), "{e}");
    }
}
