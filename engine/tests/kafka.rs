//! Scenario tests of the Kafka model: seed 003's two losses, the safe
//! configuration that avoids them, unclean election, NOT_ENOUGH_REPLICAS
//! _AFTER_APPEND and duplicates, auto-commit across a consumer crash,
//! rebalances resuming from committed offsets, and determinism.

use ackscope_engine::kafka::describe::{describe_group, describe_topic};
use ackscope_engine::kafka::{
    Acks, AutoOffsetReset, BrokerConfig, Cluster, ConsumerConfig, ErrorCode, Event, ProducerConfig,
    SendOutcome, TopicConfig,
};
use ackscope_engine::{SimDuration, SimTime};

fn at(ms: u64) -> SimTime {
    SimTime::START + SimDuration::from_ms(ms)
}

fn cluster(config: BrokerConfig, topic: TopicConfig) -> Cluster {
    let mut c = Cluster::new(
        SimTime::START,
        config,
        &[(1, Some("a")), (2, Some("b")), (3, Some("c"))],
    );
    c.create_topic_with_assignment("orders", vec![vec![1, 2, 3]], topic)
        .unwrap();
    c
}

fn copies(c: &Cluster, broker: u32, value: &str) -> usize {
    c.partition("orders", 0).unwrap().replicas[&broker]
        .log
        .records()
        .iter()
        .filter(|r| r.value == value)
        .count()
}

fn leader_has(c: &Cluster, value: &str) -> usize {
    let p = c.partition("orders", 0).unwrap();
    copies(c, p.leader.unwrap(), value)
}

#[test]
fn seed_003_loss_1_acks_1_leader_dies_before_followers_fetch() {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    let p = c
        .add_producer(ProducerConfig {
            acks: Acks::One,
            ..ProducerConfig::default()
        })
        .unwrap();
    c.advance_to(at(100));
    let s = c.send(p, "orders", 0, "orders-1").unwrap();
    assert_eq!(
        c.send_outcome(p, s),
        Some(&SendOutcome::Acked { offset: Some(0) }),
        "the leader's append is enough for acks=1"
    );
    c.kill_broker(1); // before the followers' first fetch at 500 ms
    c.advance_to(at(20_000));
    let part = c.partition("orders", 0).unwrap();
    assert_eq!(
        part.leader,
        Some(2),
        "first live ISR member in assignment order"
    );
    assert_eq!(part.leader_epoch, 1);
    assert_eq!(
        leader_has(&c, "orders-1"),
        0,
        "the acknowledged record is gone"
    );
    // The old leader comes back and truncates it away (KIP-101).
    c.take_events();
    c.restart_broker(1);
    c.advance_to(at(21_000));
    let truncated = c.take_events().into_iter().any(|e| {
        matches!(&e, Event::LogTruncated { broker: 1, to_offset: 0, lost, .. }
            if lost.len() == 1 && lost[0].value == "orders-1")
    });
    assert!(truncated);
    assert_eq!(copies(&c, 1, "orders-1"), 0);
}

#[test]
fn seed_003_loss_2_acks_all_during_an_election_without_retries() {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    let p = c
        .add_producer(ProducerConfig {
            retries: 0,
            ..ProducerConfig::default()
        })
        .unwrap();
    c.advance_to(at(100));
    let first = c.send(p, "orders", 0, "orders-1").unwrap();
    c.advance_to(at(1_100));
    assert_eq!(
        c.send_outcome(p, first),
        Some(&SendOutcome::Acked { offset: Some(0) })
    );
    // The leader dies; the controller has not noticed yet.
    c.kill_broker(1);
    c.advance_to(at(1_200));
    let lost = c.send(p, "orders", 0, "orders-2").unwrap();
    assert_eq!(
        c.send_outcome(p, lost),
        Some(&SendOutcome::Failed {
            error: ErrorCode::NetworkException
        })
    );
    // Still inside the window: the refreshed metadata names broker 1,
    // because the controller has not fenced it yet.
    c.advance_to(at(5_000));
    let stale = c.send(p, "orders", 0, "orders-3").unwrap();
    assert_eq!(
        c.send_outcome(p, stale),
        Some(&SendOutcome::Failed {
            error: ErrorCode::NetworkException
        }),
        "retries=0: the callback gets the error and nobody sends again"
    );
    // After the election the client finds the new leader.
    c.advance_to(at(10_300));
    c.restart_broker(1);
    let after = c.send(p, "orders", 0, "orders-4").unwrap();
    c.advance_to(at(30_000));
    assert_eq!(
        c.send_outcome(p, after),
        Some(&SendOutcome::Acked { offset: Some(1) })
    );
    for b in [1, 2, 3] {
        assert_eq!(copies(&c, b, "orders-2") + copies(&c, b, "orders-3"), 0);
        assert_eq!(copies(&c, b, "orders-1"), 1);
        assert_eq!(copies(&c, b, "orders-4"), 1);
    }
}

