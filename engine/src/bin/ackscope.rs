//! ackscope's native command line:
//! - `ackscope repl`: a redis-cli compatible REPL over a simulated server;
//! - `ackscope run <file-or-name> [--seed N] [--set name=value]…`: run a
//!   scenario, print its ledger as JSON; `--set` changes a setting as the
//!   labs and their share links do (`rate=10`, `acks=1`,
//!   `cluster-enabled=yes`…);
//! - `ackscope trace <file-or-name> [--seed N] [--set name=value]…`: print
//!   its trace, one JSON event per line (`view::export::trace_lines`, as
//!   the web exports it);
//! - `ackscope scenarios`: list the built-in scenarios;
//! - `ackscope swarm <seed>`: print a swarm test case's scenario.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use ackscope_engine::redis::repl::Repl;
use ackscope_engine::scenario::{Scenario, Setting, builtin};
use ackscope_engine::sim::{ServiceCounts, Timeline};
use ackscope_engine::view::export::trace_lines;

const USAGE: &str = "usage:
  ackscope repl                              a redis-cli compatible REPL over a simulated Redis 7.0 (reads stdin)
  ackscope run <file-or-name> [--seed N] [--set name=value]...
                                             run a scenario and print its trace fingerprint and ledger as JSON
  ackscope trace <file-or-name> [--seed N] [--set name=value]...
                                             print the run's trace, one JSON event per line
      --set changes a setting as a lab does: rate, consumers, processing-ms, failure-percent;
            acks, min.insync.replicas, unclean.leader.election.enable, retries,
            enable.idempotence, enable.auto.commit; cluster-enabled
  ackscope scenarios                         list the built-in scenarios
  ackscope swarm <seed>                      print the random scenario of a swarm test case
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["repl"] => repl(),
        ["swarm", seed] => match seed.parse::<u64>() {
            Ok(seed) => {
                println!(
                    "{}",
                    ackscope_engine::scenario::swarm::scenario(seed).to_json()
                );
                ExitCode::SUCCESS
            }
            Err(_) => fail(&format!("swarm takes a seed, a whole number, not {seed:?}")),
        },
        ["scenarios"] => {
            for s in builtin::all() {
                println!("{}\t{}", s.name, s.summary.en);
            }
            ExitCode::SUCCESS
        }
        [verb @ ("run" | "trace"), rest @ ..] => match RunArgs::parse(rest) {
            Ok(Some(args)) => run(&args, *verb == "trace"),
            Ok(None) => {
                eprint!("{USAGE}");
                ExitCode::from(2)
            }
            Err(message) => fail(&message),
        },
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("ackscope: {message}");
    ExitCode::from(2)
}

/// What `run` and `trace` were asked for.
struct RunArgs<'a> {
    target: &'a str,
    seed: Option<u64>,
    settings: Vec<Setting>,
}

