//! One entry of a stream's tape.

use ackscope_engine::view::EntryView;
use yew::prelude::*;

use super::refs::{Pick, fit, lands_on_entry, n, use_arrival};
use crate::i18n::use_catalogue;
use crate::layout::{Detail, Rect};
use crate::state::Selection;
use crate::words::fill;

/// Props of [`EntryCell`].
#[derive(Properties, PartialEq)]
pub struct EntryCellProps {
    /// The stream's key.
    pub stream: String,
    /// The entry, as the engine reports it.
    pub entry: EntryView,
    /// Where its cell is.
    pub rect: Rect,
    /// How much it shows.
    pub detail: Detail,
    /// Selection.
    pub pick: Pick,
}

/// An entry: its ID and fields in a full cell, or its message on a
/// narrow spine. It is a button: picking it shows its story.
#[component]
pub fn EntryCell(props: &EntryCellProps) -> Html {
    let text = use_catalogue();
    let e = &props.entry;
    let arrival = use_arrival(lands_on_entry(props.stream.clone(), e.id));
    let selection = Selection::Entry {
        key: props.stream.clone(),
        id: e.id,
    };
    let selected = props.pick.is(&selection);
    let (on_click, on_key) = props.pick.handlers(selection);
    let r = props.rect;
    let label = fill(
        text.stage.entry_label,
        &[
            ("id", e.id.to_text()),
            ("key", props.stream.clone()),
            ("msg", headline(e)),
        ],
    )
    .plain();
    let full = props.detail == Detail::Full;
    html! {
        <g
            class={classes!("entry", arrival, full.then_some("entry--full"), selected.then_some("is-selected"))}
            style={format!("transform: translate({:.1}px, {:.1}px)", r.x, r.y)}
            data-testid="entry"
            data-key={props.stream.clone()}
            data-id={e.id.to_text()}
            role="button"
            tabindex={if full { "0" } else { "-1" }}
            aria-label={label}
            aria-pressed={selected.to_string()}
            onclick={on_click}
            onkeydown={on_key}
        >
            <rect class="entry__box" width={n(r.w)} height={n(r.h)} rx={if full { "6" } else { "3" }} />
            if full {
                { full_text(e, r.w) }
            } else {
                <text class="entry__spine" transform={format!("translate({:.1} {:.1}) rotate(-90)", r.w / 2.0 + 4.0, r.h - 5.0)}>
                    { fit(&headline(e), r.h - 8.0, 10.0) }
                </text>
            }
        </g>
    }
}

/// The ID, the message (or first field) and the other fields.
fn full_text(e: &EntryView, w: f64) -> Html {
    let room = w - 14.0;
    let rest: Vec<String> = others(e)
        .into_iter()
        .map(|(f, v)| format!("{f} {v}"))
        .collect();
    html! {
        <>
            <text class="entry__id" x="7" y="19">{ fit(&e.id.to_text(), room, 12.5) }</text>
            <text class="entry__msg" x="7" y="39">{ fit(&headline(e), room, 14.0) }</text>
            <text class="entry__fields" x="7" y="57">{ fit(&rest.join("  "), room, 12.0) }</text>
        </>
    }
}

/// What an entry is called on the stage: its `msg` field (the message it
/// carries, as in `order-7`), else its first field and value.
fn headline(e: &EntryView) -> String {
    match (e.msg(), e.texts().first()) {
        (Some(msg), _) => msg,
        (None, Some((f, v))) => format!("{f} {v}"),
        (None, None) => e.id.to_text(),
    }
}

/// The fields the headline does not show.
fn others(e: &EntryView) -> Vec<(String, String)> {
    let skip = usize::from(e.msg().is_none());
    e.texts()
        .into_iter()
        .filter(|(f, _)| f != "msg")
        .skip(skip)
        .collect()
}
