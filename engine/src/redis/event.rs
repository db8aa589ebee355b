//! The trace: every state change of the simulated brokers, as typed events.
//!
//! The UI animates exactly these, one movement per event, at the simulated
//! time it happened; the ledger and the fingerprint are computed from them.
//! Each event carries enough to draw it: who acted, on what, from where to
//! where. Keys, channels and names are raw bytes, as in Redis.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;

pub use crate::name::Name;
use crate::redis::db::fields::Fields;
use crate::redis::db::stream_id::StreamId;

/// A connection to the simulated server (a producer, a consumer, a
/// subscriber, the REPL's current client…).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ClientId(pub u32);

/// Raw bytes of a key, field, value, channel or name.
pub type Bytes = Vec<u8>;

/// Which end of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum End {
    /// The head (index 0): LPUSH, LPOP.
    Left,
    /// The tail (index -1): RPUSH, RPOP.
    Right,
}

/// Why a blocked client stopped waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnblockReason {
    /// A write from another client served it.
    Served,
    /// Its timeout passed in simulated time.
    Timeout,
    /// What it waited on went away (key deleted, group destroyed).
    Error,
}

/// Why a transaction ran nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TxAbort {
    /// A watched key was modified after WATCH: EXEC replies nil.
    Watch,
    /// A command was refused while queueing: EXEC replies EXECABORT.
    Queue,
    /// The client sent DISCARD.
    Discard,
}

/// Which kind of pub/sub subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionKind {
    /// SUBSCRIBE: an exact channel name.
    Channel,
    /// PSUBSCRIBE: a glob-style pattern.
    Pattern,
    /// SSUBSCRIBE: a shard channel (cluster slot-local).
    Shard,
}

/// A pending entry moved to a consumer by XCLAIM or XAUTOCLAIM. See
/// [`Event::EntryClaimed`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Claim {
    /// The stream.
    pub key: Name,
    /// The consumer group.
    pub group: Name,
    /// The consumer that held it (the claimer itself when it claims its
    /// own entry).
    pub from: Name,
    /// The consumer that claimed it.
    pub to: Name,
    /// The entry.
    pub id: StreamId,
    /// Its delivery count after the claim (raised unless JUSTID).
    pub delivery_count: u64,
}

