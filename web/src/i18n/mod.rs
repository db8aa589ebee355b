//! Every word the site shows, one catalogue per language.
//!
//! A catalogue is a struct of `&'static str` fields rather than a key lookup,
//! so a language that lacks a string does not compile. Redis and Kafka terms
//! (XACK, consumer group, pending list, acks=all, …) keep their spelling in
//! every language: learners meet them verbatim in `redis-cli` and in configs.
//! Where a sentence names a command, a field or a setting literally, the
//! catalogue puts it in backticks and the view sets it in code type. Hyphenated
//! names that must not break across lines (at‑least‑once, in‑sync) use the
//! non-breaking hyphen U+2011.

mod en;
pub mod kafka;
mod ko;
pub mod lesson;
pub mod workload;

use yew::prelude::*;

use crate::lab::Lab;

/// A language the site speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// Every language, in the order the language switch lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The BCP 47 tag: the `lang` attribute of the page and of the switch.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's name in itself, so a reader can find their language
    /// whatever the page is currently in.
    pub const fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    /// The language for a BCP 47 tag such as `navigator.language`'s
    /// `ko-KR`: Korean for any `ko` tag, English for everything else.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The browser's preferred language, English if it cannot be read.
    pub fn from_browser() -> Lang {
        web_sys::window()
            .and_then(|window| window.navigator().language())
            .map_or(Lang::En, |tag| Lang::from_tag(&tag))
    }

    /// The lessons' words in this language.
    pub const fn lesson_text(self) -> &'static lesson::LessonText {
        match self {
            Lang::En => &lesson::EN,
            Lang::Ko => &lesson::KO,
        }
    }

    /// The catalogue of this language.
    pub const fn catalogue(self) -> &'static Catalogue {
        match self {
            Lang::En => &en::CATALOGUE,
            Lang::Ko => &ko::CATALOGUE,
        }
    }
}

/// What the site says about one lab.
#[derive(Debug, PartialEq, Eq)]
pub struct LabText {
    /// The lab's name in the navigation and as its heading.
    pub name: &'static str,
    /// One sentence on what the lab will show, until it is built. Literal
    /// terms are in backticks (see `components::Prose`).
    pub pending: &'static str,
}

/// What the stage says (its SVG labels).
#[derive(Debug, PartialEq, Eq)]
pub struct StageText {
    /// Accessible name of the stage.
    pub stage: &'static str,
    /// Badge of a dead-letter stream.
    pub dead_letters: &'static str,
    /// The stub of entries older than the tape shows (`{n}`).
    pub older: &'static str,
    /// Accessible name of an entry (`{id}`, `{key}`, `{msg}`: its headline).
    pub entry_label: &'static str,
    /// Accessible name of a group's header (`{group}`, `{id}`, `{read}`,
    /// `{lag}`, `{n}`: what XINFO GROUPS reports).
    pub group_label: &'static str,
    /// The word before a group's name.
    pub group: &'static str,
    /// Accessible name of a consumer's card (`{consumer}`, `{status}`, `{n}`).
    pub consumer_label: &'static str,
    /// A consumer no worker drives: before its idle time.
    pub client: &'static str,
    /// A running worker.
    pub up: &'static str,
    /// A crashed worker.
    pub crashed: &'static str,
    /// A worker cut off from Redis.
    pub network_down: &'static str,
    /// A worker not started yet.
    pub not_started: &'static str,
    /// A worker that left for good.
    pub stopped: &'static str,
    /// A slowed worker (`{pct}`: its processing time in percent).
    pub slow_pct: &'static str,
    /// What a worker is processing (`{msg}`).
    pub processing: &'static str,
    /// A consumer with an empty pending list.
    pub none_pending: &'static str,
    /// Under a long pending list: how many in all (`{n}`).
    pub in_all: &'static str,
    /// The word above a producer's name.
    pub producer: &'static str,
    /// Before a producer's count of sent messages.
    pub sent: &'static str,
    /// The chip of an XACK in flight.
    pub ack_word: &'static str,
    /// The chip of a dead-letter move in flight, in the key.
    pub dead_letter_move: &'static str,
    /// Accessible name of the key under the stage.
    pub legend: &'static str,
    /// The key: a rail's solid line.
    pub legend_delivered: &'static str,
    /// The key: a rail's dashed line.
    pub legend_lag: &'static str,
    /// The key: a rail's hollow square.
    pub legend_pending: &'static str,
    /// The stage before any stream exists.
    pub empty: &'static str,
}

