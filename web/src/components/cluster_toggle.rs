//! The Compare lab's "where Redis runs" switch: one server, or a Redis
//! Cluster of the engine's [`CLUSTER_SHAPE`]. The choice shown is the
//! run's scenario's, read from the engine; choosing the other runs the
//! scenario again with the same seed, time and injections, as the Kafka
//! lab's settings do (`Action::Set`). The cluster's refusal — the command
//! it would answer with CROSSSLOT or MOVED — is told here.

use ackscope_engine::scenario::{CLUSTER_SHAPE, RedisSetting};
use yew::prelude::*;

use super::{NoticeBar, Said};
use crate::i18n::use_catalogue;
use crate::state::Notice;
use crate::words::fill;

/// Props of [`ClusterToggle`].
#[derive(Properties, PartialEq)]
pub struct ClusterToggleProps {
    /// Whether the run's scenario runs on a cluster.
    pub on: bool,
    /// Whether that differs from the scenario as written.
    pub changed: bool,
    /// The cluster's refusal of the last change, if it refused it.
    pub refused: Option<Notice>,
    /// Called with the setting chosen.
    pub on_set: Callback<RedisSetting>,
    /// Called to hide the refusal.
    pub on_dismiss: Callback<()>,
}

/// Two toggle buttons, "One server" and "Cluster of N primaries…"; the
/// one the run uses is pressed. Buttons rather than radios: the browser
/// keeps no choice of its own, so a refused change leaves nothing stale
/// on screen.
#[component]
pub fn ClusterToggle(props: &ClusterToggleProps) -> Html {
    let text = use_catalogue();
    let t = &text.compare_stage;
    let cluster = fill(
        t.topology_cluster,
        &[
            ("primaries", CLUSTER_SHAPE.primaries.to_string()),
            ("replicas", CLUSTER_SHAPE.replicas.to_string()),
        ],
    );
    let choice = |on: bool, label: Html| {
        let on_set = props.on_set.clone();
        let value = RedisSetting::ClusterEnabled(on);
        let pressed = props.on == on;
        html! {
            <button type="button" class="button button--small topology__choice"
                data-testid={if on { "topology-cluster" } else { "topology-single" }}
                aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_: MouseEvent| if !pressed { on_set.emit(value) })}>
                { label }
            </button>
        }
    };
    html! {
        <section class="panel settings topology" data-testid="cluster-toggle"
            data-value={RedisSetting::ClusterEnabled(props.on).value_text()}
            data-changed={props.changed.to_string()}>
            <h3 class="panel__title" id="topology-title">{ t.topology }</h3>
            <div class="topology__choices" role="group" aria-labelledby="topology-title">
                { choice(false, html! { { t.topology_single } }) }
                { choice(true, html! { <Said sentence={cluster} /> }) }
            </div>
            if props.changed {
                <p class="settings__changed topology__changed">{ t.topology_changed }</p>
            }
            if let Some(notice) = props.refused.clone() {
                <NoticeBar notice={notice} on_dismiss={props.on_dismiss.clone()} />
            }
            <p class="panel__hint settings__hint">{ t.topology_hint }</p>
        </section>
    }
}
