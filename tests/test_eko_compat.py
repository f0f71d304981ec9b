"""eko 0.15 tars out and in, checked with tarfile, PyYAML, lz4 and numpy alone (no eko).

The expected layout, keys, stems and encodings are those of notes/eko_format.md (a spec of
eko 0.15.7's format, tested there against eko itself); tests/benchmarks/test_eko_io.py reads
the same tars with eko and pineko.
"""

import io
import json
import tarfile

import lz4.frame
import numpy as np
import packaging.version
import pytest
import yaml

import ekodask
from ekodask.cards import compat_dict, load_cards
from ekodask.cli import main
from ekodask.eko_compat import EkoArchive, EkoArchiveError, export, import_eko, open_eko
from ekodask.eko_compat._format import decode_payload, stem
from ekodask.eko_compat.runcards import from_eko
from ekodask.eko_compat.writer import NO_ESTIMATE
from ekodask.pids import PIDS
from ekodask.store import create

XGRID = [1e-07, 1e-05, 0.001, 0.1, 0.5, 1.0]
POINTS = [(2.0, 4), (10.0, 4), (100.0, 5), (10000.0, 5)]
WITH_ERROR = {(10.0, 4), (10000.0, 5)}


def _operator(point, seed=0):
    rng = np.random.default_rng([seed, int(point[0]), point[1]])
    return rng.standard_normal((14, len(XGRID), 14, len(XGRID)))


def _store(path, points=POINTS, with_error=WITH_ERROR):
    """A store with the default theory, synthetic operators; error arrays at with_error."""
    op_card = {"xgrid": XGRID, "interpolation_degree": 3, "mu2grid": [list(p) for p in points]}
    th, op = load_cards(None, op_card)
    st = create(
        path,
        metadata={"theory": th.to_dict(), "operator": op.to_dict()},
        compat=compat_dict(th, op),
        xgrid=XGRID,
        pids=PIDS,
    )
    for p in points:
        err = np.abs(_operator(p, 1)) * 1e-9 if p in with_error else None
        st.write_final(p, _operator(p), err)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("eko")
    store = _store(tmp / "s.zarr")
    return store, export(store, tmp / "s.tar")


def _members(tar_path):
    with tarfile.open(tar_path) as tar:
        return {m.name: m for m in tar.getmembers()}


def _read(tar_path, name):
    with tarfile.open(tar_path) as tar:
        return tar.extractfile(name).read()


# --------------------------------------------------------------------------------------------
# the format


def test_stems_are_the_spec_vectors():
    # notes/eko_format.md section 1.6, checked there against eko's inventory on CPython 3.8-3.13
    assert stem(10000.0, 5) == "SRQ_U6k7NQ8="
    assert stem(100.0, 5) == "pJnoDyjlzDs="
    assert stem(9.0, 4) == "vw1m14mVWjE="
    assert stem(10000, 5) == stem(10000.0, 5)  # hash(10000) == hash(10000.0)


def test_tar_members_and_types(exported):
    _, tar = exported
    members = _members(tar)
    stems = [stem(*p) for p in POINTS]
    files = {"./metadata.yaml", "./theory.yaml", "./operator.yaml", "./ekodask.yaml"}
    files |= {f"./operators/{s}.yaml" for s in stems} | {f"./operators/{s}.npz.lz4" for s in stems}
    dirs = {".", "./operators", "./recipes", "./recipes/matching", "./parts", "./parts/matching"}
    assert set(members) == files | dirs
    assert all(members[n].isreg() for n in files)
    assert all(members[n].isdir() for n in dirs)
    with open(tar, "rb") as fh:  # uncompressed: a ustar/pax header at offset 257
        assert fh.read(512)[257:262] == b"ustar"


def test_metadata_has_exactly_ekos_fields(exported):
    store, tar = exported
    meta = yaml.safe_load(_read(tar, "./metadata.yaml"))
    assert set(meta) == {"data_version", "origin", "version", "xgrid"}
    mu0 = ekodask.open(store).operator["mu0"]
    assert meta["data_version"] == 3
    assert meta["origin"] == [mu0**2, 3]  # squared mu0 with nf0, as eko's EKO.mu20
    assert isinstance(meta["origin"][0], float) and isinstance(meta["origin"][1], int)
    packaging.version.parse(meta["version"])  # eko parses it (PEP 440) at open
    assert meta["xgrid"] == XGRID  # 1e-07 read back as a float (PyYAML's YAML 1.1 pitfall)