impl<'a> RunArgs<'a> {
    /// The target and its options, in any order; `None` when the words do
    /// not fit the usage, an error naming a bad value.
    fn parse(words: &[&'a str]) -> Result<Option<RunArgs<'a>>, String> {
        let mut args = RunArgs {
            target: "",
            seed: None,
            settings: Vec::new(),
        };
        let mut words = words.iter();
        while let Some(word) = words.next() {
            match *word {
                "--seed" => {
                    let Some(seed) = words.next() else {
                        return Ok(None);
                    };
                    args.seed = Some(seed.parse::<u64>().map_err(|_| {
                        format!(
                            "--seed takes a whole number from 0 to {}, not {seed:?}",
                            u64::MAX
                        )
                    })?);
                }
                "--set" => {
                    let Some(pair) = words.next() else {
                        return Ok(None);
                    };
                    let setting = pair
                        .split_once('=')
                        .and_then(|(name, value)| Setting::parse(name, value))
                        .ok_or_else(|| {
                            format!("--set takes a setting as name=value, in range, not {pair:?}")
                        })?;
                    args.settings.push(setting);
                }
                target if args.target.is_empty() && !target.starts_with("--") => {
                    args.target = target;
                }
                _ => return Ok(None),
            }
        }
        Ok((!args.target.is_empty()).then_some(args))
    }
}

/// Loads a scenario from a file, or a built-in by name.
fn load(target: &str) -> Result<Scenario, String> {
    if std::path::Path::new(target).is_file() {
        let text = std::fs::read_to_string(target).map_err(|e| format!("{target}: {e}"))?;
        return Scenario::from_json(&text).map_err(|e| format!("{target}: {e}"));
    }
    builtin::by_name(target).ok_or_else(|| {
        let names: Vec<&str> = builtin::SOURCES.iter().map(|(n, _)| *n).collect();
        format!(
            "no file or built-in scenario called {target:?}; built-ins: {}",
            names.join(", ")
        )
    })
}

/// What `ackscope run` prints, in this field order.
#[derive(serde::Serialize)]
struct RunReport {
    scenario: String,
    seed: u64,
    sim_time_ms: u64,
    events: usize,
    fingerprint: String,
    /// The first property the run broke (none, unless ackscope has a bug).
    violation: Option<String>,
    lanes: Vec<LaneReport>,
}

/// One lane of a [`RunReport`]: its name, and the ledger of each service.
#[derive(serde::Serialize)]
struct LaneReport {
    lane: String,
    services: Vec<ServiceReport>,
}

/// One service of a [`LaneReport`]: its ledger counts after its name.
#[derive(serde::Serialize)]
struct ServiceReport {
    name: String,
    guarantee: &'static str,
    #[serde(flatten)]
    counts: ServiceCounts,
    /// The messages it lost, by name.
    lost_messages: Vec<String>,
    /// Kafka: the lost messages whose producer was told they were written.
    #[serde(skip_serializing_if = "Option::is_none")]
    acknowledged_then_lost: Option<Vec<String>>,
}

fn run(args: &RunArgs<'_>, print_trace: bool) -> ExitCode {
    let scenario = match load(args.target) {
        Ok(s) if args.settings.is_empty() => s,
        Ok(s) => match s.with_settings(&args.settings) {
            Ok(s) => s,
            Err(e) => return fail(&format!("--set: {}", e.0)),
        },
        Err(e) => return fail(&e),
    };
    let seed = args.seed.unwrap_or(scenario.seed);
    let name = scenario.name.clone();
    let timeline = Timeline::run(scenario, seed);
    if print_trace {
        // The web's Export menu writes the same lines (`view::export`).
        let text = trace_lines(timeline.events());
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        return ExitCode::SUCCESS;
    }
    let end = timeline.end();
    let scenario = end.scenario();
    let lanes = end
        .worlds()
        .iter()
        .enumerate()
        .map(|(lane, world)| LaneReport {
            lane: scenario.lane_name(lane).into(),
            services: scenario
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| ServiceReport {
                    name: s.name.clone(),
                    guarantee: scenario.policy(lane, i).guarantee.as_str(),
                    counts: world.service_counts(i),
                    lost_messages: names(world, world.lost_msgs(i)),
                    acknowledged_then_lost: world
                        .broker()
                        .kafka()
                        .map(|_| names(world, world.acknowledged_then_lost(i))),
                })
                .collect(),
        })
        .collect();
    let out = RunReport {
        scenario: name,
        seed,
        sim_time_ms: end.now().since_start().as_ms(),
        events: timeline.events().len(),
        fingerprint: timeline.fingerprint().to_hex(),
        violation: timeline.violation().map(|v| v.to_string()),
        lanes,
    };
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    ExitCode::SUCCESS
}

/// Messages by name (`order-7`).
fn names(
    world: &ackscope_engine::sim::World,
    msgs: Vec<ackscope_engine::msg::MsgRef>,
) -> Vec<String> {
    msgs.into_iter().map(|m| world.catalog().text(m)).collect()
}

/// Reads command lines from stdin and prints replies as redis-cli does. A
/// prompt is shown only when stdin is a terminal, as redis-cli does.
/// Output is gathered in one buffer and written in blocks of this size
/// (or after every line when a person types): a write per reply would cost
/// more than the command.
const OUTPUT_BLOCK: usize = 64 * 1024;

fn repl() -> ExitCode {
    let interactive = std::io::stdin().is_terminal();
    let mut repl = Repl::new();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut line = Vec::new();
    let mut output = Vec::with_capacity(OUTPUT_BLOCK);
    loop {
        if interactive {
            let _ = write!(out, "{}", repl.prompt());
            let _ = out.flush();
        }
        line.clear();
        match input.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("ackscope: reading stdin: {e}");
                return ExitCode::FAILURE;
            }
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        repl.feed_into(&line, &mut output);
        if (interactive || output.len() >= OUTPUT_BLOCK) && !write_out(&mut out, &mut output) {
            return ExitCode::SUCCESS;
        }
        if repl.finished() {
            break;
        }
    }
    write_out(&mut out, &mut output);
    // The process's exit frees the keyspace at once; dropping it entry by
    // entry took a twentieth of a long script's time.
    std::mem::forget(repl);
    ExitCode::SUCCESS
}

/// Writes and flushes `output`, then empties it; false when stdout is
/// closed (e.g. piped into `head`), which ends the REPL quietly.
fn write_out(out: &mut impl Write, output: &mut Vec<u8>) -> bool {
    let written = out.write_all(output).and_then(|()| out.flush()).is_ok();
    output.clear();
    written
}
