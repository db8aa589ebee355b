//! The Kafka model against a real Kafka: `tests/fixtures/kafka/*.txt` were
//! recorded from Apache Kafka 4.4 (KRaft: one controller, brokers 1, 2, 3 in
//! racks a, b, c) by `cargo xtask record-kafka`, which plays a story —
//! topics created, records produced, groups consuming, transactions
//! committed, aborted, held open and fenced, offsets committed through a
//! transaction, brokers killed and restarted — and saves what
//! `kafka-topics.sh --describe`, `kafka-consumer-groups.sh --describe` and a
//! small Java client (`fixtures/kafka/recorder/Recorder.java`) printed. This
//! test plays the same story on `ackscope_engine::kafka::Cluster` and
//! compares the model's `describe_topic` / `describe_group` output with the
//! recording byte for byte, column layout included, the producer's
//! outcomes and error names with what the Java client reported, and for
//! transactions (`txn-*`, `read-*`, `groups-shipping-txn`) the offsets
//! records and markers took, what each isolation level read, its position
//! and `endOffsets` (for `read_committed`, the last stable offset).
//!
//! Masked on both sides, because they cannot match:
//! - the TopicId (`TopicId: …`): Kafka draws a random UUID per topic; the
//!   model derives one from the name;
//! - the UUID in a member id (`billing-1-<uuid>`): Kafka draws it when the
//!   member joins; the model counts in the same shape, so the CONSUMER-ID
//!   column keeps its width and the layout is still compared;
//! - the producer id in an exception's message (`producerId=1004`): Kafka's
//!   brokers take producer ids in blocks of 1000 from the controller, and
//!   which broker serves a producer depends on random placement; the model
//!   counts from 0 (a `DIFFERENCES` entry). The epoch beside it is
//!   compared.
//!
//! Not compared: the message of the delivery timeout's `TimeoutException`
//! (it carries the milliseconds Kafka measured), and how many times the
//! producer retried (Kafka backs off exponentially up to 1 s; the model
//! retries every `retry.backoff.ms`) — only which errors it retried on.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ackscope_engine::kafka::describe::{describe_group, describe_group_stderr, describe_topic};
use ackscope_engine::kafka::producer::TxnPhase;
use ackscope_engine::kafka::{
    Acks, AutoOffsetReset, BrokerConfig, BrokerId, Cluster, ConsumerConfig, ConsumerHandle,
    ErrorCode, Event, IsolationLevel, ProducerConfig, ProducerHandle, SendId, SendOutcome, Thrown,
    TopicConfig, TopicPartition,
};
use ackscope_engine::{SimDuration, SimTime};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/kafka")
}

/// A recorded command: its header lines (without `# `), its stdout and,
/// where kept, its stderr.
struct Fixture {
    header: Vec<String>,
    stdout: String,
    stderr: Option<String>,
}

fn fixture(name: &str) -> Fixture {
    let path = fixture_dir().join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (head, body) = text
        .split_once("--- stdout\n")
        .unwrap_or_else(|| panic!("{name}.txt has no `--- stdout` line"));
    let header = head
        .lines()
        .map(|l| l.strip_prefix("# ").unwrap_or(l).to_string())
        .collect();
    let (stdout, stderr) = if let Some(rest) = body.strip_prefix("--- stderr\n") {
        (String::new(), Some(rest.to_string()))
    } else {
        match body.split_once("\n--- stderr\n") {
            Some((out, err)) => (format!("{out}\n"), Some(err.to_string())),
            None => (body.to_string(), None),
        }
    };
    Fixture {
        header,
        stdout,
        stderr,
    }
}

// ----- masks -----