def test_cards_are_ekos_keys_and_hold_the_physics(exported):
    store, tar = exported
    theory = yaml.safe_load(_read(tar, "./theory.yaml"))
    operator = yaml.safe_load(_read(tar, "./operator.yaml"))
    assert set(theory) == {
        "order",
        "couplings",
        "heavy",
        "xif",
        "n3lo_ad_variation",
        "use_fhmruvv",
        "matching_order",
    }
    assert set(theory["couplings"]) == {"alphas", "alphaem", "ref", "em_running"}
    assert set(theory["heavy"]) == {"masses", "masses_scheme", "matching_ratios"}
    assert set(operator) == {"init", "mugrid", "xgrid", "configs", "debug", "eko_version"}
    assert set(operator["configs"]) == {
        "evolution_method",
        "ev_op_max_order",
        "ev_op_iterations",
        "scvar_method",
        "inversion_method",
        "interpolation_polynomial_degree",
        "interpolation_is_log",
        "polarized",
        "time_like",
        "n_integration_cores",
    }
    # the LHA theory of conf/theory.yaml: alpha_s = 0.35 at sqrt(2) GeV (nf = 3, on m_c)
    assert theory["order"] == [3, 0]
    assert theory["couplings"]["alphas"] == 0.35
    assert theory["couplings"]["ref"] == [2**0.5, 3]
    assert [m[0] for m in theory["heavy"]["masses"]] == [2**0.5, 4.5, 175.0]
    assert all(np.isnan(m[1]) for m in theory["heavy"]["masses"])
    assert operator["mugrid"] == [[mu2**0.5, nf] for mu2, nf in POINTS]
    assert operator["xgrid"] == XGRID
    st = ekodask.open(store)
    t, o = from_eko(theory, operator)
    assert t == st.theory
    # ekodask's own iterate-magnus4 goes to eko as its stand-in iterate-exact (the same exact
    # a_s running, which pineko reads); ekodask.yaml records the method that made the operators
    assert st.operator["method"] == "iterate-magnus4"
    assert operator["configs"]["evolution_method"] == o["method"] == "iterate-exact"
    info = yaml.safe_load(_read(tar, "./ekodask.yaml"))
    assert info["method"] == {"ekodask": "iterate-magnus4", "eko": "iterate-exact"}
    assert {k: v for k, v in o.items() if k not in ("mu2grid", "method")} == {
        k: v for k, v in st.operator.items() if k not in ("mu2grid", "method")
    }
    # and ekodask reads the tar back with the real method
    with open_eko(tar) as eko:
        assert {k: v for k, v in eko.operator.items() if k != "mu2grid"} == {
            k: v for k, v in st.operator.items() if k != "mu2grid"
        }


def test_headers_and_payloads(exported):
    store, tar = exported
    st = ekodask.open(store)
    info = yaml.safe_load(_read(tar, "./ekodask.yaml"))
    notes = {(e["scale"], e["nf"]): e["error"] for e in info["error_arrays"]}
    for point in POINTS:
        s = stem(*point)
        header = yaml.safe_load(_read(tar, f"./operators/{s}.yaml"))
        assert header == {"nf": point[1], "scale": point[0]}
        assert stem(header["scale"], header["nf"]) == s  # eko recomputes it from the header
        raw = lz4.frame.decompress(_read(tar, f"./operators/{s}.npz.lz4"))
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            assert sorted(npz.files) == ["error", "operator"]
            op, err = npz["operator"], npz["error"]
        shape = (14, len(XGRID), 14, len(XGRID))
        assert op.dtype == err.dtype == np.float64 and op.shape == err.shape == shape
        assert op.flags.c_contiguous
        np.testing.assert_array_equal(op, st[point])  # bit for bit
        if point in WITH_ERROR:
            np.testing.assert_array_equal(err, st.error(point))
            assert notes[point].startswith("estimate")
        else:  # never zeros presented as an estimate
            assert np.isnan(err).all()
            assert notes[point] == NO_ESTIMATE


