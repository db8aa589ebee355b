//! A Redis stream: an append-only log of entries, plus its consumer groups.
//!
//! Entries are kept in a map by ID, but Redis stores them in *nodes*
//! (listpacks of at most 100 entries or 4096 bytes) hanging off a radix
//! tree, and that storage shows through in replies: approximate trimming
//! (`MAXLEN ~`) only drops whole nodes, XDEL leaves tombstones inside a node,
//! and XINFO STREAM reports `radix-tree-keys` and `radix-tree-nodes`. So this
//! module also keeps a model of the nodes — which entries each holds,
//! deleted or not, and its size in bytes as listpack encodes it.

use alloc::rc::Rc;
use alloc::vec::Vec;

use rpds::RedBlackTreeMap;

use super::group::ConsumerGroup;
use super::stream_id::StreamId;
use crate::redis::event::{Bytes, Name};
use crate::redis::parse::parse_i64;
use crate::vec_map::VecMap;

pub use super::fields::Fields;

/// `stream-node-max-entries`: entries (live or deleted) per node.
pub const NODE_MAX_ENTRIES: u64 = 100;
/// `stream-node-max-bytes`: a node stops taking entries near this size.
pub const NODE_MAX_BYTES: usize = 4096;
/// The largest listpack Redis builds (`STREAM_LISTPACK_MAX_SIZE`).
const LISTPACK_MAX_SIZE: usize = 1 << 30;

/// One entry as stored in a node. Its fields are shared (`Rc`), so that
/// copying a node — when a snapshot of the world still holds it — copies
/// pointers, not payloads.
#[derive(Clone, Debug)]
struct Item {
    id: StreamId,
    deleted: bool,
    fields: Rc<Fields>,
}

/// One storage node: a listpack whose first ("master") entry's ID is its
/// key in the radix tree. Nodes are shared between copies of a stream and
/// copied on write, so a snapshot of a 100,000-entry stream costs a few
/// pointers per node.
#[derive(Clone, Debug)]
struct Node {
    /// Field names of the master entry; later entries with the same fields
    /// are stored without them.
    master_fields: Vec<Bytes>,
    /// Every entry written to the node, in ID order, deleted ones included.
    items: Vec<Item>,
    /// Entries not deleted.
    live: u64,
    /// Entries flagged deleted (tombstones).
    deleted: u64,
    /// The listpack's size in bytes.
    bytes: usize,
}

/// How XADD or XTRIM trims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trim {
    /// `MAXLEN n`: keep at most `n` entries.
    MaxLen(u64),
    /// `MINID id`: drop entries with smaller IDs.
    MinId(StreamId),
}

/// Why XADD could not append.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppendError {
    /// The ID is not greater than the stream's last ID.
    NotGreater,
    /// The fields and values together exceed the listpack limit.
    TooLarge,
}

/// A stream value.
#[derive(Clone, Debug, Default)]
pub struct Stream {
    /// Nodes by the ID of their master entry, in a persistent map: a
    /// snapshot of the world shares the map with the running stream
    /// (copying it copies one pointer), and a write copies only the path
    /// to the node it changes.
    nodes: RedBlackTreeMap<StreamId, Rc<Node>>,
    /// Live entries.
    length: u64,
    /// The ID of the last entry ever added (or set by XSETID).
    pub last_id: StreamId,
    /// The first live entry's ID as Redis records it (`0-0` when empty).
    pub first_id: StreamId,
    /// The greatest ID ever deleted by XDEL (`0-0` if none).
    pub max_deleted_entry_id: StreamId,
    /// How many entries were ever added (XADD count, or XSETID's value).
    pub entries_added: u64,
    /// Consumer groups by name.
    pub groups: VecMap<Name, ConsumerGroup>,
}

impl Stream {
    /// An empty stream.
    pub fn new() -> Self {
        Stream::default()
    }

    /// How many entries the stream holds.
    pub fn len(&self) -> u64 {
        self.length
    }

