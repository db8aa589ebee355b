//! Benchmarks the browser runs, for `cargo xtask bench`.
//!
//! - `#bench=frames` (optionally `&frames=N`, default 600): a lab plays at
//!   1× and the page measures N frame times after a warm-up: the gaps
//!   between the frames' start times (the timestamp requestAnimationFrame
//!   hands its callbacks, the same for every callback of one frame), how
//!   many frames the browser dropped, and, for comparison, the gaps
//!   between the moments our callback ran (`performance.now()`), which add
//!   the jitter of where in the frame the browser got to it. Alone, it
//!   plays the Streams lab on a run with 300 entries on the tape and six
//!   consumers; followed by a share link's keys (`lab`, `scenario`, `t`…:
//!   `#bench=frames&lab=guarantees&scenario=guarantees-side-by-side`), it
//!   opens that link as a visitor would and plays it from there, so every
//!   lab is measured with the components its users see. A run that ends
//!   before the last frame is played again from its start, as Play does
//!   at the end, and the result says how often (`replays`).
//! - `#bench=seek` (optionally `&messages=N`, default 100000, at most
//!   1000000, and `&seeks=N`, default 100): runs the seek benchmark's
//!   scenario (`engine/benches/large.json`, scaled to N messages) and
//!   measures N random seeks, each the engine restoring the world and
//!   projecting the stage view; and says how large the wasm memory grew.
//!
//! Both write one JSON object into `[data-testid=bench-result]` when done:
//! `{"bench":"frames","lab":…,"scenario":…,"frames":…,"p50_ms":…,…}`.

use std::cell::RefCell;
use std::rc::Rc;

use ackscope_engine::rng::Rng;
use ackscope_engine::scenario::Scenario;
use ackscope_engine::sim::{Timeline, What};
use gloo_render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::lab::Lab;
use crate::link::{Link, parse_u64};
use crate::run::{Run, instant};
use crate::state::{Action, State};

/// A run with 300 entries visible and six consumers, busy every frame.
const FRAMES_SCENARIO: &str = include_str!("bench_frames.json");
/// The engine's seek benchmark scenario (100,000 messages).
const SEEK_SCENARIO: &str = include_str!("../../engine/benches/large.json");
/// Where the frames benchmark starts: the tape holds 300 entries by then.
const FRAMES_FROM_MS: u64 = 3000;
/// Frames played before measuring, so start-up work is not counted.
const WARM_UP: u32 = 30;
/// The frame interval the browser aims at: headless Chromium draws at
/// 60 Hz. Dropped frames are counted against it, not against the
/// measured median, which is itself two intervals when most frames drop.
const FRAME_MS: f64 = 1000.0 / 60.0;

/// Which benchmark the page runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Bench {
    /// Play and measure frame times.
    Frames {
        /// Frames measured.
        frames: u32,
        /// The lab, run and moment to play, as a share link names them
        /// (`None`: the Streams lab's 300-entry benchmark run).
        link: Option<Box<Link>>,
    },
    /// Run a large scenario and measure seeks.
    Seek {
        /// Messages in the run.
        messages: u32,
        /// Seeks measured.
        seeks: u32,
    },
}

impl Bench {
    /// The benchmark a fragment asks for (`bench=frames`, `bench=seek…`):
    /// the benchmark's own keys, then, for `frames`, optionally a share
    /// link's, which must name a scenario the link's lab offers.
    pub fn from_fragment(fragment: &str) -> Option<Bench> {
        let mut kind = None;
        let (mut frames, mut messages, mut seeks) = (600, 100_000, 100);
        let mut rest = Vec::new();
        for part in fragment.split('&') {
            let (key, value) = part.split_once('=')?;
            let number = || parse_u64(value).and_then(|v| u32::try_from(v).ok());
            match key {
                "bench" => kind = Some(value.to_owned()),
                "frames" => frames = number()?.clamp(10, 10_000),
                "messages" => messages = number()?.clamp(100, 1_000_000),
                "seeks" => seeks = number()?.clamp(1, 10_000),
                _ => rest.push(part),
            }
        }
        match kind?.as_str() {
            "frames" => {
                let link = Link::parse(&rest.join("&")).ok()?;
                if let Some(link) = &link {
                    let name = link.scenario.as_deref()?;
                    if !link.lab.scenarios().contains(&name) || link.lesson.is_some() {
                        return None;
                    }
                }
                Some(Bench::Frames {
                    frames,
                    link: link.map(Box::new),
                })
            }
            "seek" if rest.is_empty() => Some(Bench::Seek { messages, seeks }),
            _ => None,
        }
    }

