//! A whole run, kept so that any moment of it can be shown: the full
//! trace, and snapshots of every lane every [`SNAPSHOT_EVERY`] actions.
//! Seeking restores the nearest snapshot before the target and replays the
//! few actions in between, so its cost is bounded whatever the run's
//! length.

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::ops::Range;

use super::Injection;
use super::check::Violation;
use super::events::{Events, Trace};
use super::lanes::Lanes;
use super::trace::Fingerprint;
use crate::scenario::Scenario;
use crate::time::SimTime;

/// Actions between two snapshots: small enough that replaying them fits
/// in an animation frame, large enough that snapshots stay few.
pub const SNAPSHOT_EVERY: u64 = 512;

/// A run from start to end.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// The run's events, and every action's time.
    events: Trace,
    /// `snapshots[i]` is the run after `i * SNAPSHOT_EVERY` actions.
    snapshots: Vec<Lanes>,
    end: Lanes,
    fingerprint: Fingerprint,
    injections: Rc<Vec<Injection>>,
    /// Injections given to [`Timeline::run_with`] after the run's end.
    dropped: Vec<Injection>,
}

impl Timeline {
    /// Runs `scenario` with `seed` to its end.
    pub fn run(scenario: Scenario, seed: u64) -> Timeline {
        Timeline::run_with(scenario, seed, Vec::new())
    }

    /// Runs `scenario` with `seed` and the user's `injections` (those after
    /// the run's end are left out — they could not apply — and reported by
    /// [`Timeline::dropped_injections`]).
    pub fn run_with(scenario: Scenario, seed: u64, mut injections: Vec<Injection>) -> Timeline {
        let end_ms = scenario.end_ms();
        let (mut injections, dropped): (Vec<Injection>, Vec<Injection>) =
            injections.drain(..).partition(|i| i.at_ms() <= end_ms);
        injections.sort_by_key(Injection::at_ms);
        let injections = Rc::new(injections);
        let world = Lanes::new(Rc::new(scenario), seed, injections.clone());
        let mut timeline = Timeline {
            events: Trace::new(),
            snapshots: alloc::vec![world.clone()],
            end: world,
            fingerprint: Fingerprint::default(),
            injections,
            dropped,
        };
        timeline.run_to_end();
        timeline
    }

    fn run_to_end(&mut self) {
        // One buffer for every action's events, on their way to the trace.
        let mut events = Vec::new();
        while !self.end.is_finished() {
            self.end.step_into(&mut events);
            for e in &events {
                self.fingerprint.add(e);
            }
            self.events.push_action(self.end.now(), events.drain(..));
            if self.end.actions().is_multiple_of(SNAPSHOT_EVERY) {
                self.snapshots.push(self.end.clone());
            }
        }
    }

    /// Every event of the run.
    pub fn events(&self) -> Events<'_> {
        self.events.all()
    }

    /// The events of the actions in `actions` (the first action is 0).
    pub fn events_of_actions(&self, actions: Range<u64>) -> Events<'_> {
        let index = |a: u64| usize::try_from(a).unwrap_or(usize::MAX);
        self.events
            .of_actions(index(actions.start)..index(actions.end))
    }

    /// How many actions the run has.
    pub fn actions(&self) -> u64 {
        self.events.actions() as u64
    }

    /// The trace's fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// Every lane at the end of the run.
    pub fn end(&self) -> &Lanes {
        &self.end
    }

    /// The first property the run broke, if any (see
    /// [`crate::sim::check`]).
    pub fn violation(&self) -> Option<&Violation> {
        self.end.violation()
    }

    /// The user's injections, by time.
    pub fn injections(&self) -> &[Injection] {
        &self.injections
    }

    /// The injections [`Timeline::run_with`] left out because they were
    /// after the run's end.
    pub fn dropped_injections(&self) -> &[Injection] {
        &self.dropped
    }

    /// When the run ends.
    pub fn end_time(&self) -> SimTime {
        self.end.now()
    }

    /// Every lane after `n` actions.
    pub fn after(&self, n: u64) -> Lanes {
        let n = n.min(self.actions());
        let snapshot = &self.snapshots[(n / SNAPSHOT_EVERY) as usize];
        let mut world = snapshot.clone();
        world.replay_to(n);
        world
    }

    /// How many actions happened at or before `t`.
    pub fn actions_until(&self, t: SimTime) -> u64 {
        self.events.actions_until(t) as u64
    }

    /// Every lane at time `t`: every action at or before `t` applied, and
    /// the clock reading `t` (so idle times are as of `t`).
    pub fn at(&self, t: SimTime) -> Lanes {
        let mut world = self.after(self.actions_until(t));
        world.set_clock(t);
        world
    }

    /// How many events happened at or before `t`.
    pub fn events_until(&self, t: SimTime) -> usize {
        // An event happens at its action's time.
        self.events
            .of_actions(0..self.events.actions_until(t))
            .len()
    }

    /// Adds an injection at the current end of what has been applied at
    /// time `t` and recomputes the run from there on.
    ///
    /// An injection after the end of the run cannot apply: it is refused.
    pub fn inject(&mut self, injection: Injection) -> Result<(), InjectError> {
        let end_ms = self.end.scenario().end_ms();
        if injection.at_ms() > end_ms {
            return Err(InjectError::AfterTheEnd { end_ms });
        }
        let at = SimTime::START + crate::time::SimDuration::from_ms(injection.at_ms());
        let mut all: Vec<Injection> = (*self.injections).clone();
        all.push(injection);
        all.sort_by_key(Injection::at_ms);
        self.injections = Rc::new(all);
        // Restart from the last snapshot strictly before `at`: nothing at
        // or after `at` has run there yet.
        let keep = self
            .snapshots
            .iter()
            .rposition(|w| w.now() < at || w.actions() == 0)
            .unwrap_or(0);
        self.snapshots.truncate(keep + 1);
        // The kept snapshot replays with the new list too (seeking into it).
        self.snapshots[keep].set_injections(self.injections.clone());
        let world = self.snapshots[keep].clone();
        let done = world.actions();
        self.events.truncate_actions(done as usize);
        self.fingerprint = super::trace::fingerprint(self.events.all());
        self.end = world;
        self.run_to_end();
        Ok(())
    }
}

/// Why an injection was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InjectError {
    /// It is after the run's end (`end_ms` since its start).
    AfterTheEnd {
        /// When the run ends.
        end_ms: u64,
    },
}

impl core::fmt::Display for InjectError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            InjectError::AfterTheEnd { end_ms } => {
                write!(f, "the run ends at {end_ms} ms; nothing can happen after")
            }
        }
    }
}
