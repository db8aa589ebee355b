//! The app: the shell's state, and the components laid out around it.

use yew::prelude::*;

use crate::components::{ClockBar, LabNav, LabPanel, LangSwitch, Masthead};
use crate::i18n::Lang;
use crate::state::{Action, State};

/// The whole page. It owns the one [`State`] and provides the language to
/// every component below it as a [`Lang`] context.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(Lang::from_browser()));
    use_document_language(state.lang);

    let dispatch = state.dispatcher();
    let on_action = Callback::from(move |action| dispatch.dispatch(action));
    html! {
        <ContextProvider<Lang> context={state.lang}>
            <div class="shell">
                <Masthead>
                    <LangSwitch active={state.lang} on_select={on_action.reform(Action::SetLang)} />
                </Masthead>
                <LabNav active={state.lab} on_select={on_action.reform(Action::OpenLab)} />
                <LabPanel lab={state.lab}>
                    <ClockBar
                        clock={state.clock.clone()}
                        can_run={state.can_run()}
                        on_action={on_action.clone()}
                    />
                </LabPanel>
            </div>
        </ContextProvider<Lang>>
    }
}

/// Keeps the document's `lang` attribute and title in the page's language,
/// so that screen readers pick the right voice and the browser the right
/// fonts and line breaking.
#[hook]
fn use_document_language(lang: Lang) {
    use_effect_with(lang, |lang| {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        if let Some(root) = document.document_element() {
            // Failing to set an attribute on <html> is not something a
            // reader could act on; the page stays usable either way.
            let _ = root.set_attribute("lang", lang.tag());
        }
        document.set_title(lang.catalogue().page_title);
    });
}