/// What the run picker and the clock bar say about the run.
#[derive(Debug, PartialEq, Eq)]
pub struct RunText {
    /// The scenario menu's label.
    pub scenario: &'static str,
    /// The seed's label.
    pub seed: &'static str,
    /// Why a typed seed was refused.
    pub seed_invalid: &'static str,
    /// The trace fingerprint's label.
    pub trace: &'static str,
    /// What the trace fingerprint is for.
    pub trace_help: &'static str,
    /// Accessible name of the timeline.
    pub timeline: &'static str,
    /// The timeline's spoken value (`{now}`, `{end}`).
    pub timeline_value: &'static str,
    /// How many commands and faults the user added (`{n}`).
    pub changes: &'static str,
    /// The button that removes them.
    pub clear_changes: &'static str,
}

/// What the panels around the stage say.
#[derive(Debug, PartialEq, Eq)]
pub struct PanelsText {
    /// The narration's heading.
    pub narration: &'static str,
    /// When the narration's step began (`{t}`).
    pub since: &'static str,
    /// Shown above the narration once the reader changed the run (a
    /// fault, a console command): its sentences tell the scenario as
    /// written, the stage and the counts tell this run.
    pub changed_note: &'static str,
    /// The inspector's heading.
    pub inspector: &'static str,
    /// What the inspector does, before anything is picked.
    pub inspector_hint: &'static str,
    /// Inspector heading for an entry (`{id}`, `{key}`).
    pub entry_title: &'static str,
    /// Inspector heading for a group (`{group}`, `{key}`).
    pub group_title: &'static str,
    /// Inspector heading for a consumer (`{consumer}`, `{group}`).
    pub consumer_title: &'static str,
    /// Closes the inspector.
    pub close: &'static str,
    /// Heading of an entry's life story.
    pub story: &'static str,
    /// An entry nothing has happened to.
    pub story_empty: &'static str,
    /// The event log's heading.
    pub log: &'static str,
    /// The event log before the first event.
    pub log_empty: &'static str,
    /// The console's heading.
    pub console: &'static str,
    /// What the console does.
    pub console_help: &'static str,
    /// An example command in the empty console field.
    pub console_placeholder: &'static str,
    /// Accessible name of the console field.
    pub console_label: &'static str,
    /// The fault buttons' heading.
    pub faults: &'static str,
    /// What a fault button does.
    pub faults_help: &'static str,
    /// Why nothing can be added to a finished run.
    pub run_ended: &'static str,
    /// The Crash button.
    pub crash: &'static str,
    /// The Restart button.
    pub restart: &'static str,
    /// The Slow button.
    pub slow: &'static str,
    /// A fault button's accessible name (`{fault}`, `{worker}`).
    pub fault_name: &'static str,
    /// Why a 65th command or fault was refused.
    pub too_many: &'static str,
    /// Hides a notice.
    pub dismiss: &'static str,
}