    /// The page's state for this benchmark.
    pub fn state(&self, lang: Lang) -> State {
        match self {
            Bench::Frames { link: None, .. } => {
                let scenario =
                    Scenario::from_json(FRAMES_SCENARIO).expect("the bench scenario is valid");
                let mut run = Run::new("bench-frames", scenario, 1, Vec::new());
                run.move_to(run.cursor_at(FRAMES_FROM_MS));
                State::playing(lang, run)
            }
            // The page a visitor opening the link sees, then Play pressed.
            Bench::Frames {
                link: Some(link), ..
            } => std::rc::Rc::new(State::from_link(lang, Ok(Some((**link).clone()))))
                .reduce(Action::TogglePlay)
                .as_ref()
                .clone(),
            Bench::Seek { .. } => State::new(lang),
        }
    }

    /// The lab and the scenario the frame benchmark plays, by their
    /// stable names.
    fn played(&self) -> (&'static str, &str) {
        match self {
            Bench::Frames {
                link: Some(link), ..
            } => (link.lab.slug(), link.scenario.as_deref().unwrap_or("")),
            _ => (Lab::Streams.slug(), "bench-frames"),
        }
    }
}

/// Props of [`BenchProbe`].
#[derive(Properties, PartialEq)]
pub struct BenchProbeProps {
    /// What to measure.
    pub bench: Bench,
    /// Whether the clock is playing: when a run ends while its frames are
    /// measured, Play starts it over, as it would for a visitor.
    pub playing: bool,
    /// To play again, and to pause the clock when done.
    pub on_action: Callback<Action>,
}

/// Runs the benchmark and shows its result.
#[component]
pub fn BenchProbe(props: &BenchProbeProps) -> Html {
    let result = use_state(|| None::<String>);
    let playing = use_mut_ref(|| true);
    *playing.borrow_mut() = props.playing;
    // Whether frames are being measured, and how often the run ended and
    // was played again meanwhile.
    let measuring = use_mut_ref(|| matches!(props.bench, Bench::Frames { .. }));
    let replays = use_mut_ref(|| 0u32);
    {
        let (measuring, replays, on_action) = (
            Rc::clone(&measuring),
            Rc::clone(&replays),
            props.on_action.clone(),
        );
        use_effect_with(props.playing, move |playing| {
            if !*playing && *measuring.borrow() {
                *replays.borrow_mut() += 1;
                on_action.emit(Action::TogglePlay);
            }
        });
    }
    {
        let (bench, result, on_action) =
            (props.bench.clone(), result.clone(), props.on_action.clone());
        use_effect_with((), move |_| {
            let done = Callback::from(move |json: String| {
                let was_measuring = std::mem::take(&mut *measuring.borrow_mut());
                if was_measuring && *playing.borrow() {
                    on_action.emit(Action::TogglePlay);
                }
                result.set(Some(json));
            });
            let keep: Box<dyn std::any::Any> = match bench {
                Bench::Frames { frames, .. } => {
                    let (lab, scenario) = bench.played();
                    let what = format!("\"lab\":\"{lab}\",\"scenario\":\"{scenario}\"");
                    Box::new(measure_frames(frames, replays, what, done))
                }
                Bench::Seek { messages, seeks } => {
                    Box::new(gloo_timers::callback::Timeout::new(50, move || {
                        done.emit(measure_seeks(messages, seeks))
                    }))
                }
            };
            move || drop(keep)
        });
    }
    html! {
        <pre class="bench" data-testid="bench-result">{ result.as_deref().unwrap_or("running…") }</pre>
    }
}

