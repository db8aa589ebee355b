//! The open lab: its heading and the stage it draws on.

use yew::prelude::*;

use super::Prose;
use crate::i18n::use_catalogue;
use crate::lab::Lab;

/// Props of [`LabPanel`].
#[derive(Properties, PartialEq)]
pub struct LabPanelProps {
    /// The lab to show.
    pub lab: Lab,
    /// What sits under the stage: the clock bar.
    #[prop_or_default]
    pub children: Html,
}

/// The lab's region of the page. No lab is built yet, so the stage says in
/// one sentence what it will show.
#[component]
pub fn LabPanel(props: &LabPanelProps) -> Html {
    let text = use_catalogue();
    let lab = text.lab(props.lab);
    html! {
        <main class="lab" aria-labelledby="lab-title">
            <h2 class="lab__title" id="lab-title">{ lab.name }</h2>
            <div class="stage" data-testid="stage" data-lab={props.lab.slug()}>
                <div class="stage__pending">
                    <p class="badge">{ text.not_built }</p>
                    <p class="stage__sentence" data-testid="lab-pending">
                        <Prose text={lab.pending} />
                    </p>
                </div>
            </div>
            { props.children.clone() }
        </main>
    }
}
