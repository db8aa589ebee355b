//! Randomness: seeded PCG generators. A run's seed is forked into one
//! stream per actor by a stable label (`producer:orders`,
//! `consumer:billing/w1`), so what one actor draws never depends on what
//! another did: a crash that makes a consumer draw less leaves the
//! producers' timing as it was, and lanes that run different policies see
//! the same workload. A seed reproduces a run exactly, on native and on
//! wasm alike (integer arithmetic, and `libm` for the one logarithm).

use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64;

/// A seeded random number generator.
#[derive(Clone, Debug)]
pub struct Rng(Pcg64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(Pcg64::seed_from_u64(seed))
    }

    /// The stream of the actor called `label` in a run seeded with `seed`:
    /// PCG's state from the seed, its stream (increment) from the label's
    /// FNV-1a hash, so two labels never share a sequence.
    pub fn fork(seed: u64, label: &str) -> Self {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in label.as_bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let state = u128::from(seed) << 64 | u128::from(seed ^ 0x9e37_79b9_7f4a_7c15);
        Rng(Pcg64::new(state, u128::from(hash) << 1 | 1))
    }

    /// A uniformly random integer in `0..n` (`n > 0`), without modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        // Reject the top, uneven slice of the 64-bit range.
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.0.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// A uniformly random integer in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        lo + self.below(hi - lo + 1)
    }

    /// A uniformly random float in `[0, 1)`, with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }

    /// An exponentially distributed duration with the given mean, in whole
    /// milliseconds (the waiting time of a Poisson process).
    pub fn exponential_ms(&mut self, mean_ms: f64) -> u64 {
        let u = self.unit();
        let x = -mean_ms * libm::log(1.0 - u);
        if x.is_finite() && x > 0.0 {
            libm::round(x) as u64
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    const FORK_1_X: u64 = 236_404_271_471;

    #[test]
    fn same_seed_same_draws() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.between(10, 20), b.between(10, 20));
        }
        let x = Rng::new(7).below(1000);
        assert_ne!(
            (0..10)
                .map(|s| Rng::new(s).below(1000))
                .filter(|v| *v == x)
                .count(),
            10
        );
    }

    #[test]
    fn forks_are_independent_and_stable() {
        let a: Vec<u64> = {
            let mut r = Rng::fork(7, "producer:orders");
            (0..5).map(|_| r.below(1_000_000)).collect()
        };
        let mut again = Rng::fork(7, "producer:orders");
        let b: Vec<u64> = (0..5).map(|_| again.below(1_000_000)).collect();
        assert_eq!(a, b);
        let mut other = Rng::fork(7, "consumer:billing/w1");
        let c: Vec<u64> = (0..5).map(|_| other.below(1_000_000)).collect();
        assert_ne!(a, c);
        // Pinned: the same on every platform and every build.
        assert_eq!(Rng::fork(1, "x").below(1 << 40), FORK_1_X);
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..1000 {
            assert!((3..=5).contains(&r.between(3, 5)));
            assert!(r.unit() < 1.0);
        }
        assert!(!r.chance(0.0));
        assert!(r.chance(1.0));
    }
}
