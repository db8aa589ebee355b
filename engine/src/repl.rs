//! A redis-cli compatible REPL over the simulated server: lines in, text
//! out, exactly as `redis-cli --no-raw` prints, and never waiting in real
//! time.
//!
//! Besides Redis commands it understands three of its own:
//! `SIM.ADVANCE <ms>` moves the simulated clock (so idle times, XCLAIM's
//! min-idle and BLOCK timeouts can be shown), `SIM.TIME` prints it, and
//! `SIM.CLIENT <name>` switches to another connection (created on first
//! use). Each connection behaves like its own redis-cli: a blocked one
//! stays blocked until served or timed out, and what it receives is printed
//! after the current connection's output, in the order the connections were
//! opened.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::event::{Bytes, ClientId};
use crate::parse::{is_keyword, parse_i64, split_args};
use crate::server::Server;
use crate::time::{SimDuration, SimTime};

/// The name of the connection a REPL starts with.
pub const FIRST_CLIENT: &[u8] = b"main";

/// How many times redis-cli's `N command` prefix may repeat a command
/// here: redis-cli takes any `long`, but a simulation must stay bounded.
const MAX_REPEAT: i64 = 10_000;

/// The REPL's state: the server and the open connections.
#[derive(Debug)]
pub struct Repl {
    server: Server,
    current: ClientId,
    /// Connections by name, in the order they were opened.
    connections: Vec<(Bytes, ClientId)>,
    /// For clients left blocked by a line: when that line was typed.
    waiting_since: BTreeMap<ClientId, SimTime>,
    /// For those of them answered since: when the answer came, which is
    /// what redis-cli's `(1.50s)` line measures.
    answered_at: BTreeMap<ClientId, SimTime>,
    finished: bool,
}

impl Default for Repl {
    fn default() -> Self {
        Repl::new()
    }
}

impl Repl {
    /// A REPL on an empty server whose clock reads [`SimTime::START`].
    pub fn new() -> Self {
        Repl::with_server(Server::new(SimTime::START))
    }

    /// A REPL over an existing server (the UI's console).
    pub fn with_server(mut server: Server) -> Self {
        let current = server.connect(FIRST_CLIENT);
        Repl {
            server,
            current,
            connections: alloc::vec![(FIRST_CLIENT.to_vec(), current)],
            waiting_since: BTreeMap::new(),
            answered_at: BTreeMap::new(),
            finished: false,
        }
    }

    /// The server, to inspect.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The server, to drive directly (the UI takes its events).
    pub fn server_mut(&mut self) -> &mut Server {
        &mut self.server
    }

    /// Whether `quit` or `exit` was typed.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The current connection's name.
    pub fn current_name(&self) -> &[u8] {
        self.connections
            .iter()
            .find(|(_, id)| *id == self.current)
            .map_or(FIRST_CLIENT, |(n, _)| n)
    }

    /// The prompt for an interactive terminal: connection and time.
    pub fn prompt(&self) -> String {
        format!(
            "{}@{}> ",
            String::from_utf8_lossy(self.current_name()),
            self.server.now().since_start()
        )
    }

    /// Runs one input line (without its newline) and returns what
    /// redis-cli would print.
    pub fn feed(&mut self, line: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        if self.finished || line.first().is_none_or(|&b| b == 0) {
            return out;
        }
        let Some(argv) = split_args(line) else {
            out.extend_from_slice(b"Invalid argument(s)\n");
            return out;
        };
        if argv.is_empty() {
            return out;
        }
        let repeat = if argv.len() > 1 {
            parse_repeat(&argv[0])
        } else {
            None
        };
        let (repeat, argv) = match repeat {
            Some(Ok(n)) => (n, &argv[1..]),
            Some(Err(())) => {
                out.extend_from_slice(b"Invalid redis-cli repeat command option value.\n");
                return out;
            }
            None => (1, &argv[..]),
        };
        let name = &argv[0];
        if is_keyword(name, "quit") || is_keyword(name, "exit") {
            self.finished = true;
        } else if name.first() == Some(&b':') {
            out.extend_from_slice(&preference(argv));
        } else if is_keyword(name, "restart") {
            out.extend_from_slice(b"Use 'restart' only in Lua debugging mode.\n");
        } else if argv.len() == 3 && is_keyword(name, "connect") {
            // There is one simulated server; SIM.CLIENT opens connections.
        } else if argv.len() == 1 && is_keyword(name, "clear") {
            out.extend_from_slice(b"\x1b[H\x1b[2J");
        } else if name.len() > 4 && name[..4].eq_ignore_ascii_case(b"sim.") {
            out.extend_from_slice(&self.sim_command(argv));
        } else {
            self.issue(argv, repeat, &mut out);
        }
        self.server.take_events();
        out
    }