    /// Whether the stream holds no entries.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The node that holds (or would hold) `id`, and its master ID.
    fn node_of(&self, id: StreamId) -> Option<(StreamId, &Rc<Node>)> {
        // Most lookups are of recent entries, in the tail node, or start
        // before the first: `last` and `first` answer those without
        // building the range iterator's stack.
        match (self.nodes.first(), self.nodes.last()) {
            (_, Some((m, n))) if *m <= id => Some((*m, n)),
            (Some((first, _)), _) if id < *first => None,
            _ => self.nodes.range(..=id).next_back().map(|(m, n)| (*m, n)),
        }
    }

    /// Entry `id` as stored, deleted or not.
    fn item(&self, id: StreamId) -> Option<&Item> {
        let (_, node) = self.node_of(id)?;
        let at = node.items.binary_search_by_key(&id, |item| item.id).ok()?;
        Some(&node.items[at])
    }

    /// The fields of entry `id`, if it exists.
    pub fn get(&self, id: StreamId) -> Option<&Fields> {
        self.item(id)
            .filter(|item| !item.deleted)
            .map(|item| &*item.fields)
    }

    /// Like [`Stream::get`], the fields as the stream shares them.
    pub fn get_shared(&self, id: StreamId) -> Option<&Rc<Fields>> {
        self.item(id)
            .filter(|item| !item.deleted)
            .map(|item| &item.fields)
    }

    /// Whether entry `id` exists (and is not deleted).
    pub fn contains(&self, id: StreamId) -> bool {
        self.get(id).is_some()
    }

    /// Live items with IDs in `start..=end`, oldest first.
    fn items(&self, start: StreamId, end: StreamId) -> impl DoubleEndedIterator<Item = &Item> {
        let empty = start > end;
        let first_node = self.node_of(start).map_or(start, |(m, _)| m);
        let (lo, hi) = if empty {
            (end, end)
        } else {
            (first_node.min(end), end)
        };
        // A range that starts in the tail node (a group reading what was
        // just added, nearly every read) is that node's alone: the tree's
        // range iterator, which allocates its stack, is not needed.
        let (tail, rest) = match self.nodes.last() {
            Some((&m, node)) if m <= lo => ((m == lo && m <= hi).then_some(node), None),
            _ => (None, Some(self.nodes.range(lo..=hi).map(|(_, node)| node))),
        };
        // A node's items are in ID order: each node gives the slice in
        // `start..=end` by binary search, so reading the newest entry does
        // not walk the up to 100 older ones of the tail node.
        tail.into_iter()
            .chain(rest.into_iter().flatten())
            .flat_map(move |node| {
                let items = &node.items[..];
                let from = items.partition_point(|item| item.id < start);
                let to = items.partition_point(|item| item.id <= end).max(from);
                items[from..to].iter()
            })
            .filter(|item| !item.deleted)
    }

    /// Entries with IDs in `start..=end`, oldest first.
    pub fn range(
        &self,
        start: StreamId,
        end: StreamId,
    ) -> impl DoubleEndedIterator<Item = (&StreamId, &Fields)> {
        self.items(start, end).map(|item| (&item.id, &*item.fields))
    }

    /// Like [`Stream::range`], but each entry's fields come as the shared
    /// pointer the stream stores them behind (copying it copies nothing).
    pub fn range_shared(
        &self,
        start: StreamId,
        end: StreamId,
    ) -> impl DoubleEndedIterator<Item = (StreamId, &Rc<Fields>)> {
        self.items(start, end).map(|item| (item.id, &item.fields))
    }

    /// The first live entry.
    pub fn first_entry(&self) -> Option<(&StreamId, &Fields)> {
        self.range(StreamId::ZERO, StreamId::MAX).next()
    }

    /// The last live entry.
    pub fn last_entry(&self) -> Option<(&StreamId, &Fields)> {
        // Usually in the tail node: look there before walking the range.
        let tail = self
            .nodes
            .last()
            .and_then(|(_, node)| node.items.iter().rev().find(|i| !i.deleted));
        if let Some(item) = tail {
            return Some((&item.id, &*item.fields));
        }
        self.range(StreamId::ZERO, StreamId::MAX).next_back()
    }

    /// The last live entry's ID (Redis's `streamLastValidID`), or `0-0`.
    pub fn last_valid_id(&self) -> StreamId {
        self.last_entry().map_or(StreamId::ZERO, |(id, _)| *id)
    }

