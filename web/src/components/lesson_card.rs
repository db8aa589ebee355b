//! The lesson card: the step's narration in large print, the part of the
//! stage it points at, its question with the engine's choices, and the
//! verdict once the run has played to the answer.

use ackscope_engine::lesson::{ANSWER, Answer, Asked, FateAnswer, fill as fill_holes};
use ackscope_engine::scenario::Text;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::i18n::lesson::LessonText;
use crate::lesson::LessonAt;
use crate::run::Run;
use crate::state::Action;
use crate::words::fill;

/// Props of [`LessonCard`].
#[derive(Properties, PartialEq)]
pub struct LessonCardProps {
    /// The lesson and the step shown.
    pub at: LessonAt,
    /// The step's run (the engine's answers are read from it).
    pub run: Run,
    /// Sends the card's actions (steps, a prediction, leaving).
    pub on_action: Callback<Action>,
}

/// The card at the bottom of the page while a lesson is followed.
#[component]
pub fn LessonCard(props: &LessonCardProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = lang.lesson_text();
    let at = &props.at;
    let step = at.current();
    let total = at.lesson.steps.len();
    let memo_key = (at.lesson.id.clone(), at.step, props.run.id());
    let asked = use_memo(memo_key.clone(), {
        let (question, run) = (at.question().cloned(), props.run.clone());
        move |_| question.and_then(|q| q.asked(run.timeline()).ok())
    });
    // The counts and outcomes the step's texts state, read from its run:
    // at the step's moment, and at the reveal moment for the explanation.
    let values = use_memo(memo_key, {
        let (step, run) = (step.clone(), props.run.clone());
        move |_| {
            let timeline = run.timeline();
            let now = step.values_at(timeline, step.moment()).unwrap_or_default();
            let reveal = step.question.as_ref().map_or_else(Vec::new, |q| {
                step.values_at(timeline, q.reveal_at(timeline))
                    .unwrap_or_default()
            });
            (now, reveal)
        }
    });
    let pick = |text: &Text| {
        let text = match lang {
            Lang::En => &text.en,
            Lang::Ko => &text.ko,
        };
        fill_holes(text, |name| lookup(&values.0, name, t))
    };
    // Whether the reader changed the run the step set up: its fixed
    // words may then no longer be true of what the stage shows.
    let changed = *use_memo((at.lesson.id.clone(), at.step, props.run.id()), |_| {
        !at.is_own_run(&props.run)
    });
    let point = step.point.as_ref().map(|p| (p.selector(), pick(&p.label)));
    let overlay = use_node_ref();
    use_point(
        point.clone(),
        (at.lesson.id.clone(), at.step),
        overlay.clone(),
    );
    let act = |action: Action| props.on_action.reform(move |_: MouseEvent| action.clone());
    let n = at.step;
    html! {
        <>
        // The outline over the part pointed at; the card names it in words.
        <div class="lesson-point" ref={overlay} aria-hidden="true" data-testid="lesson-point">
            if let Some((_, label)) = &point {
                <span class="lesson-point__label">{ label }</span>
            }
        </div>
        <aside class="lesson" aria-labelledby="lesson-title" data-testid="lesson"
            data-lesson={at.lesson.id.clone()} data-step={(n + 1).to_string()} data-steps={total.to_string()}>
            <header class="lesson__head">
                <p class="lesson__where">
                    <span class="lesson__badge">{ fill(t.lesson, &[("id", at.lesson.id.clone())]).plain() }</span>
                    <span data-testid="lesson-step-of">
                        { fill(t.step_of, &[("n", (n + 1).to_string()), ("total", total.to_string())]).plain() }
                    </span>
                </p>
                <h2 class="lesson__title" id="lesson-title">{ pick(&at.lesson.title) }</h2>
                <nav class="lesson__steps" aria-label={fill(t.step_of, &[("n", (n + 1).to_string()), ("total", total.to_string())]).plain()}>
                    <button type="button" class="button" data-testid="lesson-back" disabled={n == 0}
                        onclick={act(Action::LessonStep(n.saturating_sub(1)))}>
                        <span aria-hidden="true">{ "← " }</span>{ t.back }
                    </button>
                    <button type="button" class="button button--primary" data-testid="lesson-next" disabled={n + 1 >= total}
                        onclick={act(Action::LessonStep(n + 1))}>
                        { t.next }<span aria-hidden="true">{ " →" }</span>
                    </button>
                </nav>
                <button type="button" class="lesson__leave" data-testid="lesson-leave" onclick={act(Action::CloseLesson)}>
                    <span aria-hidden="true">{ "✕ " }</span>{ t.leave }
                </button>
            </header>
            <div class="lesson__body">
                <div class="lesson__say">
                    <p class="lesson__text" aria-live="polite" data-testid="lesson-text">{ with_code(&pick(&step.text)) }</p>
                    if let Some((_, label)) = &point {
                        <p class="lesson__look" data-testid="lesson-look">
                            <span class="lesson__look-mark" aria-hidden="true">{ "⬚" }</span>
                            { t.look }{ " " }<strong>{ label }</strong>
                        </p>
                    }
                    if changed {
                        <p class="settings-note" role="note" data-testid="lesson-changed">{ t.changed }</p>
                    }
                    if n + 1 == total {
                        <p class="lesson__last">{ t.last }</p>
                    }
                </div>
                if let (Some(q), Some(asked)) = (at.question(), asked.as_ref()) {
                    { question(at, &props.run, asked, pick(&q.prompt), &explain(q, lang, &values.1, t), t, &props.on_action) }
                }
            </div>
        </aside>
        </>
    }
}

