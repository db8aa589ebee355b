//! Every callback the page's components are given, made once per page.
//!
//! A callback made afresh in each render is a new value, so every
//! component given one would render again every frame while the clock
//! plays — the whole stage included. Made once, they compare equal and
//! Yew skips what did not change.

use ackscope_engine::scenario::{FaultKind, KafkaSetting, RedisSetting, Setting, WorkloadSetting};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::lab::Lab;
use crate::run::BranchSpec;
use crate::state::{Action, ScheduleEdit, Selection, State};
use crate::theme::Theme;

/// The page's callbacks, each sending one kind of [`Action`].
#[derive(Clone, PartialEq)]
pub struct Handlers {
    /// Any action.
    pub act: Callback<Action>,
    /// An animation frame's time.
    pub frame: Callback<f64>,
    /// The language switch.
    pub lang: Callback<Lang>,
    /// The lab navigation.
    pub lab: Callback<Lab>,
    /// The reduced-motion preference.
    pub reduced_motion: Callback<bool>,
    /// The scenario menu.
    pub load: Callback<String>,
    /// The seed field.
    pub seed: Callback<u64>,
    /// Removing the user's commands and faults.
    pub clear: Callback<()>,
    /// Hiding the notice.
    pub dismiss: Callback<()>,
    /// Picking something on the stage.
    pub select: Callback<Selection>,
    /// Closing the inspector.
    pub unselect: Callback<()>,
    /// A fault button.
    pub fault: Callback<(FaultKind, String)>,
    /// A console command.
    pub console: Callback<String>,
    /// A Kafka setting changed.
    pub kafka_setting: Callback<KafkaSetting>,
    /// Back to the scenario's own Kafka settings.
    pub kafka_own: Callback<()>,
    /// The Compare lab's cluster toggle.
    pub redis_setting: Callback<RedisSetting>,
    /// The timeline.
    pub seek: Callback<u64>,
    /// "Branch here", or taking the branch away.
    pub branch: Callback<Option<BranchSpec>>,
    /// The help button.
    pub help: Callback<()>,
    /// Closing the help dialog.
    pub close_help: Callback<()>,
    /// The projection-mode button.
    pub projection: Callback<()>,
    /// The theme switch.
    pub theme: Callback<Theme>,
    /// A lesson picked in the Lessons menu.
    pub lesson: Callback<String>,
    /// A workload setting from the Guarantees lab's editor.
    pub workload: Callback<WorkloadSetting>,
    /// A change to the fault schedule.
    pub schedule: Callback<ScheduleEdit>,
    /// Back to the scenario's own workload and schedule.
    pub own_workload: Callback<()>,
}

impl Handlers {
    /// The callbacks that send their actions to `act`.
    pub fn new(act: Callback<Action>) -> Handlers {
        Handlers {
            frame: act.reform(Action::Frame),
            lang: act.reform(Action::SetLang),
            lab: act.reform(Action::OpenLab),
            reduced_motion: act.reform(Action::SetReducedMotion),
            load: act.reform(Action::Load),
            seed: act.reform(Action::SetSeed),
            clear: act.reform(|()| Action::ClearInjections),
            dismiss: act.reform(|()| Action::DismissNotice),
            select: act.reform(|selection| Action::Select(Some(selection))),
            unselect: act.reform(|()| Action::Select(None)),
            fault: act.reform(|(kind, worker)| Action::Fault(kind, worker)),
            kafka_setting: act.reform(|s| Action::Set(Setting::Kafka(s))),
            kafka_own: act.reform(|()| Action::OwnSettings),
            redis_setting: act.reform(|s| Action::Set(Setting::Redis(s))),
            console: act.reform(Action::Console),
            seek: act.reform(Action::Seek),
            branch: act.reform(Action::Branch),
            help: act.reform(|()| Action::ToggleHelp),
            close_help: act.reform(|()| Action::CloseHelp),
            projection: act.reform(|()| Action::ToggleProjection),
            theme: act.reform(Action::SetTheme),
            lesson: act.reform(Action::OpenLesson),
            workload: act.reform(|s| Action::Set(Setting::Workload(s))),
            schedule: act.reform(Action::Schedule),
            own_workload: act.reform(|()| Action::OwnWorkload),
            act,
        }
    }
}

/// The page's handlers, made once from the reducer's dispatcher.
#[hook]
pub fn use_handlers(state: &UseReducerHandle<State>) -> std::rc::Rc<Handlers> {
    use_memo(state.dispatcher(), |dispatcher| {
        let dispatcher = dispatcher.clone();
        Handlers::new(Callback::from(move |action| dispatcher.dispatch(action)))
    })
}
