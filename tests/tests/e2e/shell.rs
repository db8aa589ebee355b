//! The app shell in a real browser: header, lab navigation, stage, clock bar,
//! and how it looks at two common screen sizes.
//!
//! They select by the agreed hooks (`header h1`, `nav[aria-label=Labs]`,
//! `data-lab`, `data-testid`), never by styling classes.

use ackscope_tests::e2e::{self, Page};
use ackscope_tests::lab::screenshot_fits;
use anyhow::{Result, ensure};

/// The labs in navigation order, by their `data-lab` slug.
const LABS: [&str; 4] = ["streams", "compare", "kafka", "guarantees"];

const NAV: &str = r#"nav[aria-label="Labs"]"#;

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn header_names_the_app() {
    e2e::run(|page| async move {
        let name = page.text("header h1").await?;
        ensure!(name.contains("ackscope"), "header h1 reads {name:?}");
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn navigation_offers_every_lab_in_order() {
    e2e::run(|page| async move {
        let entries = page.find_all(&format!("{NAV} [data-lab]")).await?;
        let mut slugs = Vec::new();
        for entry in &entries {
            let tag = entry.tag_name().await?;
            ensure!(
                tag == "button" || tag == "a",
                "a lab entry is a <{tag}>, not a button or link"
            );
            let name = page.accessible_name(entry).await?;
            ensure!(
                !name.trim().is_empty(),
                "a lab entry has no accessible name"
            );
            slugs.push(entry.attr("data-lab").await?.unwrap_or_default());
        }
        ensure!(slugs == LABS, "the labs offered are {slugs:?}");
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn choosing_a_lab_changes_the_stage() {
    e2e::run(|page| async move {
        // Start from the last lab, so that every click below changes the stage.
        page.click(&lab_entry(LABS[3])).await?;
        let mut shown = page.text("[data-testid=stage]").await?;
        for lab in LABS {
            page.click(&lab_entry(lab)).await?;
            let previous = shown.clone();
            shown = page
                .wait_for_text("[data-testid=stage]", |text| text != previous)
                .await?;
            check_pending_sentence(&page, lab).await?;
        }
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn clock_bar_controls_have_names() {
    e2e::run(|page| async move {
        let clock = page.find("[data-testid=clock]").await?;
        let mut names = Vec::new();
        for control in clock
            .find_all(fantoccini::Locator::Css(
                "button, select, input, [role=button], [role=slider]",
            ))
            .await?
        {
            names.push(page.accessible_name(&control).await?);
        }
        let named = |want: &str| names.iter().any(|name| name.trim() == want);
        ensure!(
            named("Play") || named("Pause"),
            "no Play or Pause control among {names:?}"
        );
        for want in ["Step", "Speed", "Reset"] {
            ensure!(named(want), "no {want} control among {names:?}");
        }
        let time = clock
            .find(fantoccini::Locator::Css("[data-testid=sim-time]"))
            .await?
            .text()
            .await?;
        ensure!(!time.trim().is_empty(), "the simulated time is blank");
        Ok(())
    });
}

#[test]
#[ignore = "needs the built site and chromedriver: run `cargo xtask test`"]
fn shell_screenshots() {
    e2e::run(|page| async move {
        page.find("[data-testid=clock]").await?;
        for (width, height) in [(1280, 800), (1920, 1080)] {
            screenshot_fits(&page, "shell", width, height).await?;
        }
        Ok(())
    });
}

fn lab_entry(lab: &str) -> String {
    format!("{NAV} [data-lab={lab}]")
}

/// A lab that is not built yet says what it will show, in one sentence.
async fn check_pending_sentence(page: &Page, lab: &str) -> Result<()> {
    if !page.exists("[data-testid=lab-pending]").await? {
        return Ok(());
    }
    let sentence = page.text("[data-testid=lab-pending]").await?;
    let sentence = sentence.trim();
    ensure!(
        sentence.ends_with('.') && !sentence[..sentence.len() - 1].contains(". "),
        "the {lab} lab's description is not one sentence: {sentence:?}"
    );
    Ok(())
}
