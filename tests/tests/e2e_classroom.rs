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
    Ok(names
        .as_array()
        .context("a list")?
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect())
}

/// Presses and releases `key` wherever the focus is, as a reader would.
async fn press(page: &Page, key: char) -> Result<()> {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    page.client().perform_actions(keys).await?;
    Ok(())
}
