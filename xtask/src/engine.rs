//! The engine's own tasks: re-recording the Redis fixtures, fuzzing the
//! REPL, and the benchmarks.

use anyhow::{Context, Result};

use crate::install;
use crate::sh::{self, Env};
use crate::site;

/// `cargo xtask record [names…]`: re-records `tests/fixtures/redis/*.out`
/// from a redis-server 7.0 the recorder starts on 127.0.0.1.
pub fn record(env: &Env, names: &[&str]) -> Result<()> {
    install::redis_server(env)?;
    let mut cmd = env.cargo(&[
        "run",
        "--quiet",
        "-p",
        "ackscope-tests",
        "--bin",
        "record",
        "--",
    ]);
    cmd.args(names);
    sh::run(&mut cmd)
}

/// `cargo xtask fuzz [--lines N] [--cases N] [--seed S]`: a million (by
/// default) random and mutated lines through the REPL, then ten thousand
/// (by default) swarm cases — random scenarios with random faults, every
/// property checked after every step — both optimized but with overflow
/// checks and unwinding panics (the `fuzz` profile).
pub fn fuzz(env: &Env, args: &[&str]) -> Result<()> {
    let (mut repl, mut swarm): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for pair in args.chunks(2) {
        match pair {
            ["--lines", n] => repl.extend(["--lines", n]),
            ["--cases", n] => swarm.extend(["--cases", n]),
            ["--seed", s] => {
                repl.extend(["--seed", s]);
                swarm.extend(["--seed", s]);
            }
            _ => anyhow::bail!(
                "fuzz takes --lines N, --cases N and --seed S, not `{}`",
                pair.join(" ")
            ),
        }
    }
    for (example, options) in [("fuzz_repl", repl), ("swarm", swarm)] {
        println!("\n==> {example}");
        let mut cmd = env.cargo(&[
            "run",
            "--quiet",
            "--profile",
            "fuzz",
            "-p",
            "ackscope-engine",
            "--example",
            example,
            "--",
        ]);
        cmd.args(options);
        sh::run(&mut cmd)?;
    }
    Ok(())
}

/// `cargo xtask bench`: the engine's seek benchmark natively, the REPL
/// against redis-server (`repl_bench.rs`), then the browser benchmarks
/// (frame times of the Streams, Guarantees and Kafka labs, at 1× and with
/// the main thread slowed 2× and 4×; seeking in wasm) against the release
/// site in headless Chromium.
pub fn bench(env: &Env) -> Result<()> {
    println!("\n==> native: cargo bench -p ackscope-engine --bench seek");
    sh::run(&mut env.cargo(&[
        "bench",
        "--quiet",
        "-p",
        "ackscope-engine",
        "--bench",
        "seek",
    ]))?;
    crate::repl_bench::bench(env)?;
    install::all(env)?;
    site::build(env).context("building the site for the browser benchmarks")?;
    println!("\n==> site: what a visitor downloads");
    site::size(env)?;
    println!("\n==> the engine alone in a wasm: the least one lab's wasm could weigh");
    crate::wasm_floor::measure(env)?;
    println!("\n==> browser: the release site in headless Chromium");
    sh::run(&mut env.cargo(&[
        "test",
        "--quiet",
        "-p",
        "ackscope-tests",
        "--test",
        "bench_browser",
        "--",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]))
}
