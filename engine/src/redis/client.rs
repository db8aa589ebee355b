//! A typed client for the simulated processes: functions that build the
//! commands they send, and decoders that read the replies they get.
//!
//! Simulated producers and consumers talk to the server only through
//! these, as a real application talks through its client library: no
//! actor code builds an argument vector by hand or digs into a reply by
//! position. The REPL and the console keep the raw path (a command line in,
//! redis-cli's text out).
//!
//! A decoder returns `Err` with the server's error when the reply is one,
//! and [`Error::Unexpected`] when the reply has a shape the command never
//! answers with, which a real client library would also refuse.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::db::stream::Fields;
use super::db::stream_id::{StreamId, parse_strict_id, write_u64};
use super::event::{Bytes, SubscriptionKind};
use super::parse::Arg;
use super::reply::Reply;
use crate::msg::write_msg_text;

/// A command ready to send: its arguments, name first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command(Vec<Arg>);

impl Command {
    fn new(name: &str) -> Command {
        // Room for the longest command the clients build (XREADGROUP …
        // BLOCK ms NOACK STREAMS key id: twelve words), so that building
        // one does not grow the vector several times.
        let mut argv = Vec::with_capacity(12);
        argv.push(Arg::from_slice(name.as_bytes()));
        Command(argv)
    }

    fn arg(mut self, arg: impl AsRef<[u8]>) -> Command {
        self.0.push(Arg::from_slice(arg.as_ref()));
        self
    }

    fn number(self, n: u64) -> Command {
        self.arg_with(|digits| write_u64(digits, n))
    }

    /// An argument written in place by `write`: a word is never built
    /// apart and copied in.
    fn arg_with(mut self, write: impl FnOnce(&mut Arg)) -> Command {
        let mut arg = Arg::new();
        write(&mut arg);
        self.0.push(arg);
        self
    }

    fn id(mut self, id: StreamId) -> Command {
        let mut text = Arg::new();
        id.write_to(&mut text);
        self.0.push(text);
        self
    }

    /// The arguments, name first, as the server takes them.
    pub fn argv(&self) -> &[Arg] {
        &self.0
    }

    /// The command's name, upper-case (`XACK`), for logs.
    pub fn name(&self) -> &[u8] {
        &self.0[0]
    }

    /// The command as redis-cli would echo it: arguments joined by spaces.
    pub fn to_line(&self) -> String {
        String::from_utf8_lossy(&self.0.join(&b' ')).into_owned()
    }
}

// ----- messages -----

/// A producer's message as its command carries it: the text
/// `<producer>-<n>` (a stream entry's `msg` field, the first word of a list
/// value or a pub/sub payload), then the producer's fields, `{n}` in a
/// value standing for the message's number. The commands below write it
/// straight into their arguments: every message of a run is sent this way,
/// and building its words apart first cost about seven allocations a send.
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    /// The producer's name.
    pub producer: &'a str,
    /// The message's number (from 1).
    pub seq: u32,
    /// The producer's fields, in order.
    pub fields: &'a BTreeMap<String, String>,
}

impl Message<'_> {
    /// `<producer>-<n>`.
    fn write_text(&self, out: &mut Arg) {
        write_msg_text(out, self.producer, self.seq);
    }

    /// `template` with each `{n}` replaced by the message's number.
    fn write_value(&self, template: &str, out: &mut Arg) {
        // Bytes compared in place: `str::find` sets up a substring
        // searcher on every call, and this runs for every field of every
        // message.
        let mut rest = template.as_bytes();
        while let Some(at) = rest.windows(3).position(|w| w == b"{n}") {
            out.extend_from_slice(&rest[..at]);
            write_u64(out, self.seq.into());
            rest = &rest[at + 3..];
        }
        out.extend_from_slice(rest);
    }

    /// The text, then ` field=value` for each field: a list value or a
    /// pub/sub payload.
    fn write_payload(&self, out: &mut Arg) {
        self.write_text(out);
        for (field, value) in self.fields {
            out.push(b' ');
            out.extend_from_slice(field.as_bytes());
            out.push(b'=');
            self.write_value(value, out);
        }
    }
}

/// `XADD key [MAXLEN ~ n] * msg <text> field value …`: `message` as a
/// stream entry.
pub fn xadd_message(key: &[u8], maxlen: Option<u64>, message: &Message<'_>) -> Command {
    let mut c = xadd(key, maxlen, &[])
        .arg("msg")
        .arg_with(|a| message.write_text(a));
    for (field, value) in message.fields {
        c = c.arg(field).arg_with(|a| message.write_value(value, a));
    }
    c
}

