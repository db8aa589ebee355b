//! Child processes: where they run, which PATH they see, and how their failures
//! read.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// What every child process shares: the repository root as working
/// directory, and a PATH on which our pinned tools come first.
#[derive(Clone)]
pub struct Env {
    /// The workspace root (where Cargo.lock and Trunk.toml live).
    pub root: PathBuf,
    /// The folder that holds tools installed outside cargo (npm's binaryen),
    /// kept in the user's cache so that every clone shares it.
    pub tools: PathBuf,
    /// Where `cargo install` puts binaries.
    pub cargo_bin: PathBuf,
    /// PATH for children: tools first, so that Trunk finds exactly the
    /// wasm-opt and wasm-bindgen it pins instead of downloading its own.
    path: OsString,
    /// The cargo that runs us, so children use the same toolchain.
    cargo: OsString,
}

impl Env {
    /// Works out the folders from the environment; fails only when there is no
    /// home folder to keep tools in.
    pub fn detect() -> Result<Env> {
        // `cargo run` sets CARGO_MANIFEST_DIR for the process it runs; prefer
        // it to the compile-time value, which is stale when two checkouts
        // share one target folder.
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest_dir
            .parent()
            .context("xtask lives one folder below the workspace root")?
            .to_path_buf();
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|home| home.join(".cache")))
            .context("neither XDG_CACHE_HOME nor HOME is set: no place to keep tools")?;
        let tools = cache.join("ackscope").join("tools");
        let cargo_bin = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| home.map(|home| home.join(".cargo")))
            .context("neither CARGO_HOME nor HOME is set")?
            .join("bin");
        let mut dirs = vec![tools.join("node_modules").join(".bin"), cargo_bin.clone()];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let path = std::env::join_paths(dirs).context("a PATH entry contains `:`")?;
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Ok(Env {
            root,
            tools,
            cargo_bin,
            path,
            cargo,
        })
    }

    /// Where cargo puts what it builds: `CARGO_TARGET_DIR`, or `target/`.
    pub fn target_dir(&self) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join("target"))
    }

    /// A command run from the workspace root with our PATH and no stdin, so
    /// nothing can wait for an answer under CI.
    pub fn cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root)
            .env("PATH", &self.path)
            .stdin(Stdio::null());
        cmd
    }

    /// `cargo <args>` with the toolchain that runs xtask.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = self.cmd(&self.cargo);
        cmd.args(args);
        cmd
    }
}

/// Runs `cmd` with inherited output; an unsuccessful exit is an error that
/// names the command.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", show(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", show(cmd));
    }
    Ok(())
}

/// Runs `cmd`, printing its stdout as it comes and returning it, so that
/// test counts can be read from it while the user still sees progress.
pub fn run_tee(cmd: &mut Command) -> Result<String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{}`", show(cmd)))?;
    let mut captured = String::new();
    let stdout = child.stdout.take().context("stdout was piped")?;
    let mut out = std::io::stdout();
    // Byte lines, not `lines()`: a test may print bytes that are not UTF-8,
    // which must not abort the whole run.
    for line in BufReader::new(stdout).split(b'\n') {
        let line = line.context("reading a child's output")?;
        out.write_all(&line)?;
        out.write_all(b"\n")?;
        captured.push_str(&String::from_utf8_lossy(&line));
        captured.push('\n');
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("`{}` failed ({status})", show(cmd));
    }
    Ok(captured)
}

/// The trimmed stdout of a command that only reports something (a version),
/// or `None` when it is missing or fails: either way the tool needs installing.
pub fn query(cmd: &mut Command) -> Option<String> {
    let output = cmd.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// A duration as a reader wants it in a log: `47s`, `4m 03s`.
pub fn took(duration: std::time::Duration) -> String {
    let seconds = duration.as_secs();
    match seconds / 60 {
        0 => format!("{seconds}s"),
        minutes => format!("{minutes}m {:02}s", seconds % 60),
    }
}

/// The command line as a user would type it, for error messages.
pub fn show(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .unwrap_or(cmd.get_program())
        .to_string_lossy()
        .into_owned();
    std::iter::once(program)
        .chain(cmd.get_args().map(|arg| arg.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tee_returns_the_output_even_when_not_utf8() {
        let mut cmd = Command::new("printf");
        cmd.arg(r"ok\n\377\n");
        let output = run_tee(&mut cmd).unwrap();
        assert_eq!(output, "ok\n\u{fffd}\n");
    }

    #[test]
    fn durations_read_as_minutes_and_seconds() {
        use std::time::Duration;
        assert_eq!(took(Duration::from_millis(47_900)), "47s");
        assert_eq!(took(Duration::from_secs(243)), "4m 03s");
        assert_eq!(took(Duration::from_secs(3600)), "60m 00s");
    }

    #[test]
    fn failures_name_the_command() {
        let error = run(Command::new("false").arg("--flag")).unwrap_err();
        assert_eq!(error.to_string(), "`false --flag` failed (exit status: 1)");
    }
}
