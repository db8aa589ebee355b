//! `cargo xtask test`: every check, cheapest first, stopping at the first
//! failure. The browser stages count their tests, and a run in which no
//! browser test ran fails: a green run must mean the browser was really driven.

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::install::{CHROMEDRIVER, Compiling};
use crate::sh::{self, Env};
use crate::site;

/// Seconds one wasm test binary may take in Chromium. The runner's default
/// (20 s) is too tight on a two-core machine that is compiling meanwhile.
const WASM_TEST_TIMEOUT_S: &str = "120";

/// Runs the checks in order and prints how many tests, and how many browser
/// tests, ran. The first six need neither wasm-bindgen nor Trunk, so `tools`
/// may still be compiling them meanwhile; the browser steps wait for them.
/// `since` is when `cargo xtask test` started, for the total it prints.
pub fn all(env: &Env, mut tools: Compiling, since: Instant) -> Result<()> {
    let cargo = |line: &str| env.cargo(&line.split_whitespace().collect::<Vec<_>>());
    let mut steps = Steps { done: 0, since };
    steps.run("format", &mut cargo("fmt --all --check"))?;
    // The web crate is linted for the target it ships to; its host build
    // exists only for its unit tests.
    steps.run(
        "clippy (host)",
        &mut cargo("clippy --workspace --exclude ackscope-web --all-targets -- -D warnings"),
    )?;
    steps.run(
        "clippy (wasm32)",
        &mut cargo(
            "clippy -p ackscope-web --target wasm32-unknown-unknown --all-targets -- -D warnings",
        ),
    )?;
    // The engine's docs are its reference (ARCHITECTURE points into them):
    // a link that no longer resolves is a broken page.
    steps.run(
        "engine docs",
        cargo("doc -p ackscope-engine --no-deps --quiet").env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    let host = steps.count(
        "host tests",
        &mut cargo("test --workspace --exclude ackscope-web"),
    )?;
    // The web crate's own unit tests (its reducer, its catalogues) are plain
    // `#[test]`s that need no DOM: they run natively, as Yew's examples test
    // reducers. wasm-bindgen-test on wasm32 would skip them ("no tests to run").
    let web_unit = steps.count(
        "web unit tests (host)",
        &mut cargo("test -p ackscope-web --lib"),
    )?;
    // The runner of the wasm tests is wasm-bindgen's.
    tools.wait_for("wasm-bindgen")?;
    let wasm = steps.count("wasm tests in headless Chromium", &mut wasm_tests(env))?;
    steps.step("release site", "cargo xtask build", || {
        site::compile_wasm(env).context("step `release site` failed")?;
        tools.wait_for("trunk")?;
        site::build(env).context("step `release site` failed")
    })?;
    // Two browsers at a time, one per core: by now nothing compiles, and
    // one test alone leaves a core idle while it waits on the page. The
    // suite is one binary, so the long walks run beside the short tests:
    // 192–200 s instead of 270–359 s one at a time (docs/performance.md).
    // The tests wait for states, with deadlines of 20–30 s, not for fixed
    // times (two short pauses only let a run play on); five runs at two
    // threads all passed.
    // The packages are the host tests' (not `-p ackscope-tests`), so their
    // features unify alike and the test binary they built is reused.
    let e2e = steps.count(
        "end-to-end tests",
        &mut cargo(
            "test --workspace --exclude ackscope-web --test e2e -- --ignored --test-threads=2",
        ),
    )?;

    let browser = wasm.passed + e2e.passed;
    println!(
        "\nbrowser tests ran: {browser} (wasm-bindgen-test in headless Chromium: {}, \
         end-to-end: {})",
        wasm.passed, e2e.passed
    );
    println!(
        "screenshots: {}",
        env.root.join("target").join("screenshots").display()
    );
    if browser == 0 {
        bail!("no browser test ran: the wasm tests and the end-to-end tests found nothing to run");
    }
    let all = host + web_unit + wasm + e2e;
    println!(
        "all: {} passed, {} failed, in {} (installs included)",
        all.passed,
        all.failed,
        sh::took(steps.since.elapsed())
    );
    Ok(())
}

/// `cargo test` of the web crate on wasm32: the runner set in
/// `.cargo/config.toml` drives Chromium through ChromeDriver, with the flags
/// in `web/webdriver.json`.
fn wasm_tests(env: &Env) -> Command {
    // Only the browser tests (`web/tests/browser/`): the crate's own
    // `#[test]`s are plain unit tests run natively in the step before, and
    // their wasm harnesses ("no tests to run!") were two more compiles of
    // the crate, two more 16 MB wasm for wasm-bindgen to read.
    let mut cmd = env.cargo(&[
        "test",
        "-p",
        "ackscope-web",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "*",
    ]);
    cmd.env("CHROMEDRIVER", CHROMEDRIVER)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            env.root.join("web").join("webdriver.json"),
        )
        .env("WASM_BINDGEN_TEST_TIMEOUT", WASM_TEST_TIMEOUT_S)
        // Line tables help a native backtrace; in wasm a panic's message
        // carries its file and line anyway. Without them each test wasm is
        // half the size (16 MB, not 33 MB), which wasm-bindgen and Chromium
        // both read whole: the step took 25–30 s instead of 27–38 s to run,
        // and 24–37 s instead of 43–57 s to compile (docs/performance.md).
        .env("CARGO_PROFILE_DEV_DEBUG", "false");
    cmd
}