/// The trace in words: one template per kind of event, with `{name}`
/// holes for the engine's values (see `words::fill`).
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    /// The Kafka lab's sentences and labels.
    pub kafka: &'static kafka::KafkaWords,
    /// XADD appended an entry (`{id}`, `{key}`).
    pub added: &'static str,
    /// XADD appended a message's entry (`{id}`, `{key}`, `{msg}`).
    pub added_msg: &'static str,
    /// XREADGROUP delivered a new entry (`{group}`, `{consumer}`, `{id}`, `{n}`).
    pub delivered: &'static str,
    /// A consumer re-read a pending entry (`{consumer}`, `{id}`, `{n}`).
    pub redelivered: &'static str,
    /// XREADGROUP NOACK delivered an entry (`{group}`, `{consumer}`, `{id}`).
    pub delivered_noack: &'static str,
    /// XACK (`{consumer}`, `{id}`, `{key}`).
    pub acked: &'static str,
    /// XCLAIM / XAUTOCLAIM (`{to}`, `{from}`, `{id}`, `{n}`).
    pub claimed: &'static str,
    /// A deleted entry's pending entry dropped (`{id}`, `{key}`, `{consumer}`).
    pub pending_dropped: &'static str,
    /// XGROUP CREATE (`{group}`, `{key}`, `{id}`).
    pub group_created: &'static str,
    /// XGROUP DESTROY (`{group}`, `{key}`).
    pub group_destroyed: &'static str,
    /// XGROUP SETID (`{group}`, `{from}`, `{to}`).
    pub cursor_set: &'static str,
    /// A consumer came into being (`{consumer}`, `{group}`).
    pub consumer_created: &'static str,
    /// XGROUP DELCONSUMER (`{consumer}`, `{group}`, `{n}`).
    pub consumer_deleted: &'static str,
    /// Trimming (`{key}`, `{n}`).
    pub trimmed: &'static str,
    /// XDEL (`{ids}`, `{key}`).
    pub deleted: &'static str,
    /// XSETID (`{key}`, `{id}`).
    pub stream_id_set: &'static str,
    /// XREAD (`{client}`, `{ids}`, `{key}`).
    pub entries_read: &'static str,
    /// A key was deleted (`{key}`).
    pub key_deleted: &'static str,
    /// FLUSHALL.
    pub flushed: &'static str,
    /// A key's deadline passed (`{key}`).
    pub key_expired: &'static str,
    /// EXPIRE and friends (`{key}`, `{ms}` left).
    pub expiry_set: &'static str,
    /// PERSIST, or a SET that dropped the deadline (`{key}`).
    pub expiry_removed: &'static str,
    /// SET, INCR, … (`{client}`, `{key}`, `{value}`).
    pub string_set: &'static str,
    /// EXEC ran the queue (`{client}`, `{n}` commands).
    pub tx_executed: &'static str,
    /// EXEC ran nothing: a watched key changed (`{client}`).
    pub tx_aborted_watch: &'static str,
    /// EXEC refused: a queued command was refused (`{client}`).
    pub tx_aborted_queue: &'static str,
    /// DISCARD (`{client}`).
    pub tx_discarded: &'static str,
    /// LPUSH / RPUSH (`{end}`, `{n}`, `{key}`).
    pub list_pushed: &'static str,
    /// A pop (`{client}`, `{value}`, `{key}`).
    pub list_popped: &'static str,
    /// LREM (`{client}`, `{n}` copies of `{value}`, `{key}`).
    pub list_removed: &'static str,
    /// LMOVE (`{value}`, `{from}`, `{to}`).
    pub list_moved: &'static str,
    /// PUBLISH without a cluster (`{channel}`, `{n}`).
    pub published: &'static str,
    /// PUBLISH on a cluster node (`{channel}`, `{n}`, `{node}`): the count
    /// is that node's; the bus carries it to every other node.
    pub published_node: &'static str,
    /// SPUBLISH (`{channel}`, `{n}`, `{node}`): the count is that node's;
    /// it stays in the channel's shard.
    pub spublished: &'static str,
    /// A subscriber got a message (`{client}`, `{channel}`).
    pub message_delivered: &'static str,
    /// SUBSCRIBE (`{client}`, `{channel}`).
    pub subscribed: &'static str,
    /// UNSUBSCRIBE (`{client}`, `{channel}`).
    pub unsubscribed: &'static str,
    /// A blocking read timed out (`{client}`).
    pub timed_out: &'static str,
    /// A producer sent a message (`{producer}`, `{msg}`, `{key}`).
    pub produced: &'static str,
    /// The broker refused a message (`{producer}`, `{msg}`, `{key}`).
    pub refused: &'static str,
    /// A polling worker's LPOP found nothing (`{worker}`).
    pub polled_empty: &'static str,
    /// A worker started processing (`{worker}`, `{msg}`, `{until}`).
    pub processing: &'static str,
    /// A worker processed a message (`{worker}`, `{msg}`).
    pub processed: &'static str,
    /// A worker skipped a duplicate (`{worker}`, `{msg}`).
    pub skipped: &'static str,
    /// Processing failed; the entry stays pending (`{worker}`, `{msg}`).
    pub failed: &'static str,
    /// A poison message failed; the entry stays pending (`{worker}`,
    /// `{msg}`).
    pub failed_poison: &'static str,
    /// Processing failed; the broker no longer has the message (a popped
    /// value, a pushed message) (`{worker}`, `{msg}`).
    pub failed_gone: &'static str,
    /// A dead-letter move (`{worker}`, `{id}`, `{to}`, `{new_id}`, `{n}`).
    pub dead_lettered: &'static str,
    /// A consumer crashed; its pending entries stay (`{worker}`).
    pub crashed: &'static str,
    /// A list worker crashed; what it popped is gone (`{worker}`).
    pub crashed_list: &'static str,
    /// A subscriber crashed; what is published meanwhile is not kept
    /// (`{worker}`).
    pub crashed_subscriber: &'static str,
    /// A worker restarted (`{worker}`).
    pub restarted: &'static str,
    /// A worker left for good (`{worker}`).
    pub stopped: &'static str,
    /// A worker slowed down (`{worker}`, `{pct}`, `{until}`).
    pub slowed: &'static str,
    /// A slowdown ended (`{worker}`).
    pub speed_restored: &'static str,
    /// A client's network dropped (`{client}`, `{until}`).
    pub network_down: &'static str,
    /// A client's network came back (`{client}`).
    pub network_up: &'static str,
    /// A command never reached the broker (`{client}`, `{command}`).
    pub command_lost: &'static str,
    /// The broker ran a command but its reply was lost (`{client}`,
    /// `{command}`).
    pub reply_lost: &'static str,
    /// A client heard nothing for its timeout and dropped its connection
    /// (`{client}`, `{command}`).
    pub gave_up: &'static str,
    /// The broker's machine crashed, nothing persisted.
    pub broker_crashed: &'static str,
    /// The broker's machine crashed; the disk holds what was flushed by
    /// `{at}`.
    pub broker_crashed_disk: &'static str,
    /// The broker restarted with `{n}` keys from disk.
    pub broker_restarted: &'static str,
    /// An exactly-once effect was lost with the broker's data (`{msg}`).
    pub effect_lost: &'static str,
    /// A reply arrived later, as to a blocked read (`{client}`).
    pub answered: &'static str,
    /// A scripted or console command (`{client}`, `{line}`).
    pub command: &'static str,
    /// The drain phase began.
    pub drain: &'static str,
    /// A message was never processed and nobody holds it (`{msg}`).
    pub lost: &'static str,
    /// At the end, a message not processed yet that the broker or a worker
    /// still holds (`{msg}`).
    pub in_flight: &'static str,
}

