//! The workload editor: the four knobs of the workload every lane runs —
//! messages a second, consumers, processing time, failure chance — and the
//! fault schedule, whose faults can be added, moved and removed. Each
//! change is an action; the engine makes the run again with the same seed
//! (`Scenario::with_settings`, `Scenario::reshaped`) or refuses it with a
//! reason the notice shows. The fields show the values the run uses, read
//! from its scenario, so a refused value never stays on screen.

use ackscope_engine::scenario::workload::{MAX_FAULTS, WorkloadKind, WorkloadSetting};
use ackscope_engine::scenario::{FaultKind, Scenario};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::i18n::workload::WorkloadText;
use crate::state::ScheduleEdit;
use crate::words::fill;

/// One knob as the editor shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Knob {
    /// Which one.
    pub kind: WorkloadKind,
    /// Its value in the run.
    pub value: Option<u32>,
    /// The built-in scenario's own value.
    pub own: Option<u32>,
    /// Why it cannot change in this run, if it cannot.
    pub fixed: Option<&'static str>,
}

/// A fault the "add" form offers: what it does, to whom.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultChoice {
    /// What happens.
    pub kind: FaultKind,
    /// To whom.
    pub role: Option<String>,
    /// The command lost, for a lost command.
    pub command: Option<String>,
}

/// What the editor draws, computed from the run's scenario when it
/// changes (not every frame).
#[derive(Clone, Debug, PartialEq)]
pub struct WorkloadForm {
    /// The knobs, in [`WorkloadKind::ALL`]'s order.
    pub knobs: Vec<Knob>,
    /// The schedule: each fault in words and its time.
    pub schedule: Vec<(String, u64)>,
    /// The faults the "add" form offers, in words.
    pub choices: Vec<(String, FaultChoice)>,
    /// The latest moment a fault may strike (the producers' last).
    pub last_ms: u64,
    /// Whether the workload or the schedule differs from the scenario's.
    pub changed: bool,
}

impl WorkloadForm {
    /// The form for a run of `scenario` (built-in `own`, if it is one).
    pub fn of(
        scenario: &Scenario,
        own: Option<&Scenario>,
        changed: bool,
        w: &WorkloadText,
    ) -> WorkloadForm {
        let kafka = scenario.kafka.is_some();
        let knobs = WorkloadKind::ALL
            .into_iter()
            .map(|kind| Knob {
                kind,
                value: scenario.workload_setting(kind).map(WorkloadSetting::value),
                own: own
                    .and_then(|s| s.workload_setting(kind))
                    .map(WorkloadSetting::value),
                fixed: (kafka && kind == WorkloadKind::FailurePercent).then_some(w.failure_kafka),
            })
            .collect();
        WorkloadForm {
            knobs,
            schedule: scenario
                .faults
                .iter()
                .map(|f| {
                    (
                        fault_label(f.kind, f.role.as_deref(), f.command.as_deref(), w),
                        f.at_ms,
                    )
                })
                .collect(),
            choices: choices(scenario)
                .into_iter()
                .map(|c| {
                    let words = fault_label(c.kind, c.role.as_deref(), c.command.as_deref(), w);
                    (words, c)
                })
                .collect(),
            last_ms: scenario.duration_ms.saturating_sub(1),
            changed,
        }
    }
}

/// The faults worth adding to `scenario`'s schedule: for Redis, each
/// consumer's crash, restart, slowdown, lost XACK and lost reply, and
/// the server's crash and restart; for Kafka, each consumer's crash,
/// restart and slowdown, each producer's lost produce response, the
/// leader's death and each broker's death and restart.
fn choices(scenario: &Scenario) -> Vec<FaultChoice> {
    let choice = |kind, role: Option<&str>, command: Option<&str>| FaultChoice {
        kind,
        role: role.map(str::to_owned),
        command: command.map(str::to_owned),
    };
    let workers: Vec<&str> = scenario.workers().map(|(_, w)| w.name.as_str()).collect();
    let mut out = Vec::new();
    match &scenario.kafka {
        None => {
            for w in &workers {
                out.push(choice(FaultKind::Crash, Some(w), None));
                out.push(choice(FaultKind::Restart, Some(w), None));
                out.push(choice(FaultKind::Slow, Some(w), None));
                out.push(choice(FaultKind::LoseCommand, Some(w), Some("XACK")));
                out.push(choice(FaultKind::LoseReply, Some(w), None));
            }
            out.push(choice(FaultKind::BrokerCrash, None, None));
            out.push(choice(FaultKind::BrokerRestart, None, None));
        }
        Some(k) => {
            for w in &workers {
                out.push(choice(FaultKind::Crash, Some(w), None));
                out.push(choice(FaultKind::Restart, Some(w), None));
                out.push(choice(FaultKind::Slow, Some(w), None));
            }
            for p in &scenario.producers {
                out.push(choice(FaultKind::LoseReply, Some(&p.name), None));
            }
            out.push(choice(FaultKind::BrokerCrash, Some("leader"), None));
            for b in &k.brokers {
                let role = format!("broker-{}", b.id);
                out.push(choice(FaultKind::BrokerCrash, Some(&role), None));
                out.push(choice(FaultKind::BrokerRestart, Some(&role), None));
            }
        }
    }
    out
}

