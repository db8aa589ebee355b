//! A redis-cli compatible REPL over the simulated server: lines in, text
//! out, exactly as `redis-cli --no-raw` prints, and never waiting in real
//! time.
//!
//! Besides Redis commands it understands three of its own:
//! `SIM.ADVANCE <ms>` moves the simulated clock (so idle times, XCLAIM's
//! min-idle and BLOCK timeouts can be shown), `SIM.TIME` prints it, and
//! `SIM.CLIENT <name>` switches to another connection (created on first
//! use). Each connection behaves like its own redis-cli process: lines
//! typed while it waits for a blocked command wait too, and what it prints
//! comes after the current connection's output, in the order the
//! connections were opened.
//!
//! A connection models redis-cli's hiredis client exactly: commands are
//! appended to an output buffer and sent when redis-cli needs a reply and
//! has none buffered; replies that arrive are buffered and read one per
//! command (all of them in redis-cli's pub/sub loop). So a command that
//! gets two replies (`UNSUBSCRIBE a b` when not subscribed) makes the next
//! command print the second one — without even sending it yet — as real
//! redis-cli does.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::redis::event::{Bytes, ClientId};
use crate::redis::parse::{Arg, is_keyword, parse_i64, split_args};
use crate::redis::reply::Reply;
use crate::redis::server::Server;
use crate::time::{SimDuration, SimTime};

/// The name of the connection a REPL starts with.
pub const FIRST_CLIENT: &[u8] = b"main";

/// How many times redis-cli's `N command` prefix may repeat a command
/// here: redis-cli takes any `long`, but a simulation must stay bounded.
const MAX_REPEAT: i64 = 10_000;

/// A line being run on a connection: a command to send `left` more times
/// (redis-cli's `N command`), started at `started`.
#[derive(Debug)]
struct Active {
    argv: Vec<Arg>,
    left: i64,
    started: SimTime,
    /// redis-cli sent it and blocks until a reply comes.
    waiting: bool,
}

/// One connection and the redis-cli process behind it.
#[derive(Debug)]
struct Conn {
    name: Bytes,
    id: ClientId,
    /// In redis-cli's pub/sub loop: every reply is printed as it comes.
    pubsub: bool,
    /// Commands appended but not sent yet.
    unsent: Vec<Vec<Arg>>,
    /// Replies received and not read yet.
    reader: VecDeque<Reply>,
    /// The line redis-cli is busy with, waiting for a reply.
    active: Option<Active>,
    /// Lines typed while it was busy: redis-cli reads them afterwards.
    deferred: VecDeque<Vec<u8>>,
    /// What it printed during the current step.
    out: Vec<u8>,
}

impl Conn {
    fn new(name: &[u8], id: ClientId) -> Conn {
        Conn {
            name: name.to_vec(),
            id,
            pubsub: false,
            unsent: Vec::new(),
            reader: VecDeque::new(),
            active: None,
            deferred: VecDeque::new(),
            out: Vec::new(),
        }
    }
}

/// The REPL's state: the server and the open connections.
#[derive(Debug)]
pub struct Repl {
    server: Server,
    /// Index of the current connection.
    current: usize,
    /// Connections, in the order they were opened.
    conns: Vec<Conn>,
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
        let id = server.connect(FIRST_CLIENT);
        Repl {
            server,
            current: 0,
            conns: alloc::vec![Conn::new(FIRST_CLIENT, id)],
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
        &self.conns[self.current].name
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
    /// redis-cli would print: the current connection's output, then the
    /// others', in the order they were opened.
    pub fn feed(&mut self, line: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self.feed_into(line, &mut out);
        out
    }

    /// [`Repl::feed`], appending what is printed to `out`: the CLI keeps
    /// one buffer for a whole script and writes it out in large blocks.
    pub fn feed_into(&mut self, line: &[u8], out: &mut Vec<u8>) {
        if self.finished || line.first().is_none_or(|&b| b == 0) {
            return;
        }
        // The line is split once, here, unless it waits (deferred).
        let argv = split_args(line);
        if let Some(argv) = argv.as_deref().filter(|a| is_sim_command(a)) {
            self.sim_command(argv, out);
            self.take_output(out);
            return;
        }
        let c = self.current;
        if self.conns[c].active.is_some() {
            // redis-cli is waiting for a reply: it reads this line later.
            self.conns[c].deferred.push_back(line.to_vec());
        } else {
            self.run_args(c, argv);
            self.deliver();
        }
        // Nobody here watches the trace; the buffer is kept for the next.
        self.server.clear_events();
        self.take_output(out);
    }

    /// Moves everything printed during this step to `out`: the current
    /// connection's output first, then the others'. Each connection keeps
    /// its buffer's capacity for the next step.
    fn take_output(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.conns[self.current].out);
        for (i, conn) in self.conns.iter_mut().enumerate() {
            if i != self.current {
                out.append(&mut conn.out);
            }
        }
    }

