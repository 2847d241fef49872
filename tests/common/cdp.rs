//! Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
//! JSON messages ended by a NUL byte, read by Chromium on fd 3 and written on fd 4), so that
//! a test can type, press keys and click as a person does, with real input events.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// No single protocol command may take longer than this.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long [`Chrome::wait_for`] waits for the page to reach a state.
const WAIT_TIMEOUT: Duration = Duration::from_secs(20);

/// Chromium headless, in a container (no sandbox, no GPU, no /dev/shm) and quiet: nothing
/// of its own on the network.
pub const HEADLESS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

pub struct Chrome {
    child: Child,
    to_browser: File,
    from_browser: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Uncaught exceptions of the page's script, as the protocol reported them.
    exceptions: Vec<String>,
    _profile: tempfile::TempDir,
}

/// A pipe whose ends are above the standard descriptors and close on exec.
fn pipe() -> (RawFd, RawFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let high = |fd: RawFd| {
        // SAFETY: duplicating a descriptor this function owns, then closing the original.
        let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 10) };
        assert!(new >= 10);
        unsafe { libc::close(fd) };
        new
    };
    (high(fds[0]), high(fds[1]))
}

impl Chrome {
    pub fn start(binary: &str) -> Chrome {
        let profile = tempfile::tempdir().unwrap();
        let (browser_reads, we_write) = pipe();
        let (we_read, browser_writes) = pipe();
        let mut command = Command::new(binary);
        command
            .args(HEADLESS)
            .args(["--window-size=1280,900", "--remote-debugging-pipe"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls between fork and exec; dup2 leaves the new
        // descriptors open across exec.
        unsafe {
            command.pre_exec(move || {
                if libc::dup2(browser_reads, 3) < 0 || libc::dup2(browser_writes, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("chromium starts");
        // SAFETY: these descriptors are ours; the browser's ends are closed here, in this
        // process, so that its exit ends our reads.
        let (to_browser, from) = unsafe {
            libc::close(browser_reads);
            libc::close(browser_writes);
            (File::from_raw_fd(we_write), File::from_raw_fd(we_read))
        };
        let (sender, from_browser) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(from);
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                message.pop_if(|b| *b == 0);
                let Ok(value) = serde_json::from_slice::<Value>(&message) else {
                    continue;
                };
                if sender.send(value).is_err() {
                    break;
                }
            }
        });
        let mut chrome = Chrome {
            child,
            to_browser,
            from_browser,
            next_id: 0,
            session: String::new(),
            exceptions: Vec::new(),
            _profile: profile,
        };
        let targets = chrome.command(None, "Target.getTargets", json!({}));
        let page = targets["targetInfos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .expect("the browser has a page")["targetId"]
            .clone();
        let attached = chrome.command(
            None,
            "Target.attachToTarget",
            json!({"targetId": page, "flatten": true}),
        );
        chrome.session = attached["sessionId"].as_str().unwrap().to_owned();
        chrome.send("Page.enable", json!({}));
        chrome.send("Runtime.enable", json!({}));
        chrome
    }

    /// Sends one command (to the page's session, or to the browser) and waits for its reply.
    fn command(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = Value::from(session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.to_browser.write_all(&bytes).expect("chromium reads");
        let started = Instant::now();
        loop {
            let left = REPLY_TIMEOUT.saturating_sub(started.elapsed());
            let reply = match self.from_browser.recv_timeout(left) {
                Ok(reply) => reply,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no reply to {method} in {REPLY_TIMEOUT:?}")
                }
                Err(RecvTimeoutError::Disconnected) => panic!("chromium exited during {method}"),
            };
            if reply["method"] == "Runtime.exceptionThrown" {
                let details = &reply["params"]["exceptionDetails"];
                self.exceptions.push(details.to_string());
            }
            if reply["id"] == id {
                assert!(reply["error"].is_null(), "{method}: {}", reply["error"]);
                return reply["result"].clone();
            }
        }
    }

    fn send(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.command(Some(&session), method, params)
    }

    pub fn goto(&mut self, url: &str) {
        self.send("Page.navigate", json!({"url": url}));
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    pub fn eval(&mut self, expression: &str) -> Value {
        let reply = self.send(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            reply["exceptionDetails"].is_null(),
            "{expression}: {}",
            reply["exceptionDetails"]
        );
        reply["result"]["value"].clone()
    }

    /// Waits until `expression` is truthy in the page and returns its value.
    pub fn wait_for(&mut self, what: &str, expression: &str) -> Value {
        let started = Instant::now();
        loop {
            // A navigation in progress may destroy the context an evaluation ran in.
            let reply = self.send(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true}),
            );
            let value = &reply["result"]["value"];
            if reply["exceptionDetails"].is_null()
                && !value.is_null()
                && *value != Value::Bool(false)
            {
                return value.clone();
            }
            assert!(
                started.elapsed() < WAIT_TIMEOUT,
                "{what}: `{expression}` did not hold within {WAIT_TIMEOUT:?}; the page:\n{}",
                self.eval("document.querySelector('main') ? document.querySelector('main').innerText.slice(0, 2000) : ''")
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks the first element `selector` matches, with the mouse, in the middle of its first
    /// box (a link that wraps onto two lines has nothing of its own in the middle of both),
    /// once the element is on top there and has stayed in place between two looks: a page
    /// still laying itself out (a header filled in late) would move it from under the pointer.
    pub fn click(&mut self, selector: &str) {
        let quoted = serde_json::to_string(selector).unwrap();
        let at = self.wait_for(
            &format!("an element {selector} to click"),
            &format!(
                "(() => {{ const e = document.querySelector({quoted}); if (!e) return null;
                 e.scrollIntoView({{block: 'center'}}); const r = e.getClientRects()[0];
                 if (!r || r.width === 0) return null;
                 const x = r.left + r.width / 2, y = r.top + r.height / 2;
                 const hit = document.elementFromPoint(x, y);
                 if (!hit || !e.contains(hit)) return null;
                 const at = x + ',' + y, still = window.__fahrasClickAt === at;
                 window.__fahrasClickAt = at;
                 return still ? [x, y] : null; }})()"
            ),
        );
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        for kind in ["mouseMoved", "mousePressed", "mouseReleased"] {
            self.send(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Empties the field `selector` and types `text` into it, as a keyboard would.
    pub fn type_into(&mut self, selector: &str, text: &str) {
        let quoted = serde_json::to_string(selector).unwrap();
        self.wait_for(
            &format!("the field {selector}"),
            &format!(
                "(() => {{ const e = document.querySelector({quoted}); if (!e) return null;
                 e.focus(); e.select(); return document.activeElement === e; }})()"
            ),
        );
        self.send("Input.insertText", json!({"text": text}));
    }

    pub fn press_enter(&mut self) {
        for kind in ["keyDown", "keyUp"] {
            self.send(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": "Enter", "code": "Enter",
                       "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13, "text": "\r"}),
            );
        }
    }

    /// Fails when the page's script has thrown an uncaught exception so far.
    pub fn assert_no_exceptions(&self) {
        assert!(self.exceptions.is_empty(), "{:?}", self.exceptions);
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
