//! The page's state and everything that can happen to it.
//!
//! One reducer, so that every change is a visible [`Action`] and the rules
//! — "the clock does not move without a run", "seeking never animates",
//! "a command joins the run at the current time" — are tested without a
//! browser. The engine's run lives in [`Run`]; this module decides what
//! each user action does to it.

use std::rc::Rc;

use ackscope_engine::redis::db::stream_id::StreamId;
use ackscope_engine::scenario::{FaultKind, FaultSpec, ScenarioError, Setting};
use ackscope_engine::sim::Injection;
use yew::Reducible;

use crate::clock::{Clock, Speed};
use crate::i18n::Lang;
use crate::lab::Lab;
use crate::lesson::{LessonAt, reveal_speed};
use crate::link::{LessonLink, Link, LinkError};
use crate::motion::{self, Flight, Motion};
use crate::run::{
    BranchChange, BranchSpec, Changes, Cursor, InjectError, Run, STREAM_SCENARIOS, instant,
};
use crate::theme::Theme;

/// The connection console commands are sent on.
pub const CONSOLE_CLIENT: &str = "console";
/// What the Slow button does: processing takes this many times longer…
pub const SLOW_FACTOR: f64 = 4.0;
/// …for this long (simulated ms).
pub const SLOW_FOR_MS: u64 = 5000;

/// How long the cut-off button cuts a broker off the network.
pub const CUT_FOR_MS: u64 = 10_000;
/// The longest wall-clock gap between two frames that still advances the
/// clock by its length: after a hidden tab, playing resumes, not jumps.
const MAX_FRAME_GAP_MS: f64 = 100.0;
/// While playing, how often (wall-clock ms) idle times are redrawn when
/// nothing else happens: ten times a second reads as smooth, and spares
/// the browser a repaint every frame.
const IDLE_REFRESH_MS: f64 = 100.0;

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// An entry of a stream.
    Entry { key: String, id: StreamId },
    /// A consumer group.
    Group { key: String, group: String },
    /// A consumer of a group.
    Consumer {
        key: String,
        group: String,
        consumer: String,
    },
    /// A Kafka record, by the message it carries (`order-7`).
    Record { msg: String },
}

/// A message the page shows above the stage until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The link could not be read; the default run is shown instead.
    BadLink(LinkError),
    /// A command or fault could not join the run.
    Refused(InjectError),
    /// Kafka refuses the settings asked for (its reason); the run is
    /// unchanged.
    SettingsRefused(String),
    /// The scenario cannot run on a Redis Cluster (the command the
    /// cluster refuses, and Redis's reply); the run is unchanged.
    ClusterRefused(String),
    /// The workload or fault schedule asked for cannot run (the engine's
    /// reason, naming the field); the run is unchanged.
    WorkloadRefused(String),
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The open lab.
    pub lab: Lab,
    /// The language every string is shown in.
    pub lang: Lang,
    /// The clock bar.
    pub clock: Clock,
    /// The Streams lab's run.
    pub run: Option<Run>,
    /// How the stage got to its current state.
    pub motion: Motion,
    /// Whether the reader asked for reduced motion.
    pub reduced_motion: bool,
    /// Events travelling on the stage.
    pub flights: Rc<Vec<Flight>>,
    next_serial: u64,
    /// What the inspector shows.
    pub selection: Option<Selection>,
    /// A message for the reader.
    pub notice: Option<Notice>,
    /// Projection mode: large print and only what a room needs to see. A
    /// way of showing the page, so it stays on from lab to lab.
    pub projection: bool,
    /// The theme the reader chose.
    pub theme: Theme,
    /// Whether the help dialog (the keyboard shortcuts) is open.
    pub help: bool,
    /// The lesson being followed, if any.
    pub lesson: Option<LessonAt>,
    /// Where playing stops by itself (ms): the moment a lesson reveals
    /// its answer.
    stop_at: Option<u64>,
    /// Wall-clock time of the previous frame while playing.
    last_frame: Option<f64>,
    /// Wall-clock time the stage's view was last brought up to the clock.
    view_refreshed: f64,
}

/// Everything a user (or the page) can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Open a lab from the navigation.
    OpenLab(Lab),
    /// Switch the language.
    SetLang(Lang),
    /// Play if paused, pause if playing.
    TogglePlay,
    /// Move to right after the next event, pausing first.
    Step,
    /// Move to right before the last event, pausing first.
    StepBack,
    /// Go back to the start of the run, paused.
    Reset,
    /// Change how fast simulated time runs.
    SetSpeed(Speed),
    /// One speed faster (`+`).
    Faster,
    /// One speed slower (`−`).
    Slower,
    /// An animation frame at this wall-clock time (ms).
    Frame(f64),
    /// Jump to this simulated time (ms since the start).
    Seek(u64),
    /// Run a built-in scenario with its own seed, from the start.
    Load(String),
    /// Run the scenario again with another seed, at the same time.
    SetSeed(u64),
    /// Run a command line at the console, at the current time.
    Console(String),
    /// Crash, restart or slow down a worker at the current time.
    Fault(FaultKind, String),
    /// Remove the user's commands and faults from the run.
    ClearInjections,
    /// Change one setting of the run's scenario (a Kafka config, or
    /// whether Redis runs as a cluster): the run is made again with the
    /// same seed and injections, at the same time.
    Set(Setting),
    /// Back to the scenario's own settings, at the same time.
    OwnSettings,
    /// Change the run's fault schedule (the workload editor's), at the
    /// same time.
    Schedule(ScheduleEdit),
    /// Back to the scenario's own workload and fault schedule (its Kafka
    /// or Redis settings stay), at the same time.
    OwnWorkload,
    /// Put a "what if" lane beside the run, or take it away.
    Branch(Option<BranchSpec>),
    /// Show something in the inspector, or nothing.
    Select(Option<Selection>),
    /// Show what a share link describes (or why it cannot).
    Restore(Result<Option<Link>, LinkError>),
    /// The reader's reduced-motion preference.
    SetReducedMotion(bool),
    /// Hide the notice.
    DismissNotice,
    /// Open the help dialog, or close it (`?`).
    ToggleHelp,
    /// Close the help dialog (Escape, its Close button).
    CloseHelp,
    /// Turn projection mode on or off (`F`).
    ToggleProjection,
    /// Choose the theme.
    SetTheme(Theme),
    /// Start lesson `id` at its first step.
    OpenLesson(String),
    /// Go to this step of the lesson (from 0).
    LessonStep(usize),
    /// The learner's prediction: a choice of the step's question. The run
    /// plays to the moment the answer is read.
    Predict(usize),
    /// Leave the lesson; the lab stays as it is.
    CloseLesson,
}

impl State {
    /// The page a visitor lands on without a link: the first Streams
    /// scenario, in `lang`.
    pub fn new(lang: Lang) -> State {
        State {
            lab: Lab::default(),
            lang,
            clock: Clock::new(),
            run: default_run(Lab::Streams),
            motion: Motion::Instant,
            reduced_motion: false,
            flights: Rc::default(),
            next_serial: 0,
            selection: None,
            notice: None,
            projection: false,
            theme: Theme::System,
            help: false,
            lesson: None,
            stop_at: None,
            last_frame: None,
            view_refreshed: 0.0,
        }
    }

    /// A page playing `run` (the frame benchmark's).
    pub fn playing(lang: Lang, run: Run) -> State {
        let mut state = State::new(lang);
        state.clock.now = instant(run.cursor().ms);
        state.run = Some(run);
        state.clock.playing = true;
        state
    }

