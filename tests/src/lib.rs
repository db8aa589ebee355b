//! Shared helpers for ackscope's cross-crate tests.
//!
//! - [`e2e`]: the browser end-to-end harness. It serves the built site
//!   (`dist/`), starts ChromeDriver and headless Chromium, and cleans them all
//!   up whatever the test does. The tests themselves are `tests/tests/e2e/*.rs`,
//!   run by `cargo xtask test`.
//! - [`lab`]: driving a lab through share links and reading the engine's
//!   values the stage carries, compared with the engine run natively.

pub mod e2e;
pub mod lab;
