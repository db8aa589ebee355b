//! A message above the stage: why a link could not be shown, or why a
//! command or fault could not join the run.

use yew::prelude::*;

use crate::i18n::{Catalogue, use_catalogue};
use crate::link::LinkError;
use crate::run::InjectError;
use crate::state::Notice;
use crate::words::fill;

/// Props of [`NoticeBar`].
#[derive(Properties, PartialEq)]
pub struct NoticeBarProps {
    /// What to say.
    pub notice: Notice,
    /// Called to hide it.
    pub on_dismiss: Callback<()>,
}

/// The notice, announced at once (`role="alert"`), until dismissed.
#[component]
pub fn NoticeBar(props: &NoticeBarProps) -> Html {
    let text = use_catalogue();
    html! {
        <div class="notice" role="alert" data-testid="notice">
            <p class="notice__text">{ message(&props.notice, text) }</p>
            <button type="button" class="button button--small" onclick={props.on_dismiss.reform(|_| ())}>
                { text.panels.dismiss }
            </button>
        </div>
    }
}

fn message(notice: &Notice, text: &Catalogue) -> String {
    let e = &text.link_errors;
    match notice {
        Notice::Refused(InjectError::RunEnded) => text.panels.run_ended.to_owned(),
        Notice::Refused(InjectError::TooMany) => text.panels.too_many.to_owned(),
        Notice::SettingsRefused(reason) => fill(
            text.words.kafka.settings_refused,
            &[("reason", reason.clone())],
        )
        .plain(),
        Notice::ClusterRefused(reason) => fill(
            text.compare_stage.cluster_refused,
            &[("reason", reason.clone())],
        )
        .plain(),
        Notice::WorkloadRefused(reason) => fill(
            text.guarantees_stage.workload.refused,
            &[("reason", reason.clone())],
        )
        .plain(),
        Notice::BadLink(error) => {
            let reason = match error {
                LinkError::TooLong => fill(e.too_long, &[]),
                LinkError::Malformed => fill(e.malformed, &[]),
                LinkError::UnknownKey(key) => fill(e.unknown_key, &[("key", key.clone())]),
                LinkError::Repeated(key) => fill(e.repeated, &[("key", (*key).to_owned())]),
                LinkError::BadValue(key) => fill(e.bad_value, &[("key", (*key).to_owned())]),
                LinkError::BadInjection(n) => fill(e.bad_injection, &[("n", n.to_string())]),
                LinkError::TooManyInjections => fill(e.too_many, &[]),
                LinkError::UnknownScenario => fill(e.unknown_scenario, &[]),
                LinkError::NotInRun => fill(e.not_in_run, &[]),
                LinkError::UnknownWorker(w) => fill(e.unknown_worker, &[("key", w.clone())]),
                LinkError::BadSetting(n) => fill(e.bad_setting, &[("n", n.to_string())]),
                LinkError::SettingsRefused(r) => fill(e.settings_refused, &[("reason", r.clone())]),
                LinkError::BadFault(n) => fill(e.bad_fault, &[("n", n.to_string())]),
                LinkError::UnknownLesson(id) => fill(e.unknown_lesson, &[("key", id.clone())]),
                LinkError::NoSuchStep(id, n) => {
                    fill(e.no_such_step, &[("key", id.clone()), ("n", n.to_string())])
                }
            };
            fill(e.intro, &[("reason", reason.plain())]).plain()
        }
    }
}
