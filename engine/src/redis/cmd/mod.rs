//! The command layer: one module per command family. Each command parses
//! its arguments, executes against the server at its current simulated
//! time, and returns an [`Outcome`] — a reply, several (SUBSCRIBE), or a
//! wait (BLPOP, XREAD BLOCK). Bad input is always a reply with Redis's own
//! error text, never a Rust error or a panic.
//!
//! [`dispatch`] follows Redis's `processCommand`: look the command up
//! (case-insensitively, subcommands included), check its arity, refuse
//! commands a subscribed client may not send, then run it.

pub mod expire;
pub mod group;
pub mod info;
pub mod keys;
pub mod list;
pub mod multi;
pub mod pubsub;
pub mod read;
pub mod stream;
pub mod string;
#[cfg(test)]
mod testing;

use alloc::vec::Vec;

use crate::redis::db::cluster::Cluster;
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::{Bytes, ClientId, End, Name};
use crate::redis::parse::Arg;
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::time::SimTime;

/// What running a command produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// One reply to the caller.
    Reply(Reply),
    /// Several replies (SUBSCRIBE answers once per channel).
    Replies(Vec<Reply>),
    /// The caller waits: nothing to serve yet.
    Block(BlockSpec),
}

impl From<Reply> for Outcome {
    fn from(reply: Reply) -> Self {
        Outcome::Reply(reply)
    }
}

/// A blocking command's wait.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockSpec {
    /// The keys it waits on, in the order given.
    pub keys: Vec<Name>,
    /// When it gives up, or `None` to wait forever (timeout 0).
    pub timeout_at: Option<SimTime>,
    /// How to serve it when a key is written.
    pub kind: BlockKind,
}

/// How a blocked client is served.
#[derive(Clone, Debug, PartialEq)]
pub enum BlockKind {
    /// BLPOP / BRPOP (`to` is `None`: reply `[key, value]`), BLMOVE and
    /// BRPOPLPUSH (`to` is the destination: reply the value).
    List { from: End, to: Option<(Bytes, End)> },
    /// XREAD / XREADGROUP: for each key, entries after `ids[i]`.
    Stream {
        ids: Vec<StreamId>,
        count: usize,
        group: Option<GroupRead>,
    },
}

/// The group half of a blocked XREADGROUP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRead {
    /// Group name.
    pub group: Bytes,
    /// Consumer name.
    pub consumer: Bytes,
    /// NOACK: deliver without adding to the pending list.
    pub noack: bool,
}

/// A command's implementation. `argv` includes the command's name (and
/// the subcommand's), as in Redis, because some replies quote it.
pub type Handler = fn(&mut Server, ClientId, &[Arg]) -> Outcome;

/// Where a command's keys are, for cluster slot checks.
#[derive(Clone, Copy, Debug)]
pub enum KeySpec {
    /// No keys.
    None,
    /// `argv[first]`, then every `step`-th argument up to `last` (negative:
    /// counted from the end, -1 is the last argument).
    Range {
        first: usize,
        last: isize,
        step: usize,
    },
    /// Found by parsing (XREAD's keys follow STREAMS).
    Custom(fn(&[Arg]) -> Vec<usize>),
}

/// Allowed while the client is subscribed (RESP2).
pub const ALLOWED_WHEN_SUBSCRIBED: u8 = 1;
/// The command's keys are pub/sub shard channels (SPUBLISH, SSUBSCRIBE).
pub const SHARD_CHANNELS: u8 = 2;

/// One command or subcommand.
#[derive(Clone, Copy, Debug)]
pub struct Command {
    /// Full lower-case name, `container|sub` for subcommands.
    pub name: &'static str,
    /// Redis's arity: exact if positive, minimum if negative; it counts
    /// the name (and subcommand).
    pub arity: i32,
    /// The implementation.
    pub handler: Handler,
    /// Where its keys are.
    pub keys: KeySpec,
    /// `ALLOWED_WHEN_SUBSCRIBED`, `SHARD_CHANNELS`.
    pub flags: u8,
}

