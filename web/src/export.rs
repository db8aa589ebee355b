//! What the Export menu saves, and under which name.
//!
//! The trace and the ledger are the engine's own text
//! (`view::export`): the trace up to the cursor — every event of the
//! actions applied, the reader's commands and faults included —, the
//! ledger at the cursor. The stage's pictures are drawn from the page by
//! `snapshot`; this module only names them.

use ackscope_engine::view::export::{ledger_csv, trace_lines};

use crate::run::Run;

/// One file the Export menu offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// The trace so far, as `ackscope trace` prints it (JSON Lines).
    Trace,
    /// Every lane's ledger at the cursor (CSV).
    Ledger,
    /// The stage as a standalone SVG.
    Svg,
    /// The stage as a PNG, at twice its size on screen.
    Png,
}

impl Export {
    /// Every export, in menu order.
    pub const ALL: [Export; 4] = [Export::Trace, Export::Ledger, Export::Svg, Export::Png];

    /// The stable, untranslated name (`data-export`, and the file name's
    /// last word).
    pub const fn slug(self) -> &'static str {
        match self {
            Export::Trace => "trace",
            Export::Ledger => "ledger",
            Export::Svg | Export::Png => "stage",
        }
    }

    /// The file's extension.
    pub const fn extension(self) -> &'static str {
        match self {
            Export::Trace => "jsonl",
            Export::Ledger => "csv",
            Export::Svg => "svg",
            Export::Png => "png",
        }
    }

    /// The file's media type.
    pub const fn mime(self) -> &'static str {
        match self {
            Export::Trace => "application/jsonl",
            Export::Ledger => "text/csv;charset=utf-8",
            Export::Svg => "image/svg+xml",
            Export::Png => "image/png",
        }
    }

    /// The file name: what, from which run, at which moment —
    /// `ackscope-guarantees-side-by-side-seed3-t4200ms-trace.jsonl`.
    pub fn file_name(self, run: &Run) -> String {
        format!(
            "ackscope-{}-seed{}-t{}ms-{}.{}",
            run.name(),
            run.seed(),
            run.cursor().ms,
            self.slug(),
            self.extension()
        )
    }

    /// The file's text, for the exports the engine writes (the trace and
    /// the ledger); `None` for the stage's pictures.
    pub fn text(self, run: &Run) -> Option<String> {
        match self {
            Export::Trace => Some(trace_lines(run.applied())),
            Export::Ledger => Some(ledger_csv(&run.lanes())),
            Export::Svg | Export::Png => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use ackscope_engine::sim::Timeline;
    use ackscope_engine::view::export::ledger_csv;

    use super::*;
    use crate::run::instant;

    #[test]
    fn names_say_what_which_run_and_when() {
        let mut run = Run::builtin("guarantees-side-by-side", 3, Vec::new()).unwrap();
        run.move_to(run.cursor_at(4200));
        let names: Vec<String> = Export::ALL.iter().map(|e| e.file_name(&run)).collect();
        assert_eq!(
            names,
            [
                "ackscope-guarantees-side-by-side-seed3-t4200ms-trace.jsonl",
                "ackscope-guarantees-side-by-side-seed3-t4200ms-ledger.csv",
                "ackscope-guarantees-side-by-side-seed3-t4200ms-stage.svg",
                "ackscope-guarantees-side-by-side-seed3-t4200ms-stage.png",
            ]
        );
    }

    #[test]
    fn the_trace_and_the_ledger_are_the_engines_at_the_cursor() {
        let mut run = Run::builtin("kafka-acks1-leader-crash", 5, Vec::new()).unwrap();
        let ms = run.end_ms() / 2;
        run.move_to(run.cursor_at(ms));
        let fresh = Timeline::run(run.scenario().clone(), 5);
        let trace = Export::Trace.text(&run).unwrap();
        let until = fresh.events_until(instant(ms));
        assert_eq!(trace, trace_lines(fresh.events().slice(..until)));
        assert!(
            until > 0 && until < fresh.events().len(),
            "up to the cursor"
        );
        let ledger = Export::Ledger.text(&run).unwrap();
        assert_eq!(ledger, ledger_csv(&fresh.at(instant(ms))));
        assert_eq!(Export::Png.text(&run), None);
    }
}
