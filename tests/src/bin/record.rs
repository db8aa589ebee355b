//! `record`: re-records the redis-cli transcripts in `tests/fixtures/redis/`
//! from a live redis-server 7.0.
//!
//! ```text
//! cargo run -p ackscope-tests --bin record [-- --port N] [--dir DIR] [name …]
//! ```
//!
//! For every script `<name>.redis` (or only the ones named) it flushes the
//! server (FLUSHALL, not recorded), then types the script line by line into
//! real `redis-cli -p <port> --no-raw` processes and writes what they print to
//! `<name>.out`. The REPL's own commands are played for real:
//!
//! - `SIM.CLIENT <name>` switches to another redis-cli process (opened on
//!   first use; the first one is `main`), as the engine's REPL switches
//!   connections;
//! - `SIM.ADVANCE <ms>` sleeps that long, so idle times, XCLAIM's min-idle
//!   and BLOCK timeouts happen in real time;
//! - `SIM.TIME` has no real counterpart and is refused.
//!
//! After each line the recorder waits until every process has been quiet
//! for [`QUIET`] (or `--quiet-ms`), then appends the output of the current process, then that
//! of the others in the order they were opened — the order in which the
//! engine's REPL prints them. redis-cli runs under `stdbuf -oL` because it
//! does not flush its `(1.50s)` lines; without a line-buffered stdout they
//! would show up one command late.
//!
//! `--dir` records the scripts of another folder (to try scripts out
//! without touching the checked-in fixtures; the test reads the same folder
//! from `FIXTURE_DIR`).
//!
//! Without `--port` it starts its own `redis-server` on port 6391 (bound to
//! 127.0.0.1, no persistence) and shuts it down at the end. Recording is
//! never part of `cargo test`: the transcripts are checked in.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long every redis-cli must have printed nothing before a line counts
/// as answered.
const QUIET: Duration = Duration::from_millis(150);
/// How long one line may keep printing before the recorder gives up.
const LINE_LIMIT: Duration = Duration::from_secs(30);
/// The port of the server the recorder starts itself.
const OWN_PORT: u16 = 6391;

fn main() {
    if let Err(message) = run(std::env::args().skip(1).collect()) {
        eprintln!("record: {message}");
        std::process::exit(1);
    }
}

/// The command line: which server, which fixtures.
struct Options {
    /// The port of a live server, or `None` to start one.
    port: Option<u16>,
    /// Where the scripts are, if not in `tests/fixtures/redis`.
    dir: Option<PathBuf>,
    /// How long a quiet spell ends a line.
    quiet: Duration,
    /// Fixture names (without `.redis`); empty means all.
    names: Vec<String>,
}

fn parse_options(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        port: None,
        dir: None,
        quiet: QUIET,
        names: Vec::new(),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port wants a number")?;
                let port = value
                    .parse()
                    .map_err(|_| format!("--port wants a number, not `{value}`"))?;
                options.port = Some(port);
            }
            "--quiet-ms" => {
                let value = args.next().ok_or("--quiet-ms wants milliseconds")?;
                let ms = value
                    .parse()
                    .map_err(|_| format!("--quiet-ms wants milliseconds, not `{value}`"))?;
                options.quiet = Duration::from_millis(ms);
            }
            "--dir" => options.dir = Some(args.next().ok_or("--dir wants a folder")?.into()),
            "-h" | "--help" => {
                return Err(
                    "usage: record [--port N] [--dir DIR] [--quiet-ms MS] [fixture-name …]".into(),
                );
            }
            name => options
                .names
                .push(name.trim_end_matches(".redis").to_string()),
        }
    }
    Ok(options)
}

fn run(args: Vec<String>) -> Result<(), String> {
    let options = parse_options(args)?;
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/redis"));
    let scripts = select_scripts(&dir, &options.names)?;
    let server = match options.port {
        Some(port) => Server::existing(port),
        None => Server::start(OWN_PORT)?,
    };
    check_version(server.port)?;
    for script in &scripts {
        let name = script.file_stem().unwrap_or_default().to_string_lossy();
        let started = Instant::now();
        let output = record(server.port, script, options.quiet)?;
        std::fs::write(script.with_extension("out"), &output)
            .map_err(|e| format!("writing {name}.out: {e}"))?;
        eprintln!("recorded {name} ({:.1}s)", started.elapsed().as_secs_f64());
    }
    eprintln!("{} fixture(s) recorded", scripts.len());
    Ok(())
}