def test_export_refuses_to_overwrite_and_leaves_no_partial_file(exported, tmp_path):
    store, tar = exported
    with pytest.raises(ekodask.StoreError, match="exists"):
        export(store, tar)
    bad = tmp_path / "x.zarr"
    _store(bad)
    st = ekodask.open(bad)

    class Broken:
        """A store view whose third operator fails to load."""

        path, xgrid, pids, theory, operator = st.path, st.xgrid, st.pids, st.theory, st.operator
        evolution_points = st.evolution_points

        def items(self):
            for i, item in enumerate(st.items()):
                if i == 2:
                    raise ekodask.StoreError("chunk damaged")
                yield item

        def error(self, point):
            return st.error(point)

    with pytest.raises(ekodask.StoreError, match="chunk damaged"):
        export(Broken(), tmp_path / "out.tar")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.zarr"]


# --------------------------------------------------------------------------------------------
# reading and importing


def test_open_reads_the_tar_and_its_folder(exported, tmp_path):
    store, tar = exported
    st = ekodask.open(store)
    with tarfile.open(tar) as t:
        t.extractall(tmp_path / "folder", filter="data")
    for source in (tar, tmp_path / "folder"):
        with ekodask.open(source) as eko:
            assert isinstance(eko, EkoArchive)
            assert eko.evolution_points == st.evolution_points
            np.testing.assert_array_equal(eko.xgrid, st.xgrid)
            assert eko.pids == st.pids and eko.mu0 == st.operator["mu0"]
            assert eko.theory == st.theory
            for (point, op), ref in zip(eko.items(), st.items(), strict=True):
                assert point == ref[0]
                np.testing.assert_array_equal(op, ref[1])
            np.testing.assert_array_equal(eko[100.0], st[(100.0, 5)])
            with pytest.raises(ekodask.StoreError, match="no operator"):
                eko[(100.0, 4)]


def test_import_copies_operators_and_errors_bitwise(exported, tmp_path):
    store, tar = exported
    st = ekodask.open(store)
    assert main(["import", str(tar), "-o", str(tmp_path / "in.zarr"), "-q"]) == 0
    back = ekodask.open(tmp_path / "in.zarr")
    assert back.evolution_points == st.evolution_points
    assert back.compat == st.compat  # mergeable with the store it came from
    for point in POINTS:
        np.testing.assert_array_equal(back[point], st[point])
        if point in WITH_ERROR:
            np.testing.assert_array_equal(back.error(point), st.error(point))
        else:  # NaN (no estimate) does not become an estimate
            assert back.error(point) is None
    # importing into a store with the same cards adds to it (here: holds them already)
    import_eko(tar, store)
    assert ekodask.open(store).evolution_points == st.evolution_points


def test_cli_export(exported, tmp_path):
    store, tar = exported
    out = tmp_path / "again.tar"
    assert main(["export", str(store), "-o", str(out), "-q"]) == 0
    a, b = _members(tar), _members(out)
    assert set(a) == set(b)
    for name in a:
        if a[name].isreg() and name != "./ekodask.yaml":
            assert _read(tar, name) == _read(out, name)


def test_reader_joins_several_lz4_frames(exported, tmp_path):
    # the LZ4 frame format allows concatenated frames (eko's lz4.frame.decompress reads only
    # the first: tests/benchmarks/test_eko_io.py)
    op = np.arange(8.0).reshape(2, 2, 2, 1)
    buf = io.BytesIO()
    np.save(buf, op)
    raw = buf.getvalue()
    data = lz4.frame.compress(raw[:100]) + lz4.frame.compress(raw[100:], content_checksum=True)
    got, err = decode_payload(data, "x")
    np.testing.assert_array_equal(got, op)
    assert err is None


# --------------------------------------------------------------------------------------------
# hostile and malformed archives


