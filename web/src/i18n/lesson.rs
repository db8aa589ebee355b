//! The lessons' own words: the menu, the step card, the verdicts and the
//! names of the answers the engine gives. The lessons' narration and
//! questions are in the lesson files, in both languages.

/// What the lesson card and the lessons menu say.
#[derive(Debug, PartialEq, Eq)]
pub struct LessonText {
    /// The menu's button.
    pub menu: &'static str,
    /// The line at the top of the menu.
    pub menu_intro: &'static str,
    /// A lesson's badge (`{id}`: the seed note's number).
    pub lesson: &'static str,
    /// Where the learner is (`{n}` of `{total}`).
    pub step_of: &'static str,
    /// The previous step.
    pub back: &'static str,
    /// The next step.
    pub next: &'static str,
    /// Leaves the lesson, keeping the lab.
    pub leave: &'static str,
    /// Said at the last step.
    pub last: &'static str,
    /// Beside a step whose run the reader changed.
    pub changed: &'static str,
    /// The question's heading.
    pub predict: &'static str,
    /// While the run plays to the answer.
    pub playing: &'static str,
    /// The verdict when right (`{answer}`).
    pub right: &'static str,
    /// The verdict when wrong (`{picked}`, `{answer}`).
    pub wrong: &'static str,
    /// Before the label of the part pointed at.
    pub look: &'static str,
    /// No worker took it.
    pub nobody: &'static str,
    /// The service never got it.
    pub not_received: &'static str,
    /// Still held.
    pub in_flight: &'static str,
    /// Processed once.
    pub once: &'static str,
    /// Processed more than once.
    pub more_than_once: &'static str,
    /// Lost.
    pub lost: &'static str,
    /// Dead-lettered.
    pub dead_lettered: &'static str,
    /// The offset `0-0`.
    pub nothing_delivered: &'static str,
    /// A stream entry (`{fields}`, `{id}`).
    pub entry: &'static str,
}

/// English.
pub const EN: LessonText = LessonText {
    menu: "Lessons",
    menu_intro: "One guided path per seed note. Each step plays the run to a moment; at some you predict what happens next, then watch it happen.",
    lesson: "Lesson {id}",
    step_of: "Step {n} of {total}",
    back: "Back",
    next: "Next",
    leave: "Leave the lesson",
    last: "That is the end of this lesson. The lab stays open: play with it.",
    changed: "You changed this step's run (its commands, faults or settings): the step's words tell the run as the lesson set it up; the stage and every count are yours.",
    predict: "Predict",
    playing: "Playing the run to the answer…",
    right: "Right — {answer}.",
    wrong: "Not quite — you picked {picked}; the run says {answer}.",
    look: "Look at:",
    nobody: "nobody",
    not_received: "never received",
    in_flight: "still in flight",
    once: "processed once",
    more_than_once: "processed more than once",
    lost: "lost",
    dead_lettered: "dead‑lettered",
    nothing_delivered: "0-0: nothing delivered yet",
    entry: "{fields} ({id})",
};

/// Korean.
pub const KO: LessonText = LessonText {
    menu: "레슨",
    menu_intro: "시드 노트마다 안내된 길이 하나씩 있습니다. 단계마다 실행을 한 시점까지 재생하고, 어떤 단계에서는 다음에 일어날 일을 예측한 뒤 직접 확인합니다.",
    lesson: "레슨 {id}",
    step_of: "{total}단계 중 {n}단계",
    back: "이전",
    next: "다음",
    leave: "레슨 나가기",
    last: "이 레슨은 여기까지입니다. 실습은 열려 있으니 직접 다뤄 보세요.",
    changed: "이 단계의 실행(명령, 장애 또는 설정)을 바꾸었습니다. 단계의 설명은 레슨이 준비한 실행을 말하고, 스테이지와 모든 수치는 바꾼 실행의 것입니다.",
    predict: "예측",
    playing: "답이 나올 때까지 실행을 재생하는 중…",
    right: "맞습니다 — {answer}.",
    wrong: "아닙니다 — {picked}를 골랐지만, 실행 결과는 {answer}입니다.",
    look: "볼 곳:",
    nobody: "아무도 없음",
    not_received: "받은 적 없음",
    in_flight: "아직 처리 중",
    once: "한 번 처리",
    more_than_once: "두 번 이상 처리",
    lost: "유실",
    dead_lettered: "데드 레터",
    nothing_delivered: "0-0: 아직 전달한 것 없음",
    entry: "{fields} ({id})",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_fill_the_same_holes() {
        let holes = |t: &LessonText| {
            let debug = format!("{t:?}");
            let mut found: Vec<String> = debug
                .split('{')
                .skip(2)
                .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_owned()))
                .filter(|h| !h.contains(' '))
                .collect();
            found.sort();
            found
        };
        assert_eq!(holes(&EN), holes(&KO));
        assert_ne!(EN.menu, KO.menu);
    }
}
