//! Random scenarios for swarm testing: from one seed, a small workload —
//! producers, services of every kind, lanes with different policies, the
//! broker's persistence — and a random fault schedule. Every scenario it
//! makes is valid, small enough to run in milliseconds, and reproduced
//! exactly by its seed, so a failing case is reported by its seed alone
//! (`engine/tests/swarm.rs`, `cargo xtask fuzz`; run by
//! [`crate::sim::check::swarm_case`]).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::rng::Rng;

/// The scenario of swarm case `seed` (run it with the same seed): one in
/// four runs a Kafka cluster, the others Redis.
pub fn scenario(seed: u64) -> Scenario {
    if Rng::fork(seed, "swarm-broker").chance(0.25) {
        return kafka_scenario(seed);
    }
    let mut rng = Rng::fork(seed, "swarm");
    let r = &mut rng;
    let duration_ms = r.between(1_000, 8_000);
    let mut s = empty(seed, duration_ms);
    s.redis = redis_spec(r);
    let streams = ["orders", "events"];
    for p in 0..r.between(1, 2) {
        s.producers.push(producer(r, p, &streams));
    }
    for i in 0..r.between(1, 3) {
        s.services.push(service(r, i, &s.producers));
    }
    for i in 0..r.between(0, 3) {
        let guarantee = pick(r, &GUARANTEES);
        s.lanes.push(LaneSpec {
            name: format!("lane {i}"),
            guarantee: Some(guarantee),
            ack: None,
            redis: r.chance(0.3).then(|| redis_spec(r)),
            kafka_producer: None,
        });
    }
    let roles: Vec<String> = s
        .producers
        .iter()
        .map(|p| p.name.clone())
        .chain(s.workers().map(|(_, w)| w.name.clone()))
        .collect();
    let workers: Vec<String> = s.workers().map(|(_, w)| w.name.clone()).collect();
    for _ in 0..r.between(0, 6) {
        s.faults.push(fault(r, duration_ms, &roles, &workers));
    }
    // Room for every claim to come round twice, and the rest to settle.
    let claims = s
        .workers()
        .filter_map(|(_, w)| w.claim)
        .map(|c| c.min_idle_ms + c.every_ms)
        .max()
        .unwrap_or(0);
    s.drain_ms = 2 * claims + 3_000;
    s
}

/// A swarm scenario with nothing in it yet.
fn empty(seed: u64, duration_ms: u64) -> Scenario {
    Scenario {
        name: format!("swarm-{seed}"),
        title: Text::default(),
        summary: Text::default(),
        seed,
        duration_ms,
        drain_ms: 0,
        cluster: None,
        kafka: None,
        redis: RedisSpec::default(),
        producers: Vec::new(),
        services: Vec::new(),
        lanes: Vec::new(),
        faults: Vec::new(),
        script: Vec::new(),
        narration: Vec::new(),
    }
}

const GUARANTEES: [Guarantee; 3] = [
    Guarantee::AtMostOnce,
    Guarantee::AtLeastOnce,
    Guarantee::ExactlyOnce,
];

fn pick<T: Copy>(r: &mut Rng, items: &[T]) -> T {
    items[r.below(items.len() as u64) as usize]
}

fn redis_spec(r: &mut Rng) -> RedisSpec {
    RedisSpec {
        appendonly: r.chance(0.5),
        appendfsync: pick(r, &[Fsync::Always, Fsync::Everysec, Fsync::No]),
    }
}