/// A top-level entry of the command table.
#[derive(Clone, Copy, Debug)]
pub enum Entry {
    /// A plain command.
    Plain(Command),
    /// A command with subcommands (XGROUP, XINFO, PUBSUB).
    Container {
        name: &'static str,
        subcommands: &'static [Command],
    },
}

impl Entry {
    fn name(&self) -> &'static str {
        match self {
            Entry::Plain(c) => c.name,
            Entry::Container { name, .. } => name,
        }
    }
}

const fn plain(name: &'static str, arity: i32, handler: Handler, keys: KeySpec) -> Entry {
    Entry::Plain(Command {
        name,
        arity,
        handler,
        keys,
        flags: 0,
    })
}

/// A plain command with flags (`ALLOWED_WHEN_SUBSCRIBED`, `SHARD_CHANNELS`).
const fn flagged(
    name: &'static str,
    arity: i32,
    handler: Handler,
    keys: KeySpec,
    flags: u8,
) -> Entry {
    Entry::Plain(Command {
        name,
        arity,
        handler,
        keys,
        flags,
    })
}

const fn sub(name: &'static str, arity: i32, handler: Handler, keys: KeySpec) -> Command {
    Command {
        name,
        arity,
        handler,
        keys,
        flags: 0,
    }
}

/// The key at `argv[1]`.
pub const KEY1: KeySpec = KeySpec::Range {
    first: 1,
    last: 1,
    step: 1,
};
/// The key at `argv[2]` (subcommands).
pub const KEY2: KeySpec = KeySpec::Range {
    first: 2,
    last: 2,
    step: 1,
};
/// Two keys, `argv[1]` and `argv[2]` (LMOVE's source and destination).
const KEYS_1_2: KeySpec = KeySpec::Range {
    first: 1,
    last: 2,
    step: 1,
};
/// Every argument after the name is a key (DEL, SSUBSCRIBE).
const ALL_KEYS: KeySpec = KeySpec::Range {
    first: 1,
    last: -1,
    step: 1,
};
/// Every other argument after the name (MSET's keys, not its values).
const EVERY_OTHER: KeySpec = KeySpec::Range {
    first: 1,
    last: -1,
    step: 2,
};
/// Every argument but the name and the last (BLPOP's timeout).
const KEYS_BUT_LAST: KeySpec = KeySpec::Range {
    first: 1,
    last: -2,
    step: 1,
};
/// Allowed in RESP2's subscribed mode.
const SUB: u8 = ALLOWED_WHEN_SUBSCRIBED;
/// Allowed when subscribed, and its keys are shard channels.
const SHARD_SUB: u8 = ALLOWED_WHEN_SUBSCRIBED | SHARD_CHANNELS;

impl KeySpec {
    /// The positions of the keys in `argv`, as Redis's legacy range spec
    /// finds them (positions past the end are dropped).
    pub fn positions(&self, argv: &[Arg]) -> Vec<usize> {
        match *self {
            KeySpec::None => Vec::new(),
            KeySpec::Range { first, last, step } => {
                let last = if last < 0 {
                    argv.len() as isize + last
                } else {
                    last
                };
                let Ok(last) = usize::try_from(last) else {
                    return Vec::new();
                };
                (first..=last)
                    .step_by(step.max(1))
                    .filter(|&i| i < argv.len())
                    .collect()
            }
            KeySpec::Custom(find) => find(argv),
        }
    }
}