/// The scripts to record, sorted by name.
fn select_scripts(dir: &Path, names: &[String]) -> Result<Vec<PathBuf>, String> {
    if !names.is_empty() {
        return names
            .iter()
            .map(|name| {
                let path = dir.join(format!("{name}.redis"));
                if path.is_file() {
                    Ok(path)
                } else {
                    Err(format!("no fixture script {}", path.display()))
                }
            })
            .collect();
    }
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut scripts: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "redis"))
        .collect();
    scripts.sort();
    Ok(scripts)
}

// ----- the server -----

/// The redis-server recorded from; shut down on drop if we started it.
struct Server {
    port: u16,
    own: Option<Child>,
}

impl Server {
    fn existing(port: u16) -> Server {
        Server { port, own: None }
    }

    /// Starts `redis-server` on 127.0.0.1:`port` without persistence and
    /// waits until it answers.
    fn start(port: u16) -> Result<Server, String> {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Err(format!(
                "port {port} is taken: stop that server or pass --port {port} to use it"
            ));
        }
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting redis-server: {e}"))?;
        let server = Server {
            port,
            own: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while cli(port, &["PING"]).ok().as_deref() != Some("PONG\n") {
            if Instant::now() > deadline {
                return Err("redis-server did not answer PING within 10 s".into());
            }
            thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.own {
            let _ = cli(self.port, &["SHUTDOWN", "NOSAVE"]);
            let deadline = Instant::now() + Duration::from_secs(5);
            while !matches!(child.try_wait(), Ok(Some(_))) && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Runs one redis-cli command and returns what it printed.
fn cli(port: u16, args: &[&str]) -> Result<String, String> {
    let output = Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("running redis-cli: {e}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The fixtures pin Redis 7.0's replies: refuse another version.
fn check_version(port: u16) -> Result<(), String> {
    let info = cli(port, &["INFO", "server"])?;
    let version = info
        .lines()
        .find_map(|line| line.strip_prefix("redis_version:"))
        .ok_or_else(|| format!("no redis-server answers on 127.0.0.1:{port}"))?;
    if !version.starts_with("7.0.") {
        return Err(format!("the fixtures need redis 7.0, this is {version}"));
    }
    Ok(())
}

// ----- the redis-cli connections -----

/// What a redis-cli printed and not taken yet, and when it last printed.
struct Captured {
    bytes: Vec<u8>,
    last_output: Instant,
}

/// One interactive redis-cli process: a connection of the script.
struct Connection {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    captured: Arc<Mutex<Captured>>,
}

impl Connection {
    /// Starts `redis-cli -p <port> --no-raw` with a line-buffered stdout
    /// and a thread that collects what it prints.
    fn open(name: &str, port: u16) -> Result<Connection, String> {
        let mut child = Command::new("stdbuf")
            .args(["-oL", "redis-cli", "-p", &port.to_string(), "--no-raw"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting redis-cli (under stdbuf): {e}"))?;
        let captured = Arc::new(Mutex::new(Captured {
            bytes: Vec::new(),
            last_output: Instant::now(),
        }));
        let mut stdout = child.stdout.take().ok_or("redis-cli has no stdout")?;
        let sink = Arc::clone(&captured);
        thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n @ 1..) = stdout.read(&mut buffer) {
                let mut captured = sink.lock().unwrap_or_else(|e| e.into_inner());
                captured.bytes.extend_from_slice(&buffer[..n]);
                captured.last_output = Instant::now();
            }
        });
        Ok(Connection {
            name: name.to_string(),
            stdin: child.stdin.take(),
            child,
            captured,
        })
    }

    fn type_line(&mut self, line: &[u8]) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("redis-cli's stdin is closed")?;
        stdin
            .write_all(line)
            .and_then(|()| stdin.write_all(b"\n"))
            .and_then(|()| stdin.flush())
            .map_err(|e| format!("typing into redis-cli `{}`: {e}", self.name))
    }

    fn last_output(&self) -> Instant {
        self.lock().last_output
    }

    fn take_output(&self) -> Vec<u8> {
        std::mem::take(&mut self.lock().bytes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Captured> {
        self.captured.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Closes stdin (redis-cli exits at end of input) and, if it is still
    /// blocked in a command after a moment, kills it.
    fn close(&mut self) {
        self.stdin = None;
        let deadline = Instant::now() + Duration::from_millis(500);
        while !matches!(self.child.try_wait(), Ok(Some(_))) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The connections of one script, in the order they were opened.
struct Session {
    port: u16,
    connections: Vec<Connection>,
    current: usize,
    output: Vec<u8>,
    quiet: Duration,
}

impl Session {
    fn new(port: u16, quiet: Duration) -> Result<Session, String> {
        Ok(Session {
            port,
            connections: vec![Connection::open("main", port)?],
            current: 0,
            output: Vec::new(),
            quiet,
        })
    }

    fn switch_to(&mut self, name: &str) -> Result<(), String> {
        if let Some(i) = self.connections.iter().position(|c| c.name == name) {
            self.current = i;
            return Ok(());
        }
        self.connections.push(Connection::open(name, self.port)?);
        self.current = self.connections.len() - 1;
        Ok(())
    }

    /// Waits until no connection has printed for `quiet` since `since`,
    /// then appends the current connection's output, then the others'.
    fn collect(&mut self, since: Instant) {
        let limit = since + LINE_LIMIT;
        loop {
            thread::sleep(Duration::from_millis(10));
            let latest = self
                .connections
                .iter()
                .map(Connection::last_output)
                .fold(since, Instant::max);
            if latest.elapsed() >= self.quiet || Instant::now() > limit {
                break;
            }
        }
        let current = self.connections[self.current].take_output();
        self.output.extend_from_slice(&current);
        for (i, connection) in self.connections.iter().enumerate() {
            if i != self.current {
                let bytes = connection.take_output();
                self.output.extend_from_slice(&bytes);
            }
        }
    }

    /// Plays one script line.
    fn play(&mut self, line: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(line);
        let mut words = text.split_ascii_whitespace();
        let first = words.next().unwrap_or("").to_ascii_lowercase();
        let argument = words.next();
        match (first.as_str(), argument, words.next()) {
            ("sim.client", Some(name), None) => self.switch_to(name),
            ("sim.advance", Some(ms), None) => {
                let ms: u64 = ms
                    .parse()
                    .map_err(|_| format!("SIM.ADVANCE wants milliseconds: {text}"))?;
                let since = Instant::now();
                thread::sleep(Duration::from_millis(ms));
                self.collect(since);
                Ok(())
            }
            (sim, ..) if sim.starts_with("sim.") => Err(format!(
                "`{text}` cannot be played against a real server (SIM.TIME has no real counterpart)"
            )),
            _ => {
                let since = Instant::now();
                self.connections[self.current].type_line(line)?;
                self.collect(since);
                Ok(())
            }
        }
    }

    /// Ends every connection and returns the whole transcript.
    fn finish(mut self) -> Vec<u8> {
        for connection in &mut self.connections {
            connection.close();
        }
        for connection in &self.connections {
            let bytes = connection.take_output();
            self.output.extend_from_slice(&bytes);
        }
        self.output
    }
}

/// Records one script against a flushed server.
fn record(port: u16, script: &Path, quiet: Duration) -> Result<Vec<u8>, String> {
    let input = std::fs::read(script).map_err(|e| format!("{}: {e}", script.display()))?;
    let flushed = cli(port, &["FLUSHALL"])?;
    if flushed != "OK\n" {
        return Err(format!("FLUSHALL answered {flushed:?}"));
    }
    let mut session = Session::new(port, quiet)?;
    for line in input.split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        if let Err(message) = session.play(line) {
            session.finish();
            return Err(format!("{}: {message}", script.display()));
        }
    }
    Ok(session.finish())
}
