//! The trace of a run: every broker event and every simulation event,
//! stamped with the simulated time, the action that caused it and the lane
//! it happened in; and its fingerprint.
//!
//! # Fingerprint
//! FNV-1a, 64-bit (offset basis `0xcbf29ce484222325`, prime
//! `0x100000001b3`), over each event of the trace encoded with postcard 1.x
//! (its documented, stable wire format: varint integers, length-prefixed
//! strings and byte strings, enum variants by index, struct fields in
//! declaration order — see <https://postcard.jamesmunns.com/wire-format>),
//! event after event. It is printed as 16 lowercase hex digits. Encoding
//! and hash are integer-only and pointer-size independent, so native and
//! wasm builds agree. (`ackscope trace` prints the same events as JSON for
//! people to read.)

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;

use serde::{Deserialize, Serialize};

use super::events::EventRef;
use crate::msg::MsgRef;
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::{ClientId, Event, Name};
use crate::time::SimTime;

/// A stream entry's ID, or none (a message sent to a list or a channel,
/// or read from Kafka): an `Option<StreamId>` in 16 bytes instead of 24,
/// which is what lets the processing events, a message's most common, fit
/// in an event of 48 bytes. None is `0-0`, which no entry can have (XADD
/// refuses it, and `*` never makes it). It serializes exactly as the
/// `Option<StreamId>` it stands for, so the trace's encoding and its JSON
/// do not depend on it.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MaybeEntryId(StreamId);

impl MaybeEntryId {
    /// No entry.
    pub const NONE: MaybeEntryId = MaybeEntryId(StreamId::ZERO);

    /// The ID, if there is one.
    pub fn get(self) -> Option<StreamId> {
        (self.0 != StreamId::ZERO).then_some(self.0)
    }
}

impl From<Option<StreamId>> for MaybeEntryId {
    /// # Panics
    /// On `Some(0-0)`, which is no entry's ID and would read back as none.
    fn from(id: Option<StreamId>) -> Self {
        assert!(id != Some(StreamId::ZERO), "0-0 is not an entry ID");
        MaybeEntryId(id.unwrap_or(StreamId::ZERO))
    }
}

/// As the `Option<StreamId>` it stands for.
impl fmt::Debug for MaybeEntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for MaybeEntryId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for MaybeEntryId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<StreamId>::deserialize(deserializer)? {
            Some(StreamId::ZERO) => Err(serde::de::Error::custom("0-0 is not an entry ID")),
            id => Ok(MaybeEntryId(id.unwrap_or(StreamId::ZERO))),
        }
    }
}

