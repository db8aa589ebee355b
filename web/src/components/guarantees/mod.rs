//! The Guarantees lab's parts: a lane's counters, its broker drawn small,
//! its fate grid and its chart, the fates' key, and a message's story in
//! every lane. Each draws values the engine computed (`view::fate`,
//! `view::series`, `StageView`); none counts anything.

mod broker;
mod chart;
mod counters;
mod fates;
mod story;
mod what_if;

pub use broker::{BrokerLine, BrokerLineProps};
pub use chart::{ChartKey, LossChart, LossChartProps};
pub use counters::{Counters, CountersProps};
pub use fates::{FateGrid, FateGridProps, FateKey, fate_glyph, fate_words};
pub use story::{LaneStory, StoryPanel, StoryPanelProps};
pub use what_if::{WhatIf, WhatIfProps};
