//! Catalogue sentences with literal terms marked up.

use yew::prelude::*;

/// Props of [`Prose`].
#[derive(Properties, PartialEq)]
pub struct ProseProps {
    /// A catalogue string; text between backticks is a literal term.
    pub text: &'static str,
}

/// Shows a catalogue sentence, setting each `` `term` `` — a command, a
/// field, a setting — in code type that never breaks across lines, so that
/// `last-delivered-id` reads as one thing and as what `redis-cli` prints.
#[component]
pub fn Prose(props: &ProseProps) -> Html {
    // Backticks alternate: even pieces are prose, odd pieces are terms.
    props
        .text
        .split('`')
        .enumerate()
        .map(|(i, piece)| match i % 2 {
            0 => html! { { piece } },
            _ => html! { <code class="term">{ piece }</code> },
        })
        .collect()
}
