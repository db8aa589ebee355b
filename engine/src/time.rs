//! Simulated time. The engine never reads a clock: every operation is handed
//! the current [`SimTime`], and only the scheduler moves it forward.

use core::fmt;
use core::ops::{Add, AddAssign, Sub};

/// An instant of simulated time, in milliseconds since the Unix epoch.
///
/// Milliseconds since the epoch, not since the start of a run, because Redis
/// stream IDs are `<ms>-<seq>` with `ms` taken from the clock: a run that
/// starts at [`SimTime::START`] produces IDs that look like real ones.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(pub u64);

/// A span of simulated time, in milliseconds.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// Where every simulation and REPL session starts: 2023-11-14T22:13:20Z.
    /// Fixed, so that stream IDs are the same on every run.
    pub const START: SimTime = SimTime(1_700_000_000_000);

    /// Milliseconds since the Unix epoch.
    pub const fn as_ms(self) -> u64 {
        self.0
    }

    /// Time elapsed since `earlier`, or zero if `earlier` is in the future.
    pub const fn saturating_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }

    /// Time elapsed since the start of a run ([`SimTime::START`]).
    pub const fn since_start(self) -> SimDuration {
        self.saturating_since(SimTime::START)
    }
}

impl SimDuration {
    /// Zero time.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A span of `ms` milliseconds.
    pub const fn from_ms(ms: u64) -> Self {
        SimDuration(ms)
    }

    /// The span in milliseconds.
    pub const fn as_ms(self) -> u64 {
        self.0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimDuration;
    fn sub(self, rhs: SimTime) -> SimDuration {
        self.saturating_since(rhs)
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

impl fmt::Display for SimDuration {
    /// `1.250 s` style: how the clock bar and the logs print a span.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03} s", self.0 / 1000, self.0 % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_time_saturates_and_prints_in_seconds() {
        let t = SimTime::START + SimDuration::from_ms(1250);
        assert_eq!(t.since_start(), SimDuration(1250));
        assert_eq!(SimTime::START - t, SimDuration::ZERO);
        assert_eq!(alloc::format!("{}", t.since_start()), "1.250 s");
    }
}
