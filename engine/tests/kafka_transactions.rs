//! Kafka transactions (KIP-98, KIP-447): what `read_committed` consumers
//! see of open, committed and aborted transactions; the last stable offset;
//! fencing by `transactional.id`, and what the fenced instance hears of it;
//! the coordinator's timeout; and the
//! Guarantees lab's Kafka built-in, whose three lanes give what their
//! names promise over seeds 1–20.

use ackscope_engine::kafka::log::Marker;
use ackscope_engine::kafka::producer::TxnPhase;
use ackscope_engine::kafka::{
    AutoOffsetReset, BrokerConfig, Cluster, ConsumerConfig, ConsumerHandle, ErrorCode, Event,
    IsolationLevel, ProducerConfig, ProducerHandle, SendOutcome, TopicConfig, TopicPartition,
    TxnEndReason,
};
use ackscope_engine::scenario::builtin;
use ackscope_engine::sim::Timeline;
use ackscope_engine::{SimDuration, SimTime};

fn cluster() -> Cluster {
    let mut c = Cluster::new(
        SimTime::START,
        BrokerConfig::default(),
        &[(1, Some("a")), (2, Some("b")), (3, Some("c"))],
    );
    for t in ["orders", "invoices"] {
        c.create_topic_with_assignment(t, vec![vec![1, 2, 3]], TopicConfig::default())
            .unwrap();
    }
    c
}

fn later(c: &mut Cluster, ms: u64) {
    let t = c.now() + SimDuration::from_ms(ms);
    c.advance_to(t);
}

fn transactional(c: &mut Cluster, id: &str) -> ProducerHandle {
    let p = c
        .add_producer(ProducerConfig {
            transactional_id: Some(id.into()),
            ..ProducerConfig::default()
        })
        .unwrap();
    c.init_transactions(p).unwrap();
    p
}

fn reader(c: &mut Cluster, group: &str, isolation: IsolationLevel) -> ConsumerHandle {
    let h = c.add_consumer(ConsumerConfig {
        group_id: group.into(),
        client_id: group.into(),
        enable_auto_commit: false,
        auto_offset_reset: AutoOffsetReset::Earliest,
        isolation_level: isolation,
        ..ConsumerConfig::default()
    });
    c.subscribe(h, &["invoices"]).unwrap();
    h
}

/// Polls until the group has settled and nothing more comes; the values.
fn read_all(c: &mut Cluster, h: ConsumerHandle) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..20 {
        out.extend(c.poll(h).unwrap().into_iter().map(|r| r.value));
        later(c, 500);
    }
    out
}

fn lso(c: &Cluster) -> u64 {
    let tp = TopicPartition::new("invoices", 0);
    c.end_offset(&tp, IsolationLevel::ReadCommitted).unwrap()
}

#[test]
fn read_committed_sees_a_transaction_only_once_it_commits() {
    let mut c = cluster();
    let p = transactional(&mut c, "billing-c1");
    c.begin_transaction(p).unwrap();
    c.send(p, "invoices", 0, "inv-1").unwrap();
    c.send(p, "invoices", 0, "inv-2").unwrap();
    later(&mut c, 1_500);
    assert_eq!(
        c.partition("invoices", 0).unwrap().high_watermark(),
        2,
        "the records are replicated"
    );
    assert_eq!(
        lso(&c),
        0,
        "an open transaction holds the last stable offset"
    );
    let committed = reader(&mut c, "shipping", IsolationLevel::ReadCommitted);
    let uncommitted = reader(&mut c, "audit", IsolationLevel::ReadUncommitted);
    assert!(read_all(&mut c, committed).is_empty());
    assert_eq!(read_all(&mut c, uncommitted), ["inv-1", "inv-2"]);
    c.commit_transaction(p).unwrap();
    later(&mut c, 1_500);
    assert_eq!(c.transaction_phase(p), Some(TxnPhase::Ready));
    let log = &c.partition("invoices", 0).unwrap().replicas[&1].log;
    assert_eq!(
        log.records().last().and_then(|r| r.control),
        Some(Marker::Commit),
        "the coordinator's marker takes an offset"
    );
    assert_eq!(lso(&c), 3);
    assert_eq!(read_all(&mut c, committed), ["inv-1", "inv-2"]);
    assert!(
        read_all(&mut c, uncommitted).is_empty(),
        "nobody is handed a marker"
    );
}

#[test]
fn an_aborted_transaction_is_skipped_by_read_committed_only() {
    let mut c = cluster();
    let p = transactional(&mut c, "billing-c1");
    c.begin_transaction(p).unwrap();
    c.send(p, "invoices", 0, "inv-1").unwrap();
    later(&mut c, 1_500);
    c.abort_transaction(p).unwrap();
    later(&mut c, 500);
    c.begin_transaction(p).unwrap();
    c.send(p, "invoices", 0, "inv-2").unwrap();
    later(&mut c, 1_000);
    c.commit_transaction(p).unwrap();
    later(&mut c, 1_500);
    let committed = reader(&mut c, "shipping", IsolationLevel::ReadCommitted);
    let uncommitted = reader(&mut c, "audit", IsolationLevel::ReadUncommitted);
    assert_eq!(read_all(&mut c, committed), ["inv-2"]);
    assert_eq!(read_all(&mut c, uncommitted), ["inv-1", "inv-2"]);
}

