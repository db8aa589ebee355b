//! The simulated clock as the clock bar sees it: where simulated time stands,
//! whether it runs, and how fast.
//!
//! The clock never makes time up: [`Clock::now`] is an engine [`SimTime`] and
//! only moves when the engine says an event happened.

use ackscope_engine::{SimDuration, SimTime};

/// How fast simulated time runs against wall-clock time while playing.
///
/// A fixed ladder of doublings rather than a free number: a class can say
/// "go to 4×" and everyone sees the same thing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Speed {
    /// 0.25×: slow enough to follow a single XREADGROUP.
    Quarter,
    /// 0.5×.
    Half,
    /// 1×: one simulated second per second.
    #[default]
    One,
    /// 2×.
    Two,
    /// 4×.
    Four,
    /// 8×.
    Eight,
    /// 16×: fast enough to watch a backlog build up.
    Sixteen,
}

impl Speed {
    /// Every speed, slowest first: the options of the Speed control.
    pub const ALL: [Speed; 7] = [
        Speed::Quarter,
        Speed::Half,
        Speed::One,
        Speed::Two,
        Speed::Four,
        Speed::Eight,
        Speed::Sixteen,
    ];

    /// How the control shows the speed; the same in every language.
    pub const fn label(self) -> &'static str {
        match self {
            Speed::Quarter => "0.25×",
            Speed::Half => "0.5×",
            Speed::One => "1×",
            Speed::Two => "2×",
            Speed::Four => "4×",
            Speed::Eight => "8×",
            Speed::Sixteen => "16×",
        }
    }

    /// The speed whose [`label`](Speed::label) is `label`, if any: how the
    /// `<select>`'s value comes back.
    pub fn from_label(label: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|speed| speed.label() == label)
    }

    /// The next speed up the ladder (the fastest stays the fastest).
    pub fn faster(self) -> Speed {
        let i = Speed::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Speed::ALL[(i + 1).min(Speed::ALL.len() - 1)]
    }

    /// The next speed down the ladder (the slowest stays the slowest).
    pub fn slower(self) -> Speed {
        let i = Speed::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Speed::ALL[i.saturating_sub(1)]
    }

    /// Simulated time that passes per wall-clock second at this speed.
    pub const fn per_wall_second(self) -> SimDuration {
        SimDuration::from_ms(match self {
            Speed::Quarter => 250,
            Speed::Half => 500,
            Speed::One => 1_000,
            Speed::Two => 2_000,
            Speed::Four => 4_000,
            Speed::Eight => 8_000,
            Speed::Sixteen => 16_000,
        })
    }
}

/// The clock bar's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    /// The current simulated instant, as the engine reported it.
    pub now: SimTime,
    /// Whether simulated time is running.
    pub playing: bool,
    /// How fast it runs when it does.
    pub speed: Speed,
}

impl Clock {
    /// A paused clock at the start of a run.
    pub fn new() -> Clock {
        Clock {
            now: SimTime::START,
            playing: false,
            speed: Speed::One,
        }
    }

    /// Simulated time since the run started: what the clock bar prints.
    pub fn elapsed(&self) -> SimDuration {
        self.now.since_start()
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_round_trip_through_their_labels_and_double_each_step() {
        for speed in Speed::ALL {
            assert_eq!(Speed::from_label(speed.label()), Some(speed));
        }
        assert_eq!(Speed::from_label("3×"), None);
        for pair in Speed::ALL.windows(2) {
            let (slow, fast) = (pair[0].per_wall_second(), pair[1].per_wall_second());
            assert_eq!(slow + slow, fast);
        }
    }

    #[test]
    fn a_new_clock_is_paused_at_the_start_and_prints_zero() {
        let clock = Clock::new();
        assert!(!clock.playing);
        assert_eq!(clock.elapsed(), SimDuration::ZERO);
        assert_eq!(clock.elapsed().to_string(), "0.000 s");
    }
}
