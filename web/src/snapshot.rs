//! The stage as a picture: a standalone SVG file that looks like the stage
//! on screen, and a PNG drawn from it. Browser plumbing only — what the
//! stage shows is already on the page; this copies it.
//!
//! The Streams lab's stage is an SVG drawing: the file is that drawing.
//! The other labs' stages are HTML: the file is an SVG whose
//! `<foreignObject>` holds a copy of the stage's HTML. Either way the
//! page's own stylesheet travels inside the file (a `<style>` element), so
//! every class keeps its look, and the root carries the design tokens
//! (`--ink`, `--hue-0`…) as the page resolved them — the theme chosen,
//! projection mode, the system's dark preference — plus the page's root
//! type size, so `rem` and `var()` mean in the file what they meant on
//! screen. Media queries are decided as the page decides them now (in the
//! file they would ask about the picture's width, not the window's).
//! Elements the stage sits in are copied too, without their boxes
//! (`display: contents`), so rules that name them (`.lab--kafka …`,
//! `[data-projection="on"] …`) still apply.
//!
//! The PNG: the SVG drawn on a canvas at [`PNG_SCALE`]× (crisp on a
//! projector), loaded from a `data:` URL — an image of the page's own
//! making, so the canvas is not tainted and `toBlob` may read it.

use std::collections::BTreeSet;

use js_sys::Promise;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, CssMediaRule, CssRuleList, CssStyleDeclaration, CssStyleSheet,
    Document, Element, HtmlCanvasElement, HtmlImageElement, Window, XmlSerializer,
};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// How many device pixels a CSS pixel of the stage becomes in the PNG.
pub const PNG_SCALE: f64 = 2.0;

/// The stage as an SVG file, its size in CSS pixels, and the colour
/// behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    /// The SVG file's text.
    pub svg: String,
    /// Width in CSS pixels.
    pub width: f64,
    /// Height in CSS pixels.
    pub height: f64,
    /// The page's background behind the stage (a CSS colour).
    pub background: String,
}

/// The picture of `stage` (the lab's `[data-testid=stage]` element) as it
/// is drawn now.
pub fn picture(stage: &Element) -> Result<Picture, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let css = page_css(&window, &document);
    let computed = style_of(&window, stage)?;
    let background = background(&window, stage)?;
    let tokens = tokens(&css, &computed, &window, &document)?;
    let drawing = stage.query_selector("svg.stage__svg")?;
    let target = drawing.as_ref().unwrap_or(stage);
    let rect = target.get_bounding_client_rect();
    let width = rect.width().max(f64::from(target.scroll_width())).ceil();
    let height = rect.height().max(f64::from(target.scroll_height())).ceil();
    let size = format!("width: {width}px; height: {height}px;");
    let root: Element = match &drawing {
        // The Streams drawing's own size rules (a share of the stage)
        // mean nothing outside the page: the root's style replaces them.
        Some(svg) => svg.clone_node_with_deep(true)?.dyn_into()?,
        None => html_root(&document, stage, &size, width, height)?,
    };
    root.set_attribute(
        "style",
        &format!("{tokens} {size} background: {background};"),
    )?;
    root.set_attribute("width", &width.to_string())?;
    root.set_attribute("height", &height.to_string())?;
    let style = document.create_element_ns(Some(SVG_NS), "style")?;
    style.set_text_content(Some(&css));
    root.insert_before(&style, root.first_child().as_ref())?;
    let text = XmlSerializer::new()?.serialize_to_string(&root)?;
    Ok(Picture {
        svg: format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"),
        width,
        height,
        background,
    })
}

