//! The site's entry point: Trunk builds this binary and runs it on page load.

fn main() {
    // When the wasm is compiled and instantiated: `cargo xtask bench`
    // splits the first render at this mark (loading, then our first
    // render up to `hooks::STAGE_MARK`).
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark("ackscope-start");
    }
    yew::Renderer::<ackscope_web::App>::new().render();
}
