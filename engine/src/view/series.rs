//! Lost and duplicated over simulated time, per lane: the run replayed from
//! its start once, each lane's ledger read after every action, and a point
//! kept only where a count changed. The Guarantees lab draws its line
//! charts from these points, so a chart and a counter read at the same
//! moment always agree.

use alloc::string::String;
use alloc::vec::Vec;

use crate::sim::{Timeline, World};

/// A lane's counts from `ms` on (until the next point).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeriesPoint {
    /// Milliseconds since the start of the run.
    pub ms: u64,
    /// Messages lost, over the lane's services.
    pub lost: u64,
    /// Effects applied beyond the first, over the lane's services.
    pub duplicates: u64,
}

/// One lane's points, by time; the first is at 0 ms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaneSeries {
    /// The lane's index.
    pub lane: u16,
    /// The lane's name.
    pub name: String,
    /// A point wherever lost or duplicates changed.
    pub points: Vec<SeriesPoint>,
}

impl LaneSeries {
    /// The counts in force at `ms` (every action at or before it applied).
    pub fn at(&self, ms: u64) -> SeriesPoint {
        let i = self.points.partition_point(|p| p.ms <= ms);
        match i {
            0 => SeriesPoint {
                ms,
                ..SeriesPoint::default()
            },
            _ => self.points[i - 1],
        }
    }
}

/// Every lane's series, and the scale they share.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LossSeries {
    /// When the run ends (ms since its start).
    pub end_ms: u64,
    /// The largest count any lane reaches, lost or duplicates (at least
    /// 1): the top of every chart, so lanes compare at a glance.
    pub top: u64,
    /// One series per lane, in lane order.
    pub lanes: Vec<LaneSeries>,
}

fn sums(world: &World) -> (u64, u64) {
    (0..world.ledger().services())
        .map(|s| world.ledger().counts(s))
        .fold((0, 0), |(l, d), c| (l + c.lost, d + c.duplicates))
}

/// Lost and duplicates over time in every lane of `timeline`.
pub fn loss_series(timeline: &Timeline) -> LossSeries {
    let mut lanes = timeline.after(0);
    let mut series: Vec<LaneSeries> = lanes
        .worlds()
        .iter()
        .map(|w| LaneSeries {
            lane: w.lane(),
            name: w.scenario().lane_name(usize::from(w.lane())).into(),
            points: alloc::vec![SeriesPoint::default()],
        })
        .collect();
    let mut top = 1;
    let mut note = |lanes: &crate::sim::Lanes, series: &mut [LaneSeries]| {
        let ms = lanes.now().since_start().as_ms();
        for (w, s) in lanes.worlds().iter().zip(series.iter_mut()) {
            let (lost, duplicates) = sums(w);
            top = top.max(lost).max(duplicates);
            let last = s.points.last().copied().unwrap_or_default();
            if (last.lost, last.duplicates) == (lost, duplicates) {
                continue;
            }
            let point = SeriesPoint {
                ms,
                lost,
                duplicates,
            };
            // Several actions in one millisecond: the last one's counts.
            match s.points.last_mut() {
                Some(p) if p.ms == ms => *p = point,
                _ => s.points.push(point),
            }
        }
    };
    note(&lanes, &mut series);
    // One buffer for every action's events, which only the counts read.
    let mut events = Vec::new();
    while lanes.actions() < timeline.actions() && !lanes.is_finished() {
        events.clear();
        lanes.step_into(&mut events);
        note(&lanes, &mut series);
    }
    LossSeries {
        end_ms: timeline.end_time().since_start().as_ms(),
        top,
        lanes: series,
    }
}
