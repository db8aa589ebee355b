//! Where things sit on the stage: pure geometry from the engine's
//! [`StageView`], in the stage's SVG units.
//!
//! The stage is [`WIDTH`] units wide — wider, up to [`MAX_WIDTH`], when a
//! group of the run has more consumers than fit side by side — and as
//! tall as its content; the page scales it to the column it sits in, so
//! type grows with the screen, as on a projector. A group's cards stand in
//! one row when they can: wrapped into two, they would make the drawing
//! tall, and a wide screen would show it small.
//!
//! A stream is a band: its header, its tape of entries (oldest at the
//! left, newest at the right), one rail per consumer group under the tape
//! carrying the group's `last-delivered-id` cursor, then one row per group
//! with a card per consumer.
//!
//! A long stream never overflows its tape: the newest entries keep full
//! cells and older ones narrow to spines (a rotated label) or, when even
//! those do not fit, to ticks; entries older than the engine's window are
//! one "older" stub at the left.

use ackscope_engine::redis::db::stream_id::StreamId;
use ackscope_engine::view::{EntryState, GroupView, StageView, StreamView};

use crate::motion::Anchor;
use crate::room::CardRoom;

/// Width of the stage, in SVG units, unless a group needs more.
pub const WIDTH: f64 = 780.0;
/// The widest the stage grows for a group's cards: six side by side.
pub const MAX_WIDTH: f64 = row_width(6.0);
const PAD: f64 = 14.0;
const PRODUCER_W: f64 = 116.0;
const PRODUCER_GAP: f64 = 24.0;
const HEADER_H: f64 = 30.0;
/// Height of a stream's tape.
pub const TAPE_H: f64 = 66.0;
/// Width of a full entry cell.
pub const CELL_W: f64 = 132.0;
const CELL_GAP: f64 = 4.0;
const STUB_W: f64 = 64.0;
/// Narrowest cell that still carries a (rotated) label.
const SPINE_MIN_W: f64 = 13.0;
/// The gap between narrow cells wide enough to be told apart.
const SPINE_GAP: f64 = 2.0;
const RAIL_H: f64 = 34.0;
/// Height of a group row's header.
pub const ROW_HEAD_H: f64 = 34.0;
const CARD_GAP: f64 = 12.0;
/// Narrowest card: its name, status and pending IDs (15 characters at
/// 12 units) still read in full.
const CARD_MIN_W: f64 = 180.0;
const CARD_MAX_W: f64 = 300.0;
/// Height of a consumer card above its pending rows.
pub const CARD_HEAD_H: f64 = 68.0;
/// Height of one pending row.
pub const ROW_H: f64 = 30.0;
/// Pending rows a card shows; the rest are summed up in one line.
pub const MAX_ROWS: usize = 5;
/// Height of that summary line.
pub const MORE_H: f64 = 20.0;
const CARD_FOOT_H: f64 = 10.0;
const BAND_GAP: f64 = 22.0;
/// Streams, groups per stream and consumers per group drawn: a console
/// can create more, and the stage must stay readable.
const MAX_BANDS: usize = 6;
const MAX_GROUPS: usize = 4;
const MAX_CARDS: usize = 12;

/// A rectangle in stage units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Its centre.
    pub fn center(self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// How much of an entry its cell can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// ID and fields.
    Full,
    /// A rotated label: the message, or the first field's value.
    Spine,
    /// A bare mark.
    Tick,
}

/// An entry's cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Index into the stream view's `entries`.
    pub entry: usize,
    /// Where.
    pub rect: Rect,
    /// What it shows.
    pub detail: Detail,
}

/// A consumer group's cursor rail under the tape.
#[derive(Clone, Debug, PartialEq)]
pub struct Rail {
    /// Index into the stream view's `groups`.
    pub group: usize,
    /// Top of the rail.
    pub y: f64,
    /// Where `last-delivered-id` points: the right edge of the last entry
    /// delivered to the group.
    pub cursor_x: f64,
    /// The centres of the entries drawn on the tape that are pending in
    /// the group: delivered to a consumer, not acknowledged yet.
    pub pending_x: Vec<f64>,
}

/// A consumer's card.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// Index into the group view's `consumers`.
    pub consumer: usize,
    /// Where.
    pub rect: Rect,
    /// Pending rows drawn one by one.
    pub rows: usize,
    /// Whether a summary line follows them.
    pub more: bool,
}

/// A group's row: its header and its consumers.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    /// Index into the stream view's `groups`.
    pub group: usize,
    /// Top of the header.
    pub y: f64,
    /// Its width, from the stage's left margin.
    pub w: f64,
    /// The cards.
    pub cards: Vec<Card>,
}

