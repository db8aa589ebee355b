//! The engine's REPL against transcripts recorded from a real redis-server
//! 7.0 (`tests/fixtures/redis/*.redis` and their `*.out`, recorded by
//! `cargo run -p ackscope-tests --bin record`).
//!
//! Every script runs through [`ackscope_engine::redis::repl::run_script`] and its
//! output must equal the recording byte for byte, except for what differs
//! from run to run on a real server, masked on both sides:
//!
//! - IDs that came from `*`: 13-digit `ms-seq` IDs whose `ms` is at least
//!   1 600 000 000 000, replaced by `<id:N>` numbered in order of first
//!   appearance — so which ID is reused where is still checked;
//! - redis-cli's `(1.50s)` lines for commands that waited;
//! - only in fixtures whose name contains `.idle.`: idle times and
//!   timestamps (XINFO CONSUMERS' `idle`, XINFO STREAM FULL's `seen-time`
//!   and delivery times, the idle field of XPENDING's extended form).
//!
//! `FIXTURE=<part of a name> cargo test -p ackscope-tests --test
//! redis_fixtures` checks only the matching fixtures; `FIXTURE_DIR=<folder>`
//! checks the scripts of another folder (recorded with `record --dir`).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use ackscope_engine::redis::repl::{Repl, run_script};

/// Where the scripts and their recordings live.
fn fixture_dir() -> PathBuf {
    match std::env::var_os("FIXTURE_DIR") {
        Some(dir) => dir.into(),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/redis"),
    }
}

