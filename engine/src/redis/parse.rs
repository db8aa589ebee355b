//! Command lines and arguments.
//!
//! [`split_args`] turns a line typed at redis-cli into arguments with exactly
//! the rules of sds's `sdssplitargs` (the tokenizer redis-cli uses), and
//! [`Args`] is the cursor every command parses its arguments from, with
//! number parsing that accepts and rejects what Redis does.

use alloc::vec::Vec;

use crate::redis::scan::run_until;

/// One argument of a command: binary safe, like a Redis string. Up to 16
/// bytes are kept inline, in the 24 bytes a `Vec<u8>` takes: nearly every
/// word of a command (its name, keys, groups, consumers, IDs, field names,
/// numbers) fits, so building or splitting a command allocates only for
/// long values.
pub type Arg = smallvec::SmallVec<[u8; 16]>;

/// Splits a command line like redis-cli does. Returns `None` where redis-cli
/// prints `Invalid argument(s)`: an unterminated quote, or a closing quote
/// followed by something other than white space.
///
/// Outside quotes, tokens end at space, tab, CR or LF; leading white space
/// also skips vertical tab and form feed (C's `isspace`). In double quotes
/// `\xhh`, `\n`, `\r`, `\t`, `\b`, `\a` and `\<any>` are escapes; in single
/// quotes only `\'` is. A quote may start in the middle of a token
/// (`a"b c"` is the one argument `ab c`). A NUL byte ends the line, as it
/// ends a C string.
pub fn split_args(line: &[u8]) -> Option<Vec<Arg>> {
    // Nearly every line (every line of a script) has no quote and no
    // control byte but white space: its words are then exactly the runs
    // between white space, each copied at once.
    split_plain(line).or_else(|| split_quoted(line))
}

/// [`split_args`] for a line of plain words (see there), or `None` if the
/// line has a quote or a control byte other than white space. White space
/// is then both what ends a word and what is skipped between words, and a
/// word is found eight bytes at a time and copied in one go.
fn split_plain(line: &[u8]) -> Option<Vec<Arg>> {
    let mut args = Vec::with_capacity(16);
    let mut p = 0;
    loop {
        let Some(word) = next_word(line, p, is_plain_white_space) else {
            return Some(args);
        };
        p = word;
        let end = p + run_until(&line[p..], b'\'' + 1, |b| {
            b < 0x21 || b == b'"' || b == b'\''
        });
        // A word ends at white space or at the line's end; anything else
        // there (a quote, NUL, another control byte) needs the quoting rules.
        if line.get(end).is_some_and(|&b| !is_plain_white_space(b)) {
            return None;
        }
        args.push(Arg::from_slice(&line[p..end]));
        p = end;
    }
}

/// [`split_args`] for any line: `sdssplitargs`'s states, byte by byte
/// within quotes.
fn split_quoted(line: &[u8]) -> Option<Vec<Arg>> {
    let line = &line[..run_until(line, 1, |b| b == 0)];
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    // Room for the words of most commands (XADD with six fields is 15).
    let mut args = Vec::with_capacity(16);
    let mut p = 0;
    loop {
        let Some(word) = next_word(line, p, is_c_space) else {
            return Some(args);
        };
        p = word;
        let mut current = Arg::new();
        let (mut in_double, mut in_single) = (false, false);
        loop {
            let c = at(p);
            if in_double {
                if c == b'\\' && at(p + 1) == b'x' && is_hex(at(p + 2)) && is_hex(at(p + 3)) {
                    current.push(hex_value(at(p + 2)) * 16 + hex_value(at(p + 3)));
                    p += 3;
                } else if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    current.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return None;
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else if in_single {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if at(p + 1) != 0 && !is_c_space(at(p + 1)) {
                        return None;
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        if c != 0 {
                            p += 1;
                        }
                        break;
                    }
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    _ => {
                        // A run of plain bytes is copied at once: most
                        // words are nothing else.
                        let run = run_until(&line[p..], b'\'' + 1, |b| {
                            matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'"' | b'\'')
                        });
                        current.extend_from_slice(&line[p..p + run]);
                        p += run;
                        continue;
                    }
                }
            }
            p += 1;
        }
        args.push(current);
    }
}

