//! The Kafka lab's settings panel: one select per Kafka config the reader
//! may change (`acks`, `min.insync.replicas`,
//! `unclean.leader.election.enable`, `retries`, `enable.idempotence`,
//! `enable.auto.commit`), each showing the value the run uses, read from
//! the engine's scenario. Choosing another value runs the scenario again
//! with the same seed; Kafka's refusal is a notice.

use std::rc::Rc;

use ackscope_engine::scenario::{KafkaSetting, RETRIES_DEFAULT, SettingKind};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::NoticeBar;
use crate::i18n::kafka::KafkaWords;
use crate::i18n::use_catalogue;
use crate::run::Run;
use crate::state::Notice;

/// One setting as the panel shows it, read from the engine's scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingRow {
    /// Which config.
    pub kind: SettingKind,
    /// Its value in the run (`None`: producers, topics or groups differ).
    pub current: Option<KafkaSetting>,
    /// Whether it differs from the scenario's own.
    pub changed: bool,
    /// The values offered.
    pub choices: Vec<KafkaSetting>,
}

/// The panel's rows for `run`: computed when the run's scenario or
/// settings change, not every frame.
pub fn setting_rows(run: &Run) -> Vec<SettingRow> {
    let scenario = run.scenario();
    let own = ackscope_engine::scenario::builtin::by_name(run.name());
    SettingKind::ALL
        .into_iter()
        .map(|kind| {
            let current = scenario.kafka_setting(kind);
            SettingRow {
                kind,
                current,
                changed: own
                    .as_ref()
                    .is_some_and(|own| own.kafka_setting(kind) != current),
                choices: kind.choices(scenario),
            }
        })
        .collect()
}

/// Props of [`KafkaSettings`].
#[derive(Properties, PartialEq)]
pub struct KafkaSettingsProps {
    /// The rows, from [`setting_rows`].
    pub rows: Rc<Vec<SettingRow>>,
    /// Whether the run's settings differ from the scenario's own.
    pub changed: bool,
    /// Kafka's refusal of the last change, if it refused it.
    pub refused: Option<Notice>,
    /// Called with the setting chosen.
    pub on_set: Callback<KafkaSetting>,
    /// Called to go back to the scenario's own settings.
    pub on_own: Callback<()>,
    /// Called to hide the refusal.
    pub on_dismiss: Callback<()>,
}

/// One row per setting: the config's name in code type, a select of its
/// values; a changed value is marked, and a button brings back the
/// scenario's own.
#[component]
pub fn KafkaSettings(props: &KafkaSettingsProps) -> Html {
    let text = use_catalogue();
    let k = text.words.kafka;
    html! {
        <section class="panel settings" aria-labelledby="settings-title" data-testid="kafka-settings">
            <h3 class="panel__title" id="settings-title">{ k.settings }</h3>
            <ul class="settings__list">
                for r in props.rows.iter() {
                    { row(r, &props.on_set, k) }
                }
            </ul>
            if let Some(notice) = props.refused.clone() {
                <NoticeBar notice={notice} on_dismiss={props.on_dismiss.clone()} />
            }
            <p class="panel__hint settings__hint">{ k.settings_hint }</p>
            if props.changed {
                <button type="button" class="button button--small settings__own" data-testid="settings-own"
                    onclick={props.on_own.reform(|_| ())}>
                    { k.settings_own }
                </button>
            }
        </section>
    }
}

fn row(r: &SettingRow, on_set: &Callback<KafkaSetting>, k: &KafkaWords) -> Html {
    let name = r.kind.config_name();
    let id = format!("setting-{}", name.replace('.', "-"));
    let value = r.current.map(KafkaSetting::value_text).unwrap_or_default();
    let on_change = {
        let on_set = on_set.clone();
        let choices = r.choices.clone();
        let shown = value.clone();
        Callback::from(move |event: Event| {
            let select = event.target_unchecked_into::<HtmlSelectElement>();
            let chosen = select.value();
            // The select shows what the run uses: a refused value must not
            // stay on screen. An accepted one is drawn afresh (its key).
            select.set_value(&shown);
            if let Some(s) = choices.iter().find(|c| c.value_text() == chosen) {
                on_set.emit(*s);
            }
        })
    };
    html! {
        <li class="settings__row" data-setting={name} data-value={value.clone()}
            data-changed={r.changed.to_string()}>
            <label class="settings__name" for={id.clone()}>
                <code>
                    // Long config names break after a dot, never inside a word.
                    for (i, part) in name.split('.').enumerate() {
                        if i > 0 { { "." }<wbr /> }
                        { part }
                    }
                </code>
                if r.changed {
                    <span class="settings__changed">{ k.settings_changed }</span>
                }
            </label>
            <span class="select-wrap settings__select-wrap">
                <select key={value.clone()} class="select settings__select" id={id} onchange={on_change}>
                    if r.current.is_none() {
                        <option value="" selected=true disabled=true>{ k.settings_mixed }</option>
                    }
                    for c in r.choices.iter().copied() {
                        <option value={c.value_text()} selected={Some(c) == r.current}>
                            { label(c, k) }
                        </option>
                    }
                </select>
            </span>
        </li>
    }
}

/// A value as Kafka writes it, `(default)` after `retries`' default.
fn label(setting: KafkaSetting, k: &KafkaWords) -> String {
    match setting {
        KafkaSetting::Retries(RETRIES_DEFAULT) => {
            format!("{} ({})", setting.value_text(), k.settings_default)
        }
        _ => setting.value_text(),
    }
}