/// A stream's band.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Index into the view's `streams`.
    pub stream: usize,
    /// Top of the header.
    pub y: f64,
    /// Where the header sits when it is a box beside the tape rather than
    /// a line above it: a stream no group reads (a dead-letter stream),
    /// drawn compactly in the producers' column.
    pub label: Option<Rect>,
    /// The tape.
    pub tape: Rect,
    /// The "older entries" stub, when the engine left some out.
    pub stub: Option<Rect>,
    /// The entries' cells, oldest first.
    pub cells: Vec<Cell>,
    /// The groups' rails.
    pub rails: Vec<Rail>,
    /// The groups' rows.
    pub rows: Vec<GroupRow>,
}

/// A producer's box.
#[derive(Clone, Debug, PartialEq)]
pub struct ProducerBox {
    /// Index into the view's `producers`.
    pub producer: usize,
    /// Where.
    pub rect: Rect,
}

/// The whole stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageLayout {
    /// Width in stage units, from [`WIDTH`] to [`MAX_WIDTH`].
    pub width: f64,
    /// Height in stage units.
    pub height: f64,
    /// Producers, beside the tape they write to.
    pub producers: Vec<ProducerBox>,
    /// Streams, top to bottom.
    pub bands: Vec<Band>,
}

impl StageLayout {
    /// The layout of `view`, with cards that keep the run's `room`.
    pub fn of(view: &StageView, room: &CardRoom) -> StageLayout {
        let tape_x = match view.producers.is_empty() {
            true => PAD,
            false => PAD + PRODUCER_W + PRODUCER_GAP,
        };
        let width = stage_width(room.across());
        let mut layout = StageLayout {
            width,
            ..StageLayout::default()
        };
        let mut y = PAD;
        for (index, stream) in view.streams.iter().enumerate().take(MAX_BANDS) {
            let fed = view
                .producers
                .iter()
                .any(|p| p.targets.iter().any(|(_, k)| *k == stream.key));
            let compact = tape_x > PAD && stream.groups.is_empty() && !fed;
            let mut band = band(index, stream, tape_x, width, y, compact);
            let boxes = producer_boxes(view, &stream.key, band.tape);
            let below_boxes = boxes.last().map_or(0.0, |b| b.rect.y + b.rect.h + 8.0);
            y = band_rows(&mut band, stream, below_boxes, room) + BAND_GAP;
            layout.producers.extend(boxes);
            layout.bands.push(band);
        }
        layout.height = (y - BAND_GAP + PAD).max(TAPE_H + 2.0 * PAD);
        layout
    }

    /// Where `anchor` is, if it is on the stage.
    pub fn point(&self, view: &StageView, anchor: &Anchor) -> Option<(f64, f64)> {
        match anchor {
            Anchor::Producer(name) => {
                let b = self
                    .producers
                    .iter()
                    .find(|b| view.producers[b.producer].name == *name)?;
                Some((b.rect.x + b.rect.w, b.rect.y + b.rect.h / 2.0))
            }
            Anchor::Client(key) => {
                let band = self.band(view, key)?;
                let end = band
                    .cells
                    .last()
                    .map_or(band.tape.x, |c| c.rect.x + c.rect.w);
                Some((end.min(band.tape.x + band.tape.w - 40.0), band.y - 6.0))
            }
            Anchor::Entry(key, id) => {
                let band = self.band(view, key)?;
                Some(entry_point(band, &view.streams[band.stream], *id))
            }
            Anchor::Consumer(key, group, consumer) => {
                let band = self.band(view, key)?;
                let stream = &view.streams[band.stream];
                let row = band
                    .rows
                    .iter()
                    .find(|l| stream.groups[l.group].name == *group)?;
                let consumers = &stream.groups[row.group].consumers;
                let card = row
                    .cards
                    .iter()
                    .find(|c| consumers[c.consumer].name == *consumer)?;
                Some((card.rect.x + card.rect.w / 2.0, card.rect.y + CARD_HEAD_H))
            }
        }
    }

    fn band(&self, view: &StageView, key: &str) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| view.streams[b.stream].key == key)
    }
}

fn entry_point(band: &Band, stream: &StreamView, id: StreamId) -> (f64, f64) {
    let cell = band.cells.iter().find(|c| stream.entries[c.entry].id == id);
    match (cell, band.stub) {
        (Some(cell), _) => cell.rect.center(),
        (None, Some(stub)) => stub.center(),
        (None, None) => (band.tape.x, band.tape.y + TAPE_H / 2.0),
    }
}