/// Every command ackscope knows, as Redis 7.0 defines them.
pub static COMMANDS: &[Entry] = &[
    plain("xadd", -5, stream::xadd, KEY1),
    plain("xlen", 2, stream::xlen, KEY1),
    plain("xrange", -4, stream::xrange, KEY1),
    plain("xrevrange", -4, stream::xrevrange, KEY1),
    plain("xdel", -3, stream::xdel, KEY1),
    plain("xtrim", -4, stream::xtrim, KEY1),
    plain("xsetid", -3, stream::xsetid, KEY1),
    plain("xread", -4, read::xread, KeySpec::Custom(read::stream_keys)),
    plain(
        "xreadgroup",
        -7,
        read::xreadgroup,
        KeySpec::Custom(read::stream_keys),
    ),
    plain("xack", -4, group::xack, KEY1),
    plain("xpending", -3, group::xpending, KEY1),
    plain("xclaim", -6, group::xclaim, KEY1),
    plain("xautoclaim", -6, group::xautoclaim, KEY1),
    Entry::Container {
        name: "xgroup",
        subcommands: &[
            sub("xgroup|create", -5, group::xgroup_create, KEY2),
            sub("xgroup|setid", -5, group::xgroup_setid, KEY2),
            sub("xgroup|destroy", 4, group::xgroup_destroy, KEY2),
            sub(
                "xgroup|createconsumer",
                5,
                group::xgroup_createconsumer,
                KEY2,
            ),
            sub("xgroup|delconsumer", 5, group::xgroup_delconsumer, KEY2),
            sub("xgroup|help", 2, group::xgroup_help, KeySpec::None),
        ],
    },
    Entry::Container {
        name: "xinfo",
        subcommands: &[
            sub("xinfo|stream", -3, info::xinfo_stream, KEY2),
            sub("xinfo|groups", 3, info::xinfo_groups, KEY2),
            sub("xinfo|consumers", 4, info::xinfo_consumers, KEY2),
            sub("xinfo|help", 2, info::xinfo_help, KeySpec::None),
        ],
    },
    plain("lpush", -3, list::lpush, KEY1),
    plain("rpush", -3, list::rpush, KEY1),
    plain("lpushx", -3, list::lpushx, KEY1),
    plain("rpushx", -3, list::rpushx, KEY1),
    plain("lpop", -2, list::lpop, KEY1),
    plain("rpop", -2, list::rpop, KEY1),
    plain("llen", 2, list::llen, KEY1),
    plain("lrange", 4, list::lrange, KEY1),
    plain("lindex", 3, list::lindex, KEY1),
    plain("lrem", 4, list::lrem, KEY1),
    plain("lmove", 5, list::lmove, KEYS_1_2),
    plain("rpoplpush", 3, list::rpoplpush, KEYS_1_2),
    plain("blpop", -3, list::blpop, KEYS_BUT_LAST),
    plain("brpop", -3, list::brpop, KEYS_BUT_LAST),
    plain("blmove", 6, list::blmove, KEYS_1_2),
    plain("brpoplpush", 4, list::brpoplpush, KEYS_1_2),
    plain("set", -3, string::set, KEY1),
    plain("get", 2, string::get, KEY1),
    plain("setnx", 3, string::setnx, KEY1),
    plain("setex", 4, string::setex, KEY1),
    plain("psetex", 4, string::psetex, KEY1),
    plain("getdel", 2, string::getdel, KEY1),
    plain("append", 3, string::append, KEY1),
    plain("strlen", 2, string::strlen, KEY1),
    plain("mget", -2, string::mget, ALL_KEYS),
    plain("mset", -3, string::mset, EVERY_OTHER),
    plain("incr", 2, string::incr, KEY1),
    plain("decr", 2, string::decr, KEY1),
    plain("incrby", 3, string::incrby, KEY1),
    plain("decrby", 3, string::decrby, KEY1),
    plain("expire", -3, expire::expire, KEY1),
    plain("pexpire", -3, expire::pexpire, KEY1),
    plain("expireat", -3, expire::expireat, KEY1),
    plain("pexpireat", -3, expire::pexpireat, KEY1),
    plain("ttl", 2, expire::ttl, KEY1),
    plain("pttl", 2, expire::pttl, KEY1),
    plain("expiretime", 2, expire::expiretime, KEY1),
    plain("pexpiretime", 2, expire::pexpiretime, KEY1),
    plain("persist", 2, expire::persist, KEY1),
    plain("multi", 1, multi::multi, KeySpec::None),
    plain("exec", 1, multi::exec, KeySpec::None),
    plain("discard", 1, multi::discard, KeySpec::None),
    plain("watch", -2, multi::watch, ALL_KEYS),
    plain("unwatch", 1, multi::unwatch, KeySpec::None),
    flagged("ping", -1, keys::ping, KeySpec::None, SUB),
    plain("echo", 2, keys::echo, KeySpec::None),
    plain("del", -2, keys::del, ALL_KEYS),
    plain("exists", -2, keys::exists, ALL_KEYS),
    plain("type", 2, keys::type_of, KEY1),
    plain("keys", 2, keys::keys, KeySpec::None),
    plain("dbsize", 1, keys::dbsize, KeySpec::None),
    plain("flushall", -1, keys::flushall, KeySpec::None),
    flagged("reset", 1, keys::reset, KeySpec::None, SUB),
    plain("publish", 3, pubsub::publish, KeySpec::None),
    flagged("subscribe", -2, pubsub::subscribe, KeySpec::None, SUB),
    flagged("unsubscribe", -1, pubsub::unsubscribe, KeySpec::None, SUB),
    flagged("psubscribe", -2, pubsub::psubscribe, KeySpec::None, SUB),
    flagged("punsubscribe", -1, pubsub::punsubscribe, KeySpec::None, SUB),
    flagged("spublish", 3, pubsub::spublish, KEY1, SHARD_CHANNELS),
    flagged("ssubscribe", -2, pubsub::ssubscribe, ALL_KEYS, SHARD_SUB),
    flagged(
        "sunsubscribe",
        -1,
        pubsub::sunsubscribe,
        ALL_KEYS,
        SHARD_SUB,
    ),
    Entry::Container {
        name: "pubsub",
        subcommands: &[
            sub(
                "pubsub|channels",
                -2,
                pubsub::pubsub_channels,
                KeySpec::None,
            ),
            sub("pubsub|numsub", -2, pubsub::pubsub_numsub, KeySpec::None),
            sub("pubsub|numpat", 2, pubsub::pubsub_numpat, KeySpec::None),
            sub(
                "pubsub|shardchannels",
                -2,
                pubsub::pubsub_shardchannels,
                KeySpec::None,
            ),
            sub(
                "pubsub|shardnumsub",
                -2,
                pubsub::pubsub_shardnumsub,
                KeySpec::None,
            ),
            sub("pubsub|help", 2, pubsub::pubsub_help, KeySpec::None),
        ],
    },
];

