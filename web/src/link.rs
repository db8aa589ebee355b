//! The share link: what a reader sees, written in the URL fragment, so that
//! reloading the page or opening a shared link shows exactly the same run
//! at exactly the same moment.
//!
//! ```text
//! #lab=streams&scenario=stream-dead-letter&seed=4&t=8895&n=59&lang=ko&do=2500.crash.p1,3000.cmd.console.XADD%20payments%20*%20a%201
//! ```
//!
//! | key | value |
//! |---|---|
//! | `lab` | a lab's slug (`streams`, `compare`, `kafka`, `guarantees`) |
//! | `scenario` | a built-in scenario's name (absent: the lab's first, when any key below but `lang` says where to go in it; otherwise the lab opens at its start) |
//! | `seed` | the run's seed, 0 – 2⁶⁴−1 |
//! | `t` | simulated milliseconds since the start |
//! | `n` | engine actions applied at `t`, when a Step stopped inside a millisecond |
//! | `lang` | `en` or `ko` |
//! | `branch` | a "what if" lane beside the run: lane `lane` (from 0) replayed with one change — `<lane>.<fault>` without the scenario's fault number `fault` (from 0); `<lane>.f.<fault>` with one more fault, written as in `do`; `<lane>.g.<guarantee>` giving another guarantee (`at-most-once`, `at-least-once`, `exactly-once`, `dedup-without-transaction`) |
//! | `set` | settings changed on the scenario, comma-separated `<config>:<value>`, each config at most once: on a Kafka scenario `acks:0\|1\|all`, `min.insync.replicas:1`–`9`, `unclean.leader.election.enable:true\|false`, `retries:0\|2147483647`, `enable.idempotence:true\|false`, `enable.auto.commit:true\|false`; on a Redis scenario `cluster-enabled:yes\|no` (three primaries with a replica each, or one server) |
//! | `faults` | the fault schedule, replacing the scenario's own (the Guarantees lab's workload editor): comma-separated faults written as in `do`, at most 12, or `none` |
//! | `lesson` | a lesson's id, the seed note it follows (`000`, `002`, `003`, `004`); with it, only `step` and `lang` are read: the step says the rest |
//! | `step` | the lesson's step, from 1 (1 if absent) |
//! | `pick` | the choice the learner picked for the step's question, from 1; the step opens at its answer, with the verdict |
//! | `do` | the user's console commands and faults, comma-separated: `<ms>.cmd.<client>.<line>[.<lane>]`, `<ms>.crash.<worker>`, `<ms>.restart.<worker>`, `<ms>.slow.<worker>.<until ms>.<factor %>`, `<ms>.disconnect.<role>.<until ms>`, `<ms>.lose-command.<role>[.<COMMAND>]`, `<ms>.lose-reply.<role>[.<COMMAND>]`, `<ms>.broker-crash[.<until ms>]`, `<ms>.broker-restart`; in a Kafka scenario `<ms>.broker-crash.<broker>`, `<ms>.broker-restart.<broker>` (`broker-2`, `leader`) |
//!
//! Every field is percent-encoded, so `.`, `,`, `&` and `=` inside a
//! command line cannot be mistaken for separators. A fragment is untrusted
//! input: [`Link::parse`] bounds every size, checks every value, and
//! answers with a [`LinkError`] instead of panicking; what it accepts the
//! engine can run. Checks that need the run itself (is `t` within it?) are
//! made when the run is loaded.

use ackscope_engine::scenario::workload::MAX_FAULTS;
use ackscope_engine::scenario::{FaultKind, FaultSpec, Guarantee, Setting};
use ackscope_engine::sim::Injection;

use crate::i18n::Lang;
use crate::lab::Lab;
use crate::run::{BranchChange, BranchSpec, MAX_INJECTIONS};

/// The longest fragment read, in bytes.
pub const MAX_FRAGMENT: usize = 8192;
/// The longest console command line, in bytes.
pub const MAX_LINE: usize = 1024;
/// The latest moment a link may name: a run lasts at most one day.
const MAX_MS: u64 = 86_400_000;

/// The view state a link carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Link {
    /// The open lab.
    pub lab: Lab,
    /// The scenario, if the link names one.
    pub scenario: Option<String>,
    /// The seed, if not the scenario's own.
    pub seed: Option<u64>,
    /// Simulated milliseconds since the start.
    pub t: u64,
    /// Actions applied at `t`, when not all of them are.
    pub n: Option<u64>,
    /// The language, if the link fixes one.
    pub lang: Option<Lang>,
    /// Console commands and faults, by time.
    pub injections: Vec<Injection>,
    /// A "what if" lane beside the run.
    pub branch: Option<BranchSpec>,
    /// Kafka, Redis or workload settings changed on the scenario.
    pub settings: Vec<Setting>,
    /// The fault schedule, if the reader replaced the scenario's.
    pub schedule: Option<Vec<FaultSpec>>,
    /// A lesson and its step: the step decides the lab, the run and the
    /// moment.
    pub lesson: Option<LessonLink>,
}