    /// The ID `*` would give at `now_ms` (Redis's `streamNextID`): the clock
    /// if it is ahead of the last ID, else the last ID plus one.
    pub fn next_auto_id(&self, now_ms: u64) -> Option<StreamId> {
        if now_ms > self.last_id.ms {
            Some(StreamId::new(now_ms, 0))
        } else {
            self.last_id.next()
        }
    }

    /// The ID `ms-*` would give: the next sequence in that millisecond.
    /// `None` if the sequence is exhausted.
    pub fn next_id_in_ms(&self, ms: u64) -> Option<StreamId> {
        if self.last_id.ms == ms {
            self.last_id
                .seq
                .checked_add(1)
                .map(|seq| StreamId::new(ms, seq))
        } else {
            Some(StreamId::new(ms, 0))
        }
    }

    /// Appends an entry with the given ID (Redis's `streamAppendItem`).
    pub fn append(&mut self, id: StreamId, fields: Rc<Fields>) -> Result<(), AppendError> {
        if id <= self.last_id {
            return Err(AppendError::NotGreater);
        }
        let payload: usize = fields.iter().map(|(f, v)| f.len() + v.len()).sum();
        if payload > LISTPACK_MAX_SIZE {
            return Err(AppendError::TooLarge);
        }
        let tail_has_room = self.nodes.last().is_some_and(|(_, node)| {
            node.bytes + payload < NODE_MAX_BYTES && node.live + node.deleted < NODE_MAX_ENTRIES
        });
        if !tail_has_room {
            self.nodes
                .insert_mut(id, Rc::new(Node::with_master(&fields)));
        }
        let master_id = *self.nodes.last().expect("a tail node exists").0;
        let node = self.nodes.get_mut(&master_id).expect("the tail node");
        Rc::make_mut(node).push(master_id, id, fields);
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
        Ok(())
    }

    /// Deletes one entry (XDEL): flags it deleted in its node, and drops
    /// the node when it was the node's last live entry.
    pub fn delete(&mut self, id: StreamId) -> bool {
        if !self.contains(id) {
            return false;
        }
        let (master_id, node) = self.node_of(id).expect("a live entry has a node");
        if node.live == 1 {
            self.nodes.remove_mut(&master_id);
        } else if let Some(node) = self.nodes.get_mut(&master_id) {
            Rc::make_mut(node).mark_deleted(id);
        }
        self.length -= 1;
        if id > self.max_deleted_entry_id {
            self.max_deleted_entry_id = id;
        }
        if self.is_empty() {
            self.first_id = StreamId::ZERO;
        } else if self.first_id == id {
            self.first_id = self.first_live_id();
        }
        true
    }

    fn first_live_id(&self) -> StreamId {
        self.first_entry().map_or(StreamId::ZERO, |(id, _)| *id)
    }

    /// Trims from the head (Redis's `streamTrim`): whole nodes while they
    /// can go entirely; then, unless `approx`, entries one by one inside
    /// the next node. `limit` (approximate trimming only; 0 = none) caps how
    /// many entries may be removed. Returns the IDs removed, oldest first.
    pub fn trim(&mut self, trim: Trim, approx: bool, limit: u64) -> Vec<StreamId> {
        let mut removed = Vec::new();
        while let Some((&master_id, node)) = self.nodes.first() {
            if let Trim::MaxLen(max) = trim
                && self.len() <= max
            {
                break;
            }
            let live = node.live;
            if limit != 0 && removed.len() as u64 + live > limit {
                break;
            }
            let remove_node = match trim {
                Trim::MaxLen(max) => self.len() - live >= max,
                // Redis compares the node's last entry, deleted or not.
                Trim::MinId(min) => node.items.last().is_some_and(|item| item.id < min),
            };
            if remove_node {
                let node = node.clone();
                self.nodes.remove_mut(&master_id);
                removed.extend(node.items.iter().filter(|i| !i.deleted).map(|i| i.id));
                self.length -= live;
                continue;
            }
            if !approx {
                self.trim_inside(master_id, trim, &mut removed);
            }
            break;
        }
        if self.is_empty() {
            self.first_id = StreamId::ZERO;
        } else if !removed.is_empty() {
            self.first_id = self.first_live_id();
        }
        removed
    }

