//! The reader's choice of theme, and where the page keeps it.
//!
//! The page follows the system's light or dark preference unless the
//! reader picks one; the choice is kept in `localStorage`, which a browser
//! may refuse (private windows, blocked storage): then it lasts as long as
//! the page.

/// Light, dark, or whatever the system prefers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// `prefers-color-scheme` decides.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The `localStorage` key of the choice.
pub const STORAGE_KEY: &str = "ackscope.theme";

impl Theme {
    /// Every choice, in the order the switch lists them.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The value of the root's `data-theme` and of the stored choice.
    pub const fn attr(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The theme an attribute or a stored value names; `System` for
    /// anything else, so a stale or edited value is harmless.
    pub fn from_attr(value: &str) -> Theme {
        Theme::ALL
            .into_iter()
            .find(|theme| theme.attr() == value)
            .unwrap_or_default()
    }

    /// The stored choice, `System` if there is none or storage is refused.
    pub fn stored() -> Theme {
        storage()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
            .map_or(Theme::System, |value| Theme::from_attr(&value))
    }

    /// Keeps this choice for the next visit, if the browser lets the page.
    pub fn store(self) {
        if let Some(storage) = storage() {
            // Refused (quota, blocked): the choice lasts as long as the page.
            let _ = storage.set_item(STORAGE_KEY, self.attr());
        }
    }
}

/// `localStorage`, when the browser lets the page use it (reading the
/// property itself throws where storage is blocked).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::Theme;

    #[test]
    fn attributes_round_trip_and_strangers_mean_system() {
        for theme in Theme::ALL {
            assert_eq!(Theme::from_attr(theme.attr()), theme);
        }
        for value in ["", "Dark", "sepia", "light "] {
            assert_eq!(Theme::from_attr(value), Theme::System, "{value:?}");
        }
    }
}
