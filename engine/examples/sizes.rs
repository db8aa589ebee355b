fn main() {
    println!(
        "redis Event {}",
        core::mem::size_of::<ackscope_engine::redis::event::Event>()
    );
    println!(
        "kafka Event {}",
        core::mem::size_of::<ackscope_engine::kafka::Event>()
    );
    println!(
        "SimEvent {}",
        core::mem::size_of::<ackscope_engine::sim::SimEvent>()
    );
    println!(
        "Bytes {}",
        core::mem::size_of::<ackscope_engine::redis::event::Bytes>()
    );
}
