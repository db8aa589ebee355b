//! `cargo xtask`: installs ackscope's tools, builds and serves the site, and
//! runs every check, so that a fresh clone needs nothing but rustup and cargo.
//!
//! - `install.rs` checks each tool's exact version and installs what is missing
//!   through the package registries only.
//! - `pins.rs` reads the versions the repository pins (Cargo.lock, Trunk.toml).
//! - `site.rs` builds and serves the site with Trunk, offline.
//! - `test.rs` runs the checks in order and counts the browser tests.
//! - `sh.rs` runs child processes with the tools' PATH and clear errors.
//! - `engine.rs` records the Redis fixtures, fuzzes the REPL, runs benchmarks.
//! - `repl_bench.rs` times `ackscope repl` against redis-server on the script
//!   `repl_script.rs` writes.
//! - `wasm_floor.rs` measures the engine alone in a wasm (the `wasm-floor` crate).
//! - `kafka.rs` records the Kafka fixtures from a real Kafka cluster.

mod engine;
mod install;
mod kafka;
mod pins;
mod repl_bench;
mod repl_script;
mod sh;
mod site;
mod test;
mod wasm_floor;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  install            install the missing tools (wasm target, wasm-bindgen, Trunk,
                     wasm-opt, Chromium and ChromeDriver); run by every command below
  build              build the release site into dist/ (relative URLs)
  serve [--port N]   serve the site at http://127.0.0.1:8080/ (or port N), rebuilding on change
  test               fmt, clippy, host tests, wasm tests in headless Chromium,
                     the release site and its end-to-end tests
  bench              seek benchmark (native), the REPL against redis-server 7.0,
                     the site's size and the engine's alone in a wasm, then
                     frame-time and seek benchmarks of the release site in
                     headless Chromium
  bench repl         only the REPL against redis-server 7.0 (300,000 commands)
  bench floor        only the engine alone in a wasm, built as the site is (its size)
  record [name…]     re-record tests/fixtures/redis/*.out from a local redis-server 7.0
  record-kafka       re-record tests/fixtures/kafka/*.txt from a real Kafka 4.4 cluster
                     (jars from Maven Central with mvn; Java 17; about three minutes)
  fuzz [--lines N] [--cases N] [--seed S]
                     feed N (default 1000000) random and mutated lines to the REPL,
                     then run N (default 10000) swarm cases: random scenarios with
                     random faults, every property checked after every step";

fn main() {
    if let Err(error) = run(std::env::args().skip(1).collect()) {
        eprintln!("xtask: {error:#}");
        std::process::exit(1);
    }
}

fn run(args: Vec<String>) -> Result<()> {
    let env = sh::Env::detect()?;
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["install"] => install::all(&env),
        ["build"] => {
            install::all(&env)?;
            site::build(&env)
        }
        ["serve"] => {
            install::all(&env)?;
            site::serve(&env, None)
        }
        ["serve", "--port", port] => {
            let port = port
                .parse()
                .with_context(|| format!("--port wants a number, not `{port}`"))?;
            install::all(&env)?;
            site::serve(&env, Some(port))
        }
        ["test"] => {
            let since = std::time::Instant::now();
            let tools = install::all_in_background(&env)?;
            test::all(&env, tools, since)
        }
        ["bench"] => engine::bench(&env),
        ["bench", "repl"] => repl_bench::bench(&env),
        ["bench", "floor"] => install::all(&env).and_then(|()| wasm_floor::measure(&env)),
        ["record", names @ ..] => engine::record(&env, names),
        ["record-kafka"] => kafka::record(&env),
        ["fuzz", options @ ..] => engine::fuzz(&env, options),
        [] | ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => bail!("unknown arguments `{}`\n\n{USAGE}", args.join(" ")),
    }
}
