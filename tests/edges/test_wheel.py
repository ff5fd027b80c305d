"""``pip install .`` as users install it: build the wheel, install it into a fresh virtual
environment (no network: --no-deps, the dependencies come from the machine's site-packages), and
run the installed ``mission-workbench`` away from the checkout."""
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    pytest.importorskip("wheel", reason="building a wheel without isolation needs the 'wheel' package")
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in ("app", "data", "resources"):  # a clean copy: the build writes build/ and egg-info
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MPW_DB")}
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(work / "dist")], env=env, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next((work / "dist").glob("*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                             env=env, capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    run_dir = work / "elsewhere"  # not the checkout: nothing may come from the repository
    run_dir.mkdir()
    return {"wheel": wheel, "venv": venv, "python": python, "env": env, "cwd": run_dir,
            "exe": venv / "bin" / "mission-workbench"}


def _run(inst, *args, extra_env=None, timeout=300):
    env = {**inst["env"], "HOME": str(inst["cwd"]), **(extra_env or {})}
    return subprocess.run([str(a) for a in args], env=env, cwd=inst["cwd"], capture_output=True, text=True,
                          timeout=timeout)


def test_wheel_carries_the_demo_data_and_resources(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert {"app/_data/demo_scenario.json", "app/_resources/style.qss", "app/_resources/world_110m.json",
            "app/_resources/icons/app.svg"} <= names


def test_installed_package_is_the_wheel(installed):
    done = _run(installed, installed["python"], "-c", "import app, app.shipped as s; print(app.__file__); "
                                                      "print(s.shipped_dir('data'))")
    assert done.returncode == 0, done.stderr
    app_file, data_dir = done.stdout.split()
    assert app_file.startswith(str(installed["venv"])) and data_dir.startswith(str(installed["venv"]))


def test_installed_demo_and_version(installed):
    db = installed["cwd"] / "w.db"
    done = _run(installed, installed["exe"], "demo", "--db", db)
    assert done.returncode == 0, done.stderr
    assert '"orders": 60' in done.stdout
    version = _run(installed, installed["exe"], "--version")
    assert version.returncode == 0 and version.stdout.startswith("mission-workbench ")


def test_installed_window_starts_offscreen(installed):
    """No arguments: the GUI (offscreen here), on the demo, closed after a moment."""
    script = ("import sys\n"
              "from PySide6 import QtCore, QtWidgets\n"
              "app = QtWidgets.QApplication(sys.argv[:1])\n"
              "QtCore.QTimer.singleShot(1500, app.quit)\n"
              "from app.entry import main\n"
              "sys.exit(main(['--db', sys.argv[1]]))\n")
    done = _run(installed, installed["python"], "-c", script, installed["cwd"] / "gui.db",
                extra_env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_installed_without_display_one_line(installed):
    env = {k: v for k, v in installed["env"].items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([str(installed["exe"])], env={**env, "HOME": str(installed["cwd"])}, cwd=installed["cwd"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no display found" in done.stderr and "offscreen" in done.stderr


def test_closed_pipe_is_quiet(installed, tmp_path):
    db = installed["cwd"] / "pipe.db"
    assert _run(installed, installed["exe"], "demo", "--db", db).returncode == 0
    done = subprocess.run(f"'{installed['exe']}' orders list --workspace demo --limit 60 --db '{db}' | head -1",
                          shell=True, env={**installed["env"], "HOME": str(installed["cwd"])},
                          cwd=installed["cwd"], capture_output=True, text=True, timeout=120)
    assert done.stdout == "[\n" and "Broken pipe" not in done.stderr and "Traceback" not in done.stderr
