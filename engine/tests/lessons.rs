//! The built-in lessons: every file reads and validates, every step's
//! run takes its commands and faults, and every question's answer, read
//! from the run, is among its choices. Bad lesson files are refused with
//! the field named.

use std::collections::BTreeSet;

use ackscope_engine::lesson::{Answer, FateAnswer, Lesson, builtin};

#[test]
fn every_lesson_file_is_listed_reads_and_validates() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons");
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), builtin::SOURCES.len(), "{files:?}");
    for (id, text) in builtin::SOURCES {
        let lesson = Lesson::from_json(text).unwrap_or_else(|e| panic!("lesson {id}: {e}"));
        assert_eq!(lesson.id, *id);
        assert!(
            files.iter().any(|f| f.starts_with(&format!("{id}-"))),
            "lesson {id} has no file named after it"
        );
    }
    assert_eq!(builtin::all().len(), builtin::SOURCES.len());
}

#[test]
fn every_step_runs_with_its_injections_and_every_question_is_answered() {
    for lesson in builtin::all() {
        for (i, step) in lesson.steps.iter().enumerate() {
            let timeline = lesson.timeline(i).expect("the scenario exists");
            let at = format!("lesson {} step {}", lesson.id, i + 1);
            assert!(timeline.dropped_injections().is_empty(), "{at}: dropped");
            assert!(
                timeline.violation().is_none(),
                "{at}: {:?}",
                timeline.violation()
            );
            let Some(question) = &step.question else {
                continue;
            };
            let asked = question
                .asked(&timeline)
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            assert!(asked.choices.len() >= 2, "{at}: {asked:?}");
            assert!(asked.answer < asked.choices.len(), "{at}");
            let distinct: BTreeSet<String> = asked.choices.iter().map(Answer::key).collect();
            assert_eq!(distinct.len(), asked.choices.len(), "{at}: {asked:?}");
            // The text never gives the answer away.
            for text in [&question.prompt.en, &question.prompt.ko, &step.text.en] {
                if let Answer::Worker(name) = asked.right() {
                    assert!(!text.contains(&format!("{name} takes")), "{at}");
                }
            }
        }
    }
}

#[test]
fn a_steps_run_keeps_the_injections_of_earlier_steps_on_the_same_run() {
    let lesson = builtin::by_id("004").unwrap();
    let last = lesson.steps.len() - 1;
    let with_fault = lesson
        .steps
        .iter()
        .position(|s| !s.faults.is_empty())
        .expect("004 adds a fault");
    assert!(lesson.injections(with_fault - 1).is_empty());
    assert_eq!(
        lesson.injections(last).len(),
        lesson.steps[with_fault].faults.len()
    );
}

/// The engine's answer to step `step` (from 0) of lesson `id`.
fn answer(id: &str, step: usize) -> Answer {
    let lesson = builtin::by_id(id).unwrap();
    let timeline = lesson.timeline(step).unwrap();
    let q = lesson.steps[step].question.as_ref().unwrap();
    q.asked(&timeline).unwrap().right().clone()
}

#[test]
fn lesson_004_answers_come_from_the_run() {
    let answer = |step| answer("004", step);
    // w1 crashes holding order-13: the at-most-once lane loses it, the
    // at-least-once lane claims it and processes it once.
    assert_eq!(answer(2), Answer::Fate(FateAnswer::Lost));
    assert_eq!(answer(3), Answer::Fate(FateAnswer::Once));
    assert_eq!(answer(4), Answer::Number(1));
    assert_eq!(answer(5), Answer::Number(0));
}

#[test]
fn lesson_003_answers_come_from_the_run() {
    let answer = |step| answer("003", step);
    let lost = Answer::Fate(FateAnswer::Lost);
    // acks=1: the acknowledged order-11 dies with the leader; acks=all
    // without retries drops what is sent while there is no leader.
    assert_eq!((answer(1), answer(2)), (lost.clone(), lost));
    assert!(matches!(answer(3), Answer::Number(n) if n > 10));
    assert_eq!(answer(4), Answer::Number(0));
    // Commit before processing loses the batch in hand; after, repeats it.
    assert_eq!(answer(5), answer(6));
    assert_ne!(answer(5), Answer::Number(0));
}

fn error_field(text: &str) -> String {
    Lesson::from_json(text).unwrap_err().field
}

fn one_step(step: &str) -> String {
    format!(
        r#"{{"id": "009", "title": {{"en": "t", "ko": "t"}}, "summary": {{"en": "s", "ko": "s"}},
            "steps": [{step}]}}"#
    )
}