    /// The page a link describes, or the default page and the reason the
    /// link could not be shown.
    pub fn from_link(lang: Lang, link: Result<Option<Link>, LinkError>) -> State {
        Rc::new(State::new(lang))
            .reduce(Action::Restore(link))
            .as_ref()
            .clone()
    }

    /// Whether Play, Step and Reset can do anything: the open lab has a run.
    pub fn can_run(&self) -> bool {
        self.lab.runs() && self.run.is_some()
    }

    /// The share link of what is shown: in a lesson, its step.
    pub fn link(&self) -> Link {
        if let Some(at) = &self.lesson {
            return Link {
                lang: Some(self.lang),
                lesson: Some(LessonLink {
                    id: at.lesson.id.clone(),
                    step: at.step,
                    pick: at.picked,
                }),
                ..Link::default()
            };
        }
        let mut link = Link {
            lab: self.lab,
            lang: Some(self.lang),
            ..Link::default()
        };
        if let Some(run) = &self.run {
            let cursor = run.cursor();
            link.scenario = Some(run.name().to_owned());
            link.seed = Some(run.seed());
            link.t = cursor.ms;
            link.n = (run.cursor_at(cursor.ms) != cursor).then_some(cursor.actions);
            link.injections = run.injections().to_vec();
            link.branch = run.branch();
            link.settings = run.settings().to_vec();
            link.schedule = run.schedule().map(<[FaultSpec]>::to_vec);
        }
        link
    }

    fn restore(&mut self, link: Result<Option<Link>, LinkError>) {
        let link = match link {
            Ok(Some(link)) => link,
            Ok(None) => return,
            Err(error) => return self.notice = Some(Notice::BadLink(error)),
        };
        if let Some(lesson) = &link.lesson {
            self.lang = link.lang.unwrap_or(self.lang);
            return match LessonAt::open(&lesson.id, lesson.step) {
                Ok(at) => {
                    self.go_to(at);
                    if let Some(pick) = lesson.pick {
                        self.restore_pick(pick);
                    }
                }
                Err(error) => {
                    // Out of the lesson, or the address would name its
                    // step again, as if the bad link had never been read.
                    self.lesson = None;
                    self.stop_at = None;
                    self.notice = Some(Notice::BadLink(error));
                }
            };
        }
        match run_of(&link) {
            Ok(run) => {
                self.lab = link.lab;
                self.lang = link.lang.unwrap_or(self.lang);
                self.run = run.or_else(|| default_run(link.lab));
            }
            Err(error) => self.notice = Some(Notice::BadLink(error)),
        }
    }

    /// Moves the run's cursor forward from `from` and lets its events fly
    /// (at wall-clock time `now` while playing; see [`motion::admit`]).
    fn travel(&mut self, from: Cursor, now: Option<f64>) {
        let Some(run) = &self.run else { return };
        if self.reduced_motion {
            self.motion = Motion::Instant;
            return;
        }
        self.motion = Motion::Travel;
        let events = run.events_between(from.actions, run.cursor().actions);
        if events.is_empty() {
            return;
        }
        let travel = motion::travel_ms(self.clock.speed);
        let new = motion::flights(events, self.next_serial, travel, now.unwrap_or(0.0));
        self.next_serial += new.len() as u64;
        self.flights = Rc::new(motion::admit(&self.flights, new, now));
    }

    /// Shows the new state at once: nothing in flight.
    fn jump(&mut self) {
        self.motion = Motion::Instant;
        if !self.flights.is_empty() {
            self.flights = Rc::default();
        }
    }

    fn move_run(&mut self, to: Option<Cursor>, travel: bool) {
        let (Some(run), Some(to)) = (&mut self.run, to) else {
            return;
        };
        let from = run.cursor();
        run.move_to(to);
        if travel {
            self.travel(from, None)
        } else {
            self.jump()
        }
    }

    fn inject(&mut self, injection: impl FnOnce(u64) -> Injection) {
        let Some(run) = &self.run else { return };
        let from = run.cursor();
        match run.with_injection(injection(from.ms)) {
            Ok(next) => {
                self.run = Some(next);
                self.travel(from, None);
            }
            Err(error) => self.notice = Some(Notice::Refused(error)),
        }
    }

    fn frame(&mut self, now: f64) {
        let gap = self
            .last_frame
            .map_or(0.0, |last| (now - last).clamp(0.0, MAX_FRAME_GAP_MS));
        self.last_frame = Some(now);
        let Some(run) = &mut self.run else { return };
        let from = run.cursor();
        let per_ms = self.clock.speed.per_wall_second().as_ms() as f64 / 1000.0;
        let refresh = now - self.view_refreshed >= IDLE_REFRESH_MS;
        let before = run.view();
        let mut sim_ms = gap * per_ms;
        let mut stopped = false;
        if let Some(stop) = self.stop_at {
            let left = stop.saturating_sub(run.cursor().ms) as f64;
            stopped = sim_ms >= left;
            sim_ms = sim_ms.min(left);
        }
        let ended = run.advance(sim_ms, refresh || stopped);
        if stopped {
            // The reveal's moment, exactly: every action at it applied.
            let at = run.cursor_at(run.cursor().ms);
            run.move_to(at);
            self.stop_at = None;
        }
        let ended = ended || stopped;
        if ended {
            run.refresh();
        }
        if !Rc::ptr_eq(&before, &run.view()) {
            self.view_refreshed = now;
        }
        self.clock.playing = !ended;
        self.travel(from, Some(now));
    }
}

/// The default run of `lab`: the first scenario it offers (the Streams
/// lab's for a lab that draws no run yet).
fn default_run(lab: Lab) -> Option<Run> {
    let name = first_scenario(lab);
    let scenario = ackscope_engine::scenario::builtin::by_name(name)?;
    let seed = scenario.seed;
    Some(Run::new(name, scenario, seed, Vec::new()))
}

/// The first scenario `lab` offers (the Streams lab's for a lab that
/// draws no run yet).
fn first_scenario(lab: Lab) -> &'static str {
    lab.scenarios().first().unwrap_or(&STREAM_SCENARIOS[0])
}

