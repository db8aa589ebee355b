//! Lanes in lockstep: the same workload and the same faults, run side by
//! side on one clock, one [`World`] per lane — each with its own broker,
//! its own copies of the producers and workers, and its own policy. The
//! next action is always the earliest of any lane (the lowest lane first
//! at the same instant), so seeking the run seeks every lane together.
//!
//! Every actor draws from its own random stream, forked from the run's
//! seed by its role, so each lane's producers make the very same sends
//! whatever the lanes' consumers do differently.

use alloc::rc::Rc;
use alloc::vec::Vec;

use super::Injection;
use super::check::{Violation, check};
use super::trace::TraceEvent;
use super::world::World;
use crate::scenario::Scenario;
use crate::time::SimTime;

/// Every lane of a run, on one clock.
#[derive(Clone, Debug)]
pub struct Lanes {
    worlds: Vec<World>,
    actions: u64,
    violation: Option<Violation>,
}

impl Lanes {
    /// Every lane of `scenario`, ready to run with `seed` and the user's
    /// `injections`.
    pub fn new(scenario: Rc<Scenario>, seed: u64, injections: Rc<Vec<Injection>>) -> Lanes {
        let worlds = (0..scenario.lane_count())
            .map(|lane| World::new(scenario.clone(), lane as u16, seed, injections.clone()))
            .collect();
        Lanes {
            worlds,
            actions: 0,
            violation: None,
        }
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &Scenario {
        self.worlds[0].scenario()
    }

    /// The seed of this run.
    pub fn seed(&self) -> u64 {
        self.worlds[0].seed()
    }

    /// Lane `lane`'s world (the last lane's if there is no such lane).
    pub fn lane(&self, lane: usize) -> &World {
        &self.worlds[lane.min(self.worlds.len() - 1)]
    }

    /// Every lane's world.
    pub fn worlds(&self) -> &[World] {
        &self.worlds
    }

    /// How many actions ran, over every lane.
    pub fn actions(&self) -> u64 {
        self.actions
    }

    /// The clock: the time of the latest action (or of the last
    /// [`Lanes::set_clock`]).
    pub fn now(&self) -> SimTime {
        self.worlds.iter().map(World::now).max().unwrap_or_default()
    }

    /// When the next action will happen, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        self.worlds.iter().filter_map(World::next_time).min()
    }

    /// Whether every lane's run is over.
    pub fn is_finished(&self) -> bool {
        self.worlds.iter().all(World::is_finished)
    }

    /// The first property broken so far, if any (see [`super::check`]).
    pub fn violation(&self) -> Option<&Violation> {
        self.violation.as_ref()
    }

    /// Moves every lane's clock to `t` (no action may be due before).
    pub fn set_clock(&mut self, t: SimTime) {
        for w in &mut self.worlds {
            w.set_clock(t);
        }
    }

    /// Replaces the injections not applied yet, in every lane.
    pub fn set_injections(&mut self, injections: Rc<Vec<Injection>>) {
        for w in &mut self.worlds {
            w.set_injections(injections.clone());
        }
    }

    /// Runs the next action of the whole run and returns its events, then
    /// checks the properties of the lane it ran in.
    pub fn step(&mut self) -> Vec<TraceEvent> {
        let mut events = Vec::new();
        self.step_into(&mut events);
        events
    }

    /// Runs actions until `actions` have run (or the run is over),
    /// dropping their events: replaying what a timeline already holds, to
    /// seek or to play forward, needs the world, not its events again (one
    /// buffer for them all).
    pub fn replay_to(&mut self, actions: u64) {
        let mut events = Vec::new();
        while self.actions() < actions && !self.is_finished() {
            events.clear();
            self.step_into(&mut events);
        }
    }

    /// [`Lanes::step`], appending the action's events to `out` (one
    /// buffer for a whole run, as [`World::step_into`]).
    pub fn step_into(&mut self, out: &mut Vec<TraceEvent>) {
        let lane = match self.worlds.len() {
            // One lane: no choice to make (its step says if it is over).
            1 => 0,
            _ => {
                let next = self
                    .worlds
                    .iter()
                    .enumerate()
                    .filter_map(|(i, w)| Some((w.next_time()?, i)))
                    .min();
                match next {
                    Some((_, lane)) => lane,
                    None => return,
                }
            }
        };
        if self.worlds[lane].is_finished() {
            return;
        }
        let action = self.actions;
        let from = out.len();
        self.worlds[lane].step_into(action, out);
        self.actions += 1;
        if self.violation.is_none()
            && let Err(v) = check(&self.worlds[lane], action, &out[from..])
        {
            self.violation = Some(v);
        }
    }
}
