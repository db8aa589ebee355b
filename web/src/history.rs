//! The console's command history, as redis-cli keeps it: ↑ recalls older
//! lines, ↓ newer ones, and past the newest the line being typed returns.

/// Lines kept.
const KEEP: usize = 100;

/// Typed lines, oldest first, and where ↑/↓ stand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// Index into `lines` while browsing; `None` when editing a new line.
    at: Option<usize>,
    /// The new line being typed when browsing began.
    draft: String,
}

impl History {
    /// Remembers a line that was run (not blank, not a repeat of the last).
    pub fn push(&mut self, line: &str) {
        self.at = None;
        self.draft.clear();
        if line.trim().is_empty() || self.lines.last().is_some_and(|last| last == line) {
            return;
        }
        if self.lines.len() == KEEP {
            self.lines.remove(0);
        }
        self.lines.push(line.to_owned());
    }

    /// ↑: the previous line, given what is typed now.
    pub fn older(&mut self, typed: &str) -> Option<&str> {
        let at = match self.at {
            None if self.lines.is_empty() => return None,
            None => {
                self.draft = typed.to_owned();
                self.lines.len() - 1
            }
            Some(at) => at.saturating_sub(1),
        };
        self.at = Some(at);
        Some(&self.lines[at])
    }

    /// ↓: the next line, or the draft after the newest.
    pub fn newer(&mut self) -> Option<&str> {
        let at = self.at?;
        if at + 1 < self.lines.len() {
            self.at = Some(at + 1);
            Some(&self.lines[at + 1])
        } else {
            self.at = None;
            Some(&self.draft)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_and_down_walk_the_history_and_return_to_the_draft() {
        let mut h = History::default();
        assert_eq!(h.older("x"), None);
        assert_eq!(h.newer(), None);
        for line in ["XADD s * a 1", "XLEN s", "XLEN s", "   "] {
            h.push(line);
        }
        assert_eq!(h.older("XRA"), Some("XLEN s"));
        assert_eq!(h.older("ignored"), Some("XADD s * a 1"));
        assert_eq!(h.older("ignored"), Some("XADD s * a 1"));
        assert_eq!(h.newer(), Some("XLEN s"));
        assert_eq!(h.newer(), Some("XRA"));
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn only_the_newest_lines_are_kept() {
        let mut h = History::default();
        for i in 0..(KEEP + 5) {
            h.push(&format!("PING {i}"));
        }
        let mut oldest = String::new();
        while let Some(line) = h.older("") {
            if line == oldest {
                break;
            }
            oldest = line.to_owned();
        }
        assert_eq!(oldest, "PING 5");
    }
}
