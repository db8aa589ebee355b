//! What is happening: the scenario's own explanation of the current step.

use ackscope_engine::scenario::Text;
use yew::prelude::*;

use crate::i18n::{Lang, use_catalogue};
use crate::words::{fill, ms_text};

/// Props of [`Narration`].
#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// The scenario's summary, shown before its first step.
    pub summary: Text,
    /// The explanation in force and since when (ms), if one is.
    pub step: Option<(u64, Text)>,
    /// The reader changed the run (faults, console commands): the
    /// narration's sentences may no longer be true of it, and a note says
    /// so.
    #[prop_or_default]
    pub changed: bool,
}

/// The explanation beside the stage, in large type. It changes only when
/// the scenario's next step begins, and is announced politely then.
#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    let text = use_catalogue();
    let lang = use_context::<Lang>().unwrap_or_default();
    let pick = |t: &Text| match lang {
        Lang::En => t.en.clone(),
        Lang::Ko => t.ko.clone(),
    };
    let (since, said) = match &props.step {
        Some((ms, step)) => (Some(*ms), pick(step)),
        None => (None, pick(&props.summary)),
    };
    html! {
        <section class="panel narration" aria-labelledby="narration-title" data-testid="narration">
            <h3 class="panel__title" id="narration-title">{ text.panels.narration }</h3>
            if props.changed {
                <p class="settings-note" role="note" data-testid="changes-note">{ text.panels.changed_note }</p>
            }
            <p class="narration__text" aria-live="polite">{ said }</p>
            if let Some(ms) = since {
                <p class="narration__since">{ fill(text.panels.since, &[("t", ms_text(ms))]).plain() }</p>
            }
        </section>
    }
}
