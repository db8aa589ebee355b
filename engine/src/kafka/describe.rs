//! What Kafka's command-line tools print, from the model's state:
//! `kafka-topics.sh --describe` (`TopicCommand`) and
//! `kafka-consumer-groups.sh --describe` (`ConsumerGroupCommand`), with
//! their exact separators and padding.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::cluster::Cluster;

/// Where the model knowingly differs from a real Kafka (for the UI to say).
pub const DIFFERENCES: &[&str] = &[
    "Followers fetch in fixed rounds (follower_fetch_interval_ms) instead of long-polling; acks=all takes two rounds.",
    "Requests travel instantly; only faults delay or lose them.",
    "Retry backoff doubles from retry.backoff.ms up to retry.backoff.max.ms without Kafka's ±20% jitter.",
    "Each send is its own batch of one record; linger.ms and batching are not modelled; the caller picks the partition.",
    "max.in.flight.requests.per.connection is only checked for idempotence; sends are not queued behind each other.",
    "A send with no known leader fails the attempt with LEADER_NOT_AVAILABLE instead of waiting in the accumulator.",
    "The controller (KRaft quorum) never fails.",
    "ELR (KIP-966) follows the recorded cases; changing min.insync.replicas does not clear it, and every restart counts as one after a crash.",
    "A leader's ISR shrink keeps the ISR's order; only an expansion puts it in broker id order, as recorded.",
    "__consumer_offsets is a map on an always-available coordinator, not a replicated topic.",
    "Member ids are client.id plus a counter in a UUID's shape (Kafka appends a random UUID); TopicIds are derived from the name.",
    "An unclean election happens as soon as a replica may lead; Kafka's controller also retries them every unclean.leader.election.interval.ms (300 s; 1 s in the recordings).",
    "Topic placement uses Kafka's rack-unaware algorithm with start index and shift 0 (Kafka draws them at random); racks are recorded, not used.",
    "A crashed consumer's session is measured from the crash, not from its last heartbeat.",
    "Logs have no retention, segments or fsync: a killed broker keeps its whole log.",
    "The transaction coordinator is always available and its log is a map; markers are written to each partition's leader as soon as the transaction ends (retried while a partition has no leader), and the commit does not wait for them to replicate.",
    "initTransactions() with a transaction still open aborts it and bumps the epoch at once (Kafka answers CONCURRENT_TRANSACTIONS and the client retries); a transaction that timed out fences its producer.",
    "abortTransaction() drops sends not yet out with INVALID_TXN_STATE (Kafka: TransactionAbortedException) and waits for those in flight.",
    "Producer ids are counted from 0 across the cluster; Kafka's brokers take them in blocks of 1000 from the controller, and which broker serves InitProducerId depends on where the transaction coordinator is or on the client's least loaded node, so the ids differ (the recorded fenced instance had 1004, the model's has 7).",
    "The last stable offset and aborted records are read from the leader's log (Kafka keeps an aborted-transaction index); transaction version 2 (KIP-890) is not modelled.",
];

