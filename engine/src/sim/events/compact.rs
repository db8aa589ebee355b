//! How the trace keeps what happened: each event in a few bytes, not as a
//! [`What`] of 48 (wasm) or 56 (native) bytes.
//!
//! A million-message run makes eight million events, and as `What`s they
//! were most of the browser's memory (384 MB of 634). Most of a `What` is
//! room: every event is as large as the largest variant, a name is a
//! pointer, a stream ID two 64-bit numbers. Here an event is a tag byte
//! and its fields, in the order the variant declares them: numbers as
//! varints (LEB128), times and entry IDs' milliseconds relative to
//! [`SimTime::START`] (a few bytes, not eight), each name as its number in
//! the trace's table of names (one byte, in practice), byte strings with
//! their length. An entry's fields stay shared with the stream (one
//! pointer, in a side table), and the rare large events (Kafka's, a dead
//! letter, a claim, a console command) are kept whole in another, under
//! tag 0: encoding them would save little and cost code.
//!
//! The encoding is the trace's own, in memory only: it is never stored or
//! sent, and the fingerprint and exports are of the events it decodes to
//! (their postcard and JSON encodings, unchanged). Debug builds decode
//! every event as it is stored and compare ([`Trace::push_action`]), so
//! the tests, the swarm and the fuzzer check that each reads back as made.
//!
//! [`Trace::push_action`]: super::Trace::push_action

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use super::Segmented;
use crate::msg::MsgRef;
use crate::name::Name;
use crate::redis::db::fields::Fields;
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::{ClientId, End, Event, SubscriptionKind, TxAbort, UnblockReason};
use crate::sim::trace::{MaybeEntryId, SimEvent, What};
use crate::time::SimTime;

/// The names a trace has seen, each kept once and written as its number.
#[derive(Clone, Default)]
pub(super) struct Names {
    pub(super) names: Vec<Name>,
    numbers: BTreeMap<Name, u32>,
    /// The last name seen at each of a few addresses. Most events name the
    /// very `Name` an earlier one did (a worker's stream, its group), and
    /// knowing it by its address spares comparing bytes in the map. (A
    /// name held here cannot be freed, so its address is not reused.)
    recent: [Option<(Name, u32)>; 16],
}

impl Names {
    fn number(&mut self, name: &Name) -> u32 {
        let slot = (name.addr() >> 4) % self.recent.len();
        if let Some((seen, n)) = &self.recent[slot]
            && seen.addr() == name.addr()
        {
            return *n;
        }
        let n = match self.numbers.get(name.as_slice()) {
            Some(&n) => n,
            None => {
                let n = u32::try_from(self.names.len()).expect("at most 2^32 names");
                self.names.push(name.clone());
                self.numbers.insert(name.clone(), n);
                n
            }
        };
        self.recent[slot] = Some((name.clone(), n));
        n
    }
}

/// Where events are encoded to: the action's bytes, and the trace's
/// tables.
pub(super) struct Writer<'t> {
    pub(super) out: &'t mut Vec<u8>,
    pub(super) names: &'t mut Names,
    pub(super) fields: &'t mut Segmented<Rc<Fields>>,
    pub(super) others: &'t mut Segmented<What>,
}

impl Writer<'_> {
    /// Appends one event.
    pub(super) fn event(&mut self, what: What) {
        if !put_compact(&what, self) {
            self.out.push(0);
            self.varint(self.others.len as u64);
            self.others.push(what);
        }
    }

    fn varint(&mut self, v: u64) {
        put_varint(self.out, v);
    }
}

/// Appends `v` as a varint (LEB128: seven bits a byte, low bits first).
pub(super) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A difference of two `u64`s (taken wrapping) as a small number when it is
/// small either way: 0, -1, 1, -2, … become 0, 1, 2, 3, … (zigzag).
pub(super) fn zigzag(difference: u64) -> u64 {
    let d = difference as i64;
    ((d << 1) ^ (d >> 63)) as u64
}

/// The difference [`zigzag`] made `z` of, to add back wrapping.
pub(super) fn unzigzag(z: u64) -> u64 {
    (((z >> 1) as i64) ^ -((z & 1) as i64)) as u64
}

