//! "Branch here": from the cursor, replay one lane with one change beside
//! the run — a fault still to come left out, a crash added now, or another
//! guarantee — so both futures show at once.

use ackscope_engine::scenario::{FaultKind, FaultSpec, Guarantee};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::run::{BranchChange, BranchSpec};
use crate::words::fill;

/// Props of [`WhatIf`].
#[derive(Properties, PartialEq)]
pub struct WhatIfProps {
    /// The lanes' names, in order.
    pub lanes: Vec<String>,
    /// The scenario's faults still to come: (index, in words).
    pub faults: Vec<(u16, String)>,
    /// The workers a crash can hit now.
    pub workers: Vec<String>,
    /// Whether the run is on Kafka (no dedup-without-transaction lane).
    pub kafka: bool,
    /// The branch shown now, if any.
    pub current: Option<BranchSpec>,
    /// Branch, or remove the branch.
    pub on_branch: Callback<Option<BranchSpec>>,
}

fn chosen(event: &Event) -> String {
    event.target_unchecked_into::<HtmlSelectElement>().value()
}

/// A `<select>` option's value for a change, and back: `w<n>` (without
/// fault n), `c<worker>` (crash now), `g<guarantee>`.
fn change_of(value: &str) -> Option<BranchChange> {
    let (tag, rest) = value.split_at_checked(1)?;
    match tag {
        "w" => rest.parse().ok().map(BranchChange::Without),
        // The reducer stamps the cursor's time on it.
        "c" => Some(BranchChange::With(FaultSpec {
            at_ms: 0,
            kind: FaultKind::Crash,
            role: Some(rest.into()),
            until_ms: None,
            factor: None,
            command: None,
        })),
        "g" => Guarantee::parse(rest).map(BranchChange::Guarantee),
        _ => None,
    }
}

/// A lane, a change, and the button.
#[component]
pub fn WhatIf(props: &WhatIfProps) -> Html {
    let t = &use_catalogue().guarantees_stage;
    let lane = use_state(|| 0u16);
    let change = use_state(|| None::<String>);
    let guarantees: Vec<Guarantee> = Guarantee::ALL
        .into_iter()
        .filter(|g| !(props.kafka && *g == Guarantee::DedupWithoutTransaction))
        .collect();
    let mut values: Vec<String> = props.faults.iter().map(|(i, _)| format!("w{i}")).collect();
    values.extend(props.workers.iter().map(|w| format!("c{w}")));
    values.extend(guarantees.iter().map(|g| format!("g{}", g.as_str())));
    // The change chosen, if it is still on offer; else the first.
    let value = (*change)
        .clone()
        .filter(|v| values.contains(v))
        .or_else(|| values.first().cloned());
    let on_lane = {
        let lane = lane.clone();
        Callback::from(move |e: Event| lane.set(chosen(&e).parse().unwrap_or_default()))
    };
    let on_change = {
        let change = change.clone();
        Callback::from(move |e: Event| change.set(Some(chosen(&e))))
    };
    let branch = {
        let (lane, on) = (*lane, props.on_branch.clone());
        let change = value.as_deref().and_then(change_of);
        Callback::from(move |_: MouseEvent| {
            if let Some(change) = change.clone() {
                on.emit(Some(BranchSpec { lane, change }));
            }
        })
    };
    let unbranch = props.on_branch.reform(|_: MouseEvent| None);
    let option = |v: String, words: String| {
        let selected = Some(&v) == value.as_ref();
        html! { <option value={v} selected={selected}>{ words }</option> }
    };
    html! {
        <section class="panel what-if" data-testid="what-if" aria-labelledby="what-if-title">
            <h3 class="panel__title" id="what-if-title">{ t.what_if }</h3>
            <p class="panel__hint">{ t.what_if_help }</p>
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
                <span>{ t.branch_change }</span>
                <span class="select-wrap">
                    <select class="select" data-testid="branch-change" onchange={on_change}>
                        if !props.faults.is_empty() {
                            <optgroup label={t.group_without}>
                                for (i, words) in props.faults.iter() {
                                    { option(format!("w{i}"), fill(t.change_without, &[("fault", words.clone())]).plain()) }
                                }
                            </optgroup>
                        }
                        if !props.workers.is_empty() {
                            <optgroup label={t.group_with}>
                                for w in props.workers.iter() {
                                    { option(format!("c{w}"), fill(t.change_crash, &[("role", w.clone())]).plain()) }
                                }
                            </optgroup>
                        }
                        <optgroup label={t.group_as}>
                            for g in guarantees.iter() {
                                { option(format!("g{}", g.as_str()), fill(t.change_as, &[("guarantee", g.as_str().into())]).plain()) }
                            }
                        </optgroup>
                    </select>
                </span>
            </label>
            <button type="button" class="button button--primary" data-testid="branch" onclick={branch}>{ t.branch_here }</button>
            if props.current.is_some() {
                <button type="button" class="button button--quiet button--small" data-testid="unbranch" onclick={unbranch}>{ t.unbranch }</button>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_values_name_their_change() {
        assert_eq!(change_of("w3"), Some(BranchChange::Without(3)));
        assert_eq!(
            change_of("gexactly-once"),
            Some(BranchChange::Guarantee(Guarantee::ExactlyOnce))
        );
        assert!(matches!(
            change_of("cw1"),
            Some(BranchChange::With(FaultSpec { kind: FaultKind::Crash, role: Some(r), .. })) if r == "w1"
        ));
        assert_eq!(change_of("gtwice"), None);
        assert_eq!(change_of(""), None);
    }
}
