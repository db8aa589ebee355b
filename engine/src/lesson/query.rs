//! Questions as queries on a run: what a lesson asks, evaluated on the
//! step's timeline at the reveal moment. The answer and the choices both
//! come from here, so a lesson file never states an answer.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;

use crate::msg::MsgRef;
use crate::redis::db::stream_id::StreamId;
use crate::scenario::Scenario;
use crate::sim::{Events, SimEvent, Timeline, What, World};
use crate::time::SimTime;
use crate::view::{Fate, StreamView};

/// What a question asks of the run.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "ask", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Query {
    /// Which worker of `service` first took `message` (started
    /// processing it) in lane `lane`.
    DeliveredTo {
        /// The service, by name.
        service: String,
        /// The message (`order-4`).
        message: String,
        /// The lane (0 when there is one).
        #[serde(default)]
        lane: u16,
    },
    /// What became of `message` for `service` in lane `lane`.
    Fate {
        /// The service, by name.
        service: String,
        /// The message (`order-4`).
        message: String,
        /// The lane.
        #[serde(default)]
        lane: u16,
    },
    /// One of the ledger's counts for `service` in lane `lane`.
    Count {
        /// The service, by name.
        service: String,
        /// Which count.
        field: CountField,
        /// The lane.
        #[serde(default)]
        lane: u16,
    },
    /// A consumer group's offset: the entry its `last-delivered-id` names.
    LastDeliveredId {
        /// The stream's key.
        stream: String,
        /// The group.
        group: String,
    },
    /// How many entries of a group wait for an XACK: all of them, or
    /// those one consumer holds.
    Pending {
        /// The stream's key.
        stream: String,
        /// The group.
        group: String,
        /// The consumer, if one consumer's pending list is asked.
        #[serde(default)]
        consumer: Option<String>,
    },
    /// How many entries a stream holds.
    StreamLength {
        /// The stream's key.
        stream: String,
    },
    /// How many items a list holds.
    ListLength {
        /// The list's key.
        list: String,
    },
    /// Kafka: how many replicas' logs hold the record of `message`.
    ReplicasHolding {
        /// The message (`order-11`).
        message: String,
        /// The lane.
        #[serde(default)]
        lane: u16,
    },
}

/// A count of the ledger a question may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountField {
    /// Messages never processed that nobody holds.
    Lost,
    /// Effects applied beyond the first.
    Duplicates,
    /// Messages processed at least once.
    Processed,
    /// Deliveries, redeliveries included.
    Delivered,
    /// Kafka: records the producer was told were written that no replica
    /// holds.
    ToldWrittenThenLost,
}

/// What became of a message, as a question's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FateAnswer {
    /// The service never received it (it was not subscribed yet, say).
    NotReceived,
    /// Still held by the broker or a worker.
    InFlight,
    /// Processed exactly once.
    Once,
    /// Processed more than once.
    MoreThanOnce,
    /// Never processed, and nobody holds it.
    Lost,
    /// Moved to the dead-letter stream.
    DeadLettered,
}

impl FateAnswer {
    /// A stable, untranslated name (`data-answer`).
    pub const fn slug(self) -> &'static str {
        match self {
            FateAnswer::NotReceived => "not-received",
            FateAnswer::InFlight => "in-flight",
            FateAnswer::Once => "once",
            FateAnswer::MoreThanOnce => "more-than-once",
            FateAnswer::Lost => "lost",
            FateAnswer::DeadLettered => "dead-lettered",
        }
    }
}

/// One possible answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A worker, by name.
    Worker(String),
    /// No worker took it.
    Nobody,
    /// A message's fate.
    Fate(FateAnswer),
    /// A number.
    Number(u64),
    /// A stream entry: its ID and its fields as text (`chapter 4`), or
    /// `0-0` with no fields, "nothing delivered yet".
    Entry {
        /// The ID.
        id: StreamId,
        /// Its fields and values, space-separated.
        fields: String,
    },
}

impl Answer {
    /// A stable, untranslated form (`data-answer`): the worker, the fate's
    /// slug, the number, the entry ID.
    pub fn key(&self) -> String {
        match self {
            Answer::Worker(name) => name.clone(),
            Answer::Nobody => "nobody".into(),
            Answer::Fate(fate) => fate.slug().into(),
            Answer::Number(n) => n.to_string(),
            Answer::Entry { id, .. } => id.to_text(),
        }
    }
}

/// A question's choices and the index of the right one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    /// The choices, in the order shown.
    pub choices: Vec<Answer>,
    /// Which is right.
    pub answer: usize,
}

impl Asked {
    /// The right answer.
    pub fn right(&self) -> &Answer {
        &self.choices[self.answer]
    }
}

/// How many choices a number question offers.
const NUMBER_CHOICES: u64 = 4;
/// The most entries an entry question lists.
const ENTRY_CHOICES: usize = 8;

