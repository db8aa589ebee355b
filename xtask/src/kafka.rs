//! `cargo xtask record-kafka`: re-records `tests/fixtures/kafka/*.txt` from a
//! real Apache Kafka cluster on 127.0.0.1.
//!
//! It fetches Kafka's jars from Maven Central with `mvn` into the user's
//! cache (once per version), compiles the fixtures' client
//! (`tests/fixtures/kafka/recorder/Recorder.java`) against them, formats and
//! starts a KRaft cluster — one dedicated controller (node 0) and three
//! brokers (nodes 1, 2, 3 in racks a, b, c), so brokers can be killed
//! without losing the quorum — then plays [`scenario`]: it runs
//! `kafka-topics.sh`, `kafka-consumer-groups.sh` (their main classes) and
//! the recorder (producers, transactions, consumers of either isolation
//! level), kills and restarts brokers with SIGKILL, and writes each
//! command's output verbatim below a header that says what was done. Every
//! Java process it started is killed when it ends, failed or not.
//!
//! Never part of `cargo xtask test`: the fixtures are checked in, and
//! `tests/tests/kafka_fixtures.rs` reads them without Java or a network.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};

use crate::install;
use crate::sh::{self, Env};

/// The Kafka release recorded (`org.apache.kafka:kafka_2.13` and
/// `kafka-tools` on Maven Central).
pub const KAFKA_VERSION: &str = "4.4.0";
/// The controller's port; broker `n` listens on `CONTROLLER_PORT + n`.
const CONTROLLER_PORT: u16 = 19090;
/// The brokers: `node.id` and `broker.rack`.
const BROKERS: [(u32, &str); 3] = [(1, "a"), (2, "b"), (3, "c")];
/// How long a state the scenario waits for may take (elections take
/// `broker.session.timeout.ms`, 9 s, after a kill).
const WAIT: Duration = Duration::from_secs(90);

const TOPICS: &str = "org.apache.kafka.tools.TopicCommand";
const GROUPS: &str = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
const CLUSTER_TOOL: &str = "org.apache.kafka.tools.ClusterTool";

/// `cargo xtask record-kafka`.
pub fn record(env: &Env) -> Result<()> {
    install::java_and_maven(env)?;
    let home = env
        .tools
        .parent()
        .context("the tools folder has a parent")?
        .join(format!("kafka-{KAFKA_VERSION}"));
    let lib = fetch_jars(env, &home)?;
    let classes = compile_recorder(env, &home, &lib)?;
    let run = home.join("run");
    if run.exists() {
        std::fs::remove_dir_all(&run).with_context(|| format!("removing {}", run.display()))?;
    }
    let fixtures = env.root.join("tests/fixtures/kafka");
    let mut cluster = Cluster::start(&lib, &classes, &run)?;
    let result = scenario(&mut cluster, &fixtures);
    cluster.stop();
    result?;
    println!("recorded into {}", fixtures.display());
    Ok(())
}

// ----- the jars and the recorder -----

/// Downloads Kafka's broker and tools with their runtime dependencies (and
/// slf4j-simple, so that the processes can log) into `home/lib`, unless a
/// previous run finished doing so.
fn fetch_jars(env: &Env, home: &Path) -> Result<PathBuf> {
    let lib = home.join("lib");
    let done = home.join("lib.done");
    if done.is_file() {
        println!("ok Kafka {KAFKA_VERSION} jars in {}", lib.display());
        return Ok(lib);
    }
    std::fs::create_dir_all(home)?;
    let dependency = |group: &str, artifact: &str, version: &str| {
        format!(
            "<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>\
             <version>{version}</version></dependency>"
        )
    };
    let pom = format!(
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n\
         <modelVersion>4.0.0</modelVersion>\n\
         <groupId>ackscope</groupId><artifactId>record-kafka</artifactId><version>1</version>\n\
         <packaging>pom</packaging>\n<dependencies>\n{}\n{}\n{}\n</dependencies>\n</project>\n",
        dependency("org.apache.kafka", "kafka_2.13", KAFKA_VERSION),
        dependency("org.apache.kafka", "kafka-tools", KAFKA_VERSION),
        dependency("org.slf4j", "slf4j-simple", "1.7.36"),
    );
    std::fs::write(home.join("pom.xml"), pom)?;
    println!("fetching Kafka {KAFKA_VERSION} (mvn dependency:copy-dependencies)");
    sh::run(
        env.cmd("mvn")
            .current_dir(home)
            .args(["-q", "-B", "dependency:copy-dependencies"])
            .arg(format!("-DoutputDirectory={}", lib.display()))
            .arg("-DincludeScope=runtime"),
    )?;
    std::fs::write(&done, KAFKA_VERSION)?;
    Ok(lib)
}