fn producer(r: &mut Rng, p: u64, streams: &[&str]) -> ProducerSpec {
    let mut targets = vec![Target::Stream(pick(r, streams).into())];
    if r.chance(0.3) {
        targets.push(Target::List("jobs".into()));
    }
    if r.chance(0.3) {
        targets.push(Target::Channel("news".into()));
    }
    let mut fields = BTreeMap::new();
    fields.insert("n".into(), "{n}".into());
    let count = r.between(1, 40) as u32;
    ProducerSpec {
        name: format!("p{p}"),
        targets,
        start_ms: r.between(0, 500),
        every_ms: r.chance(0.6).then(|| r.between(20, 300)),
        rate_per_s: None,
        at_ms: None,
        count: Some(count),
        fields,
        poison: if r.chance(0.2) {
            vec![r.between(1, u64::from(count)) as u32]
        } else {
            Vec::new()
        },
        maxlen: r.chance(0.1).then(|| r.between(5, 50)),
        node: None,
        retries: r.below(3) as u32,
        timeout_ms: r.between(200, 1_500),
        config: None,
    }
    .with_rate(r)
}

impl ProducerSpec {
    /// Poisson arrivals when no fixed interval was drawn.
    fn with_rate(mut self, r: &mut Rng) -> Self {
        if self.every_ms.is_none() {
            self.rate_per_s = Some(r.between(2, 40) as f64);
        }
        self
    }
}

fn service(r: &mut Rng, i: u64, producers: &[ProducerSpec]) -> ServiceSpec {
    let streams: Vec<&String> = producers
        .iter()
        .flat_map(|p| &p.targets)
        .filter_map(|t| match t {
            Target::Stream(k) => Some(k),
            _ => None,
        })
        .collect();
    let kind = r.below(10);
    let (source, guarantee) = match kind {
        0 if r.chance(0.5) => (Source::ReliableList("jobs".into()), Guarantee::AtLeastOnce),
        0 => (Source::List("jobs".into()), Guarantee::AtMostOnce),
        1 => (
            Source::Subscriber(SubscriberSource {
                channels: vec!["news".into()],
                patterns: if r.chance(0.5) {
                    vec!["n*".into()]
                } else {
                    Vec::new()
                },
                shard_channels: Vec::new(),
            }),
            Guarantee::AtMostOnce,
        ),
        2 if r.chance(0.4) => {
            let from = pick(r, &["$", "0"]);
            let guarantee = if from == "0" {
                Guarantee::AtLeastOnce
            } else {
                Guarantee::AtMostOnce
            };
            let stream = (*streams[r.below(streams.len() as u64) as usize]).clone();
            (
                Source::Reader(ReaderSource {
                    stream,
                    from: from.into(),
                }),
                guarantee,
            )
        }
        _ => (
            Source::Group(GroupSource {
                stream: (*streams[r.below(streams.len() as u64) as usize]).clone(),
                group: format!("g{i}"),
                start: pick(r, &["0", "$"]).into(),
                create_at_ms: if r.chance(0.2) {
                    r.between(0, 2_000)
                } else {
                    0
                },
            }),
            pick(r, &GUARANTEES),
        ),
    };
    let group = matches!(source, Source::Group(_));
    let polls = matches!(source, Source::List(_));
    let workers = (0..r.between(1, 3))
        .map(|w| {
            let mut spec = worker(r, format!("s{i}w{w}"), group);
            spec.poll_ms = (polls && r.chance(0.5)).then(|| r.between(10, 500));
            spec
        })
        .collect();
    let ack = match guarantee {
        Guarantee::AtMostOnce if group && r.chance(0.3) => Some(AckPolicy::Noack),
        Guarantee::AtMostOnce => None,
        _ if r.chance(0.3) => Some(AckPolicy::AfterBatch),
        _ => None,
    };
    ServiceSpec {
        name: format!("service {i}"),
        source,
        guarantee,
        ack,
        workers,
        dead_letter: (group && r.chance(0.3)).then(|| DeadLetterSpec {
            after_deliveries: r.between(1, 3) as u32,
            stream: format!("dead{i}"),
        }),
    }
}