/// What the simulation did outside the broker: what a simulated process
/// did, a fault, a phase of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum SimEvent {
    /// A producer sent a message to a target; `accepted` when the broker's
    /// reply says it took it. `id` is the stream entry ID, if any; `retry`
    /// counts earlier tries of the same send. (This and the processing
    /// events below are a message's common events: they stay unboxed,
    /// and their `id` is a [`MaybeEntryId`] to keep them small.)
    Produced {
        producer: Name,
        msg: MsgRef,
        target: Name,
        id: MaybeEntryId,
        accepted: bool,
        retry: u32,
    },
    /// A worker started processing a message; it will take until `until`.
    ProcessingStarted {
        worker: Name,
        service: u16,
        msg: MsgRef,
        id: MaybeEntryId,
        until: SimTime,
    },
    /// A worker finished processing: the effect was applied, or skipped
    /// because the message had been processed before (`applied: false`:
    /// the exactly-once consumer found its `done:` key).
    Processed {
        worker: Name,
        service: u16,
        msg: MsgRef,
        id: MaybeEntryId,
        applied: bool,
    },
    /// Processing failed; the message is not acknowledged.
    ProcessingFailed {
        worker: Name,
        service: u16,
        msg: MsgRef,
        id: MaybeEntryId,
        poison: bool,
    },
    /// A polling list worker's LPOP found the list empty: a round trip for
    /// nothing; it sleeps its poll interval before asking again.
    PolledEmpty { worker: Name, service: u16 },
    /// An entry delivered too often was copied to the dead-letter stream
    /// and acknowledged. Boxed, as rare as it is large (two stream IDs and
    /// three names): unboxed, it would set the size of every event.
    DeadLettered(Box<DeadLetter>),
    /// A worker crashed: its in-flight work is gone.
    Crashed { worker: Name },
    /// A crashed worker started again (new connection).
    Restarted { worker: Name },
    /// A worker left as planned (`stop_ms`): its connection closed.
    Stopped { worker: Name },
    /// A worker became `factor_pct`/100 times slower, until `until`.
    Slowed {
        worker: Name,
        factor_pct: u32,
        until: SimTime,
    },
    /// A slowdown ended.
    SpeedRestored { worker: Name },
    /// A client's network dropped: its connection is lost until `until`.
    NetworkDown { client: Name, until: SimTime },
    /// The network is back: the client reconnects.
    NetworkUp { client: Name },
    /// A command never reached the broker (the network dropped it, or the
    /// client had no connection): it did not run.
    CommandLost { client: Name, command: String },
    /// The broker ran a command but its reply was lost on the way back:
    /// the client does not know it ran.
    ReplyLost { client: Name, command: String },
    /// A client heard nothing for its timeout: it dropped the connection
    /// (and will reconnect, or send again).
    TimedOut { client: Name, command: String },
    /// The broker's machine went down. With `appendonly`, what was on disk
    /// as of `flushed_at` survives; without, nothing does.
    BrokerCrashed {
        appendonly: bool,
        flushed_at: Option<SimTime>,
    },
    /// The broker started again with `keys` keys loaded from disk.
    BrokerRestarted { keys: u64 },
    /// An exactly-once effect was undone: the broker lost it, with the
    /// `done:` key written in the same transaction.
    EffectLost { service: u16, msg: MsgRef },
    /// A scripted command (or one typed at the console) and its reply, as
    /// redis-cli prints it. Boxed, as rare as it is large (two strings):
    /// unboxed, it would set the size of every event.
    Command(Box<CommandRun>),
    /// Production stopped and faults were healed: the drain phase began.
    DrainStarted,
    /// At the end of the drain: a message the service never processed,
    /// and the broker no longer holds.
    Lost { service: u16, msg: MsgRef },
    /// At the end of the drain: a message the service has not processed
    /// yet, still held by the broker or a worker.
    InFlight { service: u16, msg: MsgRef },
}

/// An entry delivered too often, copied to the dead-letter stream (as
/// `new_id`) and acknowledged; it stays in `from`. See
/// [`SimEvent::DeadLettered`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The worker that moved it.
    pub worker: Name,
    /// The worker's service (index in the scenario).
    pub service: u16,
    /// The message the entry carries.
    pub msg: MsgRef,
    /// The stream it was read from.
    pub from: Name,
    /// Its ID there.
    pub id: StreamId,
    /// The dead-letter stream.
    pub to: Name,
    /// The copy's ID in the dead-letter stream.
    pub new_id: StreamId,
    /// How many times it had been delivered.
    pub deliveries: u64,
}

/// A scripted command (or one typed at the console) and its reply. See
/// [`SimEvent::Command`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommandRun {
    /// The connection it ran on.
    pub client: ClientId,
    /// The connection's name.
    pub name: Name,
    /// The command line (empty for replies that came later, to a
    /// blocked command or a subscription).
    pub line: String,
    /// The reply, as redis-cli prints it.
    pub reply: String,
    /// The script step that sent it (none when typed at the console, and
    /// for later replies).
    pub step: Option<u32>,
}

/// What happened, and in which model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum What {
    /// A state change of the Redis server.
    Redis(Event),
    /// Something a simulated process did, a fault, a phase of the run.
    Sim(SimEvent),
    /// A state change of the Kafka cluster (or of its clients' libraries).
    /// Boxed: a Kafka event (its topic, group and values as `String`s) is
    /// the largest payload by far, and every event of every run would be
    /// as large as the largest variant; a Redis run, millions of events,
    /// has none. (A `Box` serializes as what it holds: the trace's
    /// encoding is unchanged.)
    Kafka(Box<crate::kafka::Event>),
}

impl What {
    /// The Kafka event, if this is one.
    pub fn kafka(&self) -> Option<&crate::kafka::Event> {
        match self {
            What::Kafka(k) => Some(k),
            What::Redis(_) | What::Sim(_) => None,
        }
    }
}

