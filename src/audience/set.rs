//! Distinct addresses, each with a small mark, at little more than the cost of their bytes:
//! every address lives once in one growing byte buffer (the arena), its mark and length just
//! before it, and the hash table holds only eight bytes per slot: 32 bits of the hash and the
//! address's offset in the arena. A `HashMap<String, _>` would spend a heap allocation and some
//! 50 bytes of bookkeeping on each of the two million addresses of a large incident.
//!
//! With millions of addresses the table and the arena are far larger than the CPU caches, so
//! the time goes into cache misses rather than into hashing: a look-up misses once on its slot
//! and once on the address it compares with. [`AddressMap::prefetch`] lets a caller with a
//! batch of look-ups start those misses for all of them at once (plain loads the processor
//! overlaps) before doing any; the stored hash lets the table grow, and skip non-matching
//! slots, without reading the arena.

use std::hash::BuildHasher;
use std::ops::Range;

/// One hash function for every map. A fixed seed: the order of the table does not matter, but
/// runs are reproducible.
const HASHER: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x1ce_1dea);

/// An address this long or longer has its length in four more bytes.
const LONG: u8 = u8::MAX;

/// Slots of a table's first allocation.
const FIRST_SLOTS: usize = 1 << 10;

/// Distinct byte strings with a `u32` mark each. Each is known by its offset in the arena,
/// which never changes.
#[derive(Default)]
pub struct AddressMap {
    /// Records back to back: the mark (4 bytes, little-endian), the length (1 byte, or [`LONG`]
    /// and 4 bytes), the address.
    arena: Vec<u8>,
    /// Open addressing with linear probing, a power of two long and at most three quarters
    /// full: 0 for an empty slot, else the top 32 bits of the hash above the record's offset
    /// plus one.
    slots: Vec<u64>,
    len: usize,
}

impl AddressMap {
    /// The hash of `key`, computed once per row: the table uses its top 32 bits, so the low
    /// ones are free to pick a shard with.
    pub fn hash(key: &[u8]) -> u64 {
        HASHER.hash_one(key)
    }

    /// How many distinct addresses.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The address known by `id`.
    #[cfg(test)]
    pub fn get(&self, id: u32) -> &[u8] {
        &self.arena[record(&self.arena, id as usize).1]
    }

    /// The first slot `hash` may be in.
    fn home(&self, hash: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        ((hash >> 32 << bits) >> 32) as usize
    }

    /// Start loading what a look-up of `hash` will read, and return it so that the caller can
    /// keep the loads alive (`std::hint::black_box` on the sum): its first slot, then, in a
    /// second call with that slot, the start of the record it points to. A look-up done right
    /// after finds them in the cache.
    pub fn prefetch(&self, hash: u64, slot: Option<u64>) -> u64 {
        match slot {
            None if !self.slots.is_empty() => self.slots[self.home(hash)],
            Some(slot) if slot >> 32 == hash >> 32 => {
                // The record's start and, for a common address that crosses into the next
                // cache line, its end.
                let at = (slot as u32).wrapping_sub(1) as usize;
                let byte = |at: usize| self.arena.get(at).map_or(0, |&b| u64::from(b));
                byte(at) ^ byte(at + 32)
            }
            _ => 0,
        }
    }

