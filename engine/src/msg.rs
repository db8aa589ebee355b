//! Message identity, shared by every broker model: which producer sent a
//! message and its number. Its text form, `<producer>-<n>`, travels inside
//! the message itself (a stream entry's `msg` field, the first word of a
//! list value or a pub/sub payload), so a consumer knows what it got the way
//! a real application does: by reading the payload.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

/// A message of the run: its producer (index in the scenario) and its
/// number (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MsgRef {
    /// Index of the producer in the scenario.
    pub producer: u16,
    /// 1-based message number of that producer.
    pub seq: u32,
}

/// A message's text form: `<producer name>-<n>`.
pub fn msg_text(producer: &str, seq: u32) -> String {
    let mut text = Vec::with_capacity(producer.len() + 11);
    write_msg_text(&mut text, producer, seq);
    // A name and digits: UTF-8 by construction.
    String::from_utf8(text).unwrap_or_default()
}

/// Writes [`msg_text`] to `out`: a producer's command carries the text in
/// place, not built apart first.
pub fn write_msg_text(out: &mut impl Extend<u8>, producer: &str, seq: u32) {
    out.extend(producer.bytes());
    out.extend([b'-']);
    crate::redis::db::stream_id::write_u64(out, seq.into());
}

/// What every process may know of the run's messages: the producers'
/// names (to turn a payload back into a [`MsgRef`]) and which messages are
/// poison (no worker can ever process them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MsgCatalog {
    names: Rc<[String]>,
    poison: Rc<[alloc::vec::Vec<u32>]>,
}

impl MsgCatalog {
    /// Producer names and their poison message numbers, in scenario order.
    pub fn new(producers: impl IntoIterator<Item = (String, alloc::vec::Vec<u32>)>) -> MsgCatalog {
        let (names, poison): (alloc::vec::Vec<_>, alloc::vec::Vec<_>) =
            producers.into_iter().unzip();
        MsgCatalog {
            names: names.into(),
            poison: poison.into(),
        }
    }

    /// Whether no worker can process `msg`.
    pub fn is_poison(&self, msg: MsgRef) -> bool {
        self.poison
            .get(usize::from(msg.producer))
            .is_some_and(|p| p.contains(&msg.seq))
    }

    /// The message a payload names (`<producer>-<n>`, or its first word),
    /// if any.
    pub fn parse(&self, payload: &[u8]) -> Option<MsgRef> {
        // On bytes, without building text: every delivery is parsed.
        let word = first_word(payload);
        let dash = word.iter().rposition(|&b| b == b'-')?;
        let (name, digits) = (&word[..dash], &word[dash + 1..]);
        if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let seq = digits.iter().try_fold(0u32, |n, d| {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        })?;
        let producer = self.names.iter().position(|p| p.as_bytes() == name)?;
        Some(MsgRef {
            producer: u16::try_from(producer).ok()?,
            seq: (seq > 0).then_some(seq)?,
        })
    }

    /// A message's text form (`orders-7`; `?-7` for an unknown producer).
    pub fn text(&self, msg: MsgRef) -> String {
        let name = self
            .names
            .get(usize::from(msg.producer))
            .map_or("?", String::as_str);
        msg_text(name, msg.seq)
    }
}

/// The first word of a list value or a pub/sub payload: the message ID
/// producers put there.
pub fn first_word(bytes: &[u8]) -> &[u8] {
    bytes.split(|&b| b == b' ').next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn payloads_name_messages() {
        let names = MsgCatalog::new([("orders".into(), vec![]), ("pay-ments".into(), vec![2])]);
        let m = MsgRef {
            producer: 1,
            seq: 7,
        };
        assert_eq!(names.parse(b"pay-ments-7 amount=3"), Some(m));
        assert_eq!(names.text(m), "pay-ments-7");
        assert_eq!(names.parse(b"orders-0"), None);
        assert_eq!(names.parse(b"nobody-1"), None);
        assert_eq!(names.parse(b"\xff-1"), None);
        assert_eq!(names.parse(b"orders-99999999999"), None);
        assert_eq!(names.parse(b"orders-+1"), None);
        assert!(names.is_poison(MsgRef {
            producer: 1,
            seq: 2
        }));
        assert!(!names.is_poison(m));
    }
}
