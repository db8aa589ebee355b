//! Replies, as a RESP2 server sends them, and their rendering exactly as
//! `redis-cli --no-raw` prints them.
//!
//! redis-cli speaks RESP2 by default, so every reply here is a RESP2 type:
//! XINFO's "maps" are flat arrays of name/value pairs, as redis-cli shows them.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::redis::db::stream::Fields;
use crate::redis::db::stream_id::{StreamId, write_u64};
use crate::redis::scan::printable_run;

/// One reply from the server to a client.
#[derive(Clone, Debug, Eq)]
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
    /// A stream entry, sent as the array `[id, [field, value, …]]`, holding
    /// the stream's own fields (shared, not copied): XRANGE, XREAD,
    /// XREADGROUP, XCLAIM and XINFO reply with these. It is equal to its
    /// array form: a reply is what it sends.
    Entry(StreamId, Rc<Fields>),
}

impl PartialEq for Reply {
    fn eq(&self, other: &Reply) -> bool {
        match (self, other) {
            (Reply::Status(a), Reply::Status(b))
            | (Reply::Error(a), Reply::Error(b))
            | (Reply::Bulk(a), Reply::Bulk(b)) => a == b,
            (Reply::Integer(a), Reply::Integer(b)) => a == b,
            (Reply::Nil, Reply::Nil) | (Reply::NilArray, Reply::NilArray) => true,
            (Reply::Array(a), Reply::Array(b)) => a == b,
            (Reply::Entry(a, f), Reply::Entry(b, g)) => a == b && f == g,
            (Reply::Entry(id, fields), array) | (array, Reply::Entry(id, fields)) => {
                entry_array(*id, fields) == *array
            }
            _ => false,
        }
    }
}

/// An entry's array form, `[id, [field, value, …]]`.
fn entry_array(id: StreamId, fields: &Fields) -> Reply {
    let flat = fields
        .iter()
        .flat_map(|(f, v)| [Reply::bulk(f), Reply::bulk(v)])
        .collect();
    Reply::Array(alloc::vec![Reply::Bulk(id.to_bytes()), Reply::Array(flat)])
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
        self.write_cli(&mut out);
        out
    }

    /// [`Reply::to_cli`] as text, for display (invalid UTF-8 replaced).
    pub fn to_cli_text(&self) -> String {
        String::from_utf8_lossy(&self.to_cli()).into_owned()
    }

    /// Appends [`Reply::to_cli`] to `out`. The REPL renders every reply
    /// straight into its output buffer this way: no allocation per reply
    /// and no `core::fmt`, which together cost more than the command.
    pub fn write_cli(&self, out: &mut Vec<u8>) {
        self.write_nested(out, 0);
    }

    /// redis-cli's `cliFormatReplyTTY`: `indent` is the width of the
    /// prefix of the nested list this reply is an element of (redis-cli's
    /// prefix is always spaces). The first element of a list is printed
    /// right after its parent's index, so it gets no prefix.
    fn write_nested(&self, out: &mut Vec<u8>, indent: usize) {
        match self {
            Reply::Error(bytes) => {
                out.extend_from_slice(b"(error) ");
                out.extend_from_slice(bytes);
            }
            Reply::Status(bytes) => out.extend_from_slice(bytes),
            Reply::Integer(n) => {
                out.extend_from_slice(b"(integer) ");
                if *n < 0 {
                    out.push(b'-');
                }
                write_decimal(out, n.unsigned_abs(), 0);
            }
            Reply::Bulk(bytes) => write_repr(out, bytes),
            Reply::Nil | Reply::NilArray => out.extend_from_slice(b"(nil)"),
            // `[id, [field, value, …]]`, written as that array would be
            // without building it: XREADGROUP's replies are most of what a
            // stream script prints.
            Reply::Entry(id, fields) => {
                return write_list(out, indent, 2, |out, i, indent| {
                    if i == 0 {
                        // An ID is digits and a dash: nothing to escape.
                        out.push(b'"');
                        id.write_to(out);
                        out.extend_from_slice(b"\"\n");
                    } else {
                        let mut strings = fields.iter().flat_map(|(f, v)| [f, v]);
                        write_list(out, indent, 2 * fields.len(), |out, _, _| {
                            write_repr(out, strings.next().unwrap_or_default());
                            out.push(b'\n');
                        });
                    }
                });
            }
            Reply::Array(items) => {
                return write_list(out, indent, items.len(), |out, i, indent| {
                    items[i].write_nested(out, indent);
                });
            }
        }
        out.push(b'\n');
    }
}

/// redis-cli's list of `len` elements, each written by `element` (given
/// its index and the indent of what nests in it): indices right-aligned to
/// the width of the largest one, nested lists indented by that width plus
/// `") "`, and `(empty array)` for none.
fn write_list(
    out: &mut Vec<u8>,
    indent: usize,
    len: usize,
    mut element: impl FnMut(&mut Vec<u8>, usize, usize),
) {
    if len == 0 {
        out.extend_from_slice(b"(empty array)\n");
        return;
    }
    let width = decimal_width(len as u64);
    for i in 0..len {
        if i > 0 {
            out.resize(out.len() + indent, b' ');
        }
        write_decimal(out, i as u64 + 1, width);
        out.extend_from_slice(b") ");
        element(out, i, indent + width + 2);
    }
}

/// How many decimal digits `n` has (at least one).
fn decimal_width(mut n: u64) -> usize {
    let mut width = 1;
    while n >= 10 {
        n /= 10;
        width += 1;
    }
    width
}

/// Appends `n` in decimal, right-aligned with spaces to `width`.
fn write_decimal(out: &mut Vec<u8>, n: u64, width: usize) {
    out.resize(out.len() + width.saturating_sub(decimal_width(n)), b' ');
    write_u64(out, n);
}

/// sds's `sdscatrepr`: a quoted string with C escapes, and `\xhh` for bytes
/// that are not printable ASCII (so UTF-8 text shows as escapes, as in
/// redis-cli). Runs of bytes printed as they are are copied at once.
pub fn write_repr(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut rest = bytes;
    while !rest.is_empty() {
        let run = printable_run(rest);
        out.extend_from_slice(&rest[..run]);
        let Some((&b, tail)) = rest[run..].split_first() else {
            break;
        };
        rest = tail;
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'x',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
    }
    out.push(b'"');
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
    fn an_entry_is_its_array_form() {
        let fields = Rc::new(Fields::new([("a", "b")]).expect("short strings"));
        let shared = Reply::Entry(StreamId::new(1, 1), fields);
        let array = Reply::Array(vec![
            Reply::bulk("1-1"),
            Reply::Array(vec![Reply::bulk("a"), Reply::bulk("b")]),
        ]);
        assert_eq!(shared, array);
        assert_eq!(array, shared);
        assert_ne!(shared, Reply::Array(vec![]));
        let nested = |e: &Reply| Reply::Array(vec![e.clone(), e.clone()]).to_cli_text();
        assert_eq!(nested(&shared), nested(&array));
    }

    #[test]
    fn ten_or_more_items_pad_their_indices() {
        let items = (0..10).map(Reply::Integer).collect();
        let out = Reply::Array(vec![Reply::Array(items)]).to_cli_text();
        assert!(out.starts_with("1)  1) (integer) 0\n    2) (integer) 1\n"));
        assert!(out.ends_with("   10) (integer) 9\n"));
    }
}
