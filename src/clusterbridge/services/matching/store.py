"""The shared matching index: one folder of files that every process of a deployment reads.

A stored index is a folder ``v-<key>/`` inside the store (``<cache_dir>/match-index``): every
array of ``MatchIndex`` as a NumPy ``.npy`` file (sparse matrices as their ``data``,
``indices`` and ``indptr``), the Python objects (profiles, projects, vocabulary words) in one
pickle, what the reasons read from the whole index (``engines.matching.reasons.ReasonTables``:
the topics of its projects, the names of its places) in another, and ``manifest.json`` (the
format, what it was made with, the registry's stamp, the encoder). The arrays are opened with ``np.load(mmap_mode="r")``: the operating system keeps
one copy of them in its page cache for every web process of the host, instead of one copy per
process. A version is written into a temporary folder, renamed into place, and only then named
by ``current.json`` (itself replaced atomically), so a reader never sees half an index; the
older versions are removed, which does not disturb a process that still has one mapped.
"""

import contextlib
import dataclasses
import gc
import json
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from clusterbridge.domain.errors import DomainError
from clusterbridge.engines.matching.index import Incidence, MatchIndex
from clusterbridge.engines.matching.reasons import (
    ReasonTables,
    keep_reason_tables,
    reason_tables,
)
from clusterbridge.engines.matching.text import Vocabulary
from clusterbridge.services.matching.pickling import PICKLE_PROTOCOL, FastPickler

#: Bumped whenever the layout of a stored index changes; other versions are never read.
STORE_FORMAT = 1
#: The store's folder inside the cache folder.
STORE_FOLDER = "match-index"
#: The file naming the newest version of the store.
CURRENT_FILE = "current.json"
MANIFEST_FILE = "manifest.json"
OBJECTS_FILE = "objects.pickle"
#: The reason tables of the version's index; a version without it (written before) is read
#: too, its tables made again when a question first needs them.
REASONS_FILE = "reasons.pickle"
VERSION_PREFIX = "v-"
#: Versions older than the newest that are kept (a reader that has just read ``current.json``
#: may still be opening the previous one).
KEPT_VERSIONS = 1


class IndexNotReadyError(DomainError):
    """The partner-matching index has not been built yet (503): a build has been asked for."""

    status = 503
    #: What the API's ``Retry-After`` says: about how long a first build takes.
    retry_after_seconds = 30

    def __init__(self) -> None:
        super().__init__(
            "The partner-matching index is being built; suggestions will be available in a "
            "minute or two. Please try again shortly."
        )


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """An index read from the store: its folder, what it was made with, the registry's stamp
    and the encoder's name ("" for none)."""

    path: Path
    base: str
    stamp: tuple[Any, ...]
    encoder: str
    index: MatchIndex


def store_folder(cache_dir: Path) -> Path:
    """The store inside ``cache_dir``."""
    return cache_dir / STORE_FOLDER


