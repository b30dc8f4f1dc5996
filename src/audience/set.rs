//! A set of distinct addresses that costs little more than the bytes of the addresses: every
//! address lives once in one growing byte buffer, and the hash table holds only a `u32` index
//! into it and 32 bits of its hash. A `HashSet<String>` would spend a heap allocation and some
//! 50 bytes of bookkeeping on each of the two million addresses of a large incident.
//!
//! With millions of addresses the table and the buffer are far larger than the CPU caches, so
//! the time goes into cache misses rather than into hashing: the stored hash lets the table
//! grow, and skip most non-matching slots, without reading the addresses themselves.

use std::hash::BuildHasher;

use hashbrown::HashTable;

/// One entry of the table: which address, and the hash it was filed under.
#[derive(Clone, Copy)]
struct Slot {
    index: u32,
    hash: u32,
}

impl Slot {
    /// The 64-bit hash the table works with, rebuilt from the stored 32 bits: hashbrown takes
    /// the bucket from the low bits and a tag from the top ones, and both come out of these.
    fn hash(self) -> u64 {
        spread(self.hash)
    }
}

fn spread(hash: u32) -> u64 {
    u64::from(hash) | (u64::from(hash) << 32)
}

/// Distinct byte strings, each with a stable index in insertion order.
pub struct AddressSet {
    /// The addresses, back to back.
    bytes: Vec<u8>,
    /// Where address `i` ends in `bytes`; it starts where address `i - 1` ends.
    ends: Vec<usize>,
    /// Indices into `ends`, found by the hash of the address.
    table: HashTable<Slot>,
}

/// One hash function for every set. A fixed seed: the order of the table does not matter,
/// but runs are reproducible.
const HASHER: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x1ce_1dea);

impl Default for AddressSet {
    fn default() -> Self {
        AddressSet {
            bytes: Vec::new(),
            ends: Vec::new(),
            table: HashTable::new(),
        }
    }
}

impl AddressSet {
    /// How many distinct addresses.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The address with index `i`.
    pub fn get(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// The hash of `key`, to look it up in several sets (all sets hash alike) or to pick a
    /// shard with; the table uses the top 32 bits, so the low ones are free for that.
    pub fn hash(key: &[u8]) -> u64 {
        HASHER.hash_one(key)
    }

    /// The index of `key`, when it is in the set.
    #[cfg(test)]
    pub fn find(&self, key: &[u8]) -> Option<u32> {
        self.find_hashed(key, Self::hash(key))
    }

    /// [`AddressSet::find`] with the hash already computed.
    pub fn find_hashed(&self, key: &[u8], hash: u64) -> Option<u32> {
        let hash = (hash >> 32) as u32;
        self.table
            .find(spread(hash), |slot| {
                slot.hash == hash && self.get(slot.index) == key
            })
            .map(|slot| slot.index)
    }

    /// Add `key` unless it is there; its index, and whether it was new. `None` only past four
    /// billion distinct addresses, which no memory holds anyway.
    pub fn insert(&mut self, key: &[u8]) -> Option<(u32, bool)> {
        self.insert_hashed(key, Self::hash(key))
    }

    /// [`AddressSet::insert`] with the hash already computed.
    pub fn insert_hashed(&mut self, key: &[u8], hash: u64) -> Option<(u32, bool)> {
        let hash = (hash >> 32) as u32;
        if let Some(index) = self
            .table
            .find(spread(hash), |slot| {
                slot.hash == hash && self.get(slot.index) == key
            })
            .map(|slot| slot.index)
        {
            return Some((index, false));
        }
        let index = u32::try_from(self.ends.len()).ok()?;
        self.table
            .insert_unique(spread(hash), Slot { index, hash }, |slot| slot.hash());
        self.bytes.extend_from_slice(key);
        self.ends.push(self.bytes.len());
        Some((index, true))
    }

    /// The addresses sorted by their bytes (for UTF-8, that is code point order, the order of
    /// the reference's `sorted()`), back to back. The table goes first, so its memory is free
    /// again before the sorted copy is made.
    pub fn into_sorted(self) -> SortedAddresses {
        let AddressSet { bytes, ends, table } = self;
        drop(table);
        let unsorted = SortedAddresses { bytes, ends };
        // Comparing addresses in place reads the buffer at random, a cache miss per
        // comparison. Sort on the first 16 bytes copied beside each index instead, and read
        // the buffer only to break the rare ties.
        let mut keyed: Vec<(u64, u64, u32)> = (0..unsorted.len() as u32)
            .map(|i| {
                let mut prefix = [0u8; 16];
                let address = unsorted.get(i);
                let n = address.len().min(16);
                prefix[..n].copy_from_slice(&address[..n]);
                let (high, low) = prefix.split_at(8);
                let word = |b: &[u8]| u64::from_be_bytes(b.try_into().unwrap_or_default());
                (word(high), word(low), i)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| unsorted.get(a.2).cmp(unsorted.get(b.2)))
        });
        // Gather the addresses in order, once, so that whoever reads the list reads memory
        // front to back.
        let mut sorted = SortedAddresses {
            bytes: Vec::with_capacity(unsorted.bytes.len()),
            ends: Vec::with_capacity(unsorted.len()),
        };
        for (_, _, i) in keyed {
            sorted.bytes.extend_from_slice(unsorted.get(i));
            sorted.ends.push(sorted.bytes.len());
        }
        sorted
    }
}

/// Distinct addresses in sorted order, back to back.
pub struct SortedAddresses {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl SortedAddresses {
    /// How many addresses.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The address at position `i`.
    pub fn get(&self, i: u32) -> &[u8] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_one_copy_of_each_address_with_a_stable_index() {
        let mut set = AddressSet::default();
        assert_eq!(set.insert(b"b@x.com"), Some((0, true)));
        assert_eq!(set.insert(b"a@x.com"), Some((1, true)));
        assert_eq!(set.insert(b"b@x.com"), Some((0, false)));
        assert_eq!(set.insert(b""), Some((2, true)));
        assert_eq!(set.len(), 3);
        assert_eq!(set.find(b"a@x.com"), Some(1));
        assert_eq!(set.find(b"c@x.com"), None);
        assert_eq!(set.get(2), b"");
        let sorted = set.into_sorted();
        let sorted: Vec<&[u8]> = (0..3).map(|i| sorted.get(i)).collect();
        assert_eq!(sorted, [&b""[..], b"a@x.com", b"b@x.com"]);
    }

    #[test]
    fn survives_growth() {
        let mut set = AddressSet::default();
        for n in 0..100_000 {
            set.insert(format!("user{n}@example.com").as_bytes());
        }
        for n in 0..100_000 {
            assert_eq!(set.find(format!("user{n}@example.com").as_bytes()), Some(n));
        }
        assert_eq!(set.len(), 100_000);
    }
}