#[test]
fn safe_configuration_loses_nothing_and_duplicates_nothing() {
    let topic = TopicConfig {
        min_insync_replicas: Some(2),
        ..TopicConfig::default()
    };
    let mut c = cluster(BrokerConfig::default(), topic);
    let p = c.add_producer(ProducerConfig::default()).unwrap();
    c.advance_to(at(100));
    let a = c.send(p, "orders", 0, "orders-1").unwrap();
    // The followers copy it at 500 ms; the leader dies before it learns so.
    c.advance_to(at(600));
    c.kill_broker(1);
    let b = c.send(p, "orders", 0, "orders-2").unwrap();
    c.advance_to(at(30_000));
    c.restart_broker(1);
    c.advance_to(at(40_000));
    assert_eq!(
        c.send_outcome(p, a),
        Some(&SendOutcome::Acked { offset: Some(0) })
    );
    assert_eq!(
        c.send_outcome(p, b),
        Some(&SendOutcome::Acked { offset: Some(1) })
    );
    for broker in [1, 2, 3] {
        assert_eq!(copies(&c, broker, "orders-1"), 1, "broker {broker}");
        assert_eq!(copies(&c, broker, "orders-2"), 1, "broker {broker}");
    }
    let events = c.take_events();
    let sent = events
        .iter()
        .filter(|e| matches!(e, Event::ProduceSent { send, .. } if *send == a))
        .count();
    let appended = events
        .iter()
        .filter(|e| matches!(e, Event::RecordAppended { record, .. } if record.value == "orders-1"))
        .count();
    assert!(sent > 1, "orders-1 was retried");
    assert_eq!(
        appended, 1,
        "the retry was recognised by its sequence number"
    );
}

#[test]
fn unclean_election_loses_acknowledged_records() {
    let topic = TopicConfig {
        unclean_leader_election_enable: Some(true),
        ..TopicConfig::default()
    };
    let mut c = cluster(BrokerConfig::default(), topic);
    c.slow_follower(2, Some(1_000_000));
    c.slow_follower(3, Some(1_000_000));
    let p = c
        .add_producer(ProducerConfig {
            acks: Acks::One,
            ..ProducerConfig::default()
        })
        .unwrap();
    c.advance_to(at(100));
    c.send(p, "orders", 0, "orders-0").unwrap();
    c.advance_to(at(46_000));
    assert_eq!(
        c.partition("orders", 0).unwrap().isr,
        vec![1],
        "followers fell out"
    );
    let all = c
        .add_producer(ProducerConfig {
            client_id: "safe".into(),
            ..ProducerConfig::default()
        })
        .unwrap();
    let s = c.send(all, "orders", 0, "orders-1").unwrap();
    assert_eq!(
        c.send_outcome(all, s),
        Some(&SendOutcome::Acked { offset: Some(1) }),
        "acks=all with an ISR of one is the leader alone"
    );
    c.take_events();
    c.kill_broker(1);
    c.advance_to(at(60_000));
    let unclean = c.take_events().into_iter().any(|e| {
        matches!(
            e,
            Event::LeaderElected {
                leader: Some(2),
                clean: false,
                leader_log_end: 0,
                ..
            }
        )
    });
    assert!(unclean);
    assert_eq!(leader_has(&c, "orders-1"), 0);
    let text = describe_topic(&c, "orders").unwrap();
    assert!(
        text.contains("\tLeader: 2\tReplicas: 1,2,3\tIsr: 2\t"),
        "{text}"
    );
}

