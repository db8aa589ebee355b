//! The language switch: one button per language, named in that language.

use yew::prelude::*;

use crate::i18n::{Lang, use_catalogue};

/// Props of [`LangSwitch`].
#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    /// The language the page is in.
    pub active: Lang,
    /// Called with the language the user picked.
    pub on_select: Callback<Lang>,
}

/// Buttons that switch the page's language.
#[component]
pub fn LangSwitch(props: &LangSwitchProps) -> Html {
    let text = use_catalogue();
    html! {
        <div class="segmented" role="group" aria-label={text.language} data-testid="lang">
            for lang in Lang::ALL {
                <button
                    type="button"
                    class="segmented__option"
                    // Each name is in its own language, and says so, so that
                    // a screen reader pronounces "한국어" as Korean.
                    lang={lang.tag()}
                    aria-pressed={(props.active == lang).to_string()}
                    onclick={props.on_select.reform(move |_: MouseEvent| lang)}
                >
                    { lang.endonym() }
                </button>
            }
        </div>
    }
}