/// Compiles `Recorder.java` into `home/classes`.
fn compile_recorder(env: &Env, home: &Path, lib: &Path) -> Result<PathBuf> {
    let classes = home.join("classes");
    std::fs::create_dir_all(&classes)?;
    let source = env.root.join("tests/fixtures/kafka/recorder/Recorder.java");
    sh::run(
        env.cmd("javac")
            .arg("-cp")
            .arg(lib.join("*"))
            .arg("-d")
            .arg(&classes)
            .arg(&source),
    )?;
    Ok(classes)
}

// ----- the cluster -----

/// What one finished command printed.
struct Output {
    stdout: String,
    stderr: String,
    ok: bool,
}

/// The running cluster: its processes and how to run tools against it.
struct Cluster {
    lib: PathBuf,
    classes: PathBuf,
    run: PathBuf,
    /// The controller (node 0) and the brokers, by node id, while running.
    nodes: Vec<(u32, Child)>,
}

impl Cluster {
    /// Writes the configs, formats every node's storage with one cluster
    /// id, starts the nodes and waits until all three brokers are unfenced.
    fn start(lib: &Path, classes: &Path, run: &Path) -> Result<Cluster> {
        for port in CONTROLLER_PORT..=CONTROLLER_PORT + 3 {
            ensure!(
                TcpStream::connect(("127.0.0.1", port)).is_err(),
                "port {port} is taken: is another Kafka running?"
            );
        }
        std::fs::create_dir_all(run.join("logs"))?;
        let mut cluster = Cluster {
            lib: lib.to_path_buf(),
            classes: classes.to_path_buf(),
            run: run.to_path_buf(),
            nodes: Vec::new(),
        };
        let id = cluster.java("kafka.tools.StorageTool", &["random-uuid"])?;
        let id = id.stdout.trim().to_string();
        ensure!(!id.is_empty(), "StorageTool random-uuid printed nothing");
        for node in 0..=3 {
            let config = cluster.write_config(node)?;
            let config = config.to_string_lossy().into_owned();
            let format = ["format", "-t", &id, "-c", &config];
            let out = cluster.java("kafka.tools.StorageTool", &format)?;
            ensure!(out.ok, "formatting node {node}: {}", out.stderr);
        }
        for node in 0..=3 {
            cluster.start_node(node)?;
        }
        cluster.wait_for_brokers(&[1, 2, 3])?;
        Ok(cluster)
    }

    /// `server.properties` of node `node` (0 is the controller).
    fn write_config(&self, node: u32) -> Result<PathBuf> {
        let common = format!(
            "controller.quorum.voters=0@127.0.0.1:{CONTROLLER_PORT}\n\
             controller.listener.names=CONTROLLER\n\
             listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT\n\
             log.dirs={}\n",
            self.run.join(format!("data-{node}")).display()
        );
        let own = if node == 0 {
            // Unclean elections are also retried every 300 s by default;
            // every second keeps the recording short.
            format!(
                "process.roles=controller\nnode.id=0\n\
                 listeners=CONTROLLER://127.0.0.1:{CONTROLLER_PORT}\n\
                 unclean.leader.election.interval.ms=1000\n"
            )
        } else {
            let rack = BROKERS[node as usize - 1].1;
            let port = port(node);
            format!(
                "process.roles=broker\nnode.id={node}\nbroker.rack={rack}\n\
                 listeners=PLAINTEXT://127.0.0.1:{port}\n\
                 advertised.listeners=PLAINTEXT://127.0.0.1:{port}\n\
                 inter.broker.listener.name=PLAINTEXT\n\
                 offsets.topic.replication.factor=3\noffsets.topic.num.partitions=1\n"
            )
        };
        let path = self.run.join(format!("node-{node}.properties"));
        std::fs::write(&path, own + &common)?;
        Ok(path)
    }

