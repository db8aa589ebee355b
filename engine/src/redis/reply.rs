//! Replies, as a RESP2 server sends them, and their rendering exactly as
//! `redis-cli --no-raw` prints them.
//!
//! redis-cli speaks RESP2 by default, so every reply here is a RESP2 type:
//! XINFO's "maps" are flat arrays of name/value pairs, as redis-cli shows them.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// One reply from the server to a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// `+OK`: a status line, printed bare by redis-cli.
    Status(Vec<u8>),
    /// `-ERR …`: printed as `(error) ERR …`. Bytes, not text: Redis puts
    /// key and group names into error messages as they are.
    Error(Vec<u8>),
    /// `:42`: printed as `(integer) 42`.
    Integer(i64),
    /// `$3\r\nabc`: a binary-safe string, printed quoted and escaped.
    Bulk(Vec<u8>),
    /// `$-1`: the null bulk string, printed `(nil)`.
    Nil,
    /// `*-1`: the null array (BLPOP's timeout), also printed `(nil)`.
    NilArray,
    /// `*N`: printed as a numbered list, `(empty array)` when empty.
    Array(Vec<Reply>),
}

impl Reply {
    /// `+OK`.
    pub fn ok() -> Reply {
        Reply::status("OK")
    }

    /// A status reply.
    pub fn status(text: impl Into<Vec<u8>>) -> Reply {
        Reply::Status(text.into())
    }

    /// An error reply; `text` is the whole line, code included (`ERR …`).
    pub fn error(text: impl Into<Vec<u8>>) -> Reply {
        Reply::Error(text.into())
    }

    /// A bulk string copied from bytes.
    pub fn bulk(bytes: impl AsRef<[u8]>) -> Reply {
        Reply::Bulk(bytes.as_ref().to_vec())
    }

    /// A bulk string holding the decimal text of `n`, as Redis sends counts
    /// inside XPENDING's per-consumer summary.
    pub fn bulk_display(n: impl core::fmt::Display) -> Reply {
        let mut s = String::new();
        let _ = write!(s, "{n}");
        Reply::Bulk(s.into_bytes())
    }

    /// Whether this is an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// The reply as `redis-cli --no-raw` prints it, final newline included.
    /// Bytes, because errors and status lines are printed as they came.
    pub fn to_cli(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_cli(&mut out, "");
        out
    }

    /// [`Reply::to_cli`] as text, for display (invalid UTF-8 replaced).
    pub fn to_cli_text(&self) -> String {
        String::from_utf8_lossy(&self.to_cli()).into_owned()
    }

    /// redis-cli's `cliFormatReplyTTY`: `prefix` is the indentation of the
    /// nested list this reply is an element of. The first element of a list
    /// is printed right after its parent's index, so it gets no prefix.
    fn write_cli(&self, out: &mut Vec<u8>, prefix: &str) {
        let mut text = String::new();
        match self {
            Reply::Error(bytes) => {
                out.extend_from_slice(b"(error) ");
                out.extend_from_slice(bytes);
                out.push(b'\n');
            }
            Reply::Status(bytes) => {
                out.extend_from_slice(bytes);
                out.push(b'\n');
            }
            Reply::Integer(n) => {
                let _ = writeln!(text, "(integer) {n}");
            }
            Reply::Bulk(bytes) => {
                write_repr(&mut text, bytes);
                text.push('\n');
            }
            Reply::Nil | Reply::NilArray => text.push_str("(nil)\n"),
            Reply::Array(items) if items.is_empty() => text.push_str("(empty array)\n"),
            Reply::Array(items) => {
                // Indices are right-aligned to the width of the largest one,
                // and nested lists are indented by that width plus ") ".
                let width = decimal_width(items.len());
                let mut nested = String::from(prefix);
                nested.extend(core::iter::repeat_n(' ', width + 2));
                for (i, item) in items.iter().enumerate() {
                    let lead = if i == 0 { "" } else { prefix };
                    let _ = write!(text, "{lead}{:>width$}) ", i + 1);
                    out.extend_from_slice(text.as_bytes());
                    text.clear();
                    item.write_cli(out, &nested);
                }
            }
        }
        out.extend_from_slice(text.as_bytes());
    }
}

/// How many decimal digits `n` has (at least one).
fn decimal_width(mut n: usize) -> usize {
    let mut width = 1;
    while n >= 10 {
        n /= 10;
        width += 1;
    }
    width
}

/// sds's `sdscatrepr`: a quoted string with C escapes, and `\xhh` for bytes
/// that are not printable ASCII (so UTF-8 text shows as escapes, as in
/// redis-cli).
pub fn write_repr(out: &mut String, bytes: &[u8]) {
    out.push('"');
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn check(reply: Reply, expected: &str) {
        assert_eq!(reply.to_cli_text(), expected);
    }

    #[test]
    fn scalars() {
        check(Reply::ok(), "OK\n");
        check(
            Reply::error("ERR syntax error"),
            "(error) ERR syntax error\n",
        );
        check(Reply::Integer(-3), "(integer) -3\n");
        check(Reply::Nil, "(nil)\n");
        check(Reply::NilArray, "(nil)\n");
        check(Reply::Array(vec![]), "(empty array)\n");
        check(
            Reply::bulk("a\"b\\c\n\x01\u{e9}"),
            "\"a\\\"b\\\\c\\n\\x01\\xc3\\xa9\"\n",
        );
    }

    #[test]
    fn nested_lists_indent_under_their_index() {
        let entry = Reply::Array(vec![
            Reply::bulk("1-1"),
            Reply::Array(vec![Reply::bulk("a"), Reply::bulk("b")]),
        ]);
        check(
            Reply::Array(vec![entry.clone(), entry]),
            "1) 1) \"1-1\"\n   2) 1) \"a\"\n      2) \"b\"\n2) 1) \"1-1\"\n   2) 1) \"a\"\n      2) \"b\"\n",
        );
    }

    #[test]
    fn ten_or_more_items_pad_their_indices() {
        let items = (0..10).map(Reply::Integer).collect();
        let out = Reply::Array(vec![Reply::Array(items)]).to_cli_text();
        assert!(out.starts_with("1)  1) (integer) 0\n    2) (integer) 1\n"));
        assert!(out.ends_with("   10) (integer) 9\n"));
    }
}
