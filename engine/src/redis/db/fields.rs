//! A stream entry's fields and values, kept in one block of bytes.
//!
//! An entry is written once (XADD) and then only read — by replies, the
//! stage and the trace — so its strings need no allocation of their own.
//! Kept as a vector of owned pairs, an entry of one short field cost four
//! allocations and about 150 bytes (the vector, its buffer, a field and a
//! value); a run of a million messages held 150 MB of them. In one block it
//! is one allocation of the strings' bytes and four bytes of length each,
//! as Redis's listpack keeps them end to end.

use alloc::vec::Vec;
use core::fmt;

/// How a string's length is written before it: four bytes, little-endian.
const LEN: usize = 4;

/// Fields and values, in the order they were added, end to end: each
/// string is its length (four bytes, little-endian) then its bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Fields {
    block: alloc::boxed::Box<[u8]>,
    /// How many field-value pairs the block holds.
    pairs: u32,
}

impl Fields {
    /// The fields of `pairs`, in order; `None` if a string is 4 GiB or
    /// longer (its length would not fit: see [`Fields::from_flat`]).
    pub fn new<F, V>(pairs: impl IntoIterator<Item = (F, V)>) -> Option<Fields>
    where
        F: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        let mut block = Vec::new();
        let mut count = 0u32;
        for (field, value) in pairs {
            push(&mut block, field.as_ref())?;
            push(&mut block, value.as_ref())?;
            count = count.checked_add(1)?;
        }
        Some(Fields {
            block: block.into_boxed_slice(),
            pairs: count,
        })
    }

    /// The fields of a command's arguments, field and value alternating
    /// (an odd last argument is left out); `None` if a string is 4 GiB or
    /// longer — more than a listpack holds, which XADD refuses as Redis
    /// does ("Elements are too large to be stored").
    pub fn from_flat<A: AsRef<[u8]>>(flat: &[A]) -> Option<Fields> {
        let flat = &flat[..flat.len() - flat.len() % 2];
        // Sized first, so the block is allocated once and never moved.
        let size = flat.iter().map(|s| LEN + s.as_ref().len()).sum();
        let mut block = Vec::with_capacity(size);
        for s in flat {
            push(&mut block, s.as_ref())?;
        }
        Some(Fields {
            block: block.into_boxed_slice(),
            pairs: u32::try_from(flat.len() / 2).ok()?,
        })
    }

    /// How many field-value pairs there are.
    pub fn len(&self) -> usize {
        self.pairs as usize
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }

    /// The pairs, in order.
    pub fn iter(&self) -> Pairs<'_> {
        Pairs { rest: &self.block }
    }

    /// The value of `field` (the first pair that has it).
    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        self.iter().find(|(f, _)| *f == field).map(|(_, v)| v)
    }
}

/// Writes `s` after its length; `None` if the length does not fit in
/// [`LEN`] bytes.
fn push(block: &mut Vec<u8>, s: &[u8]) -> Option<()> {
    let len = u32::try_from(s.len()).ok()?;
    block.extend_from_slice(&len.to_le_bytes());
    block.extend_from_slice(s);
    Some(())
}

/// The pairs of a [`Fields`], in order.
#[derive(Clone)]
pub struct Pairs<'a> {
    rest: &'a [u8],
}

impl<'a> Pairs<'a> {
    fn string(&mut self) -> Option<&'a [u8]> {
        let (len, rest) = self.rest.split_first_chunk::<LEN>()?;
        let (s, rest) = rest.split_at(u32::from_le_bytes(*len) as usize);
        self.rest = rest;
        Some(s)
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let field = self.string()?;
        let value = self.string()?;
        Some((field, value))
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a [u8], &'a [u8]);
    type IntoIter = Pairs<'a>;

    fn into_iter(self) -> Pairs<'a> {
        self.iter()
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Written as the vector of pairs it replaces (`[[field, value], …]`, each
/// string a sequence of bytes): traces and their fingerprints are
/// unchanged.
impl serde::Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for pair in self {
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(Vec<u8>, Vec<u8>)>::deserialize(deserializer)?;
        Fields::new(pairs).ok_or_else(|| serde::de::Error::custom("a field of 4 GiB or more"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_come_back_in_order_and_empty_strings_survive() {
        let fields = Fields::new([("msg", "order-1"), ("", "x"), ("n", "")]).unwrap();
        let pairs: Vec<_> = fields.iter().collect();
        assert_eq!(
            pairs,
            [
                (&b"msg"[..], &b"order-1"[..]),
                (&b""[..], &b"x"[..]),
                (&b"n"[..], &b""[..])
            ]
        );
        assert_eq!(fields.len(), 3);
        assert_eq!(fields.get(b"msg"), Some(&b"order-1"[..]));
        assert_eq!(fields.get(b"nope"), None);
    }

    #[test]
    fn an_odd_argument_is_left_out() {
        let args = [b"a".to_vec(), b"1".to_vec(), b"b".to_vec()];
        assert_eq!(Fields::from_flat(&args), Fields::new([("a", "1")]));
        assert!(Fields::from_flat::<Vec<u8>>(&[]).unwrap().is_empty());
    }

    #[test]
    fn serialized_as_the_vector_of_pairs_it_replaces() {
        let pairs = alloc::vec![
            (b"msg".to_vec(), b"hi".to_vec()),
            (b"n".to_vec(), b"7".to_vec())
        ];
        let fields = Fields::new(pairs.iter().map(|(f, v)| (f, v))).unwrap();
        let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
        assert_eq!(
            postcard::to_slice(&fields, &mut a).unwrap(),
            postcard::to_slice(&pairs, &mut b).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&fields).unwrap(),
            serde_json::to_string(&pairs).unwrap()
        );
        let back: Fields = serde_json::from_str(&serde_json::to_string(&pairs).unwrap()).unwrap();
        assert_eq!(back, fields);
    }
}