/// The question, its choices (the engine's), and the verdict once the run
/// reached the moment the answer is read.
fn question(
    at: &LessonAt,
    run: &Run,
    asked: &Asked,
    prompt: String,
    explain: &dyn Fn(String) -> String,
    t: &'static LessonText,
    on_action: &Callback<Action>,
) -> Html {
    let revealed = at.revealed(run);
    let right = answer_label(asked.right(), t);
    let verdict = match (at.picked, revealed) {
        (None, _) => None,
        (Some(_), false) => Some(("playing", t.playing.to_owned())),
        (Some(i), true) if i == asked.answer => {
            Some(("right", fill(t.right, &[("answer", right.clone())]).plain()))
        }
        (Some(i), true) => {
            let picked = asked
                .choices
                .get(i)
                .map_or_else(String::new, |c| answer_label(c, t));
            Some((
                "wrong",
                fill(t.wrong, &[("picked", picked), ("answer", right.clone())]).plain(),
            ))
        }
    };
    html! {
        <section class="lesson__question" aria-labelledby="lesson-prompt" data-testid="lesson-question">
            <h3 class="lesson__predict">{ t.predict }</h3>
            <p class="lesson__prompt" id="lesson-prompt">{ prompt }</p>
            <div class="lesson__choices" role="group" aria-labelledby="lesson-prompt">
                for (i, choice) in asked.choices.iter().enumerate() {
                    { choice_button(i, choice, at.picked, revealed.then_some(asked.answer), t, on_action) }
                }
            </div>
            <p class="lesson__verdict" aria-live="polite" data-testid="lesson-verdict"
                data-verdict={verdict.as_ref().map(|(v, _)| *v)}
                data-answer={revealed.then(|| asked.right().key())}>
                { verdict.map(|(_, text)| text).unwrap_or_default() }
            </p>
            if revealed && at.picked.is_some() {
                <p class="lesson__explain" data-testid="lesson-explain">{ with_code(&explain(right)) }</p>
            }
        </section>
    }
}

fn choice_button(
    i: usize,
    choice: &Answer,
    picked: Option<usize>,
    right: Option<usize>,
    t: &'static LessonText,
    on_action: &Callback<Action>,
) -> Html {
    // After the reveal, a mark says which is right and which was picked,
    // in words a screen reader reads and shapes that need no colour.
    let mark = match (right == Some(i), picked == Some(i)) {
        (true, _) if right.is_some() => "✓ ",
        (false, true) if right.is_some() => "✗ ",
        _ => "",
    };
    let class = classes!(
        "lesson__choice",
        (picked == Some(i)).then_some("lesson__choice--picked"),
        (right == Some(i)).then_some("lesson__choice--right"),
    );
    html! {
        <button type="button" {class} data-testid="lesson-choice" data-answer={choice.key()}
            aria-pressed={(picked == Some(i)).to_string()}
            aria-disabled={picked.is_some().then_some("true")}
            onclick={on_action.reform(move |_: MouseEvent| Action::Predict(i))}>
            <span aria-hidden="true">{ mark }</span>{ answer_label(choice, t) }
        </button>
    }
}

/// The value `name` of `values`, in words.
fn lookup(values: &[(String, Answer)], name: &str, t: &LessonText) -> Option<String> {
    let (_, answer) = values.iter().find(|(n, _)| n == name)?;
    Some(answer_label(answer, t))
}

/// The question's explanation in `lang`, given the right answer in words:
/// `{answer}` and the step's values read at the reveal moment filled in.
fn explain<'a>(
    q: &'a ackscope_engine::lesson::Question,
    lang: Lang,
    values: &'a [(String, Answer)],
    t: &'static LessonText,
) -> impl Fn(String) -> String + 'a {
    let text = match lang {
        Lang::En => &q.explain.en,
        Lang::Ko => &q.explain.ko,
    };
    move |right: String| {
        fill_holes(text, |name| {
            if name == ANSWER {
                Some(right.clone())
            } else {
                lookup(values, name, t)
            }
        })
    }
}

