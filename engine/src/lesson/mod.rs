//! Lessons: guided paths through the labs, one per seed note.
//!
//! A lesson is data (`engine/lessons/*.json`, English and Korean in the
//! same file): a list of steps, each naming a lab, a built-in scenario and
//! its seed, the moment to show, console commands and faults to add, a part
//! of the stage to point at, the narration, and optionally a question. A
//! question never carries its answer: it carries a [`Query`], which the
//! engine evaluates on the step's run at the reveal moment, and which also
//! yields the choices offered. So a lesson cannot state something the
//! simulation does not do.
//!
//! Lessons are checked against the built-in scenarios when they are read
//! ([`Lesson::from_json`]); an error names the field, as the scenario
//! format's errors do.

pub mod builtin;
mod query;
mod values;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use crate::scenario::{FaultSpec, Scenario, Text};
use crate::sim::{Injection, Timeline};
use crate::time::{SimDuration, SimTime};

pub use query::{Answer, Asked, CountField, FateAnswer, Query};
pub use values::{ANSWER, fill, hole_names};

/// The most steps a lesson may have.
pub const MAX_STEPS: usize = 40;
/// The longest console line a step may type.
const MAX_LINE: usize = 1024;

/// A guided path through one seed note.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// The seed note it follows, three digits (`004`): its name in links.
    pub id: String,
    /// Its title.
    pub title: Text,
    /// One sentence on what it teaches, for the list of lessons.
    pub summary: Text,
    /// Its steps, in order.
    pub steps: Vec<Step>,
}

/// A lab a step opens. The web app's labs, by their link slug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LessonLab {
    /// Redis Streams.
    Streams,
    /// Queue vs stream vs pub/sub.
    Compare,
    /// Kafka.
    Kafka,
    /// The three guarantees.
    Guarantees,
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The lab it opens.
    pub lab: LessonLab,
    /// The built-in scenario it runs.
    pub scenario: String,
    /// The seed, if not the scenario's own.
    #[serde(default)]
    pub seed: Option<u64>,
    /// The moment it shows (ms since the start), paused.
    pub at_ms: u64,
    /// Console commands the step types (they stay for the following
    /// steps on the same run).
    #[serde(default)]
    pub commands: Vec<Command>,
    /// Faults the step adds (they stay for the following steps on the
    /// same run).
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    /// The part of the stage it points at.
    #[serde(default)]
    pub point: Option<Point>,
    /// What it says.
    pub text: Text,
    /// The counts and outcomes its texts state, by the name of their
    /// `{name}` hole: read from the run, never written (see `values.rs`).
    #[serde(default)]
    pub values: BTreeMap<String, Query>,
    /// What it asks the learner to predict.
    #[serde(default)]
    pub question: Option<Question>,
}

/// A command typed at the console.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// When (ms since the start).
    pub at_ms: u64,
    /// The connection it is sent on.
    pub client: String,
    /// The redis-cli line.
    pub line: String,
}

/// A part of the stage, by the stable hooks the labs draw: its
/// `data-testid` and, to pick one of several, other `data-*` attributes'
/// values.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// The `data-testid`.
    pub part: String,
    /// Other attributes it must have (`lane` → `0` is `data-lane="0"`).
    #[serde(default)]
    pub with: BTreeMap<String, String>,
    /// The label shown beside it.
    pub label: Text,
}

impl Point {
    /// The CSS selector of the part. Safe to build: every name and value
    /// was checked to be a plain slug when the lesson was read.
    pub fn selector(&self) -> String {
        let mut css = format!("[data-testid=\"{}\"]", self.part);
        for (name, value) in &self.with {
            css.push_str(&format!("[data-{name}=\"{value}\"]"));
        }
        css
    }
}

/// A question: the learner predicts, the run plays to `reveal_ms`, the
/// engine's answer decides.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question.
    pub prompt: Text,
    /// What is asked of the run: the answer and the choices come from it.
    pub ask: Query,
    /// When the answer is read (ms since the start); the run's end if
    /// absent.
    #[serde(default)]
    pub reveal_ms: Option<u64>,
    /// Said after the verdict. `{answer}` is replaced by the engine's
    /// answer.
    pub explain: Text,
}

impl Question {
    /// The moment the answer is read in `timeline`.
    pub fn reveal_at(&self, timeline: &Timeline) -> SimTime {
        match self.reveal_ms {
            Some(ms) => SimTime::START + SimDuration::from_ms(ms),
            None => timeline.end_time(),
        }
    }