#[test]
fn clean_election_without_unclean_leaves_the_partition_offline() {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    c.slow_follower(2, Some(1_000_000));
    c.slow_follower(3, Some(1_000_000));
    let p = c.add_producer(ProducerConfig::default()).unwrap();
    c.advance_to(at(100));
    c.send(p, "orders", 0, "orders-0").unwrap();
    c.advance_to(at(46_000));
    c.kill_broker(1);
    c.advance_to(at(60_000));
    let text = describe_topic(&c, "orders").unwrap();
    // With ELR (Kafka ≥ 4.1) the ISR empties and the last member is kept
    // in the ELR, as tests/fixtures/kafka/topics-orders-offline.txt shows.
    assert!(
        text.contains("\tLeader: none\tReplicas: 1,2,3\tIsr: \tElr: 1\tLastKnownElr: 1\n"),
        "{text}"
    );
    let s = c.send(p, "orders", 0, "orders-1").unwrap();
    c.advance_to(at(60_150));
    assert!(c.take_events().iter().any(|e| matches!(
        e,
        Event::RetryScheduled { send, error: ErrorCode::LeaderNotAvailable, .. } if *send == s
    )));
}

fn after_append(idempotent: bool) -> (Cluster, ackscope_engine::kafka::ProducerHandle) {
    let config = BrokerConfig {
        strict_min_isr: false, // Kafka ≤ 3.6
        ..BrokerConfig::default()
    };
    let topic = TopicConfig {
        min_insync_replicas: Some(2),
        ..TopicConfig::default()
    };
    let mut c = cluster(config, topic);
    c.slow_follower(2, Some(1_000_000));
    c.slow_follower(3, Some(1_000_000));
    let p = c
        .add_producer(ProducerConfig {
            enable_idempotence: Some(idempotent),
            request_timeout_ms: 60_000,
            ..ProducerConfig::default()
        })
        .unwrap();
    c.advance_to(at(100));
    c.send(p, "orders", 0, "orders-1").unwrap();
    c.advance_to(at(45_050));
    c.slow_follower(2, None);
    c.advance_to(at(60_000));
    (c, p)
}

#[test]
fn not_enough_replicas_after_append_and_a_plain_retry_duplicates() {
    let (mut c, _) = after_append(false);
    let events = c.take_events();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::ProduceFailed {
            error: ErrorCode::NotEnoughReplicasAfterAppend,
            appended: true,
            ..
        }
    )));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::ProduceFailed {
            error: ErrorCode::NotEnoughReplicas,
            appended: false,
            ..
        }
    )));
    assert_eq!(copies(&c, 1, "orders-1"), 2, "written twice");
}

#[test]
fn not_enough_replicas_after_append_with_idempotence_does_not_duplicate() {
    let (mut c, p) = after_append(true);
    assert_eq!(copies(&c, 1, "orders-1"), 1);
    assert!(c.take_events().iter().any(|e| matches!(
        e,
        Event::SendCompleted { producer, result: SendOutcome::Acked { offset: Some(0) }, .. } if *producer == p
    )));
}

#[test]
fn strict_min_isr_holds_the_hw_and_acks_all_times_out_after_append() {
    let topic = TopicConfig {
        min_insync_replicas: Some(2),
        ..TopicConfig::default()
    };
    let mut c = cluster(BrokerConfig::default(), topic);
    c.slow_follower(2, Some(1_000_000));
    c.slow_follower(3, Some(1_000_000));
    let one = c
        .add_producer(ProducerConfig {
            acks: Acks::One,
            ..ProducerConfig::default()
        })
        .unwrap();
    let all = c.add_producer(ProducerConfig::default()).unwrap();
    c.advance_to(at(100));
    c.send(all, "orders", 0, "orders-1").unwrap();
    c.advance_to(at(46_000));
    let part = c.partition("orders", 0).unwrap();
    assert_eq!((part.isr.clone(), part.high_watermark()), (vec![1], 0));
    // acks=1 is appended but invisible; acks=all is refused before append.
    let s1 = c.send(one, "orders", 0, "orders-2").unwrap();
    assert_eq!(
        c.send_outcome(one, s1),
        Some(&SendOutcome::Acked { offset: Some(1) })
    );
    assert_eq!(c.partition("orders", 0).unwrap().high_watermark(), 0);
    let events = c.take_events();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::ProduceFailed {
            error: ErrorCode::RequestTimedOut,
            appended: true,
            ..
        }
    )));
    c.send(all, "orders", 0, "orders-3").unwrap();
    assert!(c.take_events().iter().any(|e| matches!(
        e,
        Event::ProduceFailed {
            error: ErrorCode::NotEnoughReplicas,
            appended: false,
            ..
        }
    )));
}

