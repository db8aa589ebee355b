//! Stream IDs: `<ms>-<seq>`, two unsigned 64-bit numbers, ordered as one
//! 128-bit number.

use alloc::string::String;
use core::fmt;

use crate::redis::parse::parse_u64;

/// A stream entry ID.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct StreamId {
    /// Milliseconds part (the producer's clock when `*` is used).
    pub ms: u64,
    /// Sequence number within the millisecond.
    pub seq: u64,
}

impl StreamId {
    /// `0-0`, smaller than every valid entry ID.
    pub const ZERO: StreamId = StreamId { ms: 0, seq: 0 };
    /// `18446744073709551615-18446744073709551615`, the largest ID.
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    /// An ID from its two parts.
    pub const fn new(ms: u64, seq: u64) -> Self {
        StreamId { ms, seq }
    }

    /// The next ID, or `None` after [`StreamId::MAX`] (Redis's `streamIncrID`).
    pub fn next(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The previous ID, or `None` before `0-0` (Redis's `streamDecrID`).
    pub fn prev(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    /// The ID as Redis prints it.
    pub fn to_text(self) -> String {
        // Only ASCII digits and a dash are written.
        String::from_utf8(self.to_bytes()).unwrap_or_default()
    }

    /// The ID as Redis prints it, as bytes (a bulk reply's).
    pub fn to_bytes(self) -> alloc::vec::Vec<u8> {
        let mut out = alloc::vec::Vec::with_capacity(24);
        self.write_to(&mut out);
        out
    }

    /// Appends the ID as Redis prints it to `out`. Written by hand, not
    /// through `core::fmt`: IDs are printed for every entry of every reply
    /// and every command a simulated client sends.
    pub fn write_to(self, out: &mut impl Extend<u8>) {
        write_u64(out, self.ms);
        out.extend([b'-']);
        write_u64(out, self.seq);
    }

    /// The 16 big-endian bytes Redis uses as the radix-tree key of a node
    /// whose first (master) entry has this ID.
    pub fn to_be_bytes(self) -> [u8; 16] {
        let mut key = [0u8; 16];
        key[..8].copy_from_slice(&self.ms.to_be_bytes());
        key[8..].copy_from_slice(&self.seq.to_be_bytes());
        key
    }
}

/// Appends `n` in decimal to `out` (a reply's buffer, or a command's
/// argument). Every ID a reply or a command carries is two of these (a
/// 13-digit time and a sequence), so the digits are made two at a time
/// from a table, as `itoa` does, and handed over in one piece.
pub fn write_u64(out: &mut impl Extend<u8>, n: u64) {
    let mut buf = [0u8; 20];
    out.extend(decimal(n, &mut buf).iter().copied());
}

/// `n`'s decimal digits, written at the end of `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    const PAIRS: &[u8; 200] = b"\
        0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut i = buf.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    &buf[i..]
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// How the sequence part of a parsed ID was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeqPart {
    /// Given explicitly (`5-3`), or implied by the caller's default (`5`).
    Given(u64),
    /// `5-*`: XADD picks the sequence (only where `allow_auto_seq`).
    Auto,
}

/// Redis's `streamGenericParseIDOrReply`: `ms[-seq]` where a missing `seq`
/// is `missing_seq`, `-` and `+` are the smallest and largest IDs (when
/// `strict` is off), and `ms-*` is allowed only where XADD allows it.
/// Returns `None` for anything Redis would reject as an invalid ID.
pub fn parse_id(
    text: &[u8],
    missing_seq: u64,
    strict: bool,
    allow_auto_seq: bool,
) -> Option<(u64, SeqPart)> {
    if text.len() > 127 {
        return None;
    }
    // Redis copies the argument into a C string: a NUL byte ends it.
    let text = match text.iter().position(|&b| b == 0) {
        Some(nul) => &text[..nul],
        None => text,
    };
    if !strict && text == b"-" {
        return Some((0, SeqPart::Given(0)));
    }
    if !strict && text == b"+" {
        return Some((u64::MAX, SeqPart::Given(u64::MAX)));
    }
    match text.iter().position(|&b| b == b'-') {
        None => Some((parse_u64(text)?, SeqPart::Given(missing_seq))),
        Some(dash) => {
            let ms = parse_u64(&text[..dash])?;
            let seq_text = &text[dash + 1..];
            if allow_auto_seq && seq_text == b"*" {
                Some((ms, SeqPart::Auto))
            } else {
                Some((ms, SeqPart::Given(parse_u64(seq_text)?)))
            }
        }
    }
}

/// An ID as XRANGE and friends take it, with `-`, `+` and incomplete IDs.
pub fn parse_range_id(text: &[u8], missing_seq: u64) -> Option<StreamId> {
    match parse_id(text, missing_seq, false, false)? {
        (ms, SeqPart::Given(seq)) => Some(StreamId::new(ms, seq)),
        (_, SeqPart::Auto) => None,
    }
}

/// An ID where `-` and `+` are not allowed (XACK, XCLAIM, SETID …).
pub fn parse_strict_id(text: &[u8]) -> Option<StreamId> {
    match parse_id(text, 0, true, false)? {
        (ms, SeqPart::Given(seq)) => Some(StreamId::new(ms, seq)),
        (_, SeqPart::Auto) => None,
    }
}

#[cfg(test)]
mod tests {
    /// Every length of number, each side of a power of ten, as `format!`
    /// writes it.
    #[test]
    fn numbers_are_written_in_decimal() {
        let mut values = alloc::vec![0, 1, 9, 10, 11, 99, 100, 101, u64::MAX, u64::MAX - 1];
        let mut p = 1u64;
        while let Some(next) = p.checked_mul(10) {
            values.extend([next - 1, next, next + 1, next + next / 2]);
            p = next;
        }
        for n in values {
            let mut out = alloc::vec::Vec::new();
            write_u64(&mut out, n);
            assert_eq!(out, alloc::format!("{n}").into_bytes(), "{n}");
        }
    }

    use super::*;

    #[test]
    fn parses_like_redis() {
        assert_eq!(parse_range_id(b"5", 0), Some(StreamId::new(5, 0)));
        assert_eq!(
            parse_range_id(b"5", u64::MAX),
            Some(StreamId::new(5, u64::MAX))
        );
        assert_eq!(parse_range_id(b"-", 0), Some(StreamId::ZERO));
        assert_eq!(parse_range_id(b"+", 0), Some(StreamId::MAX));
        assert_eq!(parse_strict_id(b"+"), None);
        assert_eq!(parse_strict_id(b"1-2-3"), None);
        assert_eq!(parse_strict_id(b"1-"), None);
        assert_eq!(parse_id(b"7-*", 0, true, true), Some((7, SeqPart::Auto)));
        assert_eq!(parse_id(b"7-*", 0, true, false), None);
    }

    #[test]
    fn increments_carry_into_ms() {
        assert_eq!(StreamId::new(1, u64::MAX).next(), Some(StreamId::new(2, 0)));
        assert_eq!(StreamId::MAX.next(), None);
        assert_eq!(StreamId::new(2, 0).prev(), Some(StreamId::new(1, u64::MAX)));
        assert_eq!(StreamId::ZERO.prev(), None);
    }
}
