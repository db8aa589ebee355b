//! Redis's glob-style matching (`stringmatchlen` in `util.c`): what KEYS,
//! PSUBSCRIBE and PUBSUB CHANNELS use to compare a pattern with a name.
//!
//! The rules are Redis's, quirks included, because a pattern that matches
//! here but not in Redis (or the other way round) would show a subscriber
//! receiving a message it never would:
//!
//! - `*` matches any run of bytes, `?` exactly one byte, `\x` the byte `x`.
//! - `[abc]`, `[^abc]` and ranges `[a-z]` (also written backwards, `[z-a]`)
//!   match one byte; inside a class `\]` is a literal `]`, and `[]` is an
//!   empty class that matches nothing. An unterminated class ends at the end
//!   of the pattern (`[a` matches `a`); a lone `[` matches nothing.
//! - The empty string matches no pattern that is not empty, not even `*`.
//! - Once the string is used up, only trailing `*`s may remain (`a*?`
//!   does not match `a`).
//! - Range bounds compare as C's signed `char`, so bytes from 0x80 up sort
//!   below ASCII.
//! - Recursion stops at a nesting of 1000 `*`s: deeper patterns never match.

/// How deep `*` may recurse before the match gives up, as in Redis.
const MAX_NESTING: u32 = 1000;

/// Whether `string` matches the glob `pattern`; `nocase` folds ASCII case
/// (Redis's `stringmatchlen`).
pub fn string_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    match_from(pattern, string, nocase, &mut skip_longer, 0)
}

