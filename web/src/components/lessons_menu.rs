//! The Lessons menu: every built-in lesson, by its seed note, title and
//! summary. A native disclosure, so it opens and closes by keyboard.

use ackscope_engine::lesson::builtin;
use ackscope_engine::scenario::Text;
use yew::prelude::*;

use crate::i18n::Lang;
use crate::words::fill;

/// Props of [`LessonsMenu`].
#[derive(Properties, PartialEq)]
pub struct LessonsMenuProps {
    /// The lesson being followed, if any (its id).
    pub active: Option<AttrValue>,
    /// Called with the id of the lesson picked.
    pub on_open: Callback<String>,
}

/// The "Lessons" entry of the navigation and its list.
#[component]
pub fn LessonsMenu(props: &LessonsMenuProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = lang.lesson_text();
    let lessons = use_memo((), |_| builtin::heads());
    let details = use_node_ref();
    let pick = |text: &Text| match lang {
        Lang::En => text.en.clone(),
        Lang::Ko => text.ko.clone(),
    };
    html! {
        <details class="lessons" ref={details.clone()} data-testid="lessons-menu">
            <summary class="labs__tab lessons__summary" aria-current={props.active.is_some().then_some("page")}>
                { t.menu }
            </summary>
            <div class="lessons__panel">
                <p class="lessons__intro">{ t.menu_intro }</p>
                <ul class="lessons__list">
                    for lesson in lessons.iter() {
                        <li key={lesson.id.clone()}>
                            <button type="button" class="lessons__item" data-testid="lesson-open" data-lesson={lesson.id.clone()}
                                aria-current={(props.active.as_deref() == Some(lesson.id.as_str())).then_some("true")}
                                onclick={
                                    let (id, details, on_open) = (lesson.id.clone(), details.clone(), props.on_open.clone());
                                    move |_: MouseEvent| {
                                        if let Some(d) = details.cast::<web_sys::Element>() {
                                            let _ = d.remove_attribute("open");
                                        }
                                        on_open.emit(id.clone());
                                    }
                                }>
                                <span class="lessons__id">{ fill(t.lesson, &[("id", lesson.id.clone())]).plain() }</span>
                                <span class="lessons__title">{ pick(&lesson.title) }</span>
                                <span class="lessons__summary-text">{ pick(&lesson.summary) }</span>
                            </button>
                        </li>
                    }
                </ul>
            </div>
        </details>
    }
}