/// A zombie: `old` sent inv-zombie in a transaction, then a new instance
/// of its `transactional.id` initialized. Returns (old, new).
fn zombie(c: &mut Cluster) -> (ProducerHandle, ProducerHandle) {
    let old = transactional(c, "billing-c1");
    c.begin_transaction(old).unwrap();
    c.send(old, "invoices", 0, "inv-zombie").unwrap();
    later(c, 1_500);
    c.take_events();
    let new = transactional(c, "billing-c1");
    (old, new)
}

/// What producer `p`'s send `value` to `topic`-0 ended with.
fn send_error(c: &mut Cluster, p: ProducerHandle, topic: &str, value: &str) -> Option<ErrorCode> {
    match c.send(p, topic, 0, value) {
        Err(thrown) => Some(thrown.error),
        Ok(s) => {
            later(c, 1_500);
            match c.send_outcome(p, s) {
                Some(SendOutcome::Failed { error }) => Some(*error),
                _ => None,
            }
        }
    }
}

#[test]
fn a_new_instance_fences_the_old_and_aborts_what_it_left_open() {
    let mut c = cluster();
    let (old, new) = zombie(&mut c);
    let events = c.take_events();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::TransactionEnded {
            marker: Marker::Abort,
            reason: TxnEndReason::Fenced,
            epoch: 1,
            ..
        }
    )));
    assert_eq!(
        c.transaction_phase(old),
        Some(TxnPhase::InTransaction),
        "nobody tells the old instance"
    );
    c.begin_transaction(new).unwrap();
    c.send(new, "invoices", 0, "inv-1").unwrap();
    later(&mut c, 1_000);
    c.commit_transaction(new).unwrap();
    later(&mut c, 1_500);
    let shipping = reader(&mut c, "shipping", IsolationLevel::ReadCommitted);
    assert_eq!(read_all(&mut c, shipping), ["inv-1"]);
}

#[test]
fn a_zombie_learns_from_the_leader_then_rethrows_with_its_id_and_epoch() {
    let mut c = cluster();
    let (old, _) = zombie(&mut c);
    assert_eq!(
        send_error(&mut c, old, "invoices", "inv-late"),
        Some(ErrorCode::InvalidProducerEpoch),
        "the ABORT marker's newer epoch reached the partition"
    );
    assert_eq!(c.transaction_phase(old), Some(TxnPhase::AbortableError));
    let thrown = c.commit_transaction(old).unwrap_err();
    assert_eq!(thrown.error, ErrorCode::InvalidProducerEpoch);
    assert_eq!(
        thrown.message(),
        Some(
            "Producer with transactionalId 'billing-c1' and (producerId=0, epoch=0) \
             attempted to produce with an old epoch"
        )
    );
    // Aborting is allowed, but EndTxn reaches the coordinator: fatal.
    c.abort_transaction(old).unwrap();
    later(&mut c, 100);
    assert_eq!(c.transaction_phase(old), Some(TxnPhase::FatalError));
    assert_eq!(c.transaction_error(old), Some(ErrorCode::ProducerFenced));
    assert!(
        c.take_events()
            .iter()
            .any(|e| matches!(e, Event::ProducerFenced { producer, .. } if *producer == old))
    );
    let thrown = c.begin_transaction(old).unwrap_err();
    assert_eq!(
        thrown.to_string(),
        "org.apache.kafka.common.errors.ProducerFencedException: Producer with \
         transactionalId 'billing-c1' and (producerId=0, epoch=0) has been fenced by \
         another producer with the same transactionalId"
    );
}

#[test]
fn a_zombie_whose_call_reaches_the_coordinator_first_is_fenced() {
    // A partition new to its transaction: AddPartitionsToTxn.
    let mut c = cluster();
    let (old, _) = zombie(&mut c);
    assert_eq!(
        send_error(&mut c, old, "orders", "late"),
        Some(ErrorCode::ProducerFenced)
    );
    assert_eq!(c.transaction_phase(old), Some(TxnPhase::FatalError));
    // EndTxn, no send having failed: commitTransaction() throws Kafka's
    // own ProducerFencedException.
    let mut c = cluster();
    let (old, _) = zombie(&mut c);
    c.commit_transaction(old).unwrap();
    later(&mut c, 100);
    assert_eq!(c.transaction_phase(old), Some(TxnPhase::FatalError));
    assert_eq!(c.transaction_error(old), Some(ErrorCode::ProducerFenced));
    assert_eq!(
        send_error(&mut c, old, "invoices", "late"),
        Some(ErrorCode::ProducerFenced),
        "every later call rethrows it"
    );
}