/// One state change of the simulated brokers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    // ----- keyspace -----
    /// A key and its value were removed (DEL, or a list or stream emptied).
    KeyDeleted { key: Name },
    /// FLUSHALL removed every key.
    Flushed,
    /// A volatile key's deadline passed and the key is gone.
    KeyExpired { key: Name },
    /// EXPIRE / PEXPIRE / SET … EX gave the key a deadline (simulated unix
    /// milliseconds), or PERSIST took it away (`at: None`).
    ExpirySet { key: Name, at: Option<u64> },

    // ----- strings -----
    /// SET, INCR, APPEND, … wrote a string (`value`, whole, after the write).
    StringSet {
        key: Name,
        value: Bytes,
        by: ClientId,
    },

    // ----- transactions -----
    /// EXEC ran the client's queued commands, one after another, with no
    /// other client's command in between.
    TransactionExecuted { client: ClientId, commands: u32 },
    /// EXEC ran nothing: a watched key changed since WATCH (`Watch`), or a
    /// command was refused while queueing (`Queue`). DISCARD is `Discard`.
    TransactionAborted { client: ClientId, why: TxAbort },

    // ----- streams -----
    /// XADD appended an entry to the stream's tail. Its fields are the
    /// stream's own (shared).
    EntryAdded {
        key: Name,
        id: StreamId,
        fields: Rc<Fields>,
        by: ClientId,
    },
    /// XDEL removed entries (they stay pending in groups that hold them).
    EntriesDeleted { key: Name, ids: Vec<StreamId> },
    /// XTRIM, or XADD's MAXLEN/MINID, evicted entries from the head.
    StreamTrimmed {
        key: Name,
        removed: u64,
        ids: Vec<StreamId>,
    },
    /// XSETID moved the stream's last ID (and counters).
    StreamIdSet { key: Name, last_id: StreamId },
    /// XREAD (no group) returned entries to a client; nothing changes in
    /// the stream, but the UI draws the copy travelling.
    EntriesRead {
        key: Name,
        client: ClientId,
        ids: Vec<StreamId>,
    },
    /// XGROUP CREATE.
    GroupCreated {
        key: Name,
        group: Name,
        last_id: StreamId,
    },
    /// XGROUP DESTROY: the group and its pending entries are gone.
    GroupDestroyed { key: Name, group: Name },
    /// XGROUP SETID (or XSETID's effect on nothing): the cursor moved,
    /// possibly backwards.
    GroupCursorSet {
        key: Name,
        group: Name,
        from: StreamId,
        to: StreamId,
    },
    /// A consumer came into being (XREADGROUP, XCLAIM, CREATECONSUMER).
    ConsumerCreated {
        key: Name,
        group: Name,
        consumer: Name,
    },
    /// XGROUP DELCONSUMER: its pending entries are dropped with it.
    ConsumerDeleted {
        key: Name,
        group: Name,
        consumer: Name,
        pending_dropped: u64,
    },
    /// XREADGROUP handed an entry to a consumer. `new` when read with `>`
    /// (the group's last-delivered-id advanced to `id`), otherwise a
    /// re-read from the consumer's own pending list. `noack` entries never
    /// enter the pending list.
    EntryDelivered {
        key: Name,
        group: Name,
        consumer: Name,
        client: ClientId,
        id: StreamId,
        delivery_count: u64,
        new: bool,
        noack: bool,
    },
    /// XACK removed an entry from its consumer's pending list (the entry
    /// stays in the stream).
    EntryAcked {
        key: Name,
        group: Name,
        consumer: Name,
        id: StreamId,
    },
    /// XCLAIM / XAUTOCLAIM moved a pending entry to another consumer (or
    /// the same one). Boxed: with four names it is the largest event, and
    /// claims are rare next to deliveries and acks, whose size it would
    /// otherwise set.
    EntryClaimed(Box<Claim>),
    /// A pending entry whose stream entry was deleted was dropped from the
    /// pending list by XCLAIM or XAUTOCLAIM.
    PendingDropped {
        key: Name,
        group: Name,
        consumer: Name,
        id: StreamId,
    },

    // ----- lists -----
    /// LPUSH / RPUSH (and the X variants) added values at one end.
    ListPushed {
        key: Name,
        end: End,
        values: Vec<Bytes>,
        by: ClientId,
    },
    /// A pop took a value from one end for a client.
    ListPopped {
        key: Name,
        end: End,
        value: Bytes,
        by: ClientId,
    },
    /// LREM removed `count` copies of `value` from the list (a reliable
    /// queue's worker clearing its processing list once the work is done).
    ListRemoved {
        key: Name,
        value: Bytes,
        count: u64,
        by: ClientId,
    },
    /// LMOVE / RPOPLPUSH (and blocking variants) moved a value.
    ListMoved {
        from: Name,
        from_end: End,
        to: Name,
        to_end: End,
        value: Bytes,
        by: ClientId,
    },

    // ----- pub/sub -----
    /// A client subscribed to a channel, pattern or shard channel.
    Subscribed {
        client: ClientId,
        kind: SubscriptionKind,
        name: Name,
    },
    /// A client left a channel, pattern or shard channel.
    Unsubscribed {
        client: ClientId,
        kind: SubscriptionKind,
        name: Name,
    },
    /// PUBLISH / SPUBLISH on cluster node `node` (0 without a cluster):
    /// `receivers` is the count returned to the publisher, the subscribers
    /// on that node only; 0 there means nobody on that node got it.
    Published {
        channel: Name,
        message: Bytes,
        by: ClientId,
        node: u16,
        sharded: bool,
        receivers: u64,
    },
    /// One subscriber received a message (through `pattern` for PSUBSCRIBE).
    MessageDelivered {
        channel: Name,
        message: Bytes,
        to: ClientId,
        pattern: Option<Name>,
        sharded: bool,
    },
    /// A published message travelled between cluster nodes: PUBLISH goes to
    /// every node, SPUBLISH only to the nodes of the channel's shard.
    ClusterForwarded {
        channel: Name,
        from_node: u16,
        to_node: u16,
        sharded: bool,
    },

    // ----- clients -----
    /// A blocking command found nothing and the client now waits on `keys`.
    ClientBlocked {
        client: ClientId,
        keys: Vec<Name>,
        timeout_ms: u64,
    },
    /// A blocked client stopped waiting.
    ClientUnblocked {
        client: ClientId,
        reason: UnblockReason,
    },
}
