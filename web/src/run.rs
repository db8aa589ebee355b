//! One run of a scenario as a lab plays it: the engine's [`Timeline`] and a
//! cursor on it.
//!
//! The cursor is a simulated instant *and* how many of the engine's actions
//! are applied at it, because several actions can happen in the same
//! millisecond and Step moves one action — one atomic Redis command or
//! process step — at a time. Everything a lab shows comes from the engine's
//! world at the cursor; this module only decides *where* the cursor is.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::AttrValue;

use ackscope_engine::scenario::{
    FaultSpec, Guarantee, Scenario, ScenarioError, Setting, Text, builtin,
};
use ackscope_engine::sim::{EventRef, Events, Fingerprint, Injection, Lanes, Timeline, World};
use ackscope_engine::view::StageView;
use ackscope_engine::{SimDuration, SimTime};

/// The built-in scenarios the Streams lab offers, in menu order.
pub const STREAM_SCENARIOS: [&str; 3] = [
    "seed-offset-vs-pending",
    "stream-consumer-crash-claim",
    "stream-dead-letter",
];

/// The built-in scenarios the Queue vs Stream vs Pub/Sub lab offers.
pub const COMPARE_SCENARIOS: [&str; 6] = [
    "queue-vs-stream-vs-pubsub",
    "fanout-vs-group",
    "polling-vs-blocking",
    "reliable-list-queue",
    "list-blocking-and-rotation",
    "sharded-pubsub",
];

/// The built-in scenarios the Kafka lab offers: seed 003's two losses and
/// the safe settings first, then the ISR, the consumers' commits and
/// rebalances.
pub const KAFKA_SCENARIOS: [&str; 8] = [
    "kafka-acks1-leader-crash",
    "kafka-acksall-no-retry",
    "kafka-acksall-safe",
    "kafka-unclean-election",
    "kafka-min-isr-blocks",
    "kafka-commit-before-processing",
    "kafka-auto-commit",
    "kafka-rebalance",
];
/// The built-in scenarios the Guarantees lab offers: the comparison over
/// Redis Streams, then over Kafka, then the lane that deduplicates without
/// a transaction. `kafka-commit-before-processing` is the Kafka lab's
/// too: its two lanes are the at-most-once and at-least-once halves of
/// the Kafka comparison with one consumer, drawn here side by side with
/// their fates and counts.
pub const GUARANTEE_SCENARIOS: [&str; 4] = [
    "guarantees-side-by-side",
    "guarantees-side-by-side-kafka",
    "guarantees-dedup-without-transaction",
    "kafka-commit-before-processing",
];

/// At most this many console commands and fault buttons in one run, so a
/// shared link cannot make the page replay an unbounded list.
pub const MAX_INJECTIONS: usize = 64;

/// A position on the run: `actions` of the engine's actions applied, the
/// clock reading `ms` (milliseconds since the start).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Simulated milliseconds since the start of the run.
    pub ms: u64,
    /// Engine actions applied.
    pub actions: u64,
}

/// Why a console command or a fault could not join the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InjectError {
    /// After the run's end: the engine has nothing left to apply it to.
    RunEnded,
    /// [`MAX_INJECTIONS`] are already part of the run.
    TooMany,
}

/// A scenario run with a seed and the user's injections, and where it
/// is being looked at.
#[derive(Clone)]
pub struct Run {
    name: Rc<str>,
    seed: u64,
    timeline: Rc<Timeline>,
    cursor: Cursor,
    /// Every lane at `cursor`, kept to move forward cheaply while
    /// playing. Shared with earlier clones of this run: it is a memo of
    /// the timeline, never a source of truth.
    lanes: Rc<RefCell<Lanes>>,
    view: Rc<StageView>,
    /// Simulated time not yet applied, below one millisecond (slow
    /// speeds advance a fraction of a millisecond per frame).
    carry: f64,
    /// A "what if" lane beside the run's own, if the reader branched.
    branch: Option<Rc<Branch>>,
    /// What the reader changed on the built-in scenario.
    changes: Changes,
}

