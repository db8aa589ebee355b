//! REPL transcripts of the list, key and pub/sub commands.
//!
//! Every expected reply was recorded from redis-server 7.0.15 with one real
//! connection per `SIM.CLIENT`, printed in the REPL's order (the current
//! connection's replies, then the others' in the order they were opened;
//! `SIM.ADVANCE` slept in real time). The `(1.00s)` lines are redis-cli's
//! wall clock, so they follow the REPL's simulated one instead. Transcripts
//! avoid replies whose order Redis leaves to its hash tables (KEYS and
//! PUBSUB CHANNELS with several results).

use ackscope_engine::redis::parse::split_args;
use ackscope_engine::redis::pubsub::PubSub;
use ackscope_engine::redis::repl::run_script;
use ackscope_engine::redis::{ClientId, Server};

fn check(script: &str, expected: &str) {
    let out = String::from_utf8(run_script(script.as_bytes())).expect("UTF-8 output");
    assert_eq!(out, expected, "script:\n{script}");
}

/// Seed 000's PUBLISH / SUBSCRIBE / PSUBSCRIBE example, with a subscriber and a
/// pattern subscriber on their own connections; a message nobody listens to is
/// gone (0 receivers).
#[test]
fn seed_000_pubsub_fans_out_and_forgets() {
    check(
        r#"SIM.CLIENT subscriber
subscribe event1 event2
SIM.CLIENT pattern
psubscribe event*
SIM.CLIENT main
publish event1 "hello event1"
publish event2 "hello event2"
publish news "nobody listens"
"#,
        r#"Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "event1"
3) (integer) 1
1) "subscribe"
2) "event2"
3) (integer) 2
Reading messages... (press Ctrl-C to quit)
1) "psubscribe"
2) "event*"
3) (integer) 1
(integer) 2
1) "message"
2) "event1"
3) "hello event1"
1) "pmessage"
2) "event*"
3) "event1"
4) "hello event1"
(integer) 2
1) "message"
2) "event2"
3) "hello event2"
1) "pmessage"
2) "event*"
3) "event2"
4) "hello event2"
(integer) 0
"#,
    );
}

/// Seed 000's circular queue (RPOPLPUSH onto itself), RPUSHX on cached
/// timelines only, and a worker waiting with BRPOP instead of polling.
#[test]
fn seed_000_list_queues() {
    check(
        r#"LPUSH clist A B C
LRANGE clist 0 -1
RPOPLPUSH clist clist
LRANGE clist 0 -1
RPUSHX timeline:cached post1
LPUSH timeline:cached post0
RPUSHX timeline:cached post1 post2
RPUSHX timeline:idle post1
LRANGE timeline:cached 0 -1
EXISTS timeline:idle
SIM.CLIENT worker
BRPOP events 0
SIM.CLIENT producer
LPUSH events e1
LPUSH events e2
SIM.CLIENT worker
BRPOP events 1
BRPOP events 1
SIM.ADVANCE 1000
SIM.ADVANCE 1
"#,
        r#"(integer) 3
1) "C"
2) "B"
3) "A"
"A"
1) "A"
2) "C"
3) "B"
(integer) 0
(integer) 1
(integer) 3
(integer) 0
1) "post0"
2) "post1"
3) "post2"
(integer) 0
(integer) 1
1) "events"
2) "e1"
(integer) 1
1) "events"
2) "e2"
(nil)
(1.00s)
"#,
    );
}

