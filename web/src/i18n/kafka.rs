//! The Kafka lab's words: sentences for the cluster's events (the log and
//! a record's life story) and the stage's labels, in both languages. Kafka
//! names (acks, ISR, high watermark, error codes, config names) keep their
//! spelling, in backticks where they are literal.

/// Sentences for Kafka events, and the Kafka stage's labels.
#[derive(Debug, PartialEq, Eq)]
pub struct KafkaWords {
    /// `{broker}` died.
    pub broker_killed: &'static str,
    /// `{broker}` restarted.
    pub broker_restarted: &'static str,
    /// `{broker}` was cut off the network.
    pub broker_isolated: &'static str,
    /// `{broker}`'s network is back.
    pub broker_reconnected: &'static str,
    /// The controller fenced `{broker}`.
    pub broker_fenced: &'static str,
    /// `{broker}` fetches every `{ms}`.
    pub follower_slowed: &'static str,
    /// Topic `{topic}` created.
    pub topic_created: &'static str,
    /// Leader `{broker}` appended `{msg}` at `{offset}` of `{tp}` (epoch `{epoch}`).
    pub appended: &'static str,
    /// Follower `{follower}` fetched `{n}` records from `{leader}` (`{tp}`).
    pub fetched: &'static str,
    /// `{broker}`'s high watermark of `{tp}` moved from `{from}` to `{to}`.
    pub hw_advanced: &'static str,
    /// `{broker}` left `{tp}`'s ISR, now `{isr}`.
    pub isr_shrunk: &'static str,
    /// `{broker}` rejoined `{tp}`'s ISR, now `{isr}`.
    pub isr_expanded: &'static str,
    /// Clean election: `{broker}` leads `{tp}` (epoch `{epoch}`).
    pub elected: &'static str,
    /// Unclean election.
    pub elected_unclean: &'static str,
    /// Nobody can lead `{tp}`.
    pub offline: &'static str,
    /// `{broker}` truncated `{tp}` to `{offset}`, losing `{msgs}`.
    pub truncated: &'static str,
    /// `{producer}` got producer id `{pid}`.
    pub producer_id: &'static str,
    /// `{producer}` sent `{msg}` to `{broker}` (attempt `{n}`).
    pub produce_sent: &'static str,
    /// `{broker}` acknowledged `{msg}` at `{offset}`.
    pub produce_acked: &'static str,
    /// A duplicate recognised.
    pub produce_duplicate: &'static str,
    /// `{broker}` answered `{error}` for `{msg}`.
    pub produce_failed: &'static str,
    /// … though it is in the log.
    pub produce_failed_appended: &'static str,
    /// The answer to `{msg}` was lost.
    pub response_lost: &'static str,
    /// `{producer}` believes `{broker}` leads `{tp}`.
    pub metadata: &'static str,
    /// `{producer}` will retry `{msg}` at `{at}`.
    pub retry: &'static str,
    /// The callback was told `{msg}` is at `{offset}`.
    pub callback_ok: &'static str,
    /// The callback was told `{error}`.
    pub callback_failed: &'static str,
    /// `{member}` joined `{group}`.
    pub member_joined: &'static str,
    /// `{member}` left `{group}` (`{reason}`).
    pub member_left: &'static str,
    /// `{group}` rebalances (generation `{generation}`).
    pub rebalance: &'static str,
    /// `{member}` gave up `{partitions}`.
    pub revoked: &'static str,
    /// `{member}` was assigned `{partitions}`.
    pub assigned: &'static str,
    /// `{member}` starts `{tp}` at `{offset}` (`auto.offset.reset`).
    pub offset_reset: &'static str,
    /// `{member}` polled `{msgs}` from `{tp}`.
    pub polled: &'static str,
    /// `{member}` committed `{offsets}`.
    pub committed: &'static str,
    /// Auto commit.
    pub committed_auto: &'static str,
    /// A commit refused with `{error}`.
    pub commit_failed: &'static str,
    /// Consumer `{consumer}` died.
    pub consumer_crashed: &'static str,
    /// `{txn}` got producer id `{pid}`, epoch `{epoch}`.
    pub txn_initialized: &'static str,
    /// `{tp}` joined `{txn}`'s transaction.
    pub txn_partition: &'static str,
    /// `{txn}` staged `{group}`'s offsets `{offsets}`.
    pub txn_offsets: &'static str,
    /// `{txn}`'s commit failed with `{error}`.
    pub txn_failed: &'static str,
    /// `{txn}` committed `{msgs}` (and offsets `{offsets}`).
    pub txn_committed: &'static str,
    /// `{txn}` aborted by the application.
    pub txn_aborted: &'static str,
    /// `{txn}` aborted because a new instance fenced it (the old instance
    /// is not told).
    pub txn_fenced: &'static str,
    /// `{txn}` aborted after `transaction.timeout.ms`.
    pub txn_timed_out: &'static str,
    /// The coordinator answered `{txn}` PRODUCER_FENCED: its epoch is stale.
    pub producer_fenced: &'static str,
    /// A `{marker}` marker at `{offset}` of `{tp}` on `{broker}`.
    pub marker_appended: &'static str,
    /// Leave reasons.
    pub reason_left: &'static str,
    /// No heartbeat for session.timeout.ms.
    pub reason_session: &'static str,
    /// No poll for max.poll.interval.ms.
    pub reason_poll: &'static str,
    /// Did not rejoin in time.
    pub reason_rebalance: &'static str,
    /// "nothing" (an empty list).
    pub nothing: &'static str,
    /// The stage's accessible name.
    pub stage: &'static str,
    /// Heading of the broker row.
    pub brokers: &'static str,
    /// A broker's name (`{id}`).
    pub broker: &'static str,
    /// A broker's rack (`{rack}`).
    pub rack: &'static str,
    /// A running broker.
    pub state_up: &'static str,
    /// A dead broker.
    pub state_dead: &'static str,
    /// A broker cut off the network.
    pub state_cut_off: &'static str,
    /// A fenced broker.
    pub fenced: &'static str,
    /// A slow follower (`{ms}`).
    pub slow_fetch: &'static str,
    /// Button: kill a broker.
    pub kill: &'static str,
    /// Button: restart a broker.
    pub restart: &'static str,
    /// Button: cut a broker off the network.
    pub cut_off: &'static str,
    /// Button: slow a follower.
    pub slow: &'static str,
    /// A partition heading (`{tp}`).
    pub partition: &'static str,
    /// Leader and epoch.
    pub leader_epoch: &'static str,
    /// An offline partition.
    pub no_leader: &'static str,
    /// The ISR (`{isr}`).
    pub isr: &'static str,
    /// A replica's high watermark and log end.
    pub hw_leo: &'static str,
    /// Marks the leader's replica.
    pub leader_mark: &'static str,
    /// Marks an ISR member.
    pub in_sync: &'static str,
    /// Marks a replica outside the ISR.
    pub out_of_sync: &'static str,
    /// Records not drawn (`{n}`).
    pub earlier: &'static str,
    /// The high-watermark marker.
    pub hw_marker: &'static str,
    /// Legend.
    pub committed_legend: &'static str,
    /// Legend.
    pub uncommitted_legend: &'static str,
    /// Heading.
    pub producers: &'static str,
    /// Callback counts.
    pub acked_failed: &'static str,
    /// The last error.
    pub last_error: &'static str,
    /// Sends without outcome.
    pub pending: &'static str,
    /// One pending send.
    pub send_row: &'static str,
    /// A sequence number.
    pub seq: &'static str,
    /// A send waiting to retry.
    pub backoff: &'static str,
    /// A send waiting for its answer.
    pub in_flight: &'static str,
    /// Heading.
    pub consumers: &'static str,
    /// A member id.
    pub member: &'static str,
    /// No member id.
    pub no_member: &'static str,
    /// A partition's position and committed offset.
    pub position: &'static str,
    /// No value.
    pub none: &'static str,
    /// What a consumer processes.
    pub working: &'static str,
    /// Records in hand.
    pub queued: &'static str,
    /// A running consumer.
    pub status_up: &'static str,
    /// A crashed consumer.
    pub status_crashed: &'static str,
    /// A stopped consumer.
    pub status_stopped: &'static str,
    /// A consumer not started.
    pub status_not_started: &'static str,
    /// Heading of the ledger.
    pub ledger: &'static str,
    /// One service's counts.
    pub ledger_row: &'static str,
    /// Acknowledged records lost.
    pub told_gone: &'static str,
    /// Inspector heading.
    pub describe_topic: &'static str,
    /// Inspector heading.
    pub describe_group: &'static str,
    /// Record story heading.
    pub story: &'static str,
    /// Hint.
    pub story_hint: &'static str,
    /// Faults heading.
    pub faults: &'static str,
    /// Inspector heading.
    pub inspector: &'static str,
    /// The lane switch's name.
    pub lanes: &'static str,
    /// The eligible leader replicas (`{elr}`).
    pub elr: &'static str,
    /// Heading of the settings panel.
    pub settings: &'static str,
    /// What changing a setting does.
    pub settings_hint: &'static str,
    /// A setting whose producers, topics or groups disagree.
    pub settings_mixed: &'static str,
    /// Marks a value the reader changed.
    pub settings_changed: &'static str,
    /// Button: back to the scenario's own settings.
    pub settings_own: &'static str,
    /// Above the narration when settings differ from the scenario's own.
    pub settings_note: &'static str,
    /// Kafka refuses a combination (`{reason}`, Kafka's own words).
    pub settings_refused: &'static str,
    /// Kafka's default, after a value.
    pub settings_default: &'static str,
    /// Accessible name of a Guarantees lane's cluster, drawn small
    /// (`{lane}`).
    pub glance: &'static str,
    /// A group's committed offset (`{offset}`).
    pub committed_offset: &'static str,
    /// A group with no committed offset yet.
    pub no_committed_offset: &'static str,
    /// The last stable offset (`{offset}`).
    pub lso_offset: &'static str,
    /// The flag under the group's committed offset.
    pub committed_flag: &'static str,
    /// The flag at the last stable offset.
    pub lso_flag: &'static str,
    /// Records newer than a strip's window (`{n}`).
    pub later: &'static str,
    /// A record in a strip (`{offset}`, `{msg}`).
    pub record_title: &'static str,
    /// The next offset to be written (`{offset}`).
    pub next_offset: &'static str,
    /// A record a consumer holds (`{consumer}`).
    pub held_by: &'static str,
    /// A record a consumer is processing now (`{consumer}`).
    pub worked_by: &'static str,
    /// A transaction's commit marker, as a one-letter glyph.
    pub commit_glyph: &'static str,
    /// A transaction's abort marker, as a one-letter glyph.
    pub abort_glyph: &'static str,
    /// A commit marker in words.
    pub commit_marker: &'static str,
    /// An abort marker in words.
    pub abort_marker: &'static str,
    /// A record written in a transaction.
    pub transactional: &'static str,
    /// A record of an aborted transaction.
    pub aborted: &'static str,
    /// Key: records of an aborted transaction.
    pub key_aborted: &'static str,
    /// Key: the last stable offset.
    pub key_lso: &'static str,
    /// Key: records below the high watermark.
    pub key_committed: &'static str,
    /// Key: records above it.
    pub key_open: &'static str,
    /// Key: records polled and not processed.
    pub key_held: &'static str,
    /// Key: the group's committed offset.
    pub key_group: &'static str,
    /// Key: transaction markers.
    pub key_markers: &'static str,
    /// Accessible name of the strips' key.
    pub key: &'static str,
    /// A fault row: partition `{tp}`'s leader, broker `{id}`.
    pub leader_row: &'static str,
    /// A fault row: partition `{tp}` has no leader.
    pub leaderless_row: &'static str,
    /// Button: kill the partition's leader.
    pub kill_leader: &'static str,
    /// Button: restart broker `{id}`.
    pub restart_broker: &'static str,
    /// Button: slow a consumer's processing.
    pub slow_consumer: &'static str,
    /// Button: lose the answer to the producer's next send.
    pub lose_response: &'static str,
    /// What the Guarantees lab's Kafka faults do.
    pub lane_faults_help: &'static str,
}

