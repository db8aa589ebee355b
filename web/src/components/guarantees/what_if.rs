//! "Branch here": from the cursor, replay one lane without one of the
//! faults still to come, beside the run, so both futures show at once.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::run::BranchSpec;

/// Props of [`WhatIf`].
#[derive(Properties, PartialEq)]
pub struct WhatIfProps {
    /// The lanes' names, in order.
    pub lanes: Vec<String>,
    /// The scenario's faults still to come: (index, in words).
    pub faults: Vec<(u16, String)>,
    /// The branch shown now, if any.
    pub current: Option<BranchSpec>,
    /// Branch, or remove the branch.
    pub on_branch: Callback<Option<BranchSpec>>,
}

fn chosen(event: &Event) -> u16 {
    event
        .target_unchecked_into::<HtmlSelectElement>()
        .value()
        .parse()
        .unwrap_or_default()
}

/// A lane, a fault, and the button.
#[component]
pub fn WhatIf(props: &WhatIfProps) -> Html {
    let t = &use_catalogue().guarantees_stage;
    let lane = use_state(|| 0u16);
    let fault = use_state(|| None::<u16>);
    // The fault chosen, if it is still to come; else the next one.
    let without = (*fault)
        .filter(|f| props.faults.iter().any(|(i, _)| i == f))
        .or_else(|| props.faults.first().map(|(i, _)| *i));
    let on_lane = {
        let lane = lane.clone();
        Callback::from(move |e: Event| lane.set(chosen(&e)))
    };
    let on_fault = {
        let fault = fault.clone();
        Callback::from(move |e: Event| fault.set(Some(chosen(&e))))
    };
    let branch = {
        let (lane, on) = (*lane, props.on_branch.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(without) = without {
                on.emit(Some(BranchSpec { lane, without }));
            }
        })
    };
    let unbranch = props.on_branch.reform(|_: MouseEvent| None);
    html! {
        <section class="panel what-if" data-testid="what-if" aria-labelledby="what-if-title">
            <h3 class="panel__title" id="what-if-title">{ t.what_if }</h3>
            <p class="panel__hint">{ t.what_if_help }</p>
            if props.faults.is_empty() {
                <p class="what-if__none">{ t.no_fault_ahead }</p>
            } else {
                <label class="what-if__field">
                    <span>{ t.branch_lane }</span>
                    <span class="select-wrap">
                        <select class="select" data-testid="branch-lane" onchange={on_lane}>
                            for (i, name) in props.lanes.iter().enumerate() {
                                <option value={i.to_string()} selected={i == usize::from(*lane)}>{ name }</option>
                            }
                        </select>
                    </span>
                </label>
                <label class="what-if__field">
                    <span>{ t.branch_without }</span>
                    <span class="select-wrap">
                        <select class="select" data-testid="branch-fault" onchange={on_fault}>
                            for (i, words) in props.faults.iter() {
                                <option value={i.to_string()} selected={Some(*i) == without}>{ words }</option>
                            }
                        </select>
                    </span>
                </label>
                <button type="button" class="button button--primary" data-testid="branch" onclick={branch}>{ t.branch_here }</button>
            }
            if props.current.is_some() {
                <button type="button" class="button button--quiet button--small" data-testid="unbranch" onclick={unbranch}>{ t.unbranch }</button>
            }
        </section>
    }
}