/// Pushes, pops with counts (0, too many, missing keys), ranges and indexes at
/// the edges, moves, and every error text, including the timeout's.
#[test]
fn list_commands_and_their_errors() {
    check(
        r#"LPUSH l a b c
RPUSH l d
LRANGE l 0 -1
LPOP l 0
LPOP l -1
LPOP l x
LPOP nokey 0
LPOP nokey
LPOP nokey 1
LPOP l 2
RPOP l 10
EXISTS l
RPOP l
LPOP l 1 2
LPUSHX l a
RPUSHX nolist a b
TYPE l
XADD s 1-1 a b
LPUSH s x
LPUSHX s x
LPOP s 0
LPOP s x
LLEN s
LLEN nokey
LINDEX nokey x
LINDEX s x
RPUSH l 1 2 3 4 5
LINDEX l x
LINDEX l -1
LINDEX l -5
LINDEX l -6
LINDEX l 4
LINDEX l 5
LINDEX l -9223372036854775808
LRANGE l x 1
LRANGE nokey x 1
LRANGE nokey 0 1
LRANGE l -100 100
LRANGE l 2 1
LRANGE l -2 -1
LRANGE l 5 10
LRANGE l 4 4
LRANGE l -9223372036854775808 9223372036854775807
LMOVE l d LEFT up
LMOVE l d up LEFT
LMOVE nokey d left left
LMOVE l s left left
LMOVE s l left left
LMOVE l d left right
LMOVE l d RIGHT LEFT
LRANGE d 0 -1
RPOPLPUSH d d
LRANGE d 0 -1
RPOPLPUSH l
LPUSH
blpop
blpop k
BLPOP k x
BLPOP k -1
BLPOP k inf
BLPOP k -inf
BLPOP k 1e400
BLPOP k nan
BLPOP k 9.3e15
BLPOP s 0
BLPOP nokey s 0
BLPOP l s 0
BRPOP l s 0
BLMOVE l d x left 0
BLMOVE l d left left x
BLMOVE s d left left 0
BLMOVE l s left left 0
BRPOPLPUSH l d -1
BRPOPLPUSH l d 0
LRANGE d 0 -1
RPUSH one x
LMOVE one one left right
LRANGE one 0 -1
"#,
        r#"(integer) 3
(integer) 4
1) "c"
2) "b"
3) "a"
4) "d"
(empty array)
(error) ERR value is out of range, must be positive
(error) ERR value is out of range, must be positive
(nil)
(nil)
(nil)
1) "c"
2) "b"
1) "d"
2) "a"
(integer) 0
(nil)
(error) ERR wrong number of arguments for 'lpop' command
(integer) 0
(integer) 0
none
"1-1"
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(error) ERR value is out of range, must be positive
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(integer) 0
(nil)
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(integer) 5
(error) ERR value is not an integer or out of range
"5"
"1"
(nil)
"5"
(nil)
(nil)
(error) ERR value is not an integer or out of range
(error) ERR value is not an integer or out of range
(empty array)
1) "1"
2) "2"
3) "3"
4) "4"
5) "5"
(empty array)
1) "4"
2) "5"
(empty array)
1) "5"
1) "1"
2) "2"
3) "3"
4) "4"
5) "5"
(error) ERR syntax error
(error) ERR syntax error
(nil)
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(error) WRONGTYPE Operation against a key holding the wrong kind of value
"1"
"5"
1) "5"
2) "1"
"1"
1) "1"
2) "5"
(error) ERR wrong number of arguments for 'rpoplpush' command
(error) ERR wrong number of arguments for 'lpush' command
(error) ERR wrong number of arguments for 'blpop' command
(error) ERR wrong number of arguments for 'blpop' command
(error) ERR timeout is not a float or out of range
(error) ERR timeout is negative
(error) ERR timeout is negative
(error) ERR timeout is negative
(error) ERR timeout is negative
(error) ERR timeout is not a float or out of range
(error) ERR timeout is negative
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(error) WRONGTYPE Operation against a key holding the wrong kind of value
1) "l"
2) "2"
1) "l"
2) "4"
(error) ERR syntax error
(error) ERR timeout is not a float or out of range
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(error) WRONGTYPE Operation against a key holding the wrong kind of value
(error) ERR timeout is negative
"3"
1) "3"
2) "1"
3) "5"
(integer) 1
"x"
1) "x"
"#,
    );
}

