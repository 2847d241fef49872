//! Drives the real `fahras` binary on temporary corpora and indexes.
// Each test crate uses a different part of this module.
#![allow(dead_code)]

pub mod relevance;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// A corpus folder and an index folder, removed when dropped.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace whose corpus holds the given files.
    pub fn with_files(files: &[(&str, &[u8])]) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("corpus")).unwrap();
        std::fs::create_dir(dir.path().join("index")).unwrap();
        let workspace = Workspace { dir };
        for (name, bytes) in files {
            workspace.write(name, bytes);
        }
        workspace
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.corpus().join(name), bytes).unwrap();
    }

    /// Runs `fahras --corpus <corpus> --index <index> ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        run_with(&self.corpus(), &self.index(), args)
    }
}

/// The `(doc, passage)` of each hit of a `search --json` object, in rank order.
pub fn hits(json: &Value) -> Vec<(String, u64)> {
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["doc"].as_str().unwrap().to_owned(),
                h["passage"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub fn run_with(corpus: &Path, index: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_fahras"))
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .args(args)
        .output()
        .expect("fahras runs");
    Run {
        code: output.status.code().expect("fahras exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

impl Workspace {
    /// Starts `fahras ARGS` on this workspace without waiting for it.
    pub fn spawn(&self, args: &[&str]) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_fahras"))
            .arg("--corpus")
            .arg(self.corpus())
            .arg("--index")
            .arg(self.index())
            .args(args)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("fahras starts")
    }

    /// The generation directories in the index folder.
    pub fn generations(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.index())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("gen-"))
            .collect()
    }
}

/// A running `fahras serve` on a free loopback port, stopped when dropped.
pub struct Server {
    child: std::process::Child,
    pub base: String,
}

impl Server {
    /// Starts the server and waits for its `listening on` line.
    pub fn start(corpus: &Path, index: &Path) -> Server {
        Server::start_with(corpus, index, &[])
    }

    /// Starts `fahras serve ARGS` and waits for its `listening on` line.
    pub fn start_with(corpus: &Path, index: &Path, args: &[&str]) -> Server {
        use std::io::BufRead;
        let mut child = Command::new(env!("CARGO_BIN_EXE_fahras"))
            .arg("--corpus")
            .arg(corpus)
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("fahras serve starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut lines = std::io::BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server says where it listens before exiting")
                .expect("stderr is UTF-8");
            if let Some(address) = line.strip_prefix("fahras: listening on ") {
                break address.to_owned();
            }
        };
        // Keep draining the request log so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, base }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the server to exit by itself, at most `seconds`.
    pub fn wait_exit(&mut self, seconds: u64) -> Option<std::process::ExitStatus> {
        for _ in 0..seconds * 10 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
