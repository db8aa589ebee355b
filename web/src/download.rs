//! Saving a file the page made: a `blob:` URL on an `<a download>`,
//! clicked, then revoked. Browser plumbing only.

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// How long a file's `blob:` URL lives after its link was clicked. The
/// browser reads the blob asynchronously once the download starts;
/// revoking at once can cut it off (FileSaver.js waits 40 s too).
const REVOKE_AFTER_MS: u32 = 40_000;

/// Saves `text` as the file `name` of media type `mime`.
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    save_blob(name, &blob)
}

/// Saves `blob` as the file `name`.
pub fn save_blob(name: &str, blob: &Blob) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    let url = Url::create_object_url_with_blob(blob)?;
    let link: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    body.append_child(&link)?;
    link.click();
    link.remove();
    Timeout::new(REVOKE_AFTER_MS, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