/// Three clients wait on two queues; pushes serve them in the order they
/// blocked, a served BLMOVE wakes the client waiting on its destination, and
/// timeouts fire in simulated time (a tiny negative timeout means forever).
#[test]
fn blocked_clients_are_served_first_blocked_first() {
    check(
        r#"SIM.CLIENT c1
BLPOP q1 q2 0
SIM.CLIENT c2
BLPOP q2 0
SIM.CLIENT c3
BRPOP q2 q1 0
SIM.CLIENT p
RPUSH q2 a b
RPUSH q1 x y z
LRANGE q1 0 -1
EXISTS q2
SIM.CLIENT c1
BLMOVE src dst LEFT RIGHT 0
SIM.CLIENT c2
BLPOP dst 0
SIM.CLIENT p
RPUSH src m1 m2
LRANGE src 0 -1
EXISTS dst
SIM.CLIENT c1
BLPOP t 1
SIM.ADVANCE 500
SIM.ADVANCE 1000
BLPOP t -0.0001
SIM.CLIENT p
RPUSH t v
SIM.CLIENT c1
BRPOPLPUSH a b 0.5
SIM.ADVANCE 1000
"#,
        r#"(integer) 2
1) "q2"
2) "a"
1) "q2"
2) "b"
(integer) 3
1) "q1"
2) "z"
1) "x"
2) "y"
(integer) 0
(integer) 2
"m1"
1) "dst"
2) "m1"
1) "m2"
(integer) 0
(nil)
(1.00s)
(integer) 1
1) "t"
2) "v"
(nil)
(0.50s)
"#,
    );
}

/// A value travels through a chain of BLMOVEs; a BLMOVE whose destination
/// has the wrong type fails and leaves the value to the next client.
#[test]
fn blmove_chains_and_wrong_destinations() {
    check(
        r#"SIM.CLIENT a
BLMOVE src dst RIGHT LEFT 0
SIM.CLIENT b
BLMOVE dst dst2 LEFT LEFT 0
SIM.CLIENT c
BLPOP dst2 dst 0
SIM.CLIENT d
BRPOPLPUSH src other 0
SIM.CLIENT p
LPUSH src 1 2 3
LRANGE src 0 -1
LRANGE other 0 -1
EXISTS src other dst dst2
SIM.CLIENT a
BLPOP k k 0
SIM.CLIENT b
BLPOP k 0
SIM.CLIENT p
RPUSH k x
SIM.CLIENT p
RPUSH k y
SIM.CLIENT a
XADD str 1-1 f v
BLMOVE q str LEFT LEFT 0
SIM.CLIENT b
BLMOVE q out LEFT LEFT 0
SIM.CLIENT p
RPUSH q v1 v2
LRANGE q 0 -1
LRANGE out 0 -1
SIM.CLIENT a
BLPOP z 0
LLEN k
PING
SIM.CLIENT p
LPUSH z zz
SIM.CLIENT a
BLPOP r 2.5
SIM.ADVANCE 2000
SIM.ADVANCE 1000
BRPOP r1 r2 0.2
SIM.ADVANCE 600
"#,
        r#"(integer) 3
"1"
"1"
1) "dst2"
2) "1"
"2"
1) "3"
1) "2"
(integer) 2
(integer) 1
1) "k"
2) "x"
(integer) 1
1) "k"
2) "y"
"1-1"
(integer) 2
(error) WRONGTYPE Operation against a key holding the wrong kind of value
"v1"
1) "v2"
1) "v1"
(integer) 1
1) "z"
2) "zz"
(integer) 0
PONG
(nil)
(2.50s)
(nil)
"#,
    );
}