/// Which run a run is — its scenario, seed and trace fingerprint —, cheap
/// to make and compare on every frame: what is computed from a run's trace
/// alone (a lane's losses over time, the stage's card room) is memoized
/// on it, and is computed again only when another run replaces it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunId {
    name: Rc<str>,
    seed: u64,
    fingerprint: Fingerprint,
}

/// The scenario, seed and number of the reader's injections of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunTitle {
    /// The scenario's name.
    pub name: AttrValue,
    /// The seed.
    pub seed: u64,
    /// How many commands and faults the reader injected.
    pub injections: usize,
}

/// The reader's changes to the built-in scenario a run is made of.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    /// Kafka, Redis and workload settings (only those that change
    /// something, one per config).
    pub settings: Vec<Setting>,
    /// The fault schedule, in time order, if the reader edited it (`None`:
    /// the scenario's own).
    pub schedule: Option<Vec<FaultSpec>>,
}

/// A "what if": lane `lane` of the run replayed with one change. Until
/// the change matters it is the very same run; from then on, a second
/// future.
#[derive(Clone, Debug, PartialEq)]
pub struct BranchSpec {
    /// The lane replayed.
    pub lane: u16,
    /// What is different in it.
    pub change: BranchChange,
}

/// The one change a branch makes.
#[derive(Clone, Debug, PartialEq)]
pub enum BranchChange {
    /// The scenario's fault number `n` (from 0) left out.
    Without(u16),
    /// One more fault, at the moment the reader branched.
    With(FaultSpec),
    /// The lane gives this guarantee instead (its ack policy the
    /// guarantee's default), from the start.
    Guarantee(Guarantee),
}

impl BranchChange {
    /// A short name for the change, unique among a run's branches (a key
    /// for the lane's card).
    pub fn slug(&self) -> String {
        match self {
            BranchChange::Without(n) => format!("without-fault-{n}"),
            BranchChange::With(f) => format!(
                "with-{:?}-{}-{}",
                f.kind,
                f.role.as_deref().unwrap_or_default(),
                f.at_ms
            ),
            BranchChange::Guarantee(g) => format!("as-{}", g.as_str()),
        }
    }
}

/// A branch and the engine's run of it: the whole scenario run again
/// without the fault, so each lane is built exactly as in the run itself.
struct Branch {
    spec: BranchSpec,
    timeline: Timeline,
}

/// Two runs are equal when they show the same: the same trace, the same
/// actions applied, the same view. The cursor's milliseconds alone are
/// not compared. While playing they move every frame, and the view (what
/// the stage, the panels and the log draw) is brought up to them only when
/// an action is crossed or ten times a second (`Run::advance`); every
/// other move of the cursor makes a new view. So a component given the
/// run renders again when what it draws changes, not sixty times a
/// second for a clock it does not show (the clock bar is given the time
/// itself).
impl PartialEq for Run {
    fn eq(&self, other: &Run) -> bool {
        Rc::ptr_eq(&self.timeline, &other.timeline)
            && self.cursor.actions == other.cursor.actions
            && Rc::ptr_eq(&self.view, &other.view)
            && self.branch() == other.branch()
            && self.changes == other.changes
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("name", &self.name)
            .field("seed", &self.seed)
            .field("cursor", &self.cursor)
            .field("changes", &self.changes)
            .finish_non_exhaustive()
    }
}

/// The engine's instant `ms` milliseconds after the start.
pub fn instant(ms: u64) -> SimTime {
    SimTime::START + SimDuration::from_ms(ms)
}

/// Milliseconds since the start of the run at which `event` happened.
pub fn event_ms(event: &EventRef<'_>) -> u64 {
    event.at.since_start().as_ms()
}

impl Run {
    /// The built-in scenario `name`, run with `seed` and `injections`.
    pub fn builtin(name: &str, seed: u64, injections: Vec<Injection>) -> Option<Run> {
        let scenario = builtin::by_name(name)?;
        Some(Run::new(name, scenario, seed, injections))
    }