/// `TopicId: <22 characters>` → `TopicId: <topic-id>`.
fn mask_topic_ids(text: &str) -> String {
    text.split('\t')
        .map(|field| match field.strip_prefix("TopicId: ") {
            Some(_) => "TopicId: <topic-id>".to_string(),
            None => field.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\t")
}

/// Every UUID (8-4-4-4-12 lowercase hex) → `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`,
/// the same length, so column widths are kept.
fn mask_uuids(text: &str) -> String {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    let is_uuid_at = |at: usize| {
        let mut i = at;
        for (k, len) in SHAPE.iter().enumerate() {
            if k > 0 {
                if bytes.get(i) != Some(&b'-') {
                    return false;
                }
                i += 1;
            }
            for _ in 0..*len {
                match bytes.get(i) {
                    Some(b) if b.is_ascii_digit() || (b'a'..=b'f').contains(b) => i += 1,
                    _ => return false,
                }
            }
        }
        true
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if is_uuid_at(i) {
            out.push_str("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
            i += 36;
        } else {
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + len]);
            i += len;
        }
    }
    out
}

/// `producerId=<digits>` → `producerId=<producer-id>`.
fn mask_producer_ids(text: &str) -> String {
    const KEY: &str = "producerId=";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        let (head, tail) = rest.split_at(at + KEY.len());
        out.push_str(head);
        let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str("<producer-id>");
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

fn mask(text: &str) -> String {
    mask_producer_ids(&mask_uuids(&mask_topic_ids(text)))
}

// ----- the comparison -----

/// The fixtures checked and the differences found.
#[derive(Default)]
struct Report {
    checked: BTreeSet<String>,
    failures: Vec<String>,
    /// Every event the model recorded over the story, in order.
    events: Vec<Event>,
}

impl Report {
    /// Compares one recorded stream with the model's, masked.
    fn compare(&mut self, name: &str, stream: &str, recorded: &str, model: &str) {
        let (recorded, model) = (mask(recorded), mask(model));
        if recorded == model {
            return;
        }
        let mut text = format!("=== {name} ({stream}): the model differs from Kafka\n");
        let (r, m): (Vec<&str>, Vec<&str>) = (recorded.lines().collect(), model.lines().collect());
        for i in 0..r.len().max(m.len()) {
            if r.get(i) != m.get(i) {
                text.push_str(&format!(
                    "line {}:\n  kafka: {:?}\n  model: {:?}\n",
                    i + 1,
                    r.get(i),
                    m.get(i)
                ));
            }
        }
        if recorded.ends_with('\n') != model.ends_with('\n') {
            text.push_str("  (only one of them ends with a newline)\n");
        }
        self.failures.push(text);
    }

    /// Checks fixture `name` against the model's stdout and, if the
    /// fixture kept it, its stderr.
    fn check(&mut self, name: &str, stdout: &str, stderr: Option<&str>) {
        let f = fixture(name);
        assert!(
            f.header.iter().any(|l| l.contains("Apache Kafka 4.")),
            "{name}.txt does not say it was recorded from Kafka 4.x"
        );
        self.checked.insert(name.to_string());
        self.compare(name, "stdout", &f.stdout, stdout);
        if let (Some(recorded), Some(model)) = (f.stderr.as_deref(), stderr) {
            self.compare(name, "stderr", recorded, model);
        }
    }

    fn topic(&mut self, name: &str, c: &Cluster, topic: &str) {
        let out = describe_topic(c, topic).expect("the topic exists");
        self.check(name, &out, None);
    }

    fn group(&mut self, name: &str, c: &Cluster, group: &str) {
        let out = describe_group(c, group).expect("the group exists");
        let err = describe_group_stderr(c, group).expect("the group exists");
        self.check(name, &out, Some(&err));
    }
}

// ----- the story, as the recorder played it -----

fn at(ms: u64) -> SimTime {
    SimTime::START + SimDuration::from_ms(ms)
}

fn later(c: &mut Cluster, ms: u64) {
    let t = c.now() + SimDuration::from_ms(ms);
    c.advance_to(t);
}

/// `kafka-topics.sh --create` of both topics, as the recorder ran it.
fn cluster() -> Cluster {
    let brokers: [(BrokerId, Option<&str>); 3] = [(1, Some("a")), (2, Some("b")), (3, Some("c"))];
    let mut c = Cluster::new(SimTime::START, BrokerConfig::default(), &brokers);
    let orders = TopicConfig {
        min_insync_replicas: Some(2),
        ..TopicConfig::default()
    };
    c.create_topic_with_assignment("orders", vec![vec![1, 2, 3]], orders)
        .unwrap();
    let payments = TopicConfig {
        unclean_leader_election_enable: Some(true),
        ..TopicConfig::default()
    };
    let assignment = vec![vec![1, 2, 3], vec![2, 3, 1], vec![3, 1, 2]];
    c.create_topic_with_assignment("payments", assignment, payments)
        .unwrap();
    c
}

/// The recorder's `produce`: a new producer sends `<prefix>-0…` one at a
/// time, each waiting for its callback. Returns its lines, as the recorder
/// prints them, and every error a retry was scheduled for.
fn produce(
    c: &mut Cluster,
    log: &mut Vec<Event>,
    config: ProducerConfig,
    tp: (&str, u32),
    count: u32,
    prefix: &str,
) -> (String, BTreeSet<ErrorCode>) {
    let p = c.add_producer(config).unwrap();
    let mut lines = String::new();
    let mut retried = BTreeSet::new();
    for i in 0..count {
        let value = format!("{prefix}-{i}");
        let s = c.send(p, tp.0, tp.1, &value).unwrap();
        let outcome = callback(c, p, s);
        for e in c.take_events() {
            if let Event::RetryScheduled { error, .. } = e {
                retried.insert(error);
            }
            log.push(e);
        }
        let line = match outcome {
            SendOutcome::Acked { offset } => format!("{value} offset {}", offset.unwrap()),
            SendOutcome::Failed { error } => {
                format!("{value} {} [{}]", failed(error), error.name())
            }
        };
        lines.push_str(&line);
        lines.push('\n');
    }
    (lines, retried)
}

/// Moves the clock, one due moment at a time, until `done` holds.
fn until(c: &mut Cluster, mut done: impl FnMut(&Cluster) -> bool) {
    for _ in 0..10_000 {
        if done(c) {
            return;
        }
        let next = c
            .next_due()
            .unwrap_or(c.now())
            .max(c.now() + SimDuration::from_ms(1));
        c.advance_to(next);
    }
    panic!("waited 10,000 steps in vain");
}

/// `send(…).get()`: what the callback of send `s` was told.
fn callback(c: &mut Cluster, p: ProducerHandle, s: SendId) -> SendOutcome {
    until(c, |c| c.send_outcome(p, s).is_some());
    c.send_outcome(p, s).cloned().expect("the callback ran")
}

/// `failed <exception class>: <message>`, as the recorder prints a call's
/// exception.
fn failed(thrown: impl Into<Thrown>) -> String {
    let thrown = thrown.into();
    format!(
        "failed {}: {}",
        thrown.error.exception(),
        thrown.message().unwrap_or("-")
    )
}

/// The recorder's `consume`: polls until `records` came back, commits
/// `commit` on every partition read. The consumer stays in its group.
fn consume(
    c: &mut Cluster,
    group: &str,
    topic: &str,
    records: usize,
    commit: u64,
) -> ConsumerHandle {
    let q = c.add_consumer(ConsumerConfig {
        group_id: group.into(),
        client_id: format!("{group}-1"),
        enable_auto_commit: false,
        auto_offset_reset: AutoOffsetReset::Earliest,
        ..ConsumerConfig::default()
    });
    c.subscribe(q, &[topic]).unwrap();
    let mut read: BTreeSet<u32> = BTreeSet::new();
    let mut got = 0;
    for _ in 0..300 {
        if got >= records {
            break;
        }
        for r in c.poll(q).unwrap() {
            got += 1;
            read.insert(r.tp.partition);
        }
        later(c, 200);
    }
    assert_eq!(got, records, "the consumer of {group} read everything");
    let offsets: Vec<(TopicPartition, u64)> = read
        .iter()
        .map(|p| (TopicPartition::new(topic, *p), commit))
        .collect();
    c.commit_offsets(q, &offsets).unwrap();
    q
}

fn topics_and_groups(c: &mut Cluster, report: &mut Report) {
    report.topic("topics-orders-healthy", c, "orders");
    report.topic("topics-payments-three-partitions", c, "payments");
    let (lines, _) = produce(
        c,
        &mut report.events,
        ProducerConfig::default(),
        ("orders", 0),
        10,
        "orders",
    );
    report.check("produce-orders-healthy", &lines, None);
    let billing = consume(c, "billing", "orders", 10, 7);
    report.group("groups-billing-active", c, "billing");
    c.close_consumer(billing);
    produce(
        c,
        &mut report.events,
        ProducerConfig::default(),
        ("orders", 0),
        5,
        "more",
    );
    report.group("groups-billing-empty", c, "billing");
    for (partition, count) in [(0, 4), (1, 3), (2, 2)] {
        produce(
            c,
            &mut report.events,
            ProducerConfig::default(),
            ("payments", partition),
            count,
            "payments",
        );
    }
    let audit = consume(c, "audit", "payments", 9, 2);
    report.group("groups-audit-three-partitions", c, "audit");
    c.close_consumer(audit);
}

// ----- transactions -----

/// A transactional producer of `transactional.id` `id`, initialized.
fn transactional(c: &mut Cluster, id: &str) -> ProducerHandle {
    let config = ProducerConfig {
        transactional_id: Some(id.into()),
        ..ProducerConfig::default()
    };
    let p = c.add_producer(config).unwrap();
    c.init_transactions(p).unwrap();
    p
}

/// Sends `values` to `topic`-0 in `p`'s open transaction, each waiting for
/// its callback; the recorder's `<value> offset <n>` lines.
fn send_all(c: &mut Cluster, p: ProducerHandle, topic: &str, values: &[String]) -> String {
    let mut lines = String::new();
    for value in values {
        let s = c.send(p, topic, 0, value).unwrap();
        let line = match callback(c, p, s) {
            SendOutcome::Acked { offset } => format!("{value} offset {}\n", offset.unwrap()),
            SendOutcome::Failed { error } => format!("{value} {}\n", failed(error)),
        };
        lines.push_str(&line);
    }
    lines
}

/// `commitTransaction()`, which returns once the transaction has ended,
/// or throws what ended it otherwise.
fn commit(c: &mut Cluster, p: ProducerHandle) -> Result<(), Thrown> {
    c.commit_transaction(p)?;
    until(c, |c| c.transaction_phase(p) != Some(TxnPhase::Committing));
    match c.transaction_error(p) {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

/// How the recorder's `txn` ends its transaction.
enum End {
    Commit,
    Abort,
    /// Left open (`ready`), for the caller to commit later.
    Hold,
}

/// The recorder's `txn`: `count` records `<prefix>-<i>` to invoices-0 in a
/// transaction of a new instance of `id`, ended as `end` says. The lines
/// and the producer.
fn txn(c: &mut Cluster, id: &str, count: u32, prefix: &str, end: End) -> (String, ProducerHandle) {
    let p = transactional(c, id);
    c.begin_transaction(p).unwrap();
    let values: Vec<String> = (0..count).map(|i| format!("{prefix}-{i}")).collect();
    let mut lines = send_all(c, p, "invoices", &values);
    match end {
        End::Commit => {
            commit(c, p).unwrap();
            lines.push_str("committed\n");
        }
        End::Abort => {
            c.abort_transaction(p).unwrap();
            until(c, |c| c.transaction_phase(p) == Some(TxnPhase::Ready));
            lines.push_str("aborted\n");
        }
        End::Hold => lines.push_str("ready\n"),
    }
    (lines, p)
}

/// The recorder's `read`: under each isolation level, a new consumer
/// reads `topic`-0 from its beginning until its position reaches the end
/// offset it was told first. (The recorder's consumer has no group; here
/// each has a group of its own, which no fixture describes.)
fn read(c: &mut Cluster, topic: &str) -> String {
    // A new JVM: a second passes before it asks, time enough for the
    // last transaction's marker to replicate (the last stable offset waits
    // for the marker to pass the high watermark, in Kafka as here).
    later(c, 1_000);
    let tp = TopicPartition::new(topic, 0);
    let mut out = String::new();
    for (name, isolation) in [
        ("read_committed", IsolationLevel::ReadCommitted),
        ("read_uncommitted", IsolationLevel::ReadUncommitted),
    ] {
        let end = c.end_offset(&tp, isolation).expect("a leader");
        let q = c.add_consumer(ConsumerConfig {
            group_id: format!("{topic}-{name}-{}", c.now().as_ms()),
            enable_auto_commit: false,
            auto_offset_reset: AutoOffsetReset::Earliest,
            isolation_level: isolation,
            ..ConsumerConfig::default()
        });
        c.subscribe(q, &[topic]).unwrap();
        out.push_str(&format!("{name}\n"));
        for _ in 0..300 {
            if c.position(q, &tp).is_some_and(|p| p >= end) {
                break;
            }
            for r in c.poll(q).unwrap() {
                out.push_str(&format!("{} {}\n", r.offset, r.value));
            }
            later(c, 200);
        }
        let position = c.position(q, &tp).expect("polled");
        out.push_str(&format!("position {position}\nendOffsets {end}\n"));
        c.close_consumer(q);
    }
    out
}

/// The recorder's `fence`: two instances of one `transactional.id`.
fn fence(c: &mut Cluster, id: &str) -> String {
    let mut out = String::new();
    let mut line = |who: &str, what: &str, outcome: Result<String, Thrown>| {
        let outcome = outcome.unwrap_or_else(failed);
        out.push_str(&format!("{who} {what} {outcome}\n"));
    };
    let first = transactional(c, id);
    line("first", "initTransactions", Ok("ok".into()));
    c.begin_transaction(first).unwrap();
    let sent = send_all(c, first, "invoices", &["zombie-0".into()]);
    line("first", "send", Ok(sent.trim_end().into()));
    let second = transactional(c, id);
    line("second", "initTransactions", Ok("ok".into()));
    let late = c
        .send(first, "invoices", 0, "zombie-1")
        .map(|s| callback(c, first, s));
    let late = late.and_then(|o| match o {
        SendOutcome::Acked { offset } => Ok(format!("offset {}", offset.unwrap())),
        SendOutcome::Failed { error } => Err(error.into()),
    });
    line("first", "send zombie-1", late);
    line(
        "first",
        "commitTransaction",
        commit(c, first).map(|()| "ok".into()),
    );
    c.begin_transaction(second).unwrap();
    let sent = send_all(c, second, "invoices", &["fresh-0".into()]);
    line("second", "send", Ok(sent.trim_end().into()));
    line(
        "second",
        "commitTransaction",
        commit(c, second).map(|()| "ok".into()),
    );
    out
}

/// The recorder's `copy`: a read_committed consumer of `group` reads
/// `records` records of invoices; one transaction copies them to
/// shipments and commits the offset after the last one read.
fn copy(c: &mut Cluster, group: &str, id: &str, records: usize) -> String {
    let q = c.add_consumer(ConsumerConfig {
        group_id: group.into(),
        enable_auto_commit: false,
        auto_offset_reset: AutoOffsetReset::Earliest,
        isolation_level: IsolationLevel::ReadCommitted,
        ..ConsumerConfig::default()
    });
    c.subscribe(q, &["invoices"]).unwrap();
    let mut read = Vec::new();
    for _ in 0..300 {
        if read.len() >= records {
            break;
        }
        read.extend(c.poll(q).unwrap());
        later(c, 200);
    }
    let p = transactional(c, id);
    c.begin_transaction(p).unwrap();
    let values: Vec<String> = read.iter().map(|r| r.value.clone()).collect();
    let mut lines = send_all(c, p, "shipments", &values);
    let last = read.last().expect("records read");
    let next = [(last.tp.clone(), last.offset + 1)];
    c.send_offsets_to_transaction(p, q, &next).unwrap();
    commit(c, p).unwrap();
    lines.push_str("committed\n");
    c.close_consumer(q);
    lines
}

/// Transactions on invoices and shipments, as the recorder played them.
fn transactions(c: &mut Cluster, report: &mut Report) {
    for topic in ["invoices", "shipments"] {
        c.create_topic_with_assignment(topic, vec![vec![1, 2, 3]], TopicConfig::default())
            .unwrap();
    }
    later(c, 1_000);
    let (lines, _) = txn(c, "billing-tx", 3, "inv", End::Commit);
    report.check("txn-invoices-commit", &lines, None);
    let (lines, _) = txn(c, "billing-tx", 2, "void", End::Abort);
    report.check("txn-invoices-abort", &lines, None);
    let (mut held, open) = txn(c, "open-tx", 2, "open", End::Hold);
    let out = read(c, "invoices");
    report.check("read-invoices-open", &out, None);
    commit(c, open).unwrap();
    held.push_str("committed\n");
    report.check("txn-invoices-held", &held, None);
    let out = fence(c, "fence-tx");
    report.check("txn-invoices-fenced", &out, None);
    let out = read(c, "invoices");
    report.check("read-invoices-settled", &out, None);
    let out = copy(c, "shipping", "shipping-tx", 6);
    report.check("txn-shipments-copy", &out, None);
    report.group("groups-shipping-txn", c, "shipping");
    let out = read(c, "shipments");
    report.check("read-shipments", &out, None);
}

/// The three producers the recorder ran while orders' ISR was {3}.
fn producers_below_min_isr(c: &mut Cluster, report: &mut Report) {
    let no_retries = ProducerConfig {
        retries: 0,
        ..ProducerConfig::default()
    };
    let (lines, _) = produce(
        c,
        &mut report.events,
        no_retries,
        ("orders", 0),
        1,
        "strict",
    );
    report.check("produce-acks-all-no-retries", &lines, None);
    let one = ProducerConfig {
        acks: Acks::One,
        ..ProducerConfig::default()
    };
    let (lines, _) = produce(c, &mut report.events, one, ("orders", 0), 1, "one");
    report.check("produce-acks-1", &lines, None);
    let retrying = ProducerConfig {
        delivery_timeout_ms: 10_000,
        request_timeout_ms: 5_000,
        ..ProducerConfig::default()
    };
    let (lines, retried) = produce(c, &mut report.events, retrying, ("orders", 0), 1, "timeout");
    let name = "produce-acks-all-retrying";
    let f = fixture(name);
    report.checked.insert(name.to_string());
    // `timeout-0 failed <class>: <message> [<NAME>]`: class and name only.
    let strip = |l: &str| match (l.split_once(": "), l.rsplit_once(" [")) {
        (Some((head, _)), Some((_, tail))) => format!("{head} [{tail}"),
        _ => l.to_string(),
    };
    report.compare(name, "stdout", &strip(&f.stdout), &strip(&lines));
    let recorded: BTreeSet<&str> = f
        .stderr
        .as_deref()
        .unwrap_or("")
        .lines()
        .filter(|l| l.contains("Got error produce response"))
        .filter_map(|l| l.rsplit_once("Error: ").map(|(_, name)| name))
        .collect();
    let model: BTreeSet<&str> = retried.iter().map(|e| e.name()).collect();
    report.compare(
        name,
        "retried on",
        &format!("{recorded:?}"),
        &format!("{model:?}"),
    );
    report.group("groups-billing-isr-below-min", c, "billing");
}

/// Broker 1 leads payments alone and takes three records, dies; broker 2,
/// which missed them, is elected uncleanly; broker 1 returns and truncates.
fn unclean_and_truncation(c: &mut Cluster, report: &mut Report) {
    let (lines, _) = produce(
        c,
        &mut report.events,
        ProducerConfig::default(),
        ("payments", 0),
        3,
        "late",
    );
    report.check("produce-payments-leader-alone", &lines, None);
    // Broker 2 comes back once the controller has fenced broker 1.
    c.kill_broker(1);
    later(c, 10_000);
    c.restart_broker(2);
    later(c, 10_000);
    report.topic("topics-payments-unclean", c, "payments");
    report.topic("topics-orders-offline", c, "orders");
    report.events.extend(c.take_events());
    c.restart_broker(1);
    later(c, 3_000);
    report.topic("topics-payments-old-leader-back", c, "payments");
    report.topic("topics-orders-old-leader-back", c, "orders");
    let since_restart = c.take_events();
    // Kafka's log: `… Truncating to offset 4`; the model's event.
    let name = "log-payments-truncated";
    let f = fixture(name);
    report.checked.insert(name.to_string());
    let recorded: Vec<String> = f
        .stdout
        .lines()
        .filter_map(|l| {
            l.split_once("Truncating to offset ")
                .map(|(_, o)| o.to_string())
        })
        .collect();
    assert!(!recorded.is_empty(), "{name}.txt has no truncation");
    let model: Vec<String> = since_restart
        .iter()
        .filter_map(|e| match e {
            Event::LogTruncated {
                topic,
                partition: 0,
                broker: 1,
                to_offset,
                ..
            } if topic == "payments" => Some(to_offset.to_string()),
            _ => None,
        })
        .collect();
    report.compare(name, "truncated to", &recorded.join(","), &model.join(","));
    report.events.extend(since_restart);
}

/// Kafka's `[Broker id=2] Leader orders-0 starts at leader epoch 1 from
/// offset 15 with partition epoch 1, high watermark 15, ISR [2,3], …` as
/// `orders-0 epoch 1: leader 2 from offset 15, ISR [2, 3]`.
fn leadership(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("[Broker id=")?;
    let (broker, rest) = rest.split_once("] Leader ")?;
    let (tp, rest) = rest.split_once(' ')?;
    let (_, rest) = rest.split_once("starts at leader epoch ")?;
    let (epoch, rest) = rest.split_once(" from offset ")?;
    let (offset, rest) = rest.split_once(' ')?;
    let (_, rest) = rest.split_once("ISR [")?;
    let (isr, _) = rest.split_once(']')?;
    let isr: Vec<&str> = isr.split(',').collect();
    Some(format!(
        "{tp} epoch {epoch}: leader {broker} from offset {offset}, ISR [{}]",
        isr.join(", ")
    ))
}

/// The same from the model's events: its creation and every election
/// that gave orders-0 or payments-0 a leader.
fn model_leaderships(events: &[Event]) -> Vec<String> {
    let mut out: Vec<(String, u32, String)> = Vec::new();
    let recorded = |e: &&Event| match e {
        Event::TopicCreated { topic, .. } | Event::LeaderElected { topic, .. } => {
            topic == "orders" || topic == "payments"
        }
        _ => false,
    };
    for e in events.iter().filter(recorded) {
        match e {
            Event::TopicCreated { topic, replicas } => {
                let r = &replicas[0];
                let isr: Vec<String> = r.iter().map(u32::to_string).collect();
                let line = format!(
                    "{topic}-0 epoch 0: leader {} from offset 0, ISR [{}]",
                    r[0],
                    isr.join(", ")
                );
                out.push((format!("{topic}-0"), 0, line));
            }
            Event::LeaderElected {
                topic,
                partition: 0,
                leader: Some(leader),
                leader_epoch,
                isr,
                leader_log_end,
                ..
            } => {
                let isr: Vec<String> = isr.iter().map(u32::to_string).collect();
                let line = format!(
                    "{topic}-0 epoch {leader_epoch}: leader {leader} from offset {leader_log_end}, ISR [{}]",
                    isr.join(", ")
                );
                out.push((format!("{topic}-0"), *leader_epoch, line));
            }
            _ => {}
        }
    }
    out.sort();
    out.into_iter().map(|(_, _, l)| l).collect()
}

#[test]
fn the_model_prints_what_kafka_printed() {
    let mut report = Report::default();
    let mut c = cluster();
    c.advance_to(at(100));
    topics_and_groups(&mut c, &mut report);
    transactions(&mut c, &mut report);
    // Leaders move once the controller fences a killed broker
    // (broker.session.timeout.ms, 9 s).
    c.kill_broker(1);
    later(&mut c, 10_000);
    report.topic("topics-orders-leader-killed", &c, "orders");
    c.kill_broker(2);
    later(&mut c, 10_000);
    report.topic("topics-orders-two-killed", &c, "orders");
    producers_below_min_isr(&mut c, &mut report);
    c.restart_broker(1);
    later(&mut c, 3_000);
    report.topic("topics-orders-restarted", &c, "orders");
    report.topic("topics-payments-restarted", &c, "payments");
    c.kill_broker(3);
    later(&mut c, 10_000);
    report.topic("topics-orders-third-leader-killed", &c, "orders");
    unclean_and_truncation(&mut c, &mut report);

    report.events.extend(c.take_events());
    let name = "log-leader-epochs";
    report.checked.insert(name.to_string());
    let recorded: Vec<String> = fixture(name)
        .stdout
        .lines()
        .filter_map(leadership)
        .collect();
    assert!(!recorded.is_empty(), "{name}.txt has no leader line");
    let model = model_leaderships(&report.events);
    report.compare(name, "leaderships", &recorded.join("\n"), &model.join("\n"));

    report.checked.insert("errors".to_string()); // its own test below
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            Some(
                path.file_name()?
                    .to_str()?
                    .strip_suffix(".txt")?
                    .to_string(),
            )
        })
        .collect();
    let unchecked: Vec<&String> = on_disk.difference(&report.checked).collect();
    assert!(
        unchecked.is_empty(),
        "fixtures nobody checks: {unchecked:?}"
    );
    assert!(
        report.failures.is_empty(),
        "{} difference(s) from Kafka:\n\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
}

#[test]
fn error_names_codes_exceptions_and_messages_are_kafkas() {
    let f = fixture("errors");
    let mut failures = Vec::new();
    for e in ErrorCode::ALL {
        let line = f
            .stdout
            .lines()
            .find(|l| l.split(' ').next() == Some(e.name()));
        match (e.code(), line) {
            (Some(code), Some(line)) => {
                let expected = format!(
                    "{} {code} {}: {}",
                    e.name(),
                    e.exception(),
                    e.message().unwrap_or("")
                );
                if line != expected {
                    failures.push(format!("kafka: {line}\nmodel: {expected}"));
                }
            }
            (None, None) => {} // client-side, and indeed no protocol error
            (Some(_), None) => failures.push(format!("{} is no error of Kafka 4.4", e.name())),
            (None, Some(line)) => {
                failures.push(format!("{} is a protocol error: {line}", e.name()))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn masks_keep_widths() {
    let id = "billing-1-d3175f69-af5e-4a1f-910c-5403f5d709ba /127.0.0.1";
    assert_eq!(
        mask_uuids(id),
        "billing-1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx /127.0.0.1"
    );
    assert_eq!(mask_uuids(id).len(), id.len());
    assert_eq!(
        mask_topic_ids("Topic: orders\tTopicId: FNhoPXfDSV2KpgFVyAkKaQ\tPartitionCount: 1"),
        "Topic: orders\tTopicId: <topic-id>\tPartitionCount: 1"
    );
}

#[test]
fn the_producer_id_mask_keeps_the_epoch() {
    assert_eq!(
        mask_producer_ids("'fence-tx' and (producerId=1004, epoch=0) attempted"),
        "'fence-tx' and (producerId=<producer-id>, epoch=0) attempted"
    );
    assert_eq!(mask_producer_ids("producerId="), "producerId=");
}
