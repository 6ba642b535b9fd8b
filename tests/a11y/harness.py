"""The app under a real accessibility bus: Xvfb, a private D-Bus session, the AT-SPI bus and
registry (``at-spi2-core``), the app with ``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``, real key
presses from ``xdotool``, and a ``pyatspi`` client in Debian's own Python (atspi_client.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

CLIENT = Path(__file__).with_name("atspi_client.py")
SYSTEM_PYTHON = "/usr/bin/python3"
INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "spin button",
    "menu item",
    "page tab",
    "table",
    "tree table",
    "list",
    "slider",
    "link",
    "date editor",
}
Node = dict[str, Any]


def missing_tools() -> list[str]:
    """What this machine lacks to run the accessibility tests (empty: all there)."""
    wanted = ["Xvfb", "xdotool", "dbus-launch"]
    missing = [tool for tool in wanted if shutil.which(tool) is None]
    for path in ("/usr/libexec/at-spi-bus-launcher", "/usr/libexec/at-spi2-registryd"):
        if not Path(path).exists():
            missing.append(path)
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if probe.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


class Bus:
    """Xvfb + a D-Bus session + the AT-SPI bus and registry, for one test session."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = dict(os.environ)

    def start(self) -> None:
        read, write = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        self.processes.append(xvfb)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        self.env.update(DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb", NO_AT_BRIDGE="0")
        self.env.pop("WAYLAND_DISPLAY", None)
        launched = subprocess.run(
            ["dbus-launch", "--sh-syntax"], env=self.env, capture_output=True, text=True, check=True
        )
        for line in launched.stdout.splitlines():
            key, _, value = line.partition("=")
            if key in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
                self.env[key] = value.rstrip(";").strip("'")
        for program in ("/usr/libexec/at-spi-bus-launcher", "/usr/libexec/at-spi2-registryd"):
            extra = ["--launch-immediately"] if program.endswith("launcher") else []
            self.processes.append(
                subprocess.Popen([program, *extra], env=self.env, stderr=subprocess.DEVNULL)
            )
            time.sleep(0.5)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        pid = self.env.get("DBUS_SESSION_BUS_PID")
        if pid and pid.isdigit():
            with suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)


class App:
    """One run of the app on the bus, driven by key presses and read through AT-SPI."""

    def __init__(self, bus: Bus, data_dir: Path, *arguments: str) -> None:
        env = dict(
            bus.env, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", SCREENING_APP_DATA_DIR=str(data_dir)
        )
        self.env = env
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = (data_dir / "app.log").open("wb")
        # what a screen reader hears, from before the app starts: focus changes and
        # announcements, one JSON line each (Orca follows focus the same way)
        self.events_path = data_dir / "events.jsonl"
        self.events_file = self.events_path.open("w")
        self.listener = subprocess.Popen(
            [SYSTEM_PYTHON, str(CLIENT), "listen"], env=env, stdout=self.events_file
        )
        deadline = time.monotonic() + 10
        while not self.events_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)  # "ready"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "screening_app", *arguments],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        self.listener.terminate()
        self.listener.wait(timeout=10)
        self.events_file.close()

    # -- reading -----------------------------------------------------------------------------
    def tree(self) -> list[Node]:
        done = subprocess.run(
            [SYSTEM_PYTHON, str(CLIENT), "tree"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return json.loads(done.stdout or "[]")

    def wait_for(self, found: Callable[[list[Node]], Any], timeout: float = 20) -> Any:
        """The first truthy ``found(tree)`` within ``timeout`` seconds (AssertionError after)."""
        deadline = time.monotonic() + timeout
        while True:
            result = found(self.tree())
            if result:
                return result
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"not found within {timeout} s")
            time.sleep(0.3)

    def events(self, settle: float = 0.3) -> list[Node]:
        time.sleep(settle)  # events reach the listener a moment after the key
        lines = self.events_path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def _gained(self, settle: float = 0.3) -> list[Node]:
        return [
            e
            for e in self.events(settle)
            if e["type"] == "object:state-changed:focused" and e["detail1"] == 1
        ]

    def focused(self) -> Node | None:
        """The object that gained focus last (from the focus events, as Orca tracks it)."""
        gained = self._gained()
        return gained[-1] if gained else None

    def move_focus(self, key: str, timeout: float = 5.0) -> Node | None:
        """Press ``key`` and wait for the focus it moves (a busy machine answers late)."""
        before = len(self._gained(0))
        self.keys(key)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            gained = self._gained(0.05)
            if len(gained) > before:
                return gained[-1]
        return self.focused()

    # -- driving -----------------------------------------------------------------------------
    def _focus_window(self) -> None:
        windows = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
            env=self.env,
            capture_output=True,
            text=True,
        ).stdout.split()
        if windows:
            subprocess.run(
                ["xdotool", "windowfocus", "--sync", windows[-1]],
                env=self.env,
                capture_output=True,
                timeout=10,
            )

    def keys(self, *names: str, pause: float = 0.15) -> None:
        """Press each key (xdotool names: Tab, shift+Tab, Return, space, Down, ctrl+n)."""
        self._focus_window()
        for name in names:
            subprocess.run(["xdotool", "key", "--clearmodifiers", name], env=self.env, check=True)
            time.sleep(pause)

    def type(self, text: str) -> None:
        self._focus_window()
        subprocess.run(["xdotool", "type", "--delay", "20", text], env=self.env, check=True)
        time.sleep(0.2)

    @contextmanager
    def listening(self) -> Iterator[list[Node]]:
        """Focus changes and announcements heard while the block runs (filled at its end)."""
        before = len(self.events())
        heard: list[Node] = []
        try:
            yield heard
        finally:
            time.sleep(0.7)
            heard.extend(self.events()[before:])


