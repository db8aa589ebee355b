//! Fuzzes the REPL: millions of random and mutated command lines, looking
//! for a panic, a hang (a line taking more than a second) or a REPL that
//! stops answering. Run by `cargo xtask fuzz` (not in CI):
//!
//! ```text
//! cargo run --release -p ackscope-engine --example fuzz_repl -- [--lines N] [--seed S]
//! ```
//!
//! Lines are made from the commands Redis knows (and some it does not),
//! with arguments drawn from keys, IDs in every valid and invalid form,
//! numbers at the edges of their ranges, option keywords, quotes, escapes
//! and random bytes; a quarter are mutations of earlier lines. Each REPL
//! session runs 500 lines, so state stays small but interactions
//! (blocking, groups, claims) have time to happen. A failure prints the
//! seed and the session's lines, to reproduce it with `ackscope repl`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use ackscope_engine::redis::cmd::{COMMANDS, Entry};
use ackscope_engine::redis::repl::Repl;
use ackscope_engine::rng::Rng;

const SESSION_LINES: usize = 500;
const WORDS: &[&str] = &[
    "COUNT",
    "BLOCK",
    "STREAMS",
    "GROUP",
    "NOACK",
    "MAXLEN",
    "MINID",
    "LIMIT",
    "~",
    "=",
    "NOMKSTREAM",
    "MKSTREAM",
    "ENTRIESREAD",
    "ENTRIESADDED",
    "MAXDELETEDID",
    "IDLE",
    "TIME",
    "RETRYCOUNT",
    "FORCE",
    "JUSTID",
    "LASTID",
    "FULL",
    "LEFT",
    "RIGHT",
    "HELP",
    "CREATE",
    "SETID",
    "DESTROY",
    "CREATECONSUMER",
    "DELCONSUMER",
    "CHANNELS",
    "NUMSUB",
    "NUMPAT",
    "SHARDCHANNELS",
    "SHARDNUMSUB",
    "ASYNC",
    "SYNC",
    "NX",
    "XX",
    "GT",
    "LT",
    "EX",
    "PX",
    "EXAT",
    "PXAT",
    "KEEPTTL",
    "GET",
    "*",
    "$",
    ">",
    "-",
    "+",
    "0",
    "",
];
const KEYS: &[&str] = &[
    "s", "s2", "l", "l2", "ch", "news.*", "{t}a", "{t}b", "g", "g2", "c1", "c2",
];

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len() as u64) as usize]
}

fn command_names() -> Vec<String> {
    let mut names = Vec::new();
    for entry in COMMANDS {
        match entry {
            Entry::Plain(c) => names.push(c.name.to_string()),
            Entry::Container { name, subcommands } => {
                names.push(name.to_string());
                for sub in *subcommands {
                    names.push(sub.name.replace('|', " "));
                }
            }
        }
    }
    names.extend(
        [
            "SIM.ADVANCE",
            "SIM.CLIENT",
            "SIM.TIME",
            "FOO",
            "quit",
            ":set",
            "3",
            "help",
        ]
        .map(String::from),
    );
    names
}

/// One random argument.
fn argument(rng: &mut Rng) -> String {
    match rng.below(12) {
        0..=2 => pick(rng, KEYS).to_string(),
        3 | 4 => pick(rng, WORDS).to_string(),
        5 => format!("{}-{}", rng.below(20), rng.below(4)),
        6 => format!("{}", rng.below(3000)),
        7 => pick(
            rng,
            &[
                "-1",
                "9223372036854775807",
                "18446744073709551615-18446744073709551615",
                "0-0",
                "1.5",
                "-0",
                "(5",
                "(0-0",
                "1-*",
                "inf",
                "0x10",
                "99999999999999999999",
            ],
        )
        .to_string(),
        8 => format!(
            "\"{}\"",
            pick(rng, &["a b", "\\x41\\n", "\\x", "", "\\\"", "é"])
        ),
        9 => format!("'{}'", pick(rng, &["it\\'s", "x y", ""])),
        10 => (0..rng.below(6))
            .map(|_| char::from(b'a' + rng.below(26) as u8))
            .collect(),
        _ => (0..rng.below(5))
            .map(|_| char::from(rng.below(128) as u8))
            .filter(|c| *c != '\n')
            .collect(),
    }
}