    /// The mark of `key` (hashed with [`AddressMap::hash`]), added with `mark` when new: its
    /// id, its mark, and whether it was new. `None` only past four GiB of addresses in one
    /// map, which no memory holds anyway.
    pub fn entry(&mut self, key: &[u8], hash: u64, mark: u32) -> Option<(u32, u32, bool)> {
        if self.len >= self.slots.len() / 4 * 3 {
            self.grow();
        }
        let tag = hash >> 32;
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                let at = self.arena.len();
                let id = u32::try_from(at).ok().filter(|&id| id < u32::MAX)?;
                self.arena.extend_from_slice(&mark.to_le_bytes());
                match u8::try_from(key.len()) {
                    Ok(short) if short < LONG => self.arena.push(short),
                    _ => {
                        self.arena.push(LONG);
                        self.arena
                            .extend_from_slice(&u32::try_from(key.len()).ok()?.to_le_bytes());
                    }
                }
                self.arena.extend_from_slice(key);
                self.slots[i] = tag << 32 | u64::from(id + 1);
                self.len += 1;
                return Some((id, mark, true));
            }
            if slot >> 32 == tag {
                let at = (slot as u32 - 1) as usize;
                let (found, bytes) = record(&self.arena, at);
                if crate::input::text::same(&self.arena[bytes], key) {
                    return Some((at as u32, found, false));
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Change the mark of the address known by `id`.
    pub fn set_mark(&mut self, id: u32, mark: u32) {
        let at = id as usize;
        if let Some(stored) = self.arena.get_mut(at..at + 4) {
            stored.copy_from_slice(&mark.to_le_bytes());
        }
    }

    /// Twice the slots, each filed again by its stored hash: the arena is not read.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(FIRST_SLOTS);
        let old = std::mem::replace(&mut self.slots, zeroed_slots(size));
        let mask = size - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut i = self.home(slot);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }

    /// Every id and mark, in the order the addresses came.
    pub fn marks(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= self.arena.len() {
                return None;
            }
            let (mark, bytes) = record(&self.arena, at);
            let id = at as u32;
            at = bytes.end;
            Some((id, mark))
        })
    }

    /// The addresses whose mark passes `keep`, sorted by their bytes (for UTF-8, that is code
    /// point order, the order of the reference's `sorted()`), with the sum of `size` over
    /// them; `kept` is how many pass, room reserved at once. The table goes first, so its
    /// memory is free again before the sort.
    pub fn into_sorted(
        self,
        keep: impl Fn(u32) -> bool,
        size: impl Fn(&[u8]) -> u64,
        kept: usize,
    ) -> SortedAddresses {
        let AddressMap { arena, slots, .. } = self;
        drop(slots);
        // Comparing addresses in place reads the arena at random, a cache miss per
        // comparison. Sort on the first 12 bytes instead, packed above the id into one
        // integer, and read the arena only to order the rare addresses that share them.
        let mut keyed: Vec<u128> = Vec::with_capacity(kept);
        let mut bytes_out = 0;
        let mut at = 0;
        while at < arena.len() {
            let (mark, bytes) = record(&arena, at);
            if keep(mark) {
                let key = &arena[bytes.clone()];
                bytes_out += size(key);
                keyed.push(sort_prefix(key) | at as u128);
            }
            at = bytes.end;
        }
        keyed.sort_unstable();
        let address = |k: &u128| &arena[record(&arena, *k as u32 as usize).1];
        for tied in keyed.chunk_by_mut(|a, b| a >> 32 == b >> 32) {
            if tied.len() > 1 {
                tied.sort_unstable_by(|a, b| address(a).cmp(address(b)));
            }
        }
        let order = keyed.iter().map(|&k| k as u32).collect();
        drop(keyed);
        SortedAddresses {
            arena,
            order,
            size: bytes_out,
        }
    }
}

/// The first 12 bytes of `key`, zero-padded, in the top 96 bits: the sort key, with room for
/// the id below.
fn sort_prefix(key: &[u8]) -> u128 {
    match key.first_chunk::<16>() {
        Some(head) => u128::from_be_bytes(*head) & !u128::from(u32::MAX),
        None => {
            let mut prefix = [0u8; 16];
            let n = key.len().min(12);
            prefix[..n].copy_from_slice(&key[..n]);
            u128::from_be_bytes(prefix)
        }
    }
}

/// `size` empty slots, each page of them written once. A fresh zeroed allocation maps every
/// page to the kernel's shared zero page; a look-up that reads a slot before the first write
/// to its page would keep that mapping, and the write would then replace it, flushing the TLB
/// of the other core that runs the other worker (an inter-processor interrupt per page, about
/// a tenth of the CPU time of a large send log). Written first, a page is simply allocated.
fn zeroed_slots(size: usize) -> Vec<u64> {
    const PER_PAGE: usize = 4096 / size_of::<u64>();
    let mut slots = vec![0; size];
    for page in slots.chunks_mut(PER_PAGE) {
        // Opaque to the optimizer, so the store of a zero is not dropped.
        page[0] = std::hint::black_box(0);
    }
    slots
}

/// The mark of the record at `at`, and where its address is.
fn record(arena: &[u8], at: usize) -> (u32, Range<usize>) {
    let word = |from: usize| {
        arena
            .get(from..from + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_le_bytes)
    };
    let (len, start) = match arena.get(at + 4) {
        Some(&LONG) => (word(at + 5) as usize, at + 9),
        Some(&short) => (usize::from(short), at + 5),
        None => (0, arena.len()),
    };
    (word(at), start..(start + len).min(arena.len()))
}

/// Distinct addresses in sorted order: the arena they live in, and their ids in order.
pub struct SortedAddresses {
    arena: Vec<u8>,
    order: Vec<u32>,
    /// The sum of the `size` given to [`AddressMap::into_sorted`] over the addresses.
    size: u64,
}

