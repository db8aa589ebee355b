//! The shape of a simulated Redis Cluster: hash slots, which primary
//! serves each, and which replicas follow each primary.
//!
//! A key (or a shard channel) belongs to slot `CRC16(key) mod 16384`, where
//! only the part between the first `{` and the next `}` counts when that
//! part is not empty (a hash tag), exactly as Redis's `keyHashSlot`. The
//! slots are split among the primaries and the replicas assigned as
//! `redis-cli --cluster create … --cluster-replicas R` does for nodes that
//! all live on one host: node `i` listens on `127.0.0.1:7000+i`, the first
//! `primaries` nodes are primaries, and the rest are replicas.

use alloc::format;
use alloc::vec::Vec;

/// How many hash slots a Redis Cluster has.
pub const SLOTS: u16 = 16384;

/// The most nodes a simulated cluster may have: enough for any lesson,
/// small enough that every node gets a port above 7000.
pub const MAX_NODES: usize = 1000;

/// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the checksum
/// Redis Cluster hashes keys with (`crc16.c`).
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in bytes {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The hash slot of a key or shard channel (Redis's `keyHashSlot`): the
/// hash tag between the first `{` and the next `}` if it is not empty,
/// otherwise the whole key.
pub fn key_hash_slot(key: &[u8]) -> u16 {
    let tagged = key.iter().position(|&b| b == b'{').and_then(|open| {
        let rest = &key[open + 1..];
        let close = rest.iter().position(|&b| b == b'}')?;
        (close > 0).then(|| &rest[..close])
    });
    crc16(tagged.unwrap_or(key)) & (SLOTS - 1)
}

/// A cluster's nodes and who serves which slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    primaries: u16,
    replicas_per_primary: u16,
    /// For each primary, the first slot it serves (ranges are contiguous
    /// and in primary order; the last ends at slot 16383).
    first_slots: Vec<u16>,
}

impl Cluster {
    /// A cluster of `primaries` primaries, each followed by
    /// `replicas_per_primary` replicas. `Err` names the field that is out
    /// of range.
    pub fn new(primaries: u16, replicas_per_primary: u16) -> Result<Cluster, &'static str> {
        if primaries == 0 || primaries > SLOTS {
            return Err("cluster primaries must be between 1 and 16384");
        }
        let nodes = usize::from(primaries) * (usize::from(replicas_per_primary) + 1);
        if nodes > MAX_NODES {
            return Err("cluster replicas_per_primary: too many nodes (at most 1000 in all)");
        }
        Ok(Cluster {
            primaries,
            replicas_per_primary,
            first_slots: split_slots(primaries),
        })
    }

    /// How many primaries there are.
    pub fn primaries(&self) -> u16 {
        self.primaries
    }

    /// How many replicas follow each primary.
    pub fn replicas_per_primary(&self) -> u16 {
        self.replicas_per_primary
    }

    /// How many nodes there are, primaries and replicas.
    pub fn node_count(&self) -> u16 {
        self.primaries
            .saturating_mul(self.replicas_per_primary.saturating_add(1))
    }

    /// Whether `node` is a primary.
    pub fn is_primary(&self, node: u16) -> bool {
        node < self.primaries
    }

    /// The slots primary `primary` serves, first and last (inclusive);
    /// `None` for a node that is not a primary.
    pub fn slot_range(&self, primary: u16) -> Option<(u16, u16)> {
        let i = usize::from(primary);
        let first = *self.first_slots.get(i)?;
        let last = self
            .first_slots
            .get(i + 1)
            .map_or(SLOTS - 1, |next| next - 1);
        Some((first, last))
    }

    /// The primary serving `slot`.
    pub fn slot_owner(&self, slot: u16) -> u16 {
        let after = self.first_slots.partition_point(|&first| first <= slot);
        after.saturating_sub(1) as u16
    }

    /// The primary of `node`'s shard: itself for a primary, the primary it
    /// replicates otherwise. A node outside the cluster is its own shard.
    pub fn primary_of(&self, node: u16) -> u16 {
        if self.is_primary(node) || node >= self.node_count() {
            return node;
        }
        // redis-cli rotates the replica list by one before handing out
        // `replicas_per_primary` replicas to each primary in turn: with
        // three primaries and one replica each, 7003 follows 7002, 7004
        // follows 7000 and 7005 follows 7001, as its "Adding replica"
        // lines print. (Its anti-affinity pass then swaps replicas at
        // random when all nodes share a host; a simulation cannot.)
        let replicas = u32::from(self.node_count() - self.primaries);
        let k = u32::from(node - self.primaries);
        let rotated = (k + replicas - 1) % replicas;
        (rotated / u32::from(self.replicas_per_primary)) as u16
    }

    /// The nodes of `node`'s shard, primary first, then its replicas in
    /// node order (Redis's `clusterGetNodesServingMySlots`).
    pub fn shard_nodes(&self, node: u16) -> Vec<u16> {
        let primary = self.primary_of(node);
        let mut nodes = alloc::vec![primary];
        nodes
            .extend((self.primaries..self.node_count()).filter(|&n| self.primary_of(n) == primary));
        nodes
    }

    /// Whether `node` holds the keys of `slot` (as primary or replica).
    pub fn holds_slot(&self, node: u16, slot: u16) -> bool {
        self.primary_of(node) == self.slot_owner(slot)
    }

    /// The address clients reach `node` at, as MOVED errors print it.
    pub fn address(&self, node: u16) -> alloc::string::String {
        format!("127.0.0.1:{}", 7000 + u32::from(node))
    }
}