/// The names (file stems) of every script, sorted.
fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("tests/fixtures/redis exists")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            name.strip_suffix(".redis").map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_matches_redis() {
    let filter = std::env::var("FIXTURE").unwrap_or_default();
    let names: Vec<String> = fixture_names()
        .into_iter()
        .filter(|name| name.contains(&filter))
        .collect();
    assert!(!names.is_empty(), "no fixture matches FIXTURE={filter:?}");
    let failures: Vec<String> = names.iter().filter_map(|name| check(name).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ from Redis:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}

#[test]
fn every_script_has_a_recording_and_no_sim_time() {
    for name in fixture_names() {
        let script = read(&format!("{name}.redis"));
        let out = fixture_dir().join(format!("{name}.out"));
        assert!(
            out.is_file(),
            "{name}.redis has no recording: run `record {name}`"
        );
        assert!(
            !String::from_utf8_lossy(&script)
                .lines()
                .any(|l| l.trim_start().to_ascii_lowercase().starts_with("sim.time")),
            "{name}.redis uses SIM.TIME, which a real server cannot play"
        );
    }
}

fn read(file: &str) -> Vec<u8> {
    let path = fixture_dir().join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs fixture `name` and compares it with its recording; `Err` is a
/// report naming the fixture, the first differing script line, and a diff.
fn check(name: &str) -> Result<(), String> {
    let script = read(&format!("{name}.redis"));
    let recorded = String::from_utf8_lossy(&read(&format!("{name}.out"))).into_owned();
    let produced = String::from_utf8_lossy(&run_script(&script)).into_owned();
    let idle = format!("{name}.redis").contains(".idle.");
    let expected = mask(&recorded, idle);
    let actual = mask(&produced, idle);
    if expected == actual {
        return Ok(());
    }
    let expected: Vec<&str> = expected.lines().collect();
    let actual: Vec<&str> = actual.lines().collect();
    let mut report = format!("=== {name}: differs from Redis\n");
    if let Some(line) = first_difference(&expected, &actual) {
        let _ = writeln!(report, "first difference: {}", origin(&script, line));
    }
    report.push_str(&unified_diff(&expected, &actual));
    Err(report)
}

/// The 0-based index of the first line where the two sides differ.
fn first_difference(expected: &[&str], actual: &[&str]) -> Option<usize> {
    (0..expected.len().max(actual.len())).find(|&i| expected.get(i) != actual.get(i))
}

/// Which script line printed output line `line` (0-based) in the engine.
fn origin(script: &[u8], line: usize) -> String {
    let mut repl = Repl::new();
    let mut printed = 0;
    for (number, input) in script.split(|&b| b == b'\n').enumerate() {
        printed += repl.feed(input).iter().filter(|&&b| b == b'\n').count();
        if printed > line {
            return format!(
                "output line {} comes from script line {}: {}",
                line + 1,
                number + 1,
                String::from_utf8_lossy(input)
            );
        }
    }
    format!("output line {} (after the engine's last line)", line + 1)
}

// ----- masking -----

/// Masks what differs from run to run (see the module documentation).
fn mask(text: &str, idle: bool) -> String {
    let mut lines: Vec<String> = text.lines().map(mask_elapsed).collect();
    if idle {
        mask_times(&mut lines);
    }
    let mut ids = Vec::new();
    let mut out = String::with_capacity(text.len());
    for line in &lines {
        out.push_str(&mask_ids(line, &mut ids));
        out.push('\n');
    }
    out
}

/// redis-cli's `(1.50s)` line after a command that took half a second.
fn mask_elapsed(line: &str) -> String {
    let elapsed = line
        .strip_prefix('(')
        .and_then(|l| l.strip_suffix("s)"))
        .and_then(|l| l.split_once('.'))
        .is_some_and(|(s, cs)| is_digits(s) && cs.len() == 2 && is_digits(cs));
    if elapsed {
        "(elapsed)".to_string()
    } else {
        line.to_string()
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Replaces every timestamp ID (`ms-seq`, `ms` of 13 digits from
/// 1 600 000 000 000 on) by `<id:N>`, `N` counting distinct IDs in order of
/// first appearance across the whole output (`seen`).
fn mask_ids(line: &str, seen: &mut Vec<String>) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < bytes.len() {
        match timestamp_id_at(bytes, i) {
            Some(end) => {
                let id = &line[i..end];
                let n = match seen.iter().position(|s| s == id) {
                    Some(n) => n,
                    None => {
                        seen.push(id.to_string());
                        seen.len() - 1
                    }
                };
                let _ = write!(out, "<id:{}>", n + 1);
                i = end;
            }
            None => {
                let len = line[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&line[i..i + len]);
                i += len;
            }
        }
    }
    out
}

/// If a timestamp ID starts at `at`, where it ends.
fn timestamp_id_at(bytes: &[u8], at: usize) -> Option<usize> {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    if at > 0 && (digit(at - 1) || bytes[at - 1] == b'-') {
        return None;
    }
    let ms_end = at + 13;
    if !(at..ms_end).all(digit) || digit(ms_end) || bytes.get(ms_end) != Some(&b'-') {
        return None;
    }
    let ms: u64 = std::str::from_utf8(&bytes[at..ms_end]).ok()?.parse().ok()?;
    let mut end = ms_end + 1;
    while digit(end) {
        end += 1;
    }
    (ms >= 1_600_000_000_000 && end > ms_end + 1).then_some(end)
}

/// One line of redis-cli's nested-list output: the column of the `)` of
/// its innermost index, that index, and the value printed after it.
struct Item<'a> {
    column: usize,
    index: u64,
    value: &'a str,
}

/// Reads `line` as `[spaces] N) [spaces M) …] value`.
fn item(line: &str) -> Option<Item<'_>> {
    let bytes = line.as_bytes();
    let mut pos = 0;
    let mut found = None;
    loop {
        let start = pos + bytes[pos..].iter().take_while(|&&b| b == b' ').count();
        let digits = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let close = start + digits;
        if digits == 0 || !line[close..].starts_with(") ") {
            break;
        }
        let index = line[start..close].parse().ok()?;
        found = Some((close, index));
        pos = close + 2;
    }
    let (column, index) = found?;
    Some(Item {
        column,
        index,
        value: &line[column + 2..],
    })
}

/// Masks idle times and timestamps in place (`.idle.` fixtures only).
fn mask_times(lines: &mut [String]) {
    for i in 0..lines.len() {
        let Some(current) = item(&lines[i]) else {
            continue;
        };
        if current.value == "\"idle\"" || current.value == "\"seen-time\"" {
            mask_integer(lines, i + 1);
        } else if current.index == 1 && is_quoted_id(current.value) {
            let column = current.column;
            if let Some(field) = pending_time_field(lines, i, column) {
                mask_integer(lines, field);
            }
        }
    }
}

/// In a pending entry whose ID is on line `at`, the line of its time:
/// `[id, consumer, idle-or-time, count]` (XPENDING's extended form, XINFO
/// STREAM FULL's group PEL) or `[id, time, count]` (a consumer's PEL in
/// XINFO STREAM FULL).
fn pending_time_field(lines: &[String], at: usize, column: usize) -> Option<usize> {
    let field = |k: u64| {
        let line = lines.get(at + k as usize - 1)?;
        let item = item(line).filter(|it| it.column == column && it.index == k)?;
        Some(item.value)
    };
    let integer = |k: u64| field(k).is_some_and(|v| v.starts_with("(integer) "));
    let second = field(2)?;
    if second.starts_with('"') && integer(3) && integer(4) {
        Some(at + 2)
    } else if integer(2) && integer(3) && field(4).is_none() {
        Some(at + 1)
    } else {
        None
    }
}

fn is_quoted_id(value: &str) -> bool {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .and_then(|v| v.split_once('-'))
        .is_some_and(|(ms, seq)| is_digits(ms) && is_digits(seq))
}

/// Replaces the integer printed on line `at`, if it prints one.
fn mask_integer(lines: &mut [String], at: usize) {
    let Some(line) = lines.get(at) else { return };
    let Some(it) = item(line) else { return };
    if it.value.starts_with("(integer) ") {
        let kept = &line[..it.column + 2];
        lines[at] = format!("{kept}(integer) <time>");
    }
}

// ----- the diff -----

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// A unified diff (`-` Redis, `+` ackscope) whose lines carry their line
/// numbers on both sides.
fn unified_diff(expected: &[&str], actual: &[&str]) -> String {
    let ops = edit_script(expected, actual);
    let mut out = String::from("--- redis (recorded)\n+++ ackscope\n");
    let changed: Vec<usize> = (0..ops.len())
        .filter(|&k| !matches!(ops[k], Op::Same(..)))
        .collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = changed[k] + 1;
        while k < changed.len() && changed[k] <= end + 2 * CONTEXT {
            end = changed[k] + 1;
            k += 1;
        }
        write_hunk(&mut out, &ops[start..(end + CONTEXT).min(ops.len())]);
    }
    out
}

/// One step of the edit script, with the 1-based line numbers it touches.
#[derive(Clone, Copy)]
enum Op<'a> {
    Same(usize, usize, &'a str),
    Removed(usize, &'a str),
    Added(usize, &'a str),
}

fn write_hunk(out: &mut String, ops: &[Op<'_>]) {
    let (mut a, mut b) = (None, None);
    let (mut a_len, mut b_len) = (0, 0);
    for op in ops {
        match *op {
            Op::Same(x, y, _) => {
                a.get_or_insert(x);
                b.get_or_insert(y);
                a_len += 1;
                b_len += 1;
            }
            Op::Removed(x, _) => {
                a.get_or_insert(x);
                a_len += 1;
            }
            Op::Added(y, _) => {
                b.get_or_insert(y);
                b_len += 1;
            }
        }
    }
    let _ = writeln!(
        out,
        "@@ -{},{a_len} +{},{b_len} @@",
        a.unwrap_or(0),
        b.unwrap_or(0)
    );
    for op in ops {
        let _ = match *op {
            Op::Same(x, y, text) => writeln!(out, " {x:>4} {y:>4} | {text}"),
            Op::Removed(x, text) => writeln!(out, "-{x:>4}      | {text}"),
            Op::Added(y, text) => writeln!(out, "+     {y:>4} | {text}"),
        };
    }
}

/// The shortest edit script from `a` to `b` (longest common subsequence).
fn edit_script<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut ops = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(i + 1, j + 1, a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(Op::Removed(i + 1, a[i]));
            i += 1;
        } else {
            ops.push(Op::Added(j + 1, b[j]));
            j += 1;
        }
    }
    ops
}

// ----- the masks themselves -----

#[cfg(test)]
mod masks {
    use super::mask;

    fn check(idle: bool, text: &str, expected: &str) {
        assert_eq!(mask(text, idle), expected, "masking {text:?}");
    }

    #[test]
    fn timestamp_ids_become_numbered_placeholders() {
        check(
            false,
            "\"1700000000000-0\"\n1) \"1700000000000-1\"\n2) \"1700000000000-0\"\n",
            "\"<id:1>\"\n1) \"<id:2>\"\n2) \"<id:1>\"\n",
        );
        check(
            false,
            "\"1599999999999-0\"\n\"5-0\"\n\"17000000000000-0\"\n\"1700000000000-*\"\n",
            "\"1599999999999-0\"\n\"5-0\"\n\"17000000000000-0\"\n\"1700000000000-*\"\n",
        );
    }

    #[test]
    fn elapsed_lines_are_masked() {
        check(false, "(nil)\n(1.50s)\n", "(nil)\n(elapsed)\n");
        check(false, "\"(1.50s)\"\n", "\"(1.50s)\"\n");
    }

    #[test]
    fn idle_fields_are_masked_only_in_idle_fixtures() {
        let consumers = "1) 1) \"name\"\n   2) \"c\"\n   3) \"pending\"\n   4) (integer) 1\n   5) \"idle\"\n   6) (integer) 120\n";
        check(false, consumers, consumers);
        check(
            true,
            consumers,
            "1) 1) \"name\"\n   2) \"c\"\n   3) \"pending\"\n   4) (integer) 1\n   5) \"idle\"\n   6) (integer) <time>\n",
        );
    }

    #[test]
    fn pending_entries_lose_their_times() {
        check(
            true,
            "1) 1) \"1-0\"\n   2) \"c\"\n   3) (integer) 7\n   4) (integer) 2\n",
            "1) 1) \"1-0\"\n   2) \"c\"\n   3) (integer) <time>\n   4) (integer) 2\n",
        );
        check(
            true,
            "      1) 1) \"1-0\"\n         2) (integer) 1700000000000\n         3) (integer) 1\n",
            "      1) 1) \"1-0\"\n         2) (integer) <time>\n         3) (integer) 1\n",
        );
    }
}