/// One event of the trace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Simulated time.
    pub at: SimTime,
    /// Which action (scheduler step of the whole run) caused it, from 0.
    /// Events of one action happen at once, as one Redis command is atomic.
    /// 32 bits (see [`World::step_into`](crate::sim::World::step_into)) keep the event
    /// 8 bytes smaller; postcard writes it as the same varint as a `u64`.
    pub action: u32,
    /// Which lane of the run it happened in (0 when there is one).
    pub lane: u16,
    /// What happened.
    pub what: What,
}

/// The running FNV-1a hash of a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    /// Adds one event (its postcard encoding), without allocating: a
    /// [`TraceEvent`] as it is made, or as the trace gives it back
    /// ([`EventRef`], the same encoding).
    pub fn add(&mut self, event: &impl Serialize) {
        if let Ok(f) = postcard::serialize_with_flavor(event, HashFlavor(*self)) {
            *self = f;
        }
    }

    fn add_bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash so far.
    pub fn value(self) -> u64 {
        self.0
    }

    /// The hash as 16 lowercase hex digits.
    pub fn to_hex(self) -> String {
        alloc::format!("{:016x}", self.0)
    }
}

/// A postcard "flavor" that hashes the encoding as it is produced.
struct HashFlavor(Fingerprint);

impl postcard::ser_flavors::Flavor for HashFlavor {
    type Output = Fingerprint;

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.add_bytes(&[data]);
        Ok(())
    }

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.add_bytes(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<Fingerprint> {
        Ok(self.0)
    }
}

/// The fingerprint of a whole trace.
pub fn fingerprint<'a>(events: impl IntoIterator<Item = impl Into<EventRef<'a>>>) -> Fingerprint {
    let mut f = Fingerprint::default();
    for e in events {
        f.add(&e.into());
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event of a run (eight million in a million-message run) is
    /// made as a `TraceEvent`, and decoded as a `What` by every reader;
    /// the trace keeps the large ones whole. (It keeps the others encoded,
    /// in a few bytes each: see `sim/events/compact.rs`.) A variant that
    /// grows past these fails here, not in a benchmark.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn trace_events_stay_small() {
        use core::mem::size_of;
        let sizes = [
            ("TraceEvent", size_of::<TraceEvent>(), 72),
            ("What", size_of::<What>(), 56),
            ("SimEvent", size_of::<SimEvent>(), 48),
            ("redis::event::Event", size_of::<Event>(), 56),
        ];
        for (name, size, most) in sizes {
            assert!(size <= most, "{name} is {size} bytes, more than {most}");
        }
    }

    fn postcard(value: &impl Serialize) -> alloc::vec::Vec<u8> {
        let mut buf = [0u8; 64];
        postcard::to_slice(value, &mut buf).unwrap().to_vec()
    }

    #[test]
    fn a_maybe_entry_id_encodes_as_the_option_it_replaces() {
        let ids = [
            None,
            Some(StreamId::new(0, 1)),
            Some(StreamId::new(1_700_000_000_123, 7)),
            Some(StreamId::MAX),
        ];
        for id in ids {
            let maybe = MaybeEntryId::from(id);
            assert_eq!(maybe.get(), id);
            assert_eq!(postcard(&maybe), postcard(&id));
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(serde_json::to_string(&maybe).unwrap(), json);
            assert_eq!(alloc::format!("{maybe:?}"), alloc::format!("{id:?}"));
            let back: MaybeEntryId = postcard::from_bytes(&postcard(&id)).unwrap();
            assert_eq!(back, maybe);
            let back: MaybeEntryId = serde_json::from_str(&json).unwrap();
            assert_eq!(back, maybe);
        }
        let zero = postcard(&Some(StreamId::ZERO));
        assert!(
            postcard::from_bytes::<MaybeEntryId>(&zero).is_err(),
            "0-0 is no entry's ID"
        );
    }

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        let mut f = Fingerprint::default();
        f.add_bytes(b"");
        assert_eq!(f.value(), 0xcbf29ce484222325);
        f.add_bytes(b"a");
        assert_eq!(f.value(), 0xaf63dc4c8601ec8c);
        let mut g = Fingerprint::default();
        g.add_bytes(b"foobar");
        assert_eq!(g.to_hex(), "85944171f73967e8");
    }
}