/// Takes a varint from the front of `bytes`; `None` if they do not start
/// with one.
#[inline]
pub(super) fn take_varint(bytes: &mut &[u8]) -> Option<u64> {
    // Most numbers (names, sequence numbers, flags, counts) take one byte.
    if let [b @ 0..0x80, rest @ ..] = *bytes {
        *bytes = rest;
        return Some(u64::from(*b));
    }
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Where events are decoded from: bytes from an event's start on, and the
/// trace's tables. It notes the first entry of each side table it reads,
/// which is where a trace cut before these events cuts the tables.
pub(super) struct Reader<'t> {
    pub(super) bytes: &'t [u8],
    pub(super) names: &'t [Name],
    pub(super) fields: &'t Segmented<Rc<Fields>>,
    pub(super) others: &'t Segmented<What>,
    pub(super) first_field: Option<usize>,
    pub(super) first_other: Option<usize>,
}

impl<'t> Reader<'t> {
    /// The next event: decoded, or borrowed from the table of large ones.
    ///
    /// # Panics
    /// If the bytes are not an event the trace wrote: they always are.
    pub(super) fn event(&mut self) -> Cow<'t, What> {
        self.try_event()
            .expect("the trace reads back the events it wrote")
    }

    fn try_event(&mut self) -> Option<Cow<'t, What>> {
        let tag = self.byte()?;
        if tag != 0 {
            return take_compact(tag, self).map(Cow::Owned);
        }
        let i = self.index()?;
        self.first_other.get_or_insert(i);
        let others: &'t Segmented<What> = self.others;
        others.get(i).map(Cow::Borrowed)
    }

    #[inline]
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.bytes.split_first()?;
        self.bytes = rest;
        Some(b)
    }

    #[inline]
    fn varint(&mut self) -> Option<u64> {
        take_varint(&mut self.bytes)
    }

    fn index(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }
}