    /// The choices and the answer, read from `timeline` at the reveal
    /// moment.
    pub fn asked(&self, timeline: &Timeline) -> Result<Asked, String> {
        self.ask.evaluate(timeline, self.reveal_at(timeline))
    }
}

/// Why a lesson file cannot be used: the field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    /// The field (`steps[2].question.ask.service`).
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

impl core::fmt::Display for LessonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

fn err(field: impl Into<String>, reason: impl Into<String>) -> LessonError {
    LessonError {
        field: field.into(),
        reason: reason.into(),
    }
}

impl Lesson {
    /// Reads and checks a lesson file.
    pub fn from_json(text: &str) -> Result<Lesson, LessonError> {
        let lesson: Lesson = serde_json::from_str(text)
            .map_err(|e| err("lesson", format!("not a valid lesson: {e}")))?;
        lesson.validate()?;
        Ok(lesson)
    }

    /// The step's scenario (checked to exist when the lesson was read).
    pub fn scenario(&self, step: usize) -> Option<Scenario> {
        crate::scenario::builtin::by_name(&self.steps.get(step)?.scenario)
    }

    /// The seed step `step` runs with.
    pub fn seed(&self, step: usize) -> Option<u64> {
        let s = self.steps.get(step)?;
        Some(match s.seed {
            Some(seed) => seed,
            None => self.scenario(step)?.seed,
        })
    }

    /// The commands and faults of step `step`'s run: its own and those of
    /// the earlier steps on the same scenario and seed, so that what a
    /// step typed stays on the stage as the lesson goes on.
    pub fn injections(&self, step: usize) -> Vec<Injection> {
        let Some(this) = self.steps.get(step) else {
            return Vec::new();
        };
        let seed = self.seed(step);
        let mut out = Vec::new();
        for (i, s) in self.steps[..=step].iter().enumerate() {
            if s.scenario != this.scenario || self.seed(i) != seed {
                continue;
            }
            out.extend(s.commands.iter().map(|c| Injection::Console {
                at_ms: c.at_ms,
                client: c.client.clone(),
                line: c.line.clone(),
                lane: 0,
            }));
            out.extend(s.faults.iter().cloned().map(Injection::Fault));
        }
        out.sort_by_key(Injection::at_ms);
        out
    }

    /// The whole run of step `step`, as the page plays it.
    pub fn timeline(&self, step: usize) -> Option<Timeline> {
        Some(Timeline::run_with(
            self.scenario(step)?,
            self.seed(step)?,
            self.injections(step),
        ))
    }

    fn validate(&self) -> Result<(), LessonError> {
        let ok_id = self.id.len() == 3 && self.id.bytes().all(|b| b.is_ascii_digit());
        if !ok_id {
            return Err(err("id", "three digits, the seed note's number"));
        }
        check_text("title", &self.title)?;
        check_text("summary", &self.summary)?;
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            return Err(err("steps", format!("1 to {MAX_STEPS} steps")));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let typed: Vec<String> = self
                .injections(i)
                .into_iter()
                .filter_map(|inj| match inj {
                    Injection::Console { line, .. } => Some(line),
                    Injection::Fault(_) => None,
                })
                .collect();
            step.validate(&format!("steps[{i}]"), &typed)?;
        }
        Ok(())
    }
}