/// An SVG root holding, in a `<foreignObject>`, the elements around the
/// stage (without their boxes) and a copy of the stage.
fn html_root(
    document: &Document,
    stage: &Element,
    size: &str,
    width: f64,
    height: f64,
) -> Result<Element, JsValue> {
    let root = document.create_element_ns(Some(SVG_NS), "svg")?;
    root.set_attribute("viewBox", &format!("0 0 {width} {height}"))?;
    let object = document.create_element_ns(Some(SVG_NS), "foreignObject")?;
    for (name, value) in [("x", "0"), ("y", "0")] {
        object.set_attribute(name, value)?;
    }
    object.set_attribute("width", &width.to_string())?;
    object.set_attribute("height", &height.to_string())?;
    root.append_child(&object)?;
    let mut parent = object;
    // `<html>` and `<body>` too, so that their rules (the body's type,
    // ink and leading, inherited as the page inherits them) apply; the
    // root's type size is the file root's, as `rem` is.
    for outer in ancestors(stage) {
        let copy = document.create_element(&outer.tag_name().to_ascii_lowercase())?;
        copy_attributes(&outer, &copy)?;
        let style = match copy.tag_name().as_str() {
            "html" | "HTML" => "display: contents; font-size: inherit",
            _ => "display: contents",
        };
        copy.set_attribute("style", style)?;
        parent.append_child(&copy)?;
        parent = copy;
    }
    let copy: Element = stage.clone_node_with_deep(true)?.dyn_into()?;
    let own = copy.get_attribute("style").unwrap_or_default();
    copy.set_attribute(
        "style",
        &format!(
            "{own}; margin: 0; box-sizing: border-box; min-height: 0; max-height: none; overflow: visible; {size}"
        ),
    )?;
    // Chips in flight are halfway through an animation the file would
    // start again: the picture is of the stage at rest.
    if let Ok(flights) = copy.query_selector_all(".stage__flights") {
        for i in 0..flights.length() {
            if let Some(node) = flights.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                node.remove();
            }
        }
    }
    parent.append_child(&copy)?;
    Ok(root)
}

/// The stage's ancestors, the outermost (`<html>`) first.
fn ancestors(stage: &Element) -> Vec<Element> {
    let mut chain = Vec::new();
    let mut at = stage.parent_element();
    while let Some(element) = at {
        at = element.parent_element();
        chain.push(element);
    }
    chain.reverse();
    chain
}

/// Copies `from`'s attributes to `to`, but its id (the page's, not the
/// file's) and its inline style (its box is dropped).
fn copy_attributes(from: &Element, to: &Element) -> Result<(), JsValue> {
    let attributes = from.attributes();
    for i in 0..attributes.length() {
        if let Some(attr) = attributes.item(i)
            && !matches!(attr.name().as_str(), "id" | "style")
        {
            to.set_attribute(&attr.name(), &attr.value())?;
        }
    }
    Ok(())
}

/// Every rule of the page's stylesheets, as text, with each `@media`
/// rule decided as the page decides it now: the rules of one that matches
/// kept, one that does not left out. In the file, a media query would ask
/// about the picture's own width (a narrow stage would lay out as a
/// narrow window) and the viewer's preferences, not the page's. A sheet
/// the page may not read (none today: all are the site's own) is left
/// out.
fn page_css(window: &Window, document: &Document) -> String {
    let sheets = document.style_sheets();
    let mut css = String::new();
    for i in 0..sheets.length() {
        let Some(sheet) = sheets
            .item(i)
            .and_then(|s| s.dyn_into::<CssStyleSheet>().ok())
        else {
            continue;
        };
        if let Ok(rules) = sheet.css_rules() {
            rules_css(window, &rules, &mut css);
        }
    }
    css
}

/// Appends `rules` to `css`, `@media` rules decided (see [`page_css`]).
fn rules_css(window: &Window, rules: &CssRuleList, css: &mut String) {
    for j in 0..rules.length() {
        let Some(rule) = rules.item(j) else {
            continue;
        };
        match rule.dyn_ref::<CssMediaRule>() {
            Some(media) => {
                let query = media.media().media_text();
                let matches = window
                    .match_media(&query)
                    .ok()
                    .flatten()
                    .is_some_and(|q| q.matches());
                if matches {
                    rules_css(window, &media.css_rules(), css);
                }
            }
            None => {
                css.push_str(&rule.css_text());
                css.push('\n');
            }
        }
    }
}

