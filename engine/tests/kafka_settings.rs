//! Kafka settings changed on the built-ins (the Kafka lab's toggles): the
//! safe settings stop seed 003's losses, Kafka's refusals are refused with
//! Kafka's reason, the values read back, and the same seed gives the same
//! trace.

use ackscope_engine::kafka::Acks;
use ackscope_engine::scenario::{
    AckPolicy, Guarantee, KafkaSetting, RETRIES_DEFAULT, Scenario, SettingKind, builtin,
};
use ackscope_engine::sim::Timeline;

use KafkaSetting::*;

fn scenario(name: &str, settings: &[KafkaSetting]) -> Scenario {
    builtin::by_name(name)
        .expect(name)
        .with_kafka_settings(settings)
        .unwrap_or_else(|e| panic!("{name} {settings:?}: {e}"))
}

fn lost(name: &str, settings: &[KafkaSetting], seed: u64) -> (u64, u64) {
    let t = Timeline::run(scenario(name, settings), seed);
    assert_eq!(t.violation(), None, "{name} {settings:?} seed {seed}");
    let c = t.end().lane(0).service_counts(0);
    (c.lost, c.duplicates)
}

#[test]
fn acks_all_with_min_insync_2_loses_nothing_where_acks_1_lost() {
    let safe = [Acks(Acks::All), MinInsyncReplicas(2)];
    for seed in 1..=5 {
        assert_eq!(
            lost("kafka-acks1-leader-crash", &[], seed).0,
            1,
            "seed {seed}"
        );
        assert_eq!(
            lost("kafka-acks1-leader-crash", &safe, seed),
            (0, 0),
            "seed {seed}"
        );
    }
}

#[test]
fn acks_all_alone_already_saves_the_record_of_seed_003() {
    for seed in 1..=5 {
        let (gone, _) = lost("kafka-acks1-leader-crash", &[Acks(Acks::All)], seed);
        assert_eq!(gone, 0, "seed {seed}");
    }
}

#[test]
fn retries_on_lose_nothing_where_retries_0_lost() {
    for seed in 1..=5 {
        assert!(
            lost("kafka-acksall-no-retry", &[], seed).0 > 0,
            "seed {seed}"
        );
        let (gone, _) = lost("kafka-acksall-no-retry", &[Retries(RETRIES_DEFAULT)], seed);
        assert_eq!(gone, 0, "seed {seed}");
    }
}

#[test]
fn the_same_seed_gives_the_same_trace() {
    let s = scenario("kafka-acks1-leader-crash", &[Acks(Acks::All), Retries(0)]);
    let a = Timeline::run(s.clone(), 3).fingerprint();
    let b = Timeline::run(s, 3).fingerprint();
    assert_eq!(a, b);
    let own = Timeline::run(builtin::by_name("kafka-acks1-leader-crash").unwrap(), 3);
    assert_ne!(a, own.fingerprint(), "the settings change the run");
}

#[test]
fn kafka_refuses_an_explicit_idempotence_that_conflicts() {
    let check = |name: &str, settings: &[KafkaSetting], reason: &str| {
        let e = builtin::by_name(name)
            .unwrap()
            .with_kafka_settings(settings)
            .unwrap_err()
            .0;
        assert!(
            e.starts_with("org.apache.kafka.common.config.ConfigException: "),
            "{e}"
        );
        assert!(e.contains(reason), "{e}");
    };
    let acks = "Must set acks to all in order to use the idempotent producer.";
    check("kafka-acks1-leader-crash", &[Idempotence(true)], acks);
    check(
        "kafka-acksall-safe",
        &[Idempotence(true), Acks(Acks::Zero)],
        acks,
    );
    check(
        "kafka-acksall-no-retry",
        &[Idempotence(true)],
        "Must set retries to non-zero when using the idempotent producer.",
    );
    // Not set explicitly, a conflict turns idempotence off silently.
    let s = scenario("kafka-acksall-safe", &[Acks(Acks::One)]);
    assert_eq!(
        s.kafka_setting(SettingKind::Idempotence),
        Some(Idempotence(false))
    );
    // Not a Kafka scenario: no Kafka settings.
    let redis = builtin::by_name("stream-dead-letter").unwrap();
    assert!(redis.with_kafka_settings(&[]).is_err());
    assert_eq!(redis.kafka_setting(SettingKind::Acks), None);
}