    /// Runs one line on connection `c`, as its redis-cli would.
    fn run_line(&mut self, c: usize, line: &[u8]) {
        self.run_args(c, split_args(line));
    }

    /// [`Repl::run_line`] on the line already split (`None`: its quotes
    /// were unbalanced).
    fn run_args(&mut self, c: usize, argv: Option<Vec<Arg>>) {
        let Some(mut argv) = argv else {
            self.conns[c]
                .out
                .extend_from_slice(b"Invalid argument(s)\n");
            return;
        };
        if argv.is_empty() {
            return;
        }
        let repeat = if argv.len() > 1 {
            parse_repeat(&argv[0])
        } else {
            None
        };
        let repeat = match repeat {
            Some(Ok(n)) => {
                argv.remove(0);
                n
            }
            Some(Err(())) => {
                let out = &mut self.conns[c].out;
                out.extend_from_slice(b"Invalid redis-cli repeat command option value.\n");
                return;
            }
            None => 1,
        };
        let name = &argv[0];
        let out = &mut self.conns[c].out;
        if is_keyword(name, "quit") || is_keyword(name, "exit") {
            self.finished = true;
        } else if name.first() == Some(&b':') {
            preference(&argv, out);
        } else if is_keyword(name, "restart") {
            out.extend_from_slice(b"Use 'restart' only in Lua debugging mode.\n");
        } else if argv.len() == 3 && is_keyword(name, "connect") {
            // There is one simulated server; SIM.CLIENT opens connections.
        } else if argv.len() == 1 && is_keyword(name, "clear") {
            out.extend_from_slice(b"\x1b[H\x1b[2J");
        } else {
            let started = self.server.now();
            let active = Active {
                argv,
                left: repeat,
                started,
                waiting: false,
            };
            self.conns[c].active = Some(active);
            self.pump(c);
        }
    }

    /// Sends the active line's commands and prints their replies until it
    /// is done or waits for a reply that has not come yet.
    fn pump(&mut self, c: usize) {
        while let Some(active) = &mut self.conns[c].active {
            if active.waiting {
                return;
            }
            if active.left == 0 {
                let started = active.started;
                self.finish_line(c, started);
                continue;
            }
            active.left -= 1;
            // The last (usually the only) send takes the words themselves.
            let argv = if active.left == 0 {
                core::mem::take(&mut active.argv)
            } else {
                active.argv.clone()
            };
            let subscribes = ["subscribe", "psubscribe", "ssubscribe"]
                .iter()
                .any(|n| is_keyword(&argv[0], n));
            let conn = &mut self.conns[c];
            conn.unsent.push(argv);
            if subscribes {
                conn.out
                    .extend_from_slice(b"Reading messages... (press Ctrl-C to quit)\n");
                conn.pubsub = true;
                self.flush(c);
                self.read_pubsub(c);
                continue;
            }
            // hiredis returns a reply already buffered without sending the
            // new command; only with none buffered does it send and wait.
            if conn.reader.is_empty() {
                self.flush(c);
            }
            let conn = &mut self.conns[c];
            match conn.reader.pop_front() {
                Some(reply) => reply.write_cli(&mut conn.out),
                None => {
                    if let Some(active) = &mut conn.active {
                        active.waiting = true;
                    }
                    return;
                }
            }
        }
    }

    /// The line is done: redis-cli prints how long it took if that was
    /// half a second or more, then reads the lines typed meanwhile.
    fn finish_line(&mut self, c: usize, started: SimTime) {
        self.conns[c].active = None;
        let elapsed = self.server.now().saturating_since(started).as_ms();
        if elapsed >= 500 {
            let line = format!("({:.2}s)\n", elapsed as f64 / 1000.0);
            self.conns[c].out.extend_from_slice(line.as_bytes());
        }
        while self.conns[c].active.is_none() && !self.finished {
            let Some(line) = self.conns[c].deferred.pop_front() else {
                break;
            };
            self.run_line(c, &line);
        }
    }