fn produce_ten(c: &mut Cluster) {
    let p = c.add_producer(ProducerConfig::default()).unwrap();
    for i in 0..10 {
        c.send(p, "orders", 0, &format!("orders-{i}")).unwrap();
    }
    c.advance_to(c.now() + SimDuration::from_ms(1_500));
    assert_eq!(c.partition("orders", 0).unwrap().high_watermark(), 10);
}

fn consumer(name: &str, auto: bool) -> ConsumerConfig {
    ConsumerConfig {
        group_id: "billing".into(),
        client_id: name.into(),
        enable_auto_commit: auto,
        auto_offset_reset: AutoOffsetReset::Earliest,
        ..ConsumerConfig::default()
    }
}

#[test]
fn auto_commit_loses_what_poll_returned_but_was_not_processed() {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    produce_ten(&mut c);
    let a = c.add_consumer(consumer("a", true));
    c.subscribe(a, &["orders"]).unwrap();
    c.advance_to(c.now() + SimDuration::from_ms(3_000));
    let got = c.poll(a).unwrap();
    assert_eq!(got.len(), 10);
    let processed = 3; // then the next poll, 5 s later, auto-commits all ten
    c.advance_to(c.now() + SimDuration::from_ms(5_000));
    assert!(c.poll(a).unwrap().is_empty());
    assert_eq!(c.committed("billing", "orders", 0), Some(10));
    c.crash_consumer(a);
    let b = c.add_consumer(consumer("b", true));
    c.subscribe(b, &["orders"]).unwrap();
    c.advance_to(c.now() + SimDuration::from_ms(46_000));
    assert!(c.poll(b).unwrap().is_empty(), "b resumes at 10");
    assert_eq!(10 - processed, 7, "seven records were never processed");
    let text = describe_group(&c, "billing").unwrap();
    assert!(
        text.contains(
            "billing         orders          0          10              10              0"
        ),
        "{text}"
    );
}

#[test]
fn auto_commit_repeats_what_was_processed_but_not_committed() {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    produce_ten(&mut c);
    let a = c.add_consumer(consumer("a", true));
    c.subscribe(a, &["orders"]).unwrap();
    c.advance_to(c.now() + SimDuration::from_ms(3_000));
    assert_eq!(c.poll(a).unwrap().len(), 10); // all processed
    c.advance_to(c.now() + SimDuration::from_ms(1_000));
    c.crash_consumer(a); // before auto.commit.interval.ms passed
    assert_eq!(c.committed("billing", "orders", 0), None);
    let b = c.add_consumer(consumer("b", true));
    c.subscribe(b, &["orders"]).unwrap();
    c.advance_to(c.now() + SimDuration::from_ms(46_000));
    let again = c.poll(b).unwrap();
    assert_eq!(again.len(), 10, "processed twice");
    assert_eq!(again[0].value, "orders-0");
}

#[test]
fn a_rebalance_resumes_from_the_committed_offset() {
    let mut c = Cluster::new(
        SimTime::START,
        BrokerConfig::default(),
        &[(1, None), (2, None)],
    );
    c.create_topic("orders", 2, Some(2), TopicConfig::default())
        .unwrap();
    let p = c.add_producer(ProducerConfig::default()).unwrap();
    for i in 0..10 {
        c.send(p, "orders", i % 2, &format!("orders-{i}")).unwrap();
    }
    c.advance_to(at(1_500));
    let a = c.add_consumer(consumer("a", false));
    c.subscribe(a, &["orders"]).unwrap();
    c.advance_to(at(5_000));
    let got = c.poll(a).unwrap();
    assert_eq!(got.len(), 10, "a owns both partitions");
    // a processed two records of partition 1 and committed after them.
    let tp1 = ackscope_engine::kafka::TopicPartition::new("orders", 1);
    c.commit_offsets(a, &[(tp1, 2)]).unwrap();
    let b = c.add_consumer(consumer("b", false));
    c.subscribe(b, &["orders"]).unwrap();
    assert_eq!(c.poll(a).unwrap(), vec![], "a revokes and rejoins");
    c.advance_to(at(5_100));
    let from_b = c.poll(b).unwrap();
    assert_eq!(
        from_b.first().map(|r| (r.tp.partition, r.offset)),
        Some((1, 2))
    );
    assert_eq!(from_b.len(), 3);
    // a has not polled since the rebalance: its generation is stale.
    assert_eq!(c.commit_sync(a), Err(ErrorCode::IllegalGeneration));
    c.poll(a).unwrap();
    assert_eq!(c.commit_sync(a), Ok(()));
}

