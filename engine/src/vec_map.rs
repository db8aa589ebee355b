//! `VecMap`: a map kept as a vector sorted by key, for the world's small
//! maps of large values.
//!
//! The world is copied into a snapshot every 512 actions, and a copy of a
//! `BTreeMap` allocates whole nodes of eleven slots however few entries
//! there are: a server's handful of 240-byte clients took 2.7 KB a
//! snapshot, a stream's one consumer group almost 1 KB. A vector copies
//! only the entries there are. Lookups are binary searches and the maps
//! hold a few entries, so they cost what a `BTreeMap`'s do; iteration is
//! in key order, as a `BTreeMap`'s (and Redis's radix trees') is.

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::ops::Index;

/// A map kept as a vector sorted by key (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap(Vec::new())
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// No entries.
    pub fn new() -> Self {
        VecMap(Vec::new())
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| &self.0[at].1)
    }

    /// The value of `key`, mutably.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| &mut self.0[at].1)
    }

    /// The key as stored, and its value.
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| (&self.0[at].0, &self.0[at].1))
    }

    /// Whether `key` has a value.
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }

    /// Sets `key`'s value; returns the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => Some(core::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                self.0.insert(at, (key, value));
                None
            }
        }
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|at| self.0.remove(at).1)
    }

    /// The entries, in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The values, in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    /// How many entries there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

impl<K: Ord + Borrow<Q>, Q: Ord + ?Sized, V> Index<&Q> for VecMap<K, V> {
    type Output = V;

    /// # Panics
    /// If `key` has no value, as a `BTreeMap` does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter =
        core::iter::Map<core::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;

    #[test]
    fn it_answers_as_a_btree_map_does() {
        let mut ours = VecMap::new();
        let mut theirs = BTreeMap::new();
        // Keys in a scrambled order, some twice, some removed.
        for i in 0..200u32 {
            let k = (i * 37) % 61;
            assert_eq!(ours.insert(k, i), theirs.insert(k, i));
            if i % 7 == 0 {
                let gone = (i * 11) % 61;
                assert_eq!(ours.remove(&gone), theirs.remove(&gone));
            }
        }
        assert!(ours.iter().eq(theirs.iter()));
        assert!(ours.values().rev().eq(theirs.values().rev()));
        assert_eq!(ours.len(), theirs.len());
        for k in 0..70 {
            assert_eq!(ours.get(&k), theirs.get(&k));
            assert_eq!(ours.contains_key(&k), theirs.contains_key(&k));
            assert_eq!(ours.get_key_value(&k), theirs.get_key_value(&k));
        }
        if let Some(v) = ours.get_mut(&3) {
            *v = 9;
        }
        assert_eq!(ours[&3], 9);
        // A copy holds only its entries.
        assert_eq!(ours.clone().0.capacity(), ours.len());
    }
}
