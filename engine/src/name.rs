//! `Name`: a shared, immutable byte string — a key, a group, a consumer,
//! a channel, a worker — made once and cloned into every event that
//! names it.
//!
//! A run of a million messages has millions of trace events, and nearly
//! every one names a stream, a group or a worker. As owned byte strings
//! (`Vec<u8>`) each name was a heap block of its own per event, copied
//! when the event was made and freed when it was dropped; a `Name` is one
//! pointer, and cloning it bumps a count. It is thin (`Rc<Box<[u8]>>`, one
//! word) because events carry up to four names and the largest event
//! sets the size of all of them.
//!
//! It serializes exactly as the `Vec<u8>` it replaces (a length and the
//! bytes in postcard, an array of numbers in JSON), so the trace's
//! fingerprints do not depend on it.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::ops::Deref;

/// A shared, immutable byte string (see the module's documentation).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(Rc<Box<[u8]>>);

impl Name {
    /// The bytes (named as `Vec::as_slice`, which it replaces).
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, copied into a vector of their own.
    pub fn to_vec(&self) -> Vec<u8> {
        self.0.to_vec()
    }

    /// Where the bytes are shared from: two names with the same address
    /// are clones of one (the trace recognizes a name it has seen by it,
    /// before comparing bytes).
    pub(crate) fn addr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

/// The empty name.
impl Default for Name {
    fn default() -> Self {
        Name::from(&b""[..])
    }
}

impl Deref for Name {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Name {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Borrow<[u8]> for Name {
    fn borrow(&self) -> &[u8] {
        &self.0
    }
}

impl From<&[u8]> for Name {
    fn from(bytes: &[u8]) -> Self {
        Name(Rc::new(Box::from(bytes)))
    }
}

impl<const N: usize> From<&[u8; N]> for Name {
    fn from(bytes: &[u8; N]) -> Self {
        Name::from(&bytes[..])
    }
}

impl From<Vec<u8>> for Name {
    fn from(bytes: Vec<u8>) -> Self {
        Name(Rc::new(bytes.into_boxed_slice()))
    }
}

/// A command's argument ([`crate::redis::parse::Arg`]) as a name: copied
/// once, from where it is (no need to clone the argument first).
impl<A: smallvec::Array<Item = u8>> From<&smallvec::SmallVec<A>> for Name {
    fn from(bytes: &smallvec::SmallVec<A>) -> Self {
        Name::from(&bytes[..])
    }
}

impl From<&Vec<u8>> for Name {
    fn from(bytes: &Vec<u8>) -> Self {
        Name::from(&bytes[..])
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Self {
        Name::from(text.as_bytes())
    }
}

impl From<Name> for Vec<u8> {
    fn from(name: Name) -> Self {
        name.to_vec()
    }
}

/// As the byte string's `Debug`, so test output reads as before.
impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self.0, f)
    }
}

impl PartialEq<[u8]> for Name {
    fn eq(&self, other: &[u8]) -> bool {
        **self.0 == *other
    }
}

impl PartialEq<&[u8]> for Name {
    fn eq(&self, other: &&[u8]) -> bool {
        **self.0 == **other
    }
}

impl<const N: usize> PartialEq<[u8; N]> for Name {
    fn eq(&self, other: &[u8; N]) -> bool {
        **self.0 == other[..]
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for Name {
    fn eq(&self, other: &&[u8; N]) -> bool {
        **self.0 == other[..]
    }
}

impl PartialEq<Vec<u8>> for Name {
    fn eq(&self, other: &Vec<u8>) -> bool {
        **self.0 == other[..]
    }
}

impl PartialEq<Name> for [u8] {
    fn eq(&self, other: &Name) -> bool {
        *self == **other.0
    }
}

impl PartialEq<Name> for &[u8] {
    fn eq(&self, other: &Name) -> bool {
        **self == **other.0
    }
}

impl PartialEq<Name> for Vec<u8> {
    fn eq(&self, other: &Name) -> bool {
        self[..] == **other.0
    }
}

/// As `Vec<u8>` (serde's `serialize_bytes` writes what a sequence of `u8`
/// writes, in postcard and in JSON, and in one call).
impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self)
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(deserializer).map(Name::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postcard(value: &impl serde::Serialize) -> Vec<u8> {
        let mut buf = [0u8; 512];
        postcard::to_slice(value, &mut buf).unwrap().to_vec()
    }

    #[test]
    fn encodes_as_the_byte_string_it_replaces() {
        for bytes in [&b""[..], b"load", &[0u8, 200, 255, 7][..], &[b'x'; 300][..]] {
            let name = Name::from(bytes);
            let vec = bytes.to_vec();
            assert_eq!(postcard(&name), postcard(&vec));
            assert_eq!(
                serde_json::to_string(&name).unwrap(),
                serde_json::to_string(&vec).unwrap()
            );
            let back: Name = postcard::from_bytes(&postcard(&vec)).unwrap();
            assert_eq!(back, name);
            let back: Name = serde_json::from_str(&serde_json::to_string(&vec).unwrap()).unwrap();
            assert_eq!(back, name);
        }
    }

    #[test]
    fn is_one_word() {
        assert_eq!(core::mem::size_of::<Name>(), core::mem::size_of::<usize>());
        assert_eq!(
            core::mem::size_of::<Option<Name>>(),
            core::mem::size_of::<usize>()
        );
    }
}
