//! The Guarantees lab's workload editor's words, in both languages: the
//! workload's four knobs, the fault schedule's rows and its "add" form.

/// The workload editor's words.
#[derive(Debug, PartialEq, Eq)]
pub struct WorkloadText {
    /// The panel's title.
    pub title: &'static str,
    /// What changing the workload does.
    pub help: &'static str,
    /// The rate's label.
    pub rate: &'static str,
    /// The consumers' label.
    pub consumers: &'static str,
    /// The processing time's label.
    pub processing_ms: &'static str,
    /// The failure chance's label.
    pub failure_percent: &'static str,
    /// Why a Kafka run has no failure chance.
    pub failure_kafka: &'static str,
    /// The scenario's own value beside a field (`{value}`).
    pub own: &'static str,
    /// The button back to the scenario's own workload.
    pub reset: &'static str,
    /// The schedule's title.
    pub schedule: &'static str,
    /// A schedule with no fault.
    pub schedule_empty: &'static str,
    /// A fault's time field's label (`{fault}`).
    pub at: &'static str,
    /// A fault's remove button's accessible name (`{fault}`).
    pub remove: &'static str,
    /// The remove button's text.
    pub remove_short: &'static str,
    /// The add form's fault chooser's label.
    pub add_what: &'static str,
    /// The add form's time field's label.
    pub add_at: &'static str,
    /// The add form's time field when empty.
    pub add_now: &'static str,
    /// The add button.
    pub add: &'static str,
    /// `{role}` crashes.
    pub crash: &'static str,
    /// `{role}` restarts.
    pub restart: &'static str,
    /// `{role}` slows down.
    pub slow: &'static str,
    /// `{role}`'s `{command}` is lost.
    pub lose_command: &'static str,
    /// `{role}` is cut off the network.
    pub cut_off: &'static str,
    /// The answer to `{role}`'s next request is lost.
    pub lose_reply: &'static str,
    /// `{role}` (a Kafka broker, or the leader) is killed.
    pub kill: &'static str,
    /// The Redis server crashes.
    pub redis_crash: &'static str,
    /// The Redis server restarts.
    pub redis_restart: &'static str,
    /// A Kafka broker `{role}` restarts.
    pub broker_restart: &'static str,
    /// Why the run is unchanged (`{reason}`, the engine's).
    pub refused: &'static str,
}

/// English.
pub const EN: WorkloadText = WorkloadText {
    title: "Workload and faults",
    help: "Change what every lane runs: the run is made again with the same seed, at the same moment, and the link keeps your changes.",
    rate: "Messages a second",
    consumers: "Consumers",
    processing_ms: "Processing time (ms)",
    failure_percent: "Processing fails (%)",
    failure_kafka: "A Kafka consumer here does not fail its processing: crash it with a fault instead.",
    own: "scenario: {value}",
    reset: "Back to the scenario’s workload",
    schedule: "Fault schedule",
    schedule_empty: "No faults: every lane runs undisturbed.",
    at: "When {fault}, in ms",
    remove: "Remove “{fault}”",
    remove_short: "Remove",
    add_what: "Add a fault",
    add_at: "at (ms)",
    add_now: "now",
    add: "Add",
    crash: "{role} crashes",
    restart: "{role} restarts",
    slow: "{role} slows down",
    lose_command: "{role}’s {command} is lost",
    cut_off: "{role} is cut off the network",
    lose_reply: "the answer to {role}’s next request is lost",
    kill: "{role} is killed",
    redis_crash: "Redis crashes (no persistence)",
    redis_restart: "Redis restarts",
    broker_restart: "{role} restarts",
    refused: "The workload cannot run this way, so the run is unchanged: {reason}",
};

/// Korean.
pub const KO: WorkloadText = WorkloadText {
    title: "워크로드와 장애",
    help: "모든 레인이 실행하는 것을 바꿉니다. 같은 시드로, 같은 순간에 실행을 다시 만들고, 링크에 변경이 남습니다.",
    rate: "초당 메시지",
    consumers: "소비자 수",
    processing_ms: "처리 시간(ms)",
    failure_percent: "처리 실패 확률(%)",
    failure_kafka: "여기서 Kafka 소비자는 처리에 실패하지 않습니다. 대신 장애로 소비자를 죽이세요.",
    own: "시나리오 값: {value}",
    reset: "시나리오의 워크로드로 되돌리기",
    schedule: "장애 일정",
    schedule_empty: "장애가 없습니다. 모든 레인이 방해 없이 실행됩니다.",
    at: "{fault} 시각(ms)",
    remove: "“{fault}” 빼기",
    remove_short: "빼기",
    add_what: "장애 더하기",
    add_at: "시각(ms)",
    add_now: "지금",
    add: "더하기",
    crash: "{role}이(가) 죽음",
    restart: "{role}이(가) 다시 시작",
    slow: "{role}이(가) 느려짐",
    lose_command: "{role}의 {command} 유실",
    cut_off: "{role}의 네트워크 끊김",
    lose_reply: "{role}의 다음 요청에 대한 응답 유실",
    kill: "{role} 종료",
    redis_crash: "Redis가 죽음(영속성 없음)",
    redis_restart: "Redis 다시 시작",
    broker_restart: "{role} 다시 시작",
    refused: "워크로드를 이렇게 실행할 수 없어 실행은 바뀌지 않았습니다: {reason}",
};