    fn start_node(&mut self, node: u32) -> Result<()> {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.run.join(format!("logs/node-{node}.log")))?;
        let child = Command::new("java")
            .arg("-Xmx512m")
            .arg("-cp")
            .arg(self.lib.join("*"))
            .arg("kafka.Kafka")
            .arg(self.run.join(format!("node-{node}.properties")))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting java kafka.Kafka")?;
        println!("started node {node} (pid {})", child.id());
        self.nodes.push((node, child));
        Ok(())
    }

    /// kill -9 of broker `node`.
    fn kill(&mut self, node: u32) -> Result<()> {
        let at = self.nodes.iter().position(|(n, _)| *n == node);
        let (_, mut child) = self.nodes.remove(at.context("that node is not running")?);
        child.kill()?;
        child.wait()?;
        println!("killed node {node} (SIGKILL)");
        Ok(())
    }

    /// Kills every node still running.
    fn stop(&mut self) {
        for (node, mut child) in self.nodes.drain(..) {
            let _ = child.kill();
            let _ = child.wait();
            println!("stopped node {node}");
        }
    }

    /// Waits until `ClusterTool list-endpoints` shows exactly these brokers
    /// unfenced.
    fn wait_for_brokers(&self, brokers: &[u32]) -> Result<()> {
        let bootstrap = bootstrap(brokers);
        let args = ["list-endpoints", "--bootstrap-server", bootstrap.as_str()];
        self.wait_until(&format!("brokers {brokers:?} unfenced"), || {
            let out = self.java(CLUSTER_TOOL, &args)?;
            let unfenced: Vec<u32> = out
                .stdout
                .lines()
                .filter(|l| l.contains(" unfenced "))
                .filter_map(|l| l.split_whitespace().next()?.parse().ok())
                .collect();
            Ok(unfenced == brokers)
        })
    }

    fn wait_until(&self, what: &str, mut done: impl FnMut() -> Result<bool>) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        while !done()? {
            if Instant::now() > deadline {
                bail!("gave up waiting for {what} after {}s", WAIT.as_secs());
            }
            thread::sleep(Duration::from_millis(500));
        }
        Ok(())
    }

    /// The length of node `node`'s log so far.
    fn log_len(&self, node: u32) -> Result<usize> {
        let log = self.run.join(format!("logs/node-{node}.log"));
        Ok(std::fs::metadata(log)?.len() as usize)
    }

    /// Waits until node `node`'s log, from byte `since` on, says `needle`.
    fn wait_for_log(&self, node: u32, since: usize, needle: &str) -> Result<()> {
        let log = self.run.join(format!("logs/node-{node}.log"));
        self.wait_until(&format!("`{needle}` in node {node}'s log"), || {
            let text = std::fs::read(&log)?;
            Ok(String::from_utf8_lossy(&text[since.min(text.len())..]).contains(needle))
        })
    }

    /// Runs a Java main class to the end. Tools log at ERROR only, so that
    /// connection warnings about killed brokers stay out of the output.
    fn java(&self, class: &str, args: &[&str]) -> Result<Output> {
        self.java_logging(class, args, "error")
    }

    fn java_logging(&self, class: &str, args: &[&str], level: &str) -> Result<Output> {
        let output = self
            .java_command(class, level)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running java {class}"))?;
        Ok(Output {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            ok: output.status.success(),
        })
    }

    fn java_command(&self, class: &str, level: &str) -> Command {
        let mut classpath = self.classes.clone().into_os_string();
        classpath.push(":");
        classpath.push(self.lib.join("*"));
        let mut cmd = Command::new("java");
        cmd.arg(format!("-Dorg.slf4j.simpleLogger.defaultLogLevel={level}"))
            .arg("-cp")
            .arg(classpath)
            .arg(class);
        cmd
    }

    /// `kafka-topics.sh --create --topic <topic> --replica-assignment
    /// <assignment> <more…>`.
    fn create_topic(
        &self,
        brokers: &[u32],
        topic: &str,
        assignment: &str,
        more: &[&str],
    ) -> Result<()> {
        let bootstrap = bootstrap(brokers);
        let mut args = vec![
            "--bootstrap-server",
            &bootstrap,
            "--create",
            "--topic",
            topic,
        ];
        args.extend(["--replica-assignment", assignment]);
        args.extend_from_slice(more);
        let out = self.java(TOPICS, &args)?;
        ensure!(out.ok, "creating {topic}: {}", out.stderr);
        Ok(())
    }

    /// `kafka-topics.sh --describe --topic <topic>` against `brokers`.
    fn describe_topic(&self, brokers: &[u32], topic: &str) -> Result<(String, Output)> {
        let bootstrap = bootstrap(brokers);
        let args = [
            "--bootstrap-server",
            &bootstrap,
            "--describe",
            "--topic",
            topic,
        ];
        let out = self.java(TOPICS, &args)?;
        ensure!(out.ok, "describing {topic}: {}", out.stderr);
        Ok((format!("kafka-topics.sh {}", args.join(" ")), out))
    }

    /// Describes `topic` until its description contains `wanted`.
    fn describe_once(
        &self,
        brokers: &[u32],
        topic: &str,
        wanted: &str,
    ) -> Result<(String, Output)> {
        self.describe_until(brokers, topic, &format!("`{wanted}`"), |d| {
            d.contains(wanted)
        })
    }

    /// Describes `topic` until `done` holds of its description.
    fn describe_until(
        &self,
        brokers: &[u32],
        topic: &str,
        what: &str,
        done: impl Fn(&str) -> bool,
    ) -> Result<(String, Output)> {
        let mut last = None;
        self.wait_until(&format!("{what} in {topic}'s description"), || {
            let (command, out) = self.describe_topic(brokers, topic)?;
            let found = done(&out.stdout);
            last = Some((command, out));
            Ok(found)
        })?;
        last.context("described at least once")
    }

    /// `kafka-consumer-groups.sh --describe --group <group>`.
    fn describe_group(&self, brokers: &[u32], group: &str) -> Result<(String, Output)> {
        let bootstrap = bootstrap(brokers);
        let args = [
            "--bootstrap-server",
            &bootstrap,
            "--describe",
            "--group",
            group,
        ];
        let out = self.java(GROUPS, &args)?;
        ensure!(out.ok, "describing group {group}: {}", out.stderr);
        Ok((format!("kafka-consumer-groups.sh {}", args.join(" ")), out))
    }

    /// The recorder's `produce`; its stderr carries the producer's WARN
    /// lines (each retry names the error).
    fn produce(&self, brokers: &[u32], args: &[&str]) -> Result<(String, Output)> {
        self.recorder(brokers, "produce", args)
    }

    /// `Recorder <mode> <bootstrap> <args…>` to the end.
    fn recorder(&self, brokers: &[u32], mode: &str, args: &[&str]) -> Result<(String, Output)> {
        let bootstrap = bootstrap(brokers);
        let mut all = vec![mode, bootstrap.as_str()];
        all.extend_from_slice(args);
        let out = self.java_logging("Recorder", &all, "warn")?;
        ensure!(out.ok, "Recorder {}: {}", all.join(" "), out.stderr);
        Ok((format!("Recorder {}", all.join(" ")), out))
    }

    /// The recorder's `consume … stay`: an active member until the returned
    /// handle is closed.
    fn consume_and_stay(&self, brokers: &[u32], args: &[&str]) -> Result<Held> {
        self.hold(brokers, "consume", args)
    }

    /// `Recorder <mode> …` started and left running once it printed
    /// `ready`, until the returned handle is closed.
    fn hold(&self, brokers: &[u32], mode: &str, args: &[&str]) -> Result<Held> {
        let bootstrap = bootstrap(brokers);
        let mut all = vec![mode, bootstrap.as_str()];
        all.extend_from_slice(args);
        let mut child = self
            .java_command("Recorder", "error")
            .args(&all)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting Recorder {mode}"))?;
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().context("piped stdout")?);
        let mut held = Held {
            child,
            stdin,
            stdout: None,
            command: format!("Recorder {}", all.join(" ")),
            printed: String::new(),
        };
        loop {
            let mut line = String::new();
            ensure!(
                stdout.read_line(&mut line)? > 0,
                "{} ended before it was ready:\n{}",
                held.command,
                held.printed
            );
            held.printed.push_str(&line);
            if line.starts_with("ready") {
                break;
            }
        }
        held.stdout = Some(stdout);
        Ok(held)
    }
}