#[test]
fn bad_lessons_are_refused_naming_the_field() {
    let step = |extra: &str| {
        one_step(&format!(
            r#"{{"lab": "guarantees", "scenario": "guarantees-side-by-side", "at_ms": 100,
                "text": {{"en": "x", "ko": "x"}} {extra}}}"#
        ))
    };
    let question = |ask: &str| {
        step(&format!(
            r#", "question": {{"prompt": {{"en": "q", "ko": "q"}}, "explain": {{"en": "e", "ko": "e"}}, "ask": {ask}}}"#
        ))
    };
    assert!(Lesson::from_json(&step("")).is_ok());
    let counted = r#", "values": {"m": {"ask": "count", "service": "billing", "field": "lost"}}"#;
    assert!(Lesson::from_json(&step(counted).replace(r#""x""#, r#""x {m}""#)).is_ok());
    for (text, field) in [
        (step("").replace("\"009\"", "\"9\""), "id"),
        (one_step(""), "steps"),
        (
            step("").replace("guarantees-side-by-side", "nope"),
            "steps[0].scenario",
        ),
        (step("").replace("100", "99999999"), "steps[0].at_ms"),
        (
            step(r#", "point": {"part": "a\"]", "label": {"en": "l", "ko": "l"}}"#),
            "steps[0].point",
        ),
        (
            step(r#", "faults": [{"at_ms": 1, "kind": "crash", "role": "w9"}]"#),
            "steps[0].faults[0].role",
        ),
        (
            question(r#"{"ask": "fate", "service": "shipping", "message": "order-1"}"#),
            "steps[0].question.ask.service",
        ),
        (
            question(r#"{"ask": "fate", "service": "billing", "message": "order-31"}"#),
            "steps[0].question.ask.message",
        ),
        (
            question(r#"{"ask": "count", "service": "billing", "field": "lost", "lane": 3}"#),
            "steps[0].question.ask.lane",
        ),
        (
            step("").replace(r#""en": "x""#, r#""en": " ""#),
            "steps[0].text",
        ),
        (question(r#"{"ask": "guess"}"#), "lesson"),
        // A hole names a value of the step, in both languages.
        (step("").replace(r#""x""#, r#""x {m}""#), "steps[0].text"),
        (
            step("").replacen(r#""x""#, r#""x {m}""#, 1),
            "steps[0].text",
        ),
        (
            step(r#", "values": {"m": {"ask": "count", "service": "shipping", "field": "lost"}}"#),
            "steps[0].values.m.service",
        ),
        // A code span is a line the run types.
        (
            step("").replace(r#""x""#, r#""`XADD s * a 1`""#),
            "steps[0].text",
        ),
    ] {
        assert_eq!(error_field(&text), field, "{text}");
    }
}

#[test]
fn lesson_000_answers_come_from_the_run() {
    let answer = |step| answer("000", step);
    let lost = Answer::Fate(FateAnswer::Lost);
    // Pub/sub forgets what a subscriber missed, late or away; the stream
    // keeps it for a group created late; a popped list item is gone.
    assert_eq!((answer(1), answer(3)), (lost.clone(), lost));
    assert_eq!(answer(4), Answer::Fate(FateAnswer::Once));
    assert!(matches!(answer(2), Answer::Number(n) if n < 2));
    assert_eq!(answer(5), Answer::Number(20));
}

#[test]
fn lesson_002_answers_come_from_the_run() {
    let answer = |step| answer("002", step);
    // Chapter n was added at n seconds: its ID is that millisecond.
    let chapter = |n: u64| format!("{}-0", 1_700_000_000_000 + n * 1000);
    let id = |a: Answer| a.key();
    // The offset: chapter 1 after one read; unmoved by XACK; shared, so
    // reader-2 gets chapter 4; SETID back to chapter 1 gives chapter 2;
    // a new group starts from chapter 1.
    assert_eq!(id(answer(1)), chapter(1));
    assert_eq!(answer(2), Answer::Number(3));
    assert_eq!(id(answer(3)), chapter(3));
    assert_eq!(id(answer(4)), chapter(4));
    assert_eq!(id(answer(6)), chapter(2));
    assert_eq!(answer(7), Answer::Number(5));
    assert_eq!(id(answer(8)), chapter(1));
}

/// Number words, English, as whole words.
const EN_NUMBERS: &[&str] = &[
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "twenty", "thirty", "hundred", "twice", "thrice",
];
/// Number words, Korean: the numerals and the counting determiners (두,
/// 세, 네…), alone or with a particle. Not 한: it is also "a", and part of
/// the guarantees' names (최대 한 번).
const KO_NUMBERS: &[&str] = &[
    "하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉", "열", "두", "세", "네",
    "스물",
];
const KO_PARTICLES: &[&str] = &[
    "", "이", "가", "을", "를", "은", "는", "의", "도", "만", "씩", "로", "와", "과", "에", "째",
];

/// The words of `text` that state a number as fixed text. The rule a
/// lesson's step texts follow: a count or an outcome of the run is a
/// `{name}` hole read from the engine, so outside holes and `code` spans
/// (command lines the run types, checked by `Lesson::from_json`) no
/// number is written, in digits or in words, except
/// - in a name, a word with an ASCII letter too: `order-4`, `broker-2`,
///   `w1`, `acks=1`, `min.insync.replicas=2`, `XADD`;
/// - a time with its unit (`4.25 s`, `500 ms`, `6초`): when the scenario
///   sets a fault or a command, the lesson's input, not the run's outcome;
/// - after `chapter`, an entry named by its field as the note names it;
/// - an ordinal (`두 번째`, like "second"): it counts the lesson's own
///   points, not the run.
fn fixed_numbers(text: &str) -> Vec<String> {
    let mut plain = text.to_owned();
    for code in ackscope_engine::lesson::code_spans(text) {
        plain = plain.replacen(&format!("`{code}`"), " ", 1);
    }
    let plain = ackscope_engine::lesson::fill(&plain, |_| Some(" ".into()));
    let words: Vec<&str> = plain
        .split(|c: char| c.is_whitespace() || ",;:()[]“”\"'?!…/".contains(c))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let is_number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.');
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let after_unit = next == "s" || next.starts_with("ms");
        let seconds_ko = word.split_once('초').is_some_and(|(n, _)| is_number(n));
        let fixed = if word.chars().any(|c| c.is_ascii_digit()) {
            let name = word.chars().any(|c| c.is_ascii_alphabetic());
            let time = (is_number(word) && after_unit) || seconds_ko;
            let chapter = i > 0 && words[i - 1].eq_ignore_ascii_case("chapter");
            !(name || time || chapter)
        } else {
            let lower = word.to_ascii_lowercase();
            let ordinal = next.starts_with("번째");
            EN_NUMBERS.contains(&lower.as_str())
                || !ordinal
                    && KO_NUMBERS.iter().any(|n| {
                        word.strip_prefix(n)
                            .is_some_and(|rest| KO_PARTICLES.contains(&rest))
                    })
        };
        if fixed {
            out.push((*word).to_owned());
        }
    }
    out
}

#[test]
fn the_fixed_number_rule_catches_counts_and_lets_names_and_times_pass() {
    for said in [
        "Pending is per consumer: reader-1 holds two, reader-2 one.",
        "the same 30 orders",
        "XACK mybook readers 1700000001000-0",
        "orders has three replicas on brokers 1, 2 and 3",
        "reader-1이 둘, reader-2가 하나를 가지고 있습니다.",
        "레플리카 셋이 있고, 세 레인에서",
        "두 번 처리되는 주문",
    ] {
        assert!(!fixed_numbers(said).is_empty(), "{said}");
    }
    for said in [
        "reader-1 holds {held}, reader-2 {held2}.",
        "At 4.25 s order-11 is sent with acks=1, min.insync.replicas=2, every 500 ms.",
        "w1 acknowledges chapter 1 only: `XACK mybook readers 1700000001000-0`.",
        "3.5초에 발행되고, 6초에 돌아오며, 500 ms마다 보냅니다. 네트워크가 끊깁니다.",
        "최대 한 번 레인, 두 번째 유실",
    ] {
        assert_eq!(fixed_numbers(said), Vec::<String>::new(), "{said}");
    }
}

#[test]
fn lesson_steps_state_no_count_or_outcome_as_fixed_text() {
    let mut found = Vec::new();
    for lesson in builtin::all() {
        for (i, step) in lesson.steps.iter().enumerate() {
            let mut texts = vec![("text", &step.text)];
            texts.extend(step.point.as_ref().map(|p| ("point.label", &p.label)));
            if let Some(q) = &step.question {
                texts.extend([("prompt", &q.prompt), ("explain", &q.explain)]);
            }
            for (field, text) in texts {
                for (lang, said) in [("en", &text.en), ("ko", &text.ko)] {
                    let numbers = fixed_numbers(said);
                    if !numbers.is_empty() {
                        found.push(format!(
                            "lesson {} step {} {field} ({lang}): {numbers:?} in {said:?}",
                            lesson.id,
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "numbers written as text:\n{}",
        found.join("\n")
    );
}

#[test]
fn every_steps_values_are_read_from_its_run() {
    for lesson in builtin::all() {
        for (i, step) in lesson.steps.iter().enumerate() {
            let timeline = lesson.timeline(i).unwrap();
            let at = format!("lesson {} step {}", lesson.id, i + 1);
            step.values_at(&timeline, step.moment())
                .unwrap_or_else(|e| panic!("{at}: {e}"));
            if let Some(q) = &step.question {
                step.values_at(&timeline, q.reveal_at(&timeline))
                    .unwrap_or_else(|e| panic!("{at} (reveal): {e}"));
            }
        }
    }
}