/// Well-formed commands with random holes, so that deep paths (groups,
/// pending lists, claims, blocking) are reached, not only parse errors.
const TEMPLATES: &[&str] = &[
    "XADD {k} * f {a}",
    "XADD {k} MAXLEN ~ {n} * f v",
    "XADD {k} {i} f v",
    "XGROUP CREATE {k} {g} {i} MKSTREAM",
    "XREADGROUP GROUP {g} {c} COUNT {n} STREAMS {k} >",
    "XREADGROUP GROUP {g} {c} COUNT {n} BLOCK {n} STREAMS {k} >",
    "XREADGROUP GROUP {g} {c} STREAMS {k} {i}",
    "XACK {k} {g} {i} {i}",
    "XCLAIM {k} {g} {c} {n} {i} {a}",
    "XAUTOCLAIM {k} {g} {c} {n} {i} COUNT {n}",
    "XPENDING {k} {g} - + {n} {c}",
    "XPENDING {k} {g} IDLE {n} {i} {i} {n}",
    "XINFO STREAM {k} FULL COUNT {n}",
    "XINFO GROUPS {k}",
    "XINFO CONSUMERS {k} {g}",
    "XTRIM {k} MINID ~ {i} LIMIT {n}",
    "XDEL {k} {i}",
    "XGROUP SETID {k} {g} {i} ENTRIESREAD {n}",
    "XREAD COUNT {n} BLOCK {n} STREAMS {k} {k} $ {i}",
    "LPUSH {k} {a} {a}",
    "BLPOP {k} {k} {n}",
    "BLMOVE {k} {k} LEFT RIGHT {n}",
    "SUBSCRIBE {k}",
    "PSUBSCRIBE {k}",
    "PUBLISH {k} {a}",
    "SIM.ADVANCE {n}",
    "SIM.CLIENT {c}",
    "SET {k} {a} NX PX {n}",
    "SET {k} {n} XX GET KEEPTTL",
    "INCRBY {k} {n}",
    "EXPIRE {k} {n} GT",
    "PEXPIRE {k} {n}",
    "WATCH {k} {k}",
    "MULTI",
    "EXEC",
    "DISCARD",
];

fn random_line(rng: &mut Rng, names: &[String]) -> Vec<u8> {
    if rng.below(2) == 0 {
        let mut line = String::new();
        let template = pick(rng, TEMPLATES);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            line.push_str(&rest[..open]);
            let hole = &rest[open + 1..open + 2];
            line.push_str(&match hole {
                "k" => pick(rng, KEYS).to_string(),
                "g" => pick(rng, &["g", "g2"]).to_string(),
                "c" => pick(rng, &["c1", "c2", "c3"]).to_string(),
                "n" => format!("{}", rng.below(50)),
                "i" => pick(
                    rng,
                    &[
                        "0",
                        "$",
                        ">",
                        "-",
                        "+",
                        "1-0",
                        "2",
                        "5-1",
                        "1700000000000-0",
                        "(1",
                    ],
                )
                .to_string(),
                _ => argument(rng),
            });
            rest = &rest[open + 3..];
        }
        line.push_str(rest);
        return line.into_bytes();
    }
    let mut line = names[rng.below(names.len() as u64) as usize].clone();
    for _ in 0..rng.below(9) {
        line.push(' ');
        line.push_str(&argument(rng));
    }
    line.into_bytes()
}

fn mutate(rng: &mut Rng, line: &[u8]) -> Vec<u8> {
    let mut out = line.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(out.len() as u64 + 1) as usize;
        match rng.below(4) {
            0 if at < out.len() => {
                out.remove(at);
            }
            1 => out.insert(at, rng.below(256) as u8),
            2 if at < out.len() => out[at] = rng.below(256) as u8,
            _ => {
                let piece = out[at..].to_vec();
                out.extend_from_slice(&piece[..piece.len().min(16)]);
            }
        }
    }
    out.retain(|b| *b != b'\n');
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str, default: u64| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let total = value("--lines", 1_000_000) as usize;
    let seed = value("--seed", 1);
    let names = command_names();
    let mut rng = Rng::new(seed);
    let started = Instant::now();
    let mut done = 0usize;
    let mut slowest = Duration::ZERO;
    while done < total {
        let mut lines: Vec<Vec<u8>> = Vec::with_capacity(SESSION_LINES);
        for _ in 0..SESSION_LINES.min(total - done) {
            let line = if !lines.is_empty() && rng.below(4) == 0 {
                let base = lines[rng.below(lines.len() as u64) as usize].clone();
                mutate(&mut rng, &base)
            } else {
                random_line(&mut rng, &names)
            };
            lines.push(line);
        }
        let result = catch_unwind(AssertUnwindSafe(|| {
            let mut repl = Repl::new();
            let mut worst = Duration::ZERO;
            for (i, line) in lines.iter().enumerate() {
                if repl.finished() {
                    repl = Repl::new();
                }
                let t = Instant::now();
                repl.feed(line);
                let took = t.elapsed();
                if took > Duration::from_secs(1) {
                    return Err(i);
                }
                worst = worst.max(took);
            }
            Ok(worst)
        }));
        match result {
            Ok(Ok(worst)) => slowest = slowest.max(worst),
            Ok(Err(i)) => fail(seed, done, &lines[..=i], "a line took more than a second"),
            Err(_) => fail(seed, done, &lines, "panic"),
        }
        done += lines.len();
    }
    println!(
        "fuzzed {done} lines (seed {seed}) in {:.1} s: no panic, no hang; slowest line {:.2} ms",
        started.elapsed().as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
}

fn fail(seed: u64, done: usize, lines: &[Vec<u8>], what: &str) -> ! {
    eprintln!("fuzz: {what} in the session starting at line {done} (seed {seed}); its lines:");
    for line in lines {
        eprintln!("{}", String::from_utf8_lossy(line));
    }
    std::process::exit(1);
}
