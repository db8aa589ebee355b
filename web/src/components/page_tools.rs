//! The page-wide controls beside the language switch: help, projection
//! mode and the theme switch.

use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::theme::Theme;

/// Props of [`PageTools`].
#[derive(Properties, PartialEq)]
pub struct PageToolsProps {
    /// Whether projection mode is on.
    pub projection: bool,
    /// The theme chosen.
    pub theme: Theme,
    /// Opens the help dialog.
    pub on_help: Callback<()>,
    /// Turns projection mode on or off.
    pub on_projection: Callback<()>,
    /// Called with the theme the reader picked.
    pub on_theme: Callback<Theme>,
}

/// The help button, the projection-mode button and the theme switch.
#[component]
pub fn PageTools(props: &PageToolsProps) -> Html {
    let text = &use_catalogue().classroom;
    let name = |theme: Theme| match theme {
        Theme::System => text.theme_system,
        Theme::Light => text.theme_light,
        Theme::Dark => text.theme_dark,
    };
    html! {
        <div class="tools">
            <div class="segmented" role="group" aria-label={text.theme} data-testid="theme">
                for theme in Theme::ALL {
                    <button
                        type="button"
                        class="segmented__option"
                        data-theme-option={theme.attr()}
                        aria-pressed={(props.theme == theme).to_string()}
                        onclick={props.on_theme.reform(move |_: MouseEvent| theme)}
                    >
                        { name(theme) }
                    </button>
                }
            </div>
            <button
                type="button"
                class="button button--quiet tools__button"
                data-testid="projection"
                aria-pressed={props.projection.to_string()}
                title={text.projection_help}
                onclick={props.on_projection.reform(|_: MouseEvent| ())}
            >
                { text.projection }<kbd class="tools__key" aria-hidden="true">{ "F" }</kbd>
            </button>
            <button
                type="button"
                class="button button--quiet tools__button"
                data-testid="help-button"
                aria-haspopup="dialog"
                onclick={props.on_help.reform(|_: MouseEvent| ())}
            >
                { text.help }<kbd class="tools__key" aria-hidden="true">{ "?" }</kbd>
            </button>
        </div>
    }
}