/// The run a link names, at its moment (`None` when it names none). A
/// link that says where to go in a run (`t`, `seed`, faults, settings…)
/// but not which scenario means the lab's first one: `#lab=kafka&t=5000`
/// opens the Kafka lab's default run at 5 s, rather than at 0 s with the
/// time silently dropped.
fn run_of(link: &Link) -> Result<Option<Run>, LinkError> {
    let says_where = link.t > 0
        || link.seed.is_some()
        || link.n.is_some()
        || !link.injections.is_empty()
        || link.branch.is_some()
        || !link.settings.is_empty()
        || link.schedule.is_some();
    let name = match &link.scenario {
        Some(name) => name.as_str(),
        None if says_where => first_scenario(link.lab),
        None => return Ok(None),
    };
    let offered = match link.lab.scenarios() {
        [] => &STREAM_SCENARIOS[..],
        names => names,
    };
    if !offered.contains(&name) {
        return Err(LinkError::UnknownScenario);
    }
    // Only the Compare lab has the cluster switch: elsewhere a Redis
    // setting is not one the lab offers.
    if let Some(i) = link
        .settings
        .iter()
        .position(|s| matches!(s, Setting::Redis(_)) && !link.lab.has_cluster_switch())
    {
        return Err(LinkError::BadSetting(i + 1));
    }
    let scenario =
        ackscope_engine::scenario::builtin::by_name(name).ok_or(LinkError::UnknownScenario)?;
    let unknown = link.injections.iter().find_map(|i| {
        let Injection::Fault(f) = i else {
            return None;
        };
        let role = f.role.as_deref()?;
        let worker = scenario.workers().any(|(_, w)| w.name == role);
        let known = if scenario.has_broker_role(role) {
            true
        } else if f.kind.targets_process() {
            worker
        } else {
            scenario.has_role(role)
        };
        (!known).then_some(role)
    });
    if let Some(role) = unknown {
        return Err(LinkError::UnknownWorker(role.into()));
    }
    if link
        .injections
        .iter()
        .any(|i| i.at_ms() > scenario.end_ms())
    {
        return Err(LinkError::NotInRun);
    }
    let seed = link.seed.unwrap_or(scenario.seed);
    let changes = Changes {
        settings: link.settings.clone(),
        schedule: link.schedule.clone(),
    };
    let mut run = Run::configured(name, seed, link.injections.clone(), &changes)
        .map_err(|e| LinkError::SettingsRefused(e.0))?;
    let cursor = match link.n {
        Some(n) => run.checked_cursor(link.t, n),
        None => (link.t <= run.end_ms()).then(|| run.cursor_at(link.t)),
    };
    run.move_to(cursor.ok_or(LinkError::NotInRun)?);
    if link.branch.is_some() {
        run = run
            .with_branch(link.branch.clone())
            .ok_or(LinkError::BadValue("branch"))?;
    }
    Ok(Some(run))
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Refused actions return `self` unchanged, and Yew skips the render.
        let runs = matches!(
            action,
            Action::TogglePlay | Action::Step | Action::StepBack | Action::Reset | Action::Seek(_)
        );
        if (runs && !self.can_run()) || (matches!(action, Action::Frame(_)) && !self.clock.playing)
        {
            return self;
        }
        let mut next = (*self).clone();
        next.apply(action);
        if let Some(run) = &mut next.run {
            // A paused stage shows exactly the clock's moment.
            if !next.clock.playing {
                run.refresh();
            }
            next.clock.now = instant(run.cursor().ms);
        }
        if next == *self { self } else { Rc::new(next) }
    }
}

impl State {
    fn apply(&mut self, action: Action) {
        match action {
            Action::OpenLab(lab) => {
                // The clock belongs to the lab's run: leaving a lab stops it.
                self.lab = lab;
                self.lesson = None;
                self.clock.playing = false;
                // A lab plays its own scenarios: opening one that does not
                // offer the current run starts its first.
                let offered = |run: &Run| lab.scenarios().contains(&run.name());
                if lab.runs() && !self.run.as_ref().is_some_and(offered) {
                    self.run = default_run(lab);
                    self.selection = None;
                    self.jump();
                }
            }
            Action::SetLang(lang) => self.lang = lang,
            Action::TogglePlay => self.toggle_play(),
            Action::Step => {
                self.clock.playing = false;
                let next = self.run.as_ref().and_then(Run::next_step);
                self.move_run(next, true);
            }
            Action::StepBack => {
                self.clock.playing = false;
                let back = self.run.as_ref().and_then(Run::prev_step);
                self.move_run(back, false);
            }
            Action::Reset => {
                self.clock.playing = false;
                self.move_run(Some(Cursor::default()), false);
            }
            Action::SetSpeed(speed) => self.clock.speed = speed,
            Action::Faster => self.clock.speed = self.clock.speed.faster(),
            Action::Slower => self.clock.speed = self.clock.speed.slower(),
            Action::Frame(now) => self.frame(now),
            Action::Seek(ms) => {
                let to = self.run.as_ref().map(|run| run.cursor_at(ms));
                self.move_run(to, false);
            }
            Action::Load(name) => {
                self.lesson = None;
                self.load(&name, None)
            }
            Action::SetSeed(seed) => {
                let name = self.run.as_ref().map(|run| run.name().to_owned());
                if let Some(name) = name {
                    self.load(&name, Some(seed));
                }
            }
            Action::Console(line) => self.console(line),
            Action::Fault(kind, worker) => self.inject(|at_ms| fault(kind, worker, at_ms)),
            Action::ClearInjections => {
                self.run = self.run.as_ref().map(Run::without_injections);
                self.jump();
            }
            Action::Set(setting) => self.set(setting),
            Action::OwnSettings => {
                let own = self
                    .run
                    .as_ref()
                    .and_then(|run| run.with_settings(&[]).ok());
                if let Some(run) = own {
                    self.run = Some(run);
                    self.jump();
                }
            }
            Action::Schedule(edit) => {
                let Some(run) = &self.run else { return };
                let Some(schedule) = edit.applied_to(&run.scenario().faults, run.cursor().ms)
                else {
                    return;
                };
                let changed = run.with_schedule(Some(schedule));
                self.rebuilt(changed, Notice::WorkloadRefused);
            }
            Action::OwnWorkload => {
                let Some(run) = &self.run else { return };
                let changes = Changes {
                    settings: run
                        .settings()
                        .iter()
                        .filter(|s| !matches!(s, Setting::Workload(_)))
                        .copied()
                        .collect(),
                    schedule: None,
                };
                let changed = run.with_changes(changes);
                self.rebuilt(changed, Notice::WorkloadRefused);
            }
            Action::Branch(mut spec) => {
                // A fault the branch adds strikes now, where the reader is.
                if let (
                    Some(BranchSpec {
                        change: BranchChange::With(f),
                        ..
                    }),
                    Some(run),
                ) = (spec.as_mut(), self.run.as_ref())
                {
                    f.at_ms = run.cursor().ms;
                }
                let branched = self.run.as_ref().and_then(|run| run.with_branch(spec));
                if let Some(run) = branched {
                    self.run = Some(run);
                    self.jump();
                }
            }
            Action::Select(selection) => self.selection = selection,
            Action::Restore(link) => {
                self.clock.playing = false;
                self.selection = None;
                self.restore(link);
                self.jump();
            }
            Action::SetReducedMotion(reduced) => {
                self.reduced_motion = reduced;
                if reduced {
                    self.jump();
                }
            }
            Action::DismissNotice => self.notice = None,
            Action::ToggleHelp => self.help = !self.help,
            Action::CloseHelp => self.help = false,
            Action::ToggleProjection => self.projection = !self.projection,
            Action::SetTheme(theme) => self.theme = theme,
            Action::OpenLesson(id) => match LessonAt::open(&id, 0) {
                Ok(at) => self.go_to(at),
                Err(error) => self.notice = Some(Notice::BadLink(error)),
            },
            Action::LessonStep(step) => {
                if let Some(at) = self.lesson.as_ref().and_then(|l| l.at(step)) {
                    self.go_to(at);
                }
            }
            Action::Predict(choice) => self.predict(choice),
            Action::CloseLesson => {
                self.lesson = None;
                self.stop_at = None;
            }
        }
    }

    /// Shows lesson step `at`: its lab, its run paused at its moment. The
    /// run is kept when the step plays the same one (same scenario, seed
    /// and injections), so going from step to step does not recompute it.
    fn go_to(&mut self, at: LessonAt) {
        let step = at.current();
        let same = self.run.as_ref().is_some_and(|run| {
            run.name() == step.scenario
                && Some(run.seed()) == at.lesson.seed(at.step)
                && run.injections() == at.lesson.injections(at.step).as_slice()
                && run.settings().is_empty()
                && run.branch().is_none()
        });
        match (same, &mut self.run) {
            (true, Some(run)) => run.move_to(run.cursor_at(step.at_ms)),
            _ => self.run = at.run().or_else(|| default_run(at.lab())),
        }
        self.lab = at.lab();
        self.clock.playing = false;
        self.stop_at = None;
        self.selection = None;
        self.lesson = Some(at);
        self.jump();
    }