/// `text` with its `code` spans (the command lines a step types) set as
/// code.
fn with_code(text: &str) -> Html {
    text.split('`')
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 {
                html! { <code class="lesson__code">{ piece }</code> }
            } else {
                html! { { piece } }
            }
        })
        .collect()
}

/// An engine answer in words.
pub fn answer_label(answer: &Answer, t: &LessonText) -> String {
    match answer {
        Answer::Worker(name) => name.clone(),
        Answer::Nobody => t.nobody.to_owned(),
        Answer::Number(n) => n.to_string(),
        Answer::Fate(fate) => match fate {
            FateAnswer::NotReceived => t.not_received,
            FateAnswer::InFlight => t.in_flight,
            FateAnswer::Once => t.once,
            FateAnswer::MoreThanOnce => t.more_than_once,
            FateAnswer::Lost => t.lost,
            FateAnswer::DeadLettered => t.dead_lettered,
        }
        .to_owned(),
        Answer::Entry { id, fields } if fields.is_empty() && id.ms == 0 && id.seq == 0 => {
            t.nothing_delivered.to_owned()
        }
        Answer::Entry { id, fields } if fields.is_empty() => id.to_text(),
        Answer::Entry { id, fields } => {
            fill(t.entry, &[("fields", fields.clone()), ("id", id.to_text())]).plain()
        }
    }
}

/// Points at the part of the stage a step names: marks it
/// (`data-lesson-point`, its label) and lays the outline `overlay` over
/// its box, after every render (the lab may have drawn it anew or moved
/// it) and when the window is resized; scrolls it into view when the step
/// changes. An overlay rather than a style on the part itself, because the
/// Streams stage is SVG, where outlines and generated labels do not draw.
#[hook]
fn use_point(point: Option<(String, String)>, step: (String, usize), overlay: NodeRef) {
    let css = point.map(|(css, _)| css);
    {
        let (css, overlay) = (css.clone(), overlay.clone());
        use_effect(move || place(css.as_deref(), &overlay));
    }
    {
        let (css, overlay) = (css.clone(), overlay.clone());
        use_effect_with(css.clone(), move |_| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "resize", move |_| {
                    place(css.as_deref(), &overlay)
                })
            });
            move || drop(listener)
        });
    }
    use_effect_with(step, |_| {
        if let Some(target) = marked() {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            target.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    use_effect_with((), |_| || unmark(None));
}

const MARK: &str = "data-lesson-point";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn marked() -> Option<web_sys::Element> {
    document()?.query_selector(&format!("[{MARK}]")).ok()?
}

/// Unmarks every marked element but `keep`.
fn unmark(keep: Option<&web_sys::Element>) {
    let Some(document) = document() else { return };
    let Ok(old) = document.query_selector_all(&format!("[{MARK}]")) else {
        return;
    };
    for i in 0..old.length() {
        let Some(node) = old.item(i) else { continue };
        let element: web_sys::Element = wasm_bindgen::JsCast::unchecked_into(node);
        if Some(&element) != keep {
            let _ = element.remove_attribute(MARK);
        }
    }
}

/// Marks the part `css` selects and puts the overlay on its box (in page
/// coordinates: the overlay is placed against the page, and scrolls with
/// it); hides the overlay when there is no such part.
fn place(css: Option<&str>, overlay: &NodeRef) {
    let Some(document) = document() else { return };
    let target = css.and_then(|css| document.query_selector(css).ok().flatten());
    unmark(target.as_ref());
    let Some(overlay) = overlay.cast::<web_sys::Element>() else {
        return;
    };
    // A part folded away (projection mode folds the console) has no box:
    // nothing to outline.
    let shown = target.filter(|t| {
        let rect = t.get_bounding_client_rect();
        rect.width() > 0.0 && rect.height() > 0.0
    });
    let style = shown.as_ref().map(|target| {
        let _ = target.set_attribute(MARK, "");
        let rect = target.get_bounding_client_rect();
        let window = web_sys::window();
        let x = window
            .as_ref()
            .and_then(|w| w.scroll_x().ok())
            .unwrap_or(0.0);
        let y = window
            .as_ref()
            .and_then(|w| w.scroll_y().ok())
            .unwrap_or(0.0);
        format!(
            "left: {:.0}px; top: {:.0}px; width: {:.0}px; height: {:.0}px",
            rect.left() + x,
            rect.top() + y,
            rect.width(),
            rect.height()
        )
    });
    let style = style.unwrap_or_else(|| "display: none".to_owned());
    if overlay.get_attribute("style").as_deref() != Some(style.as_str()) {
        let _ = overlay.set_attribute("style", &style);
    }
}
