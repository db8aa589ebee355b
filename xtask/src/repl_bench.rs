//! `cargo xtask bench repl`: the native `ackscope repl` against a real
//! redis-server 7.0 on one script (see `repl_script.rs`), both timed in
//! the same run, as whole processes reading the script from a file:
//! `ackscope repl < script.redis > /dev/null` and
//! `redis-cli --pipe < script.resp` against a redis-server on 127.0.0.1
//! started without persistence. Prints the medians as JSON.

use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};

use crate::install;
use crate::repl_script::{self, Script};
use crate::sh::{self, Env};

/// How many commands the script holds (the performance issue's figure).
const COMMANDS: usize = 300_000;
/// The script's seed: change it and every figure changes with it.
const SEED: u64 = 15;
/// Timed runs of each side; the medians are reported.
const RUNS: usize = 5;
/// The line the checks start after, in both servers' output.
const MARKER: &str = "ECHO checks";

/// Builds the release CLI, writes the script, times both sides and prints
/// the JSON line. Without redis-server (and no way to install it) only the
/// REPL is timed, and the reason is printed.
pub fn bench(env: &Env) -> Result<()> {
    println!("\n==> REPL: ackscope repl against redis-server 7.0, {COMMANDS} commands");
    sh::run(&mut env.cargo(&[
        "build",
        "--quiet",
        "--release",
        "-p",
        "ackscope-engine",
        "--bin",
        "ackscope",
    ]))?;
    let target = env.target_dir();
    let ackscope = target.join("release").join("ackscope");
    let dir = target.join("repl-bench");
    std::fs::create_dir_all(&dir)?;
    let script = repl_script::generate(SEED, COMMANDS);
    let lines_path = dir.join("script.redis");
    let resp_path = dir.join("script.resp");
    std::fs::write(&lines_path, &script.lines)?;
    std::fs::write(&resp_path, &script.resp)?;
    println!(
        "script: {} ({} bytes) and {} ({} bytes); mix {}",
        lines_path.display(),
        script.lines.len(),
        resp_path.display(),
        script.resp.len(),
        script
            .mix
            .iter()
            .map(|(kind, n)| format!("{kind} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let repl_end = check_repl(&ackscope, &script)?;
    let redis = match install::redis_server(env) {
        Ok(()) => Some(Redis::start()?),
        Err(e) => {
            println!("skipping redis-server: {e:#}");
            None
        }
    };
    let mut repl_ms = Vec::new();
    let mut redis_ms = Vec::new();
    for _ in 0..RUNS {
        if let Some(redis) = &redis {
            redis.cli(&["FLUSHALL"])?;
            redis_ms.push(redis.pipe(&resp_path, script.commands())?);
            ensure!(
                redis.checks()? == repl_end,
                "redis-server ended in another state than ackscope:\n{}\nackscope:\n{repl_end}",
                redis.checks()?
            );
        }
        repl_ms.push(time_repl(&ackscope, &lines_path)?);
    }
    let repl = median(&mut repl_ms);
    let mut json = format!(
        "{{\"bench\": \"repl\", \"commands\": {}, \"runs\": {RUNS}, \"repl_ms\": {repl:.1}",
        script.commands()
    );
    if !redis_ms.is_empty() {
        let redis = median(&mut redis_ms);
        json += &format!(", \"redis_ms\": {redis:.1}, \"ratio\": {:.2}", redis / repl);
    }
    match load_average() {
        Some(load) => json += &format!(", \"load_average\": {load}}}"),
        None => json += ", \"load_average\": null}",
    }
    println!("{json}");
    Ok(())
}

/// Runs the script and the checks through `ackscope repl` once, and
/// returns what the checks printed; fails if any command of the script
/// got an error reply.
fn check_repl(ackscope: &Path, script: &Script) -> Result<String> {
    let mut input = script.lines.clone();
    for line in std::iter::once(MARKER.to_string()).chain(repl_script::checks()) {
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    let path = ackscope.with_file_name("repl-bench-check.redis");
    std::fs::write(&path, &input)?;
    let output = Command::new(ackscope)
        .arg("repl")
        .stdin(File::open(&path)?)
        .output()
        .context("running ackscope repl")?;
    ensure!(output.status.success(), "ackscope repl failed");
    let text = String::from_utf8_lossy(&output.stdout);
    let errors = text.lines().filter(|l| l.starts_with("(error)")).count();
    ensure!(
        errors == 0,
        "ackscope repl answered {errors} commands with an error"
    );
    let marker = format!("\"{}\"\n", &MARKER[5..]);
    let (_, end) = text
        .rsplit_once(&marker)
        .context("no checks in the output")?;
    Ok(end.to_string())
}

/// One timed run of `ackscope repl` over the script, output thrown away.
fn time_repl(ackscope: &Path, script: &Path) -> Result<f64> {
    let started = Instant::now();
    let status = Command::new(ackscope)
        .arg("repl")
        .stdin(File::open(script)?)
        .stdout(Stdio::null())
        .status()?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    ensure!(status.success(), "ackscope repl failed ({status})");
    Ok(ms)
}

/// A redis-server on 127.0.0.1, on a free port, without persistence;
/// shut down on drop.
struct Redis {
    port: u16,
    child: Child,
}

impl Redis {
    fn start() -> Result<Redis> {
        let port = TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .context("starting redis-server")?;
        let redis = Redis { port, child };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err()
            || redis.cli(&["PING"]).ok().as_deref() != Some("PONG\n")
        {
            if started.elapsed() > Duration::from_secs(10) {
                bail!("redis-server did not answer PING within 10 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(redis)
    }

    /// `redis-cli --no-raw <args>`, its output.
    fn cli(&self, args: &[&str]) -> Result<String> {
        let output = Command::new("redis-cli")
            .args(["-p", &self.port.to_string(), "--no-raw"])
            .args(args)
            .output()
            .context("running redis-cli")?;
        ensure!(output.status.success(), "redis-cli {args:?} failed");
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// What the checks print against this server, as in [`check_repl`].
    fn checks(&self) -> Result<String> {
        let mut out = String::new();
        for line in repl_script::checks() {
            let args: Vec<&str> = line.split(' ').collect();
            out += &self.cli(&args)?;
        }
        Ok(out)
    }

    /// One timed `redis-cli --pipe` of the RESP script; fails unless every
    /// command was answered without an error.
    fn pipe(&self, resp: &Path, commands: usize) -> Result<f64> {
        let started = Instant::now();
        let output = Command::new("redis-cli")
            .args(["-p", &self.port.to_string(), "--pipe"])
            .stdin(File::open(resp)?)
            .output()
            .context("running redis-cli --pipe")?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let text = String::from_utf8_lossy(&output.stdout);
        let expected = format!("errors: 0, replies: {commands}");
        ensure!(
            output.status.success() && text.contains(&expected),
            "redis-cli --pipe did not answer `{expected}`:\n{text}"
        );
        Ok(ms)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.cli(&["SHUTDOWN", "NOSAVE"]);
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The 1-minute load average, to read the wall-clock figures by: on a
/// shared machine they mean little without it.
fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}