/// Looks a command up by (sub)command name as Redis does. `Err` is the
/// reply for an unknown command or subcommand, or for a container
/// command given alone (an arity error naming the container).
pub fn lookup(argv: &[Arg]) -> Result<&'static Command, Reply> {
    let name = &argv[0];
    let entry = COMMANDS
        .iter()
        .find(|e| e.name().as_bytes().eq_ignore_ascii_case(name));
    match entry {
        Some(Entry::Plain(command)) => Ok(command),
        Some(Entry::Container {
            name: container,
            subcommands,
        }) => {
            let Some(sub_name) = argv.get(1) else {
                return Err(error_parts(&[
                    b"ERR wrong number of arguments for '",
                    container.as_bytes(),
                    b"' command",
                ]));
            };
            let prefix_len = container.len() + 1;
            subcommands
                .iter()
                .find(|c| c.name.as_bytes()[prefix_len..].eq_ignore_ascii_case(sub_name))
                .ok_or_else(|| {
                    let upper = container.to_ascii_uppercase();
                    error_parts(&[
                        b"ERR unknown subcommand '",
                        c_str_max(sub_name, 128),
                        b"'. Try ",
                        upper.as_bytes(),
                        b" HELP.",
                    ])
                })
        }
        None => Err(unknown_command(argv)),
    }
}

/// Redis's "unknown command" error: the name and the first arguments
/// quoted, up to about 128 bytes of them.
fn unknown_command(argv: &[Arg]) -> Reply {
    let mut args: Vec<u8> = Vec::new();
    for arg in &argv[1..] {
        if args.len() >= 128 {
            break;
        }
        let room = 128 - args.len();
        args.push(b'\'');
        args.extend_from_slice(c_str_max(arg, room));
        args.extend_from_slice(b"' ");
    }
    error_parts(&[
        b"ERR unknown command '",
        c_str_max(&argv[0], 128),
        b"', with args beginning with: ",
        &args,
    ])
}