#[test]
fn each_setting_reads_back_as_set() {
    let s = builtin::by_name("kafka-acks1-leader-crash").unwrap();
    let own: Vec<_> = SettingKind::ALL.map(|k| s.kafka_setting(k)).into();
    assert_eq!(
        own,
        [
            Some(Acks(Acks::One)),
            Some(MinInsyncReplicas(1)),
            Some(UncleanLeaderElection(false)),
            Some(Retries(RETRIES_DEFAULT)),
            Some(Idempotence(false)),
            Some(AutoCommit(false)),
        ]
    );
    let set = [
        Acks(Acks::All),
        MinInsyncReplicas(2),
        UncleanLeaderElection(true),
        Retries(0),
        Idempotence(false),
        AutoCommit(true),
    ];
    let changed = s.with_kafka_settings(&set).unwrap();
    for setting in set {
        assert_eq!(changed.kafka_setting(setting.kind()), Some(setting));
    }
    assert_eq!(
        (changed.services[0].guarantee, changed.services[0].ack),
        (Guarantee::AtMostOnce, Some(AckPolicy::Auto))
    );
    let off = changed.with_kafka_settings(&[AutoCommit(false)]).unwrap();
    assert_eq!(
        (off.services[0].guarantee, off.services[0].ack),
        (Guarantee::AtLeastOnce, Some(AckPolicy::AfterEach))
    );
    // Producers that disagree read as no single value.
    let mixed = builtin::by_name("kafka-min-isr-blocks").unwrap();
    assert_eq!(mixed.kafka_setting(SettingKind::Acks), None);
    let auto = builtin::by_name("kafka-auto-commit").unwrap();
    assert_eq!(
        auto.kafka_setting(SettingKind::AutoCommit),
        Some(AutoCommit(true))
    );
    let lanes = builtin::by_name("kafka-commit-before-processing").unwrap();
    let all_auto = lanes.with_kafka_settings(&[AutoCommit(true)]).unwrap();
    assert_eq!(
        all_auto.kafka_setting(SettingKind::AutoCommit),
        Some(AutoCommit(true))
    );
}

#[test]
fn names_and_values_are_kafkas_and_parse_back() {
    for kind in SettingKind::ALL {
        assert_eq!(
            SettingKind::from_config_name(kind.config_name()),
            Some(kind)
        );
        for choice in kind.choices(&builtin::by_name("kafka-acksall-safe").unwrap()) {
            let text = choice.value_text();
            assert_eq!(
                KafkaSetting::parse(choice.config_name(), &text),
                Some(choice)
            );
        }
    }
    assert_eq!(Retries(RETRIES_DEFAULT).to_property(), "retries=2147483647");
    assert_eq!(KafkaSetting::parse("acks", "-1"), Some(Acks(Acks::All)));
    for (name, value) in [
        ("acks", "2"),
        ("retries", "3"),
        ("min.insync.replicas", "0"),
        ("min.insync.replicas", "10"),
        ("enable.idempotence", "yes"),
        ("linger.ms", "5"),
    ] {
        assert_eq!(KafkaSetting::parse(name, value), None, "{name}={value}");
    }
}

#[test]
fn only_settings_that_change_something_are_kept() {
    let s = builtin::by_name("kafka-acks1-leader-crash").unwrap();
    // acks=1 already: nothing to keep; the last of a kind wins.
    assert_eq!(s.needed_kafka_settings(&[Acks(Acks::One)]), []);
    assert_eq!(
        s.needed_kafka_settings(&[Acks(Acks::Zero), MinInsyncReplicas(2), Acks(Acks::All)]),
        [Acks(Acks::All), MinInsyncReplicas(2)]
    );
    // Idempotence is off with acks=1 anyway; with acks=all, off matters.
    assert_eq!(s.needed_kafka_settings(&[Idempotence(false)]), []);
    assert_eq!(
        s.needed_kafka_settings(&[Acks(Acks::All), Idempotence(false)]),
        [Acks(Acks::All), Idempotence(false)]
    );
}