/// `RPUSH key <payload>`, or (`channel`) `PUBLISH`/`SPUBLISH channel
/// <payload>`: `message` as one value.
pub fn push_message(verb: PushVerb, key: &[u8], message: &Message<'_>) -> Command {
    let name = match verb {
        PushVerb::Rpush => "RPUSH",
        PushVerb::Publish => "PUBLISH",
        PushVerb::Spublish => "SPUBLISH",
    };
    Command::new(name)
        .arg(key)
        .arg_with(|a| message.write_payload(a))
}

/// How [`push_message`] sends a message as one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushVerb {
    /// Onto a list.
    Rpush,
    /// To a channel.
    Publish,
    /// To a shard channel.
    Spublish,
}

// ----- streams -----

/// `XADD key [MAXLEN ~ n] * field value …`
pub fn xadd(key: &[u8], maxlen: Option<u64>, fields: &[(&[u8], &[u8])]) -> Command {
    let mut c = Command::new("XADD").arg(key);
    if let Some(n) = maxlen {
        c = c.arg("MAXLEN").arg("~").number(n);
    }
    c = c.arg("*");
    for (f, v) in fields {
        c = c.arg(f).arg(v);
    }
    c
}

/// Where an XREADGROUP starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    /// `>`: entries no consumer of the group got yet.
    New,
    /// An ID: the consumer's own pending entries after it.
    PendingAfter(StreamId),
}

/// `XREADGROUP GROUP group consumer COUNT n [BLOCK ms] [NOACK] STREAMS key id`
#[derive(Clone, Copy, Debug)]
pub struct ReadGroup<'a> {
    /// The stream.
    pub key: &'a [u8],
    /// The group.
    pub group: &'a [u8],
    /// The consumer reading.
    pub consumer: &'a [u8],
    /// COUNT.
    pub count: u32,
    /// BLOCK, if it may wait.
    pub block_ms: Option<u64>,
    /// NOACK: entries skip the pending list.
    pub noack: bool,
    /// `>` or an ID.
    pub from: ReadFrom,
}

/// Builds [`ReadGroup`]'s command.
pub fn xreadgroup(r: &ReadGroup<'_>) -> Command {
    let mut c = Command::new("XREADGROUP")
        .arg("GROUP")
        .arg(r.group)
        .arg(r.consumer)
        .arg("COUNT")
        .number(u64::from(r.count));
    if let Some(ms) = r.block_ms {
        c = c.arg("BLOCK").number(ms);
    }
    if r.noack {
        c = c.arg("NOACK");
    }
    c = c.arg("STREAMS").arg(r.key);
    match r.from {
        ReadFrom::New => c.arg(">"),
        ReadFrom::PendingAfter(id) => c.id(id),
    }
}

/// `XREAD COUNT n BLOCK ms STREAMS key after`: a plain reader's read,
/// after an ID it remembers (or `$`, only what arrives from now, or `0`,
/// the whole history).
pub fn xread(key: &[u8], count: u32, block_ms: u64, after: &[u8]) -> Command {
    Command::new("XREAD")
        .arg("COUNT")
        .number(u64::from(count))
        .arg("BLOCK")
        .number(block_ms)
        .arg("STREAMS")
        .arg(key)
        .arg(after)
}

/// `XACK key group id …`
pub fn xack(key: &[u8], group: &[u8], ids: &[StreamId]) -> Command {
    ids.iter()
        .fold(Command::new("XACK").arg(key).arg(group), |c, id| c.id(*id))
}

/// `XAUTOCLAIM key group consumer min-idle start COUNT n`
pub fn xautoclaim(
    key: &[u8],
    group: &[u8],
    consumer: &[u8],
    min_idle_ms: u64,
    start: StreamId,
    count: u32,
) -> Command {
    Command::new("XAUTOCLAIM")
        .arg(key)
        .arg(group)
        .arg(consumer)
        .number(min_idle_ms)
        .id(start)
        .arg("COUNT")
        .number(u64::from(count))
}

/// `XPENDING key group id id 1`: the pending entry `id`, if it is one.
pub fn xpending_entry(key: &[u8], group: &[u8], id: StreamId) -> Command {
    Command::new("XPENDING")
        .arg(key)
        .arg(group)
        .id(id)
        .id(id)
        .arg("1")
}