def save_index(
    store: Path, index: MatchIndex, *, base: str, stamp: tuple[Any, ...], encoder: str
) -> Path:
    """Write ``index`` as a new version of ``store`` and make it the current one; remove the
    versions before the previous one. Returns the version's folder. Raises OSError when the
    store cannot be written (nothing is then named current)."""
    store.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=store, prefix=".staging-"))
    try:
        _write_version(staging, index, base=base, stamp=stamp, encoder=encoder)
        final = store / f"{VERSION_PREFIX}{time.time_ns():020d}-{os.getpid()}"
        staging.rename(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _write_json(store / CURRENT_FILE, {"format": STORE_FORMAT, "version": final.name})
    _remove_old_versions(store, keep=final.name)
    return final


def current_version(store: Path) -> str | None:
    """The name of the current version's folder, or None when the store has none."""
    try:
        pointer = json.loads((store / CURRENT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(pointer, dict) or pointer.get("format") != STORE_FORMAT:
        return None
    version = pointer.get("version")
    return version if isinstance(version, str) and version.startswith(VERSION_PREFIX) else None


def open_index(store: Path, *, base: str, version: str | None = None) -> StoredIndex | None:
    """The current version of ``store`` (or ``version``), arrays memory-mapped; None when there
    is none, it was made for another ``base`` (database, code version) or cannot be read."""
    name = version or current_version(store)
    if name is None:
        return None
    path = store / name
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("format") != STORE_FORMAT or manifest.get("base") != base:
            return None
        stamp, index = _read_index(path, manifest)
    except (OSError, ValueError, KeyError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return StoredIndex(path, base, stamp, str(manifest.get("encoder", "")), index)


def read_manifest(store: Path) -> dict[str, Any] | None:
    """The manifest of the current version (format, base, stamp, encoder, created, sizes), or
    None when there is none."""
    name = current_version(store)
    if name is None:
        return None
    try:
        manifest = json.loads((store / name / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _write_version(
    folder: Path, index: MatchIndex, *, base: str, stamp: tuple[Any, ...], encoder: str
) -> None:
    arrays: dict[str, np.ndarray] = {}
    objects: dict[str, Any] = {}
    fields = {
        f.name: _flatten(f.name, getattr(index, f.name), arrays, objects)
        for f in dataclasses.fields(index)
    }
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
    with (folder / OBJECTS_FILE).open("wb") as stream:
        FastPickler(stream, protocol=PICKLE_PROTOCOL).dump((stamp, objects))
    with (folder / REASONS_FILE).open("wb") as stream:
        pickle.dump(reason_tables(index), stream, protocol=PICKLE_PROTOCOL)
    manifest = {
        "format": STORE_FORMAT,
        "base": base,
        "stamp": repr(stamp),
        "encoder": encoder,
        "created": time.time(),
        "organisations": index.size,
        "array_bytes": int(sum(a.nbytes for a in arrays.values())),
        "fields": fields,
    }
    _write_json(folder / MANIFEST_FILE, manifest)


def _flatten(
    name: str, value: Any, arrays: dict[str, np.ndarray], objects: dict[str, Any]
) -> dict[str, Any]:
    """How field ``name`` is stored: arrays into ``arrays`` (by file name), anything else
    into ``objects``; the description returned says how to make it again."""
    if isinstance(value, np.ndarray):
        arrays[name] = value
        return {"array": name}
    if sp.issparse(value):
        return _flatten_sparse(name, value, arrays)
    if isinstance(value, Incidence):
        objects[name] = (value.keys, value.columns)
        return {
            "incidence": name,
            "matrix": _flatten_sparse(f"{name}.matrix", value.matrix, arrays),
        }
    if isinstance(value, Vocabulary):
        objects[name] = value.terms
        arrays[f"{name}.idf"] = value.idf
        return {"vocabulary": name}
    objects[name] = value
    return {"object": name}


def _flatten_sparse(name: str, matrix: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    # Canonical (sorted, no duplicates, smallest index type) before saving: scipy would
    # otherwise sort or cast a loaded matrix, which copies it or writes to a read-only map.
    canonical = type(matrix)(matrix, copy=True)
    canonical.sum_duplicates()
    canonical = type(canonical)(
        (canonical.data, canonical.indices, canonical.indptr), shape=canonical.shape
    )
    for part in ("data", "indices", "indptr"):
        arrays[f"{name}.{part}"] = getattr(canonical, part)
    return {"sparse": name, "kind": canonical.format, "shape": list(canonical.shape)}


def _read_index(path: Path, manifest: dict[str, Any]) -> tuple[tuple[Any, ...], MatchIndex]:
    collecting = gc.isenabled()
    gc.disable()  # the collector would walk the profiles again and again as they are made
    try:
        with (path / OBJECTS_FILE).open("rb") as stream:
            stamp, objects = pickle.load(stream)  # noqa: S301 -- our own file, in the private cache folder
        tables = _read_reasons(path)
    finally:
        if collecting:
            gc.enable()
    values = {
        name: _unflatten(path, description, objects)
        for name, description in manifest["fields"].items()
    }
    index = MatchIndex(**values)
    if tables is not None:
        keep_reason_tables(index, tables)
    return tuple(stamp), index


def _read_reasons(path: Path) -> ReasonTables | None:
    """The reason tables saved in the version ``path``; None when it has none."""
    try:
        stream = (path / REASONS_FILE).open("rb")
    except FileNotFoundError:
        return None
    with stream:
        tables = pickle.load(stream)  # noqa: S301 -- our own file, in the private cache folder
    if not isinstance(tables, ReasonTables):
        raise ValueError(f"{path / REASONS_FILE} holds no reason tables")
    return tables


def _unflatten(path: Path, description: dict[str, Any], objects: dict[str, Any]) -> Any:
    if "array" in description:
        return _mapped(path, description["array"])
    if "sparse" in description:
        return _sparse(path, description)
    if "incidence" in description:
        keys, columns = objects[description["incidence"]]
        return Incidence(keys, columns, _sparse(path, description["matrix"]))
    if "vocabulary" in description:
        name = description["vocabulary"]
        terms = objects[name]
        columns = {term: column for column, term in enumerate(terms)}
        return Vocabulary(terms, columns, _mapped(path, f"{name}.idf"))
    return objects[description["object"]]


def _mapped(path: Path, name: str) -> np.ndarray:
    array: np.ndarray = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
    return array


def _sparse(path: Path, description: dict[str, Any]) -> Any:
    name = description["sparse"]
    parts = [_mapped(path, f"{name}.{part}") for part in ("data", "indices", "indptr")]
    kind = sp.csr_matrix if description["kind"] == "csr" else sp.csc_matrix
    matrix = kind(tuple(parts), shape=tuple(description["shape"]), copy=False)
    # Saved canonical: say so, so that scipy never checks (or sorts) it again.
    matrix.has_sorted_indices = True
    matrix.has_canonical_format = True
    return matrix


def _write_json(path: Path, value: dict[str, Any]) -> None:
    """Write ``value`` to ``path`` atomically (a temporary file renamed over it)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _remove_old_versions(store: Path, *, keep: str) -> None:
    """Remove every version but ``keep`` and the ``KEPT_VERSIONS`` before it, and staging
    folders left by a build that was killed more than an hour ago."""
    versions = sorted(p.name for p in store.glob(f"{VERSION_PREFIX}*") if p.is_dir())
    kept = (
        set(versions[max(0, versions.index(keep) - KEPT_VERSIONS) :])
        if keep in versions
        else {keep}
    )
    for name in versions:
        if name not in kept:
            shutil.rmtree(store / name, ignore_errors=True)
    hour_ago = time.time() - 3600
    for staging in store.glob(".staging-*"):
        with contextlib.suppress(OSError):
            if staging.stat().st_mtime < hour_ago:
                shutil.rmtree(staging, ignore_errors=True)


def is_memory_mapped(array: np.ndarray) -> bool:
    """Whether ``array`` is (a view of) a memory-mapped file rather than memory of its own."""
    found: object = array
    while isinstance(found, np.ndarray):
        if isinstance(found, np.memmap):
            return True
        found = found.base
    return False
