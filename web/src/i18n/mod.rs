//! Every word the site shows, one catalogue per language.
//!
//! A catalogue is a struct of `&'static str` fields rather than a key lookup,
//! so a language that lacks a string does not compile. Redis and Kafka terms
//! (XACK, consumer group, pending list, acks=all, …) keep their spelling in
//! every language: learners meet them verbatim in `redis-cli` and in configs.
//! Where a sentence names a command, a field or a setting literally, the
//! catalogue puts it in backticks and the view sets it in code type. Hyphenated
//! names that must not break across lines (at‑least‑once, in‑sync) use the
//! non-breaking hyphen U+2011.

mod en;
mod ko;

use yew::prelude::*;

use crate::lab::Lab;

/// A language the site speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// Every language, in the order the language switch lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The BCP 47 tag: the `lang` attribute of the page and of the switch.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's name in itself, so a reader can find their language
    /// whatever the page is currently in.
    pub const fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    /// The language for a BCP 47 tag such as `navigator.language`'s
    /// `ko-KR`: Korean for any `ko` tag, English for everything else.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The browser's preferred language, English if it cannot be read.
    pub fn from_browser() -> Lang {
        web_sys::window()
            .and_then(|window| window.navigator().language())
            .map_or(Lang::En, |tag| Lang::from_tag(&tag))
    }

    /// The catalogue of this language.
    pub const fn catalogue(self) -> &'static Catalogue {
        match self {
            Lang::En => &en::CATALOGUE,
            Lang::Ko => &ko::CATALOGUE,
        }
    }
}

/// What the site says about one lab.
#[derive(Debug, PartialEq, Eq)]
pub struct LabText {
    /// The lab's name in the navigation and as its heading.
    pub name: &'static str,
    /// One sentence on what the lab will show, until it is built. Literal
    /// terms are in backticks (see `components::Prose`).
    pub pending: &'static str,
}

/// Every user-visible string in one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Catalogue {
    /// The document title.
    pub page_title: &'static str,
    /// The line under the site's name.
    pub tagline: &'static str,
    /// Accessible name of the lab navigation.
    pub labs: &'static str,
    /// Accessible name of the language switch.
    pub language: &'static str,
    /// The Streams lab.
    pub streams: LabText,
    /// The queue / stream / pub/sub comparison lab.
    pub compare: LabText,
    /// The Kafka lab.
    pub kafka: LabText,
    /// The delivery guarantees lab.
    pub guarantees: LabText,
    /// The badge over a lab that is not built yet.
    pub not_built: &'static str,
    /// Accessible name of the clock bar.
    pub clock: &'static str,
    /// The Play button.
    pub play: &'static str,
    /// The Pause button (the Play button while playing).
    pub pause: &'static str,
    /// The Step button.
    pub step: &'static str,
    /// The Reset button.
    pub reset: &'static str,
    /// The Speed control.
    pub speed: &'static str,
    /// The label of the simulated time.
    pub sim_time: &'static str,
    /// Why Play, Step and Reset do nothing.
    pub no_scenario: &'static str,
}

impl Catalogue {
    /// What the site says about `lab`.
    pub const fn lab(&self, lab: Lab) -> &LabText {
        match lab {
            Lab::Streams => &self.streams,
            Lab::Compare => &self.compare,
            Lab::Kafka => &self.kafka,
            Lab::Guarantees => &self.guarantees,
        }
    }
}

/// The catalogue of the language the page is shown in, from the [`Lang`]
/// context the app provides (English outside of it).
#[hook]
pub fn use_catalogue() -> &'static Catalogue {
    use_context::<Lang>().unwrap_or_default().catalogue()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_tags_choose_korean_and_everything_else_english() {
        for (tag, lang) in [
            ("ko", Lang::Ko),
            ("ko-KR", Lang::Ko),
            ("KO_kr", Lang::Ko),
            ("en-US", Lang::En),
            ("kok", Lang::En),
            ("ja", Lang::En),
            ("", Lang::En),
        ] {
            assert_eq!(Lang::from_tag(tag), lang, "{tag:?}");
        }
    }

    #[test]
    fn every_string_is_filled_and_languages_differ_in_the_navigation() {
        for lang in Lang::ALL {
            let text = lang.catalogue();
            for lab in Lab::ALL {
                let LabText { name, pending } = text.lab(lab);
                assert!(!name.is_empty() && !pending.is_empty());
                assert_eq!(
                    pending.matches('`').count() % 2,
                    0,
                    "unpaired ` in {pending}"
                );
            }
        }
        let (en, ko) = (Lang::En.catalogue(), Lang::Ko.catalogue());
        assert_ne!(en.labs, ko.labs);
        assert_ne!(en.play, ko.play);
    }
}