/// A fault in words, without its time.
fn fault_label(
    kind: FaultKind,
    role: Option<&str>,
    command: Option<&str>,
    w: &WorkloadText,
) -> String {
    let role = ("role", role.unwrap_or_default().to_owned());
    match (kind, role.1.is_empty()) {
        (FaultKind::Crash, _) => fill(w.crash, &[role]),
        (FaultKind::Restart, _) => fill(w.restart, &[role]),
        (FaultKind::Slow, _) => fill(w.slow, &[role]),
        (FaultKind::Disconnect, _) => fill(w.cut_off, &[role]),
        (FaultKind::LoseCommand, _) => fill(
            w.lose_command,
            &[role, ("command", command.unwrap_or("command").to_owned())],
        ),
        (FaultKind::LoseReply, _) => fill(w.lose_reply, &[role]),
        (FaultKind::BrokerCrash, true) => fill(w.redis_crash, &[]),
        (FaultKind::BrokerCrash, false) => fill(w.kill, &[role]),
        (FaultKind::BrokerRestart, true) => fill(w.redis_restart, &[]),
        (FaultKind::BrokerRestart, false) => fill(w.broker_restart, &[role]),
    }
    .plain()
}

/// Props of [`WorkloadEditor`].
#[derive(Properties, PartialEq)]
pub struct WorkloadEditorProps {
    /// What to draw.
    pub form: std::rc::Rc<WorkloadForm>,
    /// A knob turned.
    pub on_set: Callback<WorkloadSetting>,
    /// The schedule changed.
    pub on_edit: Callback<ScheduleEdit>,
    /// Back to the scenario's own workload and schedule.
    pub on_reset: Callback<()>,
}

/// A whole number typed into `input`, which is then put back to `shown`:
/// the field shows what the run uses until the run changes.
fn typed(event: &Event, shown: &str) -> Option<u64> {
    let input = event.target_unchecked_into::<HtmlInputElement>();
    let value = input.value();
    input.set_value(shown);
    crate::link::parse_u64(value.trim())
}