    /// `scenario` run with `seed` and `injections`, at its start.
    pub fn new(name: &str, scenario: Scenario, seed: u64, injections: Vec<Injection>) -> Run {
        let timeline = Timeline::run_with(scenario, seed, injections);
        Run::on(name.into(), seed, Rc::new(timeline), Cursor::default())
    }

    /// The built-in scenario `name` with the reader's `changes` (settings
    /// as [`Scenario::with_settings`] applies them, the fault schedule as
    /// [`Scenario::reshaped`] does), run with `seed` and `injections`, at
    /// its start; the refusal, naming what is wrong, if the scenario cannot
    /// run so.
    pub fn configured(
        name: &str,
        seed: u64,
        injections: Vec<Injection>,
        changes: &Changes,
    ) -> Result<Run, ScenarioError> {
        let base = builtin::by_name(name)
            .ok_or_else(|| ScenarioError(format!("{name}: no such built-in scenario")))?;
        let settings = base.needed_settings(&changes.settings);
        let schedule = changes
            .schedule
            .as_ref()
            .and_then(|s| base.needed_faults(s));
        let scenario = match (settings.as_slice(), &schedule) {
            ([], None) => base,
            (some, schedule) => base.reshaped(some, schedule.as_deref())?,
        };
        let mut run = Run::new(name, scenario, seed, injections);
        run.changes = Changes { settings, schedule };
        Ok(run)
    }

    /// This run with the reader's settings now `settings`, at the same
    /// time, with the same seed, injections and fault schedule; the
    /// refusal (the run unchanged) if the scenario cannot run so.
    pub fn with_settings(&self, settings: &[Setting]) -> Result<Run, ScenarioError> {
        self.with_changes(Changes {
            settings: settings.to_vec(),
            schedule: self.changes.schedule.clone(),
        })
    }

    /// This run with the fault schedule `schedule` (`None`: the
    /// scenario's own), at the same time, with the same seed, injections
    /// and settings; the refusal (the run unchanged) if the scenario
    /// cannot run so.
    pub fn with_schedule(&self, schedule: Option<Vec<FaultSpec>>) -> Result<Run, ScenarioError> {
        self.with_changes(Changes {
            settings: self.changes.settings.clone(),
            schedule,
        })
    }

    /// This run with the reader's changes now `changes`.
    pub fn with_changes(&self, changes: Changes) -> Result<Run, ScenarioError> {
        let fresh = Run::configured(&self.name, self.seed, self.injections().to_vec(), &changes)?;
        let mut run = self.at_same_time(Rc::clone(&fresh.timeline));
        run.changes = fresh.changes;
        Ok(run)
    }

    /// The reader's settings (empty: the scenario's own).
    pub fn settings(&self) -> &[Setting] {
        &self.changes.settings
    }

    /// Whether the reader changed the run in any way — commands, faults,
    /// settings, the workload or its schedule — so the scenario's
    /// narration may no longer be true of it.
    pub fn changed(&self) -> bool {
        !self.injections().is_empty() || self.changes != Changes::default()
    }

    /// The reader's changes.
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    /// The fault schedule the reader made, if any (else the scenario's
    /// own faults run).
    pub fn schedule(&self) -> Option<&[FaultSpec]> {
        self.changes.schedule.as_deref()
    }

    fn on(name: Rc<str>, seed: u64, timeline: Rc<Timeline>, cursor: Cursor) -> Run {
        let mut lanes = timeline.after(cursor.actions);
        lanes.set_clock(instant(cursor.ms));
        let view = Rc::new(lanes.lane(0).view());
        Run {
            name,
            seed,
            timeline,
            cursor,
            lanes: Rc::new(RefCell::new(lanes)),
            view,
            carry: 0.0,
            branch: None,
            changes: Changes::default(),
        }
    }

