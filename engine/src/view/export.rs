//! Exports: a run's trace and its ledger as files people keep, open in a
//! spreadsheet or feed to their own tools.
//!
//! The native CLI (`ackscope trace`) and the web's Export menu both write
//! the trace with [`trace_lines`], so a file downloaded from the page and
//! the CLI's output for the same run are the same bytes. The ledger is
//! [`World::tally`] — the very fates the Guarantees lab's grid draws —
//! written as CSV by [`ledger_csv`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::fate::Fate;
use crate::sim::{Lanes, TraceEvent};

/// The trace as JSON Lines: one JSON object per event, each ended by a
/// newline, exactly what `ackscope trace` prints. Byte strings (keys,
/// names, values) are shown as text where they are UTF-8.
pub fn trace_lines(events: &[TraceEvent]) -> String {
    let mut out = String::new();
    for event in events {
        out.push_str(&trace_line(event));
        out.push('\n');
    }
    out
}

/// One event as one line of JSON (no newline).
pub fn trace_line(event: &TraceEvent) -> String {
    // A trace event serializes to a map with string keys only; should
    // that ever fail, the line says `null` rather than the export failing.
    let mut value = serde_json::to_value(event).unwrap_or_default();
    bytes_as_text(&mut value);
    value.to_string()
}

/// Shows byte strings (arrays of numbers 0-255 in the serialized trace) as
/// text where they are UTF-8, for people to read.
fn bytes_as_text(value: &mut Value) {
    match value {
        Value::Array(items) => {
            let bytes: Option<Vec<u8>> = items
                .iter()
                .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
                .collect();
            match bytes.and_then(|b| String::from_utf8(b).ok()) {
                Some(text) if !items.is_empty() => *value = Value::String(text),
                _ => items.iter_mut().for_each(bytes_as_text),
            }
        }
        Value::Object(map) => map.values_mut().for_each(bytes_as_text),
        _ => {}
    }
}

/// The ledger CSV's columns, in order.
pub const LEDGER_COLUMNS: [&str; 8] = [
    "at_ms",
    "lane",
    "lane_name",
    "service",
    "guarantee",
    "message",
    "fate",
    "processed",
];

/// Every lane's ledger at the lanes' current moment as CSV (RFC 4180:
/// CRLF line ends, fields quoted when they hold a comma, a quote or a line
/// break): a header of [`LEDGER_COLUMNS`], then one row per lane, service
/// and message the broker took for that service, in the lanes', the
/// scenario's and the messages' order.
///
/// `fate` is [`Fate::slug`] (`in-flight`, `once`, `times`, `lost`,
/// `dead-lettered`) and `processed` how many times the message's effect
/// was applied, so a service's ledger counts are sums over its rows:
/// `produced` is its number of rows, `processed_unique` its rows with
/// `processed` ≥ 1, `duplicates` the sum of `processed - 1` over those.
pub fn ledger_csv(lanes: &Lanes) -> String {
    let at_ms = lanes.now().since_start().as_ms().to_string();
    let mut out = String::new();
    csv_row(&mut out, LEDGER_COLUMNS.iter().copied());
    for world in lanes.worlds() {
        let tally = world.tally();
        let lane = tally.lane.to_string();
        for service in &tally.services {
            for m in &service.fates {
                let processed = m.fate.processed().to_string();
                csv_row(
                    &mut out,
                    [
                        at_ms.as_str(),
                        lane.as_str(),
                        tally.name.as_str(),
                        service.service.as_str(),
                        service.guarantee,
                        m.name.as_str(),
                        m.fate.slug(),
                        processed.as_str(),
                    ],
                );
            }
        }
    }
    out
}

/// Appends one CSV record and its CRLF.
fn csv_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, field);
    }
    out.push_str("\r\n");
}

/// Appends one field, quoted (its quotes doubled) only when it must be.
fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// A fate from its CSV columns (`fate`, `processed`): the inverse of what
/// [`ledger_csv`] writes, for tools and tests that read the file back.
pub fn fate_of(slug: &str, processed: u32) -> Option<Fate> {
    match (slug, processed) {
        ("in-flight", 0) => Some(Fate::InFlight),
        ("once", 1) => Some(Fate::Once),
        ("times", n) if n >= 2 => Some(Fate::Times(n)),
        ("lost", 0) => Some(Fate::Lost),
        ("dead-lettered", 0) => Some(Fate::DeadLettered),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(field: &str) -> String {
        let mut out = String::new();
        csv_field(&mut out, field);
        out
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        for (field, expected) in [
            ("orders", "orders"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("cr\r", "\"cr\r\""),
        ] {
            assert_eq!(quoted(field), expected, "{field:?}");
        }
    }

    #[test]
    fn every_fate_reads_back_from_its_columns() {
        for fate in [
            Fate::InFlight,
            Fate::Once,
            Fate::Times(2),
            Fate::Times(7),
            Fate::Lost,
            Fate::DeadLettered,
        ] {
            assert_eq!(fate_of(fate.slug(), fate.processed()), Some(fate));
        }
        assert_eq!(fate_of("once", 2), None);
        assert_eq!(fate_of("times", 1), None);
        assert_eq!(fate_of("gone", 0), None);
    }
}