/// Numbers each step as it starts, so a failure says which one it was, and
/// says how long each took, so a slow one shows.
struct Steps {
    done: usize,
    /// When `cargo xtask test` started (its installs included).
    since: Instant,
}

impl Steps {
    const TOTAL: usize = 9;

    fn step<T>(&mut self, name: &str, what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.done += 1;
        println!("\n==> [{}/{}] {name}: {what}", self.done, Self::TOTAL);
        let started = Instant::now();
        let result = f()?;
        println!(
            "==> [{}/{}] {name}: done in {}",
            self.done,
            Self::TOTAL,
            sh::took(started.elapsed())
        );
        Ok(result)
    }

    fn run(&mut self, name: &str, cmd: &mut Command) -> Result<()> {
        self.step(name, &sh::show(cmd), || {
            sh::run(cmd).with_context(|| format!("step `{name}` failed"))
        })
    }

    /// Runs a test step and adds up the `test result:` lines it printed.
    fn count(&mut self, name: &str, cmd: &mut Command) -> Result<Counts> {
        self.step(name, &sh::show(cmd), || {
            let output = sh::run_tee(cmd).with_context(|| format!("step `{name}` failed"))?;
            Ok(Counts::parse(&output))
        })
    }
}

/// Test counts summed over the `test result:` lines of libtest and of
/// wasm-bindgen-test, which print them alike.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    passed: u32,
    failed: u32,
    ignored: u32,
}

impl Counts {
    fn parse(output: &str) -> Counts {
        let mut counts = Counts::default();
        for line in output.lines() {
            let Some(result) = line.trim().strip_prefix("test result:") else {
                continue;
            };
            // `ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s`
            for part in result.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(label), Some(number)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(number) = number.parse::<u32>() else {
                    continue;
                };
                match label {
                    "passed" => counts.passed += number,
                    "failed" => counts.failed += number,
                    "ignored" => counts.ignored += number,
                    _ => {}
                }
            }
        }
        counts
    }
}

impl std::ops::Add for Counts {
    type Output = Counts;

    fn add(self, other: Counts) -> Counts {
        Counts {
            passed: self.passed + other.passed,
            failed: self.failed + other.failed,
            ignored: self.ignored + other.ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Counts;

    fn check(output: &str, passed: u32, failed: u32, ignored: u32) {
        assert_eq!(
            Counts::parse(output),
            Counts {
                passed,
                failed,
                ignored
            },
            "{output}"
        );
    }

    #[test]
    fn libtest_summary() {
        check(
            "running 3 tests\ntest a ... ok\n\ntest result: ok. 3 passed; 0 failed; 1 ignored; \
             0 measured; 0 filtered out; finished in 0.01s\n",
            3,
            0,
            1,
        );
    }

    #[test]
    fn wasm_bindgen_test_summary() {
        check(
            "test result: ok. 5 passed; 0 failed; 0 ignored; 0 filtered out; finished in 0.12s\n",
            5,
            0,
            0,
        );
    }

    #[test]
    fn binaries_add_up() {
        check(
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\
             test result: FAILED. 4 passed; 1 failed; 2 ignored; 0 measured; 0 filtered out\n\
             test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n",
            6,
            1,
            2,
        );
    }

    #[test]
    fn other_lines_do_not_count() {
        check(
            "test parse::passed ... ok\n3 passed; 1 failed\nno tests to run!\n",
            0,
            0,
            0,
        );
    }
}