/// The workload's knobs, then the fault schedule and its "add" form.
#[component]
pub fn WorkloadEditor(props: &WorkloadEditorProps) -> Html {
    let w = use_catalogue().guarantees_stage.workload;
    let form = &props.form;
    let pick = use_state(|| 0usize);
    let add_at = use_state(String::new);
    let on_pick = {
        let pick = pick.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            pick.set(v.parse().unwrap_or_default());
        })
    };
    let on_add_at = {
        let add_at = add_at.clone();
        Callback::from(move |e: InputEvent| {
            add_at.set(e.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let add = {
        let chosen = form.choices.get(*pick).map(|(_, c)| c.clone());
        let at = crate::link::parse_u64(add_at.trim());
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = chosen.clone() {
                on_edit.emit(ScheduleEdit::Add {
                    kind: c.kind,
                    role: c.role,
                    command: c.command,
                    at_ms: at,
                });
            }
        })
    };
    let full = form.schedule.len() >= MAX_FAULTS;
    html! {
        <section class="panel workload" data-testid="workload" data-changed={form.changed.to_string()} aria-labelledby="workload-title">
            <h3 class="panel__title" id="workload-title">{ w.title }</h3>
            <p class="panel__hint">{ w.help }</p>
            <div class="workload__knobs">
                for k in form.knobs.iter() {
                    { knob(k, &props.on_set, w) }
                }
            </div>
            <h4 class="workload__subtitle" id="schedule-title">{ w.schedule }</h4>
            if form.schedule.is_empty() {
                <p class="panel__hint" data-testid="schedule-empty">{ w.schedule_empty }</p>
            } else {
                <ol class="workload__schedule" aria-labelledby="schedule-title">
                    for (i, (words, at)) in form.schedule.iter().enumerate() {
                        { scheduled(i, words, *at, form.last_ms, &props.on_edit, w) }
                    }
                </ol>
            }
            <div class="workload__add">
                <label class="workload__field">
                    <span>{ w.add_what }</span>
                    <span class="select-wrap">
                        <select class="select" data-testid="schedule-choice" onchange={on_pick}>
                            for (i, (words, _)) in form.choices.iter().enumerate() {
                                <option value={i.to_string()} selected={i == *pick}>{ words }</option>
                            }
                        </select>
                    </span>
                </label>
                <label class="workload__field workload__field--at">
                    <span>{ w.add_at }</span>
                    <input class="input workload__number" type="number" inputmode="numeric" min="0"
                        max={form.last_ms.to_string()} step="100" placeholder={w.add_now}
                        data-testid="schedule-at" value={(*add_at).clone()} oninput={on_add_at} />
                </label>
                <button type="button" class="button" data-testid="schedule-add" disabled={full} onclick={add}>{ w.add }</button>
            </div>
            if form.changed {
                <button type="button" class="button button--quiet button--small" data-testid="workload-reset"
                    onclick={props.on_reset.reform(|_| ())}>{ w.reset }</button>
            }
        </section>
    }
}

fn knob(k: &Knob, on_set: &Callback<WorkloadSetting>, w: &WorkloadText) -> Html {
    let (label, step) = match k.kind {
        WorkloadKind::Rate => (w.rate, 1),
        WorkloadKind::Consumers => (w.consumers, 1),
        WorkloadKind::ProcessingMs => (w.processing_ms, 10),
        WorkloadKind::FailurePercent => (w.failure_percent, 1),
    };
    let range = k.kind.range();
    let shown = k.value.map(|v| v.to_string()).unwrap_or_default();
    let id = format!("workload-{}", k.kind.name());
    let onchange = {
        let (on_set, kind, shown) = (on_set.clone(), k.kind, shown.clone());
        Callback::from(move |e: Event| {
            if let Some(v) = typed(&e, &shown) {
                on_set.emit(kind.with(u32::try_from(v).unwrap_or(u32::MAX)));
            }
        })
    };
    let changed = k.value != k.own;
    html! {
        <div class="workload__knob" data-knob={k.kind.name()} data-value={shown.clone()} data-changed={changed.to_string()}>
            <label class="workload__label" for={id.clone()}>{ label }</label>
            <input class="input workload__number" type="number" inputmode="numeric" id={id}
                min={range.start().to_string()} max={range.end().to_string()} step={step.to_string()}
                value={shown} disabled={k.fixed.is_some()} title={k.fixed.unwrap_or_default()}
                {onchange} />
            if let Some(why) = k.fixed {
                <span class="workload__note">{ why }</span>
            } else if let (true, Some(own)) = (changed, k.own) {
                <span class="workload__note">{ fill(w.own, &[("value", own.to_string())]).plain() }</span>
            }
        </div>
    }
}

fn scheduled(
    i: usize,
    words: &str,
    at: u64,
    last_ms: u64,
    on_edit: &Callback<ScheduleEdit>,
    w: &WorkloadText,
) -> Html {
    let shown = at.to_string();
    let onchange = {
        let (on_edit, shown) = (on_edit.clone(), shown.clone());
        Callback::from(move |e: Event| {
            if let Some(v) = typed(&e, &shown) {
                on_edit.emit(ScheduleEdit::Move(i, v));
            }
        })
    };
    let fault = ("fault", words.to_owned());
    html! {
        <li class="workload__fault" data-testid="scheduled-fault" data-at-ms={shown.clone()}>
            <span class="workload__fault-words">{ words }</span>
            <input class="input workload__number" type="number" inputmode="numeric" min="0"
                max={last_ms.to_string()} step="100" value={shown}
                aria-label={fill(w.at, std::slice::from_ref(&fault)).plain()} {onchange} />
            <button type="button" class="button button--quiet button--small" data-testid="schedule-remove"
                aria-label={fill(w.remove, &[fault]).plain()}
                onclick={on_edit.reform(move |_| ScheduleEdit::Remove(i))}>{ w.remove_short }</button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ackscope_engine::scenario::builtin;

    #[test]
    fn the_form_reads_the_run_and_offers_faults_of_its_broker() {
        let s = builtin::by_name("guarantees-side-by-side").unwrap();
        let form = WorkloadForm::of(&s, Some(&s), false, &crate::i18n::workload::EN);
        let values: Vec<Option<u32>> = form.knobs.iter().map(|k| k.value).collect();
        assert_eq!(values, [Some(5), Some(2), Some(200), Some(0)]);
        assert_eq!(
            form.schedule,
            [
                ("w1 crashes".to_owned(), 2500),
                ("w1 restarts".to_owned(), 4000),
                ("w2’s XACK is lost".to_owned(), 5000)
            ]
        );
        assert!(
            form.choices
                .iter()
                .any(|(words, _)| words == "Redis crashes (no persistence)")
        );
        let k = builtin::by_name("guarantees-side-by-side-kafka").unwrap();
        let form = WorkloadForm::of(&k, Some(&k), false, &crate::i18n::workload::EN);
        assert!(form.knobs[3].fixed.is_some());
        assert!(
            form.choices
                .iter()
                .any(|(words, _)| words == "leader is killed")
        );
        assert!(
            form.choices
                .iter()
                .any(|(words, _)| words == "the answer to order’s next request is lost")
        );
    }
}