/// `XGROUP CREATE key group start MKSTREAM` (`start` is `0` or `$`).
pub fn xgroup_create(key: &[u8], group: &[u8], start: &[u8]) -> Command {
    Command::new("XGROUP")
        .arg("CREATE")
        .arg(key)
        .arg(group)
        .arg(start)
        .arg("MKSTREAM")
}

// ----- lists -----

/// `BLPOP key timeout` (the timeout in seconds, with milliseconds).
pub fn blpop(key: &[u8], timeout_ms: u64) -> Command {
    Command::new("BLPOP")
        .arg(key)
        .arg(format!("{}.{:03}", timeout_ms / 1000, timeout_ms % 1000))
}

/// `LPOP key`: one value, or nil at once when the list is empty (polling).
pub fn lpop(key: &[u8]) -> Command {
    Command::new("LPOP").arg(key)
}

/// `BLMOVE source destination LEFT RIGHT timeout`: the oldest value moves
/// into `destination` (a worker's processing list) as it is handed over.
pub fn blmove(source: &[u8], destination: &[u8], timeout_ms: u64) -> Command {
    Command::new("BLMOVE")
        .arg(source)
        .arg(destination)
        .arg("LEFT")
        .arg("RIGHT")
        .arg(format!("{}.{:03}", timeout_ms / 1000, timeout_ms % 1000))
}

/// `LRANGE key 0 -1`: the whole list.
pub fn lrange_all(key: &[u8]) -> Command {
    Command::new("LRANGE").arg(key).arg("0").arg("-1")
}

/// `LREM key 1 value`: the first copy of `value` goes.
pub fn lrem_one(key: &[u8], value: &[u8]) -> Command {
    Command::new("LREM").arg(key).arg("1").arg(value)
}

// ----- pub/sub -----

/// `SUBSCRIBE`, `PSUBSCRIBE` or `SSUBSCRIBE` with `names`.
pub fn subscribe(kind: SubscriptionKind, names: &[String]) -> Command {
    let verb = match kind {
        SubscriptionKind::Channel => "SUBSCRIBE",
        SubscriptionKind::Pattern => "PSUBSCRIBE",
        SubscriptionKind::Shard => "SSUBSCRIBE",
    };
    names.iter().fold(Command::new(verb), |c, n| c.arg(n))
}

// ----- strings and transactions -----

/// `SET key value NX`: set only if absent.
pub fn set_nx(key: &[u8], value: &[u8]) -> Command {
    Command::new("SET").arg(key).arg(value).arg("NX")
}

/// `INCR key`
pub fn incr(key: &[u8]) -> Command {
    Command::new("INCR").arg(key)
}

/// `WATCH key`
pub fn watch(key: &[u8]) -> Command {
    Command::new("WATCH").arg(key)
}

/// `UNWATCH`
pub fn unwatch() -> Command {
    Command::new("UNWATCH")
}

/// `EXISTS key`
pub fn exists(key: &[u8]) -> Command {
    Command::new("EXISTS").arg(key)
}

/// `MULTI`
pub fn multi() -> Command {
    Command::new("MULTI")
}

/// `EXEC`
pub fn exec() -> Command {
    Command::new("EXEC")
}

// ----- decoders -----

/// Why a reply could not be read as the command's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The server answered with an error (its text, `NOGROUP …`).
    Server(Bytes),
    /// The reply has a shape this command never answers with.
    Unexpected,
}

impl Error {
    /// The error's code, its first word (`NOGROUP`, `BUSYGROUP`).
    pub fn code(&self) -> &[u8] {
        match self {
            Error::Server(text) => text.split(|&b| b == b' ').next().unwrap_or_default(),
            Error::Unexpected => b"",
        }
    }
}

type Result<T> = core::result::Result<T, Error>;

fn server_error(reply: &Reply) -> Result<()> {
    match reply {
        Reply::Error(e) => Err(Error::Server(e.clone())),
        _ => Ok(()),
    }
}

/// One stream entry of a reply: its ID and its fields, read in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The entry's ID.
    pub id: StreamId,
    fields: EntryFields<'a>,
}

/// Where an entry's fields are in its reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EntryFields<'a> {
    /// The stream's own, shared by [`Reply::Entry`].
    Stored(&'a Fields),
    /// Fields and values alternating, in an array.
    Array(&'a [Reply]),
}

impl<'a> Entry<'a> {
    /// The value of field `name`, if the entry has one.
    pub fn field(&self, name: &[u8]) -> Option<&'a [u8]> {
        match self.fields {
            EntryFields::Stored(fields) => fields.get(name),
            EntryFields::Array(fields) => fields.chunks(2).find_map(|kv| match kv {
                [Reply::Bulk(k), Reply::Bulk(v)] if k == name => Some(v.as_slice()),
                _ => None,
            }),
        }
    }
}

