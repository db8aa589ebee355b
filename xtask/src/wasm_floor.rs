//! `engine-wasm-floor`: the size of a wasm holding only the engine, the
//! least any one lab's wasm could weigh (`xtask/wasm-floor/src/lib.rs`
//! says what it holds), built with the site's profile.

use anyhow::Result;

use crate::sh::{self, Env};
use crate::site;

/// Builds the engine-only wasm, runs `wasm-opt -Oz` on it as Trunk runs it
/// on the site, and prints its size raw and gzipped as one line of JSON.
pub fn measure(env: &Env) -> Result<()> {
    sh::run(&mut env.cargo(&[
        "build",
        "--quiet",
        "--offline",
        "--profile",
        "web-release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "wasm-floor",
    ]))?;
    let out = env.target_dir().join("wasm32-unknown-unknown/web-release");
    let built = out.join("wasm_floor.wasm");
    let optimized = out.join("wasm_floor.opt.wasm");
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
