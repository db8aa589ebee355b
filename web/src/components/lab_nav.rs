//! The navigation between the labs.

use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::lab::Lab;

/// Props of [`LabNav`].
#[derive(Properties, PartialEq)]
pub struct LabNavProps {
    /// The open lab.
    pub active: Lab,
    /// Called with the lab the user picked.
    pub on_select: Callback<Lab>,
}

/// One button per lab; the open one is marked `aria-current="page"` and
/// drawn with a bar under it, not by colour alone.
#[component]
pub fn LabNav(props: &LabNavProps) -> Html {
    let text = use_catalogue();
    html! {
        <nav class="labs" aria-label={text.labs} data-testid="labs">
            <ul class="labs__list">
                for lab in Lab::ALL {
                    <li>
                        <button
                            type="button"
                            class="labs__tab"
                            data-lab={lab.slug()}
                            aria-current={(props.active == lab).then_some("page")}
                            onclick={props.on_select.reform(move |_: MouseEvent| lab)}
                        >
                            { text.lab(lab).name }
                        </button>
                    </li>
                }
            </ul>
        </nav>
    }
}