/// A field's encoding.
trait Compact: Sized {
    fn put(&self, w: &mut Writer<'_>);
    fn take(r: &mut Reader<'_>) -> Option<Self>;
}

impl Compact for u64 {
    fn put(&self, w: &mut Writer<'_>) {
        w.varint(*self);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        r.varint()
    }
}

/// Narrower integers, as varints too.
macro_rules! narrow {
    ($($int:ty),*) => {$(
        impl Compact for $int {
            fn put(&self, w: &mut Writer<'_>) {
                w.varint(u64::from(*self));
            }
            fn take(r: &mut Reader<'_>) -> Option<Self> {
                <$int>::try_from(r.varint()?).ok()
            }
        }
    )*};
}
narrow!(u32, u16);

impl Compact for u8 {
    fn put(&self, w: &mut Writer<'_>) {
        w.out.push(*self);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        r.byte()
    }
}

impl Compact for bool {
    fn put(&self, w: &mut Writer<'_>) {
        w.out.push(u8::from(*self));
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

/// Milliseconds since the Unix epoch, as their distance from
/// [`SimTime::START`] (zigzag: a time before it, or an ID a user typed,
/// still reads back), a few bytes for the times of a run.
impl Compact for SimTime {
    fn put(&self, w: &mut Writer<'_>) {
        w.varint(zigzag(self.0.wrapping_sub(SimTime::START.0)));
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        Some(SimTime(
            SimTime::START.0.wrapping_add(unzigzag(r.varint()?)),
        ))
    }
}

impl Compact for StreamId {
    fn put(&self, w: &mut Writer<'_>) {
        SimTime(self.ms).put(w);
        w.varint(self.seq);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        Some(StreamId::new(SimTime::take(r)?.0, r.varint()?))
    }
}

impl Compact for MaybeEntryId {
    fn put(&self, w: &mut Writer<'_>) {
        self.get().put(w);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        match <Option<StreamId> as Compact>::take(r)? {
            Some(StreamId::ZERO) => None,
            id => Some(MaybeEntryId::from(id)),
        }
    }
}

impl Compact for ClientId {
    fn put(&self, w: &mut Writer<'_>) {
        self.0.put(w);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        u32::take(r).map(ClientId)
    }
}

impl Compact for MsgRef {
    fn put(&self, w: &mut Writer<'_>) {
        self.producer.put(w);
        self.seq.put(w);
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        Some(MsgRef {
            producer: u16::take(r)?,
            seq: u32::take(r)?,
        })
    }
}

impl Compact for Name {
    fn put(&self, w: &mut Writer<'_>) {
        let n = w.names.number(self);
        w.varint(u64::from(n));
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let i = r.index()?;
        r.names.get(i).cloned()
    }
}

/// An entry's fields, shared with the stream: their place in a side table.
impl Compact for Rc<Fields> {
    fn put(&self, w: &mut Writer<'_>) {
        w.varint(w.fields.len as u64);
        w.fields.push(self.clone());
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let i = r.index()?;
        r.first_field.get_or_insert(i);
        r.fields.get(i).cloned()
    }
}

impl<T: Compact> Compact for Option<T> {
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            None => w.out.push(0),
            Some(v) => {
                w.out.push(1);
                v.put(w);
            }
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(None),
            1 => T::take(r).map(Some),
            _ => None,
        }
    }
}

impl<T: Compact> Compact for Vec<T> {
    fn put(&self, w: &mut Writer<'_>) {
        w.varint(self.len() as u64);
        for v in self {
            v.put(w);
        }
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.index()?;
        // Each element takes a byte at least: a wrong length cannot
        // reserve more than the bytes left.
        let mut v = Vec::with_capacity(n.min(r.bytes.len()));
        for _ in 0..n {
            v.push(T::take(r)?);
        }
        Some(v)
    }
}

impl Compact for String {
    fn put(&self, w: &mut Writer<'_>) {
        w.varint(self.len() as u64);
        w.out.extend_from_slice(self.as_bytes());
    }
    fn take(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.index()?;
        let bytes = r.bytes.get(..n)?;
        r.bytes = &r.bytes[n..];
        String::from_utf8(bytes.to_vec()).ok()
    }
}

/// Enums without fields, as a byte: their discriminant.
macro_rules! fieldless {
    ($($ty:ident { $($variant:ident),* })*) => {$(
        impl Compact for $ty {
            fn put(&self, w: &mut Writer<'_>) {
                w.out.push(*self as u8);
            }
            fn take(r: &mut Reader<'_>) -> Option<Self> {
                let b = r.byte()?;
                [$($ty::$variant),*].into_iter().find(|v| *v as u8 == b)
            }
        }
    )*};
}
fieldless! {
    End { Left, Right }
    UnblockReason { Served, Timeout, Error }
    TxAbort { Watch, Queue, Discard }
    SubscriptionKind { Channel, Pattern, Shard }
}

/// The events kept as their fields, each under its tag (from 1: 0 is a
/// large event, kept whole). Its fields are listed in the order they are
/// written and read; a field left out would not compile (the pattern must
/// name them all), and one whose type has no encoding neither.
macro_rules! compact {
    ($($tag:literal => $model:ident($kind:ident::$variant:ident { $($field:ident),* }),)*) => {
        /// Writes `what` if it is one of these; false if it is not.
        fn put_compact(what: &What, w: &mut Writer<'_>) -> bool {
            match what {
                $(What::$model($kind::$variant { $($field),* }) => {
                    w.out.push($tag);
                    $($field.put(w);)*
                })*
                _ => return false,
            }
            true
        }

        fn take_compact(tag: u8, r: &mut Reader<'_>) -> Option<What> {
            Some(match tag {
                $($tag => What::$model($kind::$variant { $($field: Compact::take(r)?),* }),)*
                _ => return None,
            })
        }
    };
}

compact! {
    // What processes did: a message's common events first.
    1 => Sim(SimEvent::Produced { producer, msg, target, id, accepted, retry }),
    2 => Sim(SimEvent::ProcessingStarted { worker, service, msg, id, until }),
    3 => Sim(SimEvent::Processed { worker, service, msg, id, applied }),
    4 => Sim(SimEvent::ProcessingFailed { worker, service, msg, id, poison }),
    5 => Sim(SimEvent::PolledEmpty { worker, service }),
    6 => Sim(SimEvent::Crashed { worker }),
    7 => Sim(SimEvent::Restarted { worker }),
    8 => Sim(SimEvent::Stopped { worker }),
    9 => Sim(SimEvent::Slowed { worker, factor_pct, until }),
    10 => Sim(SimEvent::SpeedRestored { worker }),
    11 => Sim(SimEvent::NetworkDown { client, until }),
    12 => Sim(SimEvent::NetworkUp { client }),
    13 => Sim(SimEvent::CommandLost { client, command }),
    14 => Sim(SimEvent::ReplyLost { client, command }),
    15 => Sim(SimEvent::TimedOut { client, command }),
    16 => Sim(SimEvent::BrokerCrashed { appendonly, flushed_at }),
    17 => Sim(SimEvent::BrokerRestarted { keys }),
    18 => Sim(SimEvent::EffectLost { service, msg }),
    19 => Sim(SimEvent::DrainStarted {}),
    20 => Sim(SimEvent::Lost { service, msg }),
    21 => Sim(SimEvent::InFlight { service, msg }),
    // The Redis server's state changes.
    32 => Redis(Event::KeyDeleted { key }),
    33 => Redis(Event::Flushed {}),
    34 => Redis(Event::KeyExpired { key }),
    35 => Redis(Event::ExpirySet { key, at }),
    36 => Redis(Event::StringSet { key, value, by }),
    37 => Redis(Event::TransactionExecuted { client, commands }),
    38 => Redis(Event::TransactionAborted { client, why }),
    39 => Redis(Event::EntryAdded { key, id, fields, by }),
    40 => Redis(Event::EntriesDeleted { key, ids }),
    41 => Redis(Event::StreamTrimmed { key, removed, ids }),
    42 => Redis(Event::StreamIdSet { key, last_id }),
    43 => Redis(Event::EntriesRead { key, client, ids }),
    44 => Redis(Event::GroupCreated { key, group, last_id }),
    45 => Redis(Event::GroupDestroyed { key, group }),
    46 => Redis(Event::GroupCursorSet { key, group, from, to }),
    47 => Redis(Event::ConsumerCreated { key, group, consumer }),
    48 => Redis(Event::ConsumerDeleted { key, group, consumer, pending_dropped }),
    49 => Redis(Event::EntryDelivered { key, group, consumer, client, id, delivery_count, new, noack }),
    50 => Redis(Event::EntryAcked { key, group, consumer, id }),
    51 => Redis(Event::PendingDropped { key, group, consumer, id }),
    52 => Redis(Event::ListPushed { key, end, values, by }),
    53 => Redis(Event::ListPopped { key, end, value, by }),
    54 => Redis(Event::ListRemoved { key, value, count, by }),
    55 => Redis(Event::ListMoved { from, from_end, to, to_end, value, by }),
    56 => Redis(Event::Subscribed { client, kind, name }),
    57 => Redis(Event::Unsubscribed { client, kind, name }),
    58 => Redis(Event::Published { channel, message, by, node, sharded, receivers }),
    59 => Redis(Event::MessageDelivered { channel, message, to, pattern, sharded }),
    60 => Redis(Event::ClusterForwarded { channel, from_node, to_node, sharded }),
    61 => Redis(Event::ClientBlocked { client, keys, timeout_ms }),
    62 => Redis(Event::ClientUnblocked { client, reason }),
}

#[cfg(test)]
mod tests {
    use alloc::boxed::Box;
    use alloc::vec;

    use super::super::Trace;
    use super::*;
    use crate::redis::event::Claim;
    use crate::sim::TraceEvent;

    fn id(ms: u64, seq: u64) -> StreamId {
        StreamId::new(ms, seq)
    }

    /// Events of every kind of field, with values at their edges.
    fn samples() -> Vec<What> {
        let start = SimTime::START.0;
        let fields = Rc::new(Fields::new([("msg", "p1-1")]).unwrap());
        vec![
            What::Sim(SimEvent::Produced {
                producer: b"p1".into(),
                msg: MsgRef {
                    producer: 0,
                    seq: 1,
                },
                target: b"orders".into(),
                id: Some(id(start + 5, 0)).into(),
                accepted: true,
                retry: 0,
            }),
            What::Sim(SimEvent::ProcessingStarted {
                worker: b"w1".into(),
                service: u16::MAX,
                msg: MsgRef {
                    producer: u16::MAX,
                    seq: u32::MAX,
                },
                id: MaybeEntryId::NONE,
                until: SimTime(u64::MAX),
            }),
            What::Sim(SimEvent::CommandLost {
                client: b"w1".into(),
                command: "XACK orders g 1-1 \u{2014} é".into(),
            }),
            What::Sim(SimEvent::BrokerCrashed {
                appendonly: false,
                flushed_at: Some(SimTime(0)),
            }),
            What::Sim(SimEvent::BrokerCrashed {
                appendonly: true,
                flushed_at: None,
            }),
            What::Sim(SimEvent::DrainStarted),
            What::Redis(Event::Flushed),
            What::Redis(Event::EntryAdded {
                key: b"orders".into(),
                id: id(1, 1),
                fields: fields.clone(),
                by: ClientId(u32::MAX),
            }),
            What::Redis(Event::EntryDelivered {
                key: b"orders".into(),
                group: b"g".into(),
                consumer: b"\xff\x00".into(),
                client: ClientId(3),
                id: id(u64::MAX, u64::MAX),
                delivery_count: u64::MAX,
                new: false,
                noack: true,
            }),
            What::Redis(Event::StreamTrimmed {
                key: b"orders".into(),
                removed: 2,
                ids: vec![id(0, 1), id(start, 2)],
            }),
            What::Redis(Event::ListMoved {
                from: b"q".into(),
                from_end: End::Right,
                to: b"".into(),
                to_end: End::Left,
                value: vec![0, 0x80, 0xff],
                by: ClientId(0),
            }),
            What::Redis(Event::MessageDelivered {
                channel: b"news".into(),
                message: Vec::new(),
                to: ClientId(9),
                pattern: Some(b"n*".into()),
                sharded: false,
            }),
            What::Redis(Event::ClientBlocked {
                client: ClientId(2),
                keys: vec![b"a".into(), b"b".into(), b"a".into()],
                timeout_ms: 0,
            }),
            What::Redis(Event::ClientUnblocked {
                client: ClientId(2),
                reason: UnblockReason::Error,
            }),
            What::Redis(Event::TransactionAborted {
                client: ClientId(1),
                why: TxAbort::Discard,
            }),
            What::Redis(Event::Subscribed {
                client: ClientId(1),
                kind: SubscriptionKind::Shard,
                name: b"s".into(),
            }),
            // Kept whole, in the table of large events.
            What::Redis(Event::EntryClaimed(Box::new(Claim {
                key: b"orders".into(),
                group: b"g".into(),
                from: b"w1".into(),
                to: b"w2".into(),
                id: id(start, 0),
                delivery_count: 2,
            }))),
            What::Redis(Event::EntryAdded {
                key: b"orders".into(),
                id: id(start + 9, 0),
                fields,
                by: ClientId(1),
            }),
        ]
    }

    /// Action `a` holds sample `a`, at `a` ms.
    fn trace_of(samples: &[What]) -> Trace {
        let mut trace = Trace::new();
        for (a, what) in samples.iter().enumerate() {
            let at = SimTime(SimTime::START.0 + a as u64);
            let event = TraceEvent {
                at,
                action: a as u32,
                lane: 0,
                what: what.clone(),
            };
            trace.push_action(at, [event]);
        }
        trace
    }

    #[test]
    fn every_kind_of_field_reads_back_as_it_was() {
        let samples = samples();
        let trace = trace_of(&samples);
        let read: Vec<What> = trace.all().iter().map(|e| e.what.into_owned()).collect();
        assert_eq!(read, samples);
        let backwards: Vec<What> = trace
            .all()
            .iter()
            .rev()
            .map(|e| e.what.into_owned())
            .collect();
        assert!(backwards.iter().rev().eq(&samples));
        assert_eq!(trace.others.len, 1, "only the claim is kept whole");
        assert_eq!(trace.fields.len, 2);
    }

    #[test]
    fn a_message_s_common_events_take_a_few_bytes() {
        // Encoded alone (the first event names every name for the first
        // time: a name is its number either way).
        let samples = samples();
        let sizes: Vec<usize> = samples[..2]
            .iter()
            .map(|what| {
                let trace = trace_of(core::slice::from_ref(what));
                trace.act(0).bytes.len()
            })
            .collect();
        // The tag, two names, the message (producer, number), the ID (is
        // there one, milliseconds since the start, sequence), a flag and
        // the retries: a byte each. (As a `What`, 48 bytes in wasm.)
        assert_eq!(sizes[0], 10);
        assert!(sizes[1] <= 24, "{sizes:?}");
    }

    #[test]
    fn cutting_a_trace_cuts_the_tables_its_events_refer_to() {
        let samples = samples();
        let mut trace = trace_of(&samples);
        let claim = samples.len() - 2;
        trace.truncate_actions(claim + 1);
        assert_eq!((trace.others.len, trace.fields.len), (1, 1));
        trace.truncate_actions(claim);
        assert_eq!((trace.others.len, trace.fields.len), (0, 1));
        trace.truncate_actions(7);
        assert_eq!((trace.others.len, trace.fields.len), (0, 0));
        assert_eq!(trace, trace_of(&samples[..7]));
        // What comes after the cut is told apart from what was cut.
        let at = SimTime(SimTime::START.0 + 7);
        let what = samples[claim].clone();
        trace.push_action(
            at,
            [TraceEvent {
                at,
                action: 7,
                lane: 0,
                what: what.clone(),
            }],
        );
        assert_eq!(*trace.all().last().unwrap().what, what);
    }
}