/// A subscribed connection: counts, duplicate names, PING's push form, the
/// commands it may not send, PUBSUB introspection, shard channels, and
/// unsubscribing from everything.
#[test]
fn subscribed_mode() {
    check(
        r#"SIM.CLIENT sub
SUBSCRIBE event1 event2 event1
PSUBSCRIBE event* e?ent1 event*
SIM.CLIENT pub
PUBLISH event1 "hello event1"
PUBLISH event2 "hello event2"
PUBLISH other x
PUBSUB CHANNELS *2
PUBSUB CHANNELS *1
PUBSUB CHANNELS a b
PUBSUB NUMSUB event1 nochan event1
PUBSUB NUMSUB
PUBSUB NUMPAT
PUBSUB NUMPAT x
PUBSUB SHARDCHANNELS
PUBSUB SHARDNUMSUB a
PUBSUB
PUBSUB foo
PUBSUB HELP
PUBSUB help x
SIM.CLIENT sub
PING
PING hi
PING a b
LPUSH k v
foo
PUBSUB NUMPAT
SSUBSCRIBE s1 s2
PUBLISH event1 x
UNSUBSCRIBE event1 nope
PUNSUBSCRIBE e?ent1
SIM.CLIENT pub
SPUBLISH s1 hi
PUBLISH event1 y
SIM.CLIENT sub
PUNSUBSCRIBE
UNSUBSCRIBE
UNSUBSCRIBE
SUNSUBSCRIBE s2
PING
SUNSUBSCRIBE
SUNSUBSCRIBE
PING
PUBLISH event1 z
"#,
        r#"Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "event1"
3) (integer) 1
1) "subscribe"
2) "event2"
3) (integer) 2
1) "subscribe"
2) "event1"
3) (integer) 2
Reading messages... (press Ctrl-C to quit)
1) "psubscribe"
2) "event*"
3) (integer) 3
1) "psubscribe"
2) "e?ent1"
3) (integer) 4
1) "psubscribe"
2) "event*"
3) (integer) 4
(integer) 3
1) "message"
2) "event1"
3) "hello event1"
1) "pmessage"
2) "e?ent1"
3) "event1"
4) "hello event1"
1) "pmessage"
2) "event*"
3) "event1"
4) "hello event1"
(integer) 2
1) "message"
2) "event2"
3) "hello event2"
1) "pmessage"
2) "event*"
3) "event2"
4) "hello event2"
(integer) 0
1) "event2"
1) "event1"
(error) ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.
1) "event1"
2) (integer) 1
3) "nochan"
4) (integer) 0
5) "event1"
6) (integer) 1
(empty array)
(integer) 2
(error) ERR wrong number of arguments for 'pubsub|numpat' command
(empty array)
1) "a"
2) (integer) 0
(error) ERR wrong number of arguments for 'pubsub' command
(error) ERR unknown subcommand 'foo'. Try PUBSUB HELP.
 1) PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:
 2) CHANNELS [<pattern>]
 3)     Return the currently active channels matching a <pattern> (default: '*').
 4) NUMPAT
 5)     Return number of subscriptions to patterns.
 6) NUMSUB [<channel> ...]
 7)     Return the number of subscribers for the specified channels, excluding
 8)     pattern subscriptions(default: no channels).
 9) SHARDCHANNELS [<pattern>]
10)     Return the currently active shard level channels matching a <pattern> (default: '*').
11) SHARDNUMSUB [<shardchannel> ...]
12)     Return the number of subscribers for the specified shard level channel(s)
13) HELP
14)     Prints this help.
(error) ERR wrong number of arguments for 'pubsub|help' command
1) "pong"
2) ""
1) "pong"
2) "hi"
(error) ERR wrong number of arguments for 'ping' command
(error) ERR Can't execute 'lpush': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
(error) ERR unknown command 'foo', with args beginning with: 
(error) ERR Can't execute 'pubsub|numpat': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
Reading messages... (press Ctrl-C to quit)
1) "ssubscribe"
2) "s1"
3) (integer) 1
1) "ssubscribe"
2) "s2"
3) (integer) 2
(error) ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
1) "unsubscribe"
2) "event1"
3) (integer) 3
1) "unsubscribe"
2) "nope"
3) (integer) 3
1) "punsubscribe"
2) "e?ent1"
3) (integer) 2
(integer) 1
1) "smessage"
2) "s1"
3) "hi"
(integer) 1
1) "pmessage"
2) "event*"
3) "event1"
4) "y"
1) "punsubscribe"
2) "event*"
3) (integer) 1
1) "unsubscribe"
2) "event2"
3) (integer) 0
1) "unsubscribe"
2) (nil)
3) (integer) 0
1) "sunsubscribe"
2) "s2"
3) (integer) 1
1) "pong"
2) ""
1) "sunsubscribe"
2) "s1"
3) (integer) 0
1) "sunsubscribe"
2) (nil)
3) (integer) 0
PONG
(integer) 0
"#,
    );
}