impl SortedAddresses {
    /// How many addresses.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// The sum of the sizes of the addresses.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// How many addresses sort before `address`.
    pub fn rank(&self, address: &[u8]) -> usize {
        self.order
            .partition_point(|&id| &self.arena[record(&self.arena, id as usize).1] < address)
    }

    /// The address at position `i`.
    pub fn get(&self, i: usize) -> &[u8] {
        &self.arena[record(&self.arena, self.order[i] as usize).1]
    }

    /// Start loading the addresses at positions `range` (see [`AddressMap::prefetch`]).
    pub fn prefetch(&self, range: Range<usize>) -> u64 {
        let ids = self.order.get(range).unwrap_or_default();
        ids.iter()
            .map(|&id| self.arena.get(id as usize + 5).map_or(0, |&b| u64::from(b)))
            .fold(0, u64::wrapping_add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(map: &mut AddressMap, key: &[u8], mark: u32) -> (u32, u32, bool) {
        map.entry(key, AddressMap::hash(key), mark).expect("room")
    }

    fn sorted(set: &SortedAddresses) -> Vec<&[u8]> {
        (0..set.len()).map(|i| set.get(i)).collect()
    }

    #[test]
    fn keeps_one_copy_of_each_address_with_its_mark() {
        let mut map = AddressMap::default();
        let (b, _, _) = entry(&mut map, b"b@x.com", 7);
        assert_eq!(entry(&mut map, b"b@x.com", 7), (b, 7, false));
        let (a, mark, new) = entry(&mut map, b"a@x.com", 8);
        assert_eq!((mark, new), (8, true));
        assert_eq!(entry(&mut map, b"b@x.com", 9), (b, 7, false));
        map.set_mark(a, 1);
        assert_eq!(entry(&mut map, b"a@x.com", 0), (a, 1, false));
        assert_eq!(entry(&mut map, b"", 2).1, 2);
        assert_eq!(map.len(), 3);
        assert_eq!(map.get(a), b"a@x.com");
        let marks: Vec<u32> = map.marks().map(|(_, m)| m).collect();
        assert_eq!(marks, [7, 1, 2]);
        let set = map.into_sorted(|mark| mark != 7, |a| a.len() as u64 + 1, 0);
        assert_eq!(set.size(), 9);
        assert_eq!(sorted(&set), [&b""[..], b"a@x.com"]);
    }

    #[test]
    fn long_addresses_and_shared_prefixes_sort_by_bytes() {
        let mut map = AddressMap::default();
        let long = format!("{}@example.com", "x".repeat(300));
        for key in [
            long.as_str(),
            "same.prefix.b@x",
            "same.prefix.a@x",
            "same.prefix.",
            "same.prefix.\0",
            "same",
            "same.prefix.zz@example.com",
            "same.prefix.aa@example.com",
        ] {
            entry(&mut map, key.as_bytes(), 0);
        }
        assert_eq!(entry(&mut map, long.as_bytes(), 1), (0, 0, false));
        let set = map.into_sorted(|_| true, |_| 1, 0);
        assert_eq!(set.rank(b"same.prefix.\0"), 2);
        assert_eq!(set.rank(b"same.prefix.0"), 3);
        assert_eq!(set.rank(b""), 0);
        let expected: [&[u8]; 8] = [
            b"same",
            b"same.prefix.",
            b"same.prefix.\0",
            b"same.prefix.a@x",
            b"same.prefix.aa@example.com",
            b"same.prefix.b@x",
            b"same.prefix.zz@example.com",
            long.as_bytes(),
        ];
        assert_eq!(sorted(&set), expected);
    }

    #[test]
    fn survives_growth_and_sorts_by_bytes() {
        let mut map = AddressMap::default();
        for n in (0..100_000).rev() {
            entry(&mut map, format!("user{n}@example.com").as_bytes(), n);
        }
        for n in 0..100_000 {
            let key = format!("user{n}@example.com");
            let hash = AddressMap::hash(key.as_bytes());
            let slot = map.prefetch(hash, None);
            map.prefetch(hash, Some(slot));
            assert_eq!(entry(&mut map, key.as_bytes(), 0).1, n);
        }
        let set = map.into_sorted(|_| true, |_| 1, 0);
        assert_eq!(set.len(), 100_000);
        assert_eq!(set.size(), 100_000);
        for i in 1..set.len() {
            assert!(set.get(i - 1) < set.get(i));
        }
    }
}