/// XADD's reply: the new entry's ID (`Ok(None)` for XADD … NOMKSTREAM on
/// a missing stream).
pub fn added_id(reply: &Reply) -> Result<Option<StreamId>> {
    server_error(reply)?;
    match reply {
        Reply::Bulk(b) => parse_strict_id(b).map(Some).ok_or(Error::Unexpected),
        Reply::Nil => Ok(None),
        _ => Err(Error::Unexpected),
    }
}

/// `[id, [field, value, …]]` pairs.
fn entries(reply: &Reply) -> Result<Vec<Entry<'_>>> {
    let Reply::Array(items) = reply else {
        return Err(Error::Unexpected);
    };
    items
        .iter()
        .map(|item| match item {
            Reply::Entry(id, fields) => Ok(Entry {
                id: *id,
                fields: EntryFields::Stored(fields),
            }),
            Reply::Array(parts) => match parts.as_slice() {
                [Reply::Bulk(id), Reply::Array(fields)] if fields.len() % 2 == 0 => Ok(Entry {
                    id: parse_strict_id(id).ok_or(Error::Unexpected)?,
                    fields: EntryFields::Array(fields),
                }),
                _ => Err(Error::Unexpected),
            },
            _ => Err(Error::Unexpected),
        })
        .collect()
}

/// XREAD / XREADGROUP's reply: every entry of every stream, in order
/// (nothing when it timed out).
pub fn read_entries(reply: &Reply) -> Result<Vec<Entry<'_>>> {
    server_error(reply)?;
    match reply {
        Reply::NilArray | Reply::Nil => Ok(Vec::new()),
        Reply::Array(streams) => {
            let mut all = Vec::new();
            for stream in streams {
                let Reply::Array(pair) = stream else {
                    return Err(Error::Unexpected);
                };
                let [_, items] = pair.as_slice() else {
                    return Err(Error::Unexpected);
                };
                // The first stream's entries are kept as they are (a
                // simulated consumer reads one stream): nothing is copied.
                let mut these = entries(items)?;
                if all.is_empty() {
                    all = these;
                } else {
                    all.append(&mut these);
                }
            }
            Ok(all)
        }
        _ => Err(Error::Unexpected),
    }
}

/// XAUTOCLAIM's reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AutoClaimed<'a> {
    /// The cursor to continue from (`0-0` when the scan is complete).
    pub next: StreamId,
    /// The entries claimed.
    pub entries: Vec<Entry<'a>>,
    /// Pending IDs whose entries were deleted: dropped from the PEL.
    pub deleted: Vec<StreamId>,
}

/// Reads XAUTOCLAIM's reply.
pub fn auto_claimed(reply: &Reply) -> Result<AutoClaimed<'_>> {
    server_error(reply)?;
    let Reply::Array(parts) = reply else {
        return Err(Error::Unexpected);
    };
    match parts.as_slice() {
        [Reply::Bulk(next), claimed, Reply::Array(deleted)] => Ok(AutoClaimed {
            next: parse_strict_id(next).ok_or(Error::Unexpected)?,
            entries: entries(claimed)?,
            deleted: deleted
                .iter()
                .map(|d| match d {
                    Reply::Bulk(id) => parse_strict_id(id).ok_or(Error::Unexpected),
                    _ => Err(Error::Unexpected),
                })
                .collect::<Result<_>>()?,
        }),
        _ => Err(Error::Unexpected),
    }
}

/// One row of XPENDING's extended form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The entry's ID.
    pub id: StreamId,
    /// The consumer holding it.
    pub consumer: Bytes,
    /// Milliseconds since it was last delivered.
    pub idle_ms: u64,
    /// How many times it was delivered.
    pub deliveries: u64,
}

/// XPENDING key group start end count's reply.
pub fn pending_rows(reply: &Reply) -> Result<Vec<Pending>> {
    server_error(reply)?;
    let Reply::Array(rows) = reply else {
        return Err(Error::Unexpected);
    };
    rows.iter()
        .map(|row| match row {
            Reply::Array(cols) => match cols.as_slice() {
                [
                    Reply::Bulk(id),
                    Reply::Bulk(consumer),
                    Reply::Integer(idle),
                    Reply::Integer(n),
                ] => Ok(Pending {
                    id: parse_strict_id(id).ok_or(Error::Unexpected)?,
                    consumer: consumer.clone(),
                    idle_ms: u64::try_from(*idle).unwrap_or(0),
                    deliveries: u64::try_from(*n).unwrap_or(0),
                }),
                _ => Err(Error::Unexpected),
            },
            _ => Err(Error::Unexpected),
        })
        .collect()
}

