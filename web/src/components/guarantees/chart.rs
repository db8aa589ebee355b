//! A lane's line chart: lost and duplicates over simulated time, drawn up
//! to the clock's position, on the scale every lane shares. The points are
//! the engine's (`view::series`); this part only places them.

use ackscope_engine::view::{LaneSeries, LossSeries, SeriesPoint};
use yew::prelude::*;

use crate::i18n::use_catalogue;
use crate::shared::Shared;
use crate::words::fill;

/// The drawing's size in its own units.
const W: f64 = 240.0;
const H: f64 = 72.0;
/// Room above the top line so a line at the top stays visible.
const PAD: f64 = 4.0;

/// Props of [`LossChart`].
#[derive(Properties, PartialEq)]
pub struct LossChartProps {
    /// Every lane's series.
    pub series: Shared<LossSeries>,
    /// Which lane this chart draws.
    pub lane: usize,
    /// The lane's name.
    pub name: AttrValue,
    /// The cursor (ms since the start).
    pub now_ms: u64,
}

fn x(ms: u64, end_ms: u64) -> f64 {
    W * ms.min(end_ms) as f64 / end_ms.max(1) as f64
}

fn y(n: u64, top: u64) -> f64 {
    H - (H - PAD) * n as f64 / top.max(1) as f64
}

/// A step line through the points up to `now_ms`, for one count.
fn steps(s: &LaneSeries, all: &LossSeries, now_ms: u64, count: fn(&SeriesPoint) -> u64) -> String {
    let mut d = format!("M0 {:.1}", y(0, all.top));
    for p in s.points.iter().filter(|p| p.ms <= now_ms) {
        d.push_str(&format!(
            " H{:.1} V{:.1}",
            x(p.ms, all.end_ms),
            y(count(p), all.top)
        ));
    }
    d.push_str(&format!(" H{:.1}", x(now_ms, all.end_ms)));
    d
}

/// The chart (its key is [`ChartKey`], once for every lane).
#[component]
pub fn LossChart(props: &LossChartProps) -> Html {
    let t = &use_catalogue().guarantees_stage;
    let all = &*props.series;
    let Some(s) = all.lanes.get(props.lane) else {
        return Html::default();
    };
    let now = x(props.now_ms, all.end_ms);
    let at = s.at(props.now_ms);
    html! {
        <figure
                class="chart"
                data-testid="chart"
                data-lane={props.name.clone()}
                data-top={all.top.to_string()}
                data-lost={at.lost.to_string()}
                data-duplicates={at.duplicates.to_string()}
            >
            <svg
                class="chart__svg"
                viewBox={format!("0 0 {W} {H}")}
                preserveAspectRatio="none"
                role="img"
                aria-label={fill(t.chart, &[("lane", props.name.to_string())]).plain()}
            >
                <line class="chart__axis" x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} />
                <line class="chart__axis chart__axis--top" x1="0" y1={PAD.to_string()} x2={W.to_string()} y2={PAD.to_string()} />
                <path class="chart__line chart__line--duplicates" d={steps(s, all, props.now_ms, |p| p.duplicates)} />
                <path class="chart__line chart__line--lost" d={steps(s, all, props.now_ms, |p| p.lost)} />
                <line class="chart__now" x1={format!("{now:.1}")} y1="0" x2={format!("{now:.1}")} y2={H.to_string()} />
            </svg>
            <span class="chart__top">{ all.top }</span>
        </figure>
    }
}

/// What the charts' lines mean.
#[component]
pub fn ChartKey() -> Html {
    let t = &use_catalogue().guarantees_stage;
    html! {
        <p class="chart__key" aria-hidden="true">
            <span class="chart__swatch chart__swatch--lost">{ t.lost }</span>
            <span class="chart__swatch chart__swatch--duplicates">{ t.duplicates }</span>
            <span class="chart__nowword">{ t.now }</span>
        </p>
    }
}