/// Where the next word starts at or after `p`, past what `space` accepts;
/// `None` at the line's end.
fn next_word(line: &[u8], p: usize, space: impl Fn(u8) -> bool) -> Option<usize> {
    let skipped = line[p.min(line.len())..]
        .iter()
        .take_while(|&&b| space(b))
        .count();
    Some(p + skipped).filter(|&start| start < line.len())
}

/// What ends a word outside quotes, and all a plain line (see
/// `split_plain`) has below 0x21.
fn is_plain_white_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// C's `isspace` in the C locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

/// Redis's `string2ll`: a canonical signed 64-bit decimal, nothing else (no
/// `+`, no leading zeros, no spaces, at most 20 characters).
pub fn parse_i64(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() >= 21 {
        return None;
    }
    if bytes == b"0" {
        return Some(0);
    }
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if negative {
        if v > (i64::MAX as u64) + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// Redis's `string2ull` as used for stream IDs: `string2ll` for
/// non-negative values, else C's `strtoull` (which also accepts a leading
/// `+` and leading zeros), but never a negative number.
pub fn parse_u64(bytes: &[u8]) -> Option<u64> {
    if let Some(v) = parse_i64(bytes) {
        return u64::try_from(v).ok();
    }
    // strtoull: optional white space and sign, then digits; the whole
    // string must be used. A '-' would wrap around in C; Redis then reads a
    // huge number. We keep that: it is what the server does.
    let s = core::str::from_utf8(bytes).ok()?;
    let t = s.trim_start_matches(|c: char| c.is_ascii() && is_c_space(c as u8));
    let (negative, digits) = if let Some(rest) = t.strip_prefix('-') {
        (true, rest)
    } else {
        (false, t.strip_prefix('+').unwrap_or(t))
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut v: u64 = 0;
    for d in digits.bytes() {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if negative { v.wrapping_neg() } else { v })
}

/// Redis's `getLongDoubleFromObject` (C's `strtold` over the whole string):
/// decimal or hexadecimal floats, `inf`, with an optional sign; no leading
/// white space, no NaN.
pub fn parse_float(bytes: &[u8]) -> Option<f64> {
    let s = core::str::from_utf8(bytes).ok()?;
    // Redis copies the argument into a 5120-byte buffer, NUL included.
    if s.is_empty() || s.len() >= 5 * 1024 || s.bytes().next().is_some_and(is_c_space) {
        return None;
    }
    let (sign, body) = match s.as_bytes()[0] {
        b'-' => (-1.0, &s[1..]),
        b'+' => (1.0, &s[1..]),
        _ => (1.0, s),
    };
    let hex = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X"));
    let (value, exponent) = if let Some(hex) = hex {
        (
            parse_hex_float(hex)?,
            binary_exponent(hex).map(|e| (e, 16_383, -16_445)),
        )
    } else {
        // Rust accepts "infinity"/"inf"/"nan" and decimal exponents like
        // strtold; it rejects a second sign, which strtold also does.
        if body.starts_with(['+', '-']) {
            return None;
        }
        (
            body.parse::<f64>().ok()?,
            decimal_exponent(body).map(|e| (e, 4_932, -4_951)),
        )
    };
    if value.is_nan() {
        return None;
    }
    // strtold reads into a long double (x86: up to about 1.19e4932, down
    // to about 3.65e-4951) and fails with ERANGE beyond; values inside that
    // range but beyond an f64's are kept as infinity, or as the smallest
    // f64 (so that rounding up to milliseconds still gives 1).
    match exponent {
        Some((e, max, min)) if e > max || e < min => None,
        Some(_) if value == 0.0 => Some(sign * f64::MIN_POSITIVE),
        _ => Some(sign * value),
    }
}

/// The power of ten of a decimal number's first significant digit
/// (`123.4e5` → 7), or `None` if it has none (zero, `inf`).
fn decimal_exponent(body: &str) -> Option<i64> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (
            &body[..i],
            body[i + 1..]
                .parse::<i64>()
                .unwrap_or(if body[i + 1..].starts_with('-') {
                    i64::MIN / 2
                } else {
                    i64::MAX / 2
                }),
        ),
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let magnitude = match int_part.bytes().position(|b| (b'1'..=b'9').contains(&b)) {
        Some(i) => (int_part.len() - i - 1) as i64,
        None => -(frac_part.bytes().position(|b| (b'1'..=b'9').contains(&b))? as i64 + 1),
    };
    Some(magnitude.saturating_add(exponent))
}

/// The power of two of a hexadecimal float's first significant bit.
fn binary_exponent(hex: &str) -> Option<i64> {
    let (mantissa, exponent) = match hex.find(['p', 'P']) {
        Some(i) => (&hex[..i], hex[i + 1..].parse::<i64>().ok()?),
        None => (hex, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let top_bit = |digit: u32| 31 - digit.leading_zeros() as i64;
    let magnitude = match int_part
        .chars()
        .position(|c| c.to_digit(16).is_some_and(|d| d > 0))
    {
        Some(i) => {
            4 * (int_part.len() - i - 1) as i64
                + top_bit(int_part[i..].chars().next()?.to_digit(16)?)
        }
        None => {
            let j = frac_part
                .chars()
                .position(|c| c.to_digit(16).is_some_and(|d| d > 0))?;
            -4 * (j as i64 + 1) + top_bit(frac_part[j..].chars().next()?.to_digit(16)?)
        }
    };
    Some(magnitude.saturating_add(exponent))
}

/// The digits of a C hexadecimal float after `0x`: `h.hhhp±d`.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exponent) = match s.find(['p', 'P']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut value = 0.0f64;
    for c in int_part.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac_part.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * libm_pow2(exponent))
}

/// 2^e without std's `powi` (not available in `core` on every target).
fn libm_pow2(e: i32) -> f64 {
    let mut v = 1.0f64;
    let step = if e >= 0 { 2.0 } else { 0.5 };
    for _ in 0..e.unsigned_abs().min(2100) {
        v *= step;
    }
    v
}

/// A cursor over a command's arguments (the name excluded).
#[derive(Clone, Debug)]
pub struct Args<'a> {
    argv: &'a [Arg],
    pos: usize,
}

impl<'a> Args<'a> {
    /// A cursor over `argv`.
    pub fn new(argv: &'a [Arg]) -> Self {
        Args { argv, pos: 0 }
    }

    /// The next argument, if any, consumed.
    pub fn next_arg(&mut self) -> Option<&'a [u8]> {
        let arg = self.argv.get(self.pos)?;
        self.pos += 1;
        Some(arg)
    }

    /// The next argument, not consumed.
    pub fn peek(&self) -> Option<&'a [u8]> {
        self.argv.get(self.pos).map(|a| &a[..])
    }

    /// Consumes the next argument if it equals `keyword`, ignoring case.
    pub fn eat(&mut self, keyword: &str) -> bool {
        match self.peek() {
            Some(arg) if arg.eq_ignore_ascii_case(keyword.as_bytes()) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    /// How many arguments are left.
    pub fn remaining(&self) -> usize {
        self.argv.len() - self.pos
    }

    /// The arguments not consumed yet.
    pub fn rest(&self) -> &'a [Arg] {
        &self.argv[self.pos..]
    }

    /// Consumes and returns everything left.
    pub fn take_rest(&mut self) -> &'a [Arg] {
        let rest = self.rest();
        self.pos = self.argv.len();
        rest
    }

    /// How many arguments were consumed so far.
    pub fn position(&self) -> usize {
        self.pos
    }
}