/// A lesson's step in a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonLink {
    /// The lesson's id (three digits).
    pub id: String,
    /// The step, from 0 (the link writes it from 1).
    pub step: usize,
    /// The choice picked for the step's question, from 0 (the link writes
    /// it from 1). Whether the question has it is checked when the step is
    /// opened.
    pub pick: Option<usize>,
}

/// Why a fragment is not a link this page can show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// Longer than [`MAX_FRAGMENT`].
    TooLong,
    /// A part is not `key=value`, or not valid percent-encoded UTF-8.
    Malformed,
    /// A key this page does not know (shown shortened).
    UnknownKey(String),
    /// A key given twice.
    Repeated(&'static str),
    /// A value that is not allowed for its key.
    BadValue(&'static str),
    /// The n-th (from 1) command or fault is not valid.
    BadInjection(usize),
    /// More than [`MAX_INJECTIONS`] commands and faults.
    TooManyInjections,
    /// The scenario is not one the lab offers.
    UnknownScenario,
    /// `t` or `n` is not a moment of the run.
    NotInRun,
    /// A fault names a worker the scenario does not have.
    UnknownWorker(String),
    /// The n-th (from 1) setting is not one the lab offers, or repeats a
    /// config.
    BadSetting(usize),
    /// The broker refuses the settings (its reason, verbatim: Kafka's
    /// `ConfigException`, Redis Cluster's CROSSSLOT or MOVED).
    SettingsRefused(String),
    /// The n-th (from 1) fault of the schedule is not valid, or there
    /// are more than [`MAX_FAULTS`].
    BadFault(usize),
    /// No lesson has this id.
    UnknownLesson(String),
    /// The lesson (its id) has no step n (from 1).
    NoSuchStep(String, usize),
}

const KEYS: [&str; 13] = [
    "lab", "scenario", "seed", "t", "n", "lang", "do", "branch", "set", "faults", "lesson", "step",
    "pick",
];
/// The most steps a link may name (the engine's own bound on a lesson).
const MAX_STEP: u64 = ackscope_engine::lesson::MAX_STEPS as u64;
/// The highest choice a link may name: a bound on untrusted input; the
/// question's own choices decide when the step is opened.
const MAX_PICK: u64 = 64;

impl Link {
    /// Reads `fragment` (without its `#`). An empty fragment is no link.
    pub fn parse(fragment: &str) -> Result<Option<Link>, LinkError> {
        if fragment.len() > MAX_FRAGMENT {
            return Err(LinkError::TooLong);
        }
        if fragment.is_empty() {
            return Ok(None);
        }
        let mut values: [Option<String>; KEYS.len()] = Default::default();
        for part in fragment.split('&') {
            let (key, value) = part.split_once('=').ok_or(LinkError::Malformed)?;
            let slot = KEYS
                .iter()
                .position(|k| *k == key)
                .ok_or_else(|| LinkError::UnknownKey(key.chars().take(24).collect()))?;
            if values[slot].is_some() {
                return Err(LinkError::Repeated(KEYS[slot]));
            }
            // `do` is split on its separators first and its fields decoded
            // one by one; every other value is one field.
            let value = match KEYS[slot] {
                "do" | "set" | "faults" => value.to_owned(),
                _ => decode(value).ok_or(LinkError::Malformed)?,
            };
            values[slot] = Some(value);
        }
        let [
            lab,
            scenario,
            seed,
            t,
            n,
            lang,
            actions,
            branch,
            set,
            faults,
            lesson,
            step,
            pick,
        ] = values;
        let number = |value: Option<String>, key| -> Result<Option<u64>, LinkError> {
            value
                .map(|v| parse_u64(&v).ok_or(LinkError::BadValue(key)))
                .transpose()
        };
        let link = Link {
            lab: match lab {
                None => Lab::default(),
                Some(slug) => Lab::from_slug(&slug).ok_or(LinkError::BadValue("lab"))?,
            },
            scenario: scenario.map(check_scenario_name).transpose()?,
            seed: number(seed, "seed")?,
            t: number(t, "t")?.unwrap_or(0),
            n: number(n, "n")?,
            lang: lang.map(|tag| lang_of(&tag)).transpose()?,
            injections: actions.map_or(Ok(Vec::new()), |text| parse_injections(&text))?,
            branch: branch
                .map(|text| parse_branch(&text).ok_or(LinkError::BadValue("branch")))
                .transpose()?,
            settings: set.map_or(Ok(Vec::new()), |text| parse_settings(&text))?,
            schedule: faults.map(|text| parse_schedule(&text)).transpose()?,
            lesson: parse_lesson(lesson, number(step, "step")?, number(pick, "pick")?)?,
        };
        if link.t > MAX_MS {
            return Err(LinkError::BadValue("t"));
        }
        Ok(Some(link))
    }

    /// The fragment (without `#`) that [`Link::parse`] reads back as `self`.
    pub fn to_fragment(&self) -> String {
        if let Some(lesson) = &self.lesson {
            let mut fragment = format!("lesson={}&step={}", lesson.id, lesson.step + 1);
            if let Some(pick) = lesson.pick {
                fragment.push_str(&format!("&pick={}", pick + 1));
            }
            if let Some(lang) = self.lang {
                fragment.push_str(&format!("&lang={}", lang.tag()));
            }
            return fragment;
        }
        let mut parts = vec![format!("lab={}", self.lab.slug())];
        if let Some(scenario) = &self.scenario {
            parts.push(format!("scenario={}", encode(scenario)));
        }
        if let Some(seed) = self.seed {
            parts.push(format!("seed={seed}"));
        }
        parts.push(format!("t={}", self.t));
        if let Some(n) = self.n {
            parts.push(format!("n={n}"));
        }
        if let Some(lang) = self.lang {
            parts.push(format!("lang={}", lang.tag()));
        }
        if !self.injections.is_empty() {
            let items: Vec<String> = self.injections.iter().map(format_injection).collect();
            parts.push(format!("do={}", items.join(",")));
        }
        if let Some(b) = &self.branch {
            let change = match &b.change {
                BranchChange::Without(n) => n.to_string(),
                BranchChange::With(f) => {
                    format!("f.{}", format_injection(&Injection::Fault(f.clone())))
                }
                BranchChange::Guarantee(g) => format!("g.{}", g.as_str()),
            };
            parts.push(format!("branch={}.{change}", b.lane));
        }
        if !self.settings.is_empty() {
            let items: Vec<String> = self
                .settings
                .iter()
                .map(|s| format!("{}:{}", s.config_name(), s.value_text()))
                .collect();
            parts.push(format!("set={}", items.join(",")));
        }
        if let Some(schedule) = &self.schedule {
            let items: Vec<String> = schedule
                .iter()
                .map(|f| format_injection(&Injection::Fault(f.clone())))
                .collect();
            match items.is_empty() {
                true => parts.push("faults=none".into()),
                false => parts.push(format!("faults={}", items.join(","))),
            }
        }
        parts.join("&")
    }
}

/// `lesson=<three digits>`, `step=<1…MAX_STEP>` and `pick=<1…MAX_PICK>`;
/// a step or a pick without a lesson is refused (whether the lesson has
/// the step, and its question the choice, is checked when it is opened).
fn parse_lesson(
    id: Option<String>,
    step: Option<u64>,
    pick: Option<u64>,
) -> Result<Option<LessonLink>, LinkError> {
    let Some(id) = id else {
        return match (step, pick) {
            (Some(_), _) => Err(LinkError::BadValue("step")),
            (_, Some(_)) => Err(LinkError::BadValue("pick")),
            (None, None) => Ok(None),
        };
    };
    if id.len() != 3 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::BadValue("lesson"));
    }
    let step = step.unwrap_or(1);
    if !(1..=MAX_STEP).contains(&step) {
        return Err(LinkError::BadValue("step"));
    }
    if pick.is_some_and(|p| !(1..=MAX_PICK).contains(&p)) {
        return Err(LinkError::BadValue("pick"));
    }
    Ok(Some(LessonLink {
        id,
        step: step as usize - 1,
        pick: pick.map(|p| p as usize - 1),
    }))
}

