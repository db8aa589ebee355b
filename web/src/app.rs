//! The app: the page's state, its ties to the browser, and the components
//! laid out around it.

use yew::prelude::*;

use crate::bench::{Bench, BenchProbe};
use crate::clock::Clock;
use crate::components::{
    ClockBar, CompareLab, GuaranteesLab, HelpDialog, KafkaLab, LabNav, LabPanel, LangSwitch,
    LessonCard, LessonsMenu, Masthead, PageTools, RunFacts, StreamsLab,
};
use crate::handlers::use_handlers;
use crate::hooks::{
    fragment, use_clock_keys, use_document_language, use_frames, use_link, use_reduced_motion,
    use_root_modes, use_stage_mark,
};
use crate::i18n::Lang;
use crate::lab::Lab;
use crate::link::Link;
use crate::marks::Marks;
use crate::motion::travel_ms;
use crate::run::Run;
use crate::shared::{Latest, Shared};
use crate::state::State;
use crate::theme::Theme;

/// The whole page. It owns the one [`State`], restored from the URL
/// fragment, and provides the language to every component below it as a
/// [`Lang`] context.
#[component]
pub fn App() -> Html {
    let bench = use_memo((), |_| Bench::from_fragment(&fragment()));
    let state = use_reducer(|| {
        let mut state = match &*bench {
            Some(bench) => bench.state(Lang::from_browser()),
            None => State::from_link(Lang::from_browser(), Link::parse(&fragment())),
        };
        state.theme = Theme::stored();
        state
    });
    let handlers = use_handlers(&state);
    // The run at the cursor, for what reads it only when the reader acts.
    let latest = use_memo((), |_| Latest::<Option<Run>>::default());
    latest.set(state.run.clone());
    let on_action = handlers.act.clone();
    use_document_language(state.lang);
    use_root_modes(state.projection, state.theme);
    use_frames(state.clock.playing, handlers.frame.clone());
    use_clock_keys(on_action.clone());
    use_reduced_motion(handlers.reduced_motion.clone());
    use_stage_mark(state.run.is_some());
    // A benchmark's page is not a place to share: its URL stays as it is.
    // While the clock plays the URL is not rewritten (see `use_link`), so
    // the link is not built on every frame either.
    let link = match &*bench {
        None if !state.clock.playing => state.link(),
        _ => Link::default(),
    };
    use_link(
        link,
        state.clock.playing || bench.is_some(),
        on_action.clone(),
    );
    // The run's facts change with the run, not with its clock: made once
    // per run rather than on every frame (its fingerprint is printed in hex).
    let facts = use_memo(state.run.as_ref().map(Run::id), |_| {
        state.run.as_ref().map(|run| RunFacts {
            seed: run.seed(),
            fingerprint: run.fingerprint(),
            marks: Shared(std::rc::Rc::new(Marks::of(run))),
        })
    });
    let facts = (*facts).clone();
    let clock = html! {
        <ClockBar can_run={state.can_run()} on_action={on_action.clone()} run={facts} />
    };
    let lab = match (&state.run, state.lab) {
        (Some(run), Lab::Streams) => html! {
            <StreamsLab
                run={run.clone()}
                motion={state.motion}
                travel_ms={travel_ms(state.clock.speed)}
                flights={state.flights.clone()}
                selection={state.selection.clone()}
                notice={state.notice.clone()}
                playing={state.clock.playing}
                handlers={Shared(std::rc::Rc::clone(&handlers))}
            >
                { clock }
            </StreamsLab>
        },
        (Some(run), Lab::Compare) => html! {
            <CompareLab
                run={run.clone()}
                motion={state.motion}
                notice={state.notice.clone()}
                playing={state.clock.playing}
                handlers={Shared(std::rc::Rc::clone(&handlers))}
            >
                { clock }
            </CompareLab>
        },
        (Some(run), Lab::Kafka) => html! {
            <KafkaLab
                run={run.clone()}
                notice={state.notice.clone()}
                playing={state.clock.playing}
                selection={state.selection.clone()}
                handlers={Shared(std::rc::Rc::clone(&handlers))}
            >
                { clock }
            </KafkaLab>
        },
        (Some(run), Lab::Guarantees) => html! {
            <GuaranteesLab
                run={run.clone()}
                notice={state.notice.clone()}
                playing={state.clock.playing}
                handlers={Shared(std::rc::Rc::clone(&handlers))}
            >
                { clock }
            </GuaranteesLab>
        },
        (_, lab) => html! { <LabPanel {lab}>{ clock }</LabPanel> },
    };
    html! {
        <ContextProvider<Lang> context={state.lang}>
        <ContextProvider<Latest<Option<Run>>> context={(*latest).clone()}>
        // The clock bar's clock: only the bar reads it (see `ClockBarProps`).
        <ContextProvider<Clock> context={state.clock.clone()}>
            <div class={classes!("shell", state.lesson.is_some().then_some("shell--lesson"))}>
                <Masthead>
                    <PageTools
                        projection={state.projection}
                        theme={state.theme}
                        on_help={handlers.help.clone()}
                        on_projection={handlers.projection.clone()}
                        on_theme={handlers.theme.clone()}
                    />
                    <LangSwitch active={state.lang} on_select={handlers.lang.clone()} />
                </Masthead>
                // The labs, and the Lessons menu at the end of their row.
                <div class="navbar">
                    <LabNav active={state.lab} on_select={handlers.lab.clone()} />
                    <LessonsMenu active={state.lesson.as_ref().map(|l| AttrValue::from(l.lesson.id.clone()))}
                        on_open={handlers.lesson.clone()} />
                </div>
                { lab }
                if let (Some(at), Some(run)) = (&state.lesson, &state.run) {
                    <LessonCard at={at.clone()} run={run.clone()} on_action={on_action.clone()} />
                }
                <HelpDialog open={state.help} on_close={handlers.close_help.clone()} />
                if let Some(bench) = &*bench {
                    <BenchProbe bench={bench.clone()} playing={state.clock.playing} on_action={on_action.clone()} />
                }
            </div>
        </ContextProvider<Clock>>
        </ContextProvider<Latest<Option<Run>>>>
        </ContextProvider<Lang>>
    }
}