    /// This run with the branch `spec` beside it (or none), if the
    /// scenario has that lane and that fault.
    pub fn with_branch(&self, spec: Option<BranchSpec>) -> Option<Run> {
        let mut run = self.clone();
        run.branch = match spec {
            None => None,
            Some(spec) => Some(Rc::new(self.branch_of(spec)?)),
        };
        Some(run)
    }

    /// The branch `spec` asks for, run; `None` if the scenario has no
    /// such lane or fault, or the change makes a scenario the engine
    /// refuses (its validation says why; the link reports it as a bad
    /// branch).
    fn branch_of(&self, spec: BranchSpec) -> Option<Branch> {
        let scenario = self.scenario();
        let lane = usize::from(spec.lane);
        if lane >= scenario.lane_count() {
            return None;
        }
        let changed = match &spec.change {
            BranchChange::Without(n) => {
                let n = usize::from(*n);
                if n >= scenario.faults.len() {
                    return None;
                }
                let mut faults = scenario.faults.clone();
                faults.remove(n);
                scenario.with_faults(&faults)
            }
            BranchChange::With(fault) => {
                let mut faults = scenario.faults.clone();
                faults.push(fault.clone());
                scenario.with_faults(&faults)
            }
            BranchChange::Guarantee(g) => scenario.with_lane_guarantee(lane, *g),
        }
        .ok()?;
        let timeline = Timeline::run_with(changed, self.seed, self.injections().to_vec());
        Some(Branch { spec, timeline })
    }

    /// The branch beside the run, if any.
    pub fn branch(&self) -> Option<BranchSpec> {
        self.branch.as_ref().map(|b| b.spec.clone())
    }

    /// The branch's lane at the cursor (at its own end if it ends sooner).
    pub fn branch_world(&self) -> Option<World> {
        let b = self.branch.as_ref()?;
        let at = instant(self.cursor.ms).min(b.timeline.end_time());
        let lanes = b.timeline.at(at);
        Some(lanes.lane(usize::from(b.spec.lane)).clone())
    }

    /// The branch's whole run, for its chart.
    pub fn branch_timeline(&self) -> Option<&Timeline> {
        self.branch.as_ref().map(|b| &b.timeline)
    }

