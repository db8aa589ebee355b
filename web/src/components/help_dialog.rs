//! The help dialog: every keyboard shortcut of the page, opened with `?`
//! or the help button.
//!
//! A native modal `<dialog>`: the browser keeps focus inside it, makes the
//! rest of the page inert and closes it on Escape. The dialog moves focus
//! to its Close button when it opens and gives it back to what had it
//! (the help button, or the page) when it closes.

use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

use crate::i18n::{Shortcut, use_catalogue};

/// Props of [`HelpDialog`].
#[derive(Properties, PartialEq)]
pub struct HelpDialogProps {
    /// Whether the dialog is open.
    pub open: bool,
    /// Called when the reader closes it (Escape, the Close button).
    pub on_close: Callback<()>,
}

/// The shortcuts, in one modal dialog.
#[component]
pub fn HelpDialog(props: &HelpDialogProps) -> Html {
    let text = &use_catalogue().classroom;
    let dialog = use_node_ref();
    let close_button = use_node_ref();
    let opener = use_mut_ref(|| None::<HtmlElement>);
    use_effect_with(props.open, {
        let (dialog, close_button) = (dialog.clone(), close_button.clone());
        move |open| {
            let Some(dialog) = dialog.cast::<HtmlDialogElement>() else {
                return;
            };
            if *open && !dialog.open() {
                *opener.borrow_mut() = focused();
                // Fails only if the dialog is already open or detached.
                let _ = dialog.show_modal();
                if let Some(button) = close_button.cast::<HtmlElement>() {
                    let _ = button.focus();
                }
            } else if !*open {
                if dialog.open() {
                    dialog.close();
                }
                if let Some(opener) = opener.borrow_mut().take() {
                    let _ = opener.focus();
                }
            }
        }
    });
    let close = props.on_close.reform(|_: MouseEvent| ());
    // Escape closes a modal dialog by itself; the page hears of it here.
    let onclose = props.on_close.reform(|_: Event| ());
    let section = |title: &'static str, shortcuts: &'static [Shortcut]| {
        html! {
            <section class="help__section">
                <h3 class="help__heading">{ title }</h3>
                <table class="help__keys">
                    <thead class="visually-hidden">
                        <tr><th scope="col">{ text.key }</th><th scope="col">{ text.action }</th></tr>
                    </thead>
                    <tbody>
                        for shortcut in shortcuts {
                            <tr data-testid="shortcut">
                                <th scope="row" class="help__combo">
                                    for key in shortcut.keys {
                                        <kbd class="help__key">{ *key }</kbd>
                                    }
                                </th>
                                <td class="help__does">{ shortcut.does }</td>
                            </tr>
                        }
                    </tbody>
                </table>
            </section>
        }
    };
    html! {
        <dialog
            ref={dialog}
            class="help"
            aria-modal="true"
            aria-labelledby="help-title"
            aria-describedby="help-intro"
            data-testid="help"
            {onclose}
        >
            <header class="help__head">
                <h2 id="help-title" class="help__title">{ text.help_title }</h2>
                <button ref={close_button} type="button" class="button button--quiet" onclick={close}>
                    { text.close }
                </button>
            </header>
            <p id="help-intro" class="help__intro">{ text.help_intro }</p>
            <div class="help__sections">
                { section(text.anywhere, text.global) }
                { section(text.in_console, text.console) }
                { section(text.on_stage, text.stage) }
            </div>
        </dialog>
    }
}

/// The element that has the focus now, if it can take it back later.
fn focused() -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<HtmlElement>()
        .ok()
}