    /// The pick a link carried: the step shows its answer and the verdict,
    /// paused at the moment the answer is read. A choice the question does
    /// not offer (or a step without a question) is refused, and the step
    /// is shown unanswered.
    fn restore_pick(&mut self, pick: usize) {
        let (Some(at), Some(run)) = (&mut self.lesson, &mut self.run) else {
            return;
        };
        let offered = at
            .question()
            .and_then(|q| q.asked(run.timeline()).ok())
            .is_some_and(|asked| pick < asked.choices.len());
        let reveal = at.reveal_ms(run);
        match (offered, reveal) {
            (true, Some(ms)) => {
                at.picked = Some(pick);
                run.move_to(run.cursor_at(ms));
            }
            _ => self.notice = Some(Notice::BadLink(LinkError::BadValue("pick"))),
        }
    }

    /// The learner predicts `choice`: the run plays to the moment the
    /// answer is read (at once with reduced motion), fast enough not to
    /// keep a class waiting.
    fn predict(&mut self, choice: usize) {
        let (Some(at), Some(run)) = (&mut self.lesson, &self.run) else {
            return;
        };
        if at.picked.is_some() {
            return;
        }
        let Some(reveal) = at.reveal_ms(run) else {
            return;
        };
        at.picked = Some(choice);
        let from = run.cursor().ms;
        if reveal <= from {
            return;
        }
        if self.reduced_motion {
            let to = run.cursor_at(reveal);
            return self.move_run(Some(to), false);
        }
        self.clock.speed = reveal_speed(reveal - from);
        self.stop_at = Some(reveal);
        self.last_frame = None;
        self.clock.playing = true;
    }

    fn toggle_play(&mut self) {
        self.last_frame = None;
        if self.clock.playing {
            self.clock.playing = false;
            // Paused, the stage shows exactly the clock's moment.
            if let Some(run) = &mut self.run {
                run.refresh();
            }
            return;
        }
        // Play at the end starts over, as a video player does.
        if self.run.as_ref().is_some_and(Run::at_end) {
            self.move_run(Some(Cursor::default()), false);
        }
        self.clock.playing = true;
    }

    fn console(&mut self, line: String) {
        let line = line.trim().to_owned();
        if line.is_empty()
            || line.len() > crate::link::MAX_LINE
            || line.chars().any(char::is_control)
        {
            return;
        }
        self.inject(|at_ms| Injection::Console {
            at_ms,
            client: CONSOLE_CLIENT.into(),
            line,
            lane: 0,
        });
    }

    fn set(&mut self, setting: Setting) {
        let Some(run) = &self.run else { return };
        let mut settings = run.settings().to_vec();
        settings.push(setting);
        let changed = run.with_settings(&settings);
        let refused = match setting {
            Setting::Kafka(_) => Notice::SettingsRefused,
            Setting::Redis(_) => Notice::ClusterRefused,
            Setting::Workload(_) => Notice::WorkloadRefused,
        };
        self.rebuilt(changed, refused);
    }

    /// Shows `changed`, the run made again with the reader's changes, or
    /// the reason it could not be (`refused` makes the notice); a notice of
    /// an earlier refusal goes once a change is taken.
    fn rebuilt(&mut self, changed: Result<Run, ScenarioError>, refused: fn(String) -> Notice) {
        match changed {
            Ok(next) => {
                self.run = Some(next);
                if matches!(
                    self.notice,
                    Some(
                        Notice::SettingsRefused(_)
                            | Notice::ClusterRefused(_)
                            | Notice::WorkloadRefused(_)
                    )
                ) {
                    self.notice = None;
                }
                self.jump();
            }
            Err(error) => self.notice = Some(refused(error.0)),
        }
    }

    /// Runs scenario `name` (the same one with a new seed keeps the
    /// user's injections, settings and the time; another one starts
    /// afresh).
    fn load(&mut self, name: &str, seed: Option<u64>) {
        let Some(scenario) = ackscope_engine::scenario::builtin::by_name(name) else {
            return;
        };
        let same = self
            .run
            .as_ref()
            .filter(|run| run.name() == name && seed.is_some());
        let injections = same.map_or_else(Vec::new, |run| run.injections().to_vec());
        let changes = same.map_or_else(Changes::default, |run| run.changes().clone());
        let ms = same.map_or(0, |run| run.cursor().ms);
        let seed = seed.unwrap_or(scenario.seed);
        let mut run = match Run::configured(name, seed, injections.clone(), &changes) {
            Ok(run) => run,
            Err(_) => Run::new(name, scenario, seed, injections),
        };
        run.move_to(run.cursor_at(ms));
        self.run = Some(run);
        self.clock.playing = false;
        self.selection = None;
        self.jump();
    }
}

fn fault(kind: FaultKind, worker: String, at_ms: u64) -> Injection {
    Injection::Fault(fault_spec(kind, Some(worker), None, at_ms))
}

/// The fault a button or the schedule's "add" makes: `kind` striking
/// `role` (and only its `command`, for a lost command or reply) at
/// `at_ms`; a slowdown lasts [`SLOW_FOR_MS`], a cut [`CUT_FOR_MS`].
pub fn fault_spec(
    kind: FaultKind,
    role: Option<String>,
    command: Option<String>,
    at_ms: u64,
) -> FaultSpec {
    let slow = kind == FaultKind::Slow;
    let cut = kind == FaultKind::Disconnect;
    FaultSpec {
        at_ms,
        kind,
        role,
        until_ms: match (slow, cut) {
            (true, _) => Some(at_ms + SLOW_FOR_MS),
            (_, true) => Some(at_ms + CUT_FOR_MS),
            _ => None,
        },
        factor: slow.then_some(SLOW_FACTOR),
        command,
    }
}

/// One change to a fault schedule, by the index of the fault in the
/// run's schedule (time order).
#[derive(Clone, Debug, PartialEq)]
pub enum ScheduleEdit {
    /// A fault of `kind` on `role` (and `command`) at `at_ms`, or now.
    Add {
        /// What happens.
        kind: FaultKind,
        /// To whom (`None`: the Redis server itself).
        role: Option<String>,
        /// Which command is lost, for a lost command.
        command: Option<String>,
        /// When (`None`: at the cursor).
        at_ms: Option<u64>,
    },
    /// Fault `n` moved to `at_ms` (a slowdown or cut keeps its length).
    Move(usize, u64),
    /// Fault `n` taken out.
    Remove(usize),
}

