//! The clock bar's pictograms, drawn inline so they stay crisp when projected
//! and never depend on an emoji font.

use yew::prelude::*;

/// Which pictogram to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    /// A right-pointing triangle.
    Play,
    /// Two bars.
    Pause,
    /// A triangle against a bar: one step forward.
    Step,
    /// The mirror of [`Glyph::Step`]: one step back.
    StepBack,
    /// A bar and two left-pointing triangles: back to the start.
    Reset,
}

impl Glyph {
    /// The SVG path, on a 24×24 grid.
    const fn path(self) -> &'static str {
        match self {
            Glyph::Play => "M7 4.5v15l12.5-7.5z",
            Glyph::Pause => "M6 4.5h4.5v15H6zM13.5 4.5H18v15h-4.5z",
            Glyph::Step => "M5 5v14l10-7zM16 5h3v14h-3z",
            Glyph::StepBack => "M5 5h3v14H5zM19 5v14L9 12z",
            Glyph::Reset => "M3.5 5H6v14H3.5zM13 5v14l-6.5-7zM20.5 5v14L14 12z",
        }
    }
}

/// Props of [`Icon`].
#[derive(Properties, PartialEq)]
pub struct IconProps {
    /// The pictogram.
    pub glyph: Glyph,
}

/// A decorative pictogram: hidden from assistive technology, because the
/// control it sits in is named by its visible text.
#[component]
pub fn Icon(props: &IconProps) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d={props.glyph.path()} fill="currentColor" />
        </svg>
    }
}