fn worker(r: &mut Rng, name: String, group: bool) -> WorkerSpec {
    WorkerSpec {
        name,
        start_ms: r.between(0, 1_000),
        stop_ms: None,
        count: r.between(1, 10) as u32,
        block_ms: r.between(50, 2_000),
        processing_ms: match r.below(3) {
            0 => Dist::Fixed(r.between(1, 200)),
            1 => Dist::Uniform([r.between(1, 50), r.between(50, 300)]),
            _ => Dist::Exponential(r.between(1, 150)),
        },
        failure_probability: if r.chance(0.3) { 0.2 } else { 0.0 },
        claim: (group && r.chance(0.6)).then(|| ClaimSpec {
            every_ms: r.between(100, 1_000),
            min_idle_ms: r.between(100, 2_000),
            count: r.between(1, 20) as u32,
        }),
        node: None,
        timeout_ms: r.between(200, 1_500),
        poll_ms: None,
    }
}

fn fault(r: &mut Rng, duration_ms: u64, roles: &[String], workers: &[String]) -> FaultSpec {
    let kinds = [
        FaultKind::Crash,
        FaultKind::Restart,
        FaultKind::Slow,
        FaultKind::Disconnect,
        FaultKind::LoseCommand,
        FaultKind::LoseReply,
        FaultKind::BrokerCrash,
        FaultKind::BrokerRestart,
    ];
    let kind = pick(r, &kinds);
    let at_ms = r.between(0, duration_ms - 1);
    let role = if kind.targets_process() {
        Some(workers[r.below(workers.len() as u64) as usize].clone())
    } else if kind.needs_role() {
        Some(roles[r.below(roles.len() as u64) as usize].clone())
    } else {
        None
    };
    let ends = matches!(kind, FaultKind::Slow | FaultKind::Disconnect)
        || (kind == FaultKind::BrokerCrash && r.chance(0.7));
    FaultSpec {
        at_ms,
        kind,
        role,
        until_ms: ends.then(|| at_ms + r.between(1, 3_000)),
        factor: (kind == FaultKind::Slow).then(|| r.between(2, 20) as f64),
        command: match kind {
            FaultKind::LoseCommand | FaultKind::LoseReply if r.chance(0.6) => Some(
                pick(
                    r,
                    &["XACK", "XADD", "XREADGROUP", "EXEC", "XAUTOCLAIM", "BLPOP"],
                )
                .into(),
            ),
            _ => None,
        },
    }
}

