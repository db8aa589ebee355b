//! ackscope's browser UI: a thin Yew view over `ackscope-engine`.
//!
//! The shell is one reducer ([`state`]) and small components that draw it
//! ([`components`]); every word on screen comes from a per-language catalogue
//! ([`i18n`]) and every number from the engine. See `ARCHITECTURE.md`.

pub mod app;
pub mod clock;
pub mod components;
pub mod i18n;
pub mod lab;
pub mod state;

pub use app::App;