fn lang_of(tag: &str) -> Result<Lang, LinkError> {
    Lang::ALL
        .into_iter()
        .find(|lang| lang.tag() == tag)
        .ok_or(LinkError::BadValue("lang"))
}

fn check_scenario_name(name: String) -> Result<String, LinkError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(name).ok_or(LinkError::BadValue("scenario"))
}

/// A decimal `u64`: digits only, no sign, no spaces, at most 20 digits.
pub fn parse_u64(text: &str) -> Option<u64> {
    let digits = !text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

/// `<lane>.<fault>`, `<lane>.f.<fault as in do>` or
/// `<lane>.g.<guarantee>` (whether the scenario has the lane and the fault,
/// and accepts the change, is checked when the run is loaded).
fn parse_branch(text: &str) -> Option<BranchSpec> {
    let (lane, change) = text.split_once('.')?;
    let small = |t: &str| parse_u64(t).filter(|n| *n < 256).map(|n| n as u16);
    let change = if let Some(g) = change.strip_prefix("g.") {
        BranchChange::Guarantee(Guarantee::parse(g)?)
    } else if let Some(f) = change.strip_prefix("f.") {
        match parse_injection(f)? {
            Injection::Fault(f) => BranchChange::With(f),
            Injection::Console { .. } => return None,
        }
    } else {
        BranchChange::Without(small(change)?)
    };
    Some(BranchSpec {
        lane: small(lane)?,
        change,
    })
}

/// `<config>:<value>,…`: at most one of each config.
fn parse_settings(text: &str) -> Result<Vec<Setting>, LinkError> {
    let items: Vec<&str> = text.split(',').collect();
    if items.len() > Setting::CONFIGS {
        return Err(LinkError::BadSetting(Setting::CONFIGS + 1));
    }
    let mut settings: Vec<Setting> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let setting = item
            .split_once(':')
            .and_then(|(name, value)| Setting::parse(&decode(name)?, &decode(value)?))
            .filter(|s| settings.iter().all(|t| t.config_name() != s.config_name()))
            .ok_or(LinkError::BadSetting(i + 1))?;
        settings.push(setting);
    }
    Ok(settings)
}

