//! A message's story in every lane, side by side: the events of its life
//! so far, in words, as each lane's world tells them.

use ackscope_engine::SimTime;
use yew::prelude::*;

use crate::components::Said;
use crate::i18n::use_catalogue;
use crate::words::{Sentence, fill, time_text};

/// One lane's side of a story.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneStory {
    /// The lane's name.
    pub lane: String,
    /// The message's fate there, in words.
    pub fate: String,
    /// Its events so far.
    pub lines: Vec<(SimTime, Sentence)>,
}

/// Props of [`StoryPanel`].
#[derive(Properties, PartialEq)]
pub struct StoryPanelProps {
    /// The message's name, if a cell was chosen.
    pub msg: Option<String>,
    /// Its story in each lane.
    pub lanes: Vec<LaneStory>,
}

/// The chosen message's story, one column per lane; a hint before any.
#[component]
pub fn StoryPanel(props: &StoryPanelProps) -> Html {
    let t = &use_catalogue().guarantees_stage;
    let Some(msg) = &props.msg else {
        return html! {
            <section class="story" data-testid="story" aria-live="polite">
                <p class="story__hint">{ t.story_hint }</p>
            </section>
        };
    };
    html! {
        <section class="story" data-testid="story" data-msg={msg.clone()} aria-live="polite">
            <h3 class="story__title">{ fill(t.story, &[("msg", msg.clone())]).plain() }</h3>
            <div class="story__lanes">
                for s in props.lanes.iter() {
                    <div class="story__lane" data-lane={s.lane.clone()}>
                        <h4 class="story__lane-name">{ &s.lane }<span class="story__fate">{ &s.fate }</span></h4>
                        if s.lines.is_empty() {
                            <p class="story__empty">{ t.story_empty }</p>
                        } else {
                            <ol class="story__lines">
                                for (at, sentence) in s.lines.iter() {
                                    <li class="story__line">
                                        <span class="story__time">{ time_text(*at) }</span>
                                        <span class="story__what"><Said sentence={sentence.clone()} /></span>
                                    </li>
                                }
                            </ol>
                        }
                    </div>
                }
            </div>
        </section>
    }
}
