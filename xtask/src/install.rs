//! `cargo xtask install`: makes sure every tool is there at exactly the pinned
//! version, installing only through the package registries (rustup, crates.io,
//! npm, Debian). It is idempotent: a second run only checks, one line per tool.
//! Where it may not install (not root, not Debian) it stops and prints the
//! command to run.

use std::path::Path;

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
    let read = |name: &str| {
        std::fs::read_to_string(env.root.join(name)).with_context(|| format!("reading {name}"))
    };
    let pins = Pins::parse(&read("Cargo.lock")?, &read("Trunk.toml")?)?;
    wasm_target(env)?;
    // Without --locked: the registry lacks some of the newest versions in
    // wasm-bindgen-cli's own lock file.
    cargo_tool(
        env,
        "wasm-bindgen-cli",
        "wasm-bindgen",
        &pins.wasm_bindgen,
        false,
    )?;
    // With --locked: Trunk 0.21.14 only builds with the versions it was released with.
    cargo_tool(env, "trunk", "trunk", pins::TRUNK, true)?;
    debian_packages(env)?;
    wasm_opt(env, &pins.binaryen)
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

/// A binary from crates.io, reinstalled unless `bin --version` reports exactly
/// `version`.
fn cargo_tool(env: &Env, krate: &str, bin: &str, version: &str, locked: bool) -> Result<()> {
    let reported = || sh::query(env.cmd(bin).arg("--version"));
    if let Some(found) = reported().as_deref().and_then(reported_version) {
        if found == version {
            println!("ok {bin} {version}");
            return Ok(());
        }
        println!("installing {krate} {version} (found {found}; cargo install, a few minutes)");
    } else {
        println!("installing {krate} {version} (cargo install, a few minutes)");
    }
    let mut install = env.cargo(&["install", krate, "--version", version]);
    if locked {
        install.arg("--locked");
    }
    install.envs(FAST_INSTALL);
    sh::run(&mut install)?;
    let found = reported().unwrap_or_default();
    ensure!(
        reported_version(&found) == Some(version),
        "`{bin} --version` says `{found}` after installing {version} into {}: \
         is another {bin} earlier on PATH?",
        env.cargo_bin.display()
    );
    Ok(())
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
