//! The site in a real browser, end to end: one test binary for every lab,
//! so the suite links once and `--test-threads` balances the long walks
//! (the lessons, the Guarantees lab) against the short ones.
//!
//! Each test is `#[ignore]`d (it needs the built site and ChromeDriver):
//! `cargo xtask test` builds the site and runs them with `--ignored`.

mod classroom;
mod compare;
mod export;
mod guarantees;
mod kafka;
mod kafka_settings;
mod lessons;
mod shell;
mod streams;
