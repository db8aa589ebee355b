//! Narration that states a count reads it from the run shown: a
//! scenario's `{<service>.<count>}` holes are filled from this lane's
//! ledger at this moment.

use alloc::string::String;

use crate::scenario::holes;
use crate::sim::{ServiceCounts, World};

impl World {
    /// `text` with its `{<service>.<count>}` holes filled from the ledger
    /// now; a hole that names nothing is left as written.
    pub fn narrate(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for hole in holes(text) {
            let service = self
                .scenario()
                .services
                .iter()
                .position(|s| s.name == hole.service);
            let Some(n) = service.and_then(|s| count(self.service_counts(s), hole.count)) else {
                continue;
            };
            out.push_str(&text[last..hole.range.start]);
            out.push_str(&alloc::format!("{n}"));
            last = hole.range.end;
        }
        out.push_str(&text[last..]);
        out
    }
}

fn count(c: ServiceCounts, name: &str) -> Option<u64> {
    Some(match name {
        "produced" => c.produced,
        "delivered" => c.delivered,
        "processed" => c.processed_unique,
        "duplicates" => c.duplicates,
        "dead_lettered" => c.dead_lettered,
        "in_flight" => c.in_flight,
        "lost" => c.lost,
        "empty_polls" => c.empty_polls,
        _ => return None,
    })
}