impl Query {
    /// Checks the names the query uses against `scenario`: the field that
    /// is wrong and why.
    pub(super) fn check(&self, scenario: &Scenario) -> Result<(), (&'static str, String)> {
        let service = |name: &str| {
            scenario
                .services
                .iter()
                .any(|s| s.name == name)
                .then_some(())
                .ok_or(("service", format!("no service {name:?} in the scenario")))
        };
        let lane = |lane: u16| {
            (usize::from(lane) < scenario.lane_count())
                .then_some(())
                .ok_or((
                    "lane",
                    format!("the scenario has {} lanes", scenario.lane_count()),
                ))
        };
        match self {
            Query::DeliveredTo {
                service: s,
                message,
                lane: l,
            }
            | Query::Fate {
                service: s,
                message,
                lane: l,
            } => {
                service(s)?;
                lane(*l)?;
                msg_of(scenario, message).map(|_| ()).ok_or((
                    "message",
                    format!("{message:?} is not a message of the run"),
                ))
            }
            Query::Count {
                service: s,
                lane: l,
                ..
            } => {
                service(s)?;
                lane(*l)
            }
            Query::LastDeliveredId { stream, group } | Query::Pending { stream, group, .. } => {
                non_empty("stream", stream)?;
                non_empty("group", group)
            }
            Query::StreamLength { stream } => non_empty("stream", stream),
            Query::ListLength { list } => non_empty("list", list),
            Query::ReplicasHolding { message, lane: l } => {
                lane(*l)?;
                msg_of(scenario, message).map(|_| ()).ok_or((
                    "message",
                    format!("{message:?} is not a message of the run"),
                ))
            }
        }
    }

    /// The choices and the answer in `timeline` at `at`.
    pub fn evaluate(&self, timeline: &Timeline, at: SimTime) -> Result<Asked, String> {
        let lanes = timeline.at(at);
        let world = |lane: u16| {
            lanes
                .worlds()
                .get(usize::from(lane))
                .ok_or_else(|| format!("no lane {lane}"))
        };
        match self {
            Query::DeliveredTo {
                service,
                message,
                lane,
            } => {
                let events = timeline.events().slice(..timeline.events_until(at));
                delivered_to(world(*lane)?, events, service, message)
            }
            Query::Fate {
                service,
                message,
                lane,
            } => fate(world(*lane)?, service, message),
            Query::Count {
                service,
                field,
                lane,
            } => count(world(*lane)?, service, *field),
            Query::LastDeliveredId { stream, group } => {
                let view = world(0)?.view();
                let stream = stream_of(&view.streams, stream)?;
                let group = stream
                    .groups
                    .iter()
                    .find(|g| g.name == *group)
                    .ok_or_else(|| format!("no group {group:?} yet"))?;
                Ok(entries(stream, group.last_delivered_id))
            }
            Query::Pending {
                stream,
                group,
                consumer,
            } => {
                let view = world(0)?.view();
                let group = stream_of(&view.streams, stream)?
                    .groups
                    .iter()
                    .find(|g| g.name == *group);
                let pending = match consumer {
                    None => group.map_or(0, |g| g.pending),
                    Some(name) => group
                        .and_then(|g| g.consumers.iter().find(|c| c.name == *name))
                        .map_or(0, |c| c.pending_count),
                };
                Ok(numbers(pending))
            }
            Query::StreamLength { stream } => {
                let view = world(0)?.view();
                let stream = view.streams.iter().find(|s| s.key == *stream);
                Ok(numbers(stream.map_or(0, |s| s.length)))
            }
            Query::ListLength { list } => {
                let view = world(0)?.view();
                let list = view.lists.iter().find(|l| l.key == *list);
                Ok(numbers(list.map_or(0, |l| l.values.len() as u64)))
            }
            Query::ReplicasHolding { message, lane } => {
                let view = world(*lane)?.kafka_view().ok_or("not a Kafka run")?;
                let holding = view
                    .partitions
                    .iter()
                    .flat_map(|p| &p.copies)
                    .filter(|copy| copy.records.iter().any(|r| r.value == *message))
                    .count();
                Ok(numbers(holding as u64))
            }
        }
    }
}

/// The worker of `service` that first started processing `message` in
/// `world`'s lane, among `events`; its workers are the choices.
fn delivered_to(
    world: &World,
    events: Events<'_>,
    service: &str,
    message: &str,
) -> Result<Asked, String> {
    let (s, msg) = service_msg(world, service, message)?;
    let took = events.iter().find_map(|e| match &*e.what {
        What::Sim(SimEvent::ProcessingStarted {
            worker,
            service,
            msg: m,
            ..
        }) if e.lane == world.lane() && usize::from(*service) == s && *m == msg => {
            Some(String::from_utf8_lossy(worker).into_owned())
        }
        _ => None,
    });
    let choices = world.scenario().services[s]
        .workers
        .iter()
        .map(|w| Answer::Worker(w.name.clone()))
        .collect();
    Ok(pick(choices, took.map_or(Answer::Nobody, Answer::Worker)))
}

