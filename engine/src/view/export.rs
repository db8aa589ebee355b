//! Exports: a run's trace and its ledger as files people keep, open in a
//! spreadsheet or feed to their own tools.
//!
//! The native CLI (`ackscope trace`) and the web's Export menu both write
//! the trace with [`trace_lines`], so a file downloaded from the page and
//! the CLI's output for the same run are the same bytes. The ledger is
//! [`World::tally`](crate::sim::World::tally) — the very fates the Guarantees lab's grid draws —
//! written as CSV by [`ledger_csv`].

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::fate::Fate;
use crate::sim::{EventRef, Lanes, ServiceCounts};

/// The trace as JSON Lines: one JSON object per event, each ended by a
/// newline, exactly what `ackscope trace` prints. Byte strings (keys,
/// names, values) are shown as text where they are UTF-8.
pub fn trace_lines<'a>(events: impl IntoIterator<Item = impl Into<EventRef<'a>>>) -> String {
    let mut out = String::new();
    for event in events {
        out.push_str(&trace_line(event.into()));
        out.push('\n');
    }
    out
}

/// One event as one line of JSON (no newline).
pub fn trace_line(event: EventRef<'_>) -> String {
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

/// One row of a ledger CSV, read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    /// When (ms since the start of the run).
    pub at_ms: u64,
    /// The lane's index.
    pub lane: u16,
    /// The lane's name.
    pub lane_name: String,
    /// The service.
    pub service: String,
    /// The guarantee it gives in that lane.
    pub guarantee: String,
    /// The message's name.
    pub message: String,
    /// What became of it.
    pub fate: Fate,
}

/// Reads a ledger CSV written by [`ledger_csv`] back into its rows, for
/// tools and tests that check a downloaded file; a reason if it is not
/// one (a bad header, a field that does not parse, a fate that does not
/// agree with its count).
pub fn read_ledger(text: &str) -> Result<Vec<LedgerRow>, String> {
    let records = csv_records(text)?;
    let (header, rows) = records.split_first().ok_or("no header")?;
    if header.as_slice() != LEDGER_COLUMNS {
        return Err(alloc::format!("header {header:?}"));
    }
    rows.iter().map(|r| ledger_row(r)).collect()
}

fn ledger_row(r: &[String]) -> Result<LedgerRow, String> {
    let bad = || alloc::format!("row {r:?}");
    let [
        at_ms,
        lane,
        lane_name,
        service,
        guarantee,
        message,
        fate,
        processed,
    ] = r
    else {
        return Err(bad());
    };
    let processed = processed.parse().map_err(|_| bad())?;
    Ok(LedgerRow {
        at_ms: at_ms.parse().map_err(|_| bad())?,
        lane: lane.parse().map_err(|_| bad())?,
        lane_name: lane_name.clone(),
        service: service.clone(),
        guarantee: guarantee.clone(),
        message: message.clone(),
        fate: fate_of(fate, processed).ok_or_else(bad)?,
    })
}

/// A fate from its CSV columns (`fate`, `processed`).
fn fate_of(slug: &str, processed: u32) -> Option<Fate> {
    match (slug, processed) {
        ("in-flight", 0) => Some(Fate::InFlight),
        ("once", 1) => Some(Fate::Once),
        ("times", n) if n >= 2 => Some(Fate::Times(n)),
        ("lost", 0) => Some(Fate::Lost),
        ("dead-lettered", 0) => Some(Fate::DeadLettered),
        _ => None,
    }
}

/// Each lane's and service's ledger counts summed from `rows`: those a
/// message's fate decides (`delivered` and `empty_polls` count deliveries
/// and polls, which the CSV does not carry, and stay 0).
pub fn counts_of(rows: &[LedgerRow]) -> BTreeMap<(u16, String), ServiceCounts> {
    let mut out: BTreeMap<(u16, String), ServiceCounts> = BTreeMap::new();
    for row in rows {
        let c = out.entry((row.lane, row.service.clone())).or_default();
        let processed = u64::from(row.fate.processed());
        c.produced += 1;
        c.processed_unique += u64::from(processed >= 1);
        c.duplicates += processed.saturating_sub(1);
        match row.fate {
            Fate::DeadLettered => c.dead_lettered += 1,
            Fate::InFlight => c.in_flight += 1,
            Fate::Lost => c.lost += 1,
            Fate::Once | Fate::Times(_) => {}
        }
    }
    out
}

/// What [`counts_of`] must read back from the [`ledger_csv`] of `lanes`:
/// every lane's and service's ledger counts that fates decide, for
/// services with at least one message (a service with none has no rows).
pub fn expected_counts(lanes: &Lanes) -> BTreeMap<(u16, String), ServiceCounts> {
    let mut out = BTreeMap::new();
    for world in lanes.worlds() {
        for (i, service) in lanes.scenario().services.iter().enumerate() {
            let counts = world.service_counts(i);
            if counts.produced > 0 {
                let fates = ServiceCounts {
                    delivered: 0,
                    empty_polls: 0,
                    ..counts
                };
                out.insert((world.lane(), service.name.clone()), fates);
            }
        }
    }
    out
}

/// Splits RFC 4180 text into records of fields (quotes undone); every
/// record must end with CRLF.
fn csv_records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(core::mem::take(&mut field)),
            (false, '\r') if chars.next() == Some('\n') => {
                record.push(core::mem::take(&mut field));
                records.push(core::mem::take(&mut record));
            }
            (false, '\r' | '\n') => return Err("a line not ended by CRLF".into()),
            (false, c) => field.push(c),
        }
    }
    match quoted || !record.is_empty() || !field.is_empty() {
        true => Err("the last record is not ended by CRLF".into()),
        false => Ok(records),
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

    #[test]
    fn records_read_back_with_their_quotes_undone() {
        let mut text = String::new();
        csv_row(&mut text, ["a,b", "say \"hi\"", "two\nlines", ""]);
        csv_row(&mut text, ["x"]);
        let records = csv_records(&text).unwrap();
        assert_eq!(
            records,
            [
                alloc::vec!["a,b", "say \"hi\"", "two\nlines", ""],
                alloc::vec!["x"]
            ]
        );
        assert!(csv_records("a,b\n").is_err(), "LF alone");
        assert!(csv_records("a,b").is_err(), "no line end");
        assert!(csv_records("\"open\r\n").is_err(), "an open quote");
    }

    #[test]
    fn a_file_that_is_not_a_ledger_is_refused_with_a_reason() {
        let header = "at_ms,lane,lane_name,service,guarantee,message,fate,processed\r\n";
        let ok = alloc::format!("{header}5,0,a,billing,at-least-once,order-1,times,2\r\n");
        let rows = read_ledger(&ok).unwrap();
        assert_eq!(rows[0].fate, Fate::Times(2));
        let counts = counts_of(&rows);
        assert_eq!(counts[&(0, "billing".into())].duplicates, 1);
        for bad in [
            "",
            "at_ms,lane\r\n",
            &alloc::format!("{header}5,0,a,billing,x,order-1,once,2\r\n"),
            &alloc::format!("{header}x,0,a,billing,x,order-1,once,1\r\n"),
            &alloc::format!("{header}5,0,a,billing,x,order-1,once\r\n"),
        ] {
            assert!(read_ledger(bad).is_err(), "{bad:?}");
        }
    }
}