/// BLPOP's reply: the key and the value popped, or `None` on timeout.
pub fn popped(reply: &Reply) -> Result<Option<(Bytes, Bytes)>> {
    server_error(reply)?;
    match reply {
        Reply::NilArray | Reply::Nil => Ok(None),
        Reply::Array(kv) => match kv.as_slice() {
            [Reply::Bulk(k), Reply::Bulk(v)] => Ok(Some((k.clone(), v.clone()))),
            _ => Err(Error::Unexpected),
        },
        _ => Err(Error::Unexpected),
    }
}

/// A single value (LPOP, BLMOVE), or `None` for nil: empty, or timed out.
pub fn value(reply: &Reply) -> Result<Option<Bytes>> {
    server_error(reply)?;
    match reply {
        Reply::NilArray | Reply::Nil => Ok(None),
        Reply::Bulk(v) => Ok(Some(v.clone())),
        _ => Err(Error::Unexpected),
    }
}

/// The values of an array of bulk strings (LRANGE).
pub fn values(reply: &Reply) -> Result<Vec<Bytes>> {
    server_error(reply)?;
    match reply {
        Reply::Array(items) => items
            .iter()
            .map(|r| match r {
                Reply::Bulk(v) => Ok(v.clone()),
                _ => Err(Error::Unexpected),
            })
            .collect(),
        _ => Err(Error::Unexpected),
    }
}

/// An integer reply (RPUSH's length, PUBLISH's receivers, XACK's count,
/// INCR's value, EXISTS's count).
pub fn integer(reply: &Reply) -> Result<i64> {
    server_error(reply)?;
    match reply {
        Reply::Integer(n) => Ok(*n),
        _ => Err(Error::Unexpected),
    }
}

/// A status reply (`OK`, `QUEUED`); `Ok(false)` for a nil (SET … NX that
/// did not set).
pub fn status(reply: &Reply) -> Result<bool> {
    server_error(reply)?;
    match reply {
        Reply::Status(_) => Ok(true),
        Reply::Nil => Ok(false),
        _ => Err(Error::Unexpected),
    }
}

/// EXEC's reply: the replies of the queued commands, or `None` when a
/// watched key changed and nothing ran.
pub fn exec_replies(reply: &Reply) -> Result<Option<Vec<Reply>>> {
    server_error(reply)?;
    match reply {
        Reply::NilArray | Reply::Nil => Ok(None),
        Reply::Array(items) => Ok(Some(items.clone())),
        _ => Err(Error::Unexpected),
    }
}

/// A message pushed to a subscriber, or a (un)subscribe confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Push {
    /// A published message: its channel, the pattern it matched
    /// (PSUBSCRIBE), and its payload.
    Message {
        /// How the subscriber listens.
        kind: SubscriptionKind,
        /// The channel it was published to.
        channel: Bytes,
        /// The payload.
        payload: Bytes,
    },
    /// `subscribe`, `psubscribe`, `ssubscribe` and the unsubscribe
    /// confirmations, with the connection's subscription count.
    Confirmation {
        /// `subscribe`, `unsubscribe`…
        what: Bytes,
        /// The channel or pattern.
        name: Bytes,
        /// How many subscriptions the connection has now.
        count: i64,
    },
}