/// Why a share link could not be shown.
#[derive(Debug, PartialEq, Eq)]
pub struct LinkErrorText {
    /// The whole message (`{reason}`: one of the reasons below).
    pub intro: &'static str,
    /// The fragment is too long.
    pub too_long: &'static str,
    /// The fragment is not key=value pairs.
    pub malformed: &'static str,
    /// An unknown key (`{key}`).
    pub unknown_key: &'static str,
    /// A key given twice (`{key}`).
    pub repeated: &'static str,
    /// A key's value is not valid (`{key}`).
    pub bad_value: &'static str,
    /// The n-th command or fault is not valid (`{n}`).
    pub bad_injection: &'static str,
    /// Too many commands and faults.
    pub too_many: &'static str,
    /// A scenario the lab does not have.
    pub unknown_scenario: &'static str,
    /// A moment outside the run.
    pub not_in_run: &'static str,
    /// A fault names an unknown worker (`{key}`).
    pub unknown_worker: &'static str,
    /// The n-th Kafka setting is not valid (`{n}`).
    pub bad_setting: &'static str,
    /// Kafka refuses the link's settings (`{reason}`).
    pub settings_refused: &'static str,
    /// The schedule's fault number `{n}` is not one the page can run.
    pub bad_fault: &'static str,
    /// No lesson has the id `{key}`.
    pub unknown_lesson: &'static str,
    /// Lesson `{key}` has no step `{n}`.
    pub no_such_step: &'static str,
}

