//! The site: `trunk build` into `dist/` and `trunk serve`, both offline so that
//! Trunk uses the tools `install` put on PATH and never downloads its own.

use anyhow::{Context, Result, ensure};

use crate::sh::{self, Env};

/// Compiles the site's wasm exactly as Trunk's build does first (the same
/// `cargo build` arguments, so Trunk then finds it up to date and only
/// runs wasm-bindgen and wasm-opt). `cargo xtask test` runs it while Trunk
/// itself may still be compiling in the background: the wasm's compile is
/// mostly one core's link-time optimization, so the two share the machine.
pub fn compile_wasm(env: &Env) -> Result<()> {
    sh::run(&mut env.cargo(&["fetch", "--quiet"]))?;
    let manifest = env.root.join("web").join("Cargo.toml");
    sh::run(
        env.cargo(&[
            "build",
            "--target=wasm32-unknown-unknown",
            "--manifest-path",
        ])
        .arg(manifest)
        .args([
            "--profile",
            "web-release",
            "--offline",
            "--bin",
            "ackscope-web",
        ]),
    )
}

/// Builds the release site into `dist/` and checks that it links its files
/// relatively, so it works from any subpath of any static host.
pub fn build(env: &Env) -> Result<()> {
    // Offline Trunk runs `cargo build --offline`: the crates must be here first.
    sh::run(&mut env.cargo(&["fetch", "--quiet"]))?;
    sh::run(env.cmd("trunk").args(["build", "--release", "--offline"]))?;
    let dist = env.root.join("dist");
    let index = dist.join("index.html");
    let html =
        std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let absolute = root_relative_urls(&html);
    ensure!(
        absolute.is_empty(),
        "{} links {} from the host's root, which breaks under a subpath: \
         keep `public_url = \"./\"` in Trunk.toml",
        index.display(),
        absolute.join(", ")
    );
    println!("site built into {}", dist.display());
    Ok(())
}

/// Prints what a visitor downloads to run the site, as one line of JSON:
/// the wasm and the JavaScript Trunk wrote into `dist/`, raw and
/// compressed by `gzip -9` (what a static host sends), in KB. The
/// performance issue's size target counts wasm + js, gzipped.
pub fn size(env: &Env) -> Result<()> {
    let dist = env.root.join("dist");
    let (mut raw, mut gzip) = ((0, 0), (0, 0));
    for entry in std::fs::read_dir(&dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        let slot = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => 0,
            Some("js") if !matches!(path.file_name().and_then(|n| n.to_str()), Some("sw.js")) => 1,
            _ => continue,
        };
        let bytes = std::fs::metadata(&path)?.len();
        let zipped = gzipped_len(env, &path)?;
        if slot == 0 {
            raw.0 += bytes;
            gzip.0 += zipped;
        } else {
            raw.1 += bytes;
            gzip.1 += zipped;
        }
    }
    println!(
        "{{\"bench\": \"site-size\", \"wasm_kb\": {}, \"js_kb\": {}, \"wasm_gzip_kb\": {}, \"js_gzip_kb\": {}, \"total_gzip_kb\": {}}}",
        kb(raw.0),
        kb(raw.1),
        kb(gzip.0),
        kb(gzip.1),
        kb(gzip.0 + gzip.1)
    );
    Ok(())
}

/// How many bytes `gzip -9` makes of the file at `path` (what a static
/// host sends).
pub fn gzipped_len(env: &Env, path: &std::path::Path) -> Result<u64> {
    let out = env
        .cmd("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .context("gzip -9 (is gzip installed?)")?;
    ensure!(out.status.success(), "gzip -9 {} failed", path.display());
    Ok(out.stdout.len() as u64)
}

/// Bytes as KB with one decimal, as the benchmarks print sizes.
pub fn kb(bytes: u64) -> f64 {
    (bytes as f64 / 1024.0 * 10.0).round() / 10.0
}

/// Serves the site on 127.0.0.1, rebuilding when a source file changes.
pub fn serve(env: &Env, port: Option<u16>) -> Result<()> {
    sh::run(&mut env.cargo(&["fetch", "--quiet"]))?;
    let mut trunk = env.cmd("trunk");
    trunk.args(["serve", "--offline", "--address", "127.0.0.1"]);
    if let Some(port) = port {
        trunk.args(["--port", &port.to_string()]);
    }
    // Serving runs until the user stops it; stdin stays with the terminal.
    trunk.stdin(std::process::Stdio::inherit());
    sh::run(&mut trunk)
}

/// URLs in `html` that start with `/`: in attributes (`src="/app.js"`), and in
/// the module script Trunk writes (`from '/app.js'`, `module_or_path: '/app.wasm'`).
/// A closing quote followed by `/` (`<link href="a.css"/>`) is not a URL.
fn root_relative_urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, quote) in html.match_indices(['"', '\'']) {
        let value = &html[at + 1..];
        if !value.starts_with('/') {
            continue;
        }
        let before = html[..at].trim_end();
        let opens_value = before.ends_with(['=', '(', ':', ','])
            || before.ends_with("from")
            || before.ends_with("import");
        if opens_value {
            let end = value.find(quote).unwrap_or(value.len());
            found.push(value[..end].to_string());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::root_relative_urls;

    #[test]
    fn relative_site_passes() {
        let html = r#"<link rel="stylesheet" href="./style-1a2b.css" integrity="sha384-x"/>
<link rel="modulepreload" href="./ackscope-web-3c4d.js" crossorigin="anonymous">
<script type="module">
import init, * as bindings from './ackscope-web-3c4d.js';
const wasm = await init({ module_or_path: './ackscope-web-3c4d_bg.wasm' });
</script><body></body>"#;
        assert_eq!(root_relative_urls(html), Vec::<String>::new());
    }

    #[test]
    fn root_relative_urls_are_found() {
        let html = r#"<link href="/style.css"/>
<script type="module">
import init from '/app.js';
await init({ module_or_path: '/app_bg.wasm' });
</script>"#;
        assert_eq!(
            root_relative_urls(html),
            ["/style.css", "/app.js", "/app_bg.wasm"]
        );
    }
}