/// One level of the match. `skip_longer` is Redis's `skipLongerMatches`:
/// once the rest of a pattern after a `*` failed to match anywhere in the
/// rest of the string, no earlier `*` can help by matching more.
fn match_from(p: &[u8], s: &[u8], nocase: bool, skip_longer: &mut bool, nesting: u32) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    // Past the end of the pattern, C reads the string's terminating NUL.
    let at = |i: usize| p.get(i).copied().unwrap_or(0);
    let (mut pi, mut si) = (0usize, 0usize);
    while pi < p.len() && si < s.len() {
        match p[pi] {
            b'*' => {
                while pi < p.len() && at(pi + 1) == b'*' {
                    pi += 1;
                }
                if p.len() - pi == 1 {
                    return true;
                }
                while si < s.len() {
                    if match_from(&p[pi + 1..], &s[si..], nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    si += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => si += 1,
            b'[' => {
                let (matched, end) = match_class(p, pi + 1, s[si], nocase);
                if !matched {
                    return false;
                }
                pi = end;
                si += 1;
            }
            c => {
                let c = if c == b'\\' && p.len() - pi >= 2 {
                    pi += 1;
                    p[pi]
                } else {
                    c
                };
                if !same_byte(c, s[si], nocase) {
                    return false;
                }
                si += 1;
            }
        }
        pi += 1;
        if si == s.len() {
            while at(pi) == b'*' {
                pi += 1;
            }
            break;
        }
    }
    pi == p.len() && si == s.len()
}

/// Matches byte `c` against the class starting at `p[start]` (just after
/// its `[`). Returns whether it matched and the index of the class's last
/// byte (its `]`, or the pattern's last byte when the class is not closed).
fn match_class(p: &[u8], start: usize, c: u8, nocase: bool) -> (bool, usize) {
    let at = |i: usize| p.get(i).copied().unwrap_or(0);
    let mut pi = start;
    let negate = at(pi) == b'^';
    if negate {
        pi += 1;
    }
    let mut matched = false;
    loop {
        let left = p.len() - pi;
        if at(pi) == b'\\' && left >= 2 {
            pi += 1;
            matched |= p[pi] == c;
        } else if at(pi) == b']' {
            break;
        } else if left == 0 {
            pi -= 1;
            break;
        } else if left >= 3 && p[pi + 1] == b'-' {
            matched |= in_range(p[pi], p[pi + 2], c, nocase);
            pi += 2;
        } else {
            matched |= same_byte(p[pi], c, nocase);
        }
        pi += 1;
    }
    (matched != negate, pi)
}

/// Whether `c` lies between `a` and `b` (either order), comparing bytes as
/// C's signed `char` like Redis does on x86.
fn in_range(a: u8, b: u8, c: u8, nocase: bool) -> bool {
    let fold = |x: u8| {
        let x = if nocase { x.to_ascii_lowercase() } else { x };
        i32::from(x as i8)
    };
    let (mut lo, mut hi) = (i32::from(a as i8), i32::from(b as i8));
    if lo > hi {
        core::mem::swap(&mut lo, &mut hi);
    }
    if nocase {
        // C lowercases the bounds after ordering them; only ASCII letters
        // change, and they are non-negative either way.
        lo = fold(lo as u8);
        hi = fold(hi as u8);
    }
    let c = fold(c);
    lo <= c && c <= hi
}

fn same_byte(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn check(pattern: &str, string: &str, expected: bool) {
        assert_eq!(
            string_match(pattern.as_bytes(), string.as_bytes(), false),
            expected,
            "pattern {pattern:?} against {string:?}"
        );
    }

    /// Recorded from redis-server 7.0.15: `RPUSH <string> x` then
    /// `KEYS <pattern>` on an empty database.
    #[test]
    fn matches_like_redis_keys() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "abc", true),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("a*c", "ac", true),
            ("a*c", "abbbc", true),
            ("a*c", "abcd", false),
            ("?", "a", true),
            ("?", "ab", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("[abc]", "b", true),
            ("[abc]", "d", false),
            ("[^abc]", "d", true),
            ("[^abc]", "a", false),
            ("[a-c]", "b", true),
            ("[c-a]", "b", true),
            ("[a-c]", "d", false),
            ("[^a-c]", "d", true),
            ("[\\]]", "]", true),
            ("[\\-]", "-", true),
            ("[a-]", "-", false),
            ("[a-]", "a", true),
            ("[-a]", "-", true),
            ("[]", "]", false),
            ("[]]", "]", false),
            ("[", "[", false),
            ("[", "a", false),
            ("[^", "a", true),
            ("[^", "^", true),
            ("[a", "a", true),
            ("[a", "b", false),
            ("[ab", "b", true),
            ("a[", "a[", false),
            ("[^]", "x", true),
            ("[^]", "]", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("\\", "\\", true),
            ("a\\", "a\\", true),
            ("\\a", "a", true),
            ("[a\\", "\\", true),
            ("[a\\", "a", true),
            ("[\\", "\\", true),
            ("**", "x", true),
            ("a**b", "ab", true),
            ("a**b", "axxb", true),
            ("*a*", "banana", true),
            ("*a*b", "aaa", false),
            ("h?llo", "hello", true),
            ("h*llo", "heeeello", true),
            ("h[ae]llo", "hallo", true),
            ("h[^e]llo", "hello", false),
            ("A", "a", false),
            ("[A-Z]", "a", false),
            ("a*", "a", true),
            ("a*?", "a", false),
            ("*?", "a", true),
            ("?*", "a", true),
            ("x*", "x", true),
            ("a[b-", "ab-", false),
            ("a[b-", "ab", true),
            ("[z-a]", "m", true),
            ("[!a]", "b", false),
            ("[!a]", "!", true),
            ("[a-c-e]", "d", false),
            ("[a-c-e]", "-", true),
            ("[a-c-e]", "e", true),
            ("*[", "a[", false),
            ("[[]", "[", true),
            ("[*]", "*", true),
            ("[*]", "a", false),
            ("[?]", "?", true),
            ("[?]", "a", false),
            ("a[]b", "a]b", false),
            ("a[]b", "ab", false),
            ("[\\\\-a]", "^", false),
            ("\\[a]", "[a]", true),
            ("*\\", "x\\", true),
            ("[^\\]]", "]", false),
            ("[^\\]]", "a", true),
        ];
        for &(pattern, string, expected) in cases {
            check(pattern, string, expected);
        }
    }

    /// Recorded with `SUBSCRIBE ""` + `PSUBSCRIBE *` + `PUBLISH "" hi` (one
    /// receiver) and `PUBSUB CHANNELS *` (empty).
    #[test]
    fn the_empty_string_matches_only_the_empty_pattern() {
        check("*", "", false);
        check("", "", true);
        check("", "a", false);
    }

    /// Recorded with KEYS: 1000 nested stars match, 1001 never do.
    #[test]
    fn deep_patterns_stop_at_a_thousand_stars() {
        let repeat = |s: &str, n: usize| -> String { s.repeat(n) };
        for (n, expected) in [(1000, true), (1001, false)] {
            let pattern = repeat("*a", n);
            check(&pattern, &repeat("a", n), expected);
            check(&pattern, &repeat("a", n + 5), expected);
        }
    }

    #[test]
    fn high_bytes_sort_below_ascii_in_ranges() {
        // [a-\xff] is [\xff-a] in signed chars: -1..=97.
        assert!(string_match(b"[a-\xff]", b"\x00", false));
        assert!(string_match(b"[a-\xff]", b"\xff", false));
        assert!(!string_match(b"[a-\xff]", b"\xfe", false));
        assert!(!string_match(b"[a-\xff]", b"b", false));
    }

    #[test]
    fn nocase_folds_ascii_letters_but_not_escapes_in_classes() {
        assert!(string_match(b"HeLLo*", b"hello world", true));
        assert!(string_match(b"[A-C]", b"b", true));
        assert!(string_match(b"[B]", b"b", true));
        assert!(!string_match(b"[\\B]", b"b", true));
        assert!(string_match(b"\\H", b"h", true));
    }
}