#[test]
fn the_coordinator_aborts_a_transaction_left_open_past_its_timeout() {
    let mut c = cluster();
    let p = c
        .add_producer(ProducerConfig {
            transactional_id: Some("billing-c1".into()),
            transaction_timeout_ms: 5_000,
            ..ProducerConfig::default()
        })
        .unwrap();
    c.init_transactions(p).unwrap();
    c.begin_transaction(p).unwrap();
    c.send(p, "invoices", 0, "inv-1").unwrap();
    c.take_events();
    later(&mut c, 6_000);
    let events = c.take_events();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::TransactionEnded {
            reason: TxnEndReason::TimedOut,
            ..
        }
    )));
    assert_eq!(
        lso(&c),
        c.partition("invoices", 0).unwrap().high_watermark()
    );
    // The coordinator bumped the epoch: the producer learns it from its
    // commit's EndTxn.
    assert_eq!(c.transaction_phase(p), Some(TxnPhase::InTransaction));
    c.commit_transaction(p).unwrap();
    later(&mut c, 100);
    assert_eq!(c.transaction_phase(p), Some(TxnPhase::FatalError));
}

#[test]
fn offsets_sent_to_a_transaction_are_committed_with_it_and_not_without() {
    let mut c = cluster();
    let producer = c.add_producer(ProducerConfig::default()).unwrap();
    for i in 1..=4 {
        c.send(producer, "orders", 0, &format!("order-{i}"))
            .unwrap();
    }
    let group = c.add_consumer(ConsumerConfig {
        group_id: "billing".into(),
        client_id: "c1".into(),
        enable_auto_commit: false,
        auto_offset_reset: AutoOffsetReset::Earliest,
        ..ConsumerConfig::default()
    });
    c.subscribe(group, &["orders"]).unwrap();
    later(&mut c, 4_000);
    let records = c.poll(group).unwrap();
    assert_eq!(records.len(), 4);
    let p = transactional(&mut c, "billing-c1");
    let tp = TopicPartition::new("orders", 0);
    c.begin_transaction(p).unwrap();
    c.send(p, "invoices", 0, "inv-1").unwrap();
    c.send_offsets_to_transaction(p, group, &[(tp.clone(), 2)])
        .unwrap();
    later(&mut c, 1_000);
    c.abort_transaction(p).unwrap();
    later(&mut c, 100);
    assert_eq!(
        c.committed("billing", "orders", 0),
        None,
        "aborted: no offset"
    );
    c.begin_transaction(p).unwrap();
    c.send(p, "invoices", 0, "inv-1").unwrap();
    c.send_offsets_to_transaction(p, group, &[(tp, 2)]).unwrap();
    later(&mut c, 1_000);
    c.commit_transaction(p).unwrap();
    later(&mut c, 1_000);
    assert_eq!(c.committed("billing", "orders", 0), Some(2));
}

#[test]
fn commit_flushes_the_sends_first_and_sends_need_a_transaction_begun() {
    let mut c = cluster();
    let p = transactional(&mut c, "billing-c1");
    c.begin_transaction(p).unwrap();
    c.send(p, "invoices", 0, "inv-1").unwrap();
    c.commit_transaction(p).unwrap();
    assert_eq!(
        c.transaction_phase(p),
        Some(TxnPhase::Committing),
        "commitTransaction() flushes first"
    );
    later(&mut c, 1_500);
    assert_eq!(c.transaction_phase(p), Some(TxnPhase::Ready));
    assert!(matches!(
        c.send(p, "invoices", 0, "inv-2").map_err(|t| t.error),
        Err(ErrorCode::InvalidTxnState)
    ));
    assert_eq!(
        c.commit_transaction(p).map_err(|t| t.error),
        Err(ErrorCode::InvalidTxnState),
        "no transaction begun"
    );
}

#[test]
fn guarantees_side_by_side_kafka_gives_each_lane_its_guarantee_over_seeds_1_to_20() {
    let scenario = builtin::by_name("guarantees-side-by-side-kafka").unwrap();
    for seed in 1..=20 {
        let t = Timeline::run(scenario.clone(), seed);
        assert_eq!(t.violation(), None, "seed {seed}");
        let end = t.end();
        let counts: Vec<_> = (0..3).map(|l| end.lane(l).service_counts(0)).collect();
        let [amo, alo, eos] = [&counts[0], &counts[1], &counts[2]];
        assert!(
            amo.lost > 0 && amo.duplicates == 0,
            "seed {seed}: at-most-once {amo:?}"
        );
        assert!(
            alo.lost == 0 && alo.duplicates > 0,
            "seed {seed}: at-least-once {alo:?}"
        );
        assert!(
            eos.lost == 0 && eos.duplicates == 0 && eos.in_flight == 0,
            "seed {seed}: exactly-once {eos:?}"
        );
        assert!(
            amo.produced == alo.produced && alo.produced == eos.produced,
            "seed {seed}: the same workload"
        );
    }
}
