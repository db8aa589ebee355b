//! `cargo xtask install`: makes sure every tool is there at exactly the pinned
//! version, installing only through the package registries (rustup, crates.io,
//! npm, Debian). It is idempotent: a second run only checks, one line per tool.
//! Where it may not install (not root, not Debian) it stops and prints the
//! command to run.
//!
//! On a fresh machine, compiling Trunk and wasm-bindgen-cli is most of the
//! setup (minutes, on two cores). `cargo xtask test` therefore compiles them
//! in the background ([`Compiling`]) while its first checks, which need
//! neither, run; the other commands install everything before they start.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};

use crate::pins::{self, Pins};
use crate::sh::{self, Env};

/// Chromium and its driver where Debian puts them; the wasm tests and the
/// end-to-end tests drive exactly these.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// See [`CHROMIUM`].
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Checks and installs everything, in the order later tools need earlier ones
/// (npm before binaryen).
pub fn all(env: &Env) -> Result<()> {
    let pins = read_pins(env)?;
    wasm_target(env)?;
    for tool in cargo_tools(&pins) {
        if !tool.is_installed(env) {
            tool.install(env)?;
        }
    }
    debian_packages(env)?;
    wasm_opt(env, &pins.binaryen)
}

/// Starts compiling the missing `cargo install` tools in the background, at
/// the lowest CPU priority so that they take only the cores the foreground
/// leaves idle, then installs what is quick to install (the wasm target,
/// Debian's packages, binaryen). [`Compiling::wait_for`] a tool before
/// using it.
///
/// The compiles start first: on a fresh machine they are the suite's
/// critical path, and the other installs (20–40 s, mostly downloads)
/// need none of them. An error in those stops the compiles
/// ([`Compiling`]'s `Drop`).
pub fn all_in_background(env: &Env) -> Result<Compiling> {
    let pins = read_pins(env)?;
    let missing: Vec<CargoTool> = cargo_tools(&pins)
        .into_iter()
        .filter(|tool| !tool.is_installed(env))
        .collect();
    let compiling = Compiling::start(env, missing)?;
    wasm_target(env)?;
    debian_packages(env)?;
    wasm_opt(env, &pins.binaryen)?;
    Ok(compiling)
}

fn read_pins(env: &Env) -> Result<Pins> {
    let read = |name: &str| {
        std::fs::read_to_string(env.root.join(name)).with_context(|| format!("reading {name}"))
    };
    Pins::parse(&read("Cargo.lock")?, &read("Trunk.toml")?)
}

fn wasm_target(env: &Env) -> Result<()> {
    let installed = sh::query(env.cmd("rustup").args(["target", "list", "--installed"]))
        .context("`rustup` not found: install Rust with rustup (https://rustup.rs)")?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("ok {WASM_TARGET}");
        return Ok(());
    }
    println!("installing {WASM_TARGET} (rustup)");
    sh::run(env.cmd("rustup").args(["target", "add", WASM_TARGET]))
}