/// A Kafka swarm case: three brokers, a topic of one to three partitions
/// and one to three replicas, producers with random `acks` and retries,
/// consumer groups committing before, after or automatically, and faults
/// on brokers, consumers and produce responses.
fn kafka_scenario(seed: u64) -> Scenario {
    use crate::kafka::{Acks, AutoOffsetReset, BrokerConfig, ConsumerConfig, ProducerConfig};
    use kafka::{KafkaBrokerSpec, KafkaSpec, TopicSource, TopicSpec};
    let mut rng = Rng::fork(seed, "swarm-kafka");
    let r = &mut rng;
    let duration_ms = r.between(2_000, 12_000);
    let brokers = (1..=3)
        .map(|id| KafkaBrokerSpec {
            id,
            rack: Some(format!("r{id}")),
        })
        .collect();
    let partitions = r.between(1, 3) as u32;
    let config = BrokerConfig {
        replica_lag_time_max_ms: r.between(2_000, 10_000),
        broker_session_timeout_ms: r.between(2_000, 9_000),
        ..BrokerConfig::default()
    };
    let topic = TopicSpec {
        name: "orders".into(),
        partitions,
        assignment: None,
        replication_factor: Some(r.between(1, 3) as u32),
        config: crate::kafka::TopicConfig {
            min_insync_replicas: r.chance(0.5).then(|| r.between(1, 2) as u32),
            unclean_leader_election_enable: r.chance(0.3).then_some(true),
        },
    };
    let mut s = empty(seed, duration_ms);
    s.kafka = Some(KafkaSpec {
        brokers,
        config,
        topics: vec![topic],
    });
    for p in 0..r.between(1, 2) {
        let acks = pick(r, &[Acks::Zero, Acks::One, Acks::All]);
        let mut spec = producer(r, p, &["orders"]);
        spec.targets = vec![Target::Topic("orders".into())];
        spec.poison = Vec::new();
        spec.maxlen = None;
        spec.retries = 0;
        spec.config = Some(ProducerConfig {
            acks,
            retries: if r.chance(0.3) { 0 } else { i32::MAX as u32 },
            ..ProducerConfig::default()
        });
        s.producers.push(spec);
    }
    for i in 0..r.between(1, 2) {
        let (guarantee, ack) = pick(
            r,
            &[
                (Guarantee::AtMostOnce, AckPolicy::BeforeProcessing),
                (Guarantee::AtMostOnce, AckPolicy::Auto),
                (Guarantee::AtLeastOnce, AckPolicy::AfterEach),
                (Guarantee::AtLeastOnce, AckPolicy::AfterBatch),
            ],
        );
        let workers = (0..r.between(1, 3))
            .map(|w| {
                let mut spec = worker(r, format!("s{i}c{w}"), false);
                spec.failure_probability = 0.0;
                spec.poll_ms = r.chance(0.3).then(|| r.between(50, 500));
                spec
            })
            .collect();
        s.services.push(ServiceSpec {
            name: format!("group {i}"),
            source: Source::Topic(TopicSource {
                topic: "orders".into(),
                group: format!("g{i}"),
                config: ConsumerConfig {
                    auto_offset_reset: AutoOffsetReset::Earliest,
                    session_timeout_ms: r.between(2_000, 10_000),
                    max_poll_records: r.between(1, 20) as u32,
                    auto_commit_interval_ms: r.between(500, 5_000),
                    ..ConsumerConfig::default()
                },
                output: None,
            }),
            guarantee,
            ack: Some(ack),
            workers,
            dead_letter: None,
        });
    }
    if r.chance(0.4) {
        for (i, g) in [Guarantee::AtMostOnce, Guarantee::AtLeastOnce]
            .into_iter()
            .enumerate()
        {
            s.lanes.push(LaneSpec {
                name: format!("lane {i}"),
                guarantee: Some(g),
                ack: None,
                redis: None,
                kafka_producer: None,
            });
        }
    }
    let consumers: Vec<String> = s.workers().map(|(_, w)| w.name.clone()).collect();
    let producers: Vec<String> = s.producers.iter().map(|p| p.name.clone()).collect();
    for _ in 0..r.between(0, 5) {
        let at_ms = r.between(0, duration_ms - 1);
        let broker = format!("broker-{}", r.between(1, 3));
        let role = |r: &mut Rng| {
            if r.chance(0.3) {
                "leader".into()
            } else {
                broker.clone()
            }
        };
        let (kind, role, until_ms, factor) = match r.below(7) {
            0 => (FaultKind::BrokerCrash, role(r), None, None),
            1 => (FaultKind::BrokerRestart, role(r), None, None),
            2 => (
                FaultKind::Disconnect,
                broker.clone(),
                Some(at_ms + r.between(500, 8_000)),
                None,
            ),
            3 => (
                FaultKind::Slow,
                broker.clone(),
                Some(at_ms + r.between(500, 8_000)),
                Some(r.between(2, 20) as f64),
            ),
            4 => (FaultKind::Crash, pick_name(r, &consumers), None, None),
            5 => (FaultKind::Restart, pick_name(r, &consumers), None, None),
            _ => (FaultKind::LoseReply, pick_name(r, &producers), None, None),
        };
        s.faults.push(FaultSpec {
            at_ms,
            kind,
            role: Some(role),
            until_ms,
            factor,
            command: None,
        });
    }
    s.drain_ms = 20_000;
    s
}

fn pick_name(r: &mut Rng, names: &[String]) -> String {
    names[r.below(names.len() as u64) as usize].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_swarm_scenario_is_valid_and_reproducible() {
        for seed in 0..500 {
            let s = scenario(seed);
            s.validate()
                .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{}", s.to_json()));
            assert_eq!(s, scenario(seed));
        }
    }
}