/// Runs one command line for `client`: lookup, arity, cluster
/// redirection, subscribed-mode check, then the command itself — or,
/// inside MULTI, its place in the queue. A command refused by those
/// checks inside MULTI dooms the transaction.
pub fn dispatch(server: &mut Server, client: ClientId, argv: &[Arg]) -> Outcome {
    if argv.is_empty() {
        return Outcome::Replies(Vec::new());
    }
    match admit(server, client, argv) {
        Ok(command) if multi::queues(server, client, command) => {
            multi::queue(server, client, command, argv)
        }
        Ok(command) => (command.handler)(server, client, argv),
        Err(reply) => {
            multi::refuse(server, client);
            reply.into()
        }
    }
}

/// Redis's `processCommand` checks, in its order: the command's lookup,
/// its arity, the cluster's redirection, subscribed mode.
fn admit(server: &Server, client: ClientId, argv: &[Arg]) -> Result<&'static Command, Reply> {
    let command = lookup(argv)?;
    let argc = argv.len() as i32;
    if (command.arity > 0 && command.arity != argc) || argc < -command.arity {
        return Err(wrong_arity(command.name));
    }
    if let Some(redirect) = cluster_redirect(server, client, command, argv) {
        return Err(redirect);
    }
    let subscribed = server.client(client).is_some_and(|c| c.is_subscribed());
    if subscribed && command.flags & ALLOWED_WHEN_SUBSCRIBED == 0 {
        return Err(error_parts(&[
            b"ERR Can't execute '",
            command.name.as_bytes(),
            b"': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
        ]));
    }
    Ok(command)
}

/// In a cluster, the error that sends a command elsewhere (Redis's
/// `getNodeByQuery`); see [`cluster_refusal`].
fn cluster_redirect(
    server: &Server,
    client: ClientId,
    command: &Command,
    argv: &[Arg],
) -> Option<Reply> {
    let cluster = server.pubsub.cluster()?;
    cluster_refusal(cluster, pubsub::client_node(server, client), command, argv)
}

/// What `cluster` answers instead of running `command` sent to `node`
/// (Redis's `getNodeByQuery`): CROSSSLOT when two different keys hash to
/// different slots, MOVED when `node` does not serve the keys' slot;
/// `None` when the node runs it. Shard-channel commands may also run on a
/// replica of that slot's primary; other commands always go to the
/// primary. Pure, so a scenario can be checked before it runs.
pub fn cluster_refusal(
    cluster: &Cluster,
    node: u16,
    command: &Command,
    argv: &[Arg],
) -> Option<Reply> {
    let mut first: Option<(&[u8], u16)> = None;
    for position in command.keys.positions(argv) {
        let Some(key) = argv.get(position).map(|a| &a[..]) else {
            continue;
        };
        let slot = crate::redis::db::cluster::key_hash_slot(key);
        match first {
            None => first = Some((key, slot)),
            Some((first_key, first_slot)) if first_key != key && first_slot != slot => {
                return Some(Reply::error(
                    "CROSSSLOT Keys in request don't hash to the same slot",
                ));
            }
            Some(_) => {}
        }
    }
    let (_, slot) = first?;
    let owner = cluster.slot_owner(slot);
    let replica_serves = command.flags & SHARD_CHANNELS != 0 && cluster.primary_of(node) == owner;
    if node == owner || replica_serves {
        return None;
    }
    Some(Reply::error(alloc::format!(
        "MOVED {slot} {}",
        cluster.address(owner)
    )))
}

// ----- error replies shared by the families -----

/// `ERR wrong number of arguments for '<name>' command`.
pub fn wrong_arity(name: &str) -> Reply {
    error_parts(&[
        b"ERR wrong number of arguments for '",
        name.as_bytes(),
        b"' command",
    ])
}

/// `ERR syntax error`.
pub fn syntax_error() -> Reply {
    Reply::error("ERR syntax error")
}

/// `ERR value is not an integer or out of range`.
pub fn not_an_integer() -> Reply {
    Reply::error("ERR value is not an integer or out of range")
}

/// The WRONGTYPE error.
pub fn wrong_type() -> Reply {
    Reply::error(crate::redis::db::WRONGTYPE)
}