thread_local! {
    /// Milliseconds the page spent in each animation frame's own work
    /// (the reducer and the render it triggers), while a benchmark runs.
    static WORK: RefCell<Option<Vec<f64>>> = const { RefCell::new(None) };
}

/// Whether a benchmark is measuring each frame's work now.
pub fn measuring_work() -> bool {
    WORK.with(|work| work.borrow().is_some())
}

/// Notes one frame's work, if a benchmark is measuring it.
pub fn record_work(ms: f64) {
    WORK.with(|work| {
        if let Some(work) = work.borrow_mut().as_mut() {
            work.push(ms);
        }
    });
}

/// `performance.now()`, in ms.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

type FrameLoop = Rc<RefCell<Option<AnimationFrame>>>;

/// One frame benchmark under way: what it plays (`what`, JSON fields),
/// the frames measured so far, how often the run was played again.
struct Measure {
    what: String,
    frames: u32,
    times: Vec<FrameTime>,
    replays: Rc<RefCell<u32>>,
    done: Callback<String>,
}

/// Measures the gaps between `frames` animation frames after a warm-up.
fn measure_frames(
    frames: u32,
    replays: Rc<RefCell<u32>>,
    what: String,
    done: Callback<String>,
) -> FrameLoop {
    let handle: FrameLoop = Rc::default();
    let measure = Measure {
        what,
        frames,
        times: Vec::with_capacity(frames as usize + 1),
        replays,
        done,
    };
    frame(Rc::clone(&handle), Rc::new(RefCell::new(measure)), 0);
    handle
}

/// One measured frame: its start time (requestAnimationFrame's timestamp)
/// and when our callback ran in it (`performance.now()`), in ms.
#[derive(Clone, Copy)]
struct FrameTime {
    start: f64,
    callback: f64,
}

fn frame(handle: FrameLoop, measure: Rc<RefCell<Measure>>, seen: u32) {
    let again = Rc::clone(&handle);
    let next = request_animation_frame(move |start| {
        let finished = {
            let mut m = measure.borrow_mut();
            if seen >= WARM_UP {
                m.times.push(FrameTime {
                    start,
                    callback: now(),
                });
            }
            m.times.len() > m.frames as usize
        };
        if seen == WARM_UP {
            WORK.with(|work| *work.borrow_mut() = Some(Vec::new()));
        }
        if finished {
            let m = measure.borrow();
            m.done.emit(frames_json(&m));
        } else {
            frame(again, measure, seen + 1);
        }
    });
    *handle.borrow_mut() = Some(next);
}

fn frames_json(measure: &Measure) -> String {
    let times = &measure.times;
    let gaps = |of: fn(&FrameTime) -> f64| -> Vec<f64> {
        times.windows(2).map(|w| of(&w[1]) - of(&w[0])).collect()
    };
    let (starts, callbacks) = (gaps(|t| t.start), gaps(|t| t.callback));
    let count = |css: &str| {
        let document = web_sys::window().and_then(|w| w.document());
        document
            .and_then(|d| d.query_selector_all(css).ok())
            .map_or(0, |list| list.length())
    };
    let ticks: u32 = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(".entry-ticks").ok())
        .map_or(0, |list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                .filter_map(|e| e.get_attribute("data-ticks")?.parse::<u32>().ok())
                .sum()
        });
    let (p50, p95, max) = percentiles(&starts);
    let dropped = dropped_frames(&starts, FRAME_MS);
    // Whether timestamps have 5 µs resolution (cross-origin isolated) or
    // 100 µs, which rounds a 16.67 ms frame to 16.6 or 16.8.
    // (web-sys has no binding for `crossOriginIsolated`.)
    let isolated = web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &"crossOriginIsolated".into()).is_ok_and(|v| v.is_truthy())
    });
    let (callback_p50, callback_p95, _) = percentiles(&callbacks);
    let work = WORK
        .with(|work| work.borrow_mut().take())
        .unwrap_or_default();
    let (work_p50, work_p95, work_max) = percentiles(&work);
    format!(
        "{{\"bench\":\"frames\",{},\"replays\":{},\"frames\":{},\"p50_ms\":{p50:.3},\"p95_ms\":{p95:.3},\"max_ms\":{max:.3},\"isolated\":{isolated},\"dropped\":{dropped},\"callback_p50_ms\":{callback_p50:.2},\"callback_p95_ms\":{callback_p95:.2},\"work_p50_ms\":{work_p50:.2},\"work_p95_ms\":{work_p95:.2},\"work_max_ms\":{work_max:.2},\"entries_drawn\":{},\"consumers\":{},\"elements\":{}}}",
        measure.what,
        measure.replays.borrow(),
        starts.len(),
        count("[data-testid=entry]") + ticks,
        count("[data-testid=consumer]"),
        count("*")
    )
}

