//! The keyspace and its typed values.
//!
//! One keyspace (Redis's database 0). Keys are ordered bytes, so everything
//! that lists keys is deterministic.

pub mod cluster;
pub mod fields;
pub mod glob;
pub mod group;
pub mod stream;
pub mod stream_id;

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::redis::event::{Bytes, Name};
use crate::time::SimTime;
use stream::Stream;

/// A value stored at a key.
#[derive(Clone, Debug)]
pub enum Value {
    /// A string (SET, INCR, …): a flag, a counter, a value.
    String(Bytes),
    /// A list of strings (LPUSH, RPUSH, …): a queue.
    List(VecDeque<Bytes>),
    /// A stream (XADD, consumer groups, …): a log.
    Stream(alloc::boxed::Box<Stream>),
}

impl Value {
    /// The name TYPE replies with.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Stream(_) => "stream",
        }
    }
}

/// The error text Redis replies with when a command meets the wrong type.
pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

/// The keyspace.
#[derive(Clone, Debug, Default)]
pub struct Db {
    /// Keys are shared with the events that name them.
    keys: BTreeMap<Name, Value>,
    /// Each volatile key's deadline: Redis's `expires` dict, in simulated
    /// unix milliseconds. A key is expired once the clock is past it.
    expires: BTreeMap<Bytes, SimTime>,
    /// The same deadlines ordered by time, so the keys due can be found
    /// without walking every volatile key.
    deadlines: BTreeSet<(SimTime, Bytes)>,
}

/// `stored`, cloned (cheap), or a new name for `bytes`.
pub fn stored_or_new(stored: Option<&Name>, bytes: &[u8]) -> Name {
    stored.cloned().unwrap_or_else(|| Name::from(bytes))
}

impl Db {
    /// The value at `key`, if any.
    pub fn get(&self, key: &[u8]) -> Option<&Value> {
        self.keys.get(key)
    }

    /// The value at `key`, mutably.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut Value> {
        self.keys.get_mut(key)
    }

    /// The stored name of `key`, if it exists: cloning it is cheap, so
    /// events name the key with it.
    pub fn key_name(&self, key: &[u8]) -> Option<&Name> {
        self.keys.get_key_value(key).map(|(name, _)| name)
    }

    /// `key`'s stored name, or a new one if there is no such key.
    pub fn name_of(&self, key: &[u8]) -> Name {
        stored_or_new(self.key_name(key), key)
    }

    /// The stored names of stream `key` and its group `group` (new ones
    /// for what does not exist), for the events of a group command.
    pub fn group_names(&self, key: &[u8], group: &[u8]) -> (Name, Name) {
        let stored = match self.keys.get_key_value(key) {
            Some((name, Value::Stream(s))) => Some((name, s.groups.get_key_value(group))),
            _ => None,
        };
        let group_name = stored.and_then(|(_, g)| g.map(|(name, _)| name));
        (
            stored_or_new(stored.map(|(name, _)| name), key),
            stored_or_new(group_name, group),
        )
    }

    /// Stores `value` at `key`, replacing what was there.
    pub fn insert(&mut self, key: impl Into<Name>, value: Value) {
        self.keys.insert(key.into(), value);
    }

    /// Removes `key` (and its deadline), returning its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<Value> {
        self.persist(key);
        self.keys.remove(key)
    }

    /// Removes every key.
    pub fn clear(&mut self) {
        self.keys.clear();
        self.expires.clear();
        self.deadlines.clear();
    }

    /// When `key` expires, if it is volatile.
    pub fn expiry(&self, key: &[u8]) -> Option<SimTime> {
        self.expires.get(key).copied()
    }

    /// Makes the existing `key` expire at `at` (replacing any deadline).
    pub fn set_expiry(&mut self, key: &[u8], at: SimTime) {
        if !self.keys.contains_key(key) {
            return;
        }
        self.persist(key);
        self.expires.insert(key.to_vec(), at);
        self.deadlines.insert((at, key.to_vec()));
    }

    /// Removes `key`'s deadline; whether it had one (PERSIST).
    pub fn persist(&mut self, key: &[u8]) -> bool {
        match self.expires.remove(key) {
            Some(at) => {
                self.deadlines.remove(&(at, key.to_vec()));
                true
            }
            None => false,
        }
    }

    /// The first key whose deadline is before `now`, with Redis's rule
    /// that a key expires once the clock is strictly past its deadline.
    pub fn first_expired(&self, now: SimTime) -> Option<&Bytes> {
        self.deadlines
            .first()
            .filter(|(at, _)| *at < now)
            .map(|(_, key)| key)
    }

    /// How many keys have a deadline.
    pub fn volatile_len(&self) -> usize {
        self.expires.len()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every key and value, in byte order.
    pub fn iter(&self) -> impl Iterator<Item = (&Name, &Value)> {
        self.keys.iter()
    }

    /// The stream at `key`: `Ok(None)` if there is no key, `Err(WRONGTYPE)`
    /// if it holds something else.
    pub fn stream(&self, key: &[u8]) -> Result<Option<&Stream>, &'static str> {
        match self.keys.get(key) {
            None => Ok(None),
            Some(Value::Stream(s)) => Ok(Some(s)),
            Some(_) => Err(WRONGTYPE),
        }
    }

    /// The stream at `key`, mutably (see [`Db::stream`]).
    pub fn stream_mut(&mut self, key: &[u8]) -> Result<Option<&mut Stream>, &'static str> {
        match self.keys.get_mut(key) {
            None => Ok(None),
            Some(Value::Stream(s)) => Ok(Some(s)),
            Some(_) => Err(WRONGTYPE),
        }
    }

    /// The string at `key` (see [`Db::stream`]).
    pub fn string(&self, key: &[u8]) -> Result<Option<&Bytes>, &'static str> {
        match self.keys.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(WRONGTYPE),
        }
    }

    /// The list at `key` (see [`Db::stream`]).
    pub fn list(&self, key: &[u8]) -> Result<Option<&VecDeque<Bytes>>, &'static str> {
        match self.keys.get(key) {
            None => Ok(None),
            Some(Value::List(l)) => Ok(Some(l)),
            Some(_) => Err(WRONGTYPE),
        }
    }

    /// The list at `key`, mutably (see [`Db::stream`]).
    pub fn list_mut(&mut self, key: &[u8]) -> Result<Option<&mut VecDeque<Bytes>>, &'static str> {
        match self.keys.get_mut(key) {
            None => Ok(None),
            Some(Value::List(l)) => Ok(Some(l)),
            Some(_) => Err(WRONGTYPE),
        }
    }
}