/// Whether `arg` equals `keyword`, ignoring ASCII case.
pub fn is_keyword(arg: &[u8], keyword: &str) -> bool {
    arg.eq_ignore_ascii_case(keyword.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn split(line: &str) -> Option<Vec<Vec<u8>>> {
        split_args(line.as_bytes()).map(|argv| argv.iter().map(|a| a.to_vec()).collect())
    }

    fn args(items: &[&str]) -> Option<Vec<Vec<u8>>> {
        Some(items.iter().map(|s| s.as_bytes().to_vec()).collect())
    }

    #[test]
    fn tokens_and_quotes_follow_sdssplitargs() {
        assert_eq!(
            split("  XADD s * a b "),
            args(&["XADD", "s", "*", "a", "b"])
        );
        assert_eq!(split(r#"set k "a b\n\x41""#), args(&["set", "k", "a b\nA"]));
        assert_eq!(split(r"set k 'it\'s \n'"), args(&["set", "k", "it's \\n"]));
        assert_eq!(split(r#"a"b c"d"#), None);
        assert_eq!(split(r#"ab"c d""#), args(&["abc d"]));
        assert_eq!(split(r#"x "unterminated"#), None);
        assert_eq!(split("x 'y"), None);
        assert_eq!(split(r#""""#), args(&[""]));
        assert_eq!(split("a\x0bb"), args(&["a\x0bb"]));
        assert_eq!(split("a\0b c"), args(&["a"]));
        assert_eq!(split("   "), Some(vec![]));
        assert_eq!(split(r#""\xzz""#), args(&["xzz"]));
    }

    /// Lines of up to 40 bytes drawn from `alphabet`.
    fn lines(alphabet: &[u8]) -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        proptest::collection::vec(proptest::sample::select(alphabet.to_vec()), 0..40)
    }

    proptest::proptest! {
        /// A line of plain words splits as the general tokenizer splits it.
        #[test]
        fn plain_lines_split_as_sdssplitargs_does(bytes in lines(b"ab7*- \t\r\n!\x7f\xff")) {
            proptest::prop_assert_eq!(split_plain(&bytes), split_quoted(&bytes));
        }

        /// Any line: the fast path is taken only where it agrees.
        #[test]
        fn every_line_splits_as_sdssplitargs_does(
            bytes in lines(b"a7 \t\r\n\"'\\x\x0b\x0c\0\x01")
        ) {
            proptest::prop_assert_eq!(split_args(&bytes), split_quoted(&bytes));
        }
    }

    #[test]
    fn integers_are_canonical_like_string2ll() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-12"), Some(-12));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            "",
            "-",
            "+1",
            "01",
            "-0",
            " 1",
            "1 ",
            "9223372036854775808",
            "1.0",
        ] {
            assert_eq!(parse_i64(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn unsigned_ids_fall_back_to_strtoull() {
        assert_eq!(parse_u64(b"007"), Some(7));
        assert_eq!(parse_u64(b"+5"), Some(5));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b"1x"), None);
    }

    #[test]
    fn floats_follow_strtold() {
        assert_eq!(parse_float(b"1.5"), Some(1.5));
        assert_eq!(parse_float(b"0x10"), Some(16.0));
        assert_eq!(parse_float(b"-1e3"), Some(-1000.0));
        assert_eq!(parse_float(b"inf"), Some(f64::INFINITY));
        assert_eq!(parse_float(b" 1"), None);
        assert_eq!(parse_float(b"nan"), None);
        assert_eq!(parse_float(b"1x"), None);
        assert_eq!(parse_float(b"\x0b1"), None);
    }

    #[test]
    fn floats_keep_the_range_of_a_long_double() {
        // Beyond a long double: ERANGE, so Redis says "not a float".
        assert_eq!(parse_float(b"1e5000"), None);
        assert_eq!(parse_float(b"-1e5000"), None);
        assert_eq!(parse_float(b"1e-5000"), None);
        assert_eq!(parse_float(b"0x1p20000"), None);
        // Within a long double but not an f64: infinity, or the smallest.
        assert_eq!(parse_float(b"1e400"), Some(f64::INFINITY));
        assert_eq!(parse_float(b"1e-400"), Some(f64::MIN_POSITIVE));
        assert_eq!(parse_float(b"-1e-400"), Some(-f64::MIN_POSITIVE));
        assert_eq!(parse_float(b"0.000"), Some(0.0));
        assert_eq!(parse_float(b"0x0.08p1"), Some(0.0625));
        let mut long = [b'0'; 5119];
        long[5118] = b'7';
        assert_eq!(parse_float(&long), Some(7.0));
        assert_eq!(parse_float(&[b'0'; 5120]), None);
    }
}
