//! A lesson in progress: which lesson, which step, and what the learner
//! predicted. The lessons themselves, their runs and their answers are the
//! engine's (`ackscope_engine::lesson`); this module only says which lab a
//! step opens, which run it shows, and when its answer may be revealed.

use std::rc::Rc;

use ackscope_engine::lesson::{Lesson, LessonLab, Question, Step, builtin};

use crate::clock::Speed;
use crate::lab::Lab;
use crate::link::LinkError;
use crate::run::{Changes, Run};

/// How long (wall-clock ms) the reveal of an answer should take at most:
/// the run plays to the answer at the slowest speed that gets there in
/// this time, so a short reveal can be followed and a long one does not
/// keep the class waiting.
const REVEAL_WALL_MS: u64 = 4000;

/// The lesson shown and where the learner is in it.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonAt {
    /// The lesson.
    pub lesson: Rc<Lesson>,
    /// The step shown (from 0).
    pub step: usize,
    /// The choice the learner picked for the step's question, if any.
    pub picked: Option<usize>,
}

impl LessonAt {
    /// Lesson `id` at step `step` (from 0), or why there is none.
    pub fn open(id: &str, step: usize) -> Result<LessonAt, LinkError> {
        let lesson = builtin::by_id(id).ok_or_else(|| LinkError::UnknownLesson(id.into()))?;
        if step >= lesson.steps.len() {
            return Err(LinkError::NoSuchStep(id.into(), step + 1));
        }
        Ok(LessonAt {
            lesson: Rc::new(lesson),
            step,
            picked: None,
        })
    }

    /// The step shown.
    pub fn current(&self) -> &Step {
        &self.lesson.steps[self.step]
    }

    /// The same lesson at step `step`, if it has one.
    pub fn at(&self, step: usize) -> Option<LessonAt> {
        (step < self.lesson.steps.len()).then(|| LessonAt {
            lesson: Rc::clone(&self.lesson),
            step,
            picked: None,
        })
    }

    /// The lab the step opens.
    pub fn lab(&self) -> Lab {
        lab_of(self.current().lab)
    }

    /// The step's run, paused at its moment (`None` if the scenario is
    /// gone, which the engine's checks rule out for built-in lessons).
    pub fn run(&self) -> Option<Run> {
        let step = self.current();
        let seed = self.lesson.seed(self.step)?;
        let mut run = Run::builtin(&step.scenario, seed, self.lesson.injections(self.step))?;
        run.move_to(run.cursor_at(step.at_ms));
        Some(run)
    }

    /// Whether `run` is the step's own run, as [`LessonAt::run`] makes it
    /// (the same scenario, seed and injections, nothing else changed): the
    /// run the step's words were written for.
    pub fn is_own_run(&self, run: &Run) -> bool {
        run.name() == self.current().scenario
            && Some(run.seed()) == self.lesson.seed(self.step)
            && run.injections() == self.lesson.injections(self.step).as_slice()
            && *run.changes() == Changes::default()
    }

    /// The step's question, if it has one.
    pub fn question(&self) -> Option<&Question> {
        self.current().question.as_ref()
    }

    /// When the question's answer is read in `run` (ms since the start).
    pub fn reveal_ms(&self, run: &Run) -> Option<u64> {
        let q = self.question()?;
        Some(q.reveal_ms.unwrap_or(run.end_ms()).min(run.end_ms()))
    }

    /// Whether the learner picked and the run has played to the answer.
    pub fn revealed(&self, run: &Run) -> bool {
        self.picked.is_some() && self.reveal_ms(run).is_some_and(|ms| run.cursor().ms >= ms)
    }
}

/// The web app's lab for a lesson's lab.
pub fn lab_of(lab: LessonLab) -> Lab {
    match lab {
        LessonLab::Streams => Lab::Streams,
        LessonLab::Compare => Lab::Compare,
        LessonLab::Kafka => Lab::Kafka,
        LessonLab::Guarantees => Lab::Guarantees,
    }
}

/// The speed a reveal plays at to cover `sim_ms`: the slowest that takes
/// at most [`REVEAL_WALL_MS`], and never slower than 1×.
pub fn reveal_speed(sim_ms: u64) -> Speed {
    Speed::ALL
        .into_iter()
        .skip_while(|s| *s != Speed::One)
        .find(|s| s.per_wall_second().as_ms() * REVEAL_WALL_MS / 1000 >= sim_ms)
        .unwrap_or(Speed::Sixteen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_opens_a_lab_that_offers_its_scenario() {
        for lesson in builtin::all() {
            for (i, step) in lesson.steps.iter().enumerate() {
                let lab = lab_of(step.lab);
                assert!(
                    lab.scenarios().contains(&step.scenario.as_str()),
                    "lesson {} step {}: {} is not in the {} lab",
                    lesson.id,
                    i + 1,
                    step.scenario,
                    lab.slug()
                );
                let at = LessonAt::open(&lesson.id, i).unwrap();
                let run = at.run().unwrap();
                assert_eq!(run.cursor().ms, step.at_ms);
                assert!(at.is_own_run(&run), "lesson {} step {}", lesson.id, i + 1);
            }
        }
    }

    #[test]
    fn a_run_the_reader_changed_is_not_the_steps_own() {
        let at = LessonAt::open("004", 2).unwrap();
        let run = at.run().unwrap();
        let step = at.current();
        let other_seed =
            Run::builtin(&step.scenario, run.seed() + 1, run.injections().to_vec()).unwrap();
        assert!(!at.is_own_run(&other_seed));
        let typed = ackscope_engine::sim::Injection::Console {
            at_ms: step.at_ms,
            client: "console".into(),
            line: "XLEN orders".into(),
            lane: 0,
        };
        let more = run.with_injection(typed).unwrap();
        assert!(!at.is_own_run(&more));
    }

    #[test]
    fn unknown_lessons_and_steps_are_errors() {
        assert_eq!(
            LessonAt::open("999", 0),
            Err(LinkError::UnknownLesson("999".into()))
        );
        let steps = builtin::by_id("004").unwrap().steps.len();
        assert_eq!(
            LessonAt::open("004", steps),
            Err(LinkError::NoSuchStep("004".into(), steps + 1))
        );
    }

    #[test]
    fn reveals_are_quick_but_never_faster_than_needed() {
        assert_eq!(reveal_speed(200), Speed::One);
        assert_eq!(reveal_speed(6000), Speed::Two);
        assert_eq!(reveal_speed(14_000), Speed::Four);
        assert_eq!(reveal_speed(10_000_000), Speed::Sixteen);
    }
}