def _tar(path, members):
    """Write a tar of (name, bytes | None for a folder | ('sym'|'lnk'|'fifo', target))."""
    with tarfile.open(path, "w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif isinstance(data, tuple):
                info.type = {"sym": tarfile.SYMTYPE, "lnk": tarfile.LNKTYPE}.get(
                    data[0], tarfile.FIFOTYPE
                )
                info.linkname = data[1]
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


def _good_members(exported):
    _, tar = exported
    with tarfile.open(tar) as t:
        return [(m.name, None if m.isdir() else t.extractfile(m).read()) for m in t.getmembers()]


def _replace(members, name, data):
    return [(n, data if n == name else d) for n, d in members]


S = stem(*POINTS[0])
META = "./metadata.yaml"


@pytest.mark.parametrize(
    ("case", "edit", "message"),
    [
        ("absolute", lambda m: [*m, ("/etc/evil", b"x")], "absolute path"),
        ("dotdot", lambda m: [*m, ("./operators/../../evil", b"x")], r"leaves the archive"),
        ("symlink", lambda m: [*m, ("./operators/l", ("sym", "/etc/passwd"))], "is a link"),
        ("hardlink", lambda m: [*m, ("./hard", ("lnk", "./metadata.yaml"))], "is a link"),
        ("fifo", lambda m: [*m, ("./fifo", ("fifo", ""))], "not a file or folder"),
        ("twice", lambda m: [*m, (META, b"data_version: 3")], "appears twice"),
        ("no metadata", lambda m: [x for x in m if x[0] != META], "no metadata.yaml"),
        (
            "top folder",
            lambda m: [(n.replace("./", "./top/", 1), d) for n, d in m if n != "."],
            "no metadata.yaml",
        ),
        (
            "extra key",
            lambda m: _replace(
                m, META, b"data_version: 3\norigin: [2.0, 3]\nversion: '1'\nxgrid: [0.1, 1.0]\nx: 1"
            ),
            "expected the keys",
        ),
        (
            "data_version",
            lambda m: _replace(
                m, META, b"data_version: 1\norigin: [2.0, 3]\nversion: '1'\nxgrid: [0.1, 1.0]"
            ),
            "data_version 1",
        ),
        ("bad yaml", lambda m: _replace(m, META, b"a: [1"), "not valid YAML"),
        (
            "no payload",
            lambda m: [x for x in m if x[0] != f"./operators/{S}.npz.lz4"],
            "0 payloads",
        ),
        (
            "header keys",
            lambda m: _replace(m, f"./operators/{S}.yaml", b"nf: 4\nscale: 2.0\nx: 1\n"),
            "exactly the keys",
        ),
        ("no operators", lambda m: [x for x in m if "operators" not in x[0]], "no operators/"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_hostile_or_malformed_tars_are_refused(exported, tmp_path, case, edit, message):
    bad = _tar(tmp_path / "bad.tar", edit(_good_members(exported)))
    with pytest.raises(EkoArchiveError, match=message) as info:
        open_eko(bad)
    text = str(info.value)
    assert text.startswith(str(bad)) and "\n" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tar"]  # nothing extracted


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not lz4 at all", "not an LZ4 frame"),
        (lz4.frame.compress(b"PK\x03\x04 garbage"), "not a NumPy"),
        (lz4.frame.compress(b"x" * 100)[:-8], "LZ4"),
    ],
)
def test_damaged_payloads_fail_on_access(exported, tmp_path, payload, message):
    members = _replace(_good_members(exported), f"./operators/{S}.npz.lz4", payload)
    with open_eko(_tar(tmp_path / "bad.tar", members)) as eko:
        with pytest.raises(EkoArchiveError, match=message):
            eko[POINTS[0]]
        eko[POINTS[1]]  # the others still read


def test_wrong_shape_is_refused(exported, tmp_path):
    buf = io.BytesIO()
    np.savez(buf, operator=np.zeros((14, 5, 14, 5)), error=np.zeros((14, 5, 14, 5)))
    members = _replace(
        _good_members(exported), f"./operators/{S}.npz.lz4", lz4.frame.compress(buf.getvalue())
    )
    with open_eko(_tar(tmp_path / "bad.tar", members)) as eko:
        with pytest.raises(EkoArchiveError, match=r"expected \(14, 6, 14, 6\)"):
            eko[POINTS[0]]


def test_pickles_are_never_loaded(exported, tmp_path):
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    members = _replace(
        _good_members(exported), f"./operators/{S}.npz.lz4", lz4.frame.compress(buf.getvalue())
    )
    with open_eko(_tar(tmp_path / "bad.tar", members)) as eko:
        with pytest.raises(EkoArchiveError, match="not a NumPy"):
            eko[POINTS[0]]


def test_cli_refuses_a_bad_archive_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.tar"
    bad.write_bytes(b"this is not a tar file" * 40)
    assert main(["import", str(bad), "-o", str(tmp_path / "s.zarr")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"ekodask: error: {bad}") and "\n" not in err
    assert not (tmp_path / "s.zarr").exists()


def _truncated(exported, path):
    """The exported tar cut in the middle of its last payload."""
    _, tar = exported
    with tarfile.open(tar) as t:
        last = max(t.getmembers(), key=lambda m: m.offset_data)
    path.write_bytes(tar.read_bytes()[: last.offset_data + last.size // 2])
    return path


@pytest.mark.parametrize(
    ("case", "make", "message"),
    [
        ("truncated", lambda e, p: _truncated(e, p), "damaged tar archive"),
        (
            "outside",
            lambda e, p: _tar(p, [*_good_members(e), ("./operators/../../evil", b"x")]),
            "leaves the archive",
        ),
        (
            "absolute",
            lambda e, p: _tar(p, [*_good_members(e), ("/tmp/evil", b"x")]),
            "absolute path",
        ),
        (
            "symlink",
            lambda e, p: _tar(p, [*_good_members(e), ("./operators/l", ("sym", "../../x"))]),
            "is a link",
        ),
        (
            "hardlink",
            lambda e, p: _tar(p, [*_good_members(e), ("./h", ("lnk", "./metadata.yaml"))]),
            "is a link",
        ),
        (
            "damaged payload",
            lambda e, p: _tar(
                p, _replace(_good_members(e), f"./operators/{stem(*POINTS[-1])}.npz.lz4", b"x")
            ),
            "LZ4 frame",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_cli_import_and_open_of_a_malformed_tar(exported, tmp_path, capsys, case, make, message):
    # one line naming the archive, exit status 2, no store left behind, nothing extracted
    bad = make(exported, tmp_path / "bad.tar")
    assert main(["import", str(bad), "-o", str(tmp_path / "s.zarr")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"ekodask: error: {bad}: ") and message in err and "\n" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tar"]


def test_export_memory_benchmark_is_a_benchmarks_command(tmp_path, capsys):
    # `python -m ekodask.benchmarks export`: stores of each size exported in a fresh process;
    # only the mechanics are checked here (no memory or time assertion in tests)
    from ekodask.benchmarks.__main__ import main as bench

    out = tmp_path / "r.json"
    rc = bench(["export", "--nx", "5", "--points", "1", "3", "--json", str(out)])
    result = json.loads(out.read_text())
    assert rc == (0 if result["ratio"] <= 1.5 else 1)
    assert [r["points"] for r in result["results"]] == [1, 3]
    small, big = result["results"]
    assert big["tar_bytes"] > small["tar_bytes"] and small["peak_bytes"] > 0
    assert "peak ratio 3 / 1 points" in capsys.readouterr().out


def _intrinsic_store(path, intrinsic):
    th, op = load_cards({"intrinsic": intrinsic}, {"xgrid": XGRID, "interpolation_degree": 3})
    st = create(
        path,
        metadata={"theory": th.to_dict(), "operator": op.to_dict()},
        compat=compat_dict(th, op),
        xgrid=XGRID,
        pids=PIDS,
    )
    st.write_final((10000.0, 5), _operator((10000.0, 5)))
    return path


def test_intrinsic_export_is_ekos_own_and_reads_back(tmp_path):
    # eko's operators carry intrinsic columns for every heavy flavour inactive at mu0 (nf0 = 3
    # here: c, b, t); a store with exactly those exports, ekodask.yaml says so, ekodask reads it
    store = _intrinsic_store(tmp_path / "i.zarr", [4, 5, 6])
    tar = export(store, tmp_path / "i.tar")
    assert yaml.safe_load(_read(tar, "./ekodask.yaml"))["intrinsic"] == [4, 5, 6]
    with open_eko(tar) as eko:
        assert eko.theory == ekodask.open(store).theory
    import_eko(tar, tmp_path / "back.zarr")
    assert ekodask.open(tmp_path / "back.zarr").compat == ekodask.open(store).compat
    # a partial set is not eko's: refused on export, naming the key and eko's set
    with pytest.raises(ekodask.CardError, match=r"'intrinsic'.*\[4, 5, 6\]"):
        export(_intrinsic_store(tmp_path / "p.zarr", [4]), tmp_path / "p.tar")
    assert not (tmp_path / "p.tar").exists()
    # a forged ekodask.yaml is refused on reading the cards
    with tarfile.open(tar) as t:
        members = [(m.name, None if m.isdir() else t.extractfile(m).read()) for m in t.getmembers()]
    info = yaml.safe_load(dict(members)["./ekodask.yaml"])
    forged = _tar(
        tmp_path / "f.tar",
        _replace(members, "./ekodask.yaml", yaml.safe_dump({**info, "intrinsic": [5]}).encode()),
    )
    with open_eko(forged) as eko, pytest.raises(EkoArchiveError, match="intrinsic"):
        _ = eko.theory