/// The Guarantees lab: lanes stacked on one clock, their counters, fate
/// grids, charts, and a message's story in every lane.
#[derive(Debug, PartialEq, Eq)]
pub struct GuaranteesText {
    /// Accessible name of the stage.
    pub stage: &'static str,
    /// What at-most-once does.
    pub at_most_once: &'static str,
    /// What at-least-once does.
    pub at_least_once: &'static str,
    /// What exactly-once does.
    pub exactly_once: &'static str,
    /// The dedup-without-a-transaction lane's rule.
    pub dedup_without_transaction: &'static str,
    /// What at-most-once does over Kafka.
    pub kafka_at_most_once: &'static str,
    /// What at-least-once does over Kafka.
    pub kafka_at_least_once: &'static str,
    /// What exactly-once does over Kafka.
    pub kafka_exactly_once: &'static str,
    /// Accessible name of a lane's counters (`{lane}`).
    pub counters: &'static str,
    /// Counter labels.
    pub produced: &'static str,
    /// Deliveries.
    pub delivered: &'static str,
    /// Messages processed at least once.
    pub processed: &'static str,
    /// Effects applied beyond the first.
    pub duplicates: &'static str,
    /// Lost messages.
    pub lost: &'static str,
    /// Dead-lettered messages.
    pub dead_lettered: &'static str,
    /// Messages not processed yet.
    pub in_flight: &'static str,
    /// A stream's length (`{key}`, `{n}`).
    pub stream: &'static str,
    /// A group and its pending entries (`{group}`, `{n}`).
    pub group: &'static str,
    /// A consumer's pending entries (`{consumer}`, `{n}`).
    pub pending: &'static str,
    /// The broker is down.
    pub broker_down: &'static str,
    /// Accessible name of a lane's fate grid (`{lane}`).
    pub grid: &'static str,
    /// A message processed once.
    pub fate_once: &'static str,
    /// A message processed `{n}` times.
    pub fate_times: &'static str,
    /// A lost message.
    pub fate_lost: &'static str,
    /// A dead-lettered message.
    pub fate_dead: &'static str,
    /// A message not processed yet.
    pub fate_in_flight: &'static str,
    /// A cell's accessible name (`{msg}`, `{fate}`).
    pub cell: &'static str,
    /// Accessible name of the fates' key.
    pub key: &'static str,
    /// Accessible name of a lane's chart (`{lane}`).
    pub chart: &'static str,
    /// The chart's "now" mark.
    pub now: &'static str,
    /// The story panel's title (`{msg}`).
    pub story: &'static str,
    /// What the story panel says before a cell is chosen.
    pub story_hint: &'static str,
    /// A lane where nothing happened to the message yet.
    pub story_empty: &'static str,
    /// The "what if" panel's title.
    pub what_if: &'static str,
    /// What branching does.
    pub what_if_help: &'static str,
    /// The lane chooser's label.
    pub branch_lane: &'static str,
    /// The change chooser's label.
    pub branch_change: &'static str,
    /// The group of faults to leave out.
    pub group_without: &'static str,
    /// The group of faults to add now.
    pub group_with: &'static str,
    /// The group of guarantees to switch to.
    pub group_as: &'static str,
    /// Leave out a fault (`{fault}`).
    pub change_without: &'static str,
    /// Crash a worker now (`{role}`).
    pub change_crash: &'static str,
    /// Another guarantee (`{guarantee}`).
    pub change_as: &'static str,
    /// The button.
    pub branch_here: &'static str,
    /// Removing the branch.
    pub unbranch: &'static str,
    /// A branch's title (`{lane}`, `{fault}`).
    pub branch_name: &'static str,
    /// A branch with a fault added (`{lane}`, `{fault}`).
    pub branch_name_with: &'static str,
    /// A branch with another guarantee (`{lane}`, `{guarantee}`).
    pub branch_name_as: &'static str,
    /// A crash (`{role}`, `{t}`).
    pub fault_crash: &'static str,
    /// A restart (`{role}`, `{t}`).
    pub fault_restart: &'static str,
    /// A lost command (`{role}`, `{command}`, `{t}`).
    pub fault_lose_command: &'static str,
    /// A lost reply (`{role}`, `{t}`): a produce response, in Kafka.
    pub fault_lose_reply: &'static str,
    /// A broker killed (`{role}`: `leader` or `broker-N`, `{t}`).
    pub fault_kill: &'static str,
    /// Any other fault (`{kind}`, `{role}`, `{t}`).
    pub fault_other: &'static str,
    /// The workload editor's words.
    pub workload: &'static workload::WorkloadText,
}