/// English.
pub const EN: KafkaWords = KafkaWords {
    broker_killed: "broker {broker} died (kill -9); the controller does not know yet",
    broker_restarted: "broker {broker} restarted with its log and registered again",
    broker_isolated: "broker {broker} was cut off the network",
    broker_reconnected: "broker {broker}'s network is back",
    broker_fenced: "no heartbeat for `broker.session.timeout.ms`: the controller fenced broker {broker}",
    follower_slowed: "broker {broker} now fetches every {ms}",
    topic_created: "topic {topic} created",
    appended: "leader {broker} appended {msg} at offset {offset} of {tp} (epoch {epoch})",
    fetched: "follower {follower} fetched {msgs} from leader {leader} ({tp}, fetch offset {offset})",
    hw_advanced: "broker {broker}: high watermark of {tp} {from} → {to}",
    isr_shrunk: "broker {broker} left the ISR of {tp}: ISR now {isr}",
    isr_expanded: "broker {broker} caught up and rejoined the ISR of {tp}: ISR now {isr}",
    elected: "clean election: broker {broker} leads {tp} (epoch {epoch}, log ends at {offset})",
    elected_unclean: "UNCLEAN election: out-of-sync broker {broker} leads {tp} (epoch {epoch}, log ends at {offset})",
    offline: "no eligible replica: {tp} is offline (epoch {epoch})",
    truncated: "broker {broker} truncated {tp} to offset {offset} (KIP-101), removing {msgs}",
    producer_id: "{producer} got producer id {pid} (idempotence)",
    produce_sent: "{producer} sent {msg} to broker {broker} (attempt {n})",
    produce_acked: "broker {broker} acknowledged {msg} at offset {offset}",
    produce_duplicate: "broker {broker} recognised {msg} as a duplicate (sequence) and acknowledged it without appending",
    produce_failed: "broker {broker} answered {error} for {msg}",
    produce_failed_appended: "broker {broker} answered {error} for {msg}, yet it is in the log",
    response_lost: "the answer from broker {broker} for {msg} was lost",
    metadata: "{producer} refreshed metadata: broker {broker} leads {tp} (epoch {epoch})",
    retry: "{producer} will send {msg} again at {at} after {error}",
    callback_ok: "callback: {msg} written at offset {offset}",
    callback_failed: "callback: {msg} failed with {error}; nobody sends it again",
    member_joined: "{member} joined group {group}",
    member_left: "{member} left group {group}: {reason}",
    rebalance: "group {group} rebalances (generation {generation})",
    revoked: "{member} gave up {partitions}",
    assigned: "{member} was assigned {partitions} (generation {generation})",
    offset_reset: "{member} has no committed offset for {tp}: `auto.offset.reset` starts it at {offset}",
    polled: "{member} polled {msgs} from {tp}",
    committed: "{member} committed {offsets}",
    committed_auto: "auto commit: {member} committed {offsets}",
    commit_failed: "{member}'s commit was refused: {error}",
    consumer_crashed: "consumer {consumer} died without leaving its group",
    txn_initialized: "initTransactions(): {txn} has producer id {pid}, epoch {epoch}",
    txn_partition: "{tp} joined {txn}'s transaction",
    txn_offsets: "{txn} sent {group}'s offsets {offsets} to its transaction",
    txn_failed: "{txn} cannot commit ({error}): it must abort",
    txn_committed: "{txn} committed: {msgs} readable, offsets {offsets} committed",
    txn_aborted: "{txn} aborted: read_committed consumers skip {msgs}",
    txn_fenced: "a new {txn} fenced the old one: its open transaction is aborted (epoch {epoch}); the old instance learns it only from its next call",
    txn_timed_out: "{txn} was open longer than `transaction.timeout.ms`: the coordinator aborts it (epoch {epoch})",
    producer_fenced: "the coordinator answers {txn} PRODUCER_FENCED: its epoch is stale (a newer instance or the coordinator's timeout bumped it), so it can only close",
    marker_appended: "broker {broker} wrote a {marker} marker at {tp}@{offset}",
    reason_left: "it closed",
    reason_session: "no heartbeat for `session.timeout.ms`",
    reason_poll: "no poll for `max.poll.interval.ms`",
    reason_rebalance: "it did not rejoin in time",
    nothing: "nothing",
    stage: "The Kafka cluster",
    brokers: "Brokers",
    broker: "broker {id}",
    rack: "rack {rack}",
    state_up: "up",
    state_dead: "dead",
    state_cut_off: "cut off",
    fenced: "fenced by the controller",
    slow_fetch: "fetches every {ms}",
    kill: "Kill",
    restart: "Restart",
    cut_off: "Cut off 10 s",
    slow: "Slow follower ×4",
    partition: "partition {tp}",
    leader_epoch: "leader {id} · epoch {epoch}",
    no_leader: "no leader (offline) · epoch {epoch}",
    isr: "ISR {isr}",
    hw_leo: "HW {hw} · LEO {leo}",
    leader_mark: "leader",
    in_sync: "in sync",
    out_of_sync: "out of sync",
    earlier: "{n} earlier",
    hw_marker: "HW",
    committed_legend: "solid: below the high watermark (committed, readable)",
    uncommitted_legend: "dashed: above it (not yet on every in-sync replica)",
    producers: "Producers",
    acked_failed: "told written {acked} · told failed {failed}",
    last_error: "last error {error}",
    pending: "waiting for an answer: {n}",
    send_row: "{msg} · attempt {n}",
    seq: "seq {seq}",
    backoff: "retry pending",
    in_flight: "in flight",
    consumers: "Consumer group {group}",
    member: "member {id}",
    no_member: "not a member",
    position: "{tp}: position {pos} · committed {committed}",
    none: "none",
    working: "processing {msg}",
    queued: "{n} polled, not processed",
    status_up: "up",
    status_crashed: "crashed",
    status_stopped: "stopped",
    status_not_started: "not started",
    ledger: "Ledger",
    ledger_row: "{service}: produced {produced} · processed {processed} · duplicates {duplicates} · in flight {in_flight} · lost {lost}",
    told_gone: "Told written, yet gone: {msgs}",
    describe_topic: "kafka-topics.sh --describe",
    describe_group: "kafka-consumer-groups.sh --describe",
    story: "Life of {msg}",
    story_hint: "Select a record on the stage to follow it: produced, appended, replicated, committed, consumed, its offset committed — or where it was lost.",
    faults: "Faults at this moment",
    inspector: "Inspector",
    lanes: "Lane drawn",
    elr: "ELR {elr}",
    settings: "Settings",
    settings_hint: "Changing one runs the scenario again with the same seed.",
    settings_mixed: "differs",
    settings_changed: "changed",
    settings_own: "Scenario's own settings",
    settings_note: "Settings changed: the narration describes the scenario's own settings.",
    settings_refused: "Kafka refuses this combination, so the run is unchanged: {reason}",
    settings_default: "default",
    glance: "The Kafka cluster of lane {lane}",
    committed_offset: "committed {offset}",
    no_committed_offset: "nothing committed",
    lso_offset: "LSO {offset}",
    committed_flag: "committed",
    lso_flag: "LSO",
    later: "{n} later",
    record_title: "offset {offset}: {msg}",
    next_offset: "offset {offset}: the next record goes here",
    held_by: "polled by {consumer}, not processed yet",
    worked_by: "{consumer} is processing it",
    commit_glyph: "C",
    abort_glyph: "A",
    commit_marker: "commit marker",
    abort_marker: "abort marker",
    transactional: "in a transaction",
    aborted: "aborted: `read_committed` consumers skip it",
    key_aborted: "aborted, skipped",
    key_lso: "last stable offset: `read_committed` reads below it",
    key_committed: "below HW",
    key_open: "above HW",
    key_held: "polled, not processed",
    key_group: "group's committed offset",
    key_markers: "transaction markers: commit, abort",
    key: "What the partition strips mean",
    leader_row: "leader of {tp}: broker {id}",
    leaderless_row: "{tp}: no leader",
    kill_leader: "Kill the leader",
    restart_broker: "Restart broker {id}",
    slow_consumer: "Slow ×4 for 5 s",
    lose_response: "Lose a produce response",
    lane_faults_help: "A fault happens now, in every lane at once, and becomes part of the run.",
};