#[test]
fn a_member_that_stops_polling_is_removed_and_its_commit_fails() {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    produce_ten(&mut c);
    let a = c.add_consumer(ConsumerConfig {
        max_poll_interval_ms: 10_000,
        ..consumer("a", false)
    });
    c.subscribe(a, &["orders"]).unwrap();
    c.advance_to(c.now() + SimDuration::from_ms(3_000));
    assert_eq!(c.poll(a).unwrap().len(), 10);
    c.advance_to(c.now() + SimDuration::from_ms(11_000));
    assert_eq!(c.commit_sync(a), Err(ErrorCode::UnknownMemberId));
}

fn scripted_run() -> Vec<Event> {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    let p = c.add_producer(ProducerConfig::default()).unwrap();
    let q = c.add_consumer(consumer("a", true));
    c.subscribe(q, &["orders"]).unwrap();
    for i in 0..40u64 {
        c.advance_to(at(i * 700));
        c.send(p, "orders", 0, &format!("orders-{i}")).unwrap();
        if i == 10 {
            c.kill_broker(1);
        }
        if i == 30 {
            c.restart_broker(1);
        }
        let _ = c.poll(q);
    }
    c.advance_to(at(60_000));
    c.take_events()
}

#[test]
fn same_inputs_same_events() {
    let a = scripted_run();
    let b = scripted_run();
    assert_eq!(a, b);
    assert!(a.len() > 50);
    let json = serde_json::to_string(&a[0]).unwrap();
    assert!(json.starts_with("{\"type\":\"topic-created\""), "{json}");
}

#[test]
fn followers_learn_the_high_watermark_one_fetch_after_the_leader() {
    let mut c = cluster(BrokerConfig::default(), TopicConfig::default());
    let p = c.add_producer(ProducerConfig::default()).unwrap();
    c.advance_to(at(100));
    c.send(p, "orders", 0, "orders-1").unwrap();
    let hw = |c: &Cluster, b: u32| c.partition("orders", 0).unwrap().replicas[&b].hw;
    // Step the clock until the leader's high watermark moves.
    let mut t = 100;
    while hw(&c, 1) == 0 {
        t += 10;
        assert!(t < 5_000, "the leader's high watermark never moved");
        c.advance_to(at(t));
    }
    assert_eq!(hw(&c, 1), 1);
    // The fetch that moved it (broker 3's, the last of the round) is
    // answered with the new value; broker 2 fetched earlier in the round
    // and still knows the old one.
    assert_eq!(
        (hw(&c, 2), hw(&c, 3)),
        (0, 1),
        "broker 2 learns it only from its next fetch"
    );
    // One fetch interval later, the fetch response has told them.
    c.advance_to(at(t + BrokerConfig::default().follower_fetch_interval_ms));
    assert_eq!((hw(&c, 2), hw(&c, 3)), (1, 1));
}

#[test]
fn a_lagging_follower_leaves_the_isr_and_rejoins_once_caught_up() {
    let config = BrokerConfig {
        replica_lag_time_max_ms: 6_000,
        ..BrokerConfig::default()
    };
    let mut c = cluster(config, TopicConfig::default());
    let p = c.add_producer(ProducerConfig::default()).unwrap();
    c.slow_follower(3, Some(60_000));
    for i in 0..20 {
        c.advance_to(at(500 * i + 100));
        c.send(p, "orders", 0, &format!("orders-{i}")).unwrap();
    }
    c.advance_to(at(12_000));
    let events = c.take_events();
    let shrunk = events
        .iter()
        .any(|e| matches!(e, Event::IsrShrunk { removed: 3, isr, .. } if *isr == vec![1, 2]));
    assert!(shrunk, "broker 3 fell behind for replica.lag.time.max.ms");
    assert_eq!(c.partition("orders", 0).unwrap().isr, vec![1, 2]);
    // Back to normal speed it catches up to the high watermark and rejoins.
    c.slow_follower(3, None);
    c.advance_to(at(20_000));
    let expanded = c
        .take_events()
        .iter()
        .any(|e| matches!(e, Event::IsrExpanded { added: 3, .. }));
    assert!(expanded);
    assert!(c.partition("orders", 0).unwrap().isr.contains(&3));
}