/// `kafka-topics.sh --describe --topic <topic>`, or `None` for an unknown
/// topic. Only non-default configs are listed, sorted by name: the topic's
/// overrides and, with ELR on, `min.insync.replicas` always (the
/// controller sets it cluster-wide, so it is never a default; recorded in
/// `tests/fixtures/kafka/topics-payments-three-partitions.txt`).
pub fn describe_topic(cluster: &Cluster, topic: &str) -> Option<String> {
    let t = cluster.topics.get(topic)?;
    let mut configs: Vec<String> = Vec::new();
    let min_isr = match t.config.min_insync_replicas {
        Some(m) => Some(m),
        None if cluster.config.eligible_leader_replicas => Some(cluster.config.min_insync_replicas),
        None => None,
    };
    if let Some(m) = min_isr {
        configs.push(format!("min.insync.replicas={m}"));
    }
    if let Some(u) = t.config.unclean_leader_election_enable {
        configs.push(format!("unclean.leader.election.enable={u}"));
    }
    configs.sort();
    let rf = t.partitions.first().map_or(0, |p| p.assignment.len());
    let mut out = format!(
        "Topic: {}\tTopicId: {}\tPartitionCount: {}\tReplicationFactor: {}\tConfigs: {}\n",
        t.name,
        t.id,
        t.partitions.len(),
        rf,
        configs.join(",")
    );
    let ids = |v: &[u32]| {
        v.iter()
            .map(|b| format!("{b}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    for p in &t.partitions {
        let leader = p.leader.map_or(String::from("none"), |l| format!("{l}"));
        out.push_str(&format!(
            "\tTopic: {}\tPartition: {}\tLeader: {}\tReplicas: {}\tIsr: {}\tElr: {}\tLastKnownElr: {}\n",
            t.name,
            p.index,
            leader,
            ids(&p.assignment),
            ids(&p.isr),
            ids(&p.elr),
            ids(&p.last_known_elr)
        ));
    }
    Some(out)
}

/// `kafka-consumer-groups.sh --describe --group <group>` (stdout only; the
/// tool's notes go to stderr: [`describe_group_stderr`]). Each line starts
/// with a newline, as the tool's `printf` does, and a last newline ends
/// the table. Rows: each
/// member's partitions (members with more partitions first), then committed
/// partitions nobody owns. LOG-END-OFFSET is what ListOffsets(latest)
/// answers: the high watermark.
pub fn describe_group(cluster: &Cluster, group: &str) -> Option<String> {
    let g = cluster.groups.get(group)?;
    let mut rows: Vec<[String; 9]> = Vec::new();
    let mut members: Vec<_> = g.members.values().collect();
    members.sort_by_key(|m| core::cmp::Reverse(m.assignment.len()));
    let mut owned = Vec::new();
    let row = |tp: &crate::kafka::event::TopicPartition, who: [String; 3]| {
        let end = cluster
            .partition(&tp.topic, tp.partition)
            .map(|p| p.high_watermark());
        let cur = cluster.committed(group, &tp.topic, tp.partition);
        let lag = match (cur, end) {
            (Some(c), Some(e)) => format!("{}", e.saturating_sub(c)),
            _ => String::from("-"),
        };
        let [id, host, client] = who;
        [
            String::from(group),
            tp.topic.clone(),
            format!("{}", tp.partition),
            cur.map_or(String::from("-"), |c| format!("{c}")),
            end.map_or(String::from("-"), |e| format!("{e}")),
            lag,
            id,
            host,
            client,
        ]
    };
    for m in &members {
        let mut parts = m.assignment.clone();
        parts.sort_by_key(|tp| tp.partition);
        for tp in parts {
            rows.push(row(
                &tp,
                [
                    m.id.clone(),
                    String::from("/127.0.0.1"),
                    m.client_id.clone(),
                ],
            ));
            owned.push(tp);
        }
    }
    for (tp, _) in cluster.offsets.of_group(group) {
        if !owned.contains(tp) {
            rows.push(row(
                tp,
                [String::from("-"), String::from("-"), String::from("-")],
            ));
        }
    }
    let width = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0).max(15);
    let (gw, tw, cw, hw) = (width(0), width(1), width(6), width(7));
    let header = [
        "GROUP",
        "TOPIC",
        "PARTITION",
        "CURRENT-OFFSET",
        "LOG-END-OFFSET",
        "LAG",
        "CONSUMER-ID",
        "HOST",
        "CLIENT-ID",
    ]
    .map(String::from);
    let mut out = String::new();
    for r in core::iter::once(&header).chain(rows.iter()) {
        out.push_str(&format!(
            "\n{:<gw$} {:<tw$} {:<10} {:<15} {:<15} {:<15} {:<cw$} {:<hw$} {}",
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]
        ));
    }
    out.push('\n');
    Some(out)
}

/// What `kafka-consumer-groups.sh --describe --group <group>` prints on
/// stderr before its table: for a group without members, the "has no
/// active members" note (recorded in
/// `tests/fixtures/kafka/groups-billing-empty.txt`); nothing otherwise.
/// `None` for an unknown group.
pub fn describe_group_stderr(cluster: &Cluster, group: &str) -> Option<String> {
    let g = cluster.groups.get(group)?;
    Some(if g.members.is_empty() {
        format!("\nConsumer group '{group}' has no active members.\n")
    } else {
        String::new()
    })
}