    /// Exact trimming inside the node at `master_id`: flags entries deleted
    /// from its start until the trim is satisfied.
    fn trim_inside(&mut self, master_id: StreamId, trim: Trim, removed: &mut Vec<StreamId>) {
        let mut length = self.length;
        let Some(node) = self.nodes.get_mut(&master_id) else {
            return;
        };
        let node = Rc::make_mut(node);
        for item in &mut node.items {
            let stop = match trim {
                Trim::MaxLen(max) => length <= max,
                Trim::MinId(min) => item.id >= min,
            };
            if stop {
                break;
            }
            if !item.deleted {
                item.deleted = true;
                node.live -= 1;
                node.deleted += 1;
                length -= 1;
                removed.push(item.id);
            }
        }
        self.length = length;
    }

    /// `radix-tree-keys`: how many nodes the stream has.
    pub fn radix_tree_keys(&self) -> u64 {
        self.nodes.size() as u64
    }

    /// `radix-tree-nodes`: how many nodes Redis's radix tree has for the
    /// node keys (16-byte big-endian master IDs). Redis keeps the tree
    /// compressed — chains of single-child nodes are merged, on insertion
    /// and on removal — so the count is that of the compressed trie.
    pub fn radix_tree_nodes(&self) -> u64 {
        let keys: Vec<[u8; 16]> = self.nodes.keys().map(|id| id.to_be_bytes()).collect();
        if keys.is_empty() {
            return 1;
        }
        compressed_trie_nodes(&keys, 0)
    }

    /// Whether an entry between `start` and the end was ever deleted
    /// (Redis's `streamRangeHasTombstones` with no end).
    pub fn has_tombstones_from(&self, start: StreamId) -> bool {
        if self.is_empty() || self.max_deleted_entry_id == StreamId::ZERO {
            return false;
        }
        if self.first_id > self.max_deleted_entry_id {
            return false;
        }
        start <= self.max_deleted_entry_id
    }

    /// The logical read counter of `id`: how many entries were added up to
    /// and including it, when that can be known without a scan (Redis's
    /// `streamEstimateDistanceFromFirstEverEntry`); `None` when it cannot.
    pub fn estimate_entries_read(&self, id: StreamId) -> Option<u64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.is_empty() && id <= self.last_id {
            return Some(self.entries_added);
        }
        match id.cmp(&self.last_id) {
            core::cmp::Ordering::Equal => return Some(self.entries_added),
            core::cmp::Ordering::Greater => return None,
            core::cmp::Ordering::Less => {}
        }
        let no_fragmentation = self.max_deleted_entry_id == StreamId::ZERO
            || self.max_deleted_entry_id < self.first_id;
        if no_fragmentation {
            let before_first = self.entries_added.wrapping_sub(self.len());
            match id.cmp(&self.first_id) {
                core::cmp::Ordering::Less => return Some(before_first),
                core::cmp::Ordering::Equal => return Some(before_first.wrapping_add(1)),
                core::cmp::Ordering::Greater => {}
            }
        }
        None
    }

    /// A group's lag (XINFO GROUPS): entries not yet delivered to it, or
    /// `None` (Redis replies nil) when fragmentation makes it unknowable.
    pub fn group_lag(&self, group: &ConsumerGroup) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if let Some(read) = group.entries_read
            && !self.has_tombstones_from(group.last_id)
        {
            return Some((self.entries_added as i64).wrapping_sub(read));
        }
        let read = self.estimate_entries_read(group.last_id)?;
        Some((self.entries_added as i64).wrapping_sub(read as i64))
    }

    /// Moves a group's cursor to `id` as delivering that entry does, and
    /// keeps its read counter when it can (Redis's `streamReplyWithRange`).
    pub fn advance_group(&mut self, group_name: &[u8], id: StreamId) {
        let tombstones = self.has_tombstones_from(id);
        let estimate = if self.entries_added != 0 {
            Some(self.estimate_entries_read(id))
        } else {
            None
        };
        let Some(group) = self.groups.get_mut(group_name) else {
            return;
        };
        if id <= group.last_id {
            return;
        }
        match group.entries_read {
            Some(read) if !tombstones => group.entries_read = Some(read.wrapping_add(1)),
            _ => {
                if let Some(estimate) = estimate {
                    group.entries_read = estimate.map(|n| n as i64);
                }
            }
        }
        group.last_id = id;
    }
}

