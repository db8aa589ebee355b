//! The shell's components, one per thing on screen. Each takes what it shows
//! as props and reports what the user did through `on…` callbacks; none of
//! them holds state of its own.

mod clock_bar;
mod icon;
mod lab_nav;
mod lab_panel;
mod lang_switch;
mod masthead;
mod prose;

pub use clock_bar::{ClockBar, ClockBarProps};
pub use icon::{Glyph, Icon, IconProps};
pub use lab_nav::{LabNav, LabNavProps};
pub use lab_panel::{LabPanel, LabPanelProps};
pub use lang_switch::{LangSwitch, LangSwitchProps};
pub use masthead::{Masthead, MastheadProps};
pub use prose::{Prose, ProseProps};