impl ScheduleEdit {
    /// `schedule` with this change, the cursor at `now_ms`; `None` when
    /// it names a fault the schedule does not have.
    pub fn applied_to(&self, schedule: &[FaultSpec], now_ms: u64) -> Option<Vec<FaultSpec>> {
        let mut faults = schedule.to_vec();
        match self {
            ScheduleEdit::Add {
                kind,
                role,
                command,
                at_ms,
            } => faults.push(fault_spec(
                *kind,
                role.clone(),
                command.clone(),
                at_ms.unwrap_or(now_ms),
            )),
            ScheduleEdit::Move(n, at_ms) => {
                let f = faults.get_mut(*n)?;
                f.until_ms = f.until_ms.map(|u| at_ms + u.saturating_sub(f.at_ms));
                f.at_ms = *at_ms;
            }
            ScheduleEdit::Remove(n) => {
                faults.get(*n)?;
                faults.remove(*n);
            }
        }
        faults.sort_by_key(|f| f.at_ms);
        Some(faults)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::COMPARE_SCENARIOS;
    use ackscope_engine::scenario::KafkaSetting;
    use ackscope_engine::view::WorkerStatus;
    use ackscope_engine::view::kafka::BrokerState;

    fn after(state: State, actions: &[Action]) -> Rc<State> {
        actions
            .iter()
            .fold(Rc::new(state), |state, action| state.reduce(action.clone()))
    }

    fn streams(name: &str) -> State {
        after(State::new(Lang::En), &[Action::Load(name.into())])
            .as_ref()
            .clone()
    }

    fn ms(state: &State) -> u64 {
        state.run.as_ref().unwrap().cursor().ms
    }

    #[test]
    fn projection_and_theme_stay_from_lab_to_lab_and_help_toggles() {
        let state = after(
            State::new(Lang::En),
            &[
                Action::ToggleProjection,
                Action::SetTheme(Theme::Dark),
                Action::OpenLab(Lab::Kafka),
                Action::OpenLab(Lab::Guarantees),
            ],
        );
        assert!(state.projection);
        assert_eq!(state.theme, Theme::Dark);
        let state = after(state.as_ref().clone(), &[Action::ToggleProjection]);
        assert!(!state.projection);
        let open = after(State::new(Lang::En), &[Action::ToggleHelp]);
        assert!(open.help);
        assert!(!after(open.as_ref().clone(), &[Action::ToggleHelp]).help);
        assert!(!after(open.as_ref().clone(), &[Action::CloseHelp]).help);
        // Closing a closed dialog changes nothing: Yew skips the render.
        let closed = Rc::new(State::new(Lang::En));
        assert!(Rc::ptr_eq(
            &closed,
            &closed.clone().reduce(Action::CloseHelp)
        ));
    }

    #[test]
    fn the_default_page_runs_the_first_streams_scenario() {
        let state = State::new(Lang::Ko);
        assert!(state.can_run());
        assert_eq!(state.run.as_ref().unwrap().name(), STREAM_SCENARIOS[0]);
        assert_eq!(state.lang, Lang::Ko);
    }

    #[test]
    fn each_built_lab_plays_its_own_scenarios() {
        let compare = after(State::new(Lang::En), &[Action::OpenLab(Lab::Compare)]);
        assert!(compare.can_run());
        assert_eq!(compare.run.as_ref().unwrap().name(), COMPARE_SCENARIOS[0]);
        let back = after(compare.as_ref().clone(), &[Action::OpenLab(Lab::Streams)]);
        assert_eq!(back.run.as_ref().unwrap().name(), STREAM_SCENARIOS[0]);
        // A link names a scenario of its own lab, or it is refused.
        let link = |fragment: &str| State::from_link(Lang::En, Link::parse(fragment));
        let ok = link("lab=compare&scenario=polling-vs-blocking&t=1000");
        assert_eq!(ok.run.as_ref().unwrap().name(), "polling-vs-blocking");
        assert_eq!(ok.lab, Lab::Compare);
        let wrong = link("lab=streams&scenario=polling-vs-blocking");
        assert_eq!(
            wrong.notice,
            Some(Notice::BadLink(LinkError::UnknownScenario))
        );
        // Without a scenario, a moment means the lab's first one; with
        // neither, the lab opens at its start.
        let at = link("lab=kafka&t=5000");
        assert_eq!(at.notice, None);
        let run = at.run.as_ref().unwrap();
        assert_eq!(run.name(), crate::run::KAFKA_SCENARIOS[0]);
        assert_eq!(ms(&at), 5000);
        assert_eq!(ms(&link("lab=kafka")), 0);
        let seeded = link("lab=compare&seed=9");
        assert_eq!(seeded.run.as_ref().unwrap().name(), COMPARE_SCENARIOS[0]);
        assert_eq!(seeded.run.as_ref().unwrap().seed(), 9);
        let past = format!("lab=kafka&t={}", run.end_ms() + 1);
        assert_eq!(
            link(&past).notice,
            Some(Notice::BadLink(LinkError::NotInRun))
        );
    }

    #[test]
    fn the_guarantees_lab_plays_kafka_lanes_and_shares_one_with_the_kafka_lab() {
        let link = |fragment: &str| State::from_link(Lang::En, Link::parse(fragment));
        let kafka = "kafka-commit-before-processing";
        let opened = link(&format!("lab=guarantees&scenario={kafka}&t=7000"));
        assert_eq!(opened.notice, None);
        assert_eq!(opened.lab, Lab::Guarantees);
        let run = opened.run.as_ref().unwrap();
        assert_eq!(run.name(), kafka);
        assert!(
            run.lanes()
                .worlds()
                .iter()
                .all(|w| w.kafka_glance(0).is_some())
        );
        // Both labs offer it: switching keeps the run and its moment.
        let moved = after(opened.clone(), &[Action::OpenLab(Lab::Kafka)]);
        assert_eq!(moved.run.as_ref().unwrap().name(), kafka);
        assert_eq!(ms(&moved), 7000);
        // A Redis comparison is still the Guarantees lab's alone.
        let wrong = link("lab=kafka&scenario=guarantees-side-by-side");
        assert_eq!(
            wrong.notice,
            Some(Notice::BadLink(LinkError::UnknownScenario))
        );
        // The Kafka faults every lane shares, carried by the link.
        let faulted = after(
            opened,
            &[
                Action::Fault(FaultKind::BrokerCrash, "leader".into()),
                Action::Fault(FaultKind::LoseReply, "order".into()),
                Action::Fault(FaultKind::Slow, "c1".into()),
            ],
        );
        let fragment = faulted.link().to_fragment();
        let restored = link(&fragment);
        assert_eq!(restored.notice, None, "{fragment}");
        assert_eq!(restored.run.as_ref().unwrap().injections().len(), 3);
        // Half a second on, the leader is dead in every lane (each lane
        // applies the fault at its own next step).
        let later = after(restored, &[Action::Seek(7500)]);
        for w in later.run.as_ref().unwrap().lanes().worlds() {
            let g = w.kafka_glance(0).unwrap();
            assert!(
                g.brokers.iter().any(|b| b.state == BrokerState::Dead),
                "{fragment}: lane {}",
                w.lane()
            );
        }
    }

    #[test]
    fn a_branch_lives_in_the_link_and_comes_back_from_it() {
        let fragment = "lab=guarantees&scenario=guarantees-side-by-side&seed=11&t=3000";
        let state = State::from_link(Lang::En, Link::parse(fragment));
        let spec = BranchSpec {
            lane: 0,
            change: BranchChange::Without(0),
        };
        let branched = after(state.clone(), &[Action::Branch(Some(spec.clone()))]);
        assert_eq!(branched.run.as_ref().unwrap().branch(), Some(spec.clone()));
        let link = branched.link();
        assert_eq!(link.branch, Some(spec.clone()));
        let restored = State::from_link(Lang::En, Link::parse(&link.to_fragment()));
        assert_eq!(restored.run.as_ref().unwrap().branch(), Some(spec));
        assert_eq!(restored.run.as_ref().unwrap().cursor().ms, 3000);
        let gone = after(restored, &[Action::Branch(None)]);
        assert_eq!(gone.run.as_ref().unwrap().branch(), None);
        // A fault a branch adds strikes at the cursor, whatever time the
        // button carried.
        let crash = BranchSpec {
            lane: 0,
            change: BranchChange::With(ackscope_engine::scenario::FaultSpec {
                at_ms: 0,
                kind: FaultKind::Crash,
                role: Some("w2".into()),
                until_ms: None,
                factor: None,
                command: None,
            }),
        };
        let added = after(state, &[Action::Branch(Some(crash))]);
        let Some(BranchSpec {
            change: BranchChange::With(f),
            ..
        }) = added.run.as_ref().unwrap().branch()
        else {
            panic!("the branch adds a fault");
        };
        assert_eq!(f.at_ms, 3000);
        // A branch the scenario cannot have is refused with a reason.
        let bad = State::from_link(Lang::En, Link::parse(&format!("{fragment}&branch=0.9")));
        assert_eq!(
            bad.notice,
            Some(Notice::BadLink(LinkError::BadValue("branch")))
        );
    }

    #[test]
    fn every_lab_opens_with_its_first_scenario_and_plays() {
        for lab in Lab::ALL {
            let opened = after(State::new(Lang::En), &[Action::OpenLab(lab)]);
            let run = opened.run.as_ref().expect("every lab is built");
            assert_eq!(run.name(), lab.scenarios()[0], "{lab:?}");
            let playing = Rc::clone(&opened).reduce(Action::TogglePlay);
            assert!(playing.clock.playing, "{lab:?}");
        }
    }

    #[test]
    fn playing_advances_by_wall_time_times_speed_and_stops_at_the_end() {
        let state = after(
            streams("stream-dead-letter"),
            &[
                Action::SetSpeed(Speed::Four),
                Action::TogglePlay,
                Action::Frame(1000.0),
                Action::Frame(1050.0),
            ],
        );
        assert_eq!(ms(&state), 200, "the first frame only starts the clock");
        assert_eq!(state.motion, Motion::Travel);
        let paused = Rc::clone(&state).reduce(Action::TogglePlay);
        assert!(Rc::ptr_eq(
            &paused.clone().reduce(Action::Frame(2000.0)),
            &paused
        ));
        let mut state = state;
        let mut wall = 1050.0;
        while state.clock.playing {
            wall += 100.0;
            state = state.reduce(Action::Frame(wall));
        }
        assert!(state.run.as_ref().unwrap().at_end());
        // Play at the end starts over.
        let again = state.reduce(Action::TogglePlay);
        assert_eq!((ms(&again), again.clock.playing), (0, true));
    }

    #[test]
    fn stepping_travels_and_seeking_jumps() {
        let stepped = after(streams("stream-dead-letter"), &[Action::Step, Action::Step]);
        assert_eq!(stepped.motion, Motion::Travel);
        assert!(!stepped.flights.is_empty());
        let sought = Rc::clone(&stepped).reduce(Action::Seek(5000));
        assert_eq!((ms(&sought), sought.motion), (5000, Motion::Instant));
        assert!(sought.flights.is_empty());
        let applied = sought.run.as_ref().unwrap().applied().len();
        let back = sought.reduce(Action::StepBack);
        assert!(back.run.as_ref().unwrap().applied().len() < applied);
        assert_eq!(back.motion, Motion::Instant);
    }

    #[test]
    fn reduced_motion_never_travels() {
        let state = after(
            streams("stream-dead-letter"),
            &[Action::SetReducedMotion(true), Action::Step, Action::Step],
        );
        assert_eq!(state.motion, Motion::Instant);
        assert!(state.flights.is_empty());
    }

    #[test]
    fn a_crash_button_becomes_part_of_the_run_and_of_the_link() {
        let state = after(
            streams("stream-consumer-crash-claim"),
            &[
                Action::Seek(1000),
                Action::Fault(FaultKind::Crash, "w2".into()),
            ],
        );
        let run = state.run.as_ref().unwrap();
        let w2 = &run.view().services[0].workers[1];
        assert_eq!((w2.name.as_str(), w2.status), ("w2", WorkerStatus::Crashed));
        let link = state.link();
        assert_eq!(link.injections.len(), 1);
        let restored = State::from_link(Lang::En, Link::parse(&link.to_fragment()));
        let again = restored.run.as_ref().unwrap();
        assert_eq!(again.fingerprint(), run.fingerprint());
        assert_eq!(again.cursor(), run.cursor());
    }

    #[test]
    fn console_commands_run_at_the_cursor_even_at_the_end() {
        let state = after(
            streams("seed-offset-vs-pending"),
            &[
                Action::Seek(12_000),
                Action::Console("  XADD mybook * chapter 6  ".into()),
            ],
        );
        let run = state.run.as_ref().unwrap();
        assert_eq!(run.cursor().ms, 12_000);
        assert_eq!(run.view().streams[0].length, 6);
        // The run's last instant still takes a command.
        let ended = after(
            state.as_ref().clone(),
            &[
                Action::Seek(u64::MAX),
                Action::Console("XLEN mybook".into()),
            ],
        );
        assert_eq!(ended.notice, None);
        assert_eq!(ended.run.as_ref().unwrap().injections().len(), 2);
        let blank = Rc::clone(&state).reduce(Action::Console("   ".into()));
        assert!(Rc::ptr_eq(&blank, &state));
    }

    #[test]
    fn a_new_seed_keeps_the_time_and_the_users_changes() {
        let state = after(
            streams("stream-consumer-crash-claim"),
            &[
                Action::Seek(3000),
                Action::Console("XLEN orders".into()),
                Action::SetSeed(99),
            ],
        );
        let run = state.run.as_ref().unwrap();
        assert_eq!(
            (run.seed(), run.cursor().ms, run.injections().len()),
            (99, 3000, 1)
        );
        let other = after(
            state.as_ref().clone(),
            &[Action::Load("stream-dead-letter".into())],
        );
        let run = other.run.as_ref().unwrap();
        assert_eq!(
            (run.seed(), run.cursor().ms, run.injections().len()),
            (4, 0, 0)
        );
    }

    fn kafka(name: &str) -> State {
        after(
            State::new(Lang::En),
            &[Action::OpenLab(Lab::Kafka), Action::Load(name.into())],
        )
        .as_ref()
        .clone()
    }

    fn lost_at_end(state: &State) -> u64 {
        let run = state.run.as_ref().unwrap();
        run.timeline().end().lane(0).service_counts(0).lost
    }

    #[test]
    fn the_workload_editor_reshapes_every_lane_and_the_link_keeps_it() {
        use ackscope_engine::scenario::WorkloadSetting;
        let start = after(
            State::new(Lang::En),
            &[
                Action::OpenLab(Lab::Guarantees),
                Action::Load("guarantees-side-by-side".into()),
                Action::SetSeed(3),
                Action::Seek(3000),
            ],
        );
        let produced = |state: &State| {
            let run = state.run.as_ref().unwrap();
            let end = run.timeline().end();
            (0..3)
                .map(|lane| end.lane(lane).service_counts(0).produced)
                .collect::<Vec<u64>>()
        };
        assert_eq!(produced(&start), [30, 30, 30]);
        // One consumer is refused while a fault names w2: the notice says
        // which, and the run is unchanged.
        let one = Action::Set(Setting::Workload(WorkloadSetting::Consumers(1)));
        let refused = after(start.as_ref().clone(), std::slice::from_ref(&one));
        assert!(
            matches!(&refused.notice, Some(Notice::WorkloadRefused(r)) if r.contains("faults[2]")),
            "{:?}",
            refused.notice
        );
        assert_eq!(refused.run, start.run);
        // Take w2's fault out, move w1's crash, add a lost reply now;
        // then one consumer and twice the rate.
        let edited = after(
            refused.as_ref().clone(),
            &[
                Action::Schedule(ScheduleEdit::Remove(2)),
                Action::Schedule(ScheduleEdit::Move(0, 1500)),
                Action::Schedule(ScheduleEdit::Add {
                    kind: FaultKind::LoseReply,
                    role: Some("w1".into()),
                    command: None,
                    at_ms: None,
                }),
                one,
                Action::Set(Setting::Workload(WorkloadSetting::Rate(10))),
            ],
        );
        assert_eq!(edited.notice, None);
        let run = edited.run.as_ref().unwrap();
        assert_eq!((run.seed(), ms(&edited)), (3, 3000));
        let at: Vec<(FaultKind, u64)> = run
            .scenario()
            .faults
            .iter()
            .map(|f| (f.kind, f.at_ms))
            .collect();
        assert_eq!(
            at,
            [
                (FaultKind::Crash, 1500),
                (FaultKind::LoseReply, 3000),
                (FaultKind::Restart, 4000)
            ]
        );
        assert_eq!(run.scenario().services[0].workers.len(), 1);
        assert_eq!(produced(&edited), [60, 60, 60]);
        // The link gives the same run back: same fingerprint.
        let fragment = edited.link().to_fragment();
        let restored = State::from_link(Lang::En, Link::parse(&fragment));
        assert_eq!(restored.notice, None, "{fragment}");
        let again = restored.run.as_ref().unwrap();
        assert_eq!(again.fingerprint(), run.fingerprint());
        assert_eq!(again.changes(), run.changes());
        // And back to the scenario's own.
        let own = after(edited.as_ref().clone(), &[Action::OwnWorkload]);
        let own_run = own.run.as_ref().unwrap();
        assert_eq!(
            own_run.fingerprint(),
            start.run.as_ref().unwrap().fingerprint()
        );
        assert_eq!(own_run.changes(), &Changes::default());
    }

    #[test]
    fn a_kafka_setting_runs_the_scenario_again_with_the_same_seed_and_time() {
        use ackscope_engine::kafka::Acks;
        use ackscope_engine::scenario::SettingKind;
        let start = after(
            kafka("kafka-acks1-leader-crash"),
            &[
                Action::SetSeed(4),
                Action::Seek(5000),
                Action::Fault(FaultKind::Crash, "c1".into()),
            ],
        );
        assert_eq!(lost_at_end(&start), 1);
        let safe = after(
            start.as_ref().clone(),
            &[
                Action::Set(Setting::Kafka(KafkaSetting::Acks(Acks::All))),
                Action::Set(Setting::Kafka(KafkaSetting::MinInsyncReplicas(2))),
            ],
        );
        let run = safe.run.as_ref().unwrap();
        assert_eq!((run.seed(), ms(&safe)), (4, 5000));
        assert_eq!(run.injections(), start.run.as_ref().unwrap().injections());
        assert_eq!(
            run.scenario().kafka_setting(SettingKind::Acks),
            Some(KafkaSetting::Acks(Acks::All))
        );
        assert_eq!(lost_at_end(&safe), 0);
        assert_eq!(
            run.settings(),
            [
                Setting::Kafka(KafkaSetting::Acks(Acks::All)),
                Setting::Kafka(KafkaSetting::MinInsyncReplicas(2))
            ]
        );
        // The link keeps the settings and gives the same run back.
        let link = safe.link();
        assert_eq!(link.settings, run.settings());
        let restored = State::from_link(Lang::En, Link::parse(&link.to_fragment()));
        assert_eq!(restored.notice, None);
        assert_eq!(restored.link(), link);
        assert_eq!(
            restored.run.as_ref().unwrap().fingerprint(),
            run.fingerprint()
        );
        // A new seed keeps them; setting the scenario's own value drops it.
        let reseeded = after(safe.as_ref().clone(), &[Action::SetSeed(5)]);
        assert_eq!(reseeded.run.as_ref().unwrap().settings(), run.settings());
        let back = after(
            safe.as_ref().clone(),
            &[Action::Set(Setting::Kafka(KafkaSetting::Acks(Acks::One)))],
        );
        assert_eq!(
            back.run.as_ref().unwrap().settings(),
            [Setting::Kafka(KafkaSetting::MinInsyncReplicas(2))]
        );
        let own = after(safe.as_ref().clone(), &[Action::OwnSettings]);
        assert!(own.run.as_ref().unwrap().settings().is_empty());
        assert_eq!(lost_at_end(&own), 1);
    }

    #[test]
    fn the_cluster_toggle_runs_a_compare_scenario_on_three_primaries_at_the_same_moment() {
        use ackscope_engine::scenario::{CLUSTER_SHAPE, RedisSetting};
        let start = after(
            State::new(Lang::En),
            &[
                Action::OpenLab(Lab::Compare),
                Action::Load("queue-vs-stream-vs-pubsub".into()),
                Action::SetSeed(2),
                Action::Seek(4000),
                Action::Fault(FaultKind::Crash, "job-worker".into()),
            ],
        );
        let on = Setting::Redis(RedisSetting::ClusterEnabled(true));
        let clustered = after(start.as_ref().clone(), &[Action::Set(on)]);
        let run = clustered.run.as_ref().unwrap();
        assert_eq!((run.seed(), ms(&clustered)), (2, 4000));
        assert_eq!(run.injections(), start.run.as_ref().unwrap().injections());
        assert_eq!(run.scenario().cluster, Some(CLUSTER_SHAPE));
        assert_eq!(run.settings(), [on]);
        // The link carries it and gives the same run back.
        let link = clustered.link();
        assert!(link.to_fragment().contains("set=cluster-enabled:yes"));
        let restored = State::from_link(Lang::En, Link::parse(&link.to_fragment()));
        assert_eq!(restored.notice, None);
        assert_eq!(
            restored.run.as_ref().unwrap().fingerprint(),
            run.fingerprint()
        );
        // Off again is the scenario's own: nothing left to carry.
        let off = after(
            clustered.as_ref().clone(),
            &[Action::Set(Setting::Redis(RedisSetting::ClusterEnabled(
                false,
            )))],
        );
        assert!(off.run.as_ref().unwrap().settings().is_empty());
        assert_eq!(
            off.run.as_ref().unwrap().fingerprint(),
            start.run.as_ref().unwrap().fingerprint()
        );
    }

    #[test]
    fn a_scenario_the_cluster_refuses_keeps_its_run_and_says_why() {
        use ackscope_engine::scenario::RedisSetting;
        let state = after(
            State::new(Lang::En),
            &[
                Action::OpenLab(Lab::Compare),
                Action::Load("reliable-list-queue".into()),
            ],
        );
        let refused =
            state
                .clone()
                .reduce(Action::Set(Setting::Redis(RedisSetting::ClusterEnabled(
                    true,
                ))));
        assert_eq!(refused.run, state.run);
        let Some(Notice::ClusterRefused(reason)) = &refused.notice else {
            panic!("{:?}", refused.notice);
        };
        assert!(reason.contains("CROSSSLOT"), "{reason}");
        let linked = State::from_link(
            Lang::En,
            Link::parse("lab=compare&scenario=reliable-list-queue&set=cluster-enabled:yes"),
        );
        assert!(matches!(
            linked.notice,
            Some(Notice::BadLink(LinkError::SettingsRefused(ref r))) if r.contains("CROSSSLOT")
        ));
        // Another lab has no such switch.
        let streams = State::from_link(
            Lang::En,
            Link::parse("lab=streams&scenario=stream-dead-letter&set=cluster-enabled:yes"),
        );
        assert_eq!(
            streams.notice,
            Some(Notice::BadLink(LinkError::BadSetting(1)))
        );
    }

    #[test]
    fn a_combination_kafka_refuses_leaves_the_run_unchanged_with_a_notice() {
        let state = Rc::new(kafka("kafka-acks1-leader-crash"));
        let refused = state
            .clone()
            .reduce(Action::Set(Setting::Kafka(KafkaSetting::Idempotence(true))));
        assert_eq!(refused.run, state.run);
        let Some(Notice::SettingsRefused(reason)) = &refused.notice else {
            panic!("{:?}", refused.notice);
        };
        assert!(reason.contains("Must set acks to all"), "{reason}");
        // A change Kafka accepts next takes the refusal away.
        let accepted = refused.reduce(Action::Set(Setting::Kafka(KafkaSetting::Retries(0))));
        assert_eq!(accepted.notice, None);
        assert_eq!(accepted.run.as_ref().unwrap().settings().len(), 1);
        // The same refusal from a link falls back with the reason.
        let linked = State::from_link(
            Lang::En,
            Link::parse("lab=kafka&scenario=kafka-acks1-leader-crash&set=enable.idempotence:true"),
        );
        assert!(matches!(
            linked.notice,
            Some(Notice::BadLink(LinkError::SettingsRefused(_)))
        ));
    }

    #[test]
    fn links_restore_exactly_and_bad_links_fall_back_with_a_reason() {
        let stepped = after(
            streams("stream-dead-letter"),
            &[Action::Seek(1500), Action::StepBack],
        );
        let link = stepped.link();
        let restored = State::from_link(Lang::En, Ok(Some(link.clone())));
        assert_eq!(
            restored.run.as_ref().unwrap().cursor(),
            stepped.run.as_ref().unwrap().cursor()
        );
        assert_eq!(restored.link(), link);

        for (fragment, error) in [
            (
                "scenario=queue-vs-stream-vs-pubsub",
                LinkError::UnknownScenario,
            ),
            ("scenario=stream-dead-letter&t=30000", LinkError::NotInRun),
            (
                "scenario=stream-dead-letter&t=1500&n=0",
                LinkError::NotInRun,
            ),
            (
                "scenario=stream-dead-letter&do=18001.crash.p1",
                LinkError::NotInRun,
            ),
            (
                "scenario=stream-dead-letter&do=100.crash.nobody",
                LinkError::UnknownWorker("nobody".into()),
            ),
            ("lab=%%%", LinkError::Malformed),
        ] {
            let state = State::from_link(Lang::En, Link::parse(fragment));
            assert_eq!(state.notice, Some(Notice::BadLink(error)), "{fragment}");
            assert_eq!(state.run.as_ref().unwrap().name(), STREAM_SCENARIOS[0]);
            assert_eq!(ms(&state), 0);
        }
    }

    #[test]
    fn a_lesson_opens_its_steps_lab_and_run_and_its_link_names_the_step() {
        let state = after(State::new(Lang::En), &[Action::OpenLesson("004".into())]);
        let at = state.lesson.as_ref().unwrap();
        assert_eq!((at.step, state.lab), (0, Lab::Guarantees));
        let step = at.lesson.steps[1].clone();
        let next = after(state.as_ref().clone(), &[Action::LessonStep(1)]);
        assert_eq!(ms(&next), step.at_ms);
        assert_eq!(next.link().to_fragment(), "lesson=004&step=2&lang=en");
        let restored = State::from_link(Lang::Ko, Link::parse("lesson=004&step=2"));
        assert_eq!(restored.lesson, next.lesson);
        assert_eq!(ms(&restored), step.at_ms);
        // A step past the end changes nothing; opening a lab leaves the lesson.
        let steps = at.lesson.steps.len();
        let same = Rc::clone(&next).reduce(Action::LessonStep(steps));
        assert!(Rc::ptr_eq(&same, &next));
        let left = after(next.as_ref().clone(), &[Action::OpenLab(Lab::Streams)]);
        assert_eq!(left.lesson, None);
    }

    #[test]
    fn a_lesson_link_restores_the_learners_pick_at_the_answer() {
        let picked = after(
            State::new(Lang::En),
            &[
                Action::OpenLesson("004".into()),
                Action::LessonStep(2),
                Action::Predict(1),
            ],
        );
        assert_eq!(
            picked.link().to_fragment(),
            "lesson=004&step=3&pick=2&lang=en"
        );
        let restored = State::from_link(Lang::En, Link::parse("lesson=004&step=3&pick=2"));
        let at = restored.lesson.as_ref().unwrap();
        assert_eq!((at.step, at.picked), (2, Some(1)));
        let run = restored.run.as_ref().unwrap();
        assert!(at.revealed(run), "the verdict is shown");
        assert_eq!(restored.notice, None);
        // A step without a question, or a choice it does not offer: the
        // step unanswered, and a notice.
        for fragment in ["lesson=004&step=1&pick=1", "lesson=004&step=3&pick=9"] {
            let state = State::from_link(Lang::En, Link::parse(fragment));
            let at = state.lesson.as_ref().unwrap();
            assert_eq!(at.picked, None, "{fragment}");
            assert_eq!(
                state.notice,
                Some(Notice::BadLink(LinkError::BadValue("pick"))),
                "{fragment}"
            );
        }
    }

    #[test]
    fn a_prediction_plays_to_the_reveal_and_stops_there() {
        let start = after(
            State::new(Lang::En),
            &[Action::OpenLesson("004".into()), Action::LessonStep(1)],
        );
        let at = start.lesson.clone().unwrap();
        let reveal = at.reveal_ms(start.run.as_ref().unwrap()).unwrap();
        let mut state = after(start.as_ref().clone(), &[Action::Predict(1)]);
        assert!(state.clock.playing);
        assert!(
            !state
                .lesson
                .as_ref()
                .unwrap()
                .revealed(state.run.as_ref().unwrap())
        );
        // A second pick is refused.
        assert!(Rc::ptr_eq(
            &Rc::clone(&state).reduce(Action::Predict(0)),
            &state
        ));
        let mut wall = 0.0;
        while state.clock.playing {
            wall += 50.0;
            state = state.reduce(Action::Frame(wall));
        }
        assert_eq!(ms(&state), reveal);
        let at = state.lesson.as_ref().unwrap();
        assert_eq!(at.picked, Some(1));
        assert!(at.revealed(state.run.as_ref().unwrap()));
        // With reduced motion the answer is there at once.
        let reduced = after(
            start.as_ref().clone(),
            &[Action::SetReducedMotion(true), Action::Predict(0)],
        );
        assert_eq!((ms(&reduced), reduced.clock.playing), (reveal, false));
    }

    #[test]
    fn bad_lesson_links_are_explained_and_the_page_keeps_working() {
        for (fragment, error) in [
            ("lesson=999", LinkError::UnknownLesson("999".into())),
            (
                "lesson=004&step=40",
                LinkError::NoSuchStep("004".into(), 40),
            ),
        ] {
            let state = State::from_link(Lang::En, Link::parse(fragment));
            assert_eq!(
                state.notice,
                Some(Notice::BadLink(error.clone())),
                "{fragment}"
            );
            assert_eq!(state.lesson, None);
            assert!(state.can_run());
            // The same link pasted during a lesson leaves it.
            let during = after(
                State::new(Lang::En),
                &[
                    Action::OpenLesson("002".into()),
                    Action::Restore(Link::parse(fragment)),
                ],
            );
            assert_eq!(during.notice, Some(Notice::BadLink(error)), "{fragment}");
            assert_eq!(during.lesson, None);
        }
    }

    #[test]
    fn speed_keys_walk_the_ladder_and_stop_at_its_ends() {
        let state = after(State::new(Lang::En), &[Action::Faster, Action::Faster]);
        assert_eq!(state.clock.speed, Speed::Four);
        let slowest = after(State::new(Lang::En), &vec![Action::Slower; 5]);
        assert_eq!(slowest.clock.speed, Speed::Quarter);
    }
}