/// What the ledger says became of `message` for `service`.
fn fate(world: &World, service: &str, message: &str) -> Result<Asked, String> {
    let (s, msg) = service_msg(world, service, message)?;
    let state = world.ledger().state(s, msg);
    let answer = match Fate::of(state) {
        _ if !state.produced => FateAnswer::NotReceived,
        Fate::InFlight => FateAnswer::InFlight,
        Fate::Once => FateAnswer::Once,
        Fate::Times(_) => FateAnswer::MoreThanOnce,
        Fate::Lost => FateAnswer::Lost,
        Fate::DeadLettered => FateAnswer::DeadLettered,
    };
    let choices = [FateAnswer::Once, FateAnswer::MoreThanOnce, FateAnswer::Lost]
        .into_iter()
        .map(Answer::Fate)
        .collect();
    Ok(pick(choices, Answer::Fate(answer)))
}

/// One of `service`'s ledger counts.
fn count(world: &World, service: &str, field: CountField) -> Result<Asked, String> {
    let s = service_index(world.scenario(), service)?;
    let counts = world.service_counts(s);
    Ok(numbers(match field {
        CountField::Lost => counts.lost,
        CountField::Duplicates => counts.duplicates,
        CountField::Processed => counts.processed_unique,
        CountField::Delivered => counts.delivered,
        CountField::ToldWrittenThenLost => world.acknowledged_then_lost(s).len() as u64,
    }))
}

fn non_empty(field: &'static str, text: &str) -> Result<(), (&'static str, String)> {
    if text.is_empty() {
        return Err((field, "empty".into()));
    }
    Ok(())
}

/// `order-4` as the message of the scenario's producer `order`, if it
/// sends that many.
fn msg_of(scenario: &Scenario, message: &str) -> Option<MsgRef> {
    let (name, n) = message.rsplit_once('-')?;
    let seq: u32 = n.parse().ok().filter(|n| *n > 0)?;
    let (producer, spec) = scenario
        .producers
        .iter()
        .enumerate()
        .find(|(_, p)| p.name == name)?;
    let sends = spec.count.or(spec.at_ms.as_ref().map(|t| t.len() as u32));
    sends.is_none_or(|count| seq <= count).then_some(MsgRef {
        producer: u16::try_from(producer).ok()?,
        seq,
    })
}

fn service_index(scenario: &Scenario, service: &str) -> Result<usize, String> {
    scenario
        .services
        .iter()
        .position(|s| s.name == service)
        .ok_or_else(|| format!("no service {service:?}"))
}

fn service_msg(world: &World, service: &str, message: &str) -> Result<(usize, MsgRef), String> {
    let s = service_index(world.scenario(), service)?;
    let msg = msg_of(world.scenario(), message).ok_or_else(|| format!("no message {message:?}"))?;
    Ok((s, msg))
}

fn stream_of<'a>(streams: &'a [StreamView], key: &str) -> Result<&'a StreamView, String> {
    streams
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| format!("no stream {key:?} yet"))
}

/// `choices` with `answer` among them (added last if it is not).
fn pick(mut choices: Vec<Answer>, answer: Answer) -> Asked {
    let at = match choices.iter().position(|c| *c == answer) {
        Some(at) => at,
        None => {
            choices.push(answer);
            choices.len() - 1
        }
    };
    Asked {
        choices,
        answer: at,
    }
}

/// Four numbers around `n`: the block of four it falls in (0–3, 4–7, …),
/// so the right one is not always in the same place and the choices do
/// not give it away.
fn numbers(n: u64) -> Asked {
    let start = n - n % NUMBER_CHOICES;
    Asked {
        choices: (start..start + NUMBER_CHOICES)
            .map(Answer::Number)
            .collect(),
        answer: (n % NUMBER_CHOICES) as usize,
    }
}

/// "Nothing delivered yet" (`0-0`) and the stream's first entries, with
/// the entry `id` names among them.
fn entries(stream: &StreamView, id: StreamId) -> Asked {
    let entry = |id: StreamId, fields: String| Answer::Entry { id, fields };
    let mut choices = Vec::from([entry(StreamId::ZERO, String::new())]);
    choices.extend(stream.entries.iter().take(ENTRY_CHOICES).map(|e| {
        let fields: Vec<String> = e
            .texts()
            .into_iter()
            .map(|(f, v)| format!("{f} {v}"))
            .collect();
        entry(e.id, fields.join(" "))
    }));
    let answer = choices
        .iter()
        .find(|c| matches!(c, Answer::Entry { id: i, .. } if *i == id))
        .cloned()
        .unwrap_or_else(|| entry(id, String::new()));
    pick(choices, answer)
}
