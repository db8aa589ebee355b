//! Which run the lab plays: a built-in scenario and a seed.

use ackscope_engine::scenario::builtin;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{Lang, use_catalogue};
use crate::link::parse_u64;
use crate::words::fill;

/// Props of [`RunPicker`].
#[derive(Properties, PartialEq)]
pub struct RunPickerProps {
    /// The scenarios offered, in menu order.
    pub scenarios: &'static [&'static str],
    /// The scenario's name.
    pub scenario: AttrValue,
    /// The seed.
    pub seed: u64,
    /// How many commands and faults the user added to the run.
    pub changes: usize,
    /// Called with the scenario to run.
    pub on_load: Callback<String>,
    /// Called with a new seed.
    pub on_seed: Callback<u64>,
    /// Called to remove the user's commands and faults.
    pub on_clear: Callback<()>,
}

/// The scenario menu, the seed field, and the user's changes to the run.
/// The same scenario and seed always give the same run, for everyone.
#[component]
pub fn RunPicker(props: &RunPickerProps) -> Html {
    let text = use_catalogue();
    let lang = use_context::<Lang>().unwrap_or_default();
    let seed_ok = use_state(|| true);
    // Titles come from the scenarios themselves; read them once per language.
    let titles = use_memo((lang, props.scenarios), |(lang, scenarios)| {
        scenarios
            .iter()
            .map(|name| (*name, title(name, *lang)))
            .collect::<Vec<_>>()
    });
    let on_scenario = props
        .on_load
        .reform(|event: Event| event.target_unchecked_into::<HtmlSelectElement>().value());
    let field = use_node_ref();
    {
        // The field is not bound to the seed while the reader types in it:
        // it shows the run's seed whenever the run changes.
        let field = field.clone();
        use_effect_with(props.seed, move |seed| {
            if let Some(input) = field.cast::<HtmlInputElement>() {
                input.set_value(&seed.to_string());
            }
        });
    }
    let on_seed = {
        let (on_seed, seed_ok) = (props.on_seed.clone(), seed_ok.clone());
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            match parse_u64(value.trim()) {
                Some(seed) => {
                    seed_ok.set(true);
                    on_seed.emit(seed);
                }
                None => seed_ok.set(value.trim().is_empty()),
            }
        })
    };
    html! {
        <div class="picker" data-testid="run-picker">
            <div class="picker__field">
                <label class="picker__label" for="scenario">{ text.run.scenario }</label>
                <span class="select-wrap">
                    <select class="select picker__scenario" id="scenario" onchange={on_scenario} data-testid="scenario">
                        for (name, title) in titles.iter() {
                            <option value={*name} selected={props.scenario == *name}>{ title }</option>
                        }
                        // A run that is not one of the menu's (the frame
                        // benchmark's) is named, not mistaken for the first.
                        if !titles.iter().any(|(name, _)| props.scenario == *name) {
                            <option value={props.scenario.clone()} selected=true disabled=true>{ props.scenario.clone() }</option>
                        }
                    </select>
                </span>
            </div>
            <div class="picker__field">
                <label class="picker__label" for="seed">{ text.run.seed }</label>
                <input
                    id="seed"
                    ref={field}
                    class={classes!("input", "picker__seed", (!*seed_ok).then_some("is-invalid"))}
                    type="text"
                    inputmode="numeric"
                    aria-invalid={(!*seed_ok).to_string()}
                    aria-describedby={(!*seed_ok).then_some("seed-error")}
                    data-testid="seed-input"
                    onchange={on_seed}
                />
            </div>
            if !*seed_ok {
                <p class="picker__error" id="seed-error" role="alert">{ text.run.seed_invalid }</p>
            }
            if props.changes > 0 {
                <p class="picker__changes" data-testid="changes">
                    { fill(text.run.changes, &[("n", props.changes.to_string())]).plain() }
                    <button type="button" class="button button--quiet button--small" onclick={props.on_clear.reform(|_| ())}>
                        { text.run.clear_changes }
                    </button>
                </p>
            }
        </div>
    }
}

/// A scenario's title in `lang`, from the scenario itself.
fn title(name: &str, lang: Lang) -> String {
    builtin::title(name).map_or_else(
        || name.to_owned(),
        |title| match lang {
            Lang::En => title.en,
            Lang::Ko => title.ko,
        },
    )
}