/// `none`, or faults written as in `do`, comma-separated: at most
/// [`MAX_FAULTS`] (whether the scenario can run them is checked when the
/// run is loaded).
fn parse_schedule(text: &str) -> Result<Vec<FaultSpec>, LinkError> {
    if text == "none" {
        return Ok(Vec::new());
    }
    let items: Vec<&str> = text.split(',').collect();
    if items.len() > MAX_FAULTS {
        return Err(LinkError::BadFault(MAX_FAULTS + 1));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match parse_injection(item) {
            Some(Injection::Fault(f)) => Ok(f),
            _ => Err(LinkError::BadFault(i + 1)),
        })
        .collect()
}

fn parse_injections(text: &str) -> Result<Vec<Injection>, LinkError> {
    let items: Vec<&str> = text.split(',').collect();
    if items.len() > MAX_INJECTIONS {
        return Err(LinkError::TooManyInjections);
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| parse_injection(item).ok_or(LinkError::BadInjection(i + 1)))
        .collect()
}

fn parse_injection(item: &str) -> Option<Injection> {
    let fields: Vec<String> = item.split('.').map(decode).collect::<Option<_>>()?;
    let [at, kind, rest @ ..] = fields.as_slice() else {
        return None;
    };
    let at_ms = parse_u64(at).filter(|ms| *ms <= MAX_MS)?;
    let fault = |kind, role: Option<&String>, until_ms, factor, command: Option<&String>| {
        let role_ok = role.is_none_or(|r| check_client(r));
        let command_ok = command.is_none_or(|c| {
            (1..=32).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_alphabetic())
        });
        (role_ok && command_ok).then(|| {
            Injection::Fault(FaultSpec {
                at_ms,
                kind,
                role: role.cloned(),
                until_ms,
                factor,
                command: command.cloned(),
            })
        })
    };
    let until = |text: &String| parse_u64(text).filter(|u| *u > at_ms && *u <= MAX_MS);
    let lose = |kind: &str| match kind {
        "lose-command" => Some(FaultKind::LoseCommand),
        "lose-reply" => Some(FaultKind::LoseReply),
        _ => None,
    };
    match (kind.as_str(), rest) {
        ("cmd", [client, line, lane @ ..]) => {
            let lane = match lane {
                [] => 0,
                [lane] => u16::try_from(parse_u64(lane)?).ok().filter(|l| *l > 0)?,
                _ => return None,
            };
            (check_client(client) && check_line(line)).then(|| Injection::Console {
                at_ms,
                client: client.clone(),
                line: line.clone(),
                lane,
            })
        }
        ("crash", [role]) => fault(FaultKind::Crash, Some(role), None, None, None),
        ("restart", [role]) => fault(FaultKind::Restart, Some(role), None, None, None),
        ("disconnect", [role, until_ms]) => fault(
            FaultKind::Disconnect,
            Some(role),
            Some(until(until_ms)?),
            None,
            None,
        ),
        ("slow", [role, until_ms, pct]) => {
            let pct = parse_u64(pct).filter(|p| (100..=10_000).contains(p))?;
            // Whole percents: `pct / 100` is exact for every allowed value.
            let factor = Some(pct as f64 / 100.0);
            fault(
                FaultKind::Slow,
                Some(role),
                Some(until(until_ms)?),
                factor,
                None,
            )
        }
        (kind, [role, command @ ..]) if command.len() <= 1 && lose(kind).is_some() => {
            fault(lose(kind)?, Some(role), None, None, command.first())
        }
        // A Kafka broker, by role (`broker-2`, `leader`).
        ("broker-crash", [role]) if role.parse::<u64>().is_err() => {
            fault(FaultKind::BrokerCrash, Some(role), None, None, None)
        }
        ("broker-crash", []) => fault(FaultKind::BrokerCrash, None, None, None, None),
        ("broker-crash", [until_ms]) => fault(
            FaultKind::BrokerCrash,
            None,
            Some(until(until_ms)?),
            None,
            None,
        ),
        ("broker-restart", []) => fault(FaultKind::BrokerRestart, None, None, None, None),
        ("broker-restart", [role]) => fault(FaultKind::BrokerRestart, Some(role), None, None, None),
        _ => None,
    }
}

