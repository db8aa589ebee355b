//! The trace of a run: every broker event and every actor event, stamped
//! with the simulated time and the action that caused it; and its
//! fingerprint.
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

use alloc::string::String;

use serde::{Deserialize, Serialize};

use crate::redis::db::stream_id::StreamId;
use crate::redis::event::{Bytes, ClientId, Event};
use crate::time::SimTime;

/// A message of the run: its producer (index in the scenario) and its
/// number (from 1). Its text form, `<producer>-<n>`, travels inside the
/// message itself (the `msg` field of a stream entry, the first word of a
/// list value or a pub/sub payload), so consumers know what they got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MsgRef {
    /// Index of the producer in the scenario.
    pub producer: u16,
    /// 1-based message number of that producer.
    pub seq: u32,
}

/// What a simulated process did (as opposed to what the broker did).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ActorEvent {
    /// A producer sent a message to a target; `accepted` unless the broker
    /// replied with an error. `id` is the stream entry ID, if any.
    Produced {
        producer: Bytes,
        msg: MsgRef,
        target: Bytes,
        id: Option<StreamId>,
        accepted: bool,
    },
    /// A worker started processing a message; it will take until `until`.
    ProcessingStarted {
        worker: Bytes,
        lane: u16,
        msg: MsgRef,
        id: Option<StreamId>,
        until: SimTime,
    },
    /// A worker finished processing: the effect was applied, or skipped
    /// because the message had been processed before (`applied: false`,
    /// exactly-once deduplication).
    Processed {
        worker: Bytes,
        lane: u16,
        msg: MsgRef,
        id: Option<StreamId>,
        applied: bool,
    },
    /// Processing failed; the message is not acknowledged.
    ProcessingFailed {
        worker: Bytes,
        lane: u16,
        msg: MsgRef,
        id: Option<StreamId>,
        poison: bool,
    },
    /// An entry that failed too often was copied to the dead-letter stream
    /// and acknowledged.
    DeadLettered {
        worker: Bytes,
        lane: u16,
        msg: MsgRef,
        from: Bytes,
        id: StreamId,
        to: Bytes,
        new_id: StreamId,
        deliveries: u64,
    },
    /// A worker crashed: its in-flight work is gone.
    Crashed { worker: Bytes },
    /// A crashed worker started again (new connection).
    Restarted { worker: Bytes },
    /// A worker left as planned (`stop_ms`): its connection closed.
    Stopped { worker: Bytes },
    /// A worker became `factor_pct`/100 times slower, until `until`.
    Slowed {
        worker: Bytes,
        factor_pct: u32,
        until: SimTime,
    },
    /// A slowdown ended.
    SpeedRestored { worker: Bytes },
    /// A worker's network dropped: its connection is lost until `until`.
    NetworkDown { worker: Bytes, until: SimTime },
    /// The network is back: the worker reconnects.
    NetworkUp { worker: Bytes },
    /// A command a worker sent while its network was down never arrived.
    CommandLost { worker: Bytes, command: String },
    /// A scripted command (or one typed at the console) and its reply, as
    /// redis-cli prints it.
    Command {
        client: ClientId,
        name: Bytes,
        line: String,
        reply: String,
        step: Option<u32>,
    },
    /// Production stopped and faults were healed: the drain phase began.
    DrainStarted,
    /// At the end of the drain: a message the lane never processed.
    Lost { lane: u16, msg: MsgRef },
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum What {
    /// A state change of the broker.
    Broker(Event),
    /// Something a simulated process did.
    Actor(ActorEvent),
}

/// One event of the trace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// Simulated time.
    pub at: SimTime,
    /// Which action (scheduler step) caused it, from 0. Events of one
    /// action happen at once, as one Redis command is atomic.
    pub action: u64,
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
    /// Adds one event (its postcard encoding), without allocating.
    pub fn add(&mut self, event: &TraceEvent) {
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
pub fn fingerprint(events: &[TraceEvent]) -> Fingerprint {
    let mut f = Fingerprint::default();
    for e in events {
        f.add(e);
    }
    f
}

/// A message's text form: `<producer name>-<n>`.
pub fn msg_text(producer: &str, seq: u32) -> String {
    alloc::format!("{producer}-{seq}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
