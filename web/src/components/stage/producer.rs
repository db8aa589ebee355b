//! A producer beside the stream it appends to.

use ackscope_engine::view::ProducerView;
use yew::prelude::*;

use super::refs::{fit, n};
use crate::i18n::use_catalogue;
use crate::layout::Rect;

/// Props of [`ProducerBox`].
#[derive(Properties, PartialEq)]
pub struct ProducerBoxProps {
    /// The producer, as the engine reports it.
    pub producer: ProducerView,
    /// Where its box is.
    pub rect: Rect,
}

/// A producer: its name and how many messages it has sent, with an arrow
/// to the tape its XADDs fly into.
#[component]
pub fn ProducerBox(props: &ProducerBoxProps) -> Html {
    let text = use_catalogue();
    let p = &props.producer;
    let r = props.rect;
    let mid = r.y + r.h / 2.0;
    html! {
        <g class="producer" data-testid="producer" data-producer={p.name.clone()} data-sent={p.sent.to_string()}>
            <rect class="producer__box" x={n(r.x)} y={n(r.y)} width={n(r.w)} height={n(r.h)} rx="10" />
            <text class="producer__kind" x={n(r.x + 10.0)} y={n(r.y + 18.0)}>{ text.stage.producer }</text>
            <text class="producer__name" x={n(r.x + 10.0)} y={n(r.y + 38.0)}>{ fit(&p.name, r.w - 20.0, 15.0) }</text>
            <text class="producer__sent" x={n(r.x + 10.0)} y={n(r.y + 56.0)}>
                { text.stage.sent }<tspan class="producer__num" dx="6">{ p.sent.to_string() }</tspan>
            </text>
            <path class="producer__arrow" d={format!("M{:.1} {:.1}h18l-6 -5m6 5l-6 5", r.x + r.w + 2.0, mid)} />
        </g>
    }
}