/// Korean.
pub const KO: KafkaWords = KafkaWords {
    broker_killed: "브로커 {broker}가 죽었습니다(kill -9). 컨트롤러는 아직 모릅니다",
    broker_restarted: "브로커 {broker}가 로그를 가지고 다시 시작해 등록했습니다",
    broker_isolated: "브로커 {broker}가 네트워크에서 끊겼습니다",
    broker_reconnected: "브로커 {broker}의 네트워크가 돌아왔습니다",
    broker_fenced: "`broker.session.timeout.ms` 동안 하트비트가 없어 컨트롤러가 브로커 {broker}를 차단했습니다",
    follower_slowed: "브로커 {broker}는 이제 {ms}마다 가져옵니다",
    topic_created: "토픽 {topic}을 만들었습니다",
    appended: "리더 {broker}가 {msg}를 {tp}의 오프셋 {offset}에 추가했습니다(에포크 {epoch})",
    fetched: "팔로워 {follower}가 리더 {leader}에게서 {msgs}를 가져왔습니다({tp}, 가져온 오프셋 {offset})",
    hw_advanced: "브로커 {broker}: {tp}의 하이 워터마크 {from} → {to}",
    isr_shrunk: "브로커 {broker}가 {tp}의 ISR에서 빠졌습니다. 이제 ISR {isr}",
    isr_expanded: "브로커 {broker}가 따라잡아 {tp}의 ISR에 다시 들어왔습니다. 이제 ISR {isr}",
    elected: "클린 선출: 브로커 {broker}가 {tp}의 리더입니다(에포크 {epoch}, 로그 끝 {offset})",
    elected_unclean: "언클린 선출: 동기화되지 않은 브로커 {broker}가 {tp}의 리더입니다(에포크 {epoch}, 로그 끝 {offset})",
    offline: "자격 있는 복제본이 없어 {tp}가 오프라인입니다(에포크 {epoch})",
    truncated: "브로커 {broker}가 {tp}를 오프셋 {offset}까지 잘라냈습니다(KIP-101). 지운 레코드: {msgs}",
    producer_id: "{producer}가 프로듀서 ID {pid}를 받았습니다(멱등성)",
    produce_sent: "{producer}가 {msg}를 브로커 {broker}에 보냈습니다({n}번째 시도)",
    produce_acked: "브로커 {broker}가 {msg}를 오프셋 {offset}으로 확인했습니다",
    produce_duplicate: "브로커 {broker}가 {msg}를 중복(시퀀스)으로 알아보고 추가하지 않은 채 확인했습니다",
    produce_failed: "브로커 {broker}가 {msg}에 {error}로 답했습니다",
    produce_failed_appended: "브로커 {broker}가 {msg}에 {error}로 답했지만 레코드는 로그에 있습니다",
    response_lost: "브로커 {broker}가 {msg}에 보낸 응답이 유실되었습니다",
    metadata: "{producer}가 메타데이터를 갱신했습니다: 브로커 {broker}가 {tp}의 리더(에포크 {epoch})",
    retry: "{producer}는 {error} 뒤 {at}에 {msg}를 다시 보냅니다",
    callback_ok: "콜백: {msg}가 오프셋 {offset}에 쓰였습니다",
    callback_failed: "콜백: {msg}가 {error}로 실패했습니다. 아무도 다시 보내지 않습니다",
    member_joined: "{member}가 그룹 {group}에 들어왔습니다",
    member_left: "{member}가 그룹 {group}을 떠났습니다: {reason}",
    rebalance: "그룹 {group}이 리밸런싱합니다(세대 {generation})",
    revoked: "{member}가 {partitions}를 내놓았습니다",
    assigned: "{member}에게 {partitions}가 할당되었습니다(세대 {generation})",
    offset_reset: "{member}는 {tp}에 커밋된 오프셋이 없어 `auto.offset.reset`에 따라 {offset}에서 시작합니다",
    polled: "{member}가 {tp}에서 {msgs}를 poll했습니다",
    committed: "{member}가 {offsets}를 커밋했습니다",
    committed_auto: "자동 커밋: {member}가 {offsets}를 커밋했습니다",
    commit_failed: "{member}의 커밋이 거절되었습니다: {error}",
    consumer_crashed: "소비자 {consumer}가 그룹을 떠나지 않고 죽었습니다",
    txn_initialized: "initTransactions(): {txn}의 프로듀서 ID는 {pid}, 에포크는 {epoch}입니다",
    txn_partition: "{tp}가 {txn}의 트랜잭션에 들어갔습니다",
    txn_offsets: "{txn}가 {group}의 오프셋 {offsets}를 트랜잭션에 보냈습니다",
    txn_failed: "{txn}는 커밋할 수 없습니다({error}). 중단해야 합니다",
    txn_committed: "{txn} 커밋: {msgs}를 읽을 수 있고, 오프셋 {offsets}가 커밋되었습니다",
    txn_aborted: "{txn} 중단: read_committed 소비자는 {msgs}를 건너뜁니다",
    txn_fenced: "새 {txn}가 이전 인스턴스를 펜싱했습니다. 열린 트랜잭션은 중단됩니다(에포크 {epoch}). 이전 인스턴스는 다음 호출에서야 이를 알게 됩니다",
    txn_timed_out: "{txn}가 `transaction.timeout.ms`보다 오래 열려 있어 코디네이터가 중단합니다(에포크 {epoch})",
    producer_fenced: "코디네이터가 {txn}에 PRODUCER_FENCED로 응답합니다. 에포크가 낡았으므로(새 인스턴스나 코디네이터의 타임아웃이 올렸습니다) 닫을 수밖에 없습니다",
    marker_appended: "브로커 {broker}가 {tp}@{offset}에 {marker} 마커를 썼습니다",
    reason_left: "종료했습니다",
    reason_session: "`session.timeout.ms` 동안 하트비트가 없었습니다",
    reason_poll: "`max.poll.interval.ms` 동안 poll하지 않았습니다",
    reason_rebalance: "제때 다시 들어오지 않았습니다",
    nothing: "없음",
    stage: "Kafka 클러스터",
    brokers: "브로커",
    broker: "브로커 {id}",
    rack: "랙 {rack}",
    state_up: "동작 중",
    state_dead: "죽음",
    state_cut_off: "네트워크 끊김",
    fenced: "컨트롤러가 차단함",
    slow_fetch: "{ms}마다 가져옴",
    kill: "종료",
    restart: "재시작",
    cut_off: "10초 끊기",
    slow: "느린 팔로워 ×4",
    partition: "파티션 {tp}",
    leader_epoch: "리더 {id} · 에포크 {epoch}",
    no_leader: "리더 없음(오프라인) · 에포크 {epoch}",
    isr: "ISR {isr}",
    hw_leo: "HW {hw} · LEO {leo}",
    leader_mark: "리더",
    in_sync: "동기화됨",
    out_of_sync: "동기화 안 됨",
    earlier: "앞선 {n}개",
    hw_marker: "HW",
    committed_legend: "실선: 하이 워터마크 아래(커밋됨, 읽을 수 있음)",
    uncommitted_legend: "점선: 그 위(아직 모든 동기화 복제본에 없음)",
    producers: "프로듀서",
    acked_failed: "쓰임 응답 {acked} · 실패 응답 {failed}",
    last_error: "마지막 오류 {error}",
    pending: "응답 대기: {n}",
    send_row: "{msg} · {n}번째 시도",
    seq: "시퀀스 {seq}",
    backoff: "재시도 대기",
    in_flight: "전송 중",
    consumers: "소비자 그룹 {group}",
    member: "멤버 {id}",
    no_member: "멤버 아님",
    position: "{tp}: 위치 {pos} · 커밋 {committed}",
    none: "없음",
    working: "{msg} 처리 중",
    queued: "poll했지만 처리 안 함 {n}",
    status_up: "동작 중",
    status_crashed: "죽음",
    status_stopped: "멈춤",
    status_not_started: "시작 전",
    ledger: "원장",
    ledger_row: "{service}: 생산 {produced} · 처리 {processed} · 중복 {duplicates} · 처리 중 {in_flight} · 유실 {lost}",
    told_gone: "쓰였다고 들었지만 사라진 것: {msgs}",
    describe_topic: "kafka-topics.sh --describe",
    describe_group: "kafka-consumer-groups.sh --describe",
    story: "{msg}의 일생",
    story_hint: "스테이지에서 레코드를 고르면 그 일생을 따라갑니다: 생산, 추가, 복제, 커밋, 소비, 오프셋 커밋 — 또는 어디서 사라졌는지.",
    faults: "지금 일으킬 장애",
    inspector: "검사기",
    lanes: "그릴 레인",
    elr: "ELR {elr}",
    settings: "설정",
    settings_hint: "바꾸면 같은 시드로 시나리오를 다시 실행합니다.",
    settings_mixed: "제각각",
    settings_changed: "바뀜",
    settings_own: "시나리오 원래 설정",
    settings_note: "설정이 바뀌었습니다. 해설은 시나리오 원래 설정을 설명합니다.",
    settings_refused: "Kafka가 이 조합을 거부하므로 실행은 바뀌지 않았습니다: {reason}",
    settings_default: "기본값",
    glance: "{lane} 레인의 Kafka 클러스터",
    committed_offset: "커밋 {offset}",
    no_committed_offset: "커밋 없음",
    lso_offset: "LSO {offset}",
    committed_flag: "커밋",
    lso_flag: "LSO",
    later: "뒤의 {n}개",
    record_title: "오프셋 {offset}: {msg}",
    next_offset: "오프셋 {offset}: 다음 레코드가 들어올 자리",
    held_by: "{consumer}가 poll했지만 아직 처리 안 함",
    worked_by: "{consumer}가 처리 중",
    commit_glyph: "C",
    abort_glyph: "A",
    commit_marker: "커밋 마커",
    abort_marker: "중단 마커",
    transactional: "트랜잭션 안의 레코드",
    aborted: "중단됨: `read_committed` 소비자는 건너뜀",
    key_aborted: "중단됨, 건너뜀",
    key_lso: "마지막 안정 오프셋: `read_committed`는 그 아래만 읽음",
    key_committed: "HW 아래",
    key_open: "HW 위",
    key_held: "poll했지만 처리 안 함",
    key_group: "그룹의 커밋 오프셋",
    key_markers: "트랜잭션 마커: 커밋, 중단",
    key: "파티션 띠의 의미",
    leader_row: "{tp}의 리더: 브로커 {id}",
    leaderless_row: "{tp}: 리더 없음",
    kill_leader: "리더 종료",
    restart_broker: "브로커 {id} 재시작",
    slow_consumer: "5초간 느리게 ×4",
    lose_response: "produce 응답 유실",
    lane_faults_help: "장애는 지금 시각에 모든 레인에서 함께 일어나고, 실행의 일부가 됩니다.",
};