/// Runs the large scenario and times `seeks` random seeks.
fn measure_seeks(messages: u32, seeks: u32) -> String {
    let mut scenario = Scenario::from_json(SEEK_SCENARIO).expect("the seek scenario is valid");
    scale(&mut scenario, messages);
    let started = now();
    let timeline = Timeline::run(scenario, 1);
    let run_ms = now() - started;
    let end = timeline.end_time().since_start().as_ms();
    let mut rng = Rng::new(42);
    let mut times = Vec::with_capacity(seeks as usize);
    for _ in 0..seeks {
        let at = instant(rng.below(end + 1));
        let t = now();
        let view = timeline.at(at).lane(0).view();
        times.push(now() - t);
        debug_assert_eq!(view.time_ms, at.since_start().as_ms());
    }
    let (p50, p95, max) = percentiles(&times);
    // Reading every event once, decoded, as the scrubber's marks and the
    // stage's card sizes do when a run loads.
    let t = now();
    let sim = timeline
        .events()
        .iter()
        .filter(|e| matches!(&*e.what, What::Sim(_)))
        .count();
    let read_ms = now() - t;
    format!(
        "{{\"bench\":\"seek\",\"messages\":{messages},\"actions\":{},\"events\":{},\"run_ms\":{run_ms:.0},\"seeks\":{seeks},\"p50_ms\":{p50:.2},\"p95_ms\":{p95:.2},\"max_ms\":{max:.2},\"read_ms\":{read_ms:.0},\"sim_events\":{sim},\"memory_mb\":{}}}",
        timeline.actions(),
        timeline.events().len(),
        memory_mb().map_or_else(|| "null".to_owned(), |mb| format!("{mb:.0}")),
    )
}

