//! The page header: the site's name, its tagline, and room for page-wide
//! controls such as the language switch.

use yew::prelude::*;

use crate::i18n::use_catalogue;

/// Props of [`Masthead`].
#[derive(Properties, PartialEq)]
pub struct MastheadProps {
    /// Page-wide controls, shown at the header's end.
    #[prop_or_default]
    pub children: Html,
}

/// The site's header.
#[component]
pub fn Masthead(props: &MastheadProps) -> Html {
    let text = use_catalogue();
    html! {
        <header class="masthead">
            <div class="masthead__brand">
                // The name is a brand and is never translated; "ack" stands
                // out because acknowledgements are what the site is about.
                <h1 class="masthead__name" lang="en">
                    <span class="masthead__ack">{ "ack" }</span>{ "scope" }
                </h1>
                <p class="masthead__tagline">{ text.tagline }</p>
            </div>
            <div class="masthead__tools">{ props.children.clone() }</div>
        </header>
    }
}