/// Reads a push on a subscribed connection.
pub fn push(reply: &Reply) -> Result<Push> {
    server_error(reply)?;
    let Reply::Array(parts) = reply else {
        return Err(Error::Unexpected);
    };
    match parts.as_slice() {
        [
            Reply::Bulk(kind),
            Reply::Bulk(channel),
            Reply::Bulk(payload),
        ] if kind == b"message" || kind == b"smessage" => Ok(Push::Message {
            kind: if kind == b"message" {
                SubscriptionKind::Channel
            } else {
                SubscriptionKind::Shard
            },
            channel: channel.clone(),
            payload: payload.clone(),
        }),
        [
            Reply::Bulk(kind),
            Reply::Bulk(_pattern),
            Reply::Bulk(channel),
            Reply::Bulk(payload),
        ] if kind == b"pmessage" => Ok(Push::Message {
            kind: SubscriptionKind::Pattern,
            channel: channel.clone(),
            payload: payload.clone(),
        }),
        [Reply::Bulk(what), name, Reply::Integer(count)] => Ok(Push::Confirmation {
            what: what.clone(),
            name: match name {
                Reply::Bulk(n) => n.clone(),
                _ => Bytes::new(),
            },
            count: *count,
        }),
        _ => Err(Error::Unexpected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis::server::Server;

    fn run(server: &mut Server, c: &Command) -> Reply {
        let client = server.connect(b"t");
        server.execute(client, c.argv());
        server.take_replies(client).remove(0)
    }

    /// A message's words, written in place, read as the values built
    /// apart did: the text, then each field with every `{n}` replaced.
    #[test]
    fn a_message_is_written_into_its_command() {
        let fields: BTreeMap<String, String> = [
            ("amount", "{n}.00"),
            ("note", "n={n}, again {n}; {x} {n"),
            ("plain", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
        let message = Message {
            producer: "orders",
            seq: 1207,
            fields: &fields,
        };
        let entry = xadd_message(b"s", Some(500), &message);
        assert_eq!(
            entry.to_line(),
            "XADD s MAXLEN ~ 500 * msg orders-1207 amount 1207.00 \
             note n=1207, again 1207; {x} {n plain "
        );
        let push = push_message(PushVerb::Rpush, b"jobs", &message);
        assert_eq!(
            push.argv()[2].as_slice(),
            b"orders-1207 amount=1207.00 note=n=1207, again 1207; {x} {n plain="
        );
        assert_eq!(
            push_message(PushVerb::Spublish, b"c", &message).name(),
            b"SPUBLISH"
        );
        assert_eq!(crate::msg::msg_text("orders", 1207), "orders-1207");
    }

    #[test]
    fn commands_read_their_replies() {
        let mut s = Server::default();
        let id = added_id(&run(&mut s, &xadd(b"s", None, &[(b"msg", b"o-1")])))
            .unwrap()
            .unwrap();
        assert_eq!(
            status(&run(&mut s, &xgroup_create(b"s", b"g", b"0"))),
            Ok(true)
        );
        let busy = status(&run(&mut s, &xgroup_create(b"s", b"g", b"0")));
        assert_eq!(busy.unwrap_err().code(), b"BUSYGROUP");
        let read = ReadGroup {
            key: b"s",
            group: b"g",
            consumer: b"c",
            count: 10,
            block_ms: None,
            noack: false,
            from: ReadFrom::New,
        };
        let reply = run(&mut s, &xreadgroup(&read));
        let got = read_entries(&reply).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].id, id);
        assert_eq!(got[0].field(b"msg"), Some(&b"o-1"[..]));
        let rows = pending_rows(&run(&mut s, &xpending_entry(b"s", b"g", id))).unwrap();
        assert_eq!(
            (rows[0].deliveries, rows[0].consumer.as_slice()),
            (1, &b"c"[..])
        );
        let reply = run(&mut s, &xautoclaim(b"s", b"g", b"d", 0, id, 5));
        let claimed = auto_claimed(&reply).unwrap();
        assert_eq!(claimed.entries[0].id, id);
        assert_eq!(integer(&run(&mut s, &xack(b"s", b"g", &[id]))), Ok(1));
        let nogroup = ReadGroup {
            group: b"nope",
            ..read
        };
        let reply = run(&mut s, &xreadgroup(&nogroup));
        assert_eq!(read_entries(&reply).unwrap_err().code(), b"NOGROUP");
        assert_eq!(popped(&Reply::NilArray), Ok(None));
        assert_eq!(
            blpop(b"l", 1500).to_line(),
            "BLPOP l 1.500",
            "redis-cli accepts fractional seconds"
        );
    }

    #[test]
    fn pushes_are_told_apart() {
        let message = Reply::Array(alloc::vec![
            Reply::bulk("pmessage"),
            Reply::bulk("ev*"),
            Reply::bulk("events"),
            Reply::bulk("event-1"),
        ]);
        assert_eq!(
            push(&message),
            Ok(Push::Message {
                kind: SubscriptionKind::Pattern,
                channel: b"events".to_vec(),
                payload: b"event-1".to_vec(),
            })
        );
        let confirmation = Reply::Array(alloc::vec![
            Reply::bulk("subscribe"),
            Reply::bulk("events"),
            Reply::Integer(1),
        ]);
        assert!(matches!(
            push(&confirmation),
            Ok(Push::Confirmation { count: 1, .. })
        ));
    }
}