    /// The branch's own events, for a message's story in it.
    pub fn branch_events(&self) -> Events<'_> {
        match &self.branch {
            Some(b) => {
                let events = b.timeline.events();
                events.slice(..b.timeline.events_until(instant(self.cursor.ms)))
            }
            None => Events::default(),
        }
    }

    /// Which run this is, for memos of what its trace says.
    pub fn id(&self) -> RunId {
        RunId {
            name: Rc::clone(&self.name),
            seed: self.seed,
            fingerprint: self.timeline.fingerprint(),
        }
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The seed of the run.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// What a lab's head shows of the run: it changes only when another
    /// run is loaded, not as the cursor moves.
    pub fn title(&self) -> RunTitle {
        RunTitle {
            name: AttrValue::Rc(Rc::clone(&self.name)),
            seed: self.seed,
            injections: self.injections().len(),
        }
    }

    /// The narration in force at the cursor, since when, with its counts
    /// filled from this run's ledger now (in both languages).
    pub fn narration(&self) -> Option<(u64, Text)> {
        let (ms, t) = self.scenario().narration_at(self.cursor().ms)?;
        let world = self.world();
        let (en, ko) = (world.narrate(&t.en), world.narrate(&t.ko));
        Some((ms, Text { en, ko }))
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        self.timeline.end().scenario()
    }

    /// The whole run.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The trace's fingerprint, as the engine prints it.
    pub fn fingerprint(&self) -> String {
        self.timeline.fingerprint().to_hex()
    }

    /// When the run ends (ms since the start).
    pub fn end_ms(&self) -> u64 {
        self.timeline.end_time().since_start().as_ms()
    }

    /// Where the run is looked at.
    pub fn cursor(&self) -> Cursor {
        self.cursor
    }

    /// Whether the cursor is at the end of the run.
    pub fn at_end(&self) -> bool {
        self.cursor.ms >= self.end_ms()
    }

    /// The stage at the cursor, as the engine projects it.
    pub fn view(&self) -> Rc<StageView> {
        Rc::clone(&self.view)
    }

    /// The engine's world at the cursor (the lab's lane), for the
    /// inspector's queries.
    pub fn world(&self) -> Ref<'_, World> {
        Ref::map(self.lanes.borrow(), |l| l.lane(0))
    }

    /// The world of lane `lane` at the cursor (lane 0 if there is no such
    /// lane).
    pub fn lane_world(&self, lane: usize) -> Ref<'_, World> {
        Ref::map(self.lanes.borrow(), |l| l.lane(lane))
    }

    /// Every lane at the cursor, for a lab that draws them side by side.
    pub fn lanes(&self) -> Ref<'_, Lanes> {
        self.lanes.borrow()
    }

    /// Every event applied at the cursor.
    pub fn applied(&self) -> Events<'_> {
        self.events_before(self.cursor.actions)
    }

    /// The events of actions `from..to`.
    pub fn events_between(&self, from: u64, to: u64) -> Events<'_> {
        self.timeline.events_of_actions(from..to)
    }

    fn events_before(&self, actions: u64) -> Events<'_> {
        self.timeline.events_of_actions(0..actions)
    }

    /// The cursor at `ms` (clamped to the run), every action up to it
    /// applied: where scrubbing and playing land.
    pub fn cursor_at(&self, ms: u64) -> Cursor {
        let ms = ms.min(self.end_ms());
        Cursor {
            ms,
            actions: self.timeline.actions_until(instant(ms)),
        }
    }

    /// `Cursor { ms, actions }` if it is a position of this run: `ms`
    /// within it and `actions` between those done before `ms` and those
    /// done at `ms` (a share link's exact moment).
    pub fn checked_cursor(&self, ms: u64, actions: u64) -> Option<Cursor> {
        if ms > self.end_ms() {
            return None;
        }
        let before = match ms {
            0 => 0,
            _ => self.timeline.actions_until(instant(ms - 1)),
        };
        let until = self.timeline.actions_until(instant(ms));
        (before..=until)
            .contains(&actions)
            .then_some(Cursor { ms, actions })
    }

    /// The position right after the next event: Step.
    pub fn next_step(&self) -> Option<Cursor> {
        let next = self.timeline.events().get(self.applied().len())?;
        Some(Cursor {
            ms: event_ms(&next).max(self.cursor.ms),
            actions: u64::from(next.action) + 1,
        })
    }

    /// The position right before the last applied event's action, at the
    /// time of the event before it: Step back.
    pub fn prev_step(&self) -> Option<Cursor> {
        let Some(last) = self.applied().last() else {
            return (self.cursor != Cursor::default()).then_some(Cursor::default());
        };
        let last_action = u64::from(last.action);
        let earlier = self.events_before(last_action);
        let ms = earlier.last().map_or(0, |e| event_ms(&e));
        let actions = last_action.min(self.timeline.actions_until(instant(ms)));
        Some(Cursor { ms, actions })
    }

    /// Moves simulated time on by `sim_ms` (fractions carried over), and
    /// says whether the run's end was reached.
    ///
    /// When no action happens on the way, only the clock moves and the
    /// view (whose idle times grow with it) is recomputed only if
    /// `refresh`: while playing, idle bars need not be redrawn sixty times
    /// a second, and every redraw costs the browser a repaint.
    pub fn advance(&mut self, sim_ms: f64, refresh: bool) -> bool {
        self.carry += sim_ms.max(0.0);
        let whole = self.carry.floor();
        self.carry -= whole;
        if whole >= 1.0 {
            // Saturating float-to-int cast: a huge step lands on the end.
            let ms = self.cursor.ms.saturating_add(whole as u64);
            let target = self.cursor_at(ms);
            let target = Cursor {
                actions: target.actions.max(self.cursor.actions),
                ..target
            };
            match refresh || target.actions != self.cursor.actions || target.ms >= self.end_ms() {
                true => self.move_to(target),
                false => self.cursor = target,
            }
        }
        self.at_end()
    }

    /// Brings the view to the cursor's exact time, if [`Run::advance`]
    /// left it behind.
    pub fn refresh(&mut self) {
        if self.view.time_ms != self.cursor.ms {
            let mut lanes = self.lanes.borrow_mut();
            lanes.set_clock(instant(self.cursor.ms));
            self.view = Rc::new(lanes.lane(0).view());
        }
    }

    /// Puts the cursor at `cursor` and brings the world there.
    pub fn move_to(&mut self, cursor: Cursor) {
        if cursor == self.cursor {
            return self.refresh();
        }
        let at = instant(cursor.ms);
        {
            let mut lanes = self.lanes.borrow_mut();
            let forward = lanes.actions() <= cursor.actions && lanes.now() <= at;
            if forward {
                lanes.replay_to(cursor.actions);
            } else {
                *lanes = self.timeline.after(cursor.actions);
            }
            lanes.set_clock(at);
            self.view = Rc::new(lanes.lane(0).view());
        }
        self.cursor = cursor;
        if cursor.ms == 0 || self.at_end() {
            self.carry = 0.0;
        }
    }

    /// This run with `injection` added at the cursor's time, looked at
    /// right after it happened. The engine replays the run from its last
    /// snapshot before that time; the rest of the run is kept.
    pub fn with_injection(&self, injection: Injection) -> Result<Run, InjectError> {
        if self.timeline.injections().len() >= MAX_INJECTIONS {
            return Err(InjectError::TooMany);
        }
        let mut timeline = (*self.timeline).clone();
        timeline
            .inject(injection)
            .map_err(|_| InjectError::RunEnded)?;
        Ok(self.at_same_time(Rc::new(timeline)))
    }

    /// This run without the user's injections, at the same time.
    pub fn without_injections(&self) -> Run {
        let scenario = self.scenario().clone();
        let timeline = Timeline::run_with(scenario, self.seed, Vec::new());
        self.at_same_time(Rc::new(timeline))
    }

    /// `timeline` looked at the cursor's time, every action of it applied.
    fn at_same_time(&self, timeline: Rc<Timeline>) -> Run {
        let ms = self
            .cursor
            .ms
            .min(timeline.end_time().since_start().as_ms());
        let actions = timeline.actions_until(instant(ms));
        let mut run = Run::on(
            Rc::clone(&self.name),
            self.seed,
            timeline,
            Cursor { ms, actions },
        );
        run.changes = self.changes.clone();
        // A branch replays the run's injections too: run it again.
        if let Some(spec) = self.branch() {
            run.branch = run.branch_of(spec).map(Rc::new);
        }
        run
    }

    /// The user's injections, by time.
    pub fn injections(&self) -> &[Injection] {
        self.timeline.injections()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ackscope_engine::scenario::{FaultKind, FaultSpec};

    fn crash_claim() -> Run {
        Run::builtin("stream-consumer-crash-claim", 7, Vec::new()).unwrap()
    }

    impl Run {
        /// This run's view at `cursor`, sought afresh.
        fn view_at(&self, cursor: Cursor) -> StageView {
            fresh_world(self, cursor)
        }
    }

    fn fresh_world(run: &Run, cursor: Cursor) -> StageView {
        let mut lanes = run.timeline().after(cursor.actions);
        lanes.set_clock(instant(cursor.ms));
        lanes.lane(0).view()
    }

    #[test]
    fn every_offered_scenario_is_a_built_in() {
        for name in STREAM_SCENARIOS
            .iter()
            .chain(&COMPARE_SCENARIOS)
            .chain(&GUARANTEE_SCENARIOS)
        {
            let run = Run::builtin(name, 1, Vec::new()).unwrap();
            assert!(run.end_ms() > 0, "{name}");
        }
        assert!(Run::builtin("no-such-scenario", 1, Vec::new()).is_none());
    }

    #[test]
    fn stepping_forward_visits_every_event_once_in_order() {
        let mut run = crash_claim();
        let mut seen = 0;
        while let Some(next) = run.next_step() {
            assert!(next.ms >= run.cursor().ms && next.actions > run.cursor().actions);
            run.move_to(next);
            assert_eq!(run.checked_cursor(next.ms, next.actions), Some(next));
            let applied = run.applied().len();
            assert!(applied > seen, "a step applied no event");
            seen = applied;
        }
        assert_eq!(seen, run.timeline().events().len());
    }

    #[test]
    fn stepping_back_undoes_one_action_at_a_time() {
        let mut run = crash_claim();
        run.move_to(run.cursor_at(4470));
        let mut before = run.applied().len();
        for _ in 0..40 {
            let back = run.prev_step().unwrap();
            run.move_to(back);
            let after = run.applied().len();
            assert!(after < before);
            assert_eq!(run.checked_cursor(back.ms, back.actions), Some(back));
            before = after;
        }
    }

    #[test]
    fn the_cached_world_matches_a_fresh_seek_whichever_way_the_cursor_moves() {
        let mut run = crash_claim();
        for ms in [0, 600, 2500, 2501, 4470, 1000, 9000, 24000, 10] {
            run.move_to(run.cursor_at(ms));
            assert_eq!(*run.view(), fresh_world(&run, run.cursor()), "at {ms} ms");
        }
        while !run.advance(16.7 * 4.0, false) {}
        assert_eq!(run.cursor().ms, run.end_ms());
        assert_eq!(*run.view(), fresh_world(&run, run.cursor()));
    }

    #[test]
    fn slow_speeds_carry_fractions_of_a_millisecond() {
        let mut run = crash_claim();
        run.move_to(run.cursor_at(0));
        for _ in 0..100 {
            run.advance(0.25, false);
        }
        assert_eq!(run.cursor().ms, 25);
        assert_eq!(run.view().time_ms, 0, "the clock moved, nothing happened");
        run.refresh();
        assert_eq!(run.view().time_ms, 25);
    }

    #[test]
    fn a_console_command_joins_the_run_at_the_cursor() {
        let mut run = crash_claim();
        run.move_to(run.cursor_at(1500));
        let line = "XADD orders * hello world";
        let injected = run
            .with_injection(Injection::Console {
                at_ms: 1500,
                client: "console".into(),
                line: line.into(),
                lane: 0,
            })
            .unwrap();
        assert_eq!(injected.cursor().ms, 1500);
        assert_ne!(injected.fingerprint(), run.fingerprint());
        let newest = injected.world().query("XREVRANGE orders + - COUNT 1");
        assert!(newest.contains("hello"), "{newest}");
        assert_eq!(*injected.view(), fresh_world(&injected, injected.cursor()));
        let added = injected.events_between(run.cursor().actions, injected.cursor().actions);
        assert!(!added.is_empty());
    }

    fn crash_w2(at_ms: u64) -> Injection {
        Injection::Fault(FaultSpec {
            at_ms,
            kind: FaultKind::Crash,
            role: Some("w2".into()),
            until_ms: None,
            factor: None,
            command: None,
        })
    }

    #[test]
    fn commands_join_even_the_runs_last_instant_and_faults_replay() {
        let mut run = crash_claim();
        run.move_to(run.cursor_at(u64::MAX));
        let end = run.cursor().ms;
        let last = run.with_injection(crash_w2(end)).unwrap();
        assert_eq!(last.cursor().ms, end);
        assert_ne!(last.fingerprint(), run.fingerprint());
        let after = run.with_injection(crash_w2(end + 1));
        assert_eq!(after.err(), Some(InjectError::RunEnded));
        run.move_to(run.cursor_at(1000));
        let a = run.with_injection(crash_w2(1000)).unwrap();
        let b = Run::builtin("stream-consumer-crash-claim", 7, vec![crash_w2(1000)]).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(*a.view(), b.view_at(a.cursor()));
        assert_eq!(a.without_injections().fingerprint(), run.fingerprint());
    }

    #[test]
    fn a_branch_is_the_same_run_until_the_fault_it_leaves_out() {
        let mut run = Run::builtin("guarantees-side-by-side", 11, Vec::new()).unwrap();
        let spec = BranchSpec {
            lane: 0,
            change: BranchChange::Without(0),
        };
        assert!(
            run.with_branch(Some(BranchSpec {
                lane: 3,
                change: BranchChange::Without(0)
            }))
            .is_none()
        );
        assert!(
            run.with_branch(Some(BranchSpec {
                lane: 0,
                change: BranchChange::Without(9)
            }))
            .is_none()
        );
        let crash_ms = run.scenario().faults[0].at_ms;
        run = run.with_branch(Some(spec.clone())).unwrap();
        assert_eq!(run.branch(), Some(spec.clone()));
        run.move_to(run.cursor_at(crash_ms - 1));
        let (own, branch) = (
            run.lanes().lane(0).tally(),
            run.branch_world().unwrap().tally(),
        );
        assert_eq!(own.services, branch.services);
        run.move_to(run.cursor_at(u64::MAX));
        let (own, branch) = (
            run.lanes().lane(0).tally(),
            run.branch_world().unwrap().tally(),
        );
        assert!(own.services[0].counts.lost > 0);
        assert_ne!(
            own.services, branch.services,
            "without the crash, another future"
        );
        // The branch survives a fault the reader adds, and can be removed.
        let injected = run.with_injection(crash_w2(1000)).unwrap();
        assert_eq!(injected.branch(), Some(spec));
        assert_eq!(run.with_branch(None).unwrap().branch(), None);
    }

    #[test]
    fn a_branch_can_add_a_fault_or_switch_a_lanes_guarantee() {
        let run = Run::builtin("guarantees-side-by-side", 11, Vec::new()).unwrap();
        let end = |run: &Run| {
            let mut run = run.clone();
            run.move_to(run.cursor_at(u64::MAX));
            run.branch_world().unwrap().tally().services[0].counts
        };
        // Lane 1 (at-least-once) as exactly-once: nothing twice.
        let switched = run
            .with_branch(Some(BranchSpec {
                lane: 1,
                change: BranchChange::Guarantee(Guarantee::ExactlyOnce),
            }))
            .unwrap();
        assert_eq!(end(&switched).duplicates, 0);
        // Lane 0 (at-most-once) with w2 crashing at 1 s too: more lost.
        let crash = FaultSpec {
            at_ms: 1000,
            kind: ackscope_engine::scenario::FaultKind::Crash,
            role: Some("w2".into()),
            until_ms: None,
            factor: None,
            command: None,
        };
        let added = run
            .with_branch(Some(BranchSpec {
                lane: 0,
                change: BranchChange::With(crash.clone()),
            }))
            .unwrap();
        let own = run.clone().with_branch(Some(BranchSpec {
            lane: 0,
            change: BranchChange::Without(99),
        }));
        assert!(own.is_none(), "no such fault");
        assert!(end(&added).lost > 0);
        // A fault on nobody is refused with the scenario's own reason.
        let nobody = FaultSpec {
            role: Some("nobody".into()),
            ..crash
        };
        assert!(
            run.with_branch(Some(BranchSpec {
                lane: 0,
                change: BranchChange::With(nobody),
            }))
            .is_none()
        );
    }

    #[test]
    fn checked_cursors_refuse_positions_the_run_never_had() {
        let run = crash_claim();
        let at = run.cursor_at(2500);
        assert_eq!(run.checked_cursor(2500, at.actions), Some(at));
        assert_eq!(run.checked_cursor(2500, at.actions + 1), None);
        assert_eq!(run.checked_cursor(run.end_ms() + 1, 0), None);
        assert_eq!(run.checked_cursor(2500, 0), None);
    }
}