/// The Queue vs Stream vs Pub/Sub stage: one column per kind of
/// destination, and what each column's rule is.
#[derive(Debug, PartialEq, Eq)]
pub struct CompareText {
    /// Accessible name of the stage.
    pub stage: &'static str,
    /// The pub/sub column.
    pub channels: &'static str,
    /// What pub/sub does with a message.
    pub channels_rule: &'static str,
    /// The list column.
    pub lists: &'static str,
    /// What a list queue does with a message.
    pub lists_rule: &'static str,
    /// The stream column.
    pub streams: &'static str,
    /// What a stream does with a message.
    pub streams_rule: &'static str,
    /// A producer's count of sent messages (`{n}`).
    pub sent: &'static str,
    /// A list with no items.
    pub empty: &'static str,
    /// A list's length (`{n}`).
    pub length: &'static str,
    /// A stream's kept entries (`{n}`).
    pub kept: &'static str,
    /// A worker's processing list (`{key}`).
    pub processing_list: &'static str,
    /// A subscriber listening to (`{names}`).
    pub listens: &'static str,
    /// A list worker that waits in BLPOP.
    pub blocks: &'static str,
    /// A list worker that polls (`{ms}`).
    pub polls: &'static str,
    /// A reliable list worker (`{key}`).
    pub moves: &'static str,
    /// A plain XREAD reader (`{from}`).
    pub reads: &'static str,
    /// A group reading (`{group}`, `{id}` its last-delivered-id).
    pub group: &'static str,
    /// A client Redis holds waiting.
    pub waiting: &'static str,
    /// What a worker processes (`{msg}`).
    pub processing: &'static str,
    /// The counts' labels.
    pub produced: &'static str,
    /// Deliveries.
    pub delivered: &'static str,
    /// Processed messages.
    pub processed: &'static str,
    /// Messages processed twice or more.
    pub duplicates: &'static str,
    /// Lost messages.
    pub lost: &'static str,
    /// Messages in flight.
    pub in_flight: &'static str,
    /// Empty polls.
    pub empty_polls: &'static str,
    /// Nothing of this kind in the scenario.
    pub none: &'static str,
    /// Accessible name of the script's and console's connections.
    pub connections: &'static str,
    /// A connection blocked on keys (`{keys}`, `{since}`).
    pub connection_blocked: &'static str,
    /// A connection subscribed (`{names}`).
    pub connection_subscribed: &'static str,
    /// A connection doing nothing.
    pub connection_idle: &'static str,
    /// Label: how long messages waited before processing began.
    pub wait: &'static str,
    /// The wait's mean and longest (`{mean}`, `{max}`).
    pub wait_value: &'static str,
    /// Heading of the cluster panel.
    pub cluster: &'static str,
    /// A node (`{address}`).
    pub cluster_node: &'static str,
    /// A primary and its slots.
    pub cluster_primary: &'static str,
    /// A replica, its primary and slots.
    pub cluster_replica: &'static str,
    /// A subscription on a node.
    pub cluster_subscribed: &'static str,
    /// Bus counts.
    pub cluster_bus: &'static str,
    /// The latest PUBLISH.
    pub cluster_last_publish: &'static str,
    /// The latest SPUBLISH.
    pub cluster_last_spublish: &'static str,
    /// Subscribers reached on a node.
    pub cluster_reached_on: &'static str,
    /// Nobody reached.
    pub cluster_nobody: &'static str,
    /// Heading of where keys and channels live.
    pub cluster_homes: &'static str,
    /// A key, its slot and the node owning it (`{name}`, `{slot}`, `{node}`).
    pub cluster_home_key: &'static str,
    /// A shard channel, its slot and its node.
    pub cluster_home_shard: &'static str,
    /// A channel: no slot, every node (`{name}`).
    pub cluster_home_channel: &'static str,
    /// Heading of the switch between one server and a cluster.
    pub topology: &'static str,
    /// One server.
    pub topology_single: &'static str,
    /// A cluster (`{primaries}`, `{replicas}` per primary).
    pub topology_cluster: &'static str,
    /// The scenario as written runs elsewhere.
    pub topology_changed: &'static str,
    /// What switching does.
    pub topology_hint: &'static str,
    /// The cluster refuses the scenario (`{reason}`: the command and
    /// Redis's reply).
    pub cluster_refused: &'static str,
}

/// A keyboard shortcut as the help dialog lists it.
#[derive(Debug, PartialEq, Eq)]
pub struct Shortcut {
    /// The keys, each shown as a key cap (`Space`, `→`).
    pub keys: &'static [&'static str],
    /// What they do.
    pub does: &'static str,
}