    /// Sends every unsent command of connection `c`, and buffers the
    /// replies that come at once.
    fn flush(&mut self, c: usize) {
        let id = self.conns[c].id;
        let mut unsent = core::mem::take(&mut self.conns[c].unsent);
        for argv in unsent.drain(..) {
            self.server.execute(id, &argv);
            self.server.move_replies(id, &mut self.conns[c].reader);
        }
        // Keep the (empty) vector: its capacity serves the next command.
        if self.conns[c].unsent.is_empty() {
            self.conns[c].unsent = unsent;
        }
    }

    /// redis-cli's pub/sub loop: print everything as it comes; an error
    /// ends the loop.
    fn read_pubsub(&mut self, c: usize) {
        while self.conns[c].pubsub {
            let Some(reply) = self.conns[c].reader.pop_front() else {
                break;
            };
            self.conns[c].pubsub = !reply.is_error();
            reply.write_cli(&mut self.conns[c].out);
        }
    }

    /// Hands every connection what the server sent it; a connection
    /// waiting for a reply reads it and carries on with its line, which
    /// may in turn answer others.
    fn deliver(&mut self) {
        loop {
            let mut progressed = false;
            for c in 0..self.conns.len() {
                let id = self.conns[c].id;
                self.server.move_replies(id, &mut self.conns[c].reader);
                if self.conns[c].pubsub {
                    self.read_pubsub(c);
                }
                let conn = &mut self.conns[c];
                let Some(active) = conn.active.as_mut().filter(|a| a.waiting) else {
                    continue;
                };
                let Some(reply) = conn.reader.pop_front() else {
                    continue;
                };
                active.waiting = false;
                reply.write_cli(&mut conn.out);
                self.pump(c);
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
    }

    fn sim_command(&mut self, argv: &[Arg], out: &mut Vec<u8>) {
        let name = &argv[0];
        if is_keyword(name, "sim.advance") && argv.len() == 2 {
            match parse_i64(&argv[1]) {
                Some(ms) if ms >= 0 => self.advance(SimDuration::from_ms(ms as u64)),
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
    }

    /// Moves the clock by `by`, stopping at each blocked client's timeout
    /// (the first millisecond past its deadline, when Redis answers it) so
    /// that the wait it shows, and the lines typed behind it, happen then.
    fn advance(&mut self, by: SimDuration) {
        let to = self.server.now() + by;
        loop {
            let now = self.server.now();
            let Some(timeout) = self.server.next_timeout().filter(|t| *t <= to && *t > now) else {
                break;
            };
            self.server.advance_to(timeout);
            self.deliver();
        }
        self.server.advance_to(to);
        self.deliver();
    }

    /// Makes connection `name` current, opening it if needed.
    pub fn switch_to(&mut self, name: &[u8]) {
        if let Some(c) = self.conns.iter().position(|conn| conn.name == name) {
            self.current = c;
            return;
        }
        let id = self.server.connect(name);
        self.conns.push(Conn::new(name, id));
        self.current = self.conns.len() - 1;
    }
}

/// Whether a line is one of the REPL's own `SIM.` commands, which act on
/// the whole simulation rather than on a connection.
fn is_sim_command(argv: &[Arg]) -> bool {
    argv.first()
        .is_some_and(|name| name.len() > 4 && name[..4].eq_ignore_ascii_case(b"sim."))
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

/// redis-cli's `:set` preferences: what it prints about them, to `out`.
fn preference(argv: &[Arg], out: &mut Vec<u8>) {
    if is_keyword(&argv[0], ":set") && argv.len() >= 2 {
        if !(is_keyword(&argv[1], "hints") || is_keyword(&argv[1], "nohints")) {
            out.extend_from_slice(b"unknown redis-cli preference '");
            out.extend_from_slice(crate::redis::cmd::c_str(&argv[1]));
            out.extend_from_slice(b"'\n");
        }
    } else {
        out.extend_from_slice(b"unknown redis-cli internal command '");
        out.extend_from_slice(crate::redis::cmd::c_str(&argv[0]));
        out.extend_from_slice(b"'\n");
    }
}

/// Runs a whole script, line by line, and returns the output.
pub fn run_script(input: &[u8]) -> Vec<u8> {
    let mut repl = Repl::new();
    let mut out = Vec::new();
    for line in input.split(|&b| b == b'\n') {
        if repl.finished() {
            break;
        }
        repl.feed_into(line, &mut out);
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