impl Drop for Cluster {
    /// Whatever happened (a failed start, a failed step), no Java process
    /// outlives the recording.
    fn drop(&mut self) {
        self.stop();
    }
}

/// A recorder process left running (a consumer that stays in its group, a
/// transaction held open) until [`Held::close`].
struct Held {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Option<BufReader<ChildStdout>>,
    /// The command line, as fixtures show it.
    command: String,
    /// Its stdout so far.
    printed: String,
}

impl Held {
    /// Ends its input (a consumer closes and leaves its group, a held
    /// transaction commits) and waits for it; its whole stdout.
    fn close(mut self) -> Result<String> {
        drop(self.stdin.take());
        if let Some(mut stdout) = self.stdout.take() {
            stdout.read_to_string(&mut self.printed)?;
        }
        let status = self.child.wait()?;
        ensure!(status.success(), "{} exited with {status}", self.command);
        Ok(std::mem::take(&mut self.printed))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.stdin.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The `Isr:` field of a partition line of `kafka-topics.sh --describe`.
fn isr(line: &str) -> Option<&str> {
    line.split('\t')
        .find_map(|field| field.strip_prefix("Isr: "))
}

fn port(node: u32) -> u16 {
    CONTROLLER_PORT + node as u16
}

fn bootstrap(brokers: &[u32]) -> String {
    brokers
        .iter()
        .map(|b| format!("127.0.0.1:{}", port(*b)))
        .collect::<Vec<_>>()
        .join(",")
}

// ----- the fixtures -----

/// One fixture file: a header of `# ` lines (what was done, the version,
/// the command), then `--- stdout` and the command's stdout verbatim, then,
/// if kept, `--- stderr` and its stderr verbatim.
struct Fixture<'a> {
    name: &'a str,
    done: &'a [&'a str],
    command: String,
    stdout: &'a str,
    stderr: Option<&'a str>,
}