impl Node {
    /// A new node whose master entry takes `fields`' names.
    fn with_master(fields: &Fields) -> Node {
        let master_fields: Vec<Bytes> = fields.iter().map(|(f, _)| f.to_vec()).collect();
        // Header and end byte, then count, deleted, field count, the
        // fields, and the master entry's zero terminator.
        let mut bytes = 6 + 1;
        bytes += lp_int_size(1) + lp_int_size(0) + lp_int_size(master_fields.len() as i64);
        bytes += master_fields.iter().map(|f| lp_str_size(f)).sum::<usize>();
        bytes += lp_int_size(0);
        Node {
            master_fields,
            items: Vec::new(),
            live: 0,
            deleted: 0,
            bytes,
        }
    }

    /// Writes one entry, counting its bytes as listpack would.
    fn push(&mut self, master_id: StreamId, id: StreamId, fields: Rc<Fields>) {
        let same_fields = fields.len() == self.master_fields.len()
            && fields
                .iter()
                .zip(&self.master_fields)
                .all(|((f, _), m)| f == m);
        let flags = if same_fields { 2 } else { 0 };
        let ms_diff = id.ms.wrapping_sub(master_id.ms) as i64;
        let seq_diff = id.seq.wrapping_sub(master_id.seq) as i64;
        let mut size = lp_int_size(flags) + lp_int_size(ms_diff) + lp_int_size(seq_diff);
        let n = fields.len() as i64;
        if !same_fields {
            size += lp_int_size(n);
        }
        for (field, value) in fields.iter() {
            if !same_fields {
                size += lp_str_size(field);
            }
            size += lp_str_size(value);
        }
        let lp_count = if same_fields { n + 3 } else { 2 * n + 4 };
        size += lp_int_size(lp_count);
        // The master entry's live count is rewritten in place; it stays
        // below 128 (one byte) because a node holds at most 100 entries.
        self.bytes += size;
        if self.items.len() == self.items.capacity() {
            // Doubling would leave a full node room for 128 entries of
            // its 100 (a snapshot's copy of the tail node, made as long as
            // it was, grows the same way): a million-entry stream held 7 MB
            // of room no entry would take.
            let room = (2 * self.items.len()).clamp(4, NODE_MAX_ENTRIES as usize);
            self.items
                .reserve_exact(room.saturating_sub(self.items.len()).max(1));
        }
        self.items.push(Item {
            id,
            deleted: false,
            fields,
        });
        self.live += 1;
    }

    fn mark_deleted(&mut self, id: StreamId) {
        if let Ok(at) = self.items.binary_search_by_key(&id, |item| item.id)
            && !self.items[at].deleted
        {
            self.items[at].deleted = true;
            self.live -= 1;
            self.deleted += 1;
        }
    }
}

/// Bytes listpack uses for an integer element, back-length included.
fn lp_int_size(v: i64) -> usize {
    let encoded = match v {
        0..=127 => 1,
        -4096..=4095 => 2,
        -32768..=32767 => 3,
        -8_388_608..=8_388_607 => 4,
        -2_147_483_648..=2_147_483_647 => 5,
        _ => 9,
    };
    encoded + lp_backlen_size(encoded)
}

/// Bytes listpack uses for a string element: strings that read as a
/// canonical integer are stored as integers.
fn lp_str_size(s: &[u8]) -> usize {
    if let Some(v) = parse_i64(s) {
        return lp_int_size(v);
    }
    let encoded = match s.len() {
        0..=63 => 1 + s.len(),
        64..=4095 => 2 + s.len(),
        _ => 5 + s.len(),
    };
    encoded + lp_backlen_size(encoded)
}

/// Bytes of the back-length that follows every listpack element.
fn lp_backlen_size(len: usize) -> usize {
    match len {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    }
}