/// The width `n` of the narrowest cards need side by side, margins and all.
const fn row_width(n: f64) -> f64 {
    2.0 * PAD + n * CARD_MIN_W + (n - 1.0) * CARD_GAP
}

/// The stage's width for `cards` consumer cards side by side.
fn stage_width(cards: usize) -> f64 {
    row_width(cards.max(1) as f64).clamp(WIDTH, MAX_WIDTH)
}

fn band(index: usize, stream: &StreamView, tape_x: f64, width: f64, y: f64, compact: bool) -> Band {
    let header_h = if compact { 0.0 } else { HEADER_H };
    let tape = Rect {
        x: tape_x,
        y: y + header_h,
        w: width - PAD - tape_x,
        h: TAPE_H,
    };
    let stub = (stream.hidden_before > 0).then_some(Rect {
        w: STUB_W - CELL_GAP,
        ..tape
    });
    let first_x = tape.x + stub.map_or(0.0, |_| STUB_W);
    let cells = tape_cells(stream.entries.len(), tape.x + tape.w - first_x)
        .into_iter()
        .enumerate()
        .map(|(entry, (x, w, detail))| Cell {
            entry,
            rect: Rect {
                x: first_x + x,
                y: tape.y,
                w,
                h: TAPE_H,
            },
            detail,
        })
        .collect::<Vec<_>>();
    let rails = stream
        .groups
        .iter()
        .take(MAX_GROUPS)
        .enumerate()
        .map(|(group, g)| Rail {
            group,
            y: tape.y + TAPE_H + group as f64 * RAIL_H,
            cursor_x: cursor_x(g, stream, &cells, tape, stub),
            pending_x: pending_x(g, &cells),
        })
        .collect();
    let label = compact.then_some(Rect {
        x: PAD,
        y: tape.y,
        w: PRODUCER_W,
        h: TAPE_H,
    });
    Band {
        stream: index,
        y,
        label,
        tape,
        stub,
        cells,
        rails,
        rows: Vec::new(),
    }
}

/// Lays out the group rows under the rails (and under the producers'
/// boxes, which may reach below the tape); returns the band's bottom.
fn band_rows(band: &mut Band, stream: &StreamView, below_boxes: f64, room: &CardRoom) -> f64 {
    let rails_end = band.tape.y + TAPE_H + band.rails.len() as f64 * RAIL_H;
    let mut y = rails_end.max(below_boxes) + 6.0;
    for (group, g) in stream.groups.iter().enumerate().take(MAX_GROUPS) {
        let rows = room.rows(&stream.key, &g.name);
        let w = band.tape.x + band.tape.w - PAD;
        let (cards, bottom) = cards(g, y + ROW_HEAD_H, w, rows);
        band.rows.push(GroupRow { group, y, w, cards });
        y = bottom + 10.0;
    }
    y.max(rails_end)
}

/// The cards of `group`'s consumers from `top`, in a row `room` wide,
/// each with room for `rows` pending rows (see [`CardRoom`]).
fn cards(group: &GroupView, top: f64, room: f64, rows: usize) -> (Vec<Card>, f64) {
    let n = group.consumers.len().min(MAX_CARDS);
    if n == 0 {
        return (Vec::new(), top);
    }
    // (A hair over, so a row made exactly wide enough is not lost to
    // rounding.)
    let fits = ((room + CARD_GAP) / (CARD_MIN_W + CARD_GAP) + 1e-9)
        .floor()
        .max(1.0) as usize;
    let per_row = fits.min(n);
    let w = ((room - (per_row - 1) as f64 * CARD_GAP) / per_row as f64).min(CARD_MAX_W);
    let mut out = Vec::with_capacity(n);
    let mut y = top;
    for row in group.consumers[..n].chunks(per_row).enumerate() {
        let (row_index, consumers) = row;
        let shapes: Vec<(usize, bool)> = consumers
            .iter()
            .map(|c| {
                let more = c.pending_count as usize > MAX_ROWS;
                let rows = if more { MAX_ROWS - 1 } else { c.pending.len() };
                (rows, more)
            })
            .collect();
        let h = card_height(rows);
        for (i, (rows, more)) in shapes.into_iter().enumerate() {
            out.push(Card {
                consumer: row_index * per_row + i,
                rect: Rect {
                    x: PAD + i as f64 * (w + CARD_GAP),
                    y,
                    w,
                    h,
                },
                rows,
                more,
            });
        }
        y += h + CARD_GAP;
    }
    (out, y - CARD_GAP)
}

