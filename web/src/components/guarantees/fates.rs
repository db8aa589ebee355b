//! The fate grid: one cell per message a lane's broker took, its fate told
//! by a glyph and a border as well as by colour; and the key to them.

use ackscope_engine::msg::MsgRef;
use ackscope_engine::view::{Fate, MessageFate};
use yew::prelude::*;

use crate::i18n::{GuaranteesText, use_catalogue};
use crate::shared::Shared;
use crate::words::fill;

/// A fate's glyph: ✓ once, `n×` for n times, ∅ lost, ⊘ dead-lettered, …
/// not yet.
pub fn fate_glyph(fate: Fate) -> String {
    match fate {
        Fate::Once => "✓".into(),
        Fate::Times(n) => format!("{n}×"),
        Fate::Lost => "∅".into(),
        Fate::DeadLettered => "⊘".into(),
        Fate::InFlight => "…".into(),
    }
}

/// A fate in words (the number of times is the engine's).
pub fn fate_words(fate: Fate, t: &GuaranteesText) -> String {
    match fate {
        Fate::Once => t.fate_once.into(),
        Fate::Times(n) => fill(t.fate_times, &[("n", n.to_string())]).plain(),
        Fate::Lost => t.fate_lost.into(),
        Fate::DeadLettered => t.fate_dead.into(),
        Fate::InFlight => t.fate_in_flight.into(),
    }
}

/// Props of [`FateGrid`].
#[derive(Properties, PartialEq)]
pub struct FateGridProps {
    /// The lane's name.
    pub lane: AttrValue,
    /// Every message's fate in the lane now.
    pub fates: Shared<Vec<MessageFate>>,
    /// The message whose story is shown, if any.
    pub focus: Option<MsgRef>,
    /// A cell pointed at or focused.
    pub on_focus: Callback<MsgRef>,
}

/// The cells, in the order the messages were produced.
#[component]
pub fn FateGrid(props: &FateGridProps) -> Html {
    let t = &use_catalogue().guarantees_stage;
    html! {
        <ol class="fates" data-testid="fates" data-lane={props.lane.clone()} aria-label={fill(t.grid, &[("lane", props.lane.to_string())]).plain()}>
            for m in props.fates.iter() {
                { cell(m, props.focus == Some(m.msg), &props.on_focus, t) }
            }
        </ol>
    }
}

fn cell(m: &MessageFate, focused: bool, on_focus: &Callback<MsgRef>, t: &GuaranteesText) -> Html {
    let msg = m.msg;
    let label = fill(
        t.cell,
        &[("msg", m.name.clone()), ("fate", fate_words(m.fate, t))],
    )
    .plain();
    html! {
        <li key={m.name.clone()} class="fates__item">
            <button
                type="button"
                class={classes!("fate", focused.then_some("fate--focus"))}
                data-testid="fate"
                data-msg={m.name.clone()}
                data-fate={m.fate.slug()}
                data-times={m.fate.processed().to_string()}
                aria-label={label.clone()}
                aria-pressed={focused.to_string()}
                title={label}
                onmouseenter={on_focus.reform(move |_: MouseEvent| msg)}
                onfocus={on_focus.reform(move |_: FocusEvent| msg)}
                onclick={on_focus.reform(move |_: MouseEvent| msg)}
            >
                <span aria-hidden="true">{ fate_glyph(m.fate) }</span>
            </button>
        </li>
    }
}

/// What each kind of cell means.
#[component]
pub fn FateKey() -> Html {
    let t = &use_catalogue().guarantees_stage;
    let kinds = [
        Fate::Once,
        Fate::Times(2),
        Fate::Lost,
        Fate::DeadLettered,
        Fate::InFlight,
    ];
    html! {
        <ul class="fate-key" aria-label={t.key}>
            for f in kinds {
                <li class="fate-key__item">
                    <span class="fate fate--key" data-fate={f.slug()} aria-hidden="true">
                        { match f {
                            Fate::Times(_) => "n×".to_owned(),
                            f => fate_glyph(f),
                        } }
                    </span>
                    { match f {
                        Fate::Times(_) => fill(t.fate_times, &[("n", "n".into())]).plain(),
                        f => fate_words(f, t),
                    } }
                </li>
            }
        </ul>
    }
}
