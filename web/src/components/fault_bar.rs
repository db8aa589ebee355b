//! Fault buttons: crash, restart or slow down a consumer's worker now.

use ackscope_engine::scenario::FaultKind;
use ackscope_engine::view::{ServiceView, WorkerStatus};
use yew::prelude::*;

use crate::components::stage::status_word;
use crate::i18n::{Catalogue, use_catalogue};
use crate::words::fill;

/// A worker as the fault buttons need it: what it is called and how it
/// is doing, nothing that changes with every message it processes.
#[derive(Clone, Debug, PartialEq)]
pub struct FaultTarget {
    /// The worker's name.
    pub name: String,
    /// Up, crashed, cut off, not started.
    pub status: WorkerStatus,
    /// Its slowdown in percent (100: none).
    pub slow_pct: u32,
}

impl FaultTarget {
    /// Every worker of `services`, as the engine reports them now.
    pub fn of(services: &[ServiceView]) -> Vec<FaultTarget> {
        services
            .iter()
            .flat_map(|service| &service.workers)
            .map(|w| FaultTarget {
                name: w.name.clone(),
                status: w.status,
                slow_pct: w.slow_pct,
            })
            .collect()
    }
}

/// Props of [`FaultBar`].
#[derive(Properties, PartialEq)]
pub struct FaultBarProps {
    /// The workers.
    pub workers: Vec<FaultTarget>,
    /// Called with the fault to inject at the current time.
    pub on_fault: Callback<(FaultKind, String)>,
}

/// One row per worker: its state in words, and the faults that make sense
/// for it now. A fault joins the run at the current simulated time, so
/// replaying or sharing the run keeps it.
#[component]
pub fn FaultBar(props: &FaultBarProps) -> Html {
    let text = use_catalogue();
    html! {
        <section class="panel faults" aria-labelledby="faults-title" data-testid="faults">
            <h3 class="panel__title" id="faults-title">{ text.panels.faults }</h3>
            <p class="panel__hint">{ text.panels.faults_help }</p>
            <ul class="faults__list">
                for worker in props.workers.iter() {
                    <li class="faults__worker" data-worker={worker.name.clone()} data-status={format!("{:?}", worker.status)}>
                        <span class="faults__name">{ &worker.name }</span>
                        <span class="faults__status">{ status_word(worker.status, &text.stage) }</span>
                        <span class="faults__buttons">
                            { button(props, text, worker.name.clone(), primary(worker.status), !matches!(worker.status, WorkerStatus::NotStarted | WorkerStatus::Stopped)) }
                            { button(props, text, worker.name.clone(), FaultKind::Slow, worker.status == WorkerStatus::Up && worker.slow_pct == 100) }
                        </span>
                    </li>
                }
            </ul>
        </section>
    }
}

/// Crash a running worker; restart a crashed one.
fn primary(status: WorkerStatus) -> FaultKind {
    match status {
        WorkerStatus::Crashed => FaultKind::Restart,
        _ => FaultKind::Crash,
    }
}

fn button(
    props: &FaultBarProps,
    text: &Catalogue,
    worker: String,
    kind: FaultKind,
    possible: bool,
) -> Html {
    let (word, slug) = match kind {
        FaultKind::Crash => (text.panels.crash, "crash"),
        FaultKind::Restart => (text.panels.restart, "restart"),
        _ => (text.panels.slow, "slow"),
    };
    fault_button(&props.on_fault, text, word, slug, kind, worker, possible)
}

/// One fault button: `word` on it, named for the role it hits (`Crash
/// w1`), `data-fault={slug}` for the tests; an impossible fault is shown
/// but inert (`aria-disabled`), so the row keeps its shape.
pub fn fault_button(
    on_fault: &Callback<(FaultKind, String)>,
    text: &Catalogue,
    word: impl Into<AttrValue>,
    slug: &'static str,
    kind: FaultKind,
    role: String,
    usable: bool,
) -> Html {
    let word = word.into();
    let name = fill(
        text.panels.fault_name,
        &[("fault", word.to_string()), ("worker", role.clone())],
    )
    .plain();
    let on_fault = on_fault.clone();
    html! {
        <button
            type="button"
            class={classes!("button", "button--small", format!("button--{slug}"))}
            aria-disabled={(!usable).to_string()}
            aria-label={name}
            data-fault={slug}
            onclick={Callback::from(move |_: MouseEvent| if usable { on_fault.emit((kind, role.clone())) })}
        >
            { word }
        </button>
    }
}