/// DEL, EXISTS, TYPE, KEYS, DBSIZE, FLUSHALL's options, PING and RESET; the
/// empty channel matches no pattern, not even `*`.
#[test]
fn key_commands() {
    check(
        r#"DBSIZE
DBSIZE x
RPUSH a 1
RPUSH b 1
XADD c 1-1 f v
DEL a a nokey
EXISTS b b c nokey
TYPE b
TYPE c
TYPE nokey
KEYS *
KEYS
KEYS b*
KEYS [^b]
DBSIZE
FLUSHALL x
FLUSHALL sync x
FLUSHALL SYNC
FLUSHALL ASYNC
FLUSHALL async
DBSIZE
PING
PING "a b"
RESET
RESET x
SUBSCRIBE ch
PSUBSCRIBE p*
RESET
PING
PUBSUB NUMPAT
SIM.CLIENT sub
SUBSCRIBE ""
PSUBSCRIBE *
SIM.CLIENT main
PUBSUB CHANNELS
PUBSUB CHANNELS *
PUBLISH "" hi
"#,
        r#"(integer) 0
(error) ERR wrong number of arguments for 'dbsize' command
(integer) 1
(integer) 1
"1-1"
(integer) 1
(integer) 3
list
stream
none
1) "b"
2) "c"
(error) ERR wrong number of arguments for 'keys' command
1) "b"
1) "c"
(integer) 2
(error) ERR syntax error
(error) ERR syntax error
OK
OK
OK
(integer) 0
PONG
"a b"
RESET
(error) ERR wrong number of arguments for 'reset' command
Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "ch"
3) (integer) 1
Reading messages... (press Ctrl-C to quit)
1) "psubscribe"
2) "p*"
3) (integer) 2
RESET
PONG
(integer) 0
Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) ""
3) (integer) 1
Reading messages... (press Ctrl-C to quit)
1) "psubscribe"
2) "*"
3) (integer) 2
1) ""
(empty array)
(integer) 1
1) "message"
2) ""
3) "hi"
"#,
    );
}

/// Pattern-only subscribers unsubscribing from channels, names with NUL and
/// high bytes, shard subscriptions, and pops with counts around the edges.
#[test]
/// After the SUBSCRIBE error, s's redis-cli has left its pub/sub loop: it
/// reads one reply per command (PUNSUBSCRIBE's other two stay unread) and
/// nothing while idle (the message published to it is not printed).
fn counts_binary_names_and_pops_with_counts() {
    check(
        r#"SIM.CLIENT s
PSUBSCRIBE p*
UNSUBSCRIBE
SUNSUBSCRIBE
PING ""
SUBSCRIBE "a\x00b" ""
LPUSH x y
XADD s * a b
SUBSCRIBE
PUNSUBSCRIBE nope p* p*
SIM.CLIENT p
PUBLISH "a\x00b" "\xff"
PUBLISH p1 hi
SSUBSCRIBE ch1 ch3
SPUBLISH ch1 m
PUBSUB SHARDCHANNELS c*
PUBSUB SHARDCHANNELS c* x
PUBSUB SHARDNUMSUB ch1 ch2
SIM.CLIENT p2
SPUBLISH ch1 m
PUBSUB NUMPAT
PUBSUB NUMSUB "a\x00b"
RPUSH L a b c d e f g h i j k
LPOP L 10
LRANGE L 0 -1
RPOP L 0
RPOP L
RPOP L 0
LMOVE L L left right
LINDEX L 0
TYPE L
lpush L 1
LpOp L
"#,
        r#"Reading messages... (press Ctrl-C to quit)
1) "psubscribe"
2) "p*"
3) (integer) 1
1) "unsubscribe"
2) (nil)
3) (integer) 1
1) "sunsubscribe"
2) (nil)
3) (integer) 0
1) "pong"
2) ""
Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "a\x00b"
3) (integer) 2
1) "subscribe"
2) ""
3) (integer) 3
(error) ERR Can't execute 'lpush': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
(error) ERR Can't execute 'xadd': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
Reading messages... (press Ctrl-C to quit)
(error) ERR wrong number of arguments for 'subscribe' command
1) "punsubscribe"
2) "nope"
3) (integer) 3
(integer) 1
(integer) 0
Reading messages... (press Ctrl-C to quit)
1) "ssubscribe"
2) "ch1"
3) (integer) 1
1) "ssubscribe"
2) "ch3"
3) (integer) 2
(error) ERR Can't execute 'spublish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
(error) ERR Can't execute 'pubsub|shardchannels': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
(error) ERR Can't execute 'pubsub|shardchannels': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
(error) ERR Can't execute 'pubsub|shardnumsub': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context
(integer) 1
1) "smessage"
2) "ch1"
3) "m"
(integer) 0
1) "a\x00b"
2) (integer) 1
(integer) 11
 1) "a"
 2) "b"
 3) "c"
 4) "d"
 5) "e"
 6) "f"
 7) "g"
 8) "h"
 9) "i"
