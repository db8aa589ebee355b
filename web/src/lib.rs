//! ackscope's browser UI: a thin Yew view over `ackscope-engine`.
//!
//! The page is one reducer ([`state`]) over the engine's run ([`run`]) and
//! small components that draw it ([`components`]); every word on screen
//! comes from a per-language catalogue ([`i18n`]) and every number from
//! the engine. Pure modules — the cursor ([`run`]), the stage's geometry
//! ([`layout`]), what moves ([`motion`]), the share link ([`link`]), the
//! trace in words ([`words`]) — are tested natively. See `ARCHITECTURE.md`.

pub mod app;
pub mod bench;
pub mod clock;
pub mod components;
pub mod download;
pub mod export;
pub mod handlers;
pub mod history;
pub mod hooks;
pub mod i18n;
pub mod kafka_words;
pub mod lab;
pub mod layout;
pub mod lesson;
pub mod link;
pub mod marks;
pub mod motion;
pub mod report;
pub mod room;
pub mod run;
pub mod shared;
pub mod snapshot;
pub mod state;
pub mod theme;
pub mod words;

pub use app::App;