    /// Sends a command `repeat` times on the current connection, then
    /// collects what every connection received.
    fn issue(&mut self, argv: &[Bytes], repeat: i64, out: &mut Vec<u8>) {
        let started = self.server.now();
        let subscribes = ["subscribe", "psubscribe", "ssubscribe"]
            .iter()
            .any(|c| is_keyword(&argv[0], c));
        for _ in 0..repeat {
            if subscribes {
                out.extend_from_slice(b"Reading messages... (press Ctrl-C to quit)\n");
            }
            self.server.execute(self.current, argv);
            self.collect(self.current, out);
        }
        if self.server.is_blocked(self.current) {
            self.waiting_since.entry(self.current).or_insert(started);
        }
        self.collect_others(out);
    }

    /// Prints what client `id` received, then, if a line it typed was
    /// waiting and is done, how long it took (redis-cli prints this for
    /// commands that took half a second or more).
    fn collect(&mut self, id: ClientId, out: &mut Vec<u8>) {
        for reply in self.server.take_replies(id) {
            out.extend_from_slice(&reply.to_cli());
        }
        let answered_at = self.answered_at.remove(&id);
        if !self.server.is_blocked(id)
            && let Some(since) = self.waiting_since.remove(&id)
        {
            let until = answered_at.unwrap_or(self.server.now());
            let elapsed = until.saturating_since(since).as_ms();
            if elapsed >= 500 {
                out.extend_from_slice(format!("({:.2}s)\n", elapsed as f64 / 1000.0).as_bytes());
            }
        }
    }

    fn collect_others(&mut self, out: &mut Vec<u8>) {
        let others: Vec<ClientId> = self
            .connections
            .iter()
            .map(|(_, id)| *id)
            .filter(|id| *id != self.current)
            .collect();
        for id in others {
            self.collect(id, out);
        }
    }

    fn sim_command(&mut self, argv: &[Bytes]) -> Vec<u8> {
        let mut out = Vec::new();
        let name = &argv[0];
        if is_keyword(name, "sim.advance") && argv.len() == 2 {
            match parse_i64(&argv[1]) {
                Some(ms) if ms >= 0 => {
                    self.advance(SimDuration::from_ms(ms as u64));
                    self.collect(self.current, &mut out);
                    self.collect_others(&mut out);
                }
                _ => out.extend_from_slice(
                    b"(error) ERR SIM.ADVANCE takes a non-negative number of milliseconds\n",
                ),
            }
        } else if is_keyword(name, "sim.time") && argv.len() == 1 {
            out.extend_from_slice(format!("(integer) {}\n", self.server.now().as_ms()).as_bytes());
        } else if is_keyword(name, "sim.client") && argv.len() == 2 {
            self.switch_to(&argv[1]);
        } else {
            out.extend_from_slice(
                b"(error) ERR unknown SIM command: use SIM.ADVANCE <ms>, SIM.TIME or SIM.CLIENT <name>\n",
            );
        }
        out
    }

    /// Moves the clock by `by`, stopping at each blocked client's timeout
    /// (the first millisecond past its deadline, when Redis answers it) so
    /// that the wait it shows, and the commands it queued, happen then.
    fn advance(&mut self, by: SimDuration) {
        let to = self.server.now() + by;
        let due = |server: &Server| {
            let now = server.now();
            server.next_timeout().filter(|t| *t <= to && *t > now)
        };
        while let Some(timeout) = due(&self.server) {
            self.server.advance_to(timeout);
            self.note_answers();
        }
        self.server.advance_to(to);
    }

    /// Notes when waiting connections were answered: now.
    fn note_answers(&mut self) {
        let now = self.server.now();
        for id in self.waiting_since.keys() {
            if !self.server.is_blocked(*id) {
                self.answered_at.entry(*id).or_insert(now);
            }
        }
    }