/// The page's own controls: help, projection mode, the theme switch.
#[derive(Debug, PartialEq, Eq)]
pub struct ClassroomText {
    /// The help button.
    pub help: &'static str,
    /// The help dialog's heading.
    pub help_title: &'static str,
    /// The line under it.
    pub help_intro: &'static str,
    /// Heading of the shortcuts that work anywhere on the page.
    pub anywhere: &'static str,
    /// Heading of the shortcuts of the console field.
    pub in_console: &'static str,
    /// Heading of the shortcuts on the stage.
    pub on_stage: &'static str,
    /// Column headings: the keys, and what they do.
    pub key: &'static str,
    /// See `key`.
    pub action: &'static str,
    /// The shortcuts that work anywhere.
    pub global: &'static [Shortcut],
    /// The console field's.
    pub console: &'static [Shortcut],
    /// The stage's.
    pub stage: &'static [Shortcut],
    /// Closes the dialog.
    pub close: &'static str,
    /// The projection-mode button.
    pub projection: &'static str,
    /// What projection mode is for (the button's tooltip).
    pub projection_help: &'static str,
    /// Accessible name of the theme switch.
    pub theme: &'static str,
    /// The theme that follows the system.
    pub theme_system: &'static str,
    /// The light theme.
    pub theme_light: &'static str,
    /// The dark theme.
    pub theme_dark: &'static str,
}

/// The Export menu: the run's trace and ledger, the stage's pictures.
#[derive(Debug, PartialEq, Eq)]
pub struct ExportText {
    /// The menu's button.
    pub menu: &'static str,
    /// What the menu saves (the button's tooltip).
    pub menu_help: &'static str,
    /// The trace (JSON Lines).
    pub trace: &'static str,
    /// What the trace file holds.
    pub trace_help: &'static str,
    /// The ledger (CSV).
    pub ledger: &'static str,
    /// What the ledger file holds.
    pub ledger_help: &'static str,
    /// The stage as SVG.
    pub svg: &'static str,
    /// What the SVG file holds.
    pub svg_help: &'static str,
    /// The stage as PNG.
    pub png: &'static str,
    /// What the PNG file holds.
    pub png_help: &'static str,
    /// Said once a file was handed to the browser (`{file}`).
    pub saved: &'static str,
    /// Said when the browser would not make or save a file (`{file}`).
    pub failed: &'static str,
}

/// Every user-visible string in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Catalogue {
    /// The document title.
    pub page_title: &'static str,
    /// The line under the site's name.
    pub tagline: &'static str,
    /// Accessible name of the lab navigation.
    pub labs: &'static str,
    /// Accessible name of the language switch.
    pub language: &'static str,
    /// The Streams lab.
    pub streams: LabText,
    /// The queue / stream / pub/sub comparison lab.
    pub compare: LabText,
    /// The Kafka lab.
    pub kafka: LabText,
    /// The delivery guarantees lab.
    pub guarantees: LabText,
    /// The badge over a lab that is not built yet.
    pub not_built: &'static str,
    /// Accessible name of the clock bar.
    pub clock: &'static str,
    /// The Play button.
    pub play: &'static str,
    /// The Pause button (the Play button while playing).
    pub pause: &'static str,
    /// The Step button.
    pub step: &'static str,
    /// The Step back button.
    pub step_back: &'static str,
    /// The Reset button.
    pub reset: &'static str,
    /// The Speed control.
    pub speed: &'static str,
    /// The label of the simulated time.
    pub sim_time: &'static str,
    /// Why Play, Step and Reset do nothing.
    pub no_scenario: &'static str,
    /// The stage.
    pub stage: StageText,
    /// The Queue vs Stream vs Pub/Sub stage.
    pub compare_stage: CompareText,
    /// The Guarantees stage.
    pub guarantees_stage: GuaranteesText,
    /// The run.
    pub run: RunText,
    /// The panels.
    pub panels: PanelsText,
    /// The trace in words.
    pub words: Words,
    /// Share-link errors.
    pub link_errors: LinkErrorText,
    /// Help, projection mode and themes.
    pub classroom: ClassroomText,
    /// The Export menu.
    pub export: ExportText,
}

impl Catalogue {
    /// What the site says about `lab`.
    pub const fn lab(&self, lab: Lab) -> &LabText {
        match lab {
            Lab::Streams => &self.streams,
            Lab::Compare => &self.compare,
            Lab::Kafka => &self.kafka,
            Lab::Guarantees => &self.guarantees,
        }
    }
}

