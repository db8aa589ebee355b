//! A built lab's head: its title, the run picker for the scenarios it
//! offers, the Export menu, and the notice for the reader, if any.

use yew::prelude::*;

use super::{ExportMenu, NoticeBar, RunPicker};
use crate::handlers::Handlers;
use crate::i18n::use_catalogue;
use crate::lab::Lab;
use crate::run::RunTitle;
use crate::shared::Shared;
use crate::state::Notice;

/// Props of [`LabHead`].
#[derive(Properties, PartialEq)]
pub struct LabHeadProps {
    /// The lab.
    pub lab: Lab,
    /// Its run's scenario and seed.
    pub title: RunTitle,
    /// A message for the reader.
    pub notice: Option<Notice>,
    /// What the controls call.
    pub handlers: Shared<Handlers>,
    /// Anything the lab puts under its picker (the Guarantees lab's key).
    #[prop_or_default]
    pub children: Html,
}

/// Title and picker, then the notice under them.
#[component]
pub fn LabHead(props: &LabHeadProps) -> Html {
    let text = use_catalogue();
    let (title, on) = (&props.title, &props.handlers);
    html! {
        <>
            <div class="lab__head">
                <h2 class="lab__title" id="lab-title">{ text.lab(props.lab).name }</h2>
                <RunPicker
                    scenarios={props.lab.scenarios()}
                    scenario={title.name.clone()}
                    seed={title.seed}
                    changes={title.injections}
                    on_load={on.load.clone()}
                    on_seed={on.seed.clone()}
                    on_clear={on.clear.clone()}
                />
                <ExportMenu />
                { props.children.clone() }
            </div>
            if let Some(notice) = &props.notice {
                <NoticeBar notice={notice.clone()} on_dismiss={on.dismiss.clone()} />
            }
        </>
    }
}