def named(tree: list[Node], role: str, name: str) -> Node | None:
    return next((n for n in tree if n["role"] == role and n["name"] == name), None)


def spoken_name(node: Node) -> str:
    """What a screen reader says a control is: its label (labelled-by, as Orca reads a combo
    box's) or its own name."""
    labels = [label for label in node.get("labelled_by") or [] if label.strip()]
    return (labels[0] if labels else node["name"]).strip()


def unnamed_controls(tree: list[Node]) -> list[str]:
    """Focusable controls with nothing to say what they are (a combo box must be labelled:
    on Linux, Qt gives it its current value as its name)."""
    found = []
    for n in tree:
        if n["role"] not in INTERACTIVE or "focusable" not in n["states"]:
            continue
        if (n["role"] == "combo box" and not n.get("labelled_by")) or not spoken_name(n):
            found.append(f"{n['role']} {n['name']!r} at depth {n['depth']}")
    return found


def duplicate_names(tree: list[Node]) -> list[str]:
    """Focusable controls a listener cannot tell apart (the same role and spoken name)."""
    seen: dict[tuple[str, str], int] = {}
    for n in tree:
        if n["role"] in INTERACTIVE and "focusable" in n["states"] and n["role"] != "table cell":
            key = (n["role"], spoken_name(n))
            seen[key] = seen.get(key, 0) + 1
    return [f"{role} {name!r} ×{count}" for (role, name), count in seen.items() if count > 1]


def on_screen(node: Node, window: Node) -> bool:
    """Is ``node``'s box inside ``window``'s (its focus can be seen)?"""
    if not node.get("extents") or not window.get("extents"):
        return False
    x, y, w, h = node["extents"]
    wx, wy, ww, wh = window["extents"]
    return w > 0 and h > 0 and x >= wx and y >= wy and x + w <= wx + ww and y + h <= wy + wh


def tab_walk(app: App, *, until: str, limit: int = 40) -> list[tuple[str, str]]:
    """(role, spoken name) of each control Tab reaches, up to the one called ``until``."""
    seen: list[tuple[str, str]] = []
    for _ in range(limit):
        focused = app.move_focus("Tab")
        seen.append((focused["role"], spoken_name(focused)) if focused else ("", ""))
        if seen[-1][1] == until:
            break
    return seen
