//! The web crate in a real browser (`cargo xtask test` runs it in
//! headless Chromium through wasm-bindgen's runner): one test binary, so
//! it is linked, bound by wasm-bindgen and loaded by Chromium once, not
//! once per file — each is a 16 MB wasm read whole at every stage.
//!
//! The tests of one binary share a document, as they always did within a
//! file: each [`common::Page`] renders the app into a root of its own and
//! sets its own URL fragment, so one test's run does not leak into the
//! next.
#![cfg(target_arch = "wasm32")]

mod common;
mod determinism;
mod kafka_settings;
mod lessons;
mod shell;
mod streams;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