fn write_fixture(dir: &Path, f: Fixture<'_>) -> Result<()> {
    let mut text = String::new();
    for line in f.done {
        text.push_str(&format!("# {line}\n"));
    }
    text.push_str(&format!(
        "# Apache Kafka {KAFKA_VERSION}, KRaft: controller 0 \
         (unclean.leader.election.interval.ms=1000), brokers 1 2 3 (racks a b c, \
         offsets.topic.num.partitions=1) on 127.0.0.1; recorded by `cargo xtask record-kafka`\n"
    ));
    text.push_str(&format!("# $ {}\n--- stdout\n", f.command));
    for (name, section) in [("stdout", Some(f.stdout)), ("stderr", f.stderr)] {
        let Some(section) = section else { continue };
        ensure!(
            section.is_empty() || section.ends_with('\n'),
            "{}: its {name} does not end with a newline",
            f.name
        );
        if name == "stderr" {
            text.push_str("--- stderr\n");
        }
        text.push_str(section);
    }
    let path = dir.join(format!("{}.txt", f.name));
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// Everything recorded, in order; each step says what the fixture shows.
fn scenario(c: &mut Cluster, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let out = c.java("Recorder", &["errors"])?;
    ensure!(out.ok, "Recorder errors: {}", out.stderr);
    write_fixture(
        dir,
        Fixture {
            name: "errors",
            done: &[
                "every protocol error of this kafka-clients (org.apache.kafka.common.protocol.Errors): \
                 name, code, the exception a client gets, its default message",
            ],
            command: "Recorder errors".into(),
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    let all = [1, 2, 3];
    c.create_topic(
        &all,
        "orders",
        "1:2:3",
        &["--config", "min.insync.replicas=2"],
    )?;
    let unclean = ["--config", "unclean.leader.election.enable=true"];
    c.create_topic(&all, "payments", "1:2:3,2:3:1,3:1:2", &unclean)?;
    let created = "created orders: --replica-assignment 1:2:3 --config min.insync.replicas=2";
    let (command, out) = c.describe_once(&all, "orders", "Isr: 1,2,3")?;
    write_fixture(
        dir,
        Fixture {
            name: "topics-orders-healthy",
            done: &[created, "all brokers up"],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    let (command, out) = c.describe_once(&all, "payments", "Isr: 3,1,2")?;
    write_fixture(
        dir,
        Fixture {
            name: "topics-payments-three-partitions",
            done: &[
                "created payments: --replica-assignment 1:2:3,2:3:1,3:1:2 \
                 --config unclean.leader.election.enable=true (no min.insync.replicas)",
                "all brokers up",
            ],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    groups(c, dir)?;
    transactions(c, dir)?;
    failures(c, dir)
}

/// Consumer groups: an active member with committed offsets, then the same
/// group with no member and more records (lag); one member owning three
/// partitions.
fn groups(c: &mut Cluster, dir: &Path) -> Result<()> {
    let all = [1, 2, 3];
    let (command, out) = c.produce(&all, &["orders", "0", "10", "orders"])?;
    write_fixture(
        dir,
        Fixture {
            name: "produce-orders-healthy",
            done: &[
                "orders as in topics-orders-healthy; the producer's defaults (acks=all, \
                 idempotent); each send waits for its callback",
            ],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    let billing = [
        "billing",
        "orders",
        "10",
        "7",
        "stay",
        "client.id=billing-1",
    ];
    let member = c.consume_and_stay(&all, &billing)?;
    let (command, out) = c.describe_group(&all, "billing")?;
    let billing_done = "produce-orders-healthy's 10 records; a consumer (group billing, \
                       client.id billing-1, classic protocol) polled all 10 and committed \
                       offset 7";
    write_fixture(
        dir,
        Fixture {
            name: "groups-billing-active",
            done: &[billing_done, "the consumer is still polling"],
            command,
            stdout: &out.stdout,
            stderr: Some(&out.stderr),
        },
    )?;
    member.close()?;
    c.produce(&all, &["orders", "0", "5", "more"])?;
    let (command, out) = c.describe_group(&all, "billing")?;
    write_fixture(
        dir,
        Fixture {
            name: "groups-billing-empty",
            done: &[
                billing_done,
                "then the consumer closed (left the group) and 5 more records were produced",
            ],
            command,
            stdout: &out.stdout,
            stderr: Some(&out.stderr),
        },
    )?;
    for (partition, count) in [("0", "4"), ("1", "3"), ("2", "2")] {
        c.produce(&all, &["payments", partition, count, "payments"])?;
    }
    let audit = ["audit", "payments", "9", "2", "stay", "client.id=audit-1"];
    let member = c.consume_and_stay(&all, &audit)?;
    let (command, out) = c.describe_group(&all, "audit")?;
    write_fixture(
        dir,
        Fixture {
            name: "groups-audit-three-partitions",
            done: &[
                "payments as in topics-payments-three-partitions; 4, 3 and 2 records \
                 produced to partitions 0, 1, 2",
                "a consumer (group audit, client.id audit-1) polled all 9 and committed \
                 offset 2 on each partition; it is still polling",
            ],
            command,
            stdout: &out.stdout,
            stderr: Some(&out.stderr),
        },
    )?;
    member.close()?;
    Ok(())
}

/// Transactions on invoices (one partition on brokers 1, 2, 3): a
/// committed one, an aborted one, one held open while both isolation
/// levels read, a fenced instance, and offsets committed through a
/// transaction (shipments takes the copies).
fn transactions(c: &mut Cluster, dir: &Path) -> Result<()> {
    let all = [1, 2, 3];
    for topic in ["invoices", "shipments"] {
        c.create_topic(&all, topic, "1:2:3", &[])?;
    }
    // Each fixture's stdout, under everything done so far.
    let mut done = vec![
        "created invoices and shipments: --replica-assignment 1:2:3; the producers' defaults \
         with a transactional.id; each send waits for its callback",
    ];
    let save = |name: &str, done: &[&str], command: String, stdout: &str| {
        let stderr = None;
        write_fixture(
            dir,
            Fixture {
                name,
                done,
                command,
                stdout,
                stderr,
            },
        )
    };
    let runs: [(&str, &str, &str, &[&str]); 2] = [
        (
            "txn-invoices-commit",
            "billing-tx sent 3 records in a transaction and committed it",
            "txn",
            &["invoices", "0", "billing-tx", "3", "inv", "commit"],
        ),
        (
            "txn-invoices-abort",
            "a new billing-tx instance sent 2 records in a transaction and aborted it",
            "txn",
            &["invoices", "0", "billing-tx", "2", "void", "abort"],
        ),
    ];
    for (name, what, mode, args) in runs {
        let (command, out) = c.recorder(&all, mode, args)?;
        done.push(what);
        save(name, &done, command, &out.stdout)?;
    }
    let held = ["invoices", "0", "open-tx", "2", "open", "hold"];
    let open = c.hold(&all, "txn", &held)?;
    done.push("open-tx sent 2 records in a transaction it keeps open");
    let (command, out) = c.recorder(&all, "read", &["invoices", "0"])?;
    save("read-invoices-open", &done, command, &out.stdout)?;
    let command = open.command.clone();
    let stdout = open.close()?;
    done.push("then open-tx committed");
    save("txn-invoices-held", &done, command, &stdout)?;
    let (command, out) = c.recorder(&all, "fence", &["invoices", "0", "fence-tx"])?;
    done.push("two instances of fence-tx: the second's initTransactions fences the first");
    save("txn-invoices-fenced", &done, command, &out.stdout)?;
    let (command, out) = c.recorder(&all, "read", &["invoices", "0"])?;
    save("read-invoices-settled", &done, command, &out.stdout)?;
    let copy = ["shipping", "invoices", "shipments", "shipping-tx", "6"];
    let (command, out) = c.recorder(&all, "copy", &copy)?;
    done.push(
        "group shipping (read_committed) read the 6 committed records; shipping-tx copied them \
         to shipments and sent the offset after the last one read to the transaction; committed",
    );
    save("txn-shipments-copy", &done, command, &out.stdout)?;
    let (command, out) = c.describe_group(&all, "shipping")?;
    let group = Fixture {
        name: "groups-shipping-txn",
        done: &done,
        command,
        stdout: &out.stdout,
        stderr: Some(&out.stderr),
    };
    write_fixture(dir, group)?;
    let (command, out) = c.recorder(&all, "read", &["shipments", "0"])?;
    save("read-shipments", &done, command, &out.stdout)
}

/// Brokers die: a new leader, then an ISR below min.insync.replicas (ELR)
/// and what producers get, then a restart and another kill.
fn failures(c: &mut Cluster, dir: &Path) -> Result<()> {
    c.kill(1)?;
    let (command, out) = c.describe_once(&[2, 3], "orders", "Leader: 2")?;
    let killed_1 = "orders as in topics-orders-healthy, with groups-billing-empty's 15 records; \
                    broker 1 (the leader) killed with SIGKILL; described once the controller \
                    moved the leadership (after broker.session.timeout.ms, 9 s)";
    write_fixture(
        dir,
        Fixture {
            name: "topics-orders-leader-killed",
            done: &[killed_1],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    c.kill(2)?;
    let (command, out) = c.describe_once(&[3], "orders", "Leader: 3")?;
    let killed_2 = "then broker 2 (the new leader) killed too: the ISR is below \
                    min.insync.replicas=2";
    write_fixture(
        dir,
        Fixture {
            name: "topics-orders-two-killed",
            done: &[killed_1, killed_2],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    producers_below_min_isr(c, dir, &[killed_1, killed_2])?;
    c.start_node(1)?;
    c.wait_for_brokers(&[1, 3])?;
    // Every partition's ISR has two members again (in whichever order
    // Kafka keeps them: that is what is recorded).
    let rejoined = |d: &str| {
        d.lines()
            .skip(1)
            .all(|l| isr(l).is_some_and(|isr| isr.split(',').count() == 2))
    };
    let (command, out) = c.describe_until(&[1, 3], "orders", "two replicas in sync", rejoined)?;
    let restarted = "then broker 1 restarted; described once it had caught up and rejoined the ISR";
    write_fixture(
        dir,
        Fixture {
            name: "topics-orders-restarted",
            done: &[killed_1, killed_2, restarted],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    let (command, out) = c.describe_until(&[1, 3], "payments", "two replicas in sync", rejoined)?;
    write_fixture(
        dir,
        Fixture {
            name: "topics-payments-restarted",
            done: &[
                "payments as in topics-payments-three-partitions; brokers 1 and 2 killed as in \
                 topics-orders-two-killed (broker 3 leads every partition)",
                restarted,
            ],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    c.kill(3)?;
    let (command, out) = c.describe_once(&[1], "orders", "Leader: 1")?;
    write_fixture(
        dir,
        Fixture {
            name: "topics-orders-third-leader-killed",
            done: &[
                killed_1,
                killed_2,
                restarted,
                "then broker 3 (the leader) killed: broker 1 leads alone",
            ],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    unclean(c, dir)
}

/// Unclean election and truncation, on payments (unclean election on,
/// min.insync.replicas 1): broker 1 leads alone and takes three more
/// records; it dies; broker 2, which missed them, comes back and is elected
/// uncleanly; broker 1 comes back and truncates them away (KIP-101).
fn unclean(c: &mut Cluster, dir: &Path) -> Result<()> {
    let before = "the story of topics-orders-third-leader-killed: brokers 2 and 3 are down, \
                  broker 1 leads orders and every payments partition alone";
    let (command, out) = c.produce(&[1], &["payments", "0", "3", "late"])?;
    write_fixture(
        dir,
        Fixture {
            name: "produce-payments-leader-alone",
            done: &[
                before,
                "3 records to payments-0 with the producer's defaults",
            ],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    // Broker 2 starts only once the controller has fenced broker 1: the
    // other way round (a restart quicker than broker.session.timeout.ms)
    // the fencing and the unclean election are one leader epoch, not two,
    // and which comes first would be a race.
    let since = c.log_len(0)?;
    c.kill(1)?;
    c.wait_for_log(0, since, "Fencing broker 1 ")?;
    c.start_node(2)?;
    c.wait_for_brokers(&[2])?;
    let killed = "then broker 1 killed; once the controller had fenced it (payments-0 offline), \
                  broker 2 (down since before the 3 records) restarted";
    let (command, out) = c.describe_until(&[2], "payments", "three leaders", |d| {
        d.lines().skip(1).all(|l| !l.contains("Leader: none"))
    })?;
    write_fixture(
        dir,
        Fixture {
            name: "topics-payments-unclean",
            done: &[
                before,
                killed,
                "described once every partition had a leader",
            ],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    let (command, out) = c.describe_topic(&[2], "orders")?;
    write_fixture(
        dir,
        Fixture {
            name: "topics-orders-offline",
            done: &[
                before,
                killed,
                "orders (unclean election off) at the same moment",
            ],
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    truncation(c, dir, &[before, killed])
}

/// Broker 1 comes back after the unclean election: what its log says it
/// truncated, and the ISRs once it caught up.
fn truncation(c: &mut Cluster, dir: &Path, before: &[&str]) -> Result<()> {
    let log = c.run.join("logs/node-1.log");
    let start = c.log_len(1)?;
    c.start_node(1)?;
    c.wait_for_brokers(&[1, 2])?;
    let rejoined = |d: &str| {
        d.lines()
            .skip(1)
            .all(|l| isr(l).is_some_and(|isr| isr.split(',').count() == 2))
    };
    let (command, out) = c.describe_until(&[1, 2], "payments", "two replicas in sync", rejoined)?;
    let mut done = before.to_vec();
    done.push("then broker 1 restarted; described once it had rejoined every ISR");
    write_fixture(
        dir,
        Fixture {
            name: "topics-payments-old-leader-back",
            done: &done,
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    let text = std::fs::read(&log)?;
    let data = c.run.join("data-1").display().to_string();
    let lines: String = String::from_utf8_lossy(&text[start.min(text.len())..])
        .lines()
        .filter(|l| l.contains("payments-0") && l.to_lowercase().contains("truncat"))
        .map(|l| format!("{}\n", l.replace(&data, "<data-1>")))
        .collect();
    done.push(
        "the lines of broker 1's log since its restart that mention payments-0 and truncation \
         (its data folder written <data-1>)",
    );
    write_fixture(
        dir,
        Fixture {
            name: "log-payments-truncated",
            done: &done,
            command: format!("grep payments-0 {} | grep -i truncat", log.display()),
            stdout: &lines,
            stderr: None,
        },
    )?;
    done.pop();
    let (command, out) = c.describe_topic(&[1, 2], "orders")?;
    done.push(
        "orders (unclean election off) at the same moment, as in topics-orders-offline before",
    );
    write_fixture(
        dir,
        Fixture {
            name: "topics-orders-old-leader-back",
            done: &done,
            command,
            stdout: &out.stdout,
            stderr: None,
        },
    )?;
    leader_epochs(c, dir)
}

/// Every leadership the brokers took over the whole story: kafka-topics
/// does not print leader epochs, the brokers' logs do.
fn leader_epochs(c: &mut Cluster, dir: &Path) -> Result<()> {
    let mut lines: Vec<(String, u32, String)> = Vec::new();
    for node in 1..=3 {
        let text = std::fs::read_to_string(c.run.join(format!("logs/node-{node}.log")))?;
        for line in text.lines() {
            for tp in ["orders-0", "payments-0"] {
                let Some((_, rest)) = line.split_once(&format!("] Leader {tp} ")) else {
                    continue;
                };
                let epoch = rest
                    .split_once("starts at leader epoch ")
                    .and_then(|(_, e)| e.split(' ').next()?.parse().ok())
                    .context("a leader line without its epoch")?;
                lines.push((tp.to_string(), epoch, format!("{line}\n")));
            }
        }
    }
    lines.sort();
    let text: String = lines.into_iter().map(|(_, _, l)| l).collect();
    write_fixture(
        dir,
        Fixture {
            name: "log-leader-epochs",
            done: &[
                "the whole story, from topics-orders-healthy to topics-orders-old-leader-back",
                "every `Leader <partition> starts at leader epoch` line of the brokers' logs for \
                 orders-0 and payments-0, sorted by partition and epoch",
            ],
            command: "grep -h '] Leader orders-0 \\|] Leader payments-0 ' node-*.log".into(),
            stdout: &text,
            stderr: None,
        },
    )
}

/// What a producer gets while orders' ISR is {3} and min.insync.replicas 2.
fn producers_below_min_isr(c: &mut Cluster, dir: &Path, before: &[&str]) -> Result<()> {
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "produce-acks-all-no-retries",
            "acks=all (the default) with retries=0 (idempotence off): the callback's exception",
            &["orders", "0", "1", "strict", "retries=0"],
        ),
        (
            "produce-acks-1",
            "acks=1: appended by the leader alone, acknowledged",
            &["orders", "0", "1", "one", "acks=1"],
        ),
        (
            "produce-acks-all-retrying",
            "the producer's defaults (acks=all, idempotent, retries unbounded) with \
             delivery.timeout.ms=10000 request.timeout.ms=5000: it retries (WARN lines on \
             stderr) until the delivery timeout",
            &[
                "orders",
                "0",
                "1",
                "timeout",
                "delivery.timeout.ms=10000",
                "request.timeout.ms=5000",
            ],
        ),
    ];
    for (name, what, args) in cases {
        let (command, out) = c.produce(&[3], args)?;
        let mut done = before.to_vec();
        done.push(what);
        write_fixture(
            dir,
            Fixture {
                name,
                done: &done,
                command,
                stdout: &out.stdout,
                stderr: Some(&out.stderr),
            },
        )?;
    }
    let (command, out) = c.describe_group(&[3], "billing")?;
    let mut done = before.to_vec();
    done.push("after produce-acks-1: LOG-END-OFFSET is the high watermark, which held still");
    write_fixture(
        dir,
        Fixture {
            name: "groups-billing-isr-below-min",
            done: &done,
            command,
            stdout: &out.stdout,
            stderr: Some(&out.stderr),
        },
    )
}