10) "j"
1) "k"
(empty array)
"k"
(nil)
(nil)
(nil)
none
(integer) 1
"1"
"#,
    );
}

/// DEL and FLUSHALL of a stream tell its blocked XREADGROUP readers; a
/// plain XREAD keeps waiting.
#[test]
fn deleting_a_stream_unblocks_group_readers() {
    check(
        r#"XGROUP CREATE s g $ MKSTREAM
SIM.CLIENT c1
XREADGROUP GROUP g alice BLOCK 0 STREAMS s >
SIM.CLIENT c2
XREAD BLOCK 0 STREAMS s $
SIM.CLIENT main
DEL s
XGROUP CREATE s2 g $ MKSTREAM
SIM.CLIENT c1
XREADGROUP GROUP g alice BLOCK 0 STREAMS s2 >
SIM.CLIENT main
FLUSHALL
"#,
        r#"OK
(integer) 1
(error) UNBLOCKED the stream key no longer exists
OK
OK
(error) UNBLOCKED the stream key no longer exists
"#,
    );
}

/// Runs a script against a cluster of 3 primaries with 1 replica each, as
/// the REPL would but with `SIM.CLIENT <name> <node>` choosing the node
/// (`main` is on node 0). Only what the cluster test needs.
fn run_cluster_script(script: &str) -> String {
    let mut server = Server::default();
    server.pubsub = PubSub::with_cluster(3, 1).expect("valid shape");
    let main = server.connect_to_node(b"main", 0);
    let mut connections: Vec<(Vec<u8>, ClientId)> = vec![(b"main".to_vec(), main)];
    let mut current = main;
    let mut out = Vec::new();
    for line in script.lines().skip(1) {
        let argv = split_args(line.as_bytes()).expect("valid line");
        if argv[0].eq_ignore_ascii_case(b"sim.client") {
            current = match connections.iter().find(|(name, _)| name[..] == argv[1][..]) {
                Some((_, id)) => *id,
                None => {
                    let node = std::str::from_utf8(&argv[2]).unwrap().parse().unwrap();
                    let id = server.connect_to_node(&argv[1], node);
                    connections.push((argv[1].to_vec(), id));
                    id
                }
            };
            continue;
        }
        if [&b"subscribe"[..], b"psubscribe", b"ssubscribe"]
            .iter()
            .any(|c| argv[0].eq_ignore_ascii_case(c))
        {
            out.extend_from_slice(b"Reading messages... (press Ctrl-C to quit)\n");
        }
        server.execute(current, &argv);
        let others = connections
            .iter()
            .map(|(_, id)| *id)
            .filter(|id| *id != current);
        for id in std::iter::once(current).chain(others) {
            for reply in server.take_replies(id) {
                out.extend_from_slice(&reply.to_cli());
            }
        }
    }
    String::from_utf8(out).expect("UTF-8 output")
}

