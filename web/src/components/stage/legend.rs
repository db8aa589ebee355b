//! The key to the stage's marks and the colours of what travels.

use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::motion::FlightKind;

/// A small key under the stage: what the rails' lines and squares mean,
/// and which command each colour of travelling chip is. Every colour is
/// named, so none has to be told apart by colour alone.
#[component]
pub fn Legend() -> Html {
    let text = use_catalogue();
    let t = &text.stage;
    let chips = [
        (FlightKind::Append, "XADD"),
        (FlightKind::Deliver, "XREADGROUP"),
        (FlightKind::Ack, "XACK"),
        (FlightKind::Claim, "XCLAIM"),
        (FlightKind::DeadLetter, t.dead_letter_move),
    ];
    html! {
        <ul class="legend hue-0" aria-label={t.legend}>
            <li class="legend__item">
                <svg class="legend__swatch" viewBox="0 0 28 12" aria-hidden="true"><line class="rail__done" x1="2" y1="6" x2="26" y2="6" /></svg>
                { t.legend_delivered }
            </li>
            <li class="legend__item">
                <svg class="legend__swatch" viewBox="0 0 28 12" aria-hidden="true"><line class="rail__lag" x1="2" y1="6" x2="26" y2="6" /></svg>
                { t.legend_lag }
            </li>
            <li class="legend__item">
                <svg class="legend__swatch" viewBox="0 0 28 12" aria-hidden="true"><path class="rail__pending" d="M9.5 1.5h9v9h-9z" /></svg>
                { t.legend_pending }
            </li>
            for (kind, word) in chips {
                <li class="legend__item">
                    <span class={classes!("legend__chip", format!("flight--{}", kind.slug()))}>{ word }</span>
                </li>
            }
        </ul>
    }
}
