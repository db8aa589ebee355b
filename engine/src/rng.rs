//! The one source of randomness: a seeded PCG generator. Every random
//! choice of a run (arrival times, processing times, failures) is drawn
//! from it, in the order the scheduler runs tasks, so a seed reproduces a
//! run exactly — on native and on wasm alike (integer arithmetic, and
//! `libm` for the one logarithm).

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
