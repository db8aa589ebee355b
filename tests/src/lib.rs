//! Shared helpers for ackscope's cross-crate tests.