fn format_injection(injection: &Injection) -> String {
    match injection {
        Injection::Console {
            at_ms,
            client,
            line,
            lane,
        } => {
            let lane = match lane {
                0 => String::new(),
                n => format!(".{n}"),
            };
            format!("{at_ms}.cmd.{}.{}{lane}", encode(client), encode(line))
        }
        Injection::Fault(f) => {
            let role = encode(f.role.as_deref().unwrap_or_default());
            let at = f.at_ms;
            let until = f.until_ms.unwrap_or(0);
            let command = f
                .command
                .as_deref()
                .map_or(String::new(), |c| format!(".{}", encode(c)));
            match f.kind {
                FaultKind::Crash => format!("{at}.crash.{role}"),
                FaultKind::Restart => format!("{at}.restart.{role}"),
                FaultKind::Disconnect => format!("{at}.disconnect.{role}.{until}"),
                FaultKind::Slow => {
                    let pct = (f.factor.unwrap_or(1.0) * 100.0).round() as u64;
                    format!("{at}.slow.{role}.{until}.{pct}")
                }
                FaultKind::LoseCommand => format!("{at}.lose-command.{role}{command}"),
                FaultKind::LoseReply => format!("{at}.lose-reply.{role}{command}"),
                FaultKind::BrokerCrash => match (&f.role, f.until_ms) {
                    (Some(_), _) => format!("{at}.broker-crash.{role}"),
                    (None, Some(u)) => format!("{at}.broker-crash.{u}"),
                    (None, None) => format!("{at}.broker-crash"),
                },
                FaultKind::BrokerRestart => match &f.role {
                    Some(_) => format!("{at}.broker-restart.{role}"),
                    None => format!("{at}.broker-restart"),
                },
            }
        }
    }
}

/// A connection or worker name as the scenario format allows them.
fn check_client(name: &str) -> bool {
    (1..=40).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
}

/// A console line: one line of text, bounded.
fn check_line(line: &str) -> bool {
    (1..=MAX_LINE).contains(&line.len()) && !line.chars().any(char::is_control)
}