/// The catalogue of the language the page is shown in, from the [`Lang`]
/// context the app provides (English outside of it).
#[hook]
pub fn use_catalogue() -> &'static Catalogue {
    use_context::<Lang>().unwrap_or_default().catalogue()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_tags_choose_korean_and_everything_else_english() {
        for (tag, lang) in [
            ("ko", Lang::Ko),
            ("ko-KR", Lang::Ko),
            ("KO_kr", Lang::Ko),
            ("en-US", Lang::En),
            ("kok", Lang::En),
            ("ja", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::from_tag(tag), lang, "{tag:?}");
        }
    }

    /// A catalogue part's strings: `(field, value)`.
    type Strings = Vec<(String, String)>;

    /// `field: "value"` pairs of a catalogue part, from its `Debug` form.
    fn strings(part: &impl std::fmt::Debug) -> Strings {
        let debug = format!("{part:?}");
        let mut out = Vec::new();
        let mut rest = debug.as_str();
        while let Some(at) = rest.find(": \"") {
            let name = rest[..at]
                .rsplit([' ', '{', ','])
                .next()
                .unwrap_or_default()
                .to_owned();
            let mut value = String::new();
            let mut chars = rest[at + 3..].char_indices();
            let mut end = 0;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = i;
                        break;
                    }
                    c => value.push(c),
                }
            }
            out.push((name, value));
            rest = &rest[at + 3 + end + 1..];
        }
        out
    }

    /// The `{name}` holes of a template, sorted.
    fn holes(template: &str) -> Vec<&str> {
        let mut found: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn both_languages_fill_the_same_holes_and_pair_their_backticks() {
        let (en, ko) = (Lang::En.catalogue(), Lang::Ko.catalogue());
        let parts: [(Strings, Strings); 7] = [
            (strings(&en.compare_stage), strings(&ko.compare_stage)),
            (strings(&en.guarantees_stage), strings(&ko.guarantees_stage)),
            (strings(&en.stage), strings(&ko.stage)),
            (strings(&en.run), strings(&ko.run)),
            (strings(&en.panels), strings(&ko.panels)),
            (strings(&en.words), strings(&ko.words)),
            (strings(&en.link_errors), strings(&ko.link_errors)),
        ];
        for (en, ko) in parts {
            assert_eq!(en.len(), ko.len());
            assert!(!en.is_empty());
            for ((name, english), (_, korean)) in en.iter().zip(&ko) {
                assert!(!english.is_empty() && !korean.is_empty(), "{name} is empty");
                assert_eq!(
                    holes(english),
                    holes(korean),
                    "{name}: {english} / {korean}"
                );
                for text in [english, korean] {
                    assert_eq!(
                        text.matches('`').count() % 2,
                        0,
                        "unpaired ` in {name}: {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn both_languages_list_the_same_shortcuts() {
        let (en, ko) = (
            &Lang::En.catalogue().classroom,
            &Lang::Ko.catalogue().classroom,
        );
        assert_eq!(strings(en).len(), strings(ko).len());
        for (en, ko) in [
            (en.global, ko.global),
            (en.console, ko.console),
            (en.stage, ko.stage),
        ] {
            assert_eq!(en.len(), ko.len());
            for (en, ko) in en.iter().zip(ko) {
                assert_eq!(en.keys.len(), ko.keys.len(), "{en:?} / {ko:?}");
                assert!(!en.does.is_empty() && !ko.does.is_empty());
                assert_ne!(en.does, ko.does);
            }
        }
        // Every key the page answers to is listed (see `hooks::clock_key`).
        let listed: Vec<&str> = en.global.iter().flat_map(|s| s.keys).copied().collect();
        for key in ["Space", "→", "←", "+", "−", "Home", "Esc", "?", "F"] {
            assert!(listed.contains(&key), "{key} is not in the help");
        }
    }

    #[test]
    fn every_string_is_filled_and_languages_differ_in_the_navigation() {
        for lang in Lang::ALL {
            let text = lang.catalogue();
            for lab in Lab::ALL {
                let LabText { name, pending } = text.lab(lab);
                assert!(!name.is_empty() && !pending.is_empty());
                assert_eq!(
                    pending.matches('`').count() % 2,
                    0,
                    "unpaired ` in {pending}"
                );
            }
        }
        let (en, ko) = (Lang::En.catalogue(), Lang::Ko.catalogue());
        assert_ne!(en.labs, ko.labs);
        assert_ne!(en.play, ko.play);
    }
}
