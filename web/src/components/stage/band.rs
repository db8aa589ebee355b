//! A stream's band: its header, its tape of entries, its groups' rails
//! and group rows.

use ackscope_engine::view::StageView;
use yew::prelude::*;

use super::entry::EntryCell;
use super::group::GroupRow;
use super::rail::GroupRail;
use super::refs::{IdleScale, Pick, Shared, fit, n, push_n};
use crate::i18n::use_catalogue;
use crate::layout::{self, Detail, Rect, TAPE_H};
use crate::words::fill;

/// Props of [`Band`].
#[derive(Properties, PartialEq)]
pub struct BandProps {
    /// The world at the cursor.
    pub view: Shared<StageView>,
    /// Where the band's parts sit.
    pub band: layout::Band,
    /// Claim thresholds, for the idle bars.
    pub idle: Shared<IdleScale>,
    /// Selection.
    pub pick: Pick,
}

/// One stream: header, tape, rails, group rows.
#[component]
pub fn Band(props: &BandProps) -> Html {
    let band = &props.band;
    let stream = &props.view.streams[band.stream];
    html! {
        <g
            class={classes!("band", stream.dead_letter.then_some("band--dead"))}
            data-testid="stream"
            data-key={stream.key.clone()}
            data-length={stream.length.to_string()}
            data-dead-letter={stream.dead_letter.to_string()}
        >
            <BandHeader
                key_name={stream.key.clone()}
                dead_letter={stream.dead_letter}
                length={stream.length}
                last_id={stream.last_id.to_text()}
                x={band.tape.x}
                y={band.y}
                label={band.label}
            />
            <rect class="tape" x={n(band.tape.x - 6.0)} y={n(band.tape.y - 6.0)} width={n(band.tape.w + 12.0)} height={n(TAPE_H + 12.0)} rx="10" />
            if let Some(stub) = band.stub {
                <Stub count={stream.hidden_before} x={stub.x} y={stub.y} w={stub.w} />
            }
            <path class="entry-ticks" d={ticks(band)} data-ticks={band.cells.iter().filter(|c| c.detail == Detail::Tick).count().to_string()} />
            for cell in band.cells.iter().filter(|c| c.detail != Detail::Tick) {
                <EntryCell
                    key={stream.entries[cell.entry].id.to_text()}
                    stream={stream.key.clone()}
                    entry={stream.entries[cell.entry].clone()}
                    rect={cell.rect}
                    detail={cell.detail}
                    pick={props.pick.clone()}
                />
            }
            for rail in band.rails.iter() {
                <GroupRail key={stream.groups[rail.group].name.clone()} stream={stream.key.clone()} name={stream.groups[rail.group].name.clone()} last_delivered_id={stream.groups[rail.group].last_delivered_id.to_text()} index={rail.group} tape={band.tape} y={rail.y} cursor_x={rail.cursor_x} pending_x={rail.pending_x.clone()} pick={props.pick.clone()} />
            }
            for row in band.rows.iter() {
                <GroupRow key={stream.groups[row.group].name.clone()} view={props.view.clone()} stream={band.stream} row={row.clone()} idle={props.idle.clone()} pick={props.pick.clone()} />
            }
        </g>
    }
}

/// One path for every entry too narrow to label: hundreds of entries cost
/// the page one element.
fn ticks(band: &layout::Band) -> String {
    let mut d = String::new();
    for cell in band.cells.iter().filter(|c| c.detail == Detail::Tick) {
        let r = cell.rect;
        // Ticks are at least a tenth of a unit wide.
        let w = r.w.max(0.1);
        d.push('M');
        push_n(&mut d, r.x);
        d.push(' ');
        push_n(&mut d, r.y);
        d.push('h');
        push_n(&mut d, w);
        d.push('v');
        push_n(&mut d, r.h);
        d.push_str("h-");
        push_n(&mut d, w);
        d.push('z');
    }
    d
}

#[derive(Properties, PartialEq)]
struct BandHeaderProps {
    key_name: String,
    dead_letter: bool,
    length: u64,
    last_id: String,
    x: f64,
    y: f64,
    label: Option<Rect>,
}

/// The stream's key and what XINFO STREAM would say about its size: a
/// line above the tape, or a box beside it for a compact band.
#[component]
fn BandHeader(props: &BandHeaderProps) -> Html {
    let text = use_catalogue();
    let s = props;
    if let Some(r) = props.label {
        return html! {
            <g class="band__label">
                <rect class="band__box" x={n(r.x)} y={n(r.y)} width={n(r.w)} height={n(r.h)} rx="10" />
                <text class="band__key" x={n(r.x + 8.0)} y={n(r.y + 22.0)}>{ fit(&s.key_name, r.w - 12.0, 12.5) }</text>
                if s.dead_letter {
                    <text class="band__badge" x={n(r.x + 10.0)} y={n(r.y + 40.0)}>{ text.stage.dead_letters }</text>
                }
                <text class="band__stat" x={n(r.x + 10.0)} y={n(r.y + 57.0)}>
                    { "XLEN " }<tspan class="band__num" data-testid="xlen">{ s.length.to_string() }</tspan>
                </text>
            </g>
        };
    }
    let baseline = props.y + 19.0;
    html! {
        <text class="band__head" x={n(props.x - 4.0)} y={n(baseline)}>
            <tspan class="band__key">{ &s.key_name }</tspan>
            if s.dead_letter {
                <tspan class="band__badge" dx="12">{ text.stage.dead_letters }</tspan>
            }
            // Redis's own field names, as XINFO STREAM prints them.
            <tspan class="band__stat" dx="16">{ "XLEN " }</tspan>
            <tspan class="band__num" data-testid="xlen">{ s.length.to_string() }</tspan>
            <tspan class="band__stat" dx="16">{ "last-generated-id " }</tspan>
            <tspan class="band__num">{ &s.last_id }</tspan>
        </text>
    }
}

#[derive(Properties, PartialEq)]
struct StubProps {
    count: u64,
    x: f64,
    y: f64,
    w: f64,
}

/// Entries older than the engine's window, as one labelled block.
#[component]
fn Stub(props: &StubProps) -> Html {
    let text = use_catalogue();
    let label = fill(text.stage.older, &[("n", props.count.to_string())]).plain();
    html! {
        <g class="stub">
            <rect x={n(props.x)} y={n(props.y)} width={n(props.w)} height={n(TAPE_H)} rx="6" />
            <text x={n(props.x + props.w / 2.0)} y={n(props.y + TAPE_H / 2.0 + 5.0)} text-anchor="middle">{ label }</text>
        </g>
    }
}