/// Nodes of a compressed radix tree holding `keys` (sorted, distinct, all
/// sharing their first `depth` bytes), counted from the node at `depth`.
fn compressed_trie_nodes(keys: &[[u8; 16]], depth: usize) -> u64 {
    if depth == 16 {
        return 1;
    }
    let (first, last) = (&keys[0], &keys[keys.len() - 1]);
    let common = (depth..16).take_while(|&i| first[i] == last[i]).count();
    if common > 0 {
        // One compressed node for the shared bytes, then what follows.
        return 1 + compressed_trie_nodes(keys, depth + common);
    }
    let mut count = 1;
    let mut start = 0;
    while start < keys.len() {
        let byte = keys[start][depth];
        let end = start
            + keys[start..]
                .iter()
                .take_while(|k| k[depth] == byte)
                .count();
        count += compressed_trie_nodes(&keys[start..end], depth + 1);
        start = end;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields::new(pairs.iter().copied()).expect("short strings")
    }

    fn stream_of(n: u64) -> Stream {
        let mut s = Stream::new();
        for i in 1..=n {
            s.append(StreamId::new(i, 0), Rc::new(fields(&[("f", "v")])))
                .unwrap();
        }
        s
    }

    #[test]
    fn a_full_node_has_room_for_its_entries_only() {
        let mut s = stream_of(250);
        let room = |s: &Stream| -> Vec<(usize, usize)> {
            s.nodes
                .values()
                .map(|n| (n.items.len(), n.items.capacity()))
                .collect()
        };
        assert_eq!(room(&s), [(100, 100), (100, 100), (50, 64)]);
        // A snapshot shares the tail node: the next entry copies it, and
        // the copy grows as the node did.
        let snapshot = s.clone();
        s.append(StreamId::new(251, 0), Rc::new(fields(&[("f", "v")])))
            .unwrap();
        assert_eq!(room(&snapshot)[2], (50, 64));
        assert_eq!(room(&s)[2], (51, 100));
    }

    #[test]
    fn nodes_hold_at_most_100_entries() {
        let s = stream_of(250);
        assert_eq!(s.radix_tree_keys(), 3);
        assert_eq!(s.len(), 250);
    }

    #[test]
    fn approximate_trimming_drops_only_whole_nodes() {
        let mut s = stream_of(250);
        let removed = s.trim(Trim::MaxLen(120), true, 10_000);
        assert_eq!(removed.len(), 100);
        assert_eq!(s.len(), 150);
        assert_eq!(s.first_id, StreamId::new(101, 0));
        let removed = s.trim(Trim::MaxLen(120), false, 0);
        assert_eq!(removed.len(), 30);
        assert_eq!(s.first_id, StreamId::new(131, 0));
    }

    #[test]
    fn deleting_a_nodes_last_entry_drops_the_node() {
        let mut s = stream_of(2);
        assert!(s.delete(StreamId::new(1, 0)));
        assert_eq!(s.radix_tree_keys(), 1);
        assert!(s.delete(StreamId::new(2, 0)));
        assert_eq!(s.radix_tree_keys(), 0);
        assert_eq!(s.max_deleted_entry_id, StreamId::new(2, 0));
        assert!(!s.delete(StreamId::new(2, 0)));
    }

    #[test]
    fn radix_tree_counts_a_compressed_trie() {
        let s = stream_of(1);
        assert_eq!(s.radix_tree_nodes(), 2);
        assert_eq!(Stream::new().radix_tree_nodes(), 1);
        let two = [[0u8; 16], {
            let mut k = [0u8; 16];
            k[15] = 1;
            k
        }];
        // "0…0" compressed, a branch, two leaves.
        assert_eq!(compressed_trie_nodes(&two, 0), 4);
    }

    #[test]
    fn listpack_sizes_follow_the_encoding() {
        assert_eq!(lp_int_size(5), 2);
        assert_eq!(lp_int_size(-1), 3);
        assert_eq!(lp_int_size(1 << 40), 10);
        assert_eq!(lp_str_size(b"hello"), 7);
        assert_eq!(lp_str_size(b"123"), 2);
        assert_eq!(lp_str_size(&[b'x'; 100]), 103);
    }
}
