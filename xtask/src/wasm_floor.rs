//! `engine-wasm-floor`: the size of a wasm holding only the engine, the
//! least any one lab's wasm could weigh (`xtask/wasm_floor/lib.rs` says
//! what it holds). The crate is written under `target/wasm-floor/`, with
//! the workspace's lock file so it builds offline with the same
//! versions, and compiled with the site's profile.

use std::path::Path;

use anyhow::{Context, Result};

use crate::sh::{self, Env};
use crate::site;

/// The crate's manifest: the engine without `std`, as the web crate
/// takes it, and the web-release profile's settings.
fn manifest(engine: &Path) -> String {
    format!(
        r#"[package]
name = "wasm-floor"
version = "0.0.0"
edition = "2024"
publish = false

[lib]
path = "src/lib.rs"
crate-type = ["cdylib"]

[dependencies]
ackscope-engine = {{ path = {engine:?}, default-features = false }}

[profile.release]
lto = true
codegen-units = 1
panic = "abort"
opt-level = "z"

[workspace]
"#
    )
}

/// Builds the engine-only wasm, runs `wasm-opt -Oz` on it as Trunk runs it
/// on the site, and prints its size raw and gzipped as one line of JSON.
pub fn measure(env: &Env) -> Result<()> {
    let target = env.root.join("target");
    let dir = target.join("wasm-floor");
    let src = dir.join("src");
    std::fs::create_dir_all(&src).with_context(|| format!("creating {}", src.display()))?;
    std::fs::write(dir.join("Cargo.toml"), manifest(&env.root.join("engine")))?;
    std::fs::copy(env.root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    std::fs::copy(env.root.join("xtask/wasm_floor/lib.rs"), src.join("lib.rs"))?;
    let scenario = "stream-consumer-crash-claim.json";
    std::fs::copy(
        env.root.join("engine/scenarios").join(scenario),
        src.join(scenario),
    )?;
    sh::run(
        env.cargo(&["build", "--quiet", "--offline", "--release"])
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .args(["--target", "wasm32-unknown-unknown", "--target-dir"])
            .arg(&target),
    )?;
    let built = target.join("wasm32-unknown-unknown/release/wasm_floor.wasm");
    let optimized = dir.join("wasm_floor.opt.wasm");
    sh::run(
        env.cmd("wasm-opt")
            .arg("-Oz")
            .arg(&built)
            .arg("-o")
            .arg(&optimized),
    )?;
    let raw = std::fs::metadata(&optimized)?.len();
    let gzip = site::gzipped_len(env, &optimized)?;
    println!(
        "{{\"bench\": \"engine-wasm-floor\", \"wasm_kb\": {}, \"wasm_gzip_kb\": {}}}",
        site::kb(raw),
        site::kb(gzip)
    );
    Ok(())
}
