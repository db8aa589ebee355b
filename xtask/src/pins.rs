//! The tool versions the repository pins, read from the files that pin them so
//! that there is one source of truth per version.
//!
//! - wasm-bindgen: Cargo.lock. The CLI must be exactly the library's version,
//!   or the generated JS does not match the wasm.
//! - wasm-opt: Trunk.toml's `[tools] wasm_opt`. Trunk downloads its own copy
//!   unless the one on PATH reports exactly this version.
//! - Trunk: [`TRUNK`], since newer Trunks need a newer rustc than ours.

use anyhow::{Context, Result, bail, ensure};

/// The Trunk we install: 0.22 needs rustc 1.96.1, and 0.21.14 only builds with
/// its own lock file (`--locked`).
pub const TRUNK: &str = "0.21.14";

/// The versions `cargo xtask` installs, as read from the repository.
#[derive(Debug, PartialEq, Eq)]
pub struct Pins {
    /// `wasm-bindgen` in Cargo.lock, e.g. `0.2.130`.
    pub wasm_bindgen: String,
    /// npm's `binaryen` major version, e.g. `132`.
    pub binaryen: String,
}

impl Pins {
    /// Reads Cargo.lock and Trunk.toml, and checks that Trunk.toml pins the
    /// same wasm-bindgen as Cargo.lock (otherwise Trunk would try to download).
    pub fn parse(cargo_lock: &str, trunk_toml: &str) -> Result<Pins> {
        let wasm_bindgen = locked_version(cargo_lock, "wasm-bindgen")?;
        let trunk_wasm_bindgen = trunk_tool(trunk_toml, "wasm_bindgen")?;
        ensure!(
            trunk_wasm_bindgen == wasm_bindgen,
            "Trunk.toml pins wasm_bindgen = \"{trunk_wasm_bindgen}\" but Cargo.lock has \
             wasm-bindgen {wasm_bindgen}: set `wasm_bindgen = \"{wasm_bindgen}\"` in Trunk.toml"
        );
        let wasm_opt = trunk_tool(trunk_toml, "wasm_opt")?;
        let binaryen = wasm_opt
            .strip_prefix("version_")
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .with_context(|| {
                format!("Trunk.toml: wasm_opt = \"{wasm_opt}\" is not of the form \"version_N\"")
            })?
            .to_string();
        Ok(Pins {
            wasm_bindgen,
            binaryen,
        })
    }
}

/// The one version of `package` in a Cargo.lock; two versions are an error,
/// since we could not say which CLI to install.
pub fn locked_version(cargo_lock: &str, package: &str) -> Result<String> {
    let mut versions = Vec::new();
    for block in cargo_lock.split("[[package]]").skip(1) {
        if toml_value(block, "name") == Some(package) {
            let version = toml_value(block, "version")
                .with_context(|| format!("Cargo.lock: `{package}` has no version"))?;
            versions.push(version.to_string());
        }
    }
    match versions.as_slice() {
        [version] => Ok(version.clone()),
        [] => bail!("Cargo.lock has no `{package}` package"),
        _ => bail!(
            "Cargo.lock has several `{package}` versions ({}): pin one",
            versions.join(", ")
        ),
    }
}

/// A string under `[tools]` in Trunk.toml.
pub fn trunk_tool(trunk_toml: &str, key: &str) -> Result<String> {
    let tools = trunk_toml
        .split("\n[")
        .find(|section| section.trim_start_matches('[').starts_with("tools]"))
        .context("Trunk.toml has no [tools] section pinning wasm_bindgen and wasm_opt")?;
    toml_value(tools, key)
        .map(str::to_string)
        .with_context(|| format!("Trunk.toml: [tools] does not pin `{key}`"))
}

/// The quoted value of `key = "value"` among the lines of one TOML table.
/// Enough for Cargo.lock and Trunk.toml, which cargo and we write plainly.
fn toml_value<'a>(table: &'a str, key: &str) -> Option<&'a str> {
    table.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        if k.trim() != key {
            return None;
        }
        let v = v.split('#').next()?.trim();
        v.strip_prefix('"')?.strip_suffix('"')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]
"#;

    const TRUNK_TOML: &str = r#"
[build]
target = "index.html"
offline = true

[tools]
wasm_bindgen = "0.2.130"   # = `wasm-bindgen --version`
wasm_opt = "version_132"

[serve]
port = 8080
"#;

    #[test]
    fn reads_the_pins() {
        let pins = Pins::parse(LOCK, TRUNK_TOML).unwrap();
        assert_eq!(
            pins,
            Pins {
                wasm_bindgen: "0.2.130".into(),
                binaryen: "132".into()
            }
        );
    }

    #[test]
    fn locked_version_matches_the_name_exactly() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(locked_version(LOCK, "wasm-bindgen-cli").is_err());
    }

    #[test]
    fn two_locked_versions_are_an_error() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        let error = locked_version(&lock, "wasm-bindgen").unwrap_err();
        assert!(error.to_string().contains("0.2.130, 0.2.99"), "{error}");
    }

    #[test]
    fn trunk_and_lock_must_agree() {
        let toml = TRUNK_TOML.replace("0.2.130", "0.2.100");
        let error = Pins::parse(LOCK, &toml).unwrap_err();
        assert!(
            error.to_string().contains("wasm_bindgen = \"0.2.130\""),
            "{error}"
        );
    }

    #[test]
    fn wasm_opt_pin_must_be_a_binaryen_version() {
        let toml = TRUNK_TOML.replace("version_132", "132");
        assert!(Pins::parse(LOCK, &toml).is_err());
    }

    #[test]
    fn only_the_tools_table_counts() {
        let toml = "[build]\nwasm_opt = \"version_1\"\n";
        assert!(trunk_tool(toml, "wasm_opt").is_err());
    }
}