impl Step {
    /// Checks the step against its scenario; `typed` are the console lines
    /// its run types (the lesson's, this step's and the earlier ones').
    fn validate(&self, at: &str, typed: &[String]) -> Result<(), LessonError> {
        let scenario = crate::scenario::builtin::by_name(&self.scenario)
            .ok_or_else(|| err(format!("{at}.scenario"), "not a built-in scenario"))?;
        let end = scenario.end_ms();
        let within = |field: &str, ms: u64| {
            (ms <= end).then_some(()).ok_or_else(|| {
                err(
                    format!("{at}.{field}"),
                    format!("after the run's end ({end} ms)"),
                )
            })
        };
        within("at_ms", self.at_ms)?;
        for (name, query) in &self.values {
            if !values::is_name(name) || name == ANSWER {
                return Err(err(
                    format!("{at}.values"),
                    format!("{name:?}: a plain name, not \"answer\""),
                ));
            }
            query
                .check(&scenario)
                .map_err(|(field, reason)| err(format!("{at}.values.{name}.{field}"), reason))?;
        }
        let said = Said {
            at,
            values: &self.values,
            typed: typed
                .iter()
                .map(String::as_str)
                .chain(scenario.script.iter().map(|s| s.command.as_str()))
                .collect(),
        };
        said.check("text", &self.text, false)?;
        for (i, c) in self.commands.iter().enumerate() {
            let field = format!("commands[{i}]");
            within(&format!("{field}.at_ms"), c.at_ms)?;
            if !is_slug(&c.client) {
                return Err(err(format!("{at}.{field}.client"), "a plain name"));
            }
            if c.line.trim().is_empty() || c.line.len() > MAX_LINE {
                return Err(err(format!("{at}.{field}.line"), "1 to 1024 bytes"));
            }
        }
        for (i, f) in self.faults.iter().enumerate() {
            within(&format!("faults[{i}].at_ms"), f.at_ms)?;
            let known = f.role.as_deref().is_none_or(|r| {
                scenario.has_role(r)
                    || scenario.has_broker_role(r)
                    || scenario.workers().any(|(_, w)| w.name == r)
            });
            if !known {
                return Err(err(format!("{at}.faults[{i}].role"), "not in the scenario"));
            }
        }
        if let Some(point) = &self.point {
            let names = point.with.iter().all(|(k, v)| is_slug(k) && is_slug(v));
            if !is_slug(&point.part) || !names {
                return Err(err(format!("{at}.point"), "plain names and values only"));
            }
            said.check("point.label", &point.label, false)?;
        }
        if let Some(q) = &self.question {
            said.check("question.prompt", &q.prompt, false)?;
            said.check("question.explain", &q.explain, true)?;
            if let Some(ms) = q.reveal_ms {
                within("question.reveal_ms", ms)?;
                if ms < self.at_ms {
                    return Err(err(
                        format!("{at}.question.reveal_ms"),
                        "before the step's moment",
                    ));
                }
            }
            q.ask
                .check(&scenario)
                .map_err(|(field, reason)| err(format!("{at}.question.ask.{field}"), reason))?;
        }
        Ok(())
    }
}

/// What a step's texts may say: the values' holes, and between backticks
/// only a command line its run types.
struct Said<'a> {
    at: &'a str,
    values: &'a BTreeMap<String, Query>,
    typed: Vec<&'a str>,
}

impl Said<'_> {
    /// `text` is said in both languages, with the same holes, each naming
    /// a value (or `{answer}`, in an explanation), and its code spans are
    /// lines the run types.
    fn check(&self, field: &str, text: &Text, explains: bool) -> Result<(), LessonError> {
        let field = format!("{}.{field}", self.at);
        check_text(&field, text)?;
        let names = |t: &str| {
            let mut names: Vec<String> = hole_names(t).map(String::from).collect();
            names.sort();
            names.dedup();
            names
        };
        let en = names(&text.en);
        if en != names(&text.ko) {
            return Err(err(field, "English and Korean name different {holes}"));
        }
        if let Some(name) = en
            .iter()
            .find(|n| !(self.values.contains_key(*n) || explains && *n == ANSWER))
        {
            return Err(err(field, format!("{{{name}}} names no value of the step")));
        }
        for t in [&text.en, &text.ko] {
            if let Some(code) = code_spans(t).find(|c| !self.typed.contains(c)) {
                return Err(err(field, format!("`{code}` is not a line the run types")));
            }
        }
        Ok(())
    }
}

/// The spans of `text` between backticks: command lines, shown as code.
pub fn code_spans(text: &str) -> impl Iterator<Item = &str> {
    text.split('`').skip(1).step_by(2)
}

/// Both languages said, neither empty.
fn check_text(field: &str, text: &Text) -> Result<(), LessonError> {
    if text.en.trim().is_empty() || text.ko.trim().is_empty() {
        return Err(err(field, "English and Korean, neither empty"));
    }
    Ok(())
}

/// A name safe in a CSS attribute selector and a connection name: ASCII
/// letters, digits, `-`, `_`, `.`, `:`, 1 to 64 bytes.
fn is_slug(text: &str) -> bool {
    (1..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

impl LessonLab {
    /// The lab's link slug.
    pub const fn slug(self) -> &'static str {
        match self {
            LessonLab::Streams => "streams",
            LessonLab::Compare => "compare",
            LessonLab::Kafka => "kafka",
            LessonLab::Guarantees => "guarantees",
        }
    }
}
