//! Korean. Redis and Kafka terms keep their English spelling.

use super::{Catalogue, LabText};

/// Every Korean string.
pub const CATALOGUE: Catalogue = Catalogue {
    page_title: "ackscope — 메시지 브로커가 하는 일을 눈으로",
    tagline: "메시지 브로커가 하는 일을 메시지 하나하나, 한 단계씩 들여다봅니다.",
    labs: "실습",
    language: "언어",
    streams: LabText {
        name: "Streams",
        pending: "생산자가 stream에 추가한 entry를 consumer group이 나누어 가져가는 과정을 \
                  그룹의 `last-delivered-id`, consumer별 pending list, `XACK`, 장애 뒤의 claim, \
                  dead letter까지 한눈에 보여 줍니다.",
    },
    compare: LabText {
        name: "큐 vs Stream vs Pub/Sub",
        pending: "같은 메시지를 큐로 쓰는 Redis list, stream, pub/sub 채널로 보내서 누가 \
                  받는지, 읽은 뒤에도 무엇이 남는지, 늦게 합류한 소비자가 무엇을 읽을 수 \
                  있는지 비교합니다.",
    },
    kafka: LabText {
        name: "Kafka",
        pending: "레코드가 복제된 partition에 쓰이는 과정을 리더, in‑sync replica, `acks`, \
                  `min.insync.replicas`와 함께 따라간 뒤, 리더를 멈춰서 어떤 레코드가 살아남고 \
                  consumer가 커밋한 offset의 어디부터 다시 읽는지 확인합니다.",
    },
    guarantees: LabText {
        name: "전달 보장",
        pending: "같은 메시지를 at‑most‑once, at‑least‑once, exactly‑once로 보내고 ACK 유실과 \
                  consumer 장애를 일으켜, 어떤 메시지가 사라지고 어떤 메시지가 두 번 도착하며 \
                  메시지 ID로 중복을 거르는 consumer가 무엇을 잡아내는지 확인합니다.",
    },
    not_built: "준비 중",
    clock: "시뮬레이션 시계",
    play: "재생",
    pause: "일시 정지",
    step: "한 단계",
    reset: "처음으로",
    speed: "속도",
    sim_time: "시뮬레이션 시간",
    no_scenario: "불러온 시나리오 없음",
};
