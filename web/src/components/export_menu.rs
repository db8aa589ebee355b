//! The Export menu in every lab's head: the run's trace and ledger, and
//! the stage as SVG and PNG, each saved as a file named after the run and
//! the moment (see `crate::export`).

use wasm_bindgen::JsValue;
use web_sys::Element;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::Prose;
use crate::download::{save_blob, save_text};
use crate::export::Export;
use crate::i18n::{ExportText, use_catalogue};
use crate::run::Run;
use crate::shared::Latest;
use crate::snapshot::{picture, png};
use crate::words::fill;

/// What became of the last file asked for.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    file: String,
    saved: bool,
}

/// A disclosure button ("Export") opening one button per file, each with
/// a line saying what the file holds, and a status line. It reads the run
/// at the cursor from the page's [`Latest`] run when a button is pressed,
/// so playing does not render it again every frame.
#[component]
pub fn ExportMenu() -> Html {
    let text = &use_catalogue().export;
    let outcome = use_state(|| None::<Outcome>);
    let latest = use_context::<Latest<Option<Run>>>();
    let on_export = {
        let outcome = outcome.clone();
        Callback::from(move |kind: Export| {
            if let Some(run) = latest.as_ref().and_then(Latest::get) {
                export(kind, &run, outcome.clone());
            }
        })
    };
    html! {
        <details class="export" data-testid="export">
            <summary class="button button--quiet button--small export__toggle" title={text.menu_help}>
                { text.menu }
            </summary>
            <div class="export__menu" role="group" aria-label={text.menu}>
                <ul class="export__list">
                    for kind in Export::ALL {
                        <li class="export__item">
                            <button
                                type="button"
                                class="button button--small export__button"
                                data-testid={format!("export-{}", kind.extension())}
                                data-export={kind.extension()}
                                aria-describedby={format!("export-{}-help", kind.extension())}
                                onclick={on_export.reform(move |_: MouseEvent| kind)}
                            >
                                { label(kind, text).0 }
                            </button>
                            <span class="export__help" id={format!("export-{}-help", kind.extension())}>
                                <Prose text={label(kind, text).1} />
                            </span>
                        </li>
                    }
                </ul>
                <p class="export__status" role="status" data-testid="export-status"
                    data-file={outcome.as_ref().map(|o| o.file.clone())}
                    data-saved={outcome.as_ref().map(|o| o.saved.to_string())}>
                    if let Some(o) = &*outcome {
                        { fill(if o.saved { text.saved } else { text.failed }, &[("file", o.file.clone())]).plain() }
                    }
                </p>
            </div>
        </details>
    }
}

/// The button's words and the line under it.
fn label(kind: Export, t: &'static ExportText) -> (&'static str, &'static str) {
    match kind {
        Export::Trace => (t.trace, t.trace_help),
        Export::Ledger => (t.ledger, t.ledger_help),
        Export::Svg => (t.svg, t.svg_help),
        Export::Png => (t.png, t.png_help),
    }
}

/// Makes and saves the file `kind` of `run` at its cursor, then says so
/// in `outcome`. The PNG is drawn asynchronously (the SVG must load as an
/// image first); the others are saved at once.
fn export(kind: Export, run: &Run, outcome: UseStateHandle<Option<Outcome>>) {
    let file = kind.file_name(run);
    let result = match (kind.text(run), kind) {
        (Some(text), _) => save_text(&file, kind.mime(), &text),
        (None, Export::Png) => {
            match stage().and_then(|stage| picture(&stage)) {
                Ok(picture) => spawn_local(async move {
                    let saved = match png(&picture).await {
                        Ok(blob) => save_blob(&file, &blob).is_ok(),
                        Err(_) => false,
                    };
                    outcome.set(Some(Outcome { file, saved }));
                }),
                Err(_) => outcome.set(Some(Outcome { file, saved: false })),
            }
            return;
        }
        (None, _) => stage()
            .and_then(|stage| picture(&stage))
            .and_then(|p| save_text(&file, kind.mime(), &p.svg)),
    };
    let saved = result.is_ok();
    outcome.set(Some(Outcome { file, saved }));
}

/// The open lab's stage element.
fn stage() -> Result<Element, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?
        .query_selector("main.lab [data-testid=stage]")?
        .ok_or_else(|| "no stage".into())
}