/// `ERR no such key`.
pub fn no_such_key() -> Reply {
    Reply::error("ERR no such key")
}

/// Redis's `addReplySubcommandSyntaxError`.
pub fn subcommand_syntax_error(argv: &[Arg]) -> Reply {
    let upper = c_str(&argv[0]).to_ascii_uppercase();
    error_parts(&[
        b"ERR unknown subcommand or wrong number of arguments for '",
        c_str_max(&argv[1], 128),
        b"'. Try ",
        &upper,
        b" HELP.",
    ])
}

/// Redis's `addReplyHelp`: the header, the lines, and HELP's own lines.
pub fn help_reply(argv: &[Arg], lines: &[&str]) -> Reply {
    let upper = c_str(&argv[0]).to_ascii_uppercase();
    let mut header = upper;
    header.extend_from_slice(b" <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    let mut items = Vec::with_capacity(lines.len() + 3);
    items.push(Reply::Status(header));
    items.extend(lines.iter().map(|l| Reply::status(*l)));
    items.push(Reply::status("HELP"));
    items.push(Reply::status("    Prints this help."));
    Reply::Array(items)
}

/// An error reply built like Redis's `addReplyErrorFormat`: the parts
/// joined, CR and LF at the ends trimmed, inside ones turned into spaces.
pub fn error_parts(parts: &[&[u8]]) -> Reply {
    let mut text: Vec<u8> = parts.concat();
    while text.last().is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        text.pop();
    }
    let lead = text
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    text.drain(..lead);
    for b in &mut text {
        if matches!(b, b'\r' | b'\n') {
            *b = b' ';
        }
    }
    Reply::Error(text)
}

/// The bytes C's `%s` prints: up to the first NUL.
pub fn c_str(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(nul) => &bytes[..nul],
        None => bytes,
    }
}

/// The bytes C's `%.<max>s` prints.
pub fn c_str_max(bytes: &[u8], max: usize) -> &[u8] {
    let s = c_str(bytes);
    &s[..s.len().min(max)]
}

/// Parses an integer argument, or the reply Redis gives (`message`, or the
/// generic "not an integer" error).
pub fn int_arg(arg: &[u8], message: Option<&str>) -> Result<i64, Reply> {
    crate::redis::parse::parse_i64(arg).ok_or_else(|| match message {
        Some(m) => error_parts(&[b"ERR ", m.as_bytes()]),
        None => not_an_integer(),
    })
}

/// Turns a `Result<Outcome, Reply>` (where `Err` is an early error reply)
/// into an outcome.
pub fn settle(result: Result<Outcome, Reply>) -> Outcome {
    result.unwrap_or_else(Outcome::Reply)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn argv(items: &[&str]) -> Vec<Arg> {
        items
            .iter()
            .map(|s| Arg::from_slice(s.as_bytes()))
            .collect()
    }

    fn error_of(items: &[&str]) -> alloc::string::String {
        match lookup(&argv(items)) {
            Err(Reply::Error(e)) => alloc::string::String::from_utf8(e).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lookup_is_case_insensitive_and_knows_subcommands() {
        assert_eq!(lookup(&argv(&["XaDd"])).unwrap().name, "xadd");
        assert_eq!(
            lookup(&argv(&["xgroup", "CREATE"])).unwrap().name,
            "xgroup|create"
        );
        assert_eq!(
            error_of(&["xgroup"]),
            "ERR wrong number of arguments for 'xgroup' command"
        );
        assert_eq!(
            error_of(&["xgroup", "nope"]),
            "ERR unknown subcommand 'nope'. Try XGROUP HELP."
        );
        assert_eq!(
            error_of(&["foo", "a", "b"]),
            "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
        );
        assert_eq!(
            error_of(&["foo"]),
            "ERR unknown command 'foo', with args beginning with: "
        );
    }

    #[test]
    fn errors_map_newlines_like_redis() {
        assert_eq!(
            error_parts(&[b"ERR a\nb\r\n"]),
            Reply::Error(vec![b'E', b'R', b'R', b' ', b'a', b' ', b'b'])
        );
    }
}
