//! Whatever a user injects — any command line at the console, any fault on
//! any role or the broker, at any time — the simulation neither panics nor
//! breaks a property (checked after every step, in every build), and stays
//! deterministic.

use ackscope_engine::scenario::{FaultKind, FaultSpec, builtin};
use ackscope_engine::sim::{Injection, Timeline};
use proptest::prelude::*;

const LINES: &[&str] = &[
    "XADD orders * msg order-999 amount 1",
    "XADD payments * msg payment-4 amount 1",
    "XGROUP SETID orders billing 0",
    "XGROUP SETID payments ledger $",
    "XGROUP DESTROY orders billing",
    "XGROUP DELCONSUMER payments ledger p1",
    "XTRIM orders MAXLEN 0",
    "XDEL payments 1700000001500-0",
    "DEL orders",
    "FLUSHALL",
    "XREADGROUP GROUP billing console COUNT 5 STREAMS orders >",
    "XAUTOCLAIM payments ledger console 0 0",
    "XREAD BLOCK 0 STREAMS orders $",
    "BLPOP jobs 0",
    "RPUSH jobs x",
    "PUBLISH events hi",
    "SUBSCRIBE events",
    "XACK orders billing 1700000000100-0",
    "SET done:billing:order-3 1",
    "DEL done:billing:order-2",
    "INCR effects:billing",
    "EXPIRE orders 1",
    "MULTI",
    "EXEC",
    "WATCH orders",
    "not a command",
    "\"unterminated",
];

fn injection() -> impl Strategy<Value = Injection> {
    let console = (
        0u64..25_000,
        0..LINES.len(),
        prop::sample::select(vec!["console", "w1", "other"]),
        // Lanes past the scenario's last must be refused, not obeyed.
        0u16..4,
    )
        .prop_map(|(at_ms, i, client, lane)| Injection::Console {
            at_ms,
            client: client.into(),
            line: LINES[i].into(),
            lane,
        });
    let fault = (
        0u64..25_000,
        prop::sample::select(vec![
            FaultKind::Crash,
            FaultKind::Restart,
            FaultKind::Slow,
            FaultKind::Disconnect,
            FaultKind::LoseCommand,
            FaultKind::LoseReply,
            FaultKind::BrokerCrash,
            FaultKind::BrokerRestart,
        ]),
        prop::sample::select(vec![
            "w1", "w2", "p1", "p2", "mobile", "order", "payment", "event", "nobody",
        ]),
        prop::option::of(0u64..30_000),
        prop::option::of(-5.0f64..500.0),
        prop::option::of(prop::sample::select(vec![
            "XACK",
            "XADD",
            "XREADGROUP",
            "exec",
        ])),
    )
        .prop_map(|(at_ms, kind, role, until_ms, factor, command)| {
            Injection::Fault(FaultSpec {
                at_ms,
                kind,
                role: kind.needs_role().then(|| role.into()),
                until_ms,
                factor,
                command: command.map(Into::into),
            })
        });
    prop_oneof![console, fault]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn injections_never_break_a_run(
        which in 0..builtin::SOURCES.len(),
        injections in prop::collection::vec(injection(), 0..6),
    ) {
        let scenario = builtin::by_name(builtin::SOURCES[which].0).unwrap();
        let seed = scenario.seed;
        let a = Timeline::run_with(scenario.clone(), seed, injections.clone());
        let b = Timeline::run_with(scenario, seed, injections);
        prop_assert_eq!(a.fingerprint(), b.fingerprint());
        prop_assert!(a.end().is_finished());
        if let Some(v) = a.violation() {
            prop_assert!(false, "{}", v);
        }
    }
}
