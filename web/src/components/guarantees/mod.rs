//! The Guarantees lab's parts: a lane's counters, its broker drawn small,
//! its fate grid and its chart, the fates' key, and a message's story in
//! every lane. Each draws values the engine computed (`view::fate`,
//! `view::series`, `StageView`, `view::kafka_glance`); none counts
//! anything.

mod broker;
mod chart;
mod counters;
mod fates;
mod kafka_line;
mod story;
mod what_if;
mod workload;

pub use broker::{BrokerLine, BrokerLineProps, LaneBroker, RedisLine, RedisLineProps};
pub use chart::{ChartKey, LossChart, LossChartProps};
pub use counters::{Counters, CountersProps};
pub use fates::{FateGrid, FateGridProps, FateKey, fate_glyph, fate_words};
pub use kafka_line::{KafkaLine, KafkaLineProps, StripKey, StripKeyProps};
pub use story::{LaneStory, StoryPanel, StoryPanelProps};
pub use what_if::{WhatIf, WhatIfProps};
pub use workload::{WorkloadEditor, WorkloadEditorProps, WorkloadForm};