/// A card's height with room for `rows` pending rows (at least one, so an
/// empty pending list reads as "none" rather than collapsing). Past
/// [`MAX_ROWS`] a card shows one row fewer and a line saying how many more,
/// which fits in the row it replaces.
fn card_height(rows: usize) -> f64 {
    const { assert!(MORE_H <= ROW_H) };
    CARD_HEAD_H + rows.clamp(1, MAX_ROWS) as f64 * ROW_H + CARD_FOOT_H
}

fn producer_boxes(view: &StageView, key: &str, tape: Rect) -> Vec<ProducerBox> {
    view.producers
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.targets
                .iter()
                .find(|(kind, _)| kind == "stream")
                .map(|(_, k)| k.as_str())
                == Some(key)
        })
        .enumerate()
        .map(|(slot, (producer, _))| ProducerBox {
            producer,
            rect: Rect {
                x: PAD,
                y: tape.y + slot as f64 * (TAPE_H + 8.0),
                w: PRODUCER_W,
                h: TAPE_H,
            },
        })
        .collect()
}

/// Offsets, widths and detail of `n` cells (oldest first) in `room` units.
fn tape_cells(n: usize, room: f64) -> Vec<(f64, f64, Detail)> {
    let span = CELL_W + CELL_GAP;
    if n as f64 * span <= room + CELL_GAP {
        return (0..n)
            .map(|i| (i as f64 * span, CELL_W, Detail::Full))
            .collect();
    }
    let max_full = ((room + CELL_GAP) / span).floor() as usize;
    // Prefer narrow cells that can still be labelled; otherwise keep a
    // few full cells and let the oldest become ticks.
    let spine = |k: usize| (room - k as f64 * span) / (n - k) as f64 - SPINE_GAP >= SPINE_MIN_W;
    let labelled = (1..max_full).rev().find(|k| spine(*k));
    let full = match max_full {
        0 => 0,
        _ => labelled.unwrap_or((max_full * 3 / 5).max(1)),
    };
    let narrow = n - full;
    let narrow_room = (room - full as f64 * span).max(0.0);
    let pitch = narrow_room / narrow as f64;
    let gap = if pitch >= 8.0 { SPINE_GAP } else { 0.0 };
    let detail = if pitch - gap >= SPINE_MIN_W {
        Detail::Spine
    } else {
        Detail::Tick
    };
    let mut out: Vec<(f64, f64, Detail)> = (0..narrow)
        .map(|i| (i as f64 * pitch, pitch - gap, detail))
        .collect();
    out.extend((0..full).map(|i| (narrow_room + i as f64 * span, CELL_W, Detail::Full)));
    out
}

/// The centres of the cells whose entries are pending in `group`, as the
/// engine's entry states say.
fn pending_x(group: &GroupView, cells: &[Cell]) -> Vec<f64> {
    cells
        .iter()
        .filter(|c| {
            matches!(
                group.entry_states.get(c.entry),
                Some(EntryState::Pending(_))
            )
        })
        .map(|c| c.rect.x + c.rect.w / 2.0)
        .collect()
}