    /// Makes connection `name` current, opening it if needed.
    pub fn switch_to(&mut self, name: &[u8]) {
        if let Some((_, id)) = self.connections.iter().find(|(n, _)| n == name) {
            self.current = *id;
            return;
        }
        let id = self.server.connect(name);
        self.connections.push((name.to_vec(), id));
        self.current = id;
    }
}

/// redis-cli's `N command` prefix: `None` if the first word is not a
/// number (C's `strtol` over the whole word), `Err` if it is not positive.
fn parse_repeat(word: &[u8]) -> Option<Result<i64, ()>> {
    let text = core::str::from_utf8(word).ok()?;
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.is_empty() {
        // strtol read nothing, and the (empty) rest is the whole word.
        return (trimmed.len() == text.len() && text.is_empty()).then_some(Err(()));
    }
    match trimmed.parse::<i64>() {
        Ok(n) if n > 0 => Some(Ok(n.min(MAX_REPEAT))),
        _ => Some(Err(())),
    }
}

/// redis-cli's `:set` preferences.
fn preference(argv: &[Bytes]) -> Vec<u8> {
    let mut out = Vec::new();
    if is_keyword(&argv[0], ":set") && argv.len() >= 2 {
        if !(is_keyword(&argv[1], "hints") || is_keyword(&argv[1], "nohints")) {
            out.extend_from_slice(b"unknown redis-cli preference '");
            out.extend_from_slice(crate::cmd::c_str(&argv[1]));
            out.extend_from_slice(b"'\n");
        }
    } else {
        out.extend_from_slice(b"unknown redis-cli internal command '");
        out.extend_from_slice(crate::cmd::c_str(&argv[0]));
        out.extend_from_slice(b"'\n");
    }
    out
}

/// Runs a whole script, line by line, and returns the output.
pub fn run_script(input: &[u8]) -> Vec<u8> {
    let mut repl = Repl::new();
    let mut out = Vec::new();
    for line in input.split(|&b| b == b'\n') {
        if repl.finished() {
            break;
        }
        out.extend_from_slice(&repl.feed(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &str) -> String {
        String::from_utf8(run_script(script.as_bytes())).unwrap()
    }

    #[test]
    fn prints_like_redis_cli() {
        assert_eq!(
            run("XADD s 1-1 a b\nXLEN s\nXRANGE s - +\n"),
            "\"1-1\"\n(integer) 1\n1) 1) \"1-1\"\n   2) 1) \"a\"\n      2) \"b\"\n"
        );
        assert_eq!(run("XADD s \"oops\n"), "Invalid argument(s)\n");
        assert_eq!(
            run("0 PING x\n"),
            "Invalid redis-cli repeat command option value.\n"
        );
    }

    #[test]
    fn repeats_and_quits() {
        assert_eq!(
            run("3 XADD s * a b\nquit\nXLEN s\n"),
            "\"1700000000000-0\"\n\"1700000000000-1\"\n\"1700000000000-2\"\n"
        );
    }

    #[test]
    fn a_blocked_client_is_served_by_another() {
        let out = run(
            "XREAD BLOCK 0 STREAMS s $\nSIM.ADVANCE 1500\nSIM.CLIENT producer\nXADD s 5-0 k v\n",
        );
        assert_eq!(
            out,
            "\"5-0\"\n1) 1) \"s\"\n   2) 1) 1) \"5-0\"\n         2) 1) \"k\"\n            2) \"v\"\n(1.50s)\n"
        );
    }

    #[test]
    fn blocked_reads_time_out_in_simulated_time() {
        let out = run("XREAD BLOCK 1000 STREAMS s $\nSIM.ADVANCE 1000\nSIM.ADVANCE 1\n");
        assert_eq!(out, "(nil)\n(1.00s)\n");
    }

    #[test]
    fn a_timed_out_wait_lasts_until_the_timeout_not_the_advance() {
        // redis-cli measures until the answer: 300 ms, too short to show.
        let out = run("XREAD BLOCK 300 STREAMS s $\nSIM.ADVANCE 5000\n");
        assert_eq!(out, "(nil)\n");
        let out = run("XREAD BLOCK 700 STREAMS s $\nSIM.ADVANCE 5000\n");
        assert_eq!(out, "(nil)\n(0.70s)\n");
    }
}