/// The design tokens the stylesheet names (`--ink`…) with the values they
/// have at the stage now, the page's root type size, ink and face, as one
/// inline style for the file's root.
fn tokens(
    css: &str,
    computed: &CssStyleDeclaration,
    window: &Window,
    document: &Document,
) -> Result<String, JsValue> {
    let mut out = String::new();
    for name in custom_properties(css) {
        let value = computed.get_property_value(name)?;
        if !value.trim().is_empty() {
            out.push_str(&format!("{name}: {}; ", value.trim()));
        }
    }
    if let Some(html) = document.document_element() {
        let size = style_of(window, &html)?.get_property_value("font-size")?;
        out.push_str(&format!("font-size: {size}; "));
    }
    // What `<body>` gives the Streams drawing, which has no `<body>`
    // around it in the file. (Not the leading: a px value here would
    // replace the page's unitless one for every size of type.)
    for property in ["color", "font-family"] {
        let value = computed.get_property_value(property)?;
        out.push_str(&format!("{property}: {value}; "));
    }
    Ok(out)
}

/// The custom properties `css` declares or uses, each once.
fn custom_properties(css: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = css;
    while let Some(at) = rest.find("--") {
        let tail = &rest[at..];
        let len = 2 + tail[2..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(tail.len() - 2);
        if len > 2 {
            names.insert(&tail[..len]);
        }
        rest = &tail[len..];
    }
    names
}

/// The colour behind `element`: its own background, or the first
/// ancestor's that is not transparent.
fn background(window: &Window, element: &Element) -> Result<String, JsValue> {
    let mut at = Some(element.clone());
    while let Some(e) = at {
        let colour = style_of(window, &e)?.get_property_value("background-color")?;
        if !colour.is_empty() && colour != "rgba(0, 0, 0, 0)" && colour != "transparent" {
            return Ok(colour);
        }
        at = e.parent_element();
    }
    Ok("white".to_owned())
}

fn style_of(window: &Window, element: &Element) -> Result<CssStyleDeclaration, JsValue> {
    window
        .get_computed_style(element)?
        .ok_or_else(|| "no computed style".into())
}

/// `picture` drawn as a PNG at [`PNG_SCALE`]× on its background.
pub async fn png(picture: &Picture) -> Result<Blob, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let image = HtmlImageElement::new()?;
    let url = js_sys::encode_uri_component(&picture.svg);
    image.set_src(&format!("data:image/svg+xml;charset=utf-8,{url}"));
    JsFuture::from(image.decode()).await?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    // Whole device pixels: the CSS size is already whole.
    canvas.set_width((picture.width * PNG_SCALE) as u32);
    canvas.set_height((picture.height * PNG_SCALE) as u32);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into()?;
    context.scale(PNG_SCALE, PNG_SCALE)?;
    context.set_fill_style_str(&picture.background);
    context.fill_rect(0.0, 0.0, picture.width, picture.height);
    context.draw_image_with_html_image_element_and_dw_and_dh(
        &image,
        0.0,
        0.0,
        picture.width,
        picture.height,
    )?;
    to_blob(&canvas).await
}

/// `canvas.toBlob` as a future (PNG).
async fn to_blob(canvas: &HtmlCanvasElement) -> Result<Blob, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        let settle = reject.clone();
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = match blob.is_null() {
                true => reject.call1(&JsValue::NULL, &"the canvas made no PNG".into()),
                false => resolve.call1(&JsValue::NULL, &blob),
            };
        });
        // A tainted canvas throws here rather than calling back.
        if let Err(error) = canvas.to_blob(done.unchecked_ref()) {
            let _ = settle.call1(&JsValue::NULL, &error);
        }
    });
    JsFuture::from(promise).await?.dyn_into()
}

#[cfg(test)]
mod tests {
    use super::custom_properties;

    #[test]
    fn custom_properties_are_found_declared_and_used() {
        let css = ":root { --ink: #111; --hue-0: var(--oi-blue); }\n\
                   .a { color: var(--ink, red); width: calc(var(--w_1) * 2px); }\n\
                   .b { margin: -2px; } /* -- */";
        let names: Vec<&str> = custom_properties(css).into_iter().collect();
        assert_eq!(names, ["--hue-0", "--ink", "--oi-blue", "--w_1"]);
    }
}
