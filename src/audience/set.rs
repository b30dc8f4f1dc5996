//! Distinct addresses, each with a small mark, at little more than the cost of their bytes:
//! every address lives once in one growing byte buffer, and the hash table holds only a `u32`
//! index into it, 32 bits of its hash and the mark. A `HashMap<String, _>` would spend a heap
//! allocation and some 50 bytes of bookkeeping on each of the two million addresses of a large
//! incident.
//!
//! With millions of addresses the table and the buffer are far larger than the CPU caches, so
//! the time goes into cache misses rather than into hashing. Everything a row needs is in its
//! slot: the stored hash lets the table grow, and skip non-matching slots, without reading the
//! addresses, and the mark answers "suppressed?" and "which segment?" in the same cache line.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

/// One entry of the table: which address, the hash it was filed under, and its mark.
#[derive(Clone, Copy)]
struct Slot {
    index: u32,
    hash: u32,
    mark: u32,
}

/// The 64-bit hash the table works with, rebuilt from the stored 32 bits: hashbrown takes the
/// bucket from the low bits and a tag from the top ones, and both come out of these.
fn spread(hash: u32) -> u64 {
    u64::from(hash) | (u64::from(hash) << 32)
}

/// One hash function for every map. A fixed seed: the order of the table does not matter, but
/// runs are reproducible.
const HASHER: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x1ce_1dea);

/// Distinct byte strings with a `u32` mark each, and a stable index in insertion order.
#[derive(Default)]
pub struct AddressMap {
    /// The addresses, back to back.
    bytes: Vec<u8>,
    /// Where address `i` ends in `bytes`; it starts where address `i - 1` ends.
    ends: Vec<usize>,
    table: HashTable<Slot>,
}

impl AddressMap {
    /// The hash of `key`, computed once per row: the table uses its top 32 bits, so the low
    /// ones are free to pick a shard with.
    pub fn hash(key: &[u8]) -> u64 {
        HASHER.hash_one(key)
    }

    /// How many distinct addresses.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The address with index `i`.
    #[cfg(test)]
    pub fn get(&self, i: u32) -> &[u8] {
        address(&self.bytes, &self.ends, i)
    }

    /// The mark of `key` (hashed with [`AddressMap::hash`]), added with `mark` when new: its
    /// index, its mark to read or change, and whether it was new. `None` only past four
    /// billion distinct addresses, which no memory holds anyway.
    pub fn entry(&mut self, key: &[u8], hash: u64, mark: u32) -> Option<(u32, &mut u32, bool)> {
        let AddressMap { bytes, ends, table } = self;
        let hash = (hash >> 32) as u32;
        let entry = table.entry(
            spread(hash),
            |slot| slot.hash == hash && address(bytes, ends, slot.index) == key,
            |slot| spread(slot.hash),
        );
        match entry {
            Entry::Occupied(found) => {
                let slot = found.into_mut();
                Some((slot.index, &mut slot.mark, false))
            }
            Entry::Vacant(room) => {
                let index = u32::try_from(ends.len()).ok()?;
                bytes.extend_from_slice(key);
                ends.push(bytes.len());
                let slot = room.insert(Slot { index, hash, mark }).into_mut();
                Some((index, &mut slot.mark, true))
            }
        }
    }

    /// Every mark, in no particular order.
    pub fn marks(&self) -> impl Iterator<Item = u32> + '_ {
        self.table.iter().map(|slot| slot.mark)
    }

    /// The addresses whose mark passes `keep`, sorted by their bytes (for UTF-8, that is code
    /// point order, the order of the reference's `sorted()`), back to back. The table goes
    /// first, so its memory is free again before the sorted copy is made.
    pub fn into_sorted(self, keep: impl Fn(u32) -> bool) -> SortedAddresses {
        let AddressMap { bytes, ends, table } = self;
        let mut kept = vec![false; ends.len()];
        for slot in &table {
            kept[slot.index as usize] = keep(slot.mark);
        }
        drop(table);
        // Comparing addresses in place reads the buffer at random, a cache miss per
        // comparison. Sort on the first 16 bytes copied beside each index instead, and read
        // the buffer only to break the rare ties.
        let mut keyed: Vec<(u64, u64, u32)> = (0..ends.len() as u32)
            .filter(|&i| kept[i as usize])
            .map(|i| {
                let mut prefix = [0u8; 16];
                let key = address(&bytes, &ends, i);
                let n = key.len().min(16);
                prefix[..n].copy_from_slice(&key[..n]);
                let (high, low) = prefix.split_at(8);
                let word = |b: &[u8]| u64::from_be_bytes(b.try_into().unwrap_or_default());
                (word(high), word(low), i)
            })
            .collect();
        drop(kept);
        keyed.sort_unstable_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| address(&bytes, &ends, a.2).cmp(address(&bytes, &ends, b.2)))
        });
        // Gather the addresses in order, once, so that whoever reads the list reads memory
        // front to back.
        let mut sorted = SortedAddresses {
            bytes: Vec::with_capacity(bytes.len()),
            ends: Vec::with_capacity(keyed.len()),
        };
        for (_, _, i) in keyed {
            sorted.bytes.extend_from_slice(address(&bytes, &ends, i));
            sorted.ends.push(sorted.bytes.len());
        }
        sorted
    }
}

fn address<'a>(bytes: &'a [u8], ends: &[usize], i: u32) -> &'a [u8] {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &bytes[start..ends[i]]
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
        address(&self.bytes, &self.ends, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(map: &mut AddressMap, key: &[u8], mark: u32) -> (u32, u32, bool) {
        let (index, found, new) = map.entry(key, AddressMap::hash(key), mark).expect("room");
        (index, *found, new)
    }

    #[test]
    fn keeps_one_copy_of_each_address_with_its_mark() {
        let mut map = AddressMap::default();
        assert_eq!(entry(&mut map, b"b@x.com", 7), (0, 7, true));
        assert_eq!(entry(&mut map, b"a@x.com", 8), (1, 8, true));
        assert_eq!(entry(&mut map, b"b@x.com", 9), (0, 7, false));
        if let Some((_, mark, _)) = map.entry(b"a@x.com", AddressMap::hash(b"a@x.com"), 0) {
            *mark = 1;
        }
        assert_eq!(entry(&mut map, b"", 2), (2, 2, true));
        assert_eq!(map.len(), 3);
        assert_eq!(map.get(1), b"a@x.com");
        let mut marks: Vec<u32> = map.marks().collect();
        marks.sort_unstable();
        assert_eq!(marks, [1, 2, 7]);
        let sorted = map.into_sorted(|mark| mark != 7);
        let sorted: Vec<&[u8]> = (0..sorted.len() as u32).map(|i| sorted.get(i)).collect();
        assert_eq!(sorted, [&b""[..], b"a@x.com"]);
    }

    #[test]
    fn survives_growth_and_sorts_by_bytes() {
        let mut map = AddressMap::default();
        for n in (0..100_000).rev() {
            entry(&mut map, format!("user{n}@example.com").as_bytes(), n);
        }
        for n in 0..100_000 {
            let key = format!("user{n}@example.com");
            assert_eq!(entry(&mut map, key.as_bytes(), 0).1, n);
        }
        let sorted = map.into_sorted(|_| true);
        assert_eq!(sorted.len(), 100_000);
        for i in 1..sorted.len() as u32 {
            assert!(sorted.get(i - 1) < sorted.get(i));
        }
    }
}
