//! The REPL benchmark's script: a seeded, deterministic workload of stream
//! commands — XGROUP CREATE once per stream, then XADD, XREADGROUP … `>`
//! and XACK of the IDs just read — written twice, as redis-cli command
//! lines for `ackscope repl` and as RESP for `redis-cli --pipe`.
//!
//! Entry IDs are explicit (the script knows them, so each XACK names
//! exactly the entries the XREADGROUP before it delivered) and the same on
//! both sides, so the simulated server and redis-server do the same work
//! and end in the same state, which the benchmark checks.

/// The streams the script writes, each with one consumer group.
const STREAMS: [&str; 4] = [
    "bench:orders",
    "bench:payments",
    "bench:shipments",
    "bench:audit",
];
/// The group every stream has.
pub const GROUP: &str = "workers";
/// The consumers reading through the group.
const CONSUMERS: [&str; 4] = ["worker-1", "worker-2", "worker-3", "worker-4"];
/// The largest COUNT an XREADGROUP asks for.
const COUNT_MAX: u64 = 10;
/// One delivered entry in this many is left unacknowledged (a worker that
/// crashed before XACK), so the pending lists are not empty at the end.
const UNACKED_ONE_IN: u64 = 50;

/// The script in both encodings.
pub struct Script {
    /// redis-cli command lines, one a line: `ackscope repl`'s input.
    pub lines: Vec<u8>,
    /// The same commands in RESP: `redis-cli --pipe`'s input.
    pub resp: Vec<u8>,
    /// How many commands of each kind, in the order first seen.
    pub mix: Vec<(String, usize)>,
}

impl Script {
    fn push(&mut self, argv: &[&str]) {
        let kind = argv[0];
        match self.mix.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => self.mix.push((kind.to_string(), 1)),
        }
        self.lines.extend_from_slice(argv.join(" ").as_bytes());
        self.lines.push(b'\n');
        self.resp
            .extend_from_slice(format!("*{}\r\n", argv.len()).as_bytes());
        for arg in argv {
            self.resp
                .extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
        }
    }

    /// How many commands the script holds.
    pub fn commands(&self) -> usize {
        self.mix.iter().map(|(_, n)| n).sum()
    }
}

/// The commands that read the end state back, the same on both servers:
/// each stream's length and its group's pending summary.
pub fn checks() -> Vec<String> {
    STREAMS
        .iter()
        .flat_map(|s| [format!("XLEN {s}"), format!("XPENDING {s} {GROUP}")])
        .collect()
}

/// SplitMix64: a seeded generator small enough to keep xtask free of
/// dependencies, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// `len` characters of base-64 text, like an encoded payload.
    fn text(&mut self, len: u64) -> String {
        const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        (0..len)
            .map(|_| DIGITS[(self.next() % 64) as usize] as char)
            .collect()
    }
}

/// One stream as the script sees it: the last ID it added, and the IDs
/// added but not yet delivered to the group.
#[derive(Default)]
struct StreamState {
    last: (u64, u64),
    undelivered: std::collections::VecDeque<String>,
}

/// `commands` commands from `seed`: about 60% XADD, the rest XREADGROUP
/// each followed by an XACK when it delivered something.
pub fn generate(seed: u64, commands: usize) -> Script {
    let mut rng = Rng(seed);
    let mut script = Script {
        lines: Vec::new(),
        resp: Vec::new(),
        mix: Vec::new(),
    };
    let mut streams: Vec<StreamState> = STREAMS.iter().map(|_| StreamState::default()).collect();
    let mut ms = 1_700_000_000_000u64;
    for s in STREAMS {
        script.push(&["XGROUP", "CREATE", s, GROUP, "0", "MKSTREAM"]);
    }
    let mut order = 0u64;
    while script.commands() < commands {
        let k = rng.range(0, STREAMS.len() as u64 - 1) as usize;
        let stream = &mut streams[k];
        if rng.range(1, 100) <= 60 {
            ms += rng.range(0, 2);
            let seq = if stream.last.0 == ms {
                stream.last.1 + 1
            } else {
                0
            };
            stream.last = (ms, seq);
            let id = format!("{ms}-{seq}");
            order += 1;
            let fields = [
                ("order", order.to_string()),
                ("customer", format!("c-{}", rng.range(1, 50_000))),
                (
                    "amount",
                    format!("{}.{:02}", rng.range(1, 999), rng.range(0, 99)),
                ),
                ("currency", "EUR".to_string()),
                ("payload", {
                    let len = rng.range(40, 200);
                    rng.text(len)
                }),
            ];
            let mut argv = vec!["XADD", STREAMS[k], &id];
            for (name, value) in &fields {
                argv.extend([*name, value.as_str()]);
            }
            script.push(&argv);
            stream.undelivered.push_back(id);
            continue;
        }
        let consumer = CONSUMERS[rng.range(0, CONSUMERS.len() as u64 - 1) as usize];
        let count = rng.range(1, COUNT_MAX);
        let n = (count as usize).min(stream.undelivered.len());
        let read: Vec<String> = stream.undelivered.drain(..n).collect();
        let count = count.to_string();
        script.push(&[
            "XREADGROUP",
            "GROUP",
            GROUP,
            consumer,
            "COUNT",
            &count,
            "STREAMS",
            STREAMS[k],
            ">",
        ]);
        let acked: Vec<&str> = read
            .iter()
            .filter(|_| rng.range(1, UNACKED_ONE_IN) != 1)
            .map(String::as_str)
            .collect();
        if !acked.is_empty() && script.commands() < commands {
            let mut argv = vec!["XACK", STREAMS[k], GROUP];
            argv.extend(acked);
            script.push(&argv);
        }
    }
    script
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_script_in_both_encodings() {
        let a = generate(7, 1000);
        let b = generate(7, 1000);
        assert_eq!(a.lines, b.lines);
        assert_eq!(a.resp, b.resp);
        assert_eq!(a.commands(), 1000);
        let lines = a.lines.iter().filter(|&&b| b == b'\n').count();
        let arrays = a
            .resp
            .split(|&b| b == b'\n')
            .filter(|l| l.first() == Some(&b'*'))
            .count();
        assert_eq!((lines, arrays), (1000, 1000));
        assert!(
            a.lines
                .starts_with(b"XGROUP CREATE bench:orders workers 0 MKSTREAM\n")
        );
    }

    #[test]
    fn an_xack_names_what_the_xreadgroup_before_it_read() {
        let script = generate(1, 400);
        let text = String::from_utf8(script.lines).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let ack = lines.iter().position(|l| l.starts_with("XACK")).unwrap();
        assert!(lines[ack - 1].starts_with("XREADGROUP"));
        let stream = lines[ack].split(' ').nth(1).unwrap();
        let first_id = lines[ack].split(' ').nth(3).unwrap();
        let added = format!("XADD {stream} {first_id} ");
        assert!(lines[..ack].iter().any(|l| l.starts_with(&added)));
    }
}