/// The page's wasm memory, in MB. A wasm memory only grows, so after a
/// run this is the most the run (and the page before it) ever held: the
/// browser's figure for the performance issue's "≤ 256 MB".
fn memory_mb() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        let pages = core::arch::wasm32::memory_size::<0>();
        Some(pages as f64 * 65_536.0 / 1_048_576.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// The 100,000-message scenario with `messages` messages instead, its
/// crash still half-way.
fn scale(scenario: &mut Scenario, messages: u32) {
    if let Some(producer) = scenario.producers.first_mut() {
        producer.count = Some(messages);
    }
    scenario.duration_ms = u64::from(messages);
    for fault in &mut scenario.faults {
        fault.at_ms = u64::from(messages / 2);
    }
}

/// Frames the browser skipped between the measured ones: a gap of about
/// k intervals (the usual gap, `interval`) means k − 1 frames were not
/// drawn.
fn dropped_frames(gaps: &[f64], interval: f64) -> u32 {
    if interval <= 0.0 {
        return 0;
    }
    gaps.iter()
        .map(|gap| ((gap / interval).round() as u32).saturating_sub(1))
        .sum()
}

/// p50, p95 and max of `values`.
pub fn percentiles(values: &[f64]) -> (f64, f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.95), sorted[sorted.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_choose_a_benchmark_or_none() {
        assert_eq!(
            Bench::from_fragment("bench=frames"),
            Some(Bench::Frames {
                frames: 600,
                link: None
            })
        );
        let Some(Bench::Frames {
            frames: 300,
            link: Some(link),
        }) = Bench::from_fragment(
            "bench=frames&lab=guarantees&scenario=guarantees-side-by-side-kafka&t=500&frames=300",
        )
        else {
            panic!("a frame benchmark of a link");
        };
        assert_eq!(
            (link.lab, link.scenario.as_deref(), link.t),
            (Lab::Guarantees, Some("guarantees-side-by-side-kafka"), 500)
        );
        assert_eq!(
            Bench::from_fragment("bench=seek&messages=100000&seeks=5"),
            Some(Bench::Seek {
                messages: 100_000,
                seeks: 5
            })
        );
        for other in [
            "",
            "lab=streams",
            "bench=fast",
            "bench=frames&frames=x",
            "bench=seek&other=1",
            "bench=seek&lab=kafka&scenario=kafka-rebalance",
            "bench=frames&lab=kafka",
            "bench=frames&lab=kafka&scenario=guarantees-side-by-side",
            "bench=frames&lab=streams&scenario=no-such-run",
            "bench=frames&lesson=001",
        ] {
            assert_eq!(Bench::from_fragment(other), None, "{other}");
        }
    }

    #[test]
    fn the_frames_run_shows_300_entries_and_six_consumers() {
        let state = Bench::Frames {
            frames: 10,
            link: None,
        }
        .state(Lang::En);
        let run = state.run.as_ref().unwrap();
        assert!(state.clock.playing);
        let view = run.view();
        assert_eq!(view.streams[0].entries.len(), 300);
        assert_eq!(view.streams[0].groups[0].consumers.len(), 6);
        // Ten seconds later it is still running, and still that large.
        let mut later = run.clone();
        later.move_to(later.cursor_at(FRAMES_FROM_MS + 10_500));
        assert!(!later.at_end());
        assert_eq!(later.view().streams[0].entries.len(), 300);
    }

    /// The labs' runs `cargo xtask bench` plays (`tests/bench_browser.rs`):
    /// each opens its lab playing at its moment, as the link would, and
    /// runs on for longer than the 630 frames of a measurement take at
    /// 60 frames a second, with room for dropped ones.
    #[test]
    fn a_link_opens_its_lab_playing_for_longer_than_a_measurement() {
        for fragment in [
            "bench=frames&lab=guarantees&scenario=guarantees-side-by-side",
            "bench=frames&lab=guarantees&scenario=guarantees-side-by-side-kafka",
            "bench=frames&lab=kafka&scenario=kafka-rebalance&t=2000",
        ] {
            let bench = Bench::from_fragment(fragment).expect(fragment);
            let Bench::Frames {
                link: Some(link), ..
            } = &bench
            else {
                panic!("{fragment}");
            };
            let state = bench.state(Lang::En);
            let run = state.run.as_ref().expect(fragment);
            assert!(state.clock.playing && state.notice.is_none(), "{fragment}");
            assert_eq!(state.lab, link.lab, "{fragment}");
            assert_eq!(Some(run.name()), link.scenario.as_deref(), "{fragment}");
            assert_eq!(run.cursor().ms, link.t, "{fragment}");
            println!("{fragment}: ends at {} ms", run.end_ms());
            assert!(run.end_ms() >= link.t + 15_000, "{fragment}");
        }
    }

    #[test]
    fn percentiles_of_a_known_list() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentiles(&values), (51.0, 95.0, 100.0));
        assert_eq!(percentiles(&[]), (0.0, 0.0, 0.0));
    }

    #[test]
    fn dropped_frames_count_the_intervals_a_gap_spans() {
        let interval = 1000.0 / 60.0;
        let gaps = [
            interval,
            2.0 * interval + 0.4,
            interval - 0.3,
            3.0 * interval,
        ];
        assert_eq!(dropped_frames(&gaps, interval), 3);
        assert_eq!(dropped_frames(&gaps, 0.0), 0);
    }

    #[test]
    fn the_seek_scenario_scales() {
        let mut scenario = Scenario::from_json(SEEK_SCENARIO).unwrap();
        scale(&mut scenario, 2000);
        scenario.validate().unwrap();
        let timeline = Timeline::run(scenario, 1);
        assert!(timeline.actions() > 2000);
    }
}
