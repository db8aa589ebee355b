//! The classroom and the static site in a real browser: every lab loads
//! with a clean console under the site's Content-Security-Policy, nothing is
//! fetched from another origin, the help dialog, projection mode and the
//! theme switch.
//!
//! They select by the agreed hooks (`data-testid`, `role`, `data-*` on the
//! root), never by styling classes.

use std::time::Duration;

use ackscope_tests::e2e::{self, Page};
use ackscope_tests::lab;
use anyhow::{Context, Result, ensure};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};

/// The labs in navigation order, by their `data-lab` slug.
const LABS: [&str; 4] = ["streams", "compare", "kafka", "guarantees"];

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn every_lab_loads_with_a_clean_console() {
    e2e::run(|page| async move {
        page.find("[data-testid=stage]").await?;
        let csp = page
            .find(r#"meta[http-equiv="Content-Security-Policy"]"#)
            .await?
            .attr("content")
            .await?
            .unwrap_or_default();
        ensure!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline;"),
            "the page's policy is {csp:?}"
        );
        let inline = page
            .client()
            .execute(
                "return [...document.scripts].filter(s => !s.src).length;",
                vec![],
            )
            .await?;
        ensure!(inline.as_u64() == Some(0), "{inline} inline scripts");
        for lab in LABS {
            lab::open(&page, &format!("lab={lab}")).await?;
            // Play a moment, so the stage draws moving parts too.
            press(&page, ' ').await?;
            tokio::time::sleep(Duration::from_millis(800)).await;
            press(&page, ' ').await?;
            page.settle().await?;
            let errors = page.console_errors().await?;
            ensure!(errors.is_empty(), "the {lab} lab logged {errors:#?}");
            let foreign = off_origin_requests(&page).await?;
            ensure!(foreign.is_empty(), "the {lab} lab fetched {foreign:?}");
        }
        let icon = page
            .client()
            .execute(
                "const link = document.querySelector('link[rel=icon]');
                 return link ? fetch(link.href).then(r => r.status) : 0;",
                vec![],
            )
            .await?;
        ensure!(icon.as_u64() == Some(200), "the favicon answers {icon}");
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn question_mark_opens_the_shortcuts_and_escape_closes_them() {
    e2e::run(|page| async move {
        page.find("[data-testid=stage]").await?;
        ensure!(!dialog_open(&page).await?, "the help is open on arrival");
        press(&page, '?').await?;
        wait_for(&page, "the help to open", || dialog_open(&page)).await?;
        let dialog = page.find("dialog[data-testid=help]").await?;
        ensure!(
            dialog.attr("aria-modal").await?.as_deref() == Some("true"),
            "the help is not aria-modal"
        );
        let title = page.text("#help-title").await?;
        ensure!(
            page.accessible_name(&dialog).await? == title,
            "the help is not labelled by its heading"
        );
        let listed = dialog.text().await?;
        for key in [
            "Space", "→", "←", "+", "−", "Home", "Esc", "?", "F", "Enter",
        ] {
            ensure!(
                listed.contains(key),
                "the help does not list {key}: {listed}"
            );
        }
        let inside = page
            .client()
            .execute(
                "return !!document.activeElement.closest('dialog[data-testid=help]');",
                vec![],
            )
            .await?;
        ensure!(
            inside.as_bool() == Some(true),
            "the focus stayed outside the help"
        );
        // Keys inside the dialog are the dialog's: F does not project.
        press(&page, 'f').await?;
        press(&page, '\u{E00C}').await?; // Escape
        wait_for(&page, "the help to close", || async {
            Ok(!dialog_open(&page).await?)
        })
        .await?;
        ensure!(
            root_attr(&page, "data-projection").await?.as_deref() == Some("off"),
            "F inside the help turned projection on"
        );

        // The button opens it too, and closing gives the focus back to it.
        page.click("[data-testid=help-button]").await?;
        wait_for(&page, "the help to open", || dialog_open(&page)).await?;
        page.click("dialog[data-testid=help] .help__head button")
            .await?;
        wait_for(&page, "the help to close", || async {
            Ok(!dialog_open(&page).await?)
        })
        .await?;
        let back = page
            .client()
            .execute(
                "return document.activeElement.dataset.testid || document.activeElement.tagName;",
                vec![],
            )
            .await?;
        ensure!(back == "help-button", "the focus went back to {back}");

        // Korean: the same shortcuts, in Korean words.
        lab::open(&page, "lab=streams&lang=ko").await?;
        lab::emulate(&page, true, false).await?;
        press(&page, '?').await?;
        wait_for(&page, "the help to open", || dialog_open(&page)).await?;
        let korean = page.text("dialog[data-testid=help]").await?;
        ensure!(
            korean.contains("키보드 단축키") && korean.contains("스페이스"),
            "{korean}"
        );
        page.screenshot("help-ko-dark-1280x800", 1280, 800).await?;
        let errors = page.console_errors().await?;
        ensure!(errors.is_empty(), "the help logged {errors:#?}");
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn f_turns_projection_mode_on_and_off_across_labs() {
    e2e::run(|page| async move {
        page.find("[data-testid=stage]").await?;
        ensure!(root_attr(&page, "data-projection").await?.as_deref() == Some("off"));
        let size = |page: &Page| {
            let client = page.client().clone();
            async move {
                let px = client
                    .execute(
                        "return parseFloat(getComputedStyle(document.documentElement).fontSize);",
                        vec![],
                    )
                    .await?;
                px.as_f64().context("a font size")
            }
        };
        let before = size(&page).await?;
        press(&page, 'f').await?;
        wait_for(&page, "projection on", || async {
            Ok(root_attr(&page, "data-projection").await?.as_deref() == Some("on"))
        })
        .await?;
        ensure!(
            size(&page).await? > before,
            "projection mode kept the type size"
        );
        // The F key asked for full screen; the test's window is not a
        // room's screen, so it leaves full screen as Esc would, and
        // projection mode stays on.
        wait_for(&page, "full screen", || async {
            let full = page
                .client()
                .execute(
                    "return document.fullscreenElement === document.documentElement;",
                    vec![],
                )
                .await?;
            Ok(full.as_bool() == Some(true))
        })
        .await?;
        page.client()
            .execute("return document.exitFullscreen();", vec![])
            .await?;
        for part in ["[data-testid=console]", "[data-testid=event-log]"] {
            ensure!(
                !page.find(part).await?.is_displayed().await?,
                "{part} still shows in projection mode"
            );
        }
        ensure!(
            page.find("[data-testid=narration]")
                .await?
                .is_displayed()
                .await?,
            "the narration is folded away"
        );
        let button = page.find("[data-testid=projection]").await?;
        ensure!(button.attr("aria-pressed").await?.as_deref() == Some("true"));
        for lab in LABS {
            page.click(&format!(r#"nav[aria-label="Labs"] [data-lab={lab}]"#))
                .await?;
            // A few steps in, so the stage has something drawn.
            for _ in 0..6 {
                press(&page, '\u{E014}').await?; // →
            }
            page.settle().await?;
            ensure!(
                root_attr(&page, "data-projection").await?.as_deref() == Some("on"),
                "projection mode went off in the {lab} lab"
            );
            for (width, height) in [(1024, 768), (1920, 1080)] {
                lab::screenshot_fits(&page, &format!("projection-{lab}"), width, height).await?;
            }
        }
        page.click("[data-testid=projection]").await?;
        wait_for(&page, "projection off", || async {
            Ok(root_attr(&page, "data-projection").await?.as_deref() == Some("off"))
        })
        .await?;
        let errors = page.console_errors().await?;
        ensure!(errors.is_empty(), "projection mode logged {errors:#?}");
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_theme_switch_sets_and_keeps_the_theme() {
    e2e::run(|page| async move {
        page.find("[data-testid=theme]").await?;
        ensure!(root_attr(&page, "data-theme").await?.as_deref() == Some("system"));
        let background = |page: &Page| {
            let client = page.client().clone();
            async move {
                let bg = client
                    .execute(
                        "return getComputedStyle(document.body).backgroundColor;",
                        vec![],
                    )
                    .await?;
                Ok::<_, anyhow::Error>(bg.as_str().unwrap_or_default().to_owned())
            }
        };
        lab::emulate(&page, false, false).await?;
        let light = background(&page).await?;
        page.click("[data-testid=theme] [data-theme-option=dark]")
            .await?;
        wait_for(&page, "the dark theme", || async {
            Ok(root_attr(&page, "data-theme").await?.as_deref() == Some("dark"))
        })
        .await?;
        let dark = background(&page).await?;
        ensure!(dark != light, "the dark theme kept the background {light}");
        // Kept for the next visit.
        page.client().refresh().await?;
        page.find("[data-testid=theme]").await?;
        wait_for(&page, "the dark theme after a reload", || async {
            Ok(root_attr(&page, "data-theme").await?.as_deref() == Some("dark"))
        })
        .await?;
        // Light wins over a dark system.
        lab::emulate(&page, true, false).await?;
        page.click("[data-testid=theme] [data-theme-option=light]")
            .await?;
        wait_for(&page, "the light theme", || async {
            Ok(root_attr(&page, "data-theme").await?.as_deref() == Some("light"))
        })
        .await?;
        ensure!(
            background(&page).await? == light,
            "light in a dark system is not light"
        );
        page.click("[data-testid=theme] [data-theme-option=system]")
            .await?;
        wait_for(&page, "the system theme", || async {
            Ok(root_attr(&page, "data-theme").await?.as_deref() == Some("system"))
        })
        .await?;
        ensure!(
            background(&page).await? == dark,
            "system in a dark system is not dark"
        );
        let errors = page.console_errors().await?;
        ensure!(errors.is_empty(), "the theme switch logged {errors:#?}");
        Ok(())
    });
}

async fn dialog_open(page: &Page) -> Result<bool> {
    let open = page
        .client()
        .execute(
            "const d = document.querySelector('dialog[data-testid=help]'); return !!(d && d.open);",
            vec![],
        )
        .await?;
    Ok(open.as_bool() == Some(true))
}

async fn root_attr(page: &Page, name: &str) -> Result<Option<String>> {
    let value = page
        .client()
        .execute(
            "return document.documentElement.getAttribute(arguments[0]);",
            vec![serde_json::json!(name)],
        )
        .await?;
    Ok(value.as_str().map(str::to_owned))
}

/// Polls `ready` until it holds, for up to ten seconds.
async fn wait_for<F, Fut>(_page: &Page, what: &str, ready: F) -> Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !ready().await? {
        ensure!(
            tokio::time::Instant::now() < deadline,
            "waited in vain for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn the_site_works_offline_once_loaded() {
    e2e::run(|page| async move {
        page.find("[data-testid=stage]").await?;
        // The service worker has kept the site's files once it is active.
        let kept = kept_files(&page).await?;
        for want in ["_bg.wasm", ".js", ".css", ".svg", "boot.js"] {
            ensure!(
                kept.iter().any(|url| url.ends_with(want)),
                "no {want} among the kept files {kept:?}"
            );
        }
        ensure!(
            kept.iter().all(|url| url.contains(e2e::MOUNT)),
            "a kept file lies outside the site: {kept:?}"
        );
        page.go_offline();
        lab::open(&page, "lab=kafka").await?;
        page.find("[data-testid=clock]").await?;
        press(&page, '\u{E014}').await?;
        page.settle().await?;
        let errors = page.console_errors().await?;
        ensure!(errors.is_empty(), "the offline page logged {errors:#?}");
        // Offline indeed, the worker's own requests included: a file it
        // never kept cannot be had.
        let stranger = page
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('./not-kept-' + Date.now()).then(r => done('answered ' + r.status), () => done('failed'));",
                vec![],
            )
            .await?;
        ensure!(
            stranger == "failed",
            "offline, a file not kept was {stranger}"
        );
        Ok(())
    });
}

/// A new deploy reaches a reader who loaded the site before: on reload the
/// service worker (network first) gets the new index.html, the page runs
/// the new build's files, and the old build's files leave the cache.
#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn a_new_deploy_is_picked_up_and_the_old_build_leaves_the_cache() {
    // The server serves a copy of dist/, which the test redeploys.
    let served = tempfile::tempdir().expect("a scratch folder");
    copy_folder(&e2e::dist(), served.path()).expect("copying dist/");
    let folder = served.path().to_path_buf();
    e2e::run_on(served.path(), |page| async move {
        page.find("[data-testid=stage]").await?;
        let old = build_files(&std::fs::read_to_string(folder.join("index.html"))?);
        ensure!(
            old.len() >= 3,
            "the build names its script, wasm and style: {old:?}"
        );
        let kept = kept_files(&page).await?;
        ensure!(
            old.iter()
                .all(|f| kept.iter().any(|k| k.ends_with(&format!("/{f}")))),
            "the first build is not all kept: {old:?} in {kept:?}"
        );
        let new = deploy_again(&folder, &old)?;
        page.client().refresh().await?;
        page.find("[data-testid=stage]").await?;
        // The page runs the new build: its script tag names the new files,
        // and those are what it loaded.
        let js = page
            .client()
            .execute(
                "return document.querySelector('script[data-wasm]').dataset.js;",
                vec![],
            )
            .await?;
        let js = js.as_str().context("the script's data-js")?;
        ensure!(
            new.iter().any(|f| js.ends_with(f.as_str())),
            "the page runs {js}"
        );
        let loaded = page
            .client()
            .execute(
                "return performance.getEntriesByType('resource').map(e => e.name);",
                vec![],
            )
            .await?;
        let loaded = strings(&loaded)?;
        for file in &new {
            ensure!(
                loaded.iter().any(|n| n.ends_with(&format!("/{file}"))),
                "{file} not loaded: {loaded:?}"
            );
        }
        // The cache now holds the new build and none of the old one.
        let (cache, new, old) = (&page, &new, &old);
        wait_for(
            &page,
            "the cache to hold only the new build",
            || async move {
                let kept = kept_files(cache).await?;
                let has = |f: &String| kept.iter().any(|k| k.ends_with(&format!("/{f}")));
                Ok(new.iter().all(has) && !old.iter().any(has))
            },
        )
        .await?;
        let errors = page.console_errors().await?;
        ensure!(errors.is_empty(), "the new build logged {errors:#?}");
        Ok(())
    });
}

/// The URLs the service worker keeps, once it is active.
async fn kept_files(page: &Page) -> Result<Vec<String>> {
    let keys = page
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.ready
                 .then(r => caches.open('ackscope'))
                 .then(c => c.keys())
                 .then(keys => done(keys.map(k => k.url)));",
            vec![],
        )
        .await?;
    strings(&keys)
}

/// A list of strings the page returned.
fn strings(list: &serde_json::Value) -> Result<Vec<String>> {
    Ok(list
        .as_array()
        .context("a list")?
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect())
}

/// The hashed files a build's `index.html` names: its script, its wasm and
/// its style (not `boot.js` and `sw.js`, which keep their names).
fn build_files(index: &str) -> Vec<String> {
    let mut files: Vec<String> = index
        .split("\"./")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|name| {
            [".js", ".wasm", ".css"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .filter(|name| !["boot.js", "sw.js"].contains(name))
        .map(str::to_owned)
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Deploys a new build into `folder`, as a static host's deploy does: the
/// files of the build `old` under new hashed names, an `index.html` that
/// names them, and the old files gone. Returns the new names.
fn deploy_again(folder: &std::path::Path, old: &[String]) -> Result<Vec<String>> {
    let mut index = std::fs::read_to_string(folder.join("index.html"))?;
    let mut new = Vec::new();
    for file in old {
        let renamed = format!("next-{file}");
        std::fs::rename(folder.join(file), folder.join(&renamed))?;
        index = index.replace(&format!("./{file}\""), &format!("./{renamed}\""));
        new.push(renamed);
    }
    std::fs::write(folder.join("index.html"), index)?;
    Ok(new)
}

fn copy_folder(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_folder(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Every resource the page loaded whose origin is not the page's.
async fn off_origin_requests(page: &Page) -> Result<Vec<String>> {
    let names = page
        .client()
        .execute(
            "return performance.getEntriesByType('resource')
                 .map(e => e.name)
                 .filter(n => new URL(n).origin !== location.origin);",
            vec![],
        )
        .await?;
    strings(&names)
}

/// Presses and releases `key` wherever the focus is, as a reader would.
async fn press(page: &Page, key: char) -> Result<()> {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    page.client().perform_actions(keys).await?;
    Ok(())
}
