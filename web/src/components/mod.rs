//! The page's components, one per thing on screen. Each takes what it
//! shows as props and reports what the user did through `on…` callbacks;
//! the state lives in the app's one reducer.

mod cli;
mod clock_bar;
mod compare_lab;
mod console;
mod event_log;
mod fault_bar;
pub mod guarantees;
mod guarantees_lab;
mod icon;
mod inspector;
mod lab_head;
mod lab_nav;
mod lab_panel;
mod lang_switch;
mod masthead;
mod narration;
mod notice;
mod prose;
mod run_picker;
mod said;
mod scrubber;
pub mod stage;
mod streams_lab;

pub use cli::{CliExchange, CliExchangeProps};
pub use clock_bar::{ClockBar, ClockBarProps, RunFacts};
pub use compare_lab::{CompareLab, CompareLabProps};
pub use console::{Console, ConsoleProps};
pub use event_log::{EventLog, EventLogProps};
pub use fault_bar::{FaultBar, FaultBarProps, FaultTarget};
pub use guarantees_lab::{GuaranteesLab, GuaranteesLabProps};
pub use icon::{Glyph, Icon, IconProps};
pub use inspector::{Inspector, InspectorProps};
pub use lab_head::{LabHead, LabHeadProps};
pub use lab_nav::{LabNav, LabNavProps};
pub use lab_panel::{LabPanel, LabPanelProps};
pub use lang_switch::{LangSwitch, LangSwitchProps};
pub use masthead::{Masthead, MastheadProps};
pub use narration::{Narration, NarrationProps};
pub use notice::{NoticeBar, NoticeBarProps};
pub use prose::{Prose, ProseProps};
pub use run_picker::{RunPicker, RunPickerProps};
pub use said::{Said, SaidProps};
pub use scrubber::{Scrubber, ScrubberProps};
pub use streams_lab::{StreamsLab, StreamsLabProps};