/// The first slot of each primary, as `redis-cli --cluster create` splits
/// 16384 slots: in single-precision steps of 16384/primaries, each range
/// ending at the rounded step boundary and the last at slot 16383.
fn split_slots(primaries: u16) -> Vec<u16> {
    let per_node = f32::from(SLOTS) / f32::from(primaries);
    let mut firsts = Vec::with_capacity(usize::from(primaries));
    let mut first: i64 = 0;
    let mut cursor = 0.0f32;
    for i in 0..primaries {
        firsts.push(first.clamp(0, i64::from(SLOTS - 1)) as u16);
        let mut last = round_half_away(f64::from(cursor + per_node - 1.0));
        if last > i64::from(SLOTS) || i == primaries - 1 {
            last = i64::from(SLOTS) - 1;
        }
        if last < first {
            last = first;
        }
        first = last + 1;
        cursor += per_node;
    }
    firsts
}

/// C's `lround` for the small values slot boundaries take.
fn round_half_away(x: f64) -> i64 {
    if x >= 0.0 {
        (x + 0.5) as i64
    } else {
        -((-x + 0.5) as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_is_xmodem() {
        // The test vector in Redis's crc16.c.
        assert_eq!(crc16(b"123456789"), 0x31C3);
        assert_eq!(crc16(b""), 0);
    }

    fn check_slot(key: &str, slot: u16) {
        assert_eq!(key_hash_slot(key.as_bytes()), slot, "{key}");
    }

    /// Slots as `CLUSTER KEYSLOT` reports them.
    #[test]
    fn slots_follow_key_hash_slot_and_hash_tags() {
        check_slot("foo", 12182);
        check_slot("bar", 5061);
        check_slot("hello", 866);
        check_slot("event1", 2824);
        check_slot("{user1000}.following", 3443);
        check_slot("{user1000}.followers", 3443);
        check_slot("user1000", 3443);
        check_slot("foo{}{bar}", 8363);
        check_slot("foo{{bar}}zap", 4015);
        check_slot("foo{bar}{zap}", 5061);
        check_slot("{", 4092);
        check_slot("123456789", 12739);
        check_slot("", 0);
    }

    #[test]
    fn slots_are_split_like_redis_cli() {
        let three = Cluster::new(3, 1).unwrap();
        assert_eq!(three.slot_range(0), Some((0, 5460)));
        assert_eq!(three.slot_range(1), Some((5461, 10922)));
        assert_eq!(three.slot_range(2), Some((10923, 16383)));
        assert_eq!(three.slot_range(3), None);
        let five = Cluster::new(5, 0).unwrap();
        let ranges: Vec<_> = (0..5).map(|p| five.slot_range(p).unwrap()).collect();
        assert_eq!(
            ranges,
            [
                (0, 3276),
                (3277, 6553),
                (6554, 9829),
                (9830, 13106),
                (13107, 16383)
            ]
        );
        let one = Cluster::new(1, 0).unwrap();
        assert_eq!(one.slot_range(0), Some((0, 16383)));
        for slot in [0, 5460, 5461, 10922, 10923, 16383] {
            let owner = three.slot_owner(slot);
            let (first, last) = three.slot_range(owner).unwrap();
            assert!(first <= slot && slot <= last);
        }
    }

    #[test]
    fn replicas_are_assigned_like_redis_cli_on_one_host() {
        // "Adding replica 127.0.0.1:7004 to 127.0.0.1:7000" and so on.
        let c = Cluster::new(3, 1).unwrap();
        assert_eq!(c.node_count(), 6);
        let primaries: Vec<u16> = (0..6).map(|n| c.primary_of(n)).collect();
        assert_eq!(primaries, [0, 1, 2, 2, 0, 1]);
        assert_eq!(c.shard_nodes(4), [0, 4]);
        let two = Cluster::new(3, 2).unwrap();
        let primaries: Vec<u16> = (0..9).map(|n| two.primary_of(n)).collect();
        assert_eq!(primaries, [0, 1, 2, 2, 0, 0, 1, 1, 2]);
        assert_eq!(two.shard_nodes(2), [2, 3, 8]);
        assert_eq!(c.address(5), "127.0.0.1:7005");
    }

    #[test]
    fn shapes_out_of_range_are_errors() {
        assert!(Cluster::new(0, 1).is_err());
        assert!(Cluster::new(16385, 0).is_err());
        assert!(Cluster::new(500, 1).is_ok());
        assert!(Cluster::new(500, 2).is_err());
    }
}
