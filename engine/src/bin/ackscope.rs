//! ackscope's native command line: `ackscope repl` (a redis-cli compatible
//! REPL over the simulated server).

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use ackscope_engine::repl::Repl;

const USAGE: &str = "usage: ackscope repl\n\n  repl    a redis-cli compatible REPL over a simulated Redis 7.0 (reads stdin)\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("repl") if args.len() == 1 => repl(),
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Reads command lines from stdin and prints replies as redis-cli does. A
/// prompt is shown only when stdin is a terminal, as redis-cli does.
fn repl() -> ExitCode {
    let interactive = std::io::stdin().is_terminal();
    let mut repl = Repl::new();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut line = Vec::new();
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
        let output = repl.feed(&line);
        if out.write_all(&output).and_then(|()| out.flush()).is_err() {
            // stdout closed (e.g. piped into `head`): stop quietly.
            return ExitCode::SUCCESS;
        }
        if repl.finished() {
            break;
        }
    }
    ExitCode::SUCCESS
}
