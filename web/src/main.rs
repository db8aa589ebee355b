//! The site's entry point: Trunk builds this binary and runs it on page load.

fn main() {
    yew::Renderer::<ackscope_web::App>::new().render();
}