/// Percent-encodes everything but ASCII letters, digits, `-`, `_` and `*`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'*') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` for a broken escape or invalid UTF-8.
pub fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ackscope_engine::scenario::RedisSetting;

    fn crash(at_ms: u64, worker: &str) -> Injection {
        Injection::Fault(FaultSpec {
            at_ms,
            kind: FaultKind::Crash,
            role: Some(worker.into()),
            until_ms: None,
            factor: None,
            command: None,
        })
    }

    fn sample() -> Link {
        Link {
            lab: Lab::Streams,
            scenario: Some("stream-dead-letter".into()),
            seed: Some(4),
            t: 8895,
            n: Some(59),
            lang: Some(Lang::Ko),
            injections: vec![
                crash(2500, "p1"),
                Injection::Console {
                    at_ms: 3000,
                    client: "console".into(),
                    line: "XADD payments * note \"a, b. c&d=e %\" 한글".into(),
                    lane: 0,
                },
                Injection::Console {
                    at_ms: 3000,
                    client: "console".into(),
                    line: "XLEN payments".into(),
                    lane: 2,
                },
                Injection::Fault(FaultSpec {
                    at_ms: 4000,
                    kind: FaultKind::Slow,
                    role: Some("p2".into()),
                    until_ms: Some(9000),
                    factor: Some(4.0),
                    command: None,
                }),
                Injection::Fault(FaultSpec {
                    at_ms: 4100,
                    kind: FaultKind::Disconnect,
                    role: Some("p2".into()),
                    until_ms: Some(5000),
                    factor: None,
                    command: None,
                }),
                Injection::Fault(FaultSpec {
                    at_ms: 4200,
                    kind: FaultKind::LoseReply,
                    role: Some("payment".into()),
                    until_ms: None,
                    factor: None,
                    command: Some("XADD".into()),
                }),
                Injection::Fault(FaultSpec {
                    at_ms: 4300,
                    kind: FaultKind::LoseCommand,
                    role: Some("p1".into()),
                    until_ms: None,
                    factor: None,
                    command: None,
                }),
                Injection::Fault(FaultSpec {
                    at_ms: 4400,
                    kind: FaultKind::BrokerCrash,
                    role: None,
                    until_ms: Some(4900),
                    factor: None,
                    command: None,
                }),
                Injection::Fault(FaultSpec {
                    kind: FaultKind::Restart,
                    ..match crash(6000, "p1") {
                        Injection::Fault(f) => f,
                        Injection::Console { .. } => unreachable!(),
                    }
                }),
            ],
            branch: Some(BranchSpec {
                lane: 1,
                change: BranchChange::Without(2),
            }),
            settings: Vec::new(),
            schedule: Some(vec![match crash(1000, "p2") {
                Injection::Fault(f) => f,
                Injection::Console { .. } => unreachable!(),
            }]),
            lesson: None,
        }
    }

    #[test]
    fn a_fault_schedule_and_the_workload_read_back_and_are_bounded() {
        use ackscope_engine::scenario::WorkloadSetting;
        let link = Link {
            lab: Lab::Guarantees,
            scenario: Some("guarantees-side-by-side".into()),
            settings: vec![
                Setting::Workload(WorkloadSetting::Rate(10)),
                Setting::Workload(WorkloadSetting::Consumers(3)),
            ],
            schedule: Some(Vec::new()),
            ..Link::default()
        };
        let fragment = link.to_fragment();
        assert!(
            fragment.ends_with("&set=rate:10,consumers:3&faults=none"),
            "{fragment}"
        );
        assert_eq!(Link::parse(&fragment), Ok(Some(link)));
        let crash = "100.crash.w1";
        let many = [crash; MAX_FAULTS + 1].join(",");
        assert_eq!(
            Link::parse(&format!("lab=guarantees&faults={many}")),
            Err(LinkError::BadFault(MAX_FAULTS + 1))
        );
        assert_eq!(
            Link::parse("lab=guarantees&faults=100.crash.w1,100.cmd.console.PING"),
            Err(LinkError::BadFault(2))
        );
        assert_eq!(
            Link::parse("lab=guarantees&set=rate:0"),
            Err(LinkError::BadSetting(1))
        );
    }

    #[test]
    fn every_kind_of_branch_reads_back_as_itself() {
        let changes = [
            BranchChange::Without(0),
            BranchChange::Guarantee(Guarantee::ExactlyOnce),
            BranchChange::With(FaultSpec {
                at_ms: 2500,
                kind: FaultKind::Crash,
                role: Some("w1".into()),
                until_ms: None,
                factor: None,
                command: None,
            }),
            BranchChange::With(FaultSpec {
                at_ms: 3000,
                kind: FaultKind::LoseCommand,
                role: Some("w2".into()),
                until_ms: None,
                factor: None,
                command: Some("XACK".into()),
            }),
        ];
        for change in changes {
            let link = Link {
                lab: Lab::Guarantees,
                branch: Some(BranchSpec { lane: 2, change }),
                ..Link::default()
            };
            assert_eq!(Link::parse(&link.to_fragment()), Ok(Some(link)));
        }
        use LinkError::*;
        check("lab=guarantees&branch=1.g.twice", BadValue("branch"));
        check(
            "lab=guarantees&branch=1.f.2500.cmd.console.PING",
            BadValue("branch"),
        );
        check("lab=guarantees&branch=1.f.x.crash.w1", BadValue("branch"));
    }

    #[test]
    fn kafka_settings_read_back_as_themselves() {
        use ackscope_engine::kafka::Acks;
        use ackscope_engine::scenario::KafkaSetting;
        use ackscope_engine::scenario::RETRIES_DEFAULT;
        let link = Link {
            lab: Lab::Kafka,
            scenario: Some("kafka-acks1-leader-crash".into()),
            settings: [
                KafkaSetting::Acks(Acks::All),
                KafkaSetting::MinInsyncReplicas(2),
                KafkaSetting::UncleanLeaderElection(true),
                KafkaSetting::Retries(RETRIES_DEFAULT),
                KafkaSetting::Idempotence(false),
                KafkaSetting::AutoCommit(true),
            ]
            .map(Setting::Kafka)
            .to_vec(),
            ..Link::default()
        };
        let fragment = link.to_fragment();
        assert!(
            fragment.ends_with(
                "&set=acks:all,min.insync.replicas:2,unclean.leader.election.enable:true,retries:2147483647,enable.idempotence:false,enable.auto.commit:true"
            ),
            "{fragment}"
        );
        assert_eq!(Link::parse(&fragment), Ok(Some(link)));
        let one = Link::parse("lab=kafka&set=acks:0").unwrap().unwrap();
        assert_eq!(
            one.settings,
            [Setting::Kafka(KafkaSetting::Acks(Acks::Zero))]
        );
    }

    #[test]
    fn the_cluster_setting_reads_back_as_itself() {
        for on in [true, false] {
            let link = Link {
                lab: Lab::Compare,
                scenario: Some("queue-vs-stream-vs-pubsub".into()),
                settings: vec![Setting::Redis(RedisSetting::ClusterEnabled(on))],
                ..Link::default()
            };
            let fragment = link.to_fragment();
            let value = if on { "yes" } else { "no" };
            assert!(
                fragment.ends_with(&format!("&set=cluster-enabled:{value}")),
                "{fragment}"
            );
            assert_eq!(Link::parse(&fragment), Ok(Some(link)));
        }
        use LinkError::*;
        check("lab=compare&set=cluster-enabled:true", BadSetting(1));
        check("lab=compare&set=cluster-enabled:", BadSetting(1));
        check(
            "lab=compare&set=cluster-enabled:yes,cluster-enabled:no",
            BadSetting(2),
        );
    }

    #[test]
    fn bad_kafka_settings_name_the_item() {
        use LinkError::*;
        check("lab=kafka&set=", BadSetting(1));
        check("lab=kafka&set=acks", BadSetting(1));
        check("lab=kafka&set=acks:2", BadSetting(1));
        // Separators are never percent-encoded, as in `do`.
        check("lab=kafka&set=acks%3A0", BadSetting(1));
        check("lab=kafka&set=acks:all,linger.ms:5", BadSetting(2));
        check("lab=kafka&set=acks:all,acks:1", BadSetting(2));
        check("lab=kafka&set=retries:3", BadSetting(1));
        check("lab=kafka&set=min.insync.replicas:0", BadSetting(1));
        check("lab=kafka&set=enable.idempotence:%ZZ", BadSetting(1));
        check("lab=kafka&set=acks:1&set=acks:0", Repeated("set"));
        let too_many = ["acks:1"; Setting::CONFIGS + 1].join(",");
        check(
            &format!("lab=kafka&set={too_many}"),
            BadSetting(Setting::CONFIGS + 1),
        );
    }

    #[test]
    fn a_link_reads_back_as_itself() {
        let link = sample();
        let fragment = link.to_fragment();
        assert!(fragment.starts_with("lab=streams&scenario=stream-dead-letter&seed=4&t=8895"));
        assert_eq!(Link::parse(&fragment), Ok(Some(link)));
    }

    #[test]
    fn empty_and_minimal_fragments() {
        assert_eq!(Link::parse(""), Ok(None));
        let minimal = Link::parse("lab=kafka").unwrap().unwrap();
        assert_eq!(
            (minimal.lab, minimal.t, minimal.scenario),
            (Lab::Kafka, 0, None)
        );
    }

    #[test]
    fn a_lesson_link_names_a_step_and_reads_back() {
        let link = Link::parse("lesson=004&step=3&lang=ko").unwrap().unwrap();
        let lesson = LessonLink {
            id: "004".into(),
            step: 2,
            pick: None,
        };
        assert_eq!(link.lesson, Some(lesson.clone()));
        assert_eq!(link.to_fragment(), "lesson=004&step=3&lang=ko");
        // Without a step, the first.
        let first = Link::parse("lesson=000").unwrap().unwrap();
        assert_eq!(first.lesson.map(|l| l.step), Some(0));
        use LinkError::*;
        check("lesson=4", BadValue("lesson"));
        check("lesson=abc", BadValue("lesson"));
        check("lesson=004&step=0", BadValue("step"));
        check("lesson=004&step=41", BadValue("step"));
        check("lesson=004&step=-1", BadValue("step"));
        check("step=2", BadValue("step"));
        check("lesson=004&lesson=003", Repeated("lesson"));
    }

    #[test]
    fn a_lesson_link_carries_the_learners_pick() {
        let link = Link::parse("lesson=004&step=3&pick=2&lang=ko")
            .unwrap()
            .unwrap();
        let lesson = link.lesson.clone().unwrap();
        assert_eq!((lesson.step, lesson.pick), (2, Some(1)));
        assert_eq!(link.to_fragment(), "lesson=004&step=3&pick=2&lang=ko");
        // No pick, none written.
        let none = Link::parse("lesson=004&step=3").unwrap().unwrap();
        assert_eq!(none.lesson.unwrap().pick, None);
        use LinkError::*;
        check("lesson=004&step=3&pick=0", BadValue("pick"));
        check("lesson=004&step=3&pick=65", BadValue("pick"));
        check("lesson=004&step=3&pick=x", BadValue("pick"));
        check("lesson=004&step=3&pick=-2", BadValue("pick"));
        check("pick=2", BadValue("pick"));
        check("lesson=004&pick=1&pick=2", Repeated("pick"));
    }

    fn check(fragment: &str, expected: LinkError) {
        assert_eq!(Link::parse(fragment), Err(expected), "{fragment:?}");
    }

    #[test]
    fn hostile_fragments_are_refused_with_a_reason() {
        use LinkError::*;
        check(&"a".repeat(MAX_FRAGMENT + 1), TooLong);
        check("lab", Malformed);
        check("lab=streams&", Malformed);
        check("lab=%zz", Malformed);
        check("lab=%e2%82", Malformed);
        check("lab=%", Malformed);
        check("lab=streams&lab=kafka", Repeated("lab"));
        check("labz=streams", UnknownKey("labz".into()));
        check(
            &format!("{}=1", "k".repeat(100)),
            UnknownKey("k".repeat(24)),
        );
        check("lab=Streams", BadValue("lab"));
        check("lab=streams&seed=-1", BadValue("seed"));
        check("lab=guarantees&branch=1", BadValue("branch"));
        check("lab=guarantees&branch=1.x", BadValue("branch"));
        check("lab=guarantees&branch=256.0", BadValue("branch"));
        check("seed=18446744073709551616", BadValue("seed"));
        check("seed=+4", BadValue("seed"));
        check("seed=%204", BadValue("seed"));
        check("t=1e3", BadValue("t"));
        check("t=86400001", BadValue("t"));
        check("lang=fr", BadValue("lang"));
        check("scenario=..%2F..%2Fetc", BadValue("scenario"));
        check("scenario=", BadValue("scenario"));
        check("do=", BadInjection(1));
        check("do=1.crash.w1,2.explode.w1", BadInjection(2));
        check("do=1.crash.w1%2C2.crash.w1", BadInjection(1));
        check("do=1.crash.w%20one", BadInjection(1));
        check("do=1.crash", BadInjection(1));
        check("do=1.crash.w1.extra", BadInjection(1));
        check("do=1.slow.w1.1.400", BadInjection(1));
        check("do=1.slow.w1.900.99", BadInjection(1));
        check("do=1.disconnect.w1.86400001", BadInjection(1));
        check("do=99999999999.crash.w1", BadInjection(1));
        check("do=1.cmd.console.", BadInjection(1));
        check("do=1.cmd.console.PING%0AFLUSHALL", BadInjection(1));
        check(
            &format!("do=1.cmd.c.{}", "A".repeat(MAX_LINE + 1)),
            BadInjection(1),
        );
        let many = vec!["1.crash.w1"; MAX_INJECTIONS + 1].join(",");
        check(&format!("do={many}"), TooManyInjections);
    }

    #[test]
    fn numbers_are_plain_decimal() {
        assert_eq!(parse_u64("0"), Some(0));
        assert_eq!(parse_u64("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "-0",
            "+1",
            " 1",
            "1 ",
            "0x10",
            "１",
            "18446744073709551616",
        ] {
            assert_eq!(parse_u64(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn percent_encoding_round_trips_any_text() {
        for text in ["", "a b", "%", "%%41", "한국어", ",.&=#?/", "\u{0}"] {
            let encoded = encode(text);
            assert!(
                encoded
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_*%".contains(&b))
            );
            assert_eq!(decode(&encoded).as_deref(), Some(text));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn any_text_is_an_answer_never_a_panic(fragment in ".{0,300}") {
                let _ = Link::parse(&fragment);
            }

            #[test]
            fn fragment_shaped_text_is_an_answer_never_a_panic(
                parts in proptest::collection::vec(
                    ("(lab|scenario|seed|t|n|lang|do|branch|set|x)", "[a-z0-9%.,*=&-]{0,40}"), 0..8)
            ) {
                let fragment: Vec<String> = parts.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let _ = Link::parse(&fragment.join("&"));
            }

            #[test]
            fn console_lines_survive_the_round_trip(line in "[^\\p{Cc}]{1,80}", at in 0u64..86_400_000) {
                let link = Link {
                    injections: vec![Injection::Console { at_ms: at, client: "console".into(), line, lane: 0 }],
                    ..Link::default()
                };
                prop_assert_eq!(Link::parse(&link.to_fragment()), Ok(Some(link)));
            }
        }
    }
}
