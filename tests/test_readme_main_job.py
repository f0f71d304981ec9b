"""The README's main job, as written there (after the install), on a fresh folder: the store of
the default cards applied to the LHA toy set, checked against the published table.

Reference: Les Houches NNLO VFNS table at mu_F^2 = 1e4 GeV^2 (hep-ph/0511119 Table 15, in
ekodask/data/lha_central.yaml).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from ekodask.pdfs.lhapdf import open_set, xfx_q2
from ekodask.pdfs.toy import lha_combinations, lha_tables
from ekodask.pids import PIDS

ROOT = Path(__file__).resolve().parents[1]


def main_job_commands() -> str:
    """The commands of the README's first sh block that follow `pip install .`."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)\n```", text, re.S).group(1)
    _, sep, tail = block.partition("pip install . && ")
    assert sep, "the main-job block no longer installs with `pip install . && ...`"
    return tail


def test_readme_main_job_then_evolve_pdf(tmp_path):
    commands = main_job_commands()
    assert "ekodask run" in commands and "ekodask evolve-pdf" in commands
    for card in ("conf/theory.yaml", "conf/operator.yaml"):
        assert card in commands
        (tmp_path / "conf").mkdir(exist_ok=True)
        (tmp_path / card).write_text((ROOT / card).read_text())
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        ["bash", "-c", commands.replace("python ", f"{sys.executable} ")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    member = open_set(tmp_path / "lha_toy_evolved").member(0)
    table = lha_tables()["tables"]["NNLO_VFNS"]
    x = np.asarray(lha_tables()["x"], dtype=float)
    assert table["mu2"] == 1e4
    xf = np.zeros((len(PIDS), x.size))
    got = xfx_q2(member, x, 1e4)
    for row, pid in enumerate(member.pids):
        xf[PIDS.index(pid)] = got[row]
    worst = 0.0
    for name, values in lha_combinations(xf).items():
        if name not in table["xf"]:
            continue  # s_v is zero for the toy PDFs and not tabulated
        ref = np.asarray(table["xf"][name], dtype=float)
        keep = np.abs(ref) > 1e-5
        worst = max(worst, float(np.max(np.abs(values[keep] / ref[keep] - 1.0), initial=0.0)))
    # the store itself meets the table within 6.5e-4 (tests/test_lha_vfns.py); the LHAPDF file
    # adds the print precision of its numbers
    assert worst < 1e-3, worst
