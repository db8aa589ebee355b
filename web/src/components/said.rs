//! A sentence from the catalogue with the engine's names and numbers in it.

use yew::prelude::*;

use super::Prose;
use crate::words::{Piece, Sentence};

/// Props of [`Said`].
#[derive(Properties, PartialEq)]
pub struct SaidProps {
    /// The sentence.
    pub sentence: Sentence,
}

/// Shows a [`Sentence`]: the catalogue's words as prose (with literal
/// terms in code type), the engine's values set apart in monospace so an
/// ID reads exactly as redis-cli prints it.
#[component]
pub fn Said(props: &SaidProps) -> Html {
    props
        .sentence
        .0
        .iter()
        .map(|piece| match piece {
            Piece::Words(words) => html! { <Prose text={*words} /> },
            Piece::Value(value) => html! { <span class="value">{ value }</span> },
        })
        .collect()
}
