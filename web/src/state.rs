//! The shell's state and everything that can happen to it.
//!
//! One reducer, so that every change is a visible [`Action`] and the rules —
//! above all "the clock does not move without a scenario" — are tested
//! without a browser.

use std::rc::Rc;

use ackscope_engine::SimTime;
use yew::Reducible;

use crate::clock::{Clock, Speed};
use crate::i18n::Lang;
use crate::lab::Lab;

/// What the shell shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// The open lab.
    pub lab: Lab,
    /// The language every string is shown in.
    pub lang: Lang,
    /// The clock bar.
    pub clock: Clock,
    /// Whether a scenario is loaded, so that there is something to run.
    /// No lab loads one yet; the Streams lab replaces this flag with the
    /// engine's running world.
    pub has_scenario: bool,
}

/// Everything a user can do to the shell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open a lab from the navigation.
    OpenLab(Lab),
    /// Switch the language.
    SetLang(Lang),
    /// Play if paused, pause if playing.
    TogglePlay,
    /// Move to the next event, pausing first.
    Step,
    /// Go back to the start of the run, paused.
    Reset,
    /// Change how fast simulated time runs.
    SetSpeed(Speed),
}

impl State {
    /// The state a visitor lands in: the first lab, in `lang`.
    pub fn new(lang: Lang) -> State {
        State {
            lang,
            ..State::default()
        }
    }

    /// Whether Play, Step and Reset can do anything.
    pub fn can_run(&self) -> bool {
        self.has_scenario
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Refused actions return `self` unchanged, and Yew skips the render.
        let runs = matches!(action, Action::TogglePlay | Action::Step | Action::Reset);
        if runs && !self.can_run() {
            return self;
        }
        let mut next = (*self).clone();
        match action {
            Action::OpenLab(lab) => {
                // The clock belongs to the lab's run: leaving a lab stops it.
                next.lab = lab;
                next.clock.playing = false;
            }
            Action::SetLang(lang) => next.lang = lang,
            Action::TogglePlay => next.clock.playing = !next.clock.playing,
            // Stepping asks the engine's scheduler for the next event; until
            // a lab runs one, the only effect is the pause.
            Action::Step => next.clock.playing = false,
            Action::Reset => {
                next.clock.now = SimTime::START;
                next.clock.playing = false;
            }
            Action::SetSpeed(speed) => next.clock.speed = speed,
        }
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(state: State, actions: &[Action]) -> Rc<State> {
        actions
            .iter()
            .fold(Rc::new(state), |state, &action| state.reduce(action))
    }

    fn with_scenario() -> State {
        State {
            has_scenario: true,
            ..State::default()
        }
    }

    #[test]
    fn without_a_scenario_the_clock_refuses_to_run() {
        let start = Rc::new(State::default());
        for action in [Action::TogglePlay, Action::Step, Action::Reset] {
            let next = Rc::clone(&start).reduce(action);
            assert!(Rc::ptr_eq(&start, &next), "{action:?} changed the state");
        }
    }

    #[test]
    fn play_toggles_and_step_or_reset_pause() {
        let playing = after(with_scenario(), &[Action::TogglePlay]);
        assert!(playing.clock.playing);
        assert!(
            !after(with_scenario(), &[Action::TogglePlay, Action::TogglePlay])
                .clock
                .playing
        );
        assert!(
            !after(with_scenario(), &[Action::TogglePlay, Action::Step])
                .clock
                .playing
        );
        let reset = after(with_scenario(), &[Action::TogglePlay, Action::Reset]);
        assert_eq!(reset.clock, Clock::new());
    }

    #[test]
    fn speed_lab_and_language_change_even_without_a_scenario() {
        let state = after(
            State::default(),
            &[
                Action::SetSpeed(Speed::Four),
                Action::OpenLab(Lab::Kafka),
                Action::SetLang(Lang::Ko),
            ],
        );
        assert_eq!(state.clock.speed, Speed::Four);
        assert_eq!(state.lab, Lab::Kafka);
        assert_eq!(state.lang, Lang::Ko);
    }

    #[test]
    fn opening_another_lab_pauses_the_clock() {
        let state = after(
            with_scenario(),
            &[Action::TogglePlay, Action::OpenLab(Lab::Compare)],
        );
        assert_eq!(state.lab, Lab::Compare);
        assert!(!state.clock.playing);
    }
}