/// The release profile our tools are compiled with. Trunk's own asks for fat
/// LTO and one codegen unit, which on two cores made its install most of a
/// fresh machine's setup; both tools only drive cargo and rewrite one wasm
/// file, so the optimizations that link time buys are not worth its minutes
/// (measured in the README's performance section).
const FAST_INSTALL: [(&str, &str); 3] = [
    ("CARGO_PROFILE_RELEASE_LTO", "off"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
    ("CARGO_PROFILE_RELEASE_DEBUG", "false"),
];

/// A binary from crates.io at an exact version.
struct CargoTool {
    krate: &'static str,
    bin: &'static str,
    version: String,
    /// `cargo install --locked`: build with the crate's own lock file.
    locked: bool,
    /// The optimization level it is compiled at (`CARGO_PROFILE_RELEASE_OPT_LEVEL`).
    opt_level: &'static str,
}

/// The tools `cargo install` compiles, in the order the checks need them:
/// wasm-bindgen's test runner before Trunk.
fn cargo_tools(pins: &Pins) -> [CargoTool; 2] {
    [
        // Without --locked: the registry lacks some of the newest versions in
        // wasm-bindgen-cli's own lock file.
        CargoTool {
            krate: "wasm-bindgen-cli",
            bin: "wasm-bindgen",
            version: pins.wasm_bindgen.clone(),
            locked: false,
            // Unoptimized, it compiled in 48 s instead of 101 s but took
            // 5.2 s instead of 1.7 s over each wasm test binary; at level 1
            // it compiled no faster (99 s).
            opt_level: "3",
        },
        // With --locked: Trunk 0.21.14 only builds with the versions it was
        // released with.
        CargoTool {
            krate: "trunk",
            bin: "trunk",
            version: pins::TRUNK.to_owned(),
            locked: true,
            // Trunk only runs cargo, wasm-bindgen and wasm-opt and rewrites
            // a few small files: unoptimized, it compiles in 170 s instead
            // of 283–296 s, and builds the release site in 22.4 s instead
            // of 21.5 s (the crates already compiled).
            opt_level: "0",
        },
    ]
}

impl CargoTool {
    fn reported(&self, env: &Env) -> Option<String> {
        sh::query(env.cmd(self.bin).arg("--version"))
    }

    /// Whether `bin --version` reports exactly the pinned version; says so,
    /// or says what it found instead.
    fn is_installed(&self, env: &Env) -> bool {
        let (bin, version) = (self.bin, &self.version);
        match self.reported(env).as_deref().and_then(reported_version) {
            Some(found) if found == version => {
                println!("ok {bin} {version}");
                true
            }
            Some(found) => {
                println!("{bin} {found} found, {version} wanted");
                false
            }
            None => false,
        }
    }

    /// `cargo install` of the tool: with its output on ours or, given a
    /// log file, in it and at the lowest CPU priority (`nice`).
    fn command(&self, env: &Env, log: Option<&Path>) -> Result<Command> {
        let mut install = match log {
            None => env.cargo(&[]),
            Some(log) => {
                let file = std::fs::File::create(log)
                    .with_context(|| format!("creating {}", log.display()))?;
                let mut nice = env.cmd("nice");
                nice.args(["-n", "19"])
                    .arg(env.cargo(&[]).get_program())
                    .stdout(file.try_clone()?)
                    .stderr(file);
                nice
            }
        };
        install.args(["install", self.krate, "--version", &self.version]);
        if self.locked {
            install.arg("--locked");
        }
        install
            .envs(FAST_INSTALL)
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", self.opt_level);
        Ok(install)
    }

    /// Installs the tool in the foreground.
    fn install(&self, env: &Env) -> Result<()> {
        println!(
            "installing {} {} (cargo install, a few minutes)",
            self.krate, self.version
        );
        sh::run(&mut self.command(env, None)?)?;
        self.check(env)
    }

    /// Checks that the `bin` on PATH is the one just installed.
    fn check(&self, env: &Env) -> Result<()> {
        let (bin, version) = (self.bin, &self.version);
        let found = self.reported(env).unwrap_or_default();
        ensure!(
            reported_version(&found) == Some(version.as_str()),
            "`{bin} --version` says `{found}` after installing {version} into {}: \
             is another {bin} earlier on PATH?",
            env.cargo_bin.display()
        );
        Ok(())
    }
}

/// The `cargo install`s `cargo xtask test` runs in the background, one
/// after the other, each with its output in a log file. Dropped before they
/// finish (a check failed), it stops them.
pub struct Compiling {
    /// Each tool's binary name, outcome and compile time, as it finishes.
    finished: Receiver<(&'static str, Result<()>, Duration)>,
    /// The tools not finished yet: binary name, version, log file.
    pending: Vec<(&'static str, String, PathBuf)>,
    /// The running `cargo install`'s process id (0: none).
    running: Arc<AtomicU32>,
    /// Set when we stop first: start no further install.
    stop: Arc<AtomicBool>,
}

impl Compiling {
    fn start(env: &Env, tools: Vec<CargoTool>) -> Result<Compiling> {
        let logs = env.root.join("target").join("tool-installs");
        if !tools.is_empty() {
            std::fs::create_dir_all(&logs)
                .with_context(|| format!("creating {}", logs.display()))?;
        }
        let pending: Vec<_> = tools
            .iter()
            .map(|tool| {
                let log = logs.join(format!("{}.log", tool.krate));
                println!(
                    "compiling {} {} in the background while the first checks run (log: {})",
                    tool.krate,
                    tool.version,
                    log.display()
                );
                (tool.bin, tool.version.clone(), log)
            })
            .collect();
        let (send, finished) = channel();
        let (running, stop) = (
            Arc::new(AtomicU32::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let (env, logs) = (
            env.clone(),
            pending.iter().map(|p| p.2.clone()).collect::<Vec<_>>(),
        );
        let (pid, stopped) = (Arc::clone(&running), Arc::clone(&stop));
        std::thread::spawn(move || {
            for (tool, log) in tools.into_iter().zip(logs) {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let started = Instant::now();
                let result = (|| {
                    let mut cmd = tool.command(&env, Some(&log))?;
                    let mut child = cmd
                        .spawn()
                        .with_context(|| format!("could not start `{}`", sh::show(&cmd)))?;
                    pid.store(child.id(), Ordering::SeqCst);
                    let status = child.wait();
                    pid.store(0, Ordering::SeqCst);
                    let status = status?;
                    ensure!(
                        status.success(),
                        "`{}` failed ({status}); its output is in {}",
                        sh::show(&cmd),
                        log.display()
                    );
                    tool.check(&env)
                })();
                if send.send((tool.bin, result, started.elapsed())).is_err() {
                    break;
                }
            }
        });
        Ok(Compiling {
            finished,
            pending,
            running,
            stop,
        })
    }

    /// Returns once `bin` is installed (at once if it was already), or
    /// with the error that stopped its install.
    pub fn wait_for(&mut self, bin: &str) -> Result<()> {
        let waiting = Instant::now();
        while let Some(i) = self.pending.iter().position(|(b, ..)| *b == bin) {
            let (_, version, log) = &self.pending[i];
            let next = match self.finished.try_recv() {
                Ok(next) => next,
                Err(_) => {
                    println!(
                        "waiting for {bin} {version} to finish compiling (log: {})",
                        log.display()
                    );
                    self.finished
                        .recv()
                        .context("the background installs stopped without a word")?
                }
            };
            let (done, result, took) = next;
            let Some(j) = self.pending.iter().position(|(b, ..)| *b == done) else {
                continue;
            };
            let (_, version, _) = self.pending.remove(j);
            result.with_context(|| format!("installing {done} {version} in the background"))?;
            println!(
                "installed {done} {version} in the background: compiled in {}, waited {}",
                sh::took(took),
                sh::took(waiting.elapsed())
            );
        }
        Ok(())
    }
}

impl Drop for Compiling {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let pid = self.running.load(Ordering::SeqCst);
        if pid != 0 {
            // `nice` has become `cargo`: stopping it ends the install
            // (its rustcs finish the crate they compile and exit).
            let _ = std::process::Command::new("kill")
                .arg(pid.to_string())
                .status();
        }
    }
}

/// npm (for binaryen), Chromium and ChromeDriver from Debian, in one apt run.
fn debian_packages(env: &Env) -> Result<()> {
    let mut missing = Vec::new();
    if sh::query(env.cmd("npm").arg("--version")).is_none() {
        missing.push("npm");
    }
    if browser_version(env, CHROMIUM).is_none() {
        missing.push("chromium");
    }
    if browser_version(env, CHROMEDRIVER).is_none() {
        missing.push("chromium-driver");
    }
    // A Korean font, so that the Korean screenshots show Hangul, not boxes.
    // Only nice to have: where apt-get may not run, say so and go on.
    let no_korean_font =
        sh::query(env.cmd("fc-list").arg(":lang=ko")).is_none_or(|fonts| fonts.is_empty());
    if no_korean_font {
        if missing.is_empty() && !can_apt(env) {
            println!(
                "note: no Korean font; Korean screenshots will show boxes (apt-get install fonts-nanum)"
            );
        } else {
            missing.push("fonts-nanum");
        }
    }
    if !missing.is_empty() {
        apt_install(env, &missing)?;
    }
    let chromium = browser_version(env, CHROMIUM).context("chromium still missing")?;
    let driver = browser_version(env, CHROMEDRIVER).context("chromedriver still missing")?;
    let major = |v: &str| v.split('.').next().unwrap_or_default().to_string();
    ensure!(
        major(&chromium) == major(&driver),
        "chromium {chromium} and chromedriver {driver} differ: install both from one source, \
         e.g. `apt-get install -y chromium chromium-driver`"
    );
    println!("ok chromium {chromium}");
    println!("ok chromedriver {driver}");
    Ok(())
}

/// redis-server 7.0, which `cargo xtask record` records the fixtures from
/// (only that command needs it; CI replays the checked-in recordings).
pub fn redis_server(env: &Env) -> Result<()> {
    let version = || {
        let output = sh::query(env.cmd("redis-server").arg("--version"))?;
        output
            .split_whitespace()
            .find_map(|w| w.strip_prefix("v="))
            .map(str::to_string)
    };
    if version().is_none() {
        apt_install(env, &["redis-server"])?;
    }
    let found = version().context("redis-server still missing")?;
    ensure!(
        found.starts_with("7.0."),
        "redis-server {found} found: the fixtures are recorded from Redis 7.0 (Debian 12's redis-server)"
    );
    println!("ok redis-server {found}");
    Ok(())
}

/// Java 17 (with javac) and Maven, for `cargo xtask record-kafka`.
pub fn java_and_maven(env: &Env) -> Result<()> {
    let missing = |program: &str, arg: &str| sh::query(env.cmd(program).arg(arg)).is_none();
    if missing("javac", "-version") || missing("mvn", "-v") {
        apt_install(env, &["openjdk-17-jdk-headless", "maven"])?;
    }
    ensure!(
        !missing("javac", "-version") && !missing("mvn", "-v"),
        "javac or mvn still missing"
    );
    println!("ok java and mvn");
    Ok(())
}

fn browser_version(env: &Env, path: &str) -> Option<String> {
    let output = sh::query(env.cmd(path).arg("--version"))?;
    reported_version(&output).map(str::to_string)
}

/// Whether this is Debian and we are root, so `apt-get` may run.
fn can_apt(env: &Env) -> bool {
    Path::new("/etc/debian_version").exists()
        && sh::query(env.cmd("id").arg("-u")).as_deref() == Some("0")
}

fn apt_install(env: &Env, packages: &[&str]) -> Result<()> {
    let list = packages.join(" ");
    if !Path::new("/etc/debian_version").exists() {
        bail!(
            "missing: {list}. Install them with your system's package manager \
             (Chromium at {CHROMIUM}, ChromeDriver at {CHROMEDRIVER}), then rerun"
        );
    }
    let root = sh::query(env.cmd("id").arg("-u")).as_deref() == Some("0");
    if !root {
        bail!("missing: {list}. Run:\n  sudo apt-get update && sudo apt-get install -y {list}");
    }
    println!("installing {list} (apt-get)");
    sh::run(env.cmd("apt-get").arg("update"))?;
    sh::run(
        env.cmd("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y"])
            .args(packages),
    )
}

/// wasm-opt from npm's `binaryen` in our tools folder: Debian's binaryen is
/// too old to read what rustc emits, and Trunk must find exactly its pin.
fn wasm_opt(env: &Env, major: &str) -> Result<()> {
    let bin = env.tools.join("node_modules/.bin/wasm-opt");
    let reported = || sh::query(env.cmd(&bin).arg("--version"));
    if reported().as_deref().and_then(reported_version) == Some(major) {
        println!("ok wasm-opt {major}");
        return Ok(());
    }
    println!(
        "installing binaryen {major} (npm, into {})",
        env.tools.display()
    );
    std::fs::create_dir_all(&env.tools)
        .with_context(|| format!("creating {}", env.tools.display()))?;
    sh::run(
        env.cmd("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .args([env.tools.as_os_str(), format!("binaryen@{major}").as_ref()]),
    )?;
    let found = reported().unwrap_or_default();
    ensure!(
        reported_version(&found) == Some(major),
        "`{} --version` says `{found}`, not version {major}",
        bin.display()
    );
    Ok(())
}

/// The version in a tool's `--version` line: its first word that starts with
/// a digit (`trunk 0.21.14`, `wasm-opt version 132 (version_132)`,
/// `ChromeDriver 156.0.8078.79 (a21c…)`).
fn reported_version(output: &str) -> Option<&str> {
    output
        .split_whitespace()
        .find(|word| word.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::reported_version;

    #[test]
    fn reads_versions_as_tools_print_them() {
        let cases = [
            ("wasm-bindgen 0.2.130", "0.2.130"),
            ("trunk 0.21.14", "0.21.14"),
            ("wasm-opt version 132 (version_132)", "132"),
            (
                "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)",
                "156.0.8078.79",
            ),
            (
                "ChromeDriver 156.0.8078.79 (a21ce95c-refs/branch-heads/8078@{#1704})",
                "156.0.8078.79",
            ),
        ];
        for (output, version) in cases {
            assert_eq!(reported_version(output), Some(version), "{output}");
        }
    }

    #[test]
    fn no_version_is_none() {
        assert_eq!(reported_version(""), None);
        assert_eq!(reported_version("command not found"), None);
    }
}