/// Where a group's `last-delivered-id` points on the tape.
fn cursor_x(
    group: &GroupView,
    stream: &StreamView,
    cells: &[Cell],
    tape: Rect,
    stub: Option<Rect>,
) -> f64 {
    let delivered = cells
        .iter()
        .rev()
        .find(|c| stream.entries[c.entry].id <= group.last_delivered_id);
    match (delivered, stub) {
        (Some(cell), _) => cell.rect.x + cell.rect.w + CELL_GAP / 2.0,
        (None, Some(stub)) if group.last_delivered_id != StreamId::ZERO => stub.x + stub.w,
        _ => tape.x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Run;

    fn view_at(name: &str, seed: u64, ms: u64) -> StageView {
        let mut run = Run::builtin(name, seed, Vec::new()).unwrap();
        run.move_to(run.cursor_at(ms));
        (*run.view()).clone()
    }

    fn inside(inner: Rect, outer: Rect) -> bool {
        inner.x >= outer.x - 1e-6 && inner.x + inner.w <= outer.x + outer.w + 1e-6 && inner.w > 0.0
    }

    #[test]
    fn cells_never_leave_the_tape_and_keep_their_order() {
        for n in [0, 1, 5, 6, 12, 30, 299, 300] {
            for room in [200.0, 736.0, 886.0] {
                let cells = tape_cells(n, room);
                assert_eq!(cells.len(), n);
                let tape = Rect {
                    x: 0.0,
                    y: 0.0,
                    w: room,
                    h: TAPE_H,
                };
                for pair in cells.windows(2) {
                    assert!(pair[0].0 + pair[0].1 <= pair[1].0 + 1e-6, "{n} in {room}");
                }
                for (x, w, _) in cells {
                    assert!(
                        inside(
                            Rect {
                                x,
                                y: 0.0,
                                w,
                                h: TAPE_H
                            },
                            tape
                        ),
                        "{n} in {room}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_newest_entries_keep_full_cells() {
        let cells = tape_cells(30, 736.0);
        assert_eq!(cells.last().unwrap().2, Detail::Full);
        assert_eq!(cells[0].2, Detail::Spine);
        let dense = tape_cells(300, 736.0);
        assert_eq!(dense[0].2, Detail::Tick);
        assert_eq!(dense[299].2, Detail::Full);
        assert!(tape_cells(5, 736.0).iter().all(|c| c.2 == Detail::Full));
    }

    #[test]
    fn a_groups_cursor_sits_after_its_last_delivered_entry() {
        // seed-offset-vs-pending at 11 s: readers delivered chapters 1–3.
        let view = view_at("seed-offset-vs-pending", 2, 11_000);
        let layout = StageLayout::of(&view, &CardRoom::default());
        let band = &layout.bands[0];
        let third = &band.cells[2].rect;
        assert_eq!(band.rails[0].cursor_x, third.x + third.w + CELL_GAP / 2.0);
        // …and moves back to chapter 1 after XGROUP SETID at 17 s.
        let view = view_at("seed-offset-vs-pending", 2, 17_000);
        let band = &StageLayout::of(&view, &CardRoom::default()).bands[0];
        let first = &band.cells[0].rect;
        assert_eq!(band.rails[0].cursor_x, first.x + first.w + CELL_GAP / 2.0);
    }

    #[test]
    fn pending_entries_are_marked_on_their_groups_rail() {
        // At 16 s reader-1 holds chapters 2 and 3, reader-2 chapter 4.
        let view = view_at("seed-offset-vs-pending", 2, 16_000);
        let band = &StageLayout::of(&view, &CardRoom::default()).bands[0];
        let centres: Vec<f64> = [1, 2, 3]
            .iter()
            .map(|&i| band.cells[i].rect.center().0)
            .collect();
        assert_eq!(band.rails[0].pending_x, centres);
    }

    #[test]
    fn every_anchor_of_a_run_is_on_the_stage() {
        let view = view_at("stream-dead-letter", 4, 9_000);
        let layout = StageLayout::of(&view, &CardRoom::default());
        assert_eq!(layout.bands.len(), 2, "payments and payments:dead");
        let run = Run::builtin("stream-dead-letter", 4, Vec::new()).unwrap();
        for flight in crate::motion::flights(run.timeline().events(), 0, 1, 0.0) {
            for anchor in [&flight.from, &flight.to] {
                let (x, y) = layout.point(&view, anchor).expect("anchored");
                assert!((0.0..=layout.width).contains(&x) && (0.0..=layout.height).contains(&y));
            }
        }
    }

    #[test]
    fn cards_fit_the_width_and_share_a_row_height() {
        let view = view_at("stream-consumer-crash-claim", 7, 2600);
        let layout = StageLayout::of(&view, &CardRoom::default());
        let cards = &layout.bands[0].rows[0].cards;
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].rect.h, cards[1].rect.h);
        for card in cards {
            assert!(card.rect.x + card.rect.w <= WIDTH - PAD + 1e-6);
        }
        assert_eq!(layout.width, WIDTH);
        assert!(layout.height > cards[0].rect.y + cards[0].rect.h);
    }

    /// Six consumers stand in one row on a stage made wide enough for them,
    /// from the first moment of the run, so the drawing never changes shape.
    #[test]
    fn a_group_of_six_stands_in_one_row_on_a_wider_stage() {
        let state = crate::bench::Bench::Frames {
            frames: 10,
            link: None,
        }
        .state(crate::i18n::Lang::En);
        let run = state.run.expect("the benchmark's run");
        let room = CardRoom::of(run.timeline().events());
        assert_eq!(room.across(), 6);
        let layout = StageLayout::of(&run.view(), &room);
        assert_eq!(layout.width, MAX_WIDTH);
        let cards = &layout.bands[0].rows[0].cards;
        assert_eq!(cards.len(), 6);
        assert!(cards.iter().all(|c| c.rect.y == cards[0].rect.y));
        assert!(cards.iter().all(|c| c.rect.w >= CARD_MIN_W - 1e-9));
        let last = cards[5].rect;
        assert!(last.x + last.w <= layout.width - PAD + 1e-6);
        // The stage grows no wider than six cards need: a seventh wraps.
        assert_eq!(stage_width(7), MAX_WIDTH);
        assert_eq!(stage_width(3), WIDTH);
    }
}