/// A cluster of 7000..7005 (7003 follows 7002, 7004 follows 7000, 7005
/// follows 7001), recorded against six real nodes: MOVED and CROSSSLOT
/// before the subscribed-mode check, PUBLISH reaching subscribers on other
/// nodes (while counting only local ones), SPUBLISH served by the shard's
/// primary and replica only, and replicas that refuse writes.
#[test]
fn cluster_redirections_and_sharded_pubsub() {
    let script = r#"SIM.CLUSTER 3 1
RPUSH b 1
RPUSH c 1
LPUSH a 1
RPOPLPUSH b c
LMOVE b {b}x left left
BLPOP b c 0
SIM.CLIENT w 0
BLPOP b {b}y 0
SIM.CLIENT main
RPUSH {b}y v
DEL b c
EXISTS b
DEL b {b}x
RPUSH b 1 2
KEYS *
DBSIZE
PUBLISH ch1 hello
SIM.CLIENT s1 1
SUBSCRIBE ch1
SIM.CLIENT s4 4
SUBSCRIBE ch1
PSUBSCRIBE ch*
SIM.CLIENT s5 5
SSUBSCRIBE ch1
SSUBSCRIBE ch3
SSUBSCRIBE ch1 ch2
SIM.CLIENT s2 2
SSUBSCRIBE ch1 ch3
SSUBSCRIBE ch1
SSUBSCRIBE ch1 ch1
SIM.CLIENT main
PUBLISH ch1 "hello all"
SPUBLISH ch1 x
SIM.CLIENT p1 1
SPUBLISH ch1 "to shard"
PUBSUB NUMSUB ch1
PUBSUB SHARDNUMSUB ch1
PUBSUB CHANNELS
PUBSUB NUMPAT
SIM.CLIENT p5 5
SPUBLISH ch1 "from replica"
PUBSUB SHARDCHANNELS
PUBSUB NUMSUB ch1
SIM.CLIENT s4
PING
LPUSH b 1
UNSUBSCRIBE
SIM.CLIENT r 4
LRANGE b 0 -1
DBSIZE
FLUSHALL
SIM.CLIENT main
FLUSHALL
DBSIZE
SIM.CLIENT p1
DBSIZE
KEYS *
"#;
    assert_eq!(
        run_cluster_script(script),
        r#"(integer) 1
(error) MOVED 7365 127.0.0.1:7001
(error) MOVED 15495 127.0.0.1:7002
(error) CROSSSLOT Keys in request don't hash to the same slot
"1"
(error) CROSSSLOT Keys in request don't hash to the same slot
(integer) 1
1) "{b}y"
2) "v"
(error) CROSSSLOT Keys in request don't hash to the same slot
(integer) 0
(integer) 1
(integer) 2
1) "b"
(integer) 1
(integer) 0
Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "ch1"
3) (integer) 1
Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "ch1"
3) (integer) 1
Reading messages... (press Ctrl-C to quit)
1) "psubscribe"
2) "ch*"
3) (integer) 2
Reading messages... (press Ctrl-C to quit)
1) "ssubscribe"
2) "ch1"
3) (integer) 1
Reading messages... (press Ctrl-C to quit)
(error) MOVED 1672 127.0.0.1:7000
Reading messages... (press Ctrl-C to quit)
(error) CROSSSLOT Keys in request don't hash to the same slot
Reading messages... (press Ctrl-C to quit)
(error) CROSSSLOT Keys in request don't hash to the same slot
Reading messages... (press Ctrl-C to quit)
(error) MOVED 9930 127.0.0.1:7001
Reading messages... (press Ctrl-C to quit)
(error) MOVED 9930 127.0.0.1:7001
(integer) 0
1) "message"
2) "ch1"
3) "hello all"
1) "message"
2) "ch1"
3) "hello all"
1) "pmessage"
2) "ch*"
3) "ch1"
4) "hello all"
(error) MOVED 9930 127.0.0.1:7001
(integer) 0
1) "smessage"
2) "ch1"
3) "to shard"
1) "ch1"
2) (integer) 1
1) "ch1"
2) (integer) 0
1) "ch1"
(integer) 0
(integer) 1
1) "smessage"
2) "ch1"
3) "from replica"
1) "ch1"
1) "ch1"
2) (integer) 0
1) "pong"
2) ""
(error) MOVED 3300 127.0.0.1:7000
1) "unsubscribe"
2) "ch1"
3) (integer) 1
(error) MOVED 3300 127.0.0.1:7000
(integer) 1
(error) READONLY You can't write against a read only replica.
OK
(integer) 0
(integer) 0
(empty array)
"#,
    );
}
